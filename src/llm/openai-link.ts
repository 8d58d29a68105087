import { retryAfterMs } from '../../libs/common/http.js';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface LinkAnswer {
  text: string;
  /** As the server reported them; undefined when it sent no `usage`. */
  promptTokens?: number;
  completionTokens?: number;
}

/** A failed request. `retryable`: the same request may succeed later (network, timeout, 5xx, 429). */
export class LinkRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly outcome: 'error' | 'timeout' | 'rate_limited' | 'bad_answer',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LinkRequestError';
  }
}

/** Where to POST, whatever form of base URL the operator gave. */
export function chatEndpoint(base: string): string {
  const u = new URL(base);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith('/chat/completions') ? path : path.endsWith('/v1') ? `${path}/chat/completions` : `${path}/v1/chat/completions`;
  return u.toString();
}

/** One chat-completions request to an OpenAI-compatible server (non-streaming or SSE). */
export async function requestChat(opts: {
  endpoint: string;
  apiKey?: string;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  timeoutMs: number;
  stream: boolean;
  now: () => number;
}): Promise<LinkAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(opts.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
      body: JSON.stringify({
        model: opts.model,
        messages: opts.messages,
        max_tokens: opts.maxTokens,
        temperature: 0,
        ...(opts.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
      // Covers the body too: a server that stalls mid-answer times out the same way.
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new LinkRequestError(`no answer within ${opts.timeoutMs} ms`, true, 'timeout');
    throw new LinkRequestError(`request failed: ${(e as { cause?: Error }).cause?.message ?? e.message}`, true, 'error');
  }
  if (!res.ok) {
    const msg = `answered ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`;
    if (res.status === 429) throw new LinkRequestError(msg, true, 'rate_limited', retryAfterMs(res.headers.get('retry-after'), opts.now()));
    throw new LinkRequestError(msg, res.status >= 500 || res.status === 408, 'error', res.status === 503 ? retryAfterMs(res.headers.get('retry-after'), opts.now()) : undefined);
  }
  return opts.stream ? parseStream(text) : parseJson(text);
}

const tokenCount = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

function parseJson(text: string): LinkAnswer {
  let body: { choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new LinkRequestError('unusable answer: not JSON', false, 'bad_answer');
  }
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new LinkRequestError('unusable answer: no choices[0].message.content', false, 'bad_answer');
  return { text: content, promptTokens: tokenCount(body.usage?.prompt_tokens), completionTokens: tokenCount(body.usage?.completion_tokens) };
}

/** SSE `data:` lines; an answer without the final `[DONE]` was cut off and is not used. */
function parseStream(text: string): LinkAnswer {
  let out = '';
  let done = false;
  let usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      done = true;
      break;
    }
    try {
      const chunk = JSON.parse(data);
      const delta = chunk?.choices?.[0]?.delta?.content;
      if (typeof delta === 'string') out += delta;
      if (chunk?.usage) usage = chunk.usage;
    } catch {
      throw new LinkRequestError('unusable stream: a chunk is not JSON', false, 'bad_answer');
    }
  }
  if (!done) throw new LinkRequestError('stream ended before [DONE] (truncated)', true, 'bad_answer');
  return { text: out, promptTokens: tokenCount(usage?.prompt_tokens), completionTokens: tokenCount(usage?.completion_tokens) };
}

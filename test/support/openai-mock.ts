import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type MockMode = 'normal' | 'slow' | 'hang' | '429' | '500' | 'malformed' | 'truncated';

/**
 * A real OpenAI-compatible chat-completions server on 127.0.0.1, port 0. Behaviour is switched
 * with `mode`; `requests` counts every POST /v1/chat/completions received, and `bodies` keeps them.
 */
export class OpenAiMock {
  mode: MockMode = 'normal';
  /** Reported usage per answer (exact numbers the tests compare the meter with). */
  usage = { prompt_tokens: 37, completion_tokens: 11 };
  reply = 'A model answer.';
  slowMs = 200;
  retryAfterSeconds = 1;
  requests = 0;
  readonly bodies: any[] = [];
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    this.requests++;
    const body = JSON.parse(raw);
    this.bodies.push(body);
    switch (this.mode) {
      case 'hang':
        this.hanging.add(res);
        return;
      case '429':
        res.writeHead(429, { 'retry-after': String(this.retryAfterSeconds), 'content-type': 'application/json' }).end('{"error":{"message":"rate limited"}}');
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [ {"message": ');
        return;
      case 'slow':
        await new Promise((r) => setTimeout(r, this.slowMs));
        break;
      default:
    }
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const words = this.reply.split(' ');
      for (const [i, w] of words.entries()) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: (i ? ' ' : '') + w } }] })}\n\n`);
      if (this.mode === 'truncated') {
        res.end();
        return;
      }
      res.write(`data: ${JSON.stringify({ choices: [], usage: this.usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    if (this.mode === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"content":"cut');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ id: 'mock', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: this.reply }, finish_reason: 'stop' }], usage: this.usage }),
    );
  }
}

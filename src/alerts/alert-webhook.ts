import { createHmac } from 'node:crypto';

/** `X-Sift-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe-style, replay-resistant). */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** One POST; throws on a network error, a timeout or a non-2xx answer. */
export async function postWebhook(url: string, secret: string | undefined, body: string, now = Date.now()): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) headers['x-sift-signature'] = signWebhook(secret, body, Math.floor(now / 1000));
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

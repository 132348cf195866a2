// The address a request comes from, for the audit log and the rate limits: the socket's peer, or,
// behind a proxy the operator declared (SYNCHRO_WEB_TRUST_PROXY=1), the hop that proxy appended
// last to X-Forwarded-For (earlier hops are whatever the client wrote).
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',').map((h) => h.trim()).filter((h) => h !== '');
    if (hops && hops.length > 0) return hops[hops.length - 1]!.slice(0, 64);
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? undefined;
}

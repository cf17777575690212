// The client's IP address for rate limiting: the socket's peer, or, behind INVOKER_TRUST_PROXY
// trusted hops, the address those proxies recorded in X-Forwarded-For (counted from the right, so a
// client cannot choose its own address by sending the header).
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function clientIp(c: Context, trustProxy = 0): string {
  const socketAddress = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
  if (trustProxy <= 0) return socketAddress;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return hops[hops.length - trustProxy] ?? hops[0] ?? socketAddress;
}

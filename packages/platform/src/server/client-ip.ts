// The client address used for rate limits and submissions. X-Forwarded-For is trusted only for
// the configured number of proxy hops, read from the right: the entries a client adds itself sit on
// the left and are never believed, so a forged header cannot reset anyone's budget.
import type { Context } from 'hono';
import { isIP } from 'node:net';

function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export function clientIp(c: Context, trustProxy: number): string {
  return clientAddress(socketAddress(c), trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined, trustProxy);
}

/** The same decision from the socket's address and the X-Forwarded-For header, for node:http callers. */
export function clientAddress(socket: string | undefined, forwardedFor: string | undefined, trustProxy: number): string {
  const hops = [socket ?? 'unknown'];
  if (trustProxy > 0) {
    const forwarded = (forwardedFor ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    hops.unshift(...forwarded);
  }
  const index = Math.max(0, hops.length - 1 - trustProxy);
  return hops[index] as string;
}

/**
 * The bucket an address counts against: IPv4-mapped IPv6 as plain IPv4, other IPv6 by /64, since
 * one client usually holds a whole /64.
 */
export function rateLimitKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (isIP(ip) !== 6) return ip;
  const [head] = ip.split('%');
  const groups = expandIpv6(head as string);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [left, right] = ip.split('::');
  const l = left ? left.split(':') : [];
  const r = right !== undefined && right !== '' ? right.split(':') : [];
  const fill = ip.includes('::') ? Array(8 - l.length - r.length).fill('0') : [];
  return [...l, ...fill, ...r].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp, rateLimitKey } from './client-ip.js';

async function ipFor(trustProxy: number, socket: string, xff?: string): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientIp(c, trustProxy)));
  const res = await app.request('/', { headers: xff ? { 'x-forwarded-for': xff } : {} }, { incoming: { socket: { remoteAddress: socket } } });
  return res.text();
}

describe('client IP', () => {
  it('uses the socket address and ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect(await ipFor(0, '203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('trusts exactly the configured number of hops, from the right', async () => {
    // client 198.51.100.7 → proxy (adds it) → us; a forged left-most entry is ignored.
    expect(await ipFor(1, '10.0.0.2', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(await ipFor(2, '10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.1')).toBe('198.51.100.7');
    // Fewer entries than hops: the left-most one we have.
    expect(await ipFor(3, '10.0.0.2', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('groups IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(rateLimitKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(rateLimitKey('2001:db8:1:2:aaaa::1')).toBe(rateLimitKey('2001:db8:1:2:bbbb::2'));
    expect(rateLimitKey('2001:db8:1:2::1')).not.toBe(rateLimitKey('2001:db8:1:3::1'));
    expect(rateLimitKey('127.0.0.1')).toBe('127.0.0.1');
  });
});

import { describe, expect, it } from 'vitest';
import { createServerSecret } from '../server-secret.js';
import type { RateLimiterFactory } from '../rate-limiter.js';
import { cookieValue, hashPassword, passwordMatches, passwordPage, sitePasswordService } from './site-password.js';
import type { Store } from '../store/store.js';
import { DEFAULT_LIMITS } from '../config.js';

/** Every try allowed: the budget itself is tested through the app (test/site-extras.test.ts). */
const unlimited: RateLimiterFactory = () => ({ limit: 10, windowSeconds: 60, hit: async () => ({ allowed: true, limit: 10, remaining: 9, resetSeconds: 60 }) });

describe('site passwords', () => {
  it('hashes with scrypt and a fresh salt, and checks in constant time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await passwordMatches('correct horse', a)).toBe(true);
    expect(await passwordMatches('correct horsf', a)).toBe(false);
    expect(await passwordMatches('x', 'not-a-hash')).toBe(false);
  });

  it('makes a cookie bound to the site, the password version and an expiry', async () => {
    let now = Date.parse('2026-12-02T00:00:00Z');
    const deps = { store: {} as Store, now: () => new Date(now), limits: DEFAULT_LIMITS, secret: createServerSecret('a-test-secret-of-at-least-32-characters!!') };
    const service = sitePasswordService(deps, { rateLimiters: unlimited });
    const lock = { hash: await hashPassword('open sesame'), version: 3 };
    expect(await service.attempt('dep_a', lock, 'wrong', '192.0.2.1')).toBeNull();
    const cookie = (await service.attempt('dep_a', lock, 'open sesame', '192.0.2.1')) as string;
    expect(service.admits('dep_a', lock, cookie)).toBe(true);
    expect(service.admits('dep_b', lock, cookie)).toBe(false);
    expect(service.admits('dep_a', { ...lock, version: 4 }, cookie)).toBe(false);
    const [version, expires, mac] = cookie.split('.');
    expect(service.admits('dep_a', lock, `${version}.${Number(expires) + 1}.${mac}`)).toBe(false);
    expect(service.admits('dep_a', lock, null)).toBe(false);
    now += 8 * 24 * 3600 * 1000;
    expect(service.admits('dep_a', lock, cookie)).toBe(false);
  });

  it('makes a pass to the counters from a cookie: counters only, that site and password only, ending with the cookie', async () => {
    let now = Date.parse('2026-12-02T00:00:00Z');
    const deps = { store: {} as Store, now: () => new Date(now), limits: DEFAULT_LIMITS, secret: createServerSecret('a-test-secret-of-at-least-32-characters!!') };
    const service = sitePasswordService(deps, { rateLimiters: unlimited });
    const lock = { hash: await hashPassword('open sesame'), version: 3 };
    const cookie = (await service.attempt('dep_a', lock, 'open sesame', '192.0.2.1')) as string;
    const pass = service.counterPass('dep_a', lock, cookie);
    expect(pass).not.toBe(cookie);
    expect(service.admitsCounter('dep_a', lock, pass)).toBe(true);
    // Neither opens what the other does.
    expect(service.admits('dep_a', lock, pass)).toBe(false);
    expect(service.admitsCounter('dep_a', lock, cookie)).toBe(false);
    expect(service.admitsCounter('dep_b', lock, pass)).toBe(false);
    expect(service.admitsCounter('dep_a', { ...lock, version: 4 }, pass)).toBe(false);
    expect(service.admitsCounter('dep_a', lock, null)).toBe(false);
    now += 8 * 24 * 3600 * 1000;
    expect(service.admitsCounter('dep_a', lock, pass)).toBe(false);
  });

  it('reads one cookie from a header, and renders a page with a labelled field and no script', () => {
    expect(cookieValue('a=1; invoker_site=v.1.m; b=2', 'invoker_site')).toBe('v.1.m');
    expect(cookieValue('invoker_site_x=1', 'invoker_site')).toBeNull();
    const page = passwordPage({ action: '/_password', next: '/a"b', error: '<b>no</b>' });
    expect(page).toContain('<label for="password">Password</label><input id="password" name="password" type="password"');
    expect(page).toContain('value="/a&quot;b"');
    expect(page).toContain('&lt;b&gt;no&lt;/b&gt;');
    expect(page).not.toContain('<script');
  });
});

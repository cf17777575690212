import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('sliding-window rate limiter', () => {
  it('allows the limit, refuses the next one, and counts keys apart', async () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[2]?.remaining).toBe(0);
    expect(results[3]?.resetSeconds).toBe(60);
    expect((await limiter.hit('b')).allowed).toBe(true);
  });

  it('frees the budget gradually as the previous window slides out', async () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 10, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 10; i++) await limiter.hit('ip');
    t = 60_000; // the whole previous window still overlaps: no room yet
    expect((await limiter.hit('ip')).allowed).toBe(false);
    t = 90_000; // half of it remains: 5 counted, 5 free
    let allowed = 0;
    for (let i = 0; i < 10; i++) if ((await limiter.hit('ip')).allowed) allowed++;
    expect(allowed).toBe(5);
    t = 240_000; // long idle: a full budget
    expect((await limiter.hit('ip')).remaining).toBe(9);
  });
});

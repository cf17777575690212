// Rate limiting by key (a client IP, an email, a site + IP): a sliding-window counter, which weighs
// the previous fixed window by how much of it still overlaps the sliding one. Two numbers per key, no
// bursts of 2× at window edges. In memory, per process; async so a shared backend can replace it.
import type { RateLimiter } from '../rate-limiter.js';

// The types moved to src/rate-limiter.ts (the store implements them too); re-exported for this folder.
export type { RateDecision, RateLimiter, RateLimiterFactory } from '../rate-limiter.js';

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const counters = new Map<string, Counter>();

  function roll(counter: Counter, t: number): void {
    const start = t - (t % windowMs);
    if (start === counter.windowStart) return;
    counter.previous = start - counter.windowStart === windowMs ? counter.current : 0;
    counter.current = 0;
    counter.windowStart = start;
  }

  return {
    limit,
    windowSeconds: Math.ceil(windowMs / 1000),
    async hit(key) {
      const t = now();
      let counter = counters.get(key);
      if (!counter) {
        // Bound memory under a flood of distinct keys: forget the oldest entries first.
        if (counters.size >= maxKeys) {
          const oldest = counters.keys().next().value;
          if (oldest !== undefined) counters.delete(oldest);
        }
        counter = { windowStart: t - (t % windowMs), current: 0, previous: 0 };
        counters.set(key, counter);
      }
      roll(counter, t);
      const elapsed = (t - counter.windowStart) / windowMs;
      const weighted = counter.previous * (1 - elapsed) + counter.current;
      const untilRoll = Math.ceil((counter.windowStart + windowMs - t) / 1000);
      if (weighted + 1 > limit) {
        return { allowed: false, limit, remaining: 0, resetSeconds: Math.max(1, untilRoll) };
      }
      counter.current += 1;
      return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - weighted - 1)), resetSeconds: Math.max(1, untilRoll) };
    },
  };
}

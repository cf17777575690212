// The sliding-window rate limit of server/rate-limit.ts, kept in PostgreSQL so every instance behind a load
// balancer draws on one budget per key. One UPSERT per hit: the row lock of ON CONFLICT makes the
// roll-over, the check and the increment atomic across processes. Refused hits are not counted, as
// in the in-memory limiter.
import type pg from 'pg';
import type { RateDecision, RateLimiter } from '../rate-limiter.js';

// $1 key, $2 window start (ms), $3 window length (ms), $4 elapsed fraction of the window, $5 limit.
// In SET, r.* is the row before the update; P and C are the counters rolled over to this window.
const P = `(CASE WHEN r.window_start = $2 THEN r.previous WHEN r.window_start = $2 - $3 THEN r.current ELSE 0 END)`;
const C = `(CASE WHEN r.window_start = $2 THEN r.current ELSE 0 END)`;
const ALLOWED = `(${P} * (1 - $4::float8) + ${C} + 1 <= $5)`;
const HIT = `
INSERT INTO rate_limits AS r (key, window_start, current, previous, last_allowed) VALUES ($1, $2, 1, 0, TRUE)
ON CONFLICT (key) DO UPDATE SET
  window_start = $2,
  previous = ${P},
  current = ${C} + CASE WHEN ${ALLOWED} THEN 1 ELSE 0 END,
  last_allowed = ${ALLOWED}
RETURNING current, previous, last_allowed`;

export function createPostgresRateLimiter(
  pool: pg.Pool,
  options: { limit: number; windowMs: number; name: string; now?: () => number },
): RateLimiter {
  const { limit, windowMs, name } = options;
  const now = options.now ?? Date.now;
  let hits = 0;
  return {
    limit,
    windowSeconds: Math.ceil(windowMs / 1000),
    async hit(key): Promise<RateDecision> {
      const t = now();
      const start = t - (t % windowMs);
      const elapsed = (t - start) / windowMs;
      const { rows } = await pool.query<{ current: number; previous: number; last_allowed: boolean }>(HIT, [
        `${name}:${key}`,
        start,
        windowMs,
        elapsed,
        limit,
      ]);
      const row = rows[0] as { current: number; previous: number; last_allowed: boolean };
      // Now and then, drop keys idle for two windows (they weigh nothing any more).
      if (++hits % 1000 === 0) pool.query('DELETE FROM rate_limits WHERE window_start < $1', [start - windowMs]).catch(() => {});
      const resetSeconds = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
      if (!row.last_allowed) return { allowed: false, limit, remaining: 0, resetSeconds };
      const weighted = row.previous * (1 - elapsed) + (row.current - 1);
      return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - weighted - 1)), resetSeconds };
    },
  };
}

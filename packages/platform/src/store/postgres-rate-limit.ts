// The sliding-window rate limit of server/rate-limit.ts, kept in PostgreSQL so every instance behind
// a load balancer draws on one budget per key (SPEC section 16: within 10% of the limit).
//
// Small budgets (the sign-in limits, form submissions, any limit too small to share): one UPSERT per
// hit, whose row lock makes the roll-over, the check and the increment atomic across processes.
// Large ones (the per-IP API budget): each instance decides in memory from the count the database
// last gave it plus its own hits since, and adds those hits every FLUSH_MS in one statement for all
// keys, which answers with the new totals. An instance holds at most `slack` hits of a key unadded
// (more wait for the flush), slack = SHARE × limit / instances alive, so the instances together can
// admit at most SHARE × limit beyond the budget before they all see it spent. The number of instances
// comes from the listener's heartbeats; while it is unknown (not listening, or just started), every
// hit takes the UPSERT. Refused hits are not counted, as in the in-memory limiter.
import type pg from 'pg';
import type { Logger } from '../logger.js';
import type { RateDecision, RateLimiter } from '../rate-limiter.js';

/** Counts are added at least this often. */
export const FLUSH_MS = 100;
/** The share of the limit all instances together may hold unadded: under the 10% the SPEC allows. */
const SHARE = 0.05;
const MAX_KEYS = 100_000;

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

// Adds hits counted in memory: $1 keys, $2 the window each key's hits were counted in, $3 hits in that
// window, $4 hits in the window before it, $5 window length. The row may be a window behind (rolled
// here), the same, or a window ahead (another instance rolled it: our current hits are its previous).
// Keys in order, so two instances adding the same keys lock them in the same order.
const ADD = `
INSERT INTO rate_limits AS r (key, window_start, current, previous, last_allowed)
SELECT k, ws, c, p, TRUE FROM unnest($1::text[], $2::int8[], $3::int4[], $4::int4[]) AS t(k, ws, c, p) ORDER BY k
ON CONFLICT (key) DO UPDATE SET
  window_start = GREATEST(r.window_start, EXCLUDED.window_start),
  current = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.current + EXCLUDED.current
                 WHEN r.window_start < EXCLUDED.window_start THEN EXCLUDED.current ELSE r.current END,
  previous = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.previous + EXCLUDED.previous
                  WHEN r.window_start = EXCLUDED.window_start - $5 THEN r.current + EXCLUDED.previous
                  WHEN r.window_start < EXCLUDED.window_start THEN EXCLUDED.previous
                  WHEN r.window_start = EXCLUDED.window_start + $5 THEN r.previous + EXCLUDED.current
                  ELSE r.previous END
RETURNING key, window_start, current, previous`;

// Only this limiter's keys ($2 ≤ key < $3: its "name:" prefix): limiters of other windows (an hour's
// anonymous deploys beside a minute's sign-ins) share the table.
const FORGET_IDLE = 'DELETE FROM rate_limits WHERE window_start < $1 AND key >= $2 AND key < $3';

/** One key as this instance knows it: the database's counts at the last flush, and its own since. */
interface Counter {
  windowStart: number;
  knownCurrent: number;
  knownPrevious: number;
  /** Hits admitted here and not added yet, in this window and in the one before. */
  ownCurrent: number;
  ownPrevious: number;
}

export interface BatchedRateLimiter extends RateLimiter {
  /** Adds every count not added yet. */
  flush(): Promise<void>;
}

export function createPostgresRateLimiter(
  pool: pg.Pool,
  options: {
    limit: number;
    windowMs: number;
    name: string;
    now?: () => number;
    /** Instances alive, this one included; null when unknown. */
    instances: () => number | null;
    log: Logger;
  },
): BatchedRateLimiter {
  const { limit, windowMs, name, log } = options;
  const now = options.now ?? Date.now;
  const counters = new Map<string, Counter>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let failing = false;
  let statements = 0;

  const decision = (allowed: boolean, weighted: number, t: number, start: number): RateDecision => {
    const resetSeconds = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
    return allowed
      ? { allowed, limit, remaining: Math.max(0, Math.floor(limit - weighted - 1)), resetSeconds }
      : { allowed, limit, remaining: 0, resetSeconds };
  };

  /** Now and then, drop keys idle for two windows (they weigh nothing any more). */
  const tidy = (start: number) => {
    if (++statements % 1000 === 0) pool.query(FORGET_IDLE, [start - windowMs, `${name}:`, `${name};`]).catch(() => {});
  };

  async function hitInDatabase(key: string, t: number): Promise<RateDecision> {
    const start = t - (t % windowMs);
    const elapsed = (t - start) / windowMs;
    const { rows } = await pool.query<{ current: number; previous: number; last_allowed: boolean }>({
      name: 'invoker_rate_hit',
      text: HIT,
      values: [`${name}:${key}`, start, windowMs, elapsed, limit],
    });
    tidy(start);
    const row = rows[0] as { current: number; previous: number; last_allowed: boolean };
    return decision(row.last_allowed, row.previous * (1 - elapsed) + (row.current - 1), t, start);
  }

  /** Moves a counter to the window of t: what was current becomes previous, or both are forgotten. */
  function roll(c: Counter, start: number): void {
    if (c.windowStart === start) return;
    const adjacent = start - c.windowStart === windowMs;
    c.knownPrevious = adjacent ? c.knownCurrent : 0;
    // Own hits two windows back weigh nothing: they need not be added.
    c.ownPrevious = adjacent ? c.ownCurrent : 0;
    c.knownCurrent = 0;
    c.ownCurrent = 0;
    c.windowStart = start;
  }

  function counterOf(key: string, start: number): Counter {
    let c = counters.get(key);
    if (!c) {
      if (counters.size >= MAX_KEYS) evict();
      c = { windowStart: start, knownCurrent: 0, knownPrevious: 0, ownCurrent: 0, ownPrevious: 0 };
      counters.set(key, c);
    }
    roll(c, start);
    return c;
  }

  function evict(): void {
    for (const [key, c] of counters) {
      if (c.ownCurrent === 0 && c.ownPrevious === 0) counters.delete(key);
      if (counters.size < MAX_KEYS * 0.9) return;
    }
  }

  async function addCounts(): Promise<void> {
    const keys: string[] = [];
    const taken: Array<[Counter, number, number, number]> = [];
    for (const [key, c] of counters) {
      if (c.ownCurrent === 0 && c.ownPrevious === 0) continue;
      keys.push(key);
      taken.push([c, c.windowStart, c.ownCurrent, c.ownPrevious]);
      c.ownCurrent = 0;
      c.ownPrevious = 0;
    }
    if (keys.length === 0) return;
    let rows: Array<{ key: string; window_start: string; current: number; previous: number }>;
    try {
      ({ rows } = await pool.query({
        name: 'invoker_rate_add',
        text: ADD,
        values: [keys.map((k) => `${name}:${k}`), taken.map((x) => x[1]), taken.map((x) => x[2]), taken.map((x) => x[3]), windowMs],
      }));
    } catch (e) {
      // Kept for the next flush: admitted hits are never dropped.
      for (const [c, start, current, previous] of taken) {
        if (c.windowStart === start) {
          c.ownCurrent += current;
          c.ownPrevious += previous;
        } else if (c.windowStart === start + windowMs) c.ownPrevious += current;
      }
      if (!failing) log.warn(`PostgreSQL rate limit "${name}": adding counts failed (${(e as Error).message}); retrying.`);
      failing = true;
      throw e;
    }
    if (failing) log.info(`PostgreSQL rate limit "${name}": adding counts works again.`);
    failing = false;
    tidy(now());
    const prefix = name.length + 1;
    for (const row of rows) {
      const c = counters.get(row.key.slice(prefix));
      if (!c) continue;
      const start = Number(row.window_start);
      // The database's counts, seen from the counter's window (which may have rolled meanwhile).
      if (start === c.windowStart) {
        c.knownCurrent = row.current;
        c.knownPrevious = row.previous;
      } else if (start === c.windowStart - windowMs) {
        c.knownPrevious = row.current;
      } else if (start === c.windowStart + windowMs) {
        // Another instance's clock is ahead: count everything as this window's, to be safe.
        c.knownCurrent = row.current + row.previous;
      }
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    // One flush at a time; one asked for meanwhile runs right after, with what came in since.
    flushing = (flushing ?? Promise.resolve()).then(addCounts, addCounts).finally(() => {
      if (counters.size && [...counters.values()].some((c) => c.ownCurrent || c.ownPrevious)) schedule();
    });
    const mine = flushing;
    void mine.catch(() => {}).then(() => {
      if (flushing === mine) flushing = undefined;
    });
    return mine;
  }

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => void flush().catch(() => {}), FLUSH_MS);
    timer.unref();
  }

  return {
    limit,
    windowSeconds: Math.ceil(windowMs / 1000),
    flush,
    async hit(key): Promise<RateDecision> {
      const instances = options.instances();
      const slack = instances === null ? 0 : Math.floor((SHARE * limit) / instances);
      let t = now();
      if (slack < 1) return hitInDatabase(key, t);
      let c = counterOf(key, t - (t % windowMs));
      while (c.ownCurrent + c.ownPrevious >= slack) {
        await flush();
        t = now();
        c = counterOf(key, t - (t % windowMs));
      }
      const elapsed = (t - c.windowStart) / windowMs;
      const weighted = (c.knownPrevious + c.ownPrevious) * (1 - elapsed) + c.knownCurrent + c.ownCurrent;
      if (weighted + 1 > limit) return decision(false, weighted, t, c.windowStart);
      c.ownCurrent++;
      schedule();
      return decision(true, weighted, t, c.windowStart);
    },
  };
}

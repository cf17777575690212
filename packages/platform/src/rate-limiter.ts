// What a rate limiter is, apart from where it counts: the in-memory sliding window
// (server/rate-limit.ts) and the one shared through PostgreSQL (store/postgres-rate-limit.ts) are
// both this. Here, not in server/ or store/, so each can import it without importing the other.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the budget has room again (when refused) or the window rolls over. */
  resetSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  hit(key: string): Promise<RateDecision>;
}

/**
 * Makes a named limiter (the name keeps budgets apart where they share storage). The platform passes
 * one that counts in PostgreSQL when several instances share it; unset means in memory.
 */
export type RateLimiterFactory = (options: { name: string; limit: number; windowMs: number; now?: () => number }) => RateLimiter;

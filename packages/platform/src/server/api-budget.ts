// The per-IP budget across the API (INVOKER_RATE_LIMIT requests a minute) with the IETF RateLimit
// headers on every answer. One decision serves the Hono middleware and the node:http lane
// (node-lane.ts), so a request is counted and answered the same way whichever path takes it.
import type { ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import { clientIp, rateLimitKey } from './client-ip.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorResponse } from './http-errors.js';
import type { RateLimiter } from './rate-limit.js';

export interface BudgetDecision {
  /** RateLimit-Policy and RateLimit, for the answer whatever it is. */
  headers: Record<string, string>;
  /** Set when the address is over its budget: the 429 to send instead of the answer. */
  refusal: AppError | null;
}

/** Spends one request of the client address's budget. */
export function apiBudget(limiter: RateLimiter): (clientAddress: string) => Promise<BudgetDecision> {
  const policy = `"ip";q=${limiter.limit};w=${limiter.windowSeconds}`;
  return async (clientAddress) => {
    const decision = await limiter.hit(rateLimitKey(clientAddress));
    const headers = { 'RateLimit-Policy': policy, RateLimit: `"ip";r=${decision.remaining};t=${decision.resetSeconds}` };
    const refusal = decision.allowed
      ? null
      : new AppError('rate_limited', `Too many requests from your address (limit ${limiter.limit} per minute). Retry after ${decision.resetSeconds} seconds.`, {
          retryAfterSeconds: decision.resetSeconds,
        });
    return { headers, refusal };
  };
}

export function apiBudgetMiddleware(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const spend = apiBudget(deps.apiRateLimiter);
  return async (c, next) => {
    const { headers, refusal } = await spend(clientIp(c, deps.trustProxy));
    // Served on node:http, the headers go on the outgoing message, which merges them into the head
    // it writes. Setting them on c.res instead makes @hono/node-server turn the response's plain
    // header object into a web Headers, which costs more than the rest of a small answer.
    // In-process requests (tests) have no outgoing message and take the web Headers route.
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing) for (const [k, v] of Object.entries(headers)) outgoing.setHeader(k, v);
    const withHeaders = (res: Response) => {
      if (!outgoing) for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
      return res;
    };
    if (refusal) return withHeaders(errorResponse(c, refusal));
    await next();
    withHeaders(c.res);
  };
}

// Types shared by the platform's Hono app, its route modules and the node:http lane.
import type { Context } from 'hono';
import type { LoginSettings } from '../config.js';
import type { KeyPrincipal } from '../services/keys.js';
import type { OrgRecord } from '../services/orgs.js';
import type { ServiceDeps } from '../services/deps.js';
import type { Mailer } from './mailer.js';
import type { RateLimiter, RateLimiterFactory } from './rate-limit.js';

import type { Logger } from '../logger.js';

export type { Logger };

export interface AppDeps extends ServiceDeps {
  log: Logger;
  /** Requests per minute per client IP across the API. */
  apiRateLimiter: RateLimiter;
  /** Reverse-proxy hops whose X-Forwarded-For entries are trusted (INVOKER_TRUST_PROXY). */
  trustProxy: number;
  /** The sign-in routes' per-minute limiters: shared between instances when set, in memory otherwise. */
  rateLimiters?: RateLimiterFactory;
  /** Sign-in mail; unset means development mode (codes go to the log). */
  mailer?: Mailer;
}

export type { LoginSettings };

export interface AppEnv {
  Variables: {
    principal: KeyPrincipal;
    /** The org a resource route acts on, after org scoping (`c` when the route is unscoped). */
    org: OrgRecord;
    orgId: string;
  };
}

export type AppContext = Context<AppEnv>;

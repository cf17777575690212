// Types shared by the platform's Hono app and its route modules.
import type { Context } from 'hono';
import type { Limits, LoginSettings } from '../config.js';
import type { Store, KeyPrincipal, OrgRecord } from '../store/store.js';
import type { Mailer } from './mailer.js';
import type { RateLimiter, RateLimiterFactory } from './rate-limit.js';
import type { PlatformUrls } from './urls.js';
import type { Logger } from '../logger.js';

export type { Logger } from '../logger.js';

export interface AppDeps {
  store: Store;
  urls: PlatformUrls;
  /** Every limit the SPEC names (config.ts: one setting each). */
  limits: Limits;
  now: () => Date;
  log: Logger;
  /** Requests per minute per client IP across the API. */
  apiRateLimiter: RateLimiter;
  /** Form submissions per minute per site per client IP. */
  submissionLimiter: RateLimiter;
  /** Reverse-proxy hops whose X-Forwarded-For entries are trusted (INVOKER_TRUST_PROXY). */
  trustProxy: number;
  /** The sign-in routes' per-minute limiters: shared between instances when set, in memory otherwise. */
  rateLimiters?: RateLimiterFactory;
  /** Sign-in mail; unset means development mode (codes go to the log). */
  mailer?: Mailer;
  /** Sign-in settings (defaults: config.ts); tests shorten nothing real, they move the injected clock instead. */
  login?: Partial<LoginSettings>;
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

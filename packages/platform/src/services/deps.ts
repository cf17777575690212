// What the services are given (STYLE.md: side effects at the edges). Services keep this object and
// read it at each call, never a copy: a test that moves the clock or lowers a limit on its deps sees
// the services follow.
import { randomInt } from 'node:crypto';
import { newId, type IdPrefix } from 'invoker-mcp/contract/ids.js';
import { generateSlug } from 'invoker-mcp/contract/slug.js';
import { DEFAULT_ANONYMOUS_SETTINGS, DEFAULT_FORMS_SETTINGS, type AnonymousSettings, type DomainSettings, type FormsSettings, type Limits, type LoginSettings } from '../config.js';
import type { OutboundPolicy } from '../outbound-fetch.js';
import type { ServerSecret } from '../server-secret.js';
import type { RateLimiter, RateLimiterFactory } from '../rate-limiter.js';
import type { Store } from '../store/store.js';
import type { PlatformUrls } from './urls.js';

export interface ServiceDeps {
  store: Store;
  urls: PlatformUrls;
  /** Every limit the SPEC names (config.ts: one setting each). */
  limits: Limits;
  now: () => Date;
  /** Form submissions per minute per site per client IP. */
  submissionLimiter: RateLimiter;
  /** Sign-in settings over the defaults (config.ts). */
  login?: Partial<LoginSettings>;
  /** Ids, preview tokens and generated slugs; crypto-random unless a test passes its own. */
  random?: Randomness;
  /** INVOKER_SECRET (server-secret.ts): signs and seals what every instance must read. */
  secret: ServerSecret;
  /** Requests to addresses a tenant chose go through guardedFetch with this (outbound-fetch.ts). */
  outbound: Pick<OutboundPolicy, 'allowPrivate' | 'resolve'>;
  /** Webhook retries, notification throttle, job pace, over the defaults (config.ts). */
  forms?: Partial<FormsSettings>;
  /** Anonymous deploys over the defaults (config.ts): off unless enabled. */
  anonymous?: Partial<AnonymousSettings>;
  /** Told when an event entered the webhook outbox, so this process delivers it at once (server/jobs). */
  outboxWritten?: () => void;
  /** Custom-domain verification over the defaults (config.ts). */
  domains?: Partial<DomainSettings>;
  /** TXT records of a name (domain verification); the system resolver unless INVOKER_DNS_SERVERS names others. */
  resolveTxt?: (name: string) => Promise<string[][]>;
}

/** What the services are handed ready-made by whoever builds them (the server: server/context.ts). */
export interface ServiceAdapters {
  /** Sign-in mail; development mode passes one that writes to the log. */
  mailer: LoginMailer;
  /** Named per-minute limiters for sign-in: in memory, or shared through PostgreSQL. */
  rateLimiters: RateLimiterFactory;
}

/** The one mail the platform sends: a sign-in code (server/mailer.ts implements it over SMTP or the log). */
export interface LoginMailer {
  sendLoginCode(mail: LoginCodeMail): Promise<void>;
  /** Any other mail of the platform, plain text (form notifications, address confirmations). */
  sendText?(mail: TextMail): Promise<void>;
}

export interface TextMail {
  to: string;
  subject: string;
  text: string;
}

export interface LoginCodeMail {
  to: string;
  code: string;
  /** The page where the person enters the code: opening it shows the page and consumes nothing. */
  link: string;
  clientName: string;
  userCode: string;
  /** How long the code lasts, e.g. "10 minutes" (INVOKER_LOGIN_TTL_MINUTES). */
  expiresIn: string;
}

export interface Randomness {
  id(prefix: IdPrefix): string;
  /** 16 base36 characters (~82 bits): host names ignore case, so lower-case letters and digits only. */
  previewToken(): string;
  /** A readable, hard-to-guess slug like `bright-forest-x7k2`. */
  slug(): string;
}

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const cryptoRandomness: Randomness = {
  id: newId,
  previewToken() {
    let out = '';
    for (let i = 0; i < 16; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
    return out;
  },
  slug: generateSlug,
};

export function randomnessOf(deps: Pick<ServiceDeps, 'random'>): Randomness {
  return deps.random ?? cryptoRandomness;
}

/** The anonymous-deploy settings: the deps' over the defaults (off). */
export function anonymousSettingsOf(deps: Pick<ServiceDeps, 'anonymous'>): AnonymousSettings {
  return { ...DEFAULT_ANONYMOUS_SETTINGS, ...deps.anonymous };
}

/** The forms features' settings: the deps' over the defaults. */
export function formsSettingsOf(deps: Pick<ServiceDeps, 'forms'>): FormsSettings {
  return { ...DEFAULT_FORMS_SETTINGS, ...deps.forms };
}

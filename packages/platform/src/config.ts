// The platform's settings (SPEC sections 2 and 10): flags and environment variables parsed into one
// validated ServeConfig. Pure: the caller passes the environment in. Precedence everywhere: flag >
// environment > default.
import envPaths from 'env-paths';
import { integer, url, type Env } from 'invoker-mcp/config.js';
import { AppError } from 'invoker-mcp/errors.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeConfig {
  port: number;
  host: string;
  /** Unset means `http://localhost:{bound port}`, known only once the server listens. */
  publicUrl: string | undefined;
  /** Unset means `localhost:{bound port}`. */
  sitesDomain: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  rateLimit: number;
  trustProxy: number;
  limits: Limits;
  login: LoginSettings;
  postgres: PostgresSettings;
  /** INVOKER_SECRET; unset on SQLite means the one kept in the data dir (server-secret.ts). */
  secret: string | undefined;
  /** INVOKER_ALLOW_PRIVATE_FETCH=1: outbound requests may reach private addresses (outbound-fetch.ts). */
  allowPrivateFetch: boolean;
  /** Webhooks, notification mail and retention (SPEC section 13). */
  forms: FormsSettings;
  /** Custom-domain verification (SPEC section 15). */
  domains: DomainSettings;
  /** Deploys without a key (SPEC section 14): off unless INVOKER_ANONYMOUS_DEPLOYS=1. */
  anonymous: AnonymousSettings;
}

/** Anonymous deploys (SPEC section 14); each an environment variable. */
export interface AnonymousSettings {
  /** INVOKER_ANONYMOUS_DEPLOYS=1: POST /deploy without an Authorization header makes a short-lived site. */
  enabled: boolean;
  /** How long an unclaimed anonymous site lives (INVOKER_ANONYMOUS_TTL_SECONDS; a day). */
  ttlSeconds: number;
  /** Anonymous deploys per client IP per hour (INVOKER_ANONYMOUS_DEPLOYS_PER_HOUR). */
  perIpPerHour: number;
}

/** How custom domains are verified (SPEC section 15). */
export interface DomainSettings {
  /**
   * INVOKER_DNS_SERVERS: the DNS servers (`ip` or `ip:port`, comma-separated) the platform asks for
   * TXT records and for the addresses of outbound fetches; unset: the system's resolver.
   */
  dnsServers: string[] | undefined;
  /** INVOKER_DOMAIN_HTTP_PORT: the port the HTTP token is fetched from (80: where DNS points a browser). */
  httpPort: number;
  /** INVOKER_MAX_DOMAINS: custom domains per site (apex, www, ...), pending or verified. */
  perSite: number;
}

export const DEFAULT_DOMAIN_SETTINGS: DomainSettings = deepFreeze({ dnsServers: undefined, httpPort: 80, perSite: 10 });

/** The forms features' settings (SPEC section 13); each an environment variable. */
export interface FormsSettings {
  /**
   * Seconds to wait before each retry of a failed webhook delivery (INVOKER_WEBHOOK_RETRY_SECONDS):
   * the first attempt is at once, then one retry per entry, then the delivery is failed.
   */
  webhookRetrySeconds: number[];
  /** One attempt, connection to last byte (INVOKER_WEBHOOK_TIMEOUT_SECONDS). */
  webhookTimeoutMs: number;
  /** Webhooks per site (INVOKER_MAX_WEBHOOKS). */
  webhooksPerSite: number;
  /** At most one notification mail per site per this many seconds (INVOKER_NOTIFY_INTERVAL_SECONDS). */
  notifyIntervalSeconds: number;
  /** How often the background jobs look for due work, in milliseconds (INVOKER_JOBS_INTERVAL_MS). */
  jobsIntervalMs: number;
}

/** How each process uses PostgreSQL when DATABASE_URL names one (SPEC section 16). */
export interface PostgresSettings {
  /** Pooled connections per process, besides the one that listens (INVOKER_PG_POOL). */
  max: number;
  /** PostgreSQL cancels a statement running longer (INVOKER_PG_STATEMENT_TIMEOUT_MS); 0: never. */
  statementTimeoutMs: number;
  /** Wait before each attempt to reconnect the listening connection (INVOKER_PG_RECONNECT_MS). */
  reconnectMs: number;
}

/**
 * Every limit the SPEC names, as one object (SPEC section 10: limits are settings). Messages that
 * name a limit read it from here, never from a literal.
 */
export interface Limits {
  maxFileBytes: number;
  maxDeployBytes: number;
  maxFiles: number;
  /** Active sites per org. */
  maxSites: number;
  /** Form submissions: the whole request body. */
  submissionBytes: number;
  /** Per site per client IP. */
  submissionsPerMinute: number;
  /** Request bodies by route class, checked before any of the body is parsed (server/body-limits.ts). */
  bodyBytes: { signIn: number; api: number; deploy: number; anonymousDeploy: number };
  /** Deeper JSON is refused with a 400 before any handler walks it. */
  jsonDepth: number;
  /** An uploaded file, on a site that accepts uploads (its submissions may be this much larger). */
  uploadBytes: number;
  /** Every uploaded file of one site together. */
  siteUploadBytes: number;
  /** Counter names per site (SPEC section 14). */
  countersPerSite: number;
  /** Increments of one counter per client IP. */
  counterIncrementsPerMinute: number;
  /** Password tries on one protected site per client IP. */
  passwordTriesPerMinute: number;
}

/** The browser login and the dashboard sign-in (SPEC section 6). */
export interface LoginSettings {
  /** Seconds between client polls. */
  intervalSeconds: number;
  /** Session lifetime in seconds. */
  ttlSeconds: number;
  maxCodeAttempts: number;
  /** Per minute: new sessions per IP, codes mailed per email and per IP, verification tries per IP. */
  sessionsPerIp: number;
  codesPerEmail: number;
  codesPerIp: number;
  verifyPerIp: number;
}

const KB = 1024;
const MB = 1024 * 1024;

export const DEFAULT_LIMITS: Limits = deepFreeze({
  maxFileBytes: 5 * MB,
  maxDeployBytes: 25 * MB,
  maxFiles: 500,
  maxSites: 100,
  submissionBytes: 64 * KB,
  submissionsPerMinute: 10,
  // 40 MB leaves room for 25 MB of files sent as base64 (4/3) inside JSON.
  bodyBytes: { signIn: 16 * KB, api: 1 * MB, deploy: 40 * MB, anonymousDeploy: 5 * MB },
  jsonDepth: 64,
  uploadBytes: 10 * MB,
  siteUploadBytes: 1024 * MB,
  countersPerSite: 50,
  counterIncrementsPerMinute: 60,
  passwordTriesPerMinute: 10,
});

/**
 * About a day of retries, the schedule Standard Webhooks senders use: 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h (27.6 hours in all, 8 attempts).
 */
export const DEFAULT_FORMS_SETTINGS: FormsSettings = deepFreeze({
  webhookRetrySeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
  webhookTimeoutMs: 10_000,
  webhooksPerSite: 10,
  notifyIntervalSeconds: 60,
  jobsIntervalMs: 1000,
});

export const DEFAULT_ANONYMOUS_SETTINGS: AnonymousSettings = deepFreeze({
  enabled: false,
  ttlSeconds: 24 * 3600,
  perIpPerHour: 3,
});

export const DEFAULT_LOGIN_SETTINGS: LoginSettings = deepFreeze({
  intervalSeconds: 3,
  ttlSeconds: 600,
  maxCodeAttempts: 5,
  sessionsPerIp: 5,
  codesPerEmail: 3,
  codesPerIp: 10,
  verifyPerIp: 10,
});

/** Shared defaults: a test or caller that wants other values makes its own copy. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  return Object.freeze(value);
}

/** How a deploy body relates to the files it carries: base64 (4/3) plus JSON escaping. */
const DEPLOY_BODY_FACTOR = 1.6;

export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  'data-dir'?: string | undefined;
}

export function defaultDataDir(env: Env): string {
  return env.INVOKER_DATA_DIR || envPaths('invoker', { suffix: '' }).data;
}

/** A whole-number setting: its default when unset or empty, else checked against its range. */
function setting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  return raw ? integer(name, raw, min, max) : fallback;
}

/** An on/off setting: `1` turns it on; unset, empty or `0` leaves it off; anything else is a config error. */
function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim();
  if (!raw || raw === '0') return false;
  if (raw === '1') return true;
  throw new AppError('config', `${name} must be 1 (on) or 0 (off); got "${raw}".`);
}

export function parseLimits(env: Env): Limits {
  const d = DEFAULT_LIMITS;
  const maxDeployMb = setting(env, 'INVOKER_MAX_DEPLOY_MB', d.maxDeployBytes / MB, 1, 100_000);
  return {
    maxFileBytes: setting(env, 'INVOKER_MAX_FILE_MB', d.maxFileBytes / MB, 1, 100_000) * MB,
    maxDeployBytes: maxDeployMb * MB,
    maxFiles: setting(env, 'INVOKER_MAX_FILES', d.maxFiles, 1, 1_000_000),
    maxSites: setting(env, 'INVOKER_MAX_SITES', d.maxSites, 1, 10_000_000),
    submissionBytes: setting(env, 'INVOKER_MAX_SUBMISSION_KB', d.submissionBytes / KB, 1, 1_000_000) * KB,
    submissionsPerMinute: setting(env, 'INVOKER_SUBMISSIONS_PER_MINUTE', d.submissionsPerMinute, 1, 10_000_000),
    bodyBytes: {
      signIn: setting(env, 'INVOKER_MAX_SIGN_IN_BODY_KB', d.bodyBytes.signIn / KB, 1, 1_000_000) * KB,
      api: setting(env, 'INVOKER_MAX_API_BODY_KB', d.bodyBytes.api / KB, 1, 10_000_000) * KB,
      // Follows INVOKER_MAX_DEPLOY_MB unless set: a larger deploy limit needs a larger body.
      deploy: setting(env, 'INVOKER_MAX_DEPLOY_BODY_MB', Math.ceil(maxDeployMb * DEPLOY_BODY_FACTOR), 1, 1_000_000) * MB,
      // A deploy without a key (SPEC section 10: 5 MB).
      anonymousDeploy: setting(env, 'INVOKER_ANONYMOUS_MAX_MB', d.bodyBytes.anonymousDeploy / MB, 1, 100_000) * MB,
    },
    jsonDepth: setting(env, 'INVOKER_MAX_JSON_DEPTH', d.jsonDepth, 2, 10_000),
    uploadBytes: setting(env, 'INVOKER_MAX_UPLOAD_MB', d.uploadBytes / MB, 1, 100_000) * MB,
    siteUploadBytes: setting(env, 'INVOKER_MAX_SITE_UPLOADS_MB', d.siteUploadBytes / MB, 1, 100_000_000) * MB,
    countersPerSite: setting(env, 'INVOKER_MAX_COUNTERS', d.countersPerSite, 1, 100_000),
    counterIncrementsPerMinute: setting(env, 'INVOKER_COUNTER_INCREMENTS_PER_MINUTE', d.counterIncrementsPerMinute, 1, 10_000_000),
    passwordTriesPerMinute: setting(env, 'INVOKER_SITE_PASSWORD_TRIES_PER_MINUTE', d.passwordTriesPerMinute, 1, 10_000),
  };
}

/** A comma list of whole seconds, e.g. "1,1,1"; empty means no retries. */
function secondsList(env: Env, name: string, fallback: readonly number[]): number[] {
  const raw = env[name];
  if (raw === undefined) return [...fallback];
  if (raw.trim() === '') return [];
  return raw.split(',').map((part) => integer(name, part.trim(), 0, 7 * 24 * 3600));
}

export function parseFormsSettings(env: Env): FormsSettings {
  const d = DEFAULT_FORMS_SETTINGS;
  return {
    webhookRetrySeconds: secondsList(env, 'INVOKER_WEBHOOK_RETRY_SECONDS', d.webhookRetrySeconds),
    webhookTimeoutMs: setting(env, 'INVOKER_WEBHOOK_TIMEOUT_SECONDS', d.webhookTimeoutMs / 1000, 1, 300) * 1000,
    webhooksPerSite: setting(env, 'INVOKER_MAX_WEBHOOKS', d.webhooksPerSite, 1, 1000),
    notifyIntervalSeconds: setting(env, 'INVOKER_NOTIFY_INTERVAL_SECONDS', d.notifyIntervalSeconds, 1, 24 * 3600),
    jobsIntervalMs: setting(env, 'INVOKER_JOBS_INTERVAL_MS', d.jobsIntervalMs, 10, 60_000),
  };
}

export function parseAnonymousSettings(env: Env): AnonymousSettings {
  const d = DEFAULT_ANONYMOUS_SETTINGS;
  return {
    enabled: flag(env, 'INVOKER_ANONYMOUS_DEPLOYS'),
    ttlSeconds: setting(env, 'INVOKER_ANONYMOUS_TTL_SECONDS', d.ttlSeconds, 1, 365 * 24 * 3600),
    perIpPerHour: setting(env, 'INVOKER_ANONYMOUS_DEPLOYS_PER_HOUR', d.perIpPerHour, 1, 10_000_000),
  };
}

export function parseLoginSettings(env: Env): LoginSettings {
  const d = DEFAULT_LOGIN_SETTINGS;
  return {
    intervalSeconds: d.intervalSeconds,
    ttlSeconds: setting(env, 'INVOKER_LOGIN_TTL_MINUTES', d.ttlSeconds / 60, 1, 24 * 60) * 60,
    maxCodeAttempts: setting(env, 'INVOKER_LOGIN_MAX_ATTEMPTS', d.maxCodeAttempts, 1, 100),
    sessionsPerIp: setting(env, 'INVOKER_LOGIN_SESSIONS_PER_MINUTE', d.sessionsPerIp, 1, 10_000_000),
    codesPerEmail: setting(env, 'INVOKER_LOGIN_CODES_PER_EMAIL', d.codesPerEmail, 1, 10_000_000),
    codesPerIp: setting(env, 'INVOKER_LOGIN_CODES_PER_IP', d.codesPerIp, 1, 10_000_000),
    verifyPerIp: setting(env, 'INVOKER_LOGIN_VERIFY_PER_MINUTE', d.verifyPerIp, 1, 10_000_000),
  };
}

const DNS_SERVER = /^(\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-f:.]+\](?::\d{1,5})?|[0-9a-f:.]*:[0-9a-f:.]*)$/i;

export function parseDomainSettings(env: Env): DomainSettings {
  const raw = env.INVOKER_DNS_SERVERS?.trim();
  const servers = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const bad = servers.find((s) => !DNS_SERVER.test(s));
  if (bad !== undefined) {
    throw new AppError('config', `INVOKER_DNS_SERVERS holds "${bad}", which is no IP address: give addresses such as 1.1.1.1 or 127.0.0.1:5353, comma-separated.`);
  }
  const d = DEFAULT_DOMAIN_SETTINGS;
  return {
    dnsServers: servers.length ? servers : undefined,
    httpPort: setting(env, 'INVOKER_DOMAIN_HTTP_PORT', d.httpPort, 1, 65535),
    perSite: setting(env, 'INVOKER_MAX_DOMAINS', d.perSite, 1, 1000),
  };
}

export function parseServeConfig(flags: ServeFlags, env: Env): ServeConfig {
  const portRaw = flags.port ?? env.PORT;
  const sitesDomain = env.INVOKER_SITES_DOMAIN?.trim().toLowerCase().replace(/^\.+|\/+$/g, '');
  return {
    port: portRaw === undefined ? DEFAULT_PORT : integer(flags.port !== undefined ? '--port' : 'PORT', portRaw, 0, 65535),
    host: flags.host ?? env.INVOKER_HOST ?? DEFAULT_HOST,
    publicUrl: env.INVOKER_PUBLIC_URL ? url('INVOKER_PUBLIC_URL', env.INVOKER_PUBLIC_URL) : undefined,
    sitesDomain: sitesDomain || undefined,
    dataDir: flags['data-dir'] ?? defaultDataDir(env),
    databaseUrl: env.DATABASE_URL || undefined,
    smtpUrl: env.INVOKER_SMTP_URL || undefined,
    mailFrom: env.INVOKER_MAIL_FROM || 'Invoker <no-reply@localhost>',
    rateLimit: setting(env, 'INVOKER_RATE_LIMIT', 500, 1, 10_000_000),
    trustProxy: setting(env, 'INVOKER_TRUST_PROXY', 0, 0, 10),
    limits: parseLimits(env),
    login: parseLoginSettings(env),
    postgres: {
      max: setting(env, 'INVOKER_PG_POOL', 10, 1, 1_000),
      statementTimeoutMs: setting(env, 'INVOKER_PG_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
      reconnectMs: setting(env, 'INVOKER_PG_RECONNECT_MS', 1_000, 10, 600_000),
    },
    secret: env.INVOKER_SECRET || undefined,
    allowPrivateFetch: flag(env, 'INVOKER_ALLOW_PRIVATE_FETCH'),
    forms: parseFormsSettings(env),
    domains: parseDomainSettings(env),
    anonymous: parseAnonymousSettings(env),
  };
}


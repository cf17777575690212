// Flags and environment variables (SPEC section 2) parsed into validated configuration objects.
// Pure: the caller passes the environment in. Precedence everywhere: flag > environment > default.
import { homedir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { AppError } from './errors.js';

export type Env = Record<string, string | undefined>;

export const DEFAULT_API_URL = 'https://api.invoker.page';
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
  maxSites: number;
}

export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  'data-dir'?: string | undefined;
}

function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('config', `${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return n;
}

function url(name: string, raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new AppError('config', `${name} must be an absolute http(s) URL such as http://localhost:8787; got "${raw}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('config', `${name} must use http or https; got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

export function defaultDataDir(env: Env): string {
  return env.INVOKER_DATA_DIR || envPaths('invoker', { suffix: '' }).data;
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
    rateLimit: env.INVOKER_RATE_LIMIT ? integer('INVOKER_RATE_LIMIT', env.INVOKER_RATE_LIMIT, 1, 10_000_000) : 500,
    trustProxy: env.INVOKER_TRUST_PROXY ? integer('INVOKER_TRUST_PROXY', env.INVOKER_TRUST_PROXY, 0, 10) : 0,
    maxSites: env.INVOKER_MAX_SITES ? integer('INVOKER_MAX_SITES', env.INVOKER_MAX_SITES, 1, 10_000_000) : 100,
  };
}

export interface ClientConfig {
  apiUrl: string;
  /** INVOKER_API_KEY, when set: it wins over the credentials file. */
  envApiKey: string | undefined;
  configDir: string;
  noBrowser: boolean;
}

export function defaultConfigDir(env: Env): string {
  return env.INVOKER_CONFIG_DIR || join(env.HOME || homedir(), '.invoker');
}

export function parseClientConfig(env: Env): ClientConfig {
  return {
    apiUrl: env.INVOKER_API_URL ? url('INVOKER_API_URL', env.INVOKER_API_URL) : DEFAULT_API_URL,
    envApiKey: env.INVOKER_API_KEY?.trim() || undefined,
    configDir: defaultConfigDir(env),
    noBrowser: env.INVOKER_NO_BROWSER === '1',
  };
}

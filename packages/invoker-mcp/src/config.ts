// The MCP server's and CLI's settings (SPEC section 2) parsed from the environment into one validated
// ClientConfig. Pure: the caller passes the environment in. The platform's settings (serve, admin)
// are the platform package's config.ts, built on the two parsers exported here.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from './errors.js';

export type Env = Record<string, string | undefined>;

export const DEFAULT_API_URL = 'https://api.invoker.page';

/** A whole number within [min, max], or a config error naming the setting. */
export function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('config', `${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return n;
}

/** An absolute http(s) URL without a trailing slash, or a config error naming the setting. */
export function url(name: string, raw: string): string {
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

export interface ClientConfig {
  apiUrl: string;
  /** INVOKER_API_KEY, when set: it wins over the credentials file. */
  envApiKey: string | undefined;
  configDir: string;
  noBrowser: boolean;
  /**
   * What a local folder may hold before it is sent (deploy PATH, the deploy tool's `path`): the
   * platform's limits, read from the same variables so a raised limit can be raised here too.
   */
  localLimits?: LocalLimits;
}

export interface LocalLimits {
  maxFileBytes: number;
  maxDeployBytes: number;
  maxFiles: number;
}

const MB = 1024 * 1024;
/** The hosted and default limits (SPEC section 5): 5 MB a file, 25 MB and 500 files a deploy. */
export const DEFAULT_LOCAL_LIMITS: LocalLimits = { maxFileBytes: 5 * MB, maxDeployBytes: 25 * MB, maxFiles: 500 };

function localLimits(env: Env): LocalLimits {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new AppError('config', `${name} must be a positive number; got "${raw}".`);
    return value;
  };
  const d = DEFAULT_LOCAL_LIMITS;
  return {
    maxFileBytes: number('INVOKER_MAX_FILE_MB', d.maxFileBytes / MB) * MB,
    maxDeployBytes: number('INVOKER_MAX_DEPLOY_MB', d.maxDeployBytes / MB) * MB,
    maxFiles: Math.floor(number('INVOKER_MAX_FILES', d.maxFiles)),
  };
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
    localLimits: localLimits(env),
  };
}

// Password-protected sites (SPEC section 14): the owner sets a password (PUT /deploy/{id}/password,
// 8 characters at least) or removes it; every path of the site on every host then answers the
// password page until the right password sets a cookie for that site only. The password is kept as
// an scrypt hash; the cookie is an HMAC under INVOKER_SECRET (purpose `site-password`) of the site's
// id, the password's version and an expiry, so it cannot be forged, opens no other site, verifies on
// any instance, and stops working when the password is changed or removed (the version moves on).
// INVOKER_SITE_PASSWORD_TRIES_PER_MINUTE tries per client IP per site, counted before the (slow)
// hash is computed, so a flood of guesses costs the server nothing.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SitePasswordStatus } from 'invoker-mcp/contract/extras.js';
import { PASSWORD_MAX, PASSWORD_MIN } from 'invoker-mcp/contract/extras.js';
import { AppError } from 'invoker-mcp/errors.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { SiteLock } from '../store/store.js';
import type { ServiceAdapters, ServiceDeps } from './deps.js';
import { escapeHtml } from './message-page.js';
import { ownedSite } from './sites.js';

export type SitePasswordDeps = Pick<ServiceDeps, 'store' | 'now' | 'limits' | 'secret'>;

/** N = 2^14, r = 8 (16 MB, tens of milliseconds): kept in each hash, so it can be raised later. */
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** How long one right password keeps a browser in. */
export const SITE_COOKIE_SECONDS = 7 * 24 * 3600;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keylen, { ...options, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))));
}

/** `scrypt$N$r$p$salt$key`, base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_BYTES, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.byteLength, { N: Number(n), r: Number(r), p: Number(p) });
  return got.byteLength === expected.byteLength && timingSafeEqual(got, expected);
}


/**
 * The cookie that holds the proof: on a site's own host one name, host-only (`__Host-` over https,
 * which the browser keeps host-only, Secure and Path=/); under /s/{slug}/ a name for the site, with
 * that path.
 */
export function siteCookieName(siteId: string, fallback: boolean, secure: boolean): string {
  if (fallback) return `invoker_site_${siteId}`;
  return secure ? '__Host-invoker_site' : 'invoker_site';
}

/** One cookie's value out of a Cookie header (the last one wins, as browsers order them most specific first). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type SitePasswordService = ReturnType<typeof sitePasswordService>;

export function sitePasswordService(deps: SitePasswordDeps, adapters: Pick<ServiceAdapters, 'rateLimiters'>) {
  let limiter: RateLimiter | undefined;
  const tries = () =>
    (limiter ??= adapters.rateLimiters({ name: 'site-password', limit: deps.limits.passwordTriesPerMinute, windowMs: 60_000, now: () => deps.now().getTime() }));
  const proofData = (siteId: string, version: number, expires: number) => `${siteId}|${version}|${expires}`;
  /** `{version}.{expires}.{mac}`: made under this purpose for the site's current password, not yet expired. */
  const verifies = (purpose: 'site-password' | 'site-counter', siteId: string, lock: SiteLock, token: string | null): boolean => {
    if (!token) return false;
    const [version, expires, mac] = token.split('.');
    if (!version || !expires || !mac || Number(version) !== lock.version) return false;
    if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= deps.now().getTime()) return false;
    return deps.secret.verify(purpose, proofData(siteId, lock.version, Number(expires)), mac);
  };

  return {
    /** Whether a Cookie header carries this site's proof for its current password. */
    admits: (siteId: string, lock: SiteLock, cookie: string | null): boolean => verifies('site-password', siteId, lock, cookie),

    /**
     * For a visitor admits() let in under the `/s/{slug}/` fallback: a pass to the site's counters
     * only (another key's MAC, so it opens no page even where it shows up in a log), ending with the
     * cookie it was made from. The site's pages carry it there (hosting.ts), since a sandboxed page's
     * requests carry no cookie.
     */
    counterPass(siteId: string, lock: SiteLock, cookie: string): string {
      const expires = Number(cookie.split('.')[1]);
      return `${lock.version}.${expires}.${deps.secret.sign('site-counter', proofData(siteId, lock.version, expires))}`;
    },

    /** Whether a counter request's pass was made by counterPass() for this site's current password. */
    admitsCounter: (siteId: string, lock: SiteLock, pass: string | null): boolean => verifies('site-counter', siteId, lock, pass),

    /**
     * A visitor's try: the cookie value to set when the password is right, null when it is wrong;
     * rate_limited past the budget (checked before the hash is computed).
     */
    async attempt(siteId: string, lock: SiteLock, password: string, ip: string | null): Promise<string | null> {
      const decision = await tries().hit(`${siteId}|${ip ?? 'unknown'}`);
      if (!decision.allowed) {
        throw new AppError('rate_limited', `Too many password tries from your address. Wait ${decision.resetSeconds} seconds, then try again.`, {
          retryAfterSeconds: decision.resetSeconds,
        });
      }
      if (password.length === 0 || password.length > PASSWORD_MAX || !(await passwordMatches(password, lock.hash))) return null;
      const expires = Math.floor(deps.now().getTime() / 1000) + SITE_COOKIE_SECONDS;
      return `${lock.version}.${expires}.${deps.secret.sign('site-password', proofData(siteId, lock.version, expires))}`;
    },

    async status(orgId: string, siteId: string): Promise<SitePasswordStatus> {
      const site = await ownedSite(deps.store, orgId, siteId);
      return { protected: Boolean((await deps.store.sitePassword(site.id))?.hash) };
    },

    /** Sets or changes the password: everyone signed in with an earlier one must type the new one. */
    async set(orgId: string, siteId: string, password: string): Promise<SitePasswordStatus> {
      if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
        throw new AppError('invalid_input', `A site password is ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long.`);
      }
      const site = await ownedSite(deps.store, orgId, siteId);
      await deps.store.setSitePassword(orgId, site.id, await hashPassword(password), deps.now().toISOString());
      return { protected: true };
    },

    /** Opens the site to everyone again. */
    async remove(orgId: string, siteId: string): Promise<void> {
      const site = await ownedSite(deps.store, orgId, siteId);
      await deps.store.setSitePassword(orgId, site.id, null, deps.now().toISOString());
    },
  };
}

/** The Content-Security-Policy of the password page: its inline style, a form to its own origin. */
export const PASSWORD_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}' +
  'label{display:block;font-weight:600;margin:.75rem 0 .25rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #6b7280;border-radius:.375rem}' +
  'button{font:inherit;margin-top:1rem;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff}button:focus,input:focus{outline:3px solid #93c5fd;outline-offset:1px}' +
  '.error{color:#b91c1c;font-weight:600}';

/**
 * The page a protected site answers until the password is given: one labelled password field, no
 * script. `action` is where the form posts (`/_password` on the site's host); `next` the path to
 * return to.
 */
export function passwordPage(options: { action: string; next: string; error?: string | null }): string {
  const error = options.error ? `<p class="error" role="alert" id="pw-error">${escapeHtml(options.error)}</p>` : '';
  const described = options.error ? ' aria-describedby="pw-error" aria-invalid="true"' : '';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>Password required</title><style>${STYLE}</style></head><body><main>` +
    '<h1>Password required</h1><p>This site is protected. Enter its password to continue.</p>' +
    error +
    `<form method="post" action="${escapeHtml(options.action)}"><input type="hidden" name="next" value="${escapeHtml(options.next)}">` +
    `<label for="password">Password</label><input id="password" name="password" type="password" required autocomplete="current-password" autofocus${described}>` +
    '<button type="submit">Continue</button></form></main></body></html>'
  );
}

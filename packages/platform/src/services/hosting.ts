// Hosting: the one implementation of a site's answers (SPEC sections 7 and 14): which file a request
// for a site gets, with which status and headers; the password page of a protected site; its
// counters (`/_counter/{name}`); its social preview image (`/_og.png`) and the social tags of its
// pages. The node:http lane (server/node-lane.ts) and the Hono app (server/app.ts: site hosts it is
// handed, and the `/s/{slug}/` fallback) both call answer() and only translate it to their
// transport, so a path answers the same on `{slug}.{domain}`, on a verified custom domain (answerDomain:
// that site's live version) and under `/s/{slug}/`, on either path.
// POST /_submit on a site's host asks gate() first (on a custom domain gateDomain()), so a protected
// site's form is closed too.
//
// The fallback carries a CSP sandbox without allow-same-origin, so user HTML never runs with the
// dashboard's origin. Failures a visitor's script reads (a counter's) are thrown as AppErrors, which
// each transport answers as JSON; everything a person reads is a page.
import { createHash } from 'node:crypto';
import { COUNTER_PASS_META } from 'invoker-mcp/contract/extras.js';
import { isMediaType } from 'invoker-mcp/contract/text.js';
import { AppError, toAppError } from 'invoker-mcp/errors.js';
import type { HostedLookup, SiteLock, SiteRecord, Store, StoredFile } from '../store/store.js';
import { siteExpired } from './anonymous.js';
import { chooseEncoding, compressed, isCompressible } from './compression.js';
import type { CountersService } from './counters.js';
import { messagePage } from './message-page.js';
import { candidatePaths, insertIntoHead, textOf } from './site-files.js';
import { cookieValue, PASSWORD_PAGE_CSP, passwordPage, SITE_COOKIE_SECONDS, siteCookieName, type SitePasswordService } from './site-password.js';
import { taggedFile, type PreviewFacts, type SocialPreviewService } from './social-preview.js';
import { domainUrl, fallbackUrl, liveUrl, previewUrl, type PlatformUrls } from './urls.js';

/** What a site-host label can hold (urls.ts classifyHost); slugs are narrower still. */
const SLUG_SHAPE = /^[a-z0-9-]{1,63}$/;

const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/** Where a protected site's password form posts, on the site's host or under `/s/{slug}`. */
export const PASSWORD_PATH = '/_password';
const COUNTER = /^\/_counter\/([^/]*)(\/increment)?$/;

export interface SiteRequest {
  slug: string;
  previewToken: string | null;
  /** Path inside the site as the client sent it (percent-encoded, no query), starting with "/". */
  path: string;
  method: string;
  ifNoneMatch: string | undefined;
  /** Accept-Encoding: text files go out brotli- or gzip-compressed when it allows. */
  acceptEncoding: string | undefined;
  /** The `/s/{slug}/` fallback on the platform's origin. */
  sandboxed: boolean;
  /** The Cookie header: a protected site's proof of its password. */
  cookie?: string | undefined;
  /** The client's address, for the budgets of password tries and counter increments. */
  ip?: string | null;
  /** The form a POST carries (the password form); only transports that take POSTs pass one. */
  readForm?: () => Promise<Record<string, unknown>>;
  /** The verified custom domain the request came on (set by answerDomain): its pages name that origin. */
  domain?: string;
  /**
   * A counter request's `?pass=` (COUNTER_PASS_PARAM) under the `/s/{slug}/` fallback: the pass a
   * protected site's pages carry there instead of the cookie their sandboxed requests cannot send.
   */
  counterPass?: string | null;
}

export interface SiteAnswer {
  status: 200 | 303 | 304 | 401 | 404 | 405 | 429;
  headers: Record<string, string>;
  /** Null for HEAD and 304. */
  body: Uint8Array | null;
}

/** A request on a custom domain: like a live host's, named by the domain. */
export type DomainRequest = Omit<SiteRequest, 'slug' | 'previewToken' | 'sandboxed'> & { domain: string };

/** What a host that is neither the platform's, a site's, nor a verified domain answers (JSON 404). */
export function unknownHost(sitesDomain: string): AppError {
  return new AppError('not_found', `Unknown host. Sites live at {slug}.${sitesDomain}.`);
}

/** The services a site's answer draws on besides the store (built over the same deps: index.ts). */
export interface HostingParts {
  counters: CountersService;
  passwords: SitePasswordService;
  previews: SocialPreviewService;
}

type HostingDeps = { store: Store; urls: PlatformUrls; now: () => Date } & HostingParts;

export type HostingService = ReturnType<typeof hostingService>;

export function hostingService(serviceDeps: { store: Store; urls: PlatformUrls; now: () => Date }, parts: HostingParts) {
  // Read through at each call: a test that swaps a field of its deps sees the answer follow.
  const deps: HostingDeps = {
    get store() {
      return serviceDeps.store;
    },
    get urls() {
      return serviceDeps.urls;
    },
    get now() {
      return serviceDeps.now;
    },
    ...parts,
  };
  return {
    /** The answer to a request for a path on a site's live or preview host (or under `/s/{slug}/`). */
    answer: (req: SiteRequest): Promise<SiteAnswer> => answerSite(deps, req),
    /**
     * The answer on a custom domain: the live version of the site that verified it, answered as its
     * slug host answers; null when the domain serves nothing (the caller answers unknownHost()).
     */
    async answerDomain(req: DomainRequest): Promise<SiteAnswer | null> {
      const hosted = await deps.store.findHostedByDomain(req.domain);
      if (!hosted) return null;
      const asSlugHost: SiteRequest = { ...req, slug: hosted.site.slug, previewToken: null, sandboxed: false };
      return methodRefused(asSlugHost) ?? answerHosted(deps, asSlugHost, hosted);
    },
    /** For POST /_submit on a site's host: the password page while the site is closed to this client, else null. */
    async gate(req: SiteRequest): Promise<SiteAnswer | null> {
      if (!SLUG_SHAPE.test(req.slug)) return null;
      return gateHosted(deps, req, await deps.store.findHosted(req.slug, req.previewToken));
    },
    /**
     * For POST /_submit on a custom domain: the site that verified it (its slug, for the submission)
     * and, as gate() answers, the password page while it is closed to this client; null when the
     * domain serves nothing.
     */
    async gateDomain(req: DomainRequest): Promise<{ slug: string; closed: SiteAnswer | null } | null> {
      const hosted = await deps.store.findHostedByDomain(req.domain);
      if (!hosted) return null;
      const slug = hosted.site.slug;
      return { slug, closed: gateHosted(deps, { ...req, slug, previewToken: null, sandboxed: false }, hosted) };
    },
  };
}

/** gate()'s rule for a found site: an expired site is left to the submission's own 404. */
function gateHosted(deps: HostingDeps, req: SiteRequest, hosted: HostedLookup | null): SiteAnswer | null {
  if (!hosted || siteExpired(hosted.site, deps.now)) return null;
  const { lock } = hosted;
  return lock && !admitted(deps, hosted.site, lock, req) ? passwordAnswer(req, 401, null, req.path) : null;
}

/** GET and HEAD everywhere; POST only to the password form and a counter's increment. */
function methodRefused(req: SiteRequest): SiteAnswer | null {
  const reserved = req.path === PASSWORD_PATH || COUNTER.test(req.path);
  if (req.method === 'GET' || req.method === 'HEAD' || (req.method === 'POST' && reserved)) return null;
  return notFoundPage(req, 405, 'This address only answers GET requests.');
}

/** The request's proof of the site's password (its cookie), or null. */
function siteCookie(deps: HostingDeps, site: SiteRecord, req: SiteRequest): string | null {
  return cookieValue(req.cookie, siteCookieName(site.id, req.sandboxed, deps.urls.scheme === 'https'));
}

function admitted(deps: HostingDeps, site: SiteRecord, lock: SiteLock, req: SiteRequest): boolean {
  return deps.passwords.admits(site.id, lock, siteCookie(deps, site, req));
}

/** A counter request under the fallback may show the pass its page carries instead of the cookie. */
function admittedToCounter(deps: HostingDeps, site: SiteRecord, lock: SiteLock, req: SiteRequest): boolean {
  return admitted(deps, site, lock, req) || (req.sandboxed && deps.passwords.admitsCounter(site.id, lock, req.counterPass ?? null));
}

/**
 * A protected site's page under the fallback, for a visitor its cookie let in: with the pass to its
 * counters (contract/extras.ts), made for this visitor, so the copy is this answer's alone.
 */
function withCounterPass(deps: HostingDeps, site: SiteRecord, lock: SiteLock, req: SiteRequest, file: StoredFile): StoredFile {
  const pass = deps.passwords.counterPass(site.id, lock, siteCookie(deps, site, req) as string);
  const html = insertIntoHead(textOf(file.body), `<meta name="${COUNTER_PASS_META}" content="${pass}">`);
  if (html === null) return file;
  const digest = createHash('sha256').update(pass).digest('base64url').slice(0, 10);
  return { path: file.path, contentType: file.contentType, etag: `${file.etag.slice(0, -1)}-p${digest}"`, body: Buffer.from(html) };
}

async function answerSite(deps: HostingDeps, req: SiteRequest): Promise<SiteAnswer> {
  const refused = methodRefused(req);
  if (refused) return refused;
  // A name no site can have (a /s/ path may hold anything) is not looked up at all.
  if (!SLUG_SHAPE.test(req.slug)) return notFoundPage(req, 404, 'There is no published site at this address.');
  const hosted = await deps.store.findHosted(req.slug, req.previewToken);
  if (!hosted) return notFoundPage(req, 404, 'There is no published site at this address.');
  return answerHosted(deps, req, hosted);
}

/**
 * What a request for a found site and version gets: its password page, a counter, its preview image
 * or a file. The caller has refused the methods no site answers (methodRefused).
 */
async function answerHosted(deps: HostingDeps, req: SiteRequest, hosted: HostedLookup): Promise<SiteAnswer> {
  // An anonymous site past its expiry is gone from the moment it expires, job or not.
  if (siteExpired(hosted.site, deps.now)) return notFoundPage(req, 404, 'There is no published site at this address.');
  const { store } = deps;
  const { site, version, lock } = hosted;

  if (req.path === PASSWORD_PATH && req.method === 'POST') return passwordPost(deps, site, lock, req);
  const counter = COUNTER.exec(req.path);
  if (lock && !(counter ? admittedToCounter(deps, site, lock, req) : admitted(deps, site, lock, req))) return passwordAnswer(req, 401, null, req.path);

  if (counter) return counterAnswer(deps, site, req, counter[1] as string, counter[2] !== undefined);
  if (req.path === '/_og.png' && req.method !== 'POST') return ogAnswer(deps, site, version, req, lock !== null);
  if (req.method === 'POST') return notFoundPage(req, 405, 'This address only answers GET requests.');

  let file: StoredFile | null = null;
  for (const candidate of candidatePaths(req.path)) {
    file = await store.getFile(site.id, version, candidate);
    if (file) break;
  }
  if (!file && site.isSpa) file = await store.getFile(site.id, version, 'index.html');
  let status: 200 | 404 = 200;
  if (!file) {
    file = await store.getFile(site.id, version, '404.html');
    if (!file) return notFoundPage(req, 404, 'This page does not exist on this site.');
    status = 404;
  }
  const type = servableType(file);
  if (/^text\/html\b/i.test(type)) {
    file = pageAsServed(deps.urls, site, version, req, file);
    if (lock && req.sandboxed) file = withCounterPass(deps, site, lock, req, file);
  }
  return await fileAnswer(req, file, status, lock !== null);
}

/**
 * Per page file (one version's), the last request that asked for it and the copy it got: the same
 * site record (the cache hands out one object until the site changes) and place answer the same
 * without building the facts and their key again. Measured on the live-page benchmark: tagging on
 * every request took ~11% of serve's CPU per request; a miss costs what taggedFile always did.
 */
const lastServed = new WeakMap<StoredFile, { site: SiteRecord; place: Place; copy: StoredFile }>();

/** What of a request decides its page's facts besides the site (kept instead of the request, which holds its cookie). */
type Place = Pick<SiteRequest, 'path' | 'sandboxed' | 'previewToken' | 'domain'>;

/** The page with its social tags for where this request asked for it (taggedFile, memoised per file). */
function pageAsServed(urls: PlatformUrls, site: SiteRecord, version: number, req: SiteRequest, file: StoredFile): StoredFile {
  const last = lastServed.get(file);
  if (last && last.site === site && samePlace(last.place, req)) return last.copy;
  const copy = taggedFile(file, previewFacts(urls, site, version, req));
  lastServed.set(file, { site, place: { path: req.path, sandboxed: req.sandboxed, previewToken: req.previewToken, domain: req.domain }, copy });
  return copy;
}

function samePlace(a: Place, b: Place): boolean {
  return a.path === b.path && a.sandboxed === b.sandboxed && a.previewToken === b.previewToken && a.domain === b.domain;
}

/** Where this request's page lives (absolute), for its og:url and og:image. */
function previewFacts(urls: PlatformUrls, site: SiteRecord, version: number, req: SiteRequest): PreviewFacts {
  const root = (req.domain !== undefined ? domainUrl(urls, req.domain) : req.sandboxed ? fallbackUrl(urls, site.slug) : req.previewToken ? previewUrl(urls, site.slug, req.previewToken) : liveUrl(urls, site.slug)).replace(/\/$/, '');
  // The record carries the newest version's metadata: a fallback for pages of that version only.
  const newest = version === site.latestVersion;
  return { url: root + req.path, image: `${root}/_og.png`, title: newest ? site.title : null, description: newest ? site.description : null, siteName: site.slug };
}

/**
 * The path a password form returns to: one inside the site (printable ASCII, as a path arrives
 * percent-encoded; no `//host` or backslash, which browsers would read as another host), else its
 * start page.
 */
function returnPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[!-[\]-~]{0,2000}$/.test(next) && next !== PASSWORD_PATH ? next : '/';
}

function sitePrefix(req: SiteRequest): string {
  return req.sandboxed ? `/s/${encodeURIComponent(req.slug)}` : '';
}

async function passwordPost(deps: HostingDeps, site: SiteRecord, lock: SiteLock | null, req: SiteRequest): Promise<SiteAnswer> {
  const form = req.readForm ? await req.readForm().catch(() => ({}) as Record<string, unknown>) : {};
  const next = returnPath(form.next);
  const back = (headers: Record<string, string> = {}): SiteAnswer => ({
    status: 303,
    headers: { location: sitePrefix(req) + next, 'cache-control': 'no-store', 'content-length': '0', ...headers },
    body: null,
  });
  if (!lock) return back();
  let cookie: string | null;
  try {
    cookie = await deps.passwords.attempt(site.id, lock, typeof form.password === 'string' ? form.password : '', req.ip ?? null);
  } catch (e) {
    const error = toAppError(e);
    if (error.code !== 'rate_limited') throw e;
    const answer = passwordAnswer(req, 429, error.message, next);
    answer.headers['retry-after'] = String(error.details.retryAfterSeconds ?? 60);
    return answer;
  }
  if (cookie === null) return passwordAnswer(req, 401, 'That is not the password. Check it and try again.', next);
  const secure = deps.urls.scheme === 'https';
  const name = siteCookieName(site.id, req.sandboxed, secure);
  const path = req.sandboxed ? `${sitePrefix(req)}/` : '/';
  return back({ 'set-cookie': `${name}=${cookie}; Path=${path}; Max-Age=${SITE_COOKIE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}` });
}

function passwordAnswer(req: SiteRequest, status: 401 | 429, error: string | null, next: string): SiteAnswer {
  const html = Buffer.from(passwordPage({ action: sitePrefix(req) + PASSWORD_PATH, next: returnPath(next), error }));
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PASSWORD_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-robots-tag': 'noindex, nofollow',
    'content-length': String(html.byteLength),
  };
  return { status, headers, body: req.method === 'HEAD' ? null : html };
}

async function counterAnswer(deps: HostingDeps, site: SiteRecord, req: SiteRequest, name: string, increment: boolean): Promise<SiteAnswer> {
  if (increment !== (req.method === 'POST')) {
    throw new AppError('not_found', 'Counters answer GET /_counter/{name} (the value) and POST /_counter/{name}/increment (one more).');
  }
  const value = increment ? await deps.counters.increment(site.id, name, req.ip ?? null) : await deps.counters.value(site.id, name);
  const body = Buffer.from(JSON.stringify(value));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // The /s/{slug}/ fallback's pages run sandboxed (an opaque origin): they read counters cross-origin.
    'access-control-allow-origin': '*',
    'content-length': String(body.byteLength),
  };
  return { status: 200, headers, body: req.method === 'HEAD' ? null : body };
}

async function ogAnswer(deps: HostingDeps, site: SiteRecord, version: number, req: SiteRequest, locked: boolean): Promise<SiteAnswer> {
  const etag = `"og-${site.id}-${version}"`;
  const headers = baseHeaders(req, 'image/png', locked);
  headers.etag = etag;
  if (req.ifNoneMatch === etag) return { status: 304, headers, body: null };
  const png = await deps.previews.image(site, version, new URL(liveUrl(deps.urls, site.slug)).host);
  headers['content-length'] = String(png.byteLength);
  return { status: 200, headers, body: req.method === 'HEAD' ? null : png };
}

/** Files whose stored content type was checked; the cache hands out the same objects again. */
const checked = new WeakSet<StoredFile>();

/**
 * Deploys refuse a content type that is no media type; a row written before that rule could still
 * hold one. Sending it would throw inside the transport, so it fails here, as a request failure
 * with an id in the log, saying what to do about it.
 */
function servableType(file: StoredFile): string {
  if (!checked.has(file)) {
    if (!isMediaType(file.contentType)) {
      throw new Error(`the stored content type of "${file.path}" is not a media type (${JSON.stringify(file.contentType)}); deploy the site again to replace it`);
    }
    checked.add(file);
  }
  return file.contentType;
}

function baseHeaders(req: SiteRequest, contentType: string, locked = false): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    // Revalidate every time so a publish or rollback shows at once; the ETag keeps it cheap. A
    // protected site's answers are for one browser: no shared cache may keep them.
    'cache-control': locked ? 'private, no-cache' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  if (req.sandboxed) headers['content-security-policy'] = SANDBOX_CSP;
  // A preview is for its owner's eyes: never in a search index, even when its link gets around.
  if (req.previewToken !== null) headers['x-robots-tag'] = 'noindex, nofollow';
  return headers;
}

async function fileAnswer(req: SiteRequest, file: StoredFile, status: 200 | 404, locked: boolean): Promise<SiteAnswer> {
  const headers = baseHeaders(req, servableType(file), locked);
  let body = file.body;
  let etag = file.etag;
  if (isCompressible(file)) {
    headers.vary = 'Accept-Encoding';
    const encoding = chooseEncoding(req.acceptEncoding);
    if (encoding) {
      body = await compressed(file, encoding);
      headers['content-encoding'] = encoding;
      // Each representation has its own strong validator: "abc" stays the identity's, "abc-br" is brotli's.
      etag = `${file.etag.slice(0, -1)}-${encoding}"`;
    }
  }
  headers.etag = etag;
  if (status === 200 && req.ifNoneMatch === etag) return { status: 304, headers, body: null };
  headers['content-length'] = String(body.byteLength);
  return { status, headers, body: req.method === 'HEAD' ? null : body };
}

function notFoundPage(req: SiteRequest, status: 404 | 405, message: string): SiteAnswer {
  const html = Buffer.from(messagePage({ title: 'Not found', paragraphs: [message] }));
  const headers = baseHeaders(req, 'text/html; charset=utf-8');
  headers['content-length'] = String(html.byteLength);
  return { status, headers, body: req.method === 'HEAD' ? null : html };
}


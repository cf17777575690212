// Hosting: the one implementation of a site's answers (SPEC section 7): which file a request for a
// site gets, with which status and headers. The node:http lane (server/node-lane.ts) and the Hono app
// (server/app.ts: site hosts it is handed, and the `/s/{slug}/` fallback) both call answer() and only
// translate it to their transport, so a path answers the same on `{slug}.{domain}`, on a verified
// custom domain (answerDomain: that site's live version) and under `/s/{slug}/`, on either path.
//
// The fallback carries a CSP sandbox without allow-same-origin, so user HTML never runs with the
// dashboard's origin.
import { isMediaType } from 'invoker-mcp/contract/text.js';
import { AppError } from 'invoker-mcp/errors.js';
import type { HostedLookup, Store, StoredFile } from '../store/store.js';
import { siteExpired } from './anonymous.js';
import { chooseEncoding, compressed, isCompressible } from './compression.js';
import { messagePage } from './message-page.js';
import { candidatePaths } from './site-files.js';

/** What a site-host label can hold (urls.ts classifyHost); slugs are narrower still. */
const SLUG_SHAPE = /^[a-z0-9-]{1,63}$/;

const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

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
}

export interface SiteAnswer {
  status: 200 | 304 | 404 | 405;
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

export type HostingService = ReturnType<typeof hostingService>;

export function hostingService(deps: { store: Store; now: () => Date }) {
  return {
    /** The answer to a GET or HEAD for a path on a site's live or preview host. */
    answer: (req: SiteRequest): Promise<SiteAnswer> => answerSite(deps.store, req, deps.now),
    /**
     * The answer on a custom domain: the live version of the site that verified it, answered as its
     * slug host answers; null when the domain serves nothing (the caller answers unknownHost()).
     */
    async answerDomain(req: DomainRequest): Promise<SiteAnswer | null> {
      const hosted = await deps.store.findHostedByDomain(req.domain);
      if (!hosted) return null;
      return answerHosted(deps.store, { ...req, slug: hosted.site.slug, previewToken: null, sandboxed: false }, hosted, deps.now);
    },
  };
}

async function answerSite(store: Store, req: SiteRequest, now: () => Date): Promise<SiteAnswer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return notFoundPage(req, 405, 'This address only answers GET requests.');
  }
  // A name no site can have (a /s/ path may hold anything) is not looked up at all.
  if (!SLUG_SHAPE.test(req.slug)) return notFoundPage(req, 404, 'There is no published site at this address.');
  const hosted = await store.findHosted(req.slug, req.previewToken);
  if (!hosted) return notFoundPage(req, 404, 'There is no published site at this address.');
  return answerHosted(store, req, hosted, now);
}

/** The file a request for a found site and version gets. */
async function answerHosted(store: Store, req: SiteRequest, hosted: HostedLookup, now: () => Date): Promise<SiteAnswer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return notFoundPage(req, 405, 'This address only answers GET requests.');
  }
  // An anonymous site past its expiry is gone from the moment it expires, job or not.
  if (siteExpired(hosted.site, now())) return notFoundPage(req, 404, 'There is no published site at this address.');
  const { site, version } = hosted;
  let file: StoredFile | null = null;
  for (const candidate of candidatePaths(req.path)) {
    file = await store.getFile(site.id, version, candidate);
    if (file) break;
  }
  if (!file && site.isSpa) file = await store.getFile(site.id, version, 'index.html');
  if (!file) {
    const custom = await store.getFile(site.id, version, '404.html');
    if (custom) return await fileAnswer(req, custom, 404);
    return notFoundPage(req, 404, 'This page does not exist on this site.');
  }
  return await fileAnswer(req, file, 200);
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

function baseHeaders(req: SiteRequest, contentType: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    // Revalidate every time so a publish or rollback shows at once; the ETag keeps it cheap.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  if (req.sandboxed) headers['content-security-policy'] = SANDBOX_CSP;
  // A preview is for its owner's eyes: never in a search index, even when its link gets around.
  if (req.previewToken !== null) headers['x-robots-tag'] = 'noindex, nofollow';
  return headers;
}

async function fileAnswer(req: SiteRequest, file: StoredFile, status: 200 | 404): Promise<SiteAnswer> {
  const headers = baseHeaders(req, servableType(file));
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

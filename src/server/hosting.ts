// Serving deployed sites: by Host header (`{slug}.{domain}` live, `{slug}--{token}.{domain}`
// preview) and at `/s/{slug}/` on the platform origin for setups without wildcard DNS. That
// fallback carries a CSP sandbox without allow-same-origin, so user HTML never runs with the
// dashboard's origin.
//
// resolveSite() decides the answer without knowing the transport: the Hono app turns it into a
// Response, and main.ts writes it straight to the socket for site hosts (the hot path).
import type { Store, StoredFile } from '../store/store.js';
import { candidatePaths } from './site-files.js';

const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

export interface SiteRequest {
  slug: string;
  previewToken: string | null;
  /** Path inside the site, starting with "/". */
  path: string;
  method: string;
  ifNoneMatch: string | undefined;
  sandboxed: boolean;
}

export interface SiteAnswer {
  status: 200 | 304 | 404 | 405;
  headers: Record<string, string>;
  /** Null for HEAD and 304. */
  body: Uint8Array | null;
}

export async function resolveSite(store: Store, req: SiteRequest): Promise<SiteAnswer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return notFoundPage(req, 405, 'This address only answers GET requests.');
  }
  const hosted = await store.findHosted(req.slug, req.previewToken);
  if (!hosted) return notFoundPage(req, 404, 'There is no published site at this address.');
  const { site, version } = hosted;
  let file: StoredFile | null = null;
  for (const candidate of candidatePaths(req.path)) {
    file = await store.getFile(site.id, version, candidate);
    if (file) break;
  }
  if (!file && site.isSpa) file = await store.getFile(site.id, version, 'index.html');
  if (!file) {
    const custom = await store.getFile(site.id, version, '404.html');
    if (custom) return fileAnswer(req, custom, 404);
    return notFoundPage(req, 404, 'This page does not exist on this site.');
  }
  return fileAnswer(req, file, 200);
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
  return headers;
}

function fileAnswer(req: SiteRequest, file: StoredFile, status: 200 | 404): SiteAnswer {
  const headers = baseHeaders(req, file.contentType);
  headers.etag = file.etag;
  if (status === 200 && req.ifNoneMatch === file.etag) return { status: 304, headers, body: null };
  headers['content-length'] = String(file.body.byteLength);
  return { status, headers, body: req.method === 'HEAD' ? null : file.body };
}

const NOT_FOUND_STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}';

function notFoundPage(req: SiteRequest, status: 404 | 405, message: string): SiteAnswer {
  const html = Buffer.from(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title><style>${NOT_FOUND_STYLE}</style></head><body><main><h1>Not found</h1><p>${message}</p></main></body></html>`,
  );
  const headers = baseHeaders(req, 'text/html; charset=utf-8');
  headers['content-length'] = String(html.byteLength);
  return { status, headers, body: req.method === 'HEAD' ? null : html };
}

export function answerToResponse(answer: SiteAnswer): Response {
  return new Response(answer.body as Uint8Array<ArrayBuffer> | null, { status: answer.status, headers: answer.headers });
}

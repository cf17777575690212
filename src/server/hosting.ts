// Serving deployed sites: by Host header (`{slug}.{domain}` live, `{slug}--{token}.{domain}`
// preview) and at `/s/{slug}/` on the platform origin for setups without wildcard DNS. That
// fallback carries a CSP sandbox without allow-same-origin, so user HTML never runs with the
// dashboard's origin.
import type { Context } from 'hono';
import type { AppDeps } from './context.js';
import type { HostedLookup, StoredFile } from '../store/store.js';
import { candidatePaths } from './site-files.js';

const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

export interface ServeSiteOptions {
  slug: string;
  previewToken: string | null;
  /** Path inside the site, starting with "/". */
  path: string;
  sandboxed: boolean;
}

export async function serveSite(c: Context, deps: AppDeps, opts: ServeSiteOptions): Promise<Response> {
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    return notFoundPage(c, opts.sandboxed, 405, 'This address only answers GET requests.');
  }
  const hosted = await deps.store.findHosted(opts.slug, opts.previewToken);
  if (!hosted) return notFoundPage(c, opts.sandboxed, 404, 'There is no published site at this address.');
  const file = await findFile(deps, hosted, opts.path);
  if (!file) {
    const custom = await deps.store.getFile(hosted.site.id, hosted.version, '404.html');
    if (custom) return fileResponse(c, custom, opts.sandboxed, 404);
    return notFoundPage(c, opts.sandboxed, 404, 'This page does not exist on this site.');
  }
  return fileResponse(c, file, opts.sandboxed, 200);
}

async function findFile(deps: AppDeps, hosted: HostedLookup, path: string): Promise<StoredFile | null> {
  for (const candidate of candidatePaths(path)) {
    const file = await deps.store.getFile(hosted.site.id, hosted.version, candidate);
    if (file) return file;
  }
  if (hosted.site.isSpa) return deps.store.getFile(hosted.site.id, hosted.version, 'index.html');
  return null;
}

function securityHeaders(headers: Headers, sandboxed: boolean): void {
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  if (sandboxed) headers.set('Content-Security-Policy', SANDBOX_CSP);
}

function fileResponse(c: Context, file: StoredFile, sandboxed: boolean, status: 200 | 404): Response {
  const headers = new Headers({
    'Content-Type': file.contentType,
    ETag: file.etag,
    // Revalidate every time so a publish or rollback shows at once; the ETag keeps it cheap.
    'Cache-Control': 'no-cache',
  });
  securityHeaders(headers, sandboxed);
  if (status === 200 && c.req.header('if-none-match') === file.etag) {
    return new Response(null, { status: 304, headers });
  }
  headers.set('Content-Length', String(file.body.byteLength));
  return new Response(c.req.method === 'HEAD' ? null : (file.body as Uint8Array<ArrayBuffer>), { status, headers });
}

function notFoundPage(c: Context, sandboxed: boolean, status: 404 | 405, message: string): Response {
  const headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  securityHeaders(headers, sandboxed);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}</style></head><body><main><h1>Not found</h1><p>${message}</p></main></body></html>`;
  return new Response(c.req.method === 'HEAD' ? null : html, { status, headers });
}

// Cross-origin access for browser-based MCP clients (the MCP Inspector in a browser, web apps): they
// discover the metadata, register (DCR), fetch tokens, revoke, and call /mcp from their own origin.
// Only those endpoints answer CORS (contract/oauth.ts CROSS_ORIGIN_PATHS), and none of them reads
// a cookie: every one is public or authenticated by its bearer, so `Access-Control-Allow-Origin: *` without credentials mode gives a
// page nothing it could not already do. The dashboard, the consent page (`/oauth/authorize`) and
// the API keep the browser's same-origin rule. Mounted first in the app, so the answers that come
// before a route (a body over its limit, the rate limit) are readable by such clients too.
import type { MiddlewareHandler } from 'hono';
import type { PlatformUrls } from '../services/urls.js';
import { classifyHost } from '../services/urls.js';

/**
 * What such a client sends: its bearer, JSON, and the MCP transport's own headers (the 2025-era
 * session and version headers, the 2026-07-28 method and name headers, SSE resumption).
 */
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID';
/** What it reads: the 401 challenge (where the authorization server is) and the transport's headers. */
const EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version';

const PREFLIGHT = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': ALLOW_HEADERS,
  'Access-Control-Max-Age': '86400',
};

export function crossOriginClients(urls: PlatformUrls): MiddlewareHandler {
  return async (c, next) => {
    // A site host's /mcp or /oauth/token is the site's own file, not this endpoint.
    if (classifyHost(urls, c.req.header('host')).kind !== 'platform') return next();
    if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: PREFLIGHT });
    await next();
    // Set on the answer as it is (rather than before it, which would make Hono copy the answer into
    // a new Response and stream the body that was a plain string); copied only if it is immutable.
    try {
      c.res.headers.set('Access-Control-Allow-Origin', '*');
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('Access-Control-Allow-Origin', '*');
    }
    c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  };
}

// What the platform's own origin answers to a person or a crawler outside the API: the landing page
// at `/` (what this server is, the MCP configuration for its URL and its remote `/mcp` URL, ready to
// copy), /favicon.ico and /robots.txt. Before these, a browser opening the address `serve` prints saw a JSON 401, and
// every dashboard page logged a console error for the missing favicon.
import { crc32, deflateSync } from 'node:zlib';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { packageVersion } from 'invoker-mcp/version.js';
import type { AppDeps } from '../context.js';
import { page } from './layout.js';
import { securityHeaders } from './session.js';

/** The MCP client configuration (Claude Desktop, Cursor, Windsurf) for a server at apiUrl. */
export function mcpConfig(apiUrl: string): string {
  const config = { mcpServers: { invoker: { command: 'npx', args: ['-y', 'invoker-mcp@latest'], env: { INVOKER_API_URL: apiUrl } } } };
  return JSON.stringify(config, null, 2);
}

function landingPage(apiUrl: string) {
  const copy = (id: string) => html`<button type="button" class="secondary" data-copy="${id}" hidden>Copy</button>`;
  return page(
    { title: 'Deploy pages and forms from your AI assistant' },
    html`<h1>Invoker</h1>
<p>Put a page, a site or a form on the web from a conversation with your assistant. This server hosts them.</p>
<section class="card" aria-labelledby="connect">
<h2 id="connect">Connect your assistant</h2>
<p>Claude Desktop (<code>claude_desktop_config.json</code>), Cursor (<code>~/.cursor/mcp.json</code>) or Windsurf: add this server, then ask your assistant to log in.</p>
<pre class="key" id="mcp-config">${mcpConfig(apiUrl)}</pre>${copy('mcp-config')}
<p>Claude Code:</p>
<pre class="key" id="claude-code">claude mcp add --scope user invoker -e INVOKER_API_URL=${apiUrl} -- npx -y invoker-mcp@latest</pre>${copy('claude-code')}
<p>Or let Invoker write the configuration: <code>npx -y invoker-mcp install --client claude-desktop --api-url ${apiUrl}</code> (also <code>claude-code</code>, <code>cursor</code>, <code>vscode</code>, <code>windsurf</code>).</p>
</section>
<section class="card" aria-labelledby="remote">
<h2 id="remote">Use from claude.ai, ChatGPT or any remote client</h2>
<p>Paste this URL where your client asks for a remote MCP server (claude.ai: Settings → Connectors → Add custom connector; ChatGPT: Settings → Connectors). A sign-in page opens: sign in with the emailed code, choose what the app may do, and press Allow. Agents and CI can send <code>Authorization: Bearer inv_…</code> instead.</p>
<pre class="key" id="mcp-url">${apiUrl}/mcp</pre>${copy('mcp-url')}
</section>
<section class="card" aria-labelledby="manage">
<h2 id="manage">Manage what you published</h2>
<p><a class="button" href="/dashboard">Open the dashboard</a></p>
<p class="muted">Sites, submissions, API keys and organizations, after signing in with a code sent to your email.</p>
</section>
<p class="muted">Invoker ${packageVersion()} · <a href="/openapi.json">HTTP API (OpenAPI)</a></p>`,
  );
}

/**
 * A 32×32 icon: a PNG inside an ICO container (every current browser reads that), drawn here so
 * the package ships no binary asset. A rounded dark square with a light bar, the dashboard's colours.
 */
function iconPng(): Buffer {
  const size = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const corner = Math.min(x, size - 1 - x) + Math.min(y, size - 1 - y) < 5;
      const bar = x >= 13 && x <= 18 && y >= 7 && y <= 24;
      const [r, g, b, a] = corner ? [0, 0, 0, 0] : bar ? [248, 250, 252, 255] : [29, 78, 216, 255];
      row.writeUInt32BE(((r << 24) | (g << 16) | (b << 8) | a) >>> 0, 1 + x * 4);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export function faviconIco(): Buffer {
  const png = iconPng();
  const dir = Buffer.alloc(22);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // icon
  dir.writeUInt16LE(1, 4); // one image
  dir.set([32, 32, 0, 0], 6);
  dir.writeUInt16LE(1, 10); // colour planes
  dir.writeUInt16LE(32, 12); // bits per pixel
  dir.writeUInt32LE(png.length, 14);
  dir.writeUInt32LE(22, 18);
  return Buffer.concat([dir, png]);
}

/** The platform origin holds no content for search engines: the dashboard and the /s/ fallback stay out. */
const ROBOTS = 'User-agent: *\nDisallow: /dashboard\nDisallow: /s/\nDisallow: /auth/\n';

export function landingRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const icon = faviconIco();
  app.get('/favicon.ico', (c) => c.body(new Uint8Array(icon), 200, { 'Content-Type': 'image/x-icon', 'Cache-Control': 'public, max-age=86400' }));
  app.get('/robots.txt', (c) => c.text(ROBOTS, 200, { 'Cache-Control': 'public, max-age=86400' }));
  app.use('/', securityHeaders());
  app.get('/', (c) => c.html(landingPage(deps.urls.publicUrl)));
  return app;
}

// The site card (SPEC section 12, MCP Apps `io.modelcontextprotocol/ui`): the resource
// `ui://invoker/site` that deploy, update, patch_page, publish and get_status name in their
// `_meta.ui.resourceUri`. Hosts with the extension render it beside the result; the others show the
// text. The document is built at build time (scripts/build-card.mjs: card/ with the ext-apps library
// bundled in) into dist/card/site.html, so nothing it needs is installed with the package.
import { readFile } from 'node:fs/promises';
import type { McpServer } from '@modelcontextprotocol/server';
import { AppError } from '../errors.js';

export const SITE_CARD_URI = 'ui://invoker/site';
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** What a tool that shows the card lists (the MCP Apps spelling; hosts read `ui.resourceUri`). */
export const SITE_CARD_META = { ui: { resourceUri: SITE_CARD_URI } } as const;

/** Beside the compiled server (dist/mcp → dist/card); from src/ in a clone, the built copy. */
const CANDIDATES = ['../card/site.html', '../../dist/card/site.html'];

let cached: Promise<string> | undefined;

async function cardHtml(): Promise<string> {
  for (const candidate of CANDIDATES) {
    try {
      return await readFile(new URL(candidate, import.meta.url), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  throw new AppError('internal', 'The site card was not built (dist/card/site.html is missing): run `npm run build` in the invoker-mcp package.');
}

/**
 * The origins the card may frame: every site host and the public URL (SPEC section 12). A stdio
 * server knows only the API URL; the sites domain is its host without a leading `api.`
 * (api.invoker.page → *.invoker.page; localhost:8787 → *.localhost:8787), as `serve` sets it up by
 * default. The platform's own endpoint passes its real sites domain.
 */
export function cardFrameDomains(apiUrl: string, sitesDomain?: string): string[] {
  const url = new URL(apiUrl);
  const domain = sitesDomain ?? url.host.replace(/^api\./, '');
  return [`${url.protocol}//*.${domain}`, url.origin];
}

/** Registers the card on `server`, allowed to frame `frameDomains`. */
export function registerSiteCard(server: McpServer, frameDomains: readonly string[]): void {
  server.registerResource(
    'site-card',
    SITE_CARD_URI,
    { title: 'Site card', description: 'A deployed site: its preview, versions and newest submissions.', mimeType: MCP_APP_MIME_TYPE },
    async () => ({
      contents: [
        {
          uri: SITE_CARD_URI,
          mimeType: MCP_APP_MIME_TYPE,
          text: await (cached ??= cardHtml().catch((e: unknown) => {
            cached = undefined;
            throw e;
          })),
          // No network for the card itself (connect and resource domains unset); frames of the sites only.
          _meta: { ui: { csp: { frameDomains: [...frameDomains] }, prefersBorder: true } },
        },
      ],
    }),
  );
}

// The tools/list a model is sent on every turn, held to a budget in bytes of JSON (issue 25): the
// default listing over a real stdio session, the one with every toolset on, and what the remote
// /mcp endpoint lists per granted scope (toolsFor(remoteSelection(scopes)), the function it will
// call), in both protocol eras. The figures are printed; `npm run bench` reports them in tokens too.
import { describe, expect, it } from 'vitest';
import { recordToolsLists } from '../../packages/invoker-mcp/src/mcp/manifest.js';
import { SCOPES, remoteSelection, type Scope } from '../../packages/invoker-mcp/src/mcp/toolsets.js';
import { packageVersion } from '../../packages/invoker-mcp/src/version.js';
import {
  DEFAULT_BUDGET,
  FULL_BUDGET,
  RESERVE_PER_TOOL,
  listOverStdio,
  measureListing,
  reserveFor,
  type ToolListing,
} from '../../scripts/tool-listing.js';
import { BIN, MCP_ERAS } from '../helpers/platform.js';

const OFFLINE = { INVOKER_API_URL: 'http://127.0.0.1:9', INVOKER_NO_BROWSER: '1' };

const DEFAULT_TOOLS = [
  ...['login', 'logout', 'whoami', 'deploy', 'publish', 'update', 'patch_page', 'list_deploys', 'get_status', 'teardown'],
  ...['get_submissions', 'delete_submission', 'export_submissions', 'update_form_settings'],
  ...['gather_requirements', 'list_templates', 'use_template', 'list_blocks', 'list_styles', 'compose_page'],
];

const figures = (what: string, listing: ToolListing) =>
  console.log(`[figures] ${what}: ${listing.names.length} tools, ${listing.bytes} bytes, ${listing.tokens} tokens (o200k_base)`);

describe.each(MCP_ERAS)('the tools/list budget over stdio (%s)', (era) => {
  it(`lists the default toolsets in at most ${DEFAULT_BUDGET} bytes`, async () => {
    const listing = await listOverStdio(BIN, OFFLINE, era);
    figures(`default tools/list ${era}`, listing);
    expect(listing.names).toEqual([...DEFAULT_TOOLS, 'enable_toolset']);
    expect(listing.bytes).toBeLessThanOrEqual(DEFAULT_BUDGET);
  });

  it(`lists every toolset in at most ${FULL_BUDGET} bytes with room for the tools still to come`, async () => {
    const listing = await listOverStdio(BIN, { ...OFFLINE, INVOKER_TOOLSETS: 'all' }, era);
    figures(`full tools/list ${era} (+${reserveFor(listing)} bytes reserved)`, listing);
    expect(listing.names).toEqual(expect.arrayContaining([...DEFAULT_TOOLS, 'list_api_keys', 'create_sub_org']));
    expect(listing.names).not.toContain('enable_toolset');
    // The reserve is only worth something while today's tools stay under it on average.
    expect(listing.bytes / listing.names.length).toBeLessThanOrEqual(RESERVE_PER_TOOL);
    expect(listing.bytes + reserveFor(listing)).toBeLessThanOrEqual(FULL_BUDGET);
  });
});

describe('the tools/list budget of the remote endpoint, per granted scope', () => {
  const grants: Array<{ scopes: Scope[]; budget: number }> = [
    // A request asking for no scope gets `read deploy` (SPEC section 11): the remote default.
    { scopes: ['read', 'deploy'], budget: DEFAULT_BUDGET },
    ...SCOPES.map((scope) => ({ scopes: [scope], budget: DEFAULT_BUDGET })),
    { scopes: [...SCOPES], budget: FULL_BUDGET },
  ];
  it.each(grants)('lists $scopes within budget in both eras', async ({ scopes, budget }) => {
    const lists = await recordToolsLists(packageVersion(), remoteSelection(scopes));
    for (const era of ['legacy', 'modern'] as const) {
      const listing = measureListing(lists[era] as ToolListing['result']);
      figures(`remote tools/list, scopes ${scopes.join(' ')}, ${era}`, listing);
      expect(listing.names.length).toBeGreaterThan(0);
      for (const stdioOnly of ['login', 'logout', 'enable_toolset']) expect(listing.names).not.toContain(stdioOnly);
      expect(listing.bytes + (budget === FULL_BUDGET ? reserveFor(listing) : 0)).toBeLessThanOrEqual(budget);
    }
  });
});

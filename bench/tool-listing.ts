// What the tool list costs a model on every turn: the tools/list result the built server sends over
// stdio, in bytes of JSON and in tokens (o200k_base, counted by gpt-tokenizer), by default and with
// every toolset on, in both protocol eras, against the listing before toolsets (issue 25). The
// same budget test/e2e/tool-budget.test.ts fails past; this row puts the figures in BENCHMARKS.md.
import type { McpEra } from '../scripts/mcp-client.js';
import { DEFAULT_BUDGET, FULL_BUDGET, FUTURE_TOOLS, RESERVE_PER_TOOL, listOverStdio, reserveFor, type ToolListing } from '../scripts/tool-listing.js';
import { BIN } from './lib/proc.js';
import { ratio, type Row, type Section } from './lib/report.js';

/** Before toolsets (commit fb1977b), every tool listed: bytes and o200k_base tokens, per era. */
const BEFORE: Record<McpEra, { bytes: number; tokens: number }> = {
  '2025-11-25': { bytes: 39_787, tokens: 10_048 },
  '2026-07-28': { bytes: 39_946, tokens: 10_091 },
};

const size = (l: { bytes: number; tokens: number }) => `${l.bytes.toLocaleString('en')} B, ${l.tokens.toLocaleString('en')} tokens`;

function row(era: McpEra, what: string, listing: ToolListing, budget: number, reserved = 0): Row {
  const before = BEFORE[era];
  return {
    what: `tools/list, ${what}, ${era} (${listing.names.length} tools)`,
    ours: size(listing),
    baseline: `before toolsets ${size(before)}`,
    ratio: listing.bytes / before.bytes,
    target: reserved ? `≤ ${budget.toLocaleString('en')} B with ${reserved.toLocaleString('en')} B kept for the tools to come` : `≤ ${budget.toLocaleString('en')} B`,
    met: listing.bytes + reserved <= budget,
    needed: 'Find the tool that grew (scripts/tool-listing.ts lists each): shorter description, fewer words per parameter, or a field out of the listed shape.',
  };
}

export async function run(): Promise<Section> {
  const env = { INVOKER_API_URL: 'http://127.0.0.1:9', INVOKER_NO_BROWSER: '1' };
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    const byDefault = await listOverStdio(BIN, env, era);
    const every = await listOverStdio(BIN, { ...env, INVOKER_TOOLSETS: 'all' }, era);
    rows.push(row(era, 'default toolsets', byDefault, DEFAULT_BUDGET), row(era, 'every toolset', every, FULL_BUDGET, reserveFor(every)));
    notes.push(`${era}: the default listing is ${ratio(byDefault.tokens / BEFORE[era].tokens)} of the tokens before, every toolset ${ratio(every.tokens / BEFORE[era].tokens)}.`);
  }
  return {
    name: 'tool-listing',
    title: 'What tools/list costs a model on every turn (bytes of JSON; tokens in o200k_base)',
    rows,
    notes: [
      ...notes,
      'Measured from the built server over stdio: the raw tools/list result after the era\'s opening, as the client receives it. Default: auth, sites, forms and ' +
        'content plus enable_toolset; every toolset: INVOKER_TOOLSETS=all. ' +
        `The reserve is ${RESERVE_PER_TOOL.toLocaleString('en')} B for each of the tools SPEC sections 12–15 name that are not listed yet (${FUTURE_TOOLS.join(', ')}).`,
    ],
  };
}

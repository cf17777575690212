// MCP cold start (spawn → the era's opening → tools/list answered) and RSS after start, in both
// protocol eras, against @modelcontextprotocol/server-everything and bare `node -e 0`, interleaved
// run by run.
import { spawn } from 'node:child_process';
import type { McpEra } from '../scripts/mcp-client.js';
import { connect, invokerMcp, serverEverything, type McpCommand } from './lib/mcp.js';
import { cleanEnv, memoryOf, sleep } from './lib/proc.js';
import { ratio, type Row, type Section } from './lib/report.js';
import { median, mib, ms, percentile, pick, timed } from './lib/stats.js';

/** The server's RSS after start with the v1 SDK (docs/BENCHMARKS.md before the v2 move); the v2 server stays within 10 % of it. */
const V1_RSS_BYTES = 52.5 * 1024 * 1024;

async function coldStart(cmd: McpCommand, era: McpEra): Promise<{ ms: number; rss: number; tools: number }> {
  const { ms: elapsed, value } = await timed(async () => {
    const session = await connect(cmd, era);
    const list = await session.client.listTools();
    return { session, tools: list.tools.length };
  });
  // Let start-up garbage settle the same way for every server before reading memory.
  await sleep(300);
  const rss = memoryOf(value.session.pid).rss;
  await value.session.close();
  return { ms: elapsed, rss, tools: value.tools };
}

function bareNode(): Promise<number> {
  return timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', '0'], { env: cleanEnv(), stdio: 'ignore' });
        child.once('error', reject);
        child.once('exit', () => resolve());
      }),
  ).then((r) => r.ms);
}

interface Runs {
  ms: number[];
  rss: number[];
  tools: number;
}
const runsOf = (): Runs => ({ ms: [], rss: [], tools: 0 });

async function record(runs: Runs, cmd: McpCommand, era: McpEra): Promise<void> {
  const r = await coldStart(cmd, era);
  runs.ms.push(r.ms);
  runs.rss.push(r.rss);
  runs.tools = r.tools;
}

export async function run(): Promise<Section> {
  const count = pick(15, 5);
  // A dummy key: start-up and tools/list never call the API.
  const ours = invokerMcp({ INVOKER_API_URL: 'http://127.0.0.1:9', INVOKER_API_KEY: 'inv_bench' });
  const ref = serverEverything();
  const legacy = runsOf();
  const modern = runsOf();
  const everything = runsOf();
  const nodeMs: number[] = [];
  // One discarded round warms the page cache for all of them.
  await coldStart(ours, '2025-11-25');
  await coldStart(ours, '2026-07-28');
  await coldStart(ref, '2025-11-25');
  await bareNode();
  for (let i = 0; i < count; i++) {
    await record(legacy, ours, '2025-11-25');
    await record(modern, ours, '2026-07-28');
    // server-everything speaks the 2025 era only (it is on the v1 SDK): it is the reference for both rows.
    await record(everything, ref, '2025-11-25');
    nodeMs.push(await bareNode());
  }
  const refMs = median(everything.ms);
  const refRss = median(everything.rss);
  const startRow = (era: McpEra, runs: Runs, opening: string): Row => {
    const value = median(runs.ms) / refMs;
    return {
      what: `MCP cold start, ${era}: spawn → ${opening} → tools/list`,
      ours: ms(median(runs.ms)),
      baseline: `server-everything ${ms(refMs)} (2025-11-25); node -e 0 ${ms(median(nodeMs))}`,
      ratio: value,
      target: '≤ 0.4× server-everything',
      met: value <= 0.4,
      needed:
        'The front (src/mcp/stdio.ts) answers the opening and tools/list from the build-time manifest; a miss means it loaded more than ' +
        'era.ts, toolsets.ts and manifest.json before answering (the cold-start CPU profile below lists the files that ran).',
    };
  };
  const rssRow = (era: McpEra, runs: Runs): Row => {
    const value = median(runs.rss) / refRss;
    const withinV1 = median(runs.rss) <= V1_RSS_BYTES * 1.1;
    return {
      what: `MCP server RSS after start, ${era}`,
      ours: mib(median(runs.rss)),
      baseline: `server-everything ${mib(refRss)}; v1 SDK server ${mib(V1_RSS_BYTES)}`,
      ratio: value,
      target: `≤ 1.0× server-everything and ≤ ${mib(V1_RSS_BYTES * 1.1)}`,
      met: value <= 1.0 && withinV1,
      needed:
        'Until the first tool call only the front is resident; more here means a module loaded at start that should wait for the first call. ' +
        'A --heap-prof after start shows which retained objects remain.',
    };
  };
  return {
    name: 'cold-start',
    title: `MCP cold start and memory, both protocol eras (median of ${count} runs each)`,
    rows: [
      startRow('2025-11-25', legacy, 'initialize'),
      startRow('2026-07-28', modern, 'server/discover'),
      rssRow('2025-11-25', legacy),
      rssRow('2026-07-28', modern),
    ],
    notes: [
      `Cold start p90: 2025-11-25 ${ms(percentile(legacy.ms, 90))}, 2026-07-28 ${ms(percentile(modern.ms, 90))}, server-everything ${ms(percentile(everything.ms, 90))}, ` +
        `node -e 0 ${ms(percentile(nodeMs, 90))}. Above bare Node: 2025-11-25 +${ms(median(legacy.ms) - median(nodeMs))}, ` +
        `2026-07-28 +${ms(median(modern.ms) - median(nodeMs))}, server-everything +${ms(refMs - median(nodeMs))} ` +
        `(${ratio((median(legacy.ms) - median(nodeMs)) / (refMs - median(nodeMs)))}).`,
      `tools/list returned ${legacy.tools} tools (2025-11-25), ${modern.tools} (2026-07-28) and ${everything.tools} (server-everything). RSS is VmRSS read 300 ms after tools/list answered.`,
      'Each run spawns the server with the v2 SDK client (@modelcontextprotocol/client), as an MCP host does; the 2026-07-28 client is pinned to that revision and ' +
        'probes with server/discover on the session\'s own pipe (one spawn, as scripts/mcp-client.ts explains). The commands are interleaved so drift hits all alike.',
    ],
  };
}

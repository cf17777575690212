// MCP cold start (spawn → initialize → tools/list answered) and RSS after start, against
// @modelcontextprotocol/server-everything and bare `node -e 0`, interleaved run by run.
import { spawn } from 'node:child_process';
import { connect, invokerMcp, serverEverything, type McpCommand } from './lib/mcp.js';
import { cleanEnv, memoryOf, sleep } from './lib/proc.js';
import { ratio, type Section } from './lib/report.js';
import { median, mib, ms, percentile, pick, timed } from './lib/stats.js';

async function coldStart(cmd: McpCommand): Promise<{ ms: number; rss: number; tools: number }> {
  const { ms: elapsed, value } = await timed(async () => {
    const session = await connect(cmd);
    const list = await session.client.listTools();
    return { session, tools: list.tools.length };
  });
  // Let start-up garbage settle the same way for both servers before reading memory.
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

export async function run(): Promise<Section> {
  const runs = pick(15, 5);
  // A dummy key: start-up and tools/list never call the API.
  const ours = invokerMcp({ INVOKER_API_URL: 'http://127.0.0.1:9', INVOKER_API_KEY: 'inv_bench' });
  const ref = serverEverything();
  const oursMs: number[] = [];
  const refMs: number[] = [];
  const nodeMs: number[] = [];
  const oursRss: number[] = [];
  const refRss: number[] = [];
  let oursTools = 0;
  let refTools = 0;
  // One discarded round warms the page cache for all three.
  await coldStart(ours);
  await coldStart(ref);
  await bareNode();
  for (let i = 0; i < runs; i++) {
    const a = await coldStart(ours);
    const b = await coldStart(ref);
    nodeMs.push(await bareNode());
    oursMs.push(a.ms);
    oursRss.push(a.rss);
    oursTools = a.tools;
    refMs.push(b.ms);
    refRss.push(b.rss);
    refTools = b.tools;
  }
  const coldRatio = median(oursMs) / median(refMs);
  const rssRatio = median(oursRss) / median(refRss);
  return {
    name: 'cold-start',
    title: `MCP cold start and memory (median of ${runs} runs each)`,
    rows: [
      {
        what: 'MCP cold start: spawn → initialize → tools/list',
        ours: ms(median(oursMs)),
        baseline: `server-everything ${ms(median(refMs))}; node -e 0 ${ms(median(nodeMs))}`,
        ratio: coldRatio,
        target: '≤ 0.5× server-everything',
        met: coldRatio <= 0.5,
        needed:
          `The cold-start CPU profile (below) is dominated by module loading: ESM compile, CommonJS wrapping, resolution and stat calls, not by the server's own code. ` +
          `0.5× server-everything leaves ${ms(median(refMs) / 2 - median(nodeMs))} above bare Node here, against ${ms(median(oursMs) - median(nodeMs))} now. ` +
          'Needed: load less before answering tools/list: import what only tool calls use (the undici API client, content templates) lazily inside handlers, ' +
          'bundle dist/ into one file so resolution and per-file compilation go away, and turn on the compile cache (`module.enableCompileCache()`) in bin/invoker-mcp.js.',
      },
      {
        what: 'MCP server RSS after start',
        ours: mib(median(oursRss)),
        baseline: `server-everything ${mib(median(refRss))}`,
        ratio: rssRatio,
        target: '≤ 1.0×',
        met: rssRatio <= 1.0,
        needed:
          'Same cause as the cold start: every module loaded at start (our tools, zod, the SDK, undici) stays resident as code and heap. ' +
          'Lazy imports and a bundle lower it; a --heap-prof after start shows which retained objects remain.',
      },
    ],
    notes: [
      `Cold start p90: ours ${ms(percentile(oursMs, 90))}, server-everything ${ms(percentile(refMs, 90))}, node -e 0 ${ms(percentile(nodeMs, 90))}. ` +
        `Above bare Node: ours +${ms(median(oursMs) - median(nodeMs))}, server-everything +${ms(median(refMs) - median(nodeMs))} ` +
        `(${ratio((median(oursMs) - median(nodeMs)) / (median(refMs) - median(nodeMs)))}).`,
      `tools/list returned ${oursTools} tools (ours) and ${refTools} (server-everything). RSS is VmRSS read 300 ms after tools/list answered.`,
      'Each run spawns the server with the SDK StdioClientTransport, as an MCP host does; the three commands are interleaved so drift hits all alike.',
    ],
  };
}

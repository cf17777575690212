// One-line edits on a 1 MB page through the MCP tools over stdio (SPEC section 12): `patch_page`
// (an exact find/replace) against `update` (the whole page again), alternating on one site, so each
// carries the same change. Measured: the bytes of the tools/call request the client writes (what a
// model must produce) and the time from callTool to its result.
import { connect, invokerMcp } from './lib/mcp.js';
import { htmlPage } from './lib/pages.js';
import { createKey, startServe } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { ms, percentile, pick, timed } from './lib/stats.js';

const PAGE_BYTES = 1024 * 1024;

export async function run(): Promise<Section> {
  const rounds = pick(100, 10);
  const page = (n: number) => htmlPage(PAGE_BYTES, 'patch').replace('<main>', `<main><h1 id="headline">Headline ${n}</h1>`);
  const serve = await startServe();
  try {
    const key = await createKey(serve.dataDir);
    const session = await connect(invokerMcp({ INVOKER_API_URL: serve.url, INVOKER_API_KEY: key }));
    // The request lines the client writes to the server's stdin.
    const transport = (session.client as unknown as { transport: { send(message: unknown): Promise<void> } }).transport;
    const send = transport.send.bind(transport);
    let lastSent = 0;
    transport.send = (message) => {
      lastSent = Buffer.byteLength(`${JSON.stringify(message)}\n`);
      return send(message);
    };
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = await timed(() => session.client.callTool({ name, arguments: args }));
      if ((r.value as { isError?: boolean }).isError) throw new Error(`${name} failed: ${JSON.stringify(r.value.content)}`);
      return { ms: r.ms, bytes: lastSent };
    };
    const update = { ms: [] as number[], bytes: [] as number[] };
    const patch = { ms: [] as number[], bytes: [] as number[] };
    try {
      const first = await session.client.callTool({ name: 'deploy', arguments: { slug: 'bench-patch', html: page(0), publish: true } });
      const id = (first.structuredContent as { id: string }).id;
      let n = 0;
      // Warm-up, then alternate: each call changes the one headline line, from where the last left it.
      for (let i = -3; i < rounds; i++) {
        const u = await call('update', { id, html: page(n + 1), publish: true });
        n++;
        const p = await call('patch_page', { id, edits: [{ find: `Headline ${n}</h1>`, replace: `Headline ${n + 1}</h1>` }], publish: true });
        n++;
        if (i < 0) continue;
        update.ms.push(u.ms);
        update.bytes.push(u.bytes);
        patch.ms.push(p.ms);
        patch.bytes.push(p.bytes);
      }
    } finally {
      await session.close();
    }
    const bytesRatio = percentile(patch.bytes, 50) / percentile(update.bytes, 50);
    const p50Ratio = percentile(patch.ms, 50) / percentile(update.ms, 50);
    return {
      name: 'patch',
      title: `One-line edits of a 1 MB page over MCP (${rounds} patch_page and ${rounds} update calls, alternating)`,
      rows: [
        {
          what: 'patch_page request bytes vs update',
          ours: `${percentile(patch.bytes, 50)} B (${(bytesRatio * 100).toFixed(3)} %)`,
          baseline: `update ${percentile(update.bytes, 50)} B`,
          ratio: bytesRatio,
          target: '≤ 0.01×',
          met: bytesRatio <= 0.01,
        },
        {
          what: 'patch_page p50 vs update p50',
          ours: ms(percentile(patch.ms, 50)),
          baseline: `update ${ms(percentile(update.ms, 50))}`,
          ratio: p50Ratio,
          target: '≤ 1×',
          met: p50Ratio <= 1,
        },
      ],
      notes: [
        'Both through the built MCP server over stdio (SDK client) to a local serve, publish: true, on one site: update sends the whole page with its ' +
          'headline changed, patch_page one find/replace of that line; the server rebuilds the version from the stored upload. Bytes: the tools/call ' +
          'line the client writes to the server (JSON-RPC, newline included).',
        `p99: patch_page ${ms(percentile(patch.ms, 99))}, update ${ms(percentile(update.ms, 99))}.`,
      ],
    };
  } finally {
    await serve.stop();
  }
}

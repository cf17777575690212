// Social preview images (SPEC section 14): what one 1200×630 render of a title, description and
// favicon costs (satori to SVG, resvg-wasm to PNG, the shipped fonts), the first one with the
// libraries and fonts loading, and that a burst of requests for a version's /_og.png renders it once,
// every later request answered from the store. In process, over the real services and a SQLite store.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../packages/platform/src/config.js';
import { createServerSecret } from '../packages/platform/src/server-secret.js';
import { createRateLimiter } from '../packages/platform/src/server/rate-limit.js';
import { createServices } from '../packages/platform/src/services/index.js';
import { renderOgImage } from '../packages/platform/src/services/og-image.js';
import { platformUrls } from '../packages/platform/src/services/urls.js';
import { CachedStore } from '../packages/platform/src/store/cached-store.js';
import { SqliteStore } from '../packages/platform/src/store/sqlite.js';
import type { Section } from './lib/report.js';
import { ms, percentile, pick, timed } from './lib/stats.js';

const TARGET_MS = 300;

export async function run(): Promise<Section> {
  const rounds = pick(30, 5);
  const cold = await timed(() => renderOgImage({ title: 'Warm-up', description: 'Loads satori, resvg and the fonts', favicon: '🚀', host: 'bench.localhost' }));
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const r = await timed(() =>
      renderOgImage({
        title: `Launch week ${i}: everything we shipped, in one page`,
        description: 'A summary of the features, fixes and numbers of the week, with links to every post and the people who made them.',
        favicon: '🎉',
        host: `launch-${i}.example.com`,
      }),
    );
    warm.push(r.ms);
  }

  const dir = await mkdtemp(join(tmpdir(), 'invoker-bench-og-'));
  const store = new CachedStore(new SqliteStore(join(dir, 'invoker.db')));
  try {
    const limiter = createRateLimiter({ limit: 1_000_000, windowMs: 60_000 });
    const services = createServices(
      {
        store,
        urls: platformUrls('http://localhost:8787', 'localhost:8787'),
        limits: DEFAULT_LIMITS,
        now: () => new Date(),
        submissionLimiter: limiter,
        secret: createServerSecret('bench-secret-for-the-og-image-benchmark-0123456789'),
        outbound: { allowPrivate: false },
      },
      { mailer: { async sendLoginCode() {} }, rateLimiters: createRateLimiter },
    );
    const { org } = await store.ensureUser('bench@example.com', new Date().toISOString());
    const site = await services.sites.deploy(org.id, { html: '<!doctype html><title>Bench</title><h1>Hi</h1>', slug: 'og-bench', title: 'The benchmark page', description: 'Rendered once per version', favicon: '📈' });
    const ask = () => services.hosting.answer({ slug: site.slug, previewToken: null, path: '/_og.png', method: 'GET', ifNoneMatch: undefined, acceptEncoding: undefined, sandboxed: false });
    const burst = pick(20, 5);
    const first = await timed(() => Promise.all(Array.from({ length: burst }, ask)));
    const later: number[] = [];
    for (let i = 0; i < rounds; i++) later.push((await timed(ask)).ms);
    const renders = services.socialPreviews.stats.renders;
    const p50 = percentile(warm, 50);
    return {
      name: 'og-image',
      title: `Social preview images: ${rounds} renders of distinct titles, and /_og.png of one version asked ${burst} at once then ${rounds} times`,
      rows: [
        { what: 'render p50 (warm)', ours: ms(p50), baseline: '', ratio: p50 / TARGET_MS, target: `< ${TARGET_MS} ms`, met: p50 < TARGET_MS },
        { what: 'first render (libraries and fonts loading)', ours: ms(cold.ms), baseline: '', ratio: null, target: '', met: null },
        { what: `renders for ${burst + rounds} requests of one version`, ours: String(renders), baseline: '', ratio: renders, target: '1', met: renders === 1 },
        { what: 'kept image: answer p50', ours: ms(percentile(later, 50)), baseline: `burst of ${burst}: ${ms(first.ms)}`, ratio: null, target: '', met: null },
      ],
      notes: [
        'Each render lays out the title (bold), the description, the favicon emoji and the host with satori over the shipped Inter and Noto Emoji ' +
          'woff files, and rasterises the SVG with @resvg/resvg-wasm: no fetch. The site answers go through the hosting service over a SQLite ' +
          'store behind the read cache, as `serve` runs them: the burst shares one render, the kept PNG is read from the store (then the cache).',
        `Render p99 ${ms(percentile(warm, 99))}.`,
      ],
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

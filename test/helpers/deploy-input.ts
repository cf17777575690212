// Store-level deploys for the write suites: version n of a one-page site, whose title, preview token,
// ETag and page all say n, at a timestamp n seconds into 2026, so an answer shows which write it was.
import { newId } from '../../packages/invoker-mcp/src/contract/ids.js';
import type { DeployInput } from '../../packages/platform/src/store/store.js';

/** A numbered deploy maker; `token` keeps preview tokens of different suites apart. */
export function numberedDeploys(token: string): (orgId: string, slug: string, overrides?: Partial<DeployInput>) => DeployInput {
  let n = 0;
  return (orgId, slug, overrides = {}) => {
    n += 1;
    return {
      orgId,
      newSiteId: newId('dep'),
      slug,
      metadata: { title: `Version ${n}`, description: null, favicon: null, isSpa: false },
      previewToken: `${token}${String(n).padStart(5, '0')}`,
      files: [{ path: 'index.html', contentType: 'text/html; charset=utf-8', etag: `"${token}${n}"`, body: new TextEncoder().encode(`<h1>${n}</h1>`) }],
      publish: true,
      maxSites: 10,
      now: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      ...overrides,
    };
  };
}

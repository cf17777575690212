// The OpenAPI document covers every route the app serves, and only those. (What each route
// answers is checked against every answer the suite receives: test/openapi/conformance.test.ts.)
import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers/app.js';

/** Hosting routes serve user sites, not the API. */
const NOT_API = new Set(['/s/:slug', '/s/:slug/*']);

function toOpenApi(path: string): string {
  return path.replace(/\/$/, '').replace(/:([A-Za-z]+)/g, (_m, n: string) => `{${n === 'org' ? 'org_id' : n}}`) || '/';
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every route with its method', async () => {
    const t = createTestApp();
    const res = await t.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { responses: object }>> };
    expect(doc.openapi).toBe('3.1.0');

    const served = new Set<string>();
    for (const r of t.app.routes) {
      // The dashboard serves HTML pages to browsers, not the API.
      if (r.method === 'ALL' || NOT_API.has(r.path) || r.path.startsWith('/dashboard')) continue;
      served.add(`${r.method.toLowerCase()} ${toOpenApi(r.path)}`);
    }
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // The CORS preflight is answered by middleware on /submit/*, not by a route of its own.
        if (method !== 'options') documented.add(`${method} ${path}`);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    }
    const missing = [...served].filter((r) => !documented.has(r));
    const phantom = [...documented].filter((r) => !served.has(r));
    expect(missing, 'routes served but not in the OpenAPI document (add them to src/contract/routes.ts)').toEqual([]);
    expect(phantom, 'routes documented but not served').toEqual([]);
  });

  it('describes request bodies from the same schemas the routes validate with', async () => {
    const t = createTestApp();
    const doc = (await t.call('GET', '/openapi.json')).body;
    const deploy = doc.paths['/deploy'].post;
    const body = deploy.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['html', 'files', 'slug', 'title', 'publish']));
    expect(doc.paths['/orgs/{org_id}/deploy'].post.parameters[0]).toMatchObject({ name: 'org_id', in: 'path' });
    expect(doc.paths['/submissions/{id}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'page', 'limit']);
  });
});

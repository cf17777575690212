// Names that are also Object.prototype's properties (`__proto__`, `constructor`, `toString`), as file
// paths and as form fields. The fuzzer found `{"path": "__proto__"}` answering 500 at deploy: the
// extension lookup found Object.prototype itself. Such names are names like any other.
import { describe, expect, it } from 'vitest';
import { createTenant, createTestApp } from '../helpers/app.js';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('names that are Object.prototype properties', () => {
  it('deploys and serves files with those names, as octet-stream', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'proto@example.com');
    const files = [{ path: 'index.html', content: '<p>i</p>' }, ...NAMES.map((path) => ({ path, content: path }))];
    const res = await t.call('POST', '/deploy', { key: me.key, body: { slug: 'proto', files } });
    expect(res.status).toBe(201);
    for (const name of NAMES) {
      const page = await t.app.request(`/${name}`, { headers: { host: 'proto.localhost:8787' } });
      expect({ name, status: page.status, type: page.headers.get('content-type') }).toEqual({ name, status: 200, type: 'application/octet-stream' });
      expect(await page.text()).toBe(name);
    }
  });

  it('stores form fields with those names, in JSON and urlencoded submissions', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'proto-form@example.com');
    const site = await t.call('POST', '/deploy', { key: me.key, body: { slug: 'proto-form', html: '<form></form>' } });
    const json = `{${NAMES.map((n) => `${JSON.stringify(n)}:"json ${n}"`).join(',')}}`;
    const sent = await t.app.request(`/submit/${site.body.id}`, { method: 'POST', headers: { host: 'localhost:8787', 'content-type': 'application/json' }, body: json });
    expect(sent.status).toBe(200);
    const form = NAMES.map((n) => `${n}=form+${n}`).join('&');
    const posted = await t.app.request(`/submit/${site.body.id}`, { method: 'POST', headers: { host: 'localhost:8787', 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form });
    expect(posted.status).toBe(200);
    const list = await t.call('GET', `/submissions/${site.body.id}`, { key: me.key });
    const [fromForm, fromJson] = list.body.submissions as Array<{ data: Record<string, unknown> }>;
    for (const name of NAMES) {
      expect(Object.hasOwn(fromJson?.data ?? {}, name) && fromJson?.data[name], name).toBe(`json ${name}`);
      expect(Object.hasOwn(fromForm?.data ?? {}, name) && fromForm?.data[name], name).toBe(`form ${name}`);
    }
  });
});

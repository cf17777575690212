// A NUL character (and any control character) in a path, a query or a body: SQLite stores such text,
// PostgreSQL refuses it outright, which once made `GET /deploy/a%00b` a 404 on one backend and a 500
// on the other. Both must give the same 4xx for each request, and never a 5xx.
import { describe, expect, it } from 'vitest';
import { createTenant, openTestApp } from '../helpers/app.js';

const PATHS = ['/deploy/a%00b', '/deploy/a%00b/versions', '/deploy/a%00b/slug', '/deploy/a%00b/publish', '/submissions/a%00b', '/submissions/a%00b/export.csv', '/submissions/x/a%00b', '/orgs/a%00b', '/orgs/a%00b/me', '/api-keys/a%00b', '/orgs/c/orgs/a%0Ab', '/deploy/a%1Fb', '/s/a%00b/', '/submit/a%00b', '/submit/a%00b/thanks', '/dashboard/sites/a%00b', '/deploys?cursor=%00', '/submissions/x?page=%00', '/auth/login?code=%00'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const BODIES: Array<[string, unknown]> = [
  ['/auth/session', { client_name: 'a\u0000b' }],
  ['/auth/session/poll', { session_id: 'a\u0000b' }],
  ['/auth/otp', { user_code: 'BCDF\u0000GHJK', email: 'a\u0000@b.co' }],
  ['/api-keys', { name: 'a\u0000b' }],
  ['/orgs/c/orgs', { name: 'a\u0000b' }],
  ['/deploy', { slug: 'nul-title', html: '<p>\u0000</p>', title: 'a\u0000b' }],
  ['/deploy', { slug: 'nul-path', files: [{ path: 'index.html', content: 'x' }, { path: 'a\u0000.txt', content: 'x' }] }],
  ['/deploy', { slug: 'nul-html', html: '<p>a\u0000b</p>' }],
];

async function answers(backend: 'sqlite' | 'postgres'): Promise<string[]> {
  await using t = await openTestApp(backend);
  const me = await createTenant(t, 'nul@example.com');
  const out: string[] = [];
  for (const path of PATHS) {
    for (const method of METHODS) {
      const res = await t.call(method, path, { key: me.key, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      out.push(`${method} ${path} ${res.status} ${typeof res.body === 'object' ? res.body?.code : 'page'}`);
    }
  }
  for (const [path, body] of BODIES) {
    const res = await t.call('POST', path, { key: me.key, body });
    out.push(`POST ${path} ${JSON.stringify(body)} ${res.status} ${res.body?.code ?? ''}`);
  }
  return out;
}

describe('control characters in requests, on both backends', () => {
  it('answers every request with the same 4xx on SQLite and PostgreSQL (or a 2xx that stores the text escaped)', async () => {
    const sqlite = await answers('sqlite');
    const postgres = await answers('postgres');
    expect(postgres).toEqual(sqlite);
    for (const line of sqlite) expect(Number(line.split(' ').at(-2)), line).toBeLessThan(500);
  });
});

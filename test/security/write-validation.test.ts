// Write-time validation (SPEC section 10): a stored value that later becomes a header, a file name
// or a URL is checked when it is written. The reproduction: a deploy whose file had the content type
// "text/plain\nA: b" or "text/plain; x=☃" answered 201, and the first GET of that file on the site
// host threw ERR_INVALID_CHAR inside res.writeHead and ended `serve`, again after every restart.
// Now the deploy is a 400 naming the field; and a row written before the rule (put straight into
// the database here) answers 500 with a request id on both transports, and the process lives on.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

describe('values that become headers are checked when written', () => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'writes@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const deploy = (body: unknown) =>
    httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a content type that could not be sent as a header, with the field named, on every spelling', async () => {
    const hostile = ['text/plain\nA: b', 'text/plain\r\nSet-Cookie: session=stolen', 'text/plain; x=☃', 'text/plain\u0000', 'not a type', ''];
    for (const [i, type] of hostile.entries()) {
      for (const field of ['content_type', 'contentType']) {
        const res = await deploy({ slug: `typed-${i}`, files: [{ path: 'index.html', content: '<p>x</p>' }, { path: 'a.txt', content: 'a', [field]: type }] });
        expect({ type, field, status: res.status }).toEqual({ type, field, status: 400 });
        expect(JSON.parse(res.body).error).toContain(`files.1.${field}: must be a media type`);
      }
    }
    // Metadata that is one line of text: no line breaks or control characters.
    for (const [field, value] of [['title', 'a\nb'], ['description', 'x\u0000'], ['favicon', '\u0007']] as const) {
      const res = await deploy({ slug: 'meta', html: '<p>x</p>', [field]: value });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
    }
    // Nothing was stored, and serve is still up.
    const sites = JSON.parse((await httpRequest(platform.port, { path: '/deploys', headers: { authorization: `Bearer ${key}` } })).body);
    expect(sites.deploys).toEqual([]);
    expect(platform.process.exitCode).toBeNull();
  });

  it('serves what it accepted: valid parameters, and a favicon that cannot break out of its SVG', async () => {
    const res = await deploy({
      slug: 'typed-ok',
      favicon: '</text><script>',
      files: [
        { path: 'index.html', content: '<html><head></head><body>ok</body></html>' },
        { path: 'data.csv', content: 'a,b', content_type: 'text/csv; charset="utf-8"; header=present' },
      ],
    });
    expect(res.status).toBe(201);
    const host = `typed-ok.localhost:${platform.port}`;
    const csv = await httpRequest(platform.port, { host, path: '/data.csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset="utf-8"; header=present');
    const page = await httpRequest(platform.port, { host, path: '/' });
    expect(decodeURIComponent(page.body)).toContain('&lt;/text&gt;&lt;script&gt;');
    expect(decodeURIComponent(page.body)).not.toContain('</text><script>');
  });

  it('answers a row stored before the rule with 500 and a request id on the lane and on /s/, and keeps serving', async () => {
    const res = await deploy({ slug: 'legacy', files: [{ path: 'index.html', content: '<p>legacy</p>' }, { path: 'old.txt', content: 'old' }] });
    expect(res.status).toBe(201);
    // What an older version let through, written the way it was: into the store, beside the running serve.
    const db = new DatabaseSync(join(platform.dataDir, 'invoker.db'));
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare("UPDATE site_files SET content_type = ? WHERE path = 'old.txt'").run('text/plain\nA: b');
    db.close();

    const host = `legacy.localhost:${platform.port}`;
    for (const [what, req] of [
      ['the lane', { host, path: '/old.txt' }],
      ['the lane, HEAD', { host, path: '/old.txt', method: 'HEAD' }],
      ['Hono on /s/', { path: '/s/legacy/old.txt' }],
    ] as const) {
      const answer = await httpRequest(platform.port, req);
      expect({ what, status: answer.status }).toEqual({ what, status: 500 });
      const id = String(answer.headers['x-request-id']);
      expect(id).toMatch(/^req_/);
      if (!('method' in req)) expect(JSON.parse(answer.body)).toMatchObject({ code: 'internal', request_id: id });
      // The operator's log says which file and what to do.
      await expect.poll(() => platform.stderr()).toContain(`request ${id}`);
      expect(platform.stderr()).toMatch(new RegExp(`request ${id}: .*stored content type of "old.txt" is not a media type.*deploy the site again`));
    }
    expect(platform.process.exitCode).toBeNull();
    expect((await httpRequest(platform.port, { host, path: '/' })).body).toContain('<p>legacy</p>');
  });
});

// patch_page and POST /deploy/{id}/patch on a real `serve`, on both store backends: edits apply to
// the page as it was uploaded ({{SUBMIT_URL}} and metadata not yet filled in), every other file is
// stored again byte for byte, and each refusal says why: a find that occurs 0 or 2 times (naming the
// count), a stale base_version (409), a binary file, a missing file, a result over the file limit
// (413). Then the same through the spawned MCP server's patch_page tool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, connectMcp, createKey, httpRequest, resultText, startPlatform, type McpSession, type Platform } from '../helpers/platform.js';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/style.css"></head>
<body><h1>Launch day</h1><p>Doors open at 9.</p><p>Bring a friend. Bring a friend.</p>
<form method="post" action="{{SUBMIT_URL}}"><input name="email"><button>Join</button></form></body></html>`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a8a30000000049454e44ae426082', 'hex');

describe.each(BACKENDS)('patching a page (%s)', (backend) => {
  let platform: Platform;
  let key: string;
  let mcp: McpSession;
  let site: { id: string; slug: string; url: string; preview_url: string };

  beforeAll(async () => {
    // A 1 MB file limit makes "a patch past the limits" cheap to reach.
    platform = await startPlatform({ backend, env: { INVOKER_MAX_FILE_MB: '1' } });
    key = await createKey(platform, 'patcher@example.com');
    mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key });
    const res = await api('POST', '/deploy', {
      slug: `patch-${backend}`,
      title: 'Launch',
      publish: true,
      files: [
        { path: 'index.html', content: PAGE },
        { path: 'style.css', content: 'h1 { color: #123; }' },
        { path: 'logo.png', content: PNG.toString('base64'), encoding: 'base64' },
      ],
    });
    expect(res.status, res.body).toBe(201);
    site = JSON.parse(res.body);
  });
  afterAll(async () => {
    await mcp?.close();
    await platform?.stop();
  });

  async function api(method: string, path: string, body?: unknown) {
    return httpRequest(platform.port, {
      method,
      path,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
  const patch = (body: unknown) => api('POST', `/deploy/${site.id}/patch`, body);
  const fetchFrom = (url: string, path = '/') => httpRequest(platform.port, { host: new URL(url).host, path });

  it('edits the page as uploaded, keeps every other file byte for byte, and makes a preview', async () => {
    const before = await fetchFrom(site.url, '/logo.png');
    // The upload's placeholder is what the edit finds; the served page has the submit URL instead.
    const res = await patch({
      edits: [
        { find: 'Doors open at 9.', replace: 'Doors open at 10.' },
        { find: 'action="{{SUBMIT_URL}}"', replace: 'action="{{SUBMIT_URL}}" id="join"' },
        { path: 'style.css', find: '#123', replace: '#345' },
      ],
      base_version: 1,
    });
    expect(res.status, res.body).toBe(200);
    const patched = JSON.parse(res.body);
    expect(patched).toMatchObject({ id: site.id, version: 2, live_version: 1, title: 'Launch' });

    const page = (await fetchFrom(patched.preview_url)).body;
    expect(page).toContain('Doors open at 10.');
    expect(page).toContain(`action="${platform.url}/submit/${site.id}" id="join"`);
    // The title filled in from the metadata, once, as in version 1.
    expect(page.match(/<title>Launch<\/title>/g)).toHaveLength(1);
    expect((await fetchFrom(patched.preview_url, '/style.css')).body).toBe('h1 { color: #345; }');
    const logo = await fetchFrom(patched.preview_url, '/logo.png');
    expect(Buffer.from(logo.body, 'latin1').length).toBe(Buffer.from(before.body, 'latin1').length);
    expect(logo.headers.etag).toBe(before.headers.etag);
    // Still a preview: the live site serves version 1.
    expect((await fetchFrom(site.url)).body).toContain('Doors open at 9.');
  });

  it('refuses a find that occurs 0 or 2 times, naming the count, and leaves no new version', async () => {
    const none = await patch({ edits: [{ find: 'Doors open at 11.', replace: 'x' }] });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body)).toMatchObject({ code: 'invalid_input', error: expect.stringMatching(/occurs 0 times.*exactly once/) });
    const twice = await patch({ edits: [{ find: 'Bring a friend.', replace: 'x' }] });
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.body).error).toMatch(/Edit 1 \(index\.html\): find "Bring a friend\." occurs 2 times/);
    // The metadata title is not in the upload, so an edit cannot find it there.
    expect(JSON.parse((await patch({ edits: [{ find: '<title>', replace: '' }] })).body).error).toMatch(/occurs 0 times/);
    expect(JSON.parse((await api('GET', `/deploy/${site.id}`)).body).version).toBe(2);
  });

  it('answers a stale base_version 409, a binary or missing file 400, a missing site 404', async () => {
    const stale = await patch({ edits: [{ find: 'Doors', replace: 'Gates' }], base_version: 1 });
    expect(stale.status).toBe(409);
    expect(JSON.parse(stale.body)).toMatchObject({ code: 'conflict', error: expect.stringContaining('Version 1 is no longer the newest (version 2 is)') });
    const binary = await patch({ edits: [{ path: 'logo.png', find: 'PNG', replace: 'GIF' }] });
    expect(binary.status).toBe(400);
    expect(JSON.parse(binary.body).error).toMatch(/"logo\.png" is image\/png, not text/);
    const missing = await patch({ edits: [{ path: 'about.html', find: 'a', replace: 'b' }] });
    expect(JSON.parse(missing.body).error).toMatch(/no file "about\.html".*index\.html, logo\.png, style\.css/);
    expect((await patch({ edits: [] })).status).toBe(400);
    expect((await patch({ edits: [{ find: 'a', replace: 'b', fuzzy: true }] })).status).toBe(400);
    expect((await api('POST', '/deploy/dep_0000000000000000/patch', { edits: [{ find: 'a', replace: 'b' }] })).status).toBe(404);
  });

  it('refuses a patch whose result would pass the file limit (413) and keeps the version as it was', async () => {
    const big = JSON.parse((await api('POST', '/deploy', { slug: `patch-big-${backend}`, html: `<p>start</p>${'a'.repeat(900_000)}` })).body);
    const res = await api('POST', `/deploy/${big.id}/patch`, { edits: [{ find: '<p>start</p>', replace: 'x'.repeat(200_000) }] });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'too_large', error: expect.stringContaining('the limit is 1 MB per file') });
    expect(JSON.parse((await api('GET', `/deploy/${big.id}`)).body).version).toBe(1);
  });

  it('patches through the MCP tool, publishing when asked, with the card and links in the result', async () => {
    const result = await mcp.client.callTool({ name: 'patch_page', arguments: { id: site.id, edits: [{ find: 'Launch day', replace: 'Launch week' }], publish: true } });
    expect(result.isError, resultText(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ version: 3, live_version: 3 });
    expect(resultText(result)).toContain(site.url);
    const links = (result.content as Array<{ type: string; uri?: string }>).filter((c) => c.type === 'resource_link').map((c) => c.uri);
    expect(links).toEqual([site.url, expect.stringContaining(`${site.slug}--`)]);
    expect((await fetchFrom(site.url)).body).toContain('Launch week');

    const refused = await mcp.client.callTool({ name: 'patch_page', arguments: { id: site.id, edits: [{ find: 'Bring a friend.', replace: 'x' }] } });
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/occurs 2 times/);
  });
});

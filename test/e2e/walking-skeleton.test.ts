// The thinnest real path through the product: a real `serve`, a key from `admin create-key`, the
// built MCP server over stdio deploying a page, and the page fetched by Host header and /s/ path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, MCP_ERAS, connectMcp, createKey, httpRequest, resultText, runCli, startPlatform, type Platform } from '../helpers/platform.js';

describe.each(BACKENDS)('walking skeleton: deploy from an MCP client to a self-hosted platform ($0)', (backend) => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend });
    key = await createKey(platform, 'me@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it(`runs on the ${backend} store`, () => {
    expect(platform.stderr()).toContain(`(store: ${backend},`);
  });

  it('admin create-key prints only a well-formed key on stdout', async () => {
    const result = await runCli(['admin', 'create-key', 'Me@Example.com', '--name', 'ci', '--data-dir', platform.dataDir], platform.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^inv_[0-9A-Za-z]{38}\n$/);
    expect(result.stderr).toContain('me@example.com');
  });

  describe.each(MCP_ERAS)('over MCP %s', (era) => {
    // Each era deploys its own slugs on the shared platform.
    const tag = era.slice(0, 4);

    it('lists the tools, answers whoami and deploys a page that is served live', async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key }, era);
      try {
        const { tools } = await mcp.client.listTools();
        const names = tools.map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(['whoami', 'deploy']));
        for (const tool of tools) {
          expect(tool.description?.length ?? 0).toBeGreaterThan(40);
          expect(tool.annotations).toMatchObject({
            readOnlyHint: expect.any(Boolean),
            destructiveHint: expect.any(Boolean),
            idempotentHint: expect.any(Boolean),
            openWorldHint: expect.any(Boolean),
          });
        }

        const who = await mcp.client.callTool({ name: 'whoami', arguments: {} });
        expect(who.isError).toBeFalsy();
        expect(resultText(who)).toContain('me@example.com');
        expect(who.structuredContent).toMatchObject({ email: 'me@example.com', key_source: 'environment' });
        expect(JSON.stringify(who)).not.toContain(key);

        const deployed = await mcp.client.callTool({
          name: 'deploy',
          arguments: { html: '<h1>Hi</h1>', slug: `hello-${tag}`, publish: true },
        });
        expect(deployed.isError).toBeFalsy();
        const liveUrl = `http://hello-${tag}.localhost:${platform.port}/`;
        expect(resultText(deployed)).toContain(liveUrl);
        expect(deployed.structuredContent).toMatchObject({ slug: `hello-${tag}`, url: liveUrl, status: 'live', version: 1 });

        const live = await httpRequest(platform.port, { host: `hello-${tag}.localhost:${platform.port}` });
        expect(live.status).toBe(200);
        expect(live.body).toBe('<h1>Hi</h1>');
        expect(live.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(live.headers['x-content-type-options']).toBe('nosniff');

        const fallback = await httpRequest(platform.port, { path: `/s/hello-${tag}/` });
        expect(fallback.status).toBe(200);
        expect(fallback.body).toBe('<h1>Hi</h1>');
        expect(fallback.headers['content-security-policy']).toMatch(/^sandbox /);
        expect(fallback.headers['content-security-policy']).not.toContain('allow-same-origin');
        expect(mcp.stderr()).not.toContain(key);
      } finally {
        await mcp.close();
      }
    });

    it('a deploy without publish is a preview: live host 404, preview host serves it', async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key }, era);
      try {
        const deployed = await mcp.client.callTool({ name: 'deploy', arguments: { html: '<p>draft</p>', slug: `draft-page-${tag}` } });
        expect(deployed.isError).toBeFalsy();
        const site = deployed.structuredContent as { preview_url: string; status: string };
        expect(site.status).toBe('draft');
        expect(resultText(deployed)).toContain(site.preview_url);
        const live = await httpRequest(platform.port, { host: `draft-page-${tag}.localhost:${platform.port}` });
        expect(live.status).toBe(404);
        const preview = await httpRequest(platform.port, { host: new URL(site.preview_url).host });
        expect(preview.status).toBe(200);
        expect(preview.body).toBe('<p>draft</p>');
      } finally {
        await mcp.close();
      }
    });

    it('a tool call without any key is an isError result that says how to log in', async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: platform.dataDir + '/no-config' }, era);
      try {
        const result = await mcp.client.callTool({ name: 'deploy', arguments: { html: '<p>x</p>' } });
        expect(result.isError).toBe(true);
        expect(resultText(result)).toMatch(/login/);
        expect(resultText(result)).toMatch(/INVOKER_API_KEY/);
        // The server is still answering.
        const again = await mcp.client.listTools();
        expect(again.tools.length).toBeGreaterThan(0);
      } finally {
        await mcp.close();
      }
    });
  });

  it('answers bad HTTP input with JSON errors, never a crash', async () => {
    const noKey = await httpRequest(platform.port, { path: '/me' });
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.body)).toMatchObject({ code: 'unauthenticated' });

    const wrongKey = await httpRequest(platform.port, {
      path: '/me',
      headers: { authorization: `Bearer ${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}` },
    });
    expect(wrongKey.status).toBe(401);

    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const badSlug = await httpRequest(platform.port, {
      method: 'POST', path: '/deploy', headers: auth, body: JSON.stringify({ html: '<p>x</p>', slug: 'Not A Slug' }),
    });
    expect(badSlug.status).toBe(400);
    expect(JSON.parse(badSlug.body).error).toMatch(/slug/);

    const emptyHtml = await httpRequest(platform.port, {
      method: 'POST', path: '/deploy', headers: auth, body: JSON.stringify({ html: '   ' }),
    });
    expect(emptyHtml.status).toBe(400);
    expect(JSON.parse(emptyHtml.body).error).toMatch(/html/);

    const notJson = await httpRequest(platform.port, { method: 'POST', path: '/deploy', headers: auth, body: '{nope' });
    expect(notJson.status).toBe(400);

    const health = await httpRequest(platform.port, { path: '/healthz' });
    expect(health.status).toBe(200);
  });
});

// deploy and update with `path` through the spawned stdio server against a real `serve`: a 20 MB,
// 400-file folder goes up in a tools/call of a few hundred bytes (the server reads the disk, not the
// model), every file arrives byte for byte; a symbolic link to /etc/passwd is refused by name before
// anything is sent; update takes a path too.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_ERAS, connectMcp, createKey, httpRequest, resultText, startPlatform, type McpSession, type Platform } from '../helpers/platform.js';

const FILES = 400;
const FILE_BYTES = 52_000;

describe.each(MCP_ERAS)('deploy {path} over stdio (%s)', (era) => {
  let platform: Platform;
  let mcp: McpSession;
  let dir: string;
  const sent: string[] = [];
  const blobs = new Map<string, Buffer>();

  beforeAll(async () => {
    platform = await startPlatform();
    const key = await createKey(platform, 'folder@example.com');
    mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key }, era);
    // Every message the client writes to the server's stdin, as written.
    const transport = (mcp.client as unknown as { transport: { send(message: unknown): Promise<void> } }).transport;
    const send = transport.send.bind(transport);
    transport.send = (message) => {
      sent.push(JSON.stringify(message));
      return send(message);
    };
    dir = await mkdtemp(join(tmpdir(), 'invoker-folder-'));
    await mkdir(join(dir, 'img'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Gallery</title><h1>Gallery</h1>');
    for (let i = 1; i < FILES; i++) {
      const bytes = randomBytes(FILE_BYTES);
      blobs.set(`img/photo-${i}.bin`, bytes);
      await writeFile(join(dir, 'img', `photo-${i}.bin`), bytes);
    }
  }, 60_000);
  afterAll(async () => {
    await mcp?.close();
    await platform?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('deploys a 20 MB, 400-file folder from a request under 1 KB, every byte intact', { timeout: 120_000 }, async () => {
    sent.length = 0;
    const result = await mcp.client.callTool({ name: 'deploy', arguments: { path: dir, slug: `gallery-${era.slice(0, 4)}`, publish: true } }, { timeout: 110_000 });
    expect(result.isError, resultText(result)).toBeFalsy();
    const request = sent.find((line) => line.includes('"tools/call"')) ?? '';
    console.log(`[figures] deploy {path} of ${FILES} files, ${(FILES - 1) * FILE_BYTES} bytes: tools/call of ${Buffer.byteLength(request)} bytes (${era})`);
    expect(Buffer.byteLength(request)).toBeLessThan(1024);

    const site = result.structuredContent as { id: string; url: string };
    const status = await mcp.client.callTool({ name: 'get_status', arguments: { id: site.id } });
    const [version] = (status.structuredContent as { versions: Array<{ file_count: number; total_bytes: number }> }).versions;
    expect(version?.file_count).toBe(FILES);
    expect(version?.total_bytes).toBeGreaterThan(20 * 1000 * 1000);
    const host = new URL(site.url).host;
    for (const path of ['img/photo-1.bin', 'img/photo-200.bin', `img/photo-${FILES - 1}.bin`]) {
      const res = await httpRequest(platform.port, { host, path: `/${path}` });
      expect(res.status).toBe(200);
      // The entity tag is the SHA-256 of the bytes served (the test's reader decodes bodies as text).
      const sha = createHash('sha256').update(blobs.get(path) as Buffer).digest('base64url').slice(0, 27);
      expect(res.headers.etag).toBe(`"${sha}"`);
      expect(Number(res.headers['content-length'])).toBe(FILE_BYTES);
    }
  });

  it('refuses a symbolic link leaving the folder, naming it, and sends nothing', async () => {
    const leaky = await mkdtemp(join(tmpdir(), 'invoker-leaky-'));
    await writeFile(join(leaky, 'index.html'), '<h1>Hi</h1>');
    await symlink('/etc/passwd', join(leaky, 'passwd.txt'));
    const before = JSON.parse((await httpRequest(platform.port, { path: '/healthz' })).body);
    expect(before.ok).toBe(true);
    const result = await mcp.client.callTool({ name: 'deploy', arguments: { path: leaky, slug: `leaky-${era.slice(0, 4)}` } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/passwd\.txt is a symbolic link to \/etc\/passwd, outside .*links must stay inside the folder/);
    const res = await httpRequest(platform.port, { host: `leaky-${era.slice(0, 4)}--x.localhost:${platform.port}` });
    expect(res.status).toBe(404);
    await rm(leaky, { recursive: true, force: true });
  });

  it('updates a site from a path, and refuses path beside html', async () => {
    const page = await mkdtemp(join(tmpdir(), 'invoker-page-'));
    await writeFile(join(page, 'v1.html'), '<h1>One</h1>');
    await writeFile(join(page, 'v2.html'), '<h1>Two</h1>');
    const first = await mcp.client.callTool({ name: 'deploy', arguments: { path: join(page, 'v1.html'), publish: true } });
    const site = first.structuredContent as { id: string; url: string };
    const second = await mcp.client.callTool({ name: 'update', arguments: { id: site.id, path: join(page, 'v2.html'), publish: true } });
    expect(second.isError, resultText(second)).toBeFalsy();
    expect((await httpRequest(platform.port, { host: new URL(site.url).host })).body).toBe('<h1>Two</h1>');
    const both = await mcp.client.callTool({ name: 'update', arguments: { id: site.id, path: join(page, 'v2.html'), html: '<p>x</p>' } });
    expect(resultText(both)).toMatch(/path, or html or files, not both/);
    await rm(page, { recursive: true, force: true });
  });
});

// The site card (ui://invoker/site) in a real MCP Apps host: the ext-apps SDK's AppBridge in
// Chromium (test/browser/apps-host.mjs), the view read from the built stdio server with
// resources/read, its tool calls sent back over the same stdio connection, against a real `serve`.
// It renders a real deployed site (preview frame, versions, the newest five submissions as text);
// Publish, Roll back and Delete change what the live URL serves, checked over HTTP; axe-core finds
// nothing; it fits 360 px without scrolling sideways; Delete asks first and works from the keyboard.
// UPDATE_SCREENSHOTS=1 also writes docs/site-card-*.png.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { ROOT, connectMcp, createKey, httpRequest, resultText, startPlatform, type McpSession, type Platform } from '../helpers/platform.js';

declare const document: any;
declare const window: any;

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs') : null;
const page = (version: number) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Waitlist</title></head>
<body><main><h1>Waitlist, version ${version}</h1><form method="post" action="{{SUBMIT_URL}}"><label>Email <input name="email"></label><button>Join</button></form></main></body></html>`;
const HOSTILE = '<img src=x onerror="document.title=\'owned\'"><b>bold</b>';

interface SiteResult {
  id: string;
  slug: string;
  url: string;
  preview_url: string;
}

describe('the site card in an MCP Apps host', () => {
  let platform: Platform;
  let mcp: McpSession;
  let browser: Browser;
  let host: Page;
  let card: Frame;
  let site: SiteResult;
  const calls: string[] = [];

  const live = () => httpRequest(platform.port, { host: new URL(site.url).host });
  const waitFor = (text: string) => card.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });

  beforeAll(async () => {
    platform = await startPlatform();
    const key = await createKey(platform, 'card@example.com');
    mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key }, '2025-11-25', {
      capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } },
    } as never);
    const first = await mcp.client.callTool({ name: 'deploy', arguments: { html: page(1), slug: 'card-demo' } });
    site = first.structuredContent as unknown as SiteResult;
    // Six visitors, one of whom writes markup: the card shows the newest five, as text.
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com', HOSTILE]) {
      const res = await httpRequest(platform.port, { method: 'POST', path: `/submit/${site.id}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      expect(res.status).toBe(200);
    }
    browser = await launchBrowser();
    host = await browser.newPage({ viewport: { width: 800, height: 1000 } });
    await host.exposeFunction('hostCallTool', async (params: { name: string; arguments?: Record<string, unknown> }) => {
      calls.push(params.name);
      return mcp.client.callTool(params);
    });
    const bundle = await build({
      input: join(ROOT, 'test/browser/apps-host.mjs'),
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      output: { format: 'iife' },
    });
    await host.setContent('<!doctype html><html lang="en"><head><title>Test host</title></head><body><main id="host"></main></body></html>');
    await host.addScriptTag({ content: bundle.output[0].code });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await mcp?.close();
    await platform?.stop();
  });

  it('is declared by the site tools and served by the stdio server as one self-contained document', async () => {
    const { tools } = await mcp.client.listTools();
    for (const name of ['deploy', 'update', 'patch_page', 'publish', 'get_status']) {
      expect(tools.find((t) => t.name === name)?._meta).toEqual({ ui: { resourceUri: 'ui://invoker/site' } });
    }
    const { resources } = await mcp.client.listResources();
    expect(resources).toContainEqual(expect.objectContaining({ uri: 'ui://invoker/site', mimeType: 'text/html;profile=mcp-app' }));
    const read = await mcp.client.readResource({ uri: 'ui://invoker/site' });
    const [content] = read.contents as unknown as Array<{ text: string; mimeType: string; _meta: { ui: { csp: { frameDomains: string[] } } } }>;
    expect(content?.mimeType).toBe('text/html;profile=mcp-app');
    expect(content?._meta.ui.csp.frameDomains).toEqual([`http://*.localhost:${platform.port}`, platform.url]);
    // Nothing to fetch: no external script, stylesheet, font or image.
    expect(content?.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/i);
  });

  it('renders the deployed site: preview frame, versions, the newest five submissions as text', async () => {
    const second = await mcp.client.callTool({ name: 'update', arguments: { id: site.id, html: page(2) } });
    const read = await mcp.client.readResource({ uri: 'ui://invoker/site' });
    const [content] = read.contents as unknown as Array<{ text: string; _meta: { ui: { csp: { frameDomains: string[] } } } }>;
    await host.evaluate((args: unknown) => window.startHost(args), {
      html: content?.text,
      frameDomains: content?._meta.ui.csp.frameDomains,
      toolInput: { id: site.id, html: '…' },
      toolResult: second,
    });
    card = host.frames().find((f) => f.parentFrame() === host.mainFrame()) as Frame;
    await waitFor('Submissions (6)');
    expect(await card.locator('h1').textContent()).toBe('card-demo');
    expect(await card.locator('#badge').textContent()).toBe('Not published');
    expect(await card.locator('#versions li').count()).toBe(2);
    expect(await card.locator('#subs li').count()).toBe(5);
    // The visitor's markup is text on the card: no element made from it, nothing run.
    expect(await card.locator('#subs').textContent()).toContain(HOSTILE);
    expect(await card.locator('#subs img, #subs b').count()).toBe(0);
    expect(await card.evaluate(() => document.title)).toBe('Invoker site');
    // The preview frame shows the newest version from its preview host.
    const preview = card.childFrames()[0] as Frame;
    await preview.getByText('Waitlist, version 2').waitFor({ timeout: 15_000 });
    expect(new URL(preview.url()).host).toBe(new URL((second.structuredContent as unknown as SiteResult).preview_url).host);
    expect(calls).toEqual(expect.arrayContaining(['get_status', 'get_submissions']));
  });

  it('passes axe-core with no violations at all, and fits 360 px', async () => {
    await card.evaluate(await import('node:fs/promises').then((fs) => fs.readFile(AXE_PATH, 'utf8')));
    const violations = await card.evaluate(async () => {
      const result = await window.axe.run(document, { iframes: false });
      return result.violations.map((v: { id: string; help: string; nodes: Array<{ target: unknown }> }) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    expect(violations).toEqual([]);
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await host.locator('#view').screenshot({ path: join(SCREENSHOTS, 'site-card.png') });
    }
    await host.setViewportSize({ width: 360, height: 900 });
    await host.waitForTimeout(200);
    expect(await card.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (SCREENSHOTS) await host.locator('#view').screenshot({ path: join(SCREENSHOTS, 'site-card-360.png') });
    await host.setViewportSize({ width: 800, height: 1000 });
  });

  it('publishes, rolls back and deletes through the host, and the live URL follows', async () => {
    expect((await live()).status).toBe(404);
    await card.locator('#publish').click();
    expect(await card.locator('#publish').textContent()).toBe('Publish version 2');
    await waitFor('Version 2 is live');
    expect((await live()).body).toContain('Waitlist, version 2');

    expect(await card.locator('#rollback').textContent()).toBe('Roll back to version 1');
    await card.locator('#rollback').click();
    await waitFor('Version 1 is live');
    expect((await live()).body).toContain('Waitlist, version 1');
    expect(await card.locator('#badge').textContent()).toBe('Live: version 1');

    // Delete asks first; from the keyboard: Enter opens the question, focus waits on Cancel.
    expect(await card.locator('#confirm').isVisible()).toBe(false);
    await card.getByRole('button', { name: 'Delete…' }).focus();
    await host.keyboard.press('Enter');
    await card.getByRole('alertdialog').waitFor();
    expect(await card.locator('#confirm').isVisible()).toBe(true);
    expect(await card.locator('#confirm-text').textContent()).toMatch(/Delete card-demo for good\? Its 2 version\(s\) and 6 submission\(s\) go with it/);
    expect(await card.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect((await live()).status).toBe(200);
    await host.keyboard.press('Shift+Tab');
    expect(await card.evaluate(() => document.activeElement?.textContent)).toBe('Delete for good');
    await host.keyboard.press('Enter');
    await waitFor('no longer answers');
    expect((await live()).status).toBe(404);
    const gone = await mcp.client.callTool({ name: 'get_status', arguments: { id: site.id } });
    expect(gone.isError).toBe(true);
    expect(resultText(gone)).toMatch(/not found/i);
    expect(calls).toEqual(expect.arrayContaining(['publish', 'teardown']));
  });
});

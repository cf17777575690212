// Every template, and a page of every block in every style, deployed to a real `serve` and loaded
// from its live host in real Chromium: no request leaves the local platform, no console errors,
// axe-core finds nothing at all (every rule, every impact), nothing scrolls sideways at 360 px, the forms post
// to the deployment's submit URL, and the FAQ and countdown work without a library.
// UPDATE_SCREENSHOTS=1 also writes the template screenshots in docs/templates/.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKS } from '../../packages/invoker-mcp/src/content/blocks/index.js';
import { composePage } from '../../packages/invoker-mcp/src/content/compose.js';
import { STYLES } from '../../packages/invoker-mcp/src/content/styles.js';
import { TEMPLATES } from '../../packages/invoker-mcp/src/content/templates.js';
import { launchBrowser } from '../helpers/browser.js';
import { ROOT, createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

// tsconfig has no DOM lib (the code is Node's); these are the browser globals the page.evaluate
// callbacks below use, declared here so the DOM types do not leak into src/.
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: unknown): { outlineStyle: string; outlineWidth: string };

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/templates') : null;

interface Deployed {
  id: string;
  url: string;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

describe('content pages in real Chromium', () => {
  let platform: Platform;
  let key: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'content@example.com');
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function deploy(slug: string, html: string): Promise<Deployed> {
    const res = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ html, slug, publish: true }),
    });
    expect(res.status, res.body).toBe(201);
    return JSON.parse(res.body) as Deployed;
  }

  /** Loads a deployed page and runs the checks every content page must pass. */
  async function checkPage(site: Deployed, label: string, allowedAxeImpacts: readonly string[]): Promise<void> {
    requests.length = 0;
    consoleErrors.length = 0;
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(site.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    await page.addScriptTag({ path: AXE_PATH });
    const violations = await page.evaluate(async () => {
      const axe = window.axe as { run(ctx: unknown, opts: object): Promise<{ violations: AxeViolation[] }> };
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
    });
    if (process.env.DEBUG_AXE) process.stderr.write(`${label}: ${JSON.stringify(violations)}\n`);
    const failing = violations.filter((v) => !allowedAxeImpacts.includes(v.impact ?? ''));
    expect(failing, `${label}: axe violations`).toEqual([]);

    for (const width of [360, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${label}: horizontal scroll at ${width}px`).toBeLessThanOrEqual(0);
    }

    const forms = await page.$$eval('form', (els) => els.map((f) => ({ action: f.getAttribute('action'), method: f.method, hp: !!f.querySelector('input[name="_hp"]') })));
    for (const form of forms) expect(form, `${label}: form`).toEqual({ action: `${platform.url}/submit/${site.id}`, method: 'post', hp: true });

    // Every label points at a real control and every text control has a label (axe checks too; this names the page).
    const unlabelled = await page.$$eval('input:not([type=hidden]):not([name="_hp"]), select, textarea', (els) =>
      els.filter((e) => !(e as unknown as { labels: unknown[] | null }).labels?.length).map((e) => e.outerHTML),
    );
    expect(unlabelled, `${label}: unlabelled fields`).toEqual([]);

    expect(requests, 'the request recorder saw the page itself').toContain(site.url);
    const allowed = new URL(site.url).host;
    const external = requests.filter((u) => !u.startsWith('data:') && new URL(u).host !== allowed);
    expect(external, `${label}: requests outside the local platform`).toEqual([]);
    expect(consoleErrors, `${label}: console errors`).toEqual([]);
  }

  it.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s', async (id, template) => {
    const site = await deploy(`tpl-${id}`, composePage(template));
    // Templates are held to every axe rule, not only serious and critical ones.
    await checkPage(site, `template ${id}`, []);
    expect(await page.$$('form')).not.toHaveLength(0);
    if (SCREENSHOTS) {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.screenshot({ path: join(SCREENSHOTS, `${id}-${width}.png`), fullPage: true, animations: 'disabled' });
      }
    }
    await submitFirstForm(site, `template ${id}`);
  });

  /** Fills the page's first form as a visitor would, submits it, and checks it was captured. */
  async function submitFirstForm(site: Deployed, label: string): Promise<void> {
    const form = page.locator('form').first();
    const fields = await form.locator('input:not([type=hidden]):not([name="_hp"]), select, textarea').all();
    const checkedRadios = new Set<string>();
    for (const field of fields) {
      const info = await field.evaluate((e) => {
        const control = e as unknown as { type: string; name: string };
        return { tag: e.tagName.toLowerCase(), type: control.type, name: control.name };
      });
      if (info.tag === 'select') await field.selectOption({ index: 1 });
      else if (info.tag === 'textarea') await field.fill('Looking forward to it');
      else if (info.type === 'checkbox') await field.check();
      else if (info.type === 'radio') {
        if (!checkedRadios.has(info.name)) await field.check();
        checkedRadios.add(info.name);
      } else if (info.type === 'email') await field.fill('visitor@example.com');
      else if (info.type === 'number') await field.fill('2');
      else if (info.type === 'date') await field.fill('2030-01-01');
      else if (info.type === 'tel') await field.fill('+1 555 0100');
      else if (info.type === 'url') await field.fill('https://example.com');
      else await field.fill('Test visitor');
    }
    await Promise.all([page.waitForURL(/\/thanks$/), form.locator('button[type=submit], button:not([type]), input[type=submit]').first().click()]);
    const res = await httpRequest(platform.port, { path: `/submissions/${site.id}`, headers: { authorization: `Bearer ${key}` } });
    const body = JSON.parse(res.body) as { total: number; submissions: Array<{ data: Record<string, unknown> }> };
    expect(body.total, `${label}: submission captured`).toBe(1);
    expect(Object.keys(body.submissions[0]?.data ?? {}).length, `${label}: fields captured`).toBeGreaterThan(0);
    expect(body.submissions[0]?.data).not.toHaveProperty('_hp');
  }

  const allBlocks = BLOCKS.map((b) => ({ blockId: b.id }));

  // Held to every axe rule, like the templates: two navbars and two footers on one page still name
  // their landmarks apart, and no heading level is skipped.
  it.each(STYLES.map((s) => [s.id] as const))('every block in style %s', async (styleId) => {
    const site = await deploy(`all-${styleId}`, composePage({ style: styleId, blocks: allBlocks, page: { title: `All blocks, ${styleId}`, favicon: '🧪' } }));
    await checkPage(site, `all blocks, ${styleId}`, []);
    expect(await page.$$eval('form', (f) => f.length)).toBe(BLOCKS.filter((b) => b.form).length);
  });

  // Every block twice, each with its defaults: two pages, as one would pass the 40-block limit.
  const half = Math.ceil(allBlocks.length / 2);
  it.each([allBlocks.slice(0, half), allBlocks.slice(half)].map((blocks, i) => [i + 1, blocks] as const))(
    'every block repeated, with its defaults (part %i)',
    async (part, blocks) => {
      const site = await deploy(`twice-${part}`, composePage({ blocks: [...blocks, ...blocks], page: { title: `Blocks twice, part ${part}` } }));
      await checkPage(site, `blocks twice, part ${part}`, []);
      // Every in-page link lands on an element of the page.
      const dangling = await page.$$eval('a[href^="#"]', (links) =>
        links.map((a) => a.getAttribute('href') as string).filter((h) => h !== '#' && !document.getElementById(h.slice(1))),
      );
      expect(dangling, `part ${part}: links to nothing`).toEqual([]);
    },
  );

  it('the FAQ opens from the keyboard, focus is visible and the countdown ticks, with no library', async () => {
    // Targets relative to now, so the test means the same thing in any year.
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const html = composePage({
      blocks: [
        { blockId: 'navbar' },
        { blockId: 'faq', props: { single: true } },
        { blockId: 'countdown', props: { target: inTwoDays } },
        { blockId: 'countdown', props: { anchor: 'past', target: yesterday, endedText: 'We are live!' } },
      ],
      page: { title: 'Interactive' },
    });
    const site = await deploy('interactive', html);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(site.url);

    // The first Tab lands on the skip link, which becomes visible with an outline.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, top: el.getBoundingClientRect().top, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(skip).toMatchObject({ text: 'Skip to content', outline: 'solid', width: '3px' });
    expect(skip.top).toBeGreaterThanOrEqual(0);

    const summaries = page.locator('summary');
    await summaries.nth(0).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('details').nth(0).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    await expect.poll(() => page.locator('details p').nth(0).isVisible()).toBe(true);
    // "single": opening the second closes the first.
    await summaries.nth(1).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('details').evaluateAll((ds) => ds.map((d) => (d as unknown as { open: boolean }).open))).toEqual([false, true, false]);

    const days = page.locator('[data-unit="d"]');
    await expect.poll(() => days.nth(0).textContent()).toBe('02');
    const seconds = page.locator('[data-unit="s"]').nth(0);
    const first = await seconds.textContent();
    await expect.poll(() => seconds.textContent(), { timeout: 3_000 }).not.toBe(first);
    expect(await page.getByText('It has started!').isVisible()).toBe(false);
    // A date in the past shows zeros and the ended text.
    expect(await page.locator('#past [data-unit]').allTextContents()).toEqual(['00', '00', '00', '00']);
    expect(await page.getByText('We are live!').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});

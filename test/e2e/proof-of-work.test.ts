// Proof of work on a form (form_protection "pow", SPEC section 13) against a real `serve` on each
// backend: a post without a solved challenge is refused (403), a forged or replayed solution too; a
// page composed with the content library's form widget (form_protection "pow" on its form block),
// opened in Chromium, solves the challenge itself and its submission is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { composePage } from '../../packages/invoker-mcp/src/content/compose.js';
import { launchBrowser } from '../helpers/browser.js';
import { keyedCall } from '../helpers/keyed-call.js';
import { BACKENDS, createKey, httpRequest, startPlatform, type Backend, type Platform } from '../helpers/platform.js';

describe.each(BACKENDS)('proof-of-work forms (%s)', (backend: Backend) => {
  let platform: Platform;
  let browser: Browser | undefined;
  let key: string;
  const api = (method: string, path: string, body?: unknown) => keyedCall(platform.port, key, method, path, body);
  const post = (siteId: string, fields: Record<string, string>) =>
    httpRequest(platform.port, { method: 'POST', path: `/submit/${siteId}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });

  beforeAll(async () => {
    platform = await startPlatform({ backend });
    key = await createKey(platform, 'pow@example.com');
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('refuses a post without a solved challenge and stores the one the widget solved in Chromium', async () => {
    const html = composePage({
      page: { title: 'Contact' },
      blocks: [{ blockId: 'form-contact', props: { form_protection: 'pow' } }],
    });
    expect(html).toContain(' data-pow>');
    expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/(?!.*\{\{)/);
    const slug = `pow-${backend}`;
    const deployed = await api('POST', '/deploy', { html, slug });
    const siteId = deployed.json.id as string;
    expect((await api('PATCH', `/deploy/${siteId}/forms`, { form_protection: 'pow' })).json.form_protection).toBe('pow');

    const bare = await post(siteId, { name: 'Bot', email: 'bot@example.com', message: 'spam' });
    expect(bare.status).toBe(403);
    expect(JSON.parse(bare.body).error).toMatch(/^No proof-of-work solution was sent\. This form is protected by proof of work/);
    const forged = await post(siteId, { name: 'Bot', altcha: Buffer.from(JSON.stringify({ algorithm: 'SHA-256', challenge: 'aa', number: 1, salt: 'x', signature: 'y' })).toString('base64') });
    expect(forged.status).toBe(403);
    const challenge = await httpRequest(platform.port, { path: `/submit/${siteId}/challenge` });
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.body)).toMatchObject({ algorithm: 'SHA-256', maxnumber: 50000 });
    expect((await httpRequest(platform.port, { path: '/submit/dep_0000000000000000/challenge' })).status).toBe(404);

    browser = await launchBrowser();
    const page = await browser.newPage();
    let posted = '';
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/submit/')) posted = r.postData() ?? '';
    });
    await page.goto(`http://${slug}.localhost:${platform.port}/`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByLabel('Message').fill('Hello from a person');
    await Promise.all([page.waitForURL(/\/thanks$/, { timeout: 20_000 }), page.getByRole('button', { name: 'Send message' }).click()]);
    const stored = await api('GET', `/submissions/${siteId}`);
    expect(stored.json.total).toBe(1);
    expect(stored.json.submissions[0].data).toEqual({ name: 'Ada', email: 'ada@example.com', message: 'Hello from a person' });

    // The same solution again (a bot replaying a person's post) is refused.
    const solution = new URLSearchParams(posted).get('altcha');
    expect(solution).toBeTruthy();
    const replay = await post(siteId, { name: 'Bot', altcha: solution! });
    expect(replay.status).toBe(403);
    expect(JSON.parse(replay.body).error).toMatch(/used already/);
    expect((await api('GET', `/submissions/${siteId}`)).json.total).toBe(1);
  }, 60_000);
});

// The user's first minute, for real: `invoker-mcp serve` mailing over SMTP to a real SMTP server,
// the built MCP server over stdio with no key anywhere, and Chromium doing what the person does on
// the login page. No mocks anywhere in the path.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { BIN, MCP_ERAS, cleanEnv, connectMcp, createKey, httpRequest, resultText, runCli, startPlatform, type McpEra, type McpSession, type Platform } from '../helpers/platform.js';
import { parseLoginMail, startMailCatcher, type MailCatcher } from '../helpers/smtp.js';

describe('browser email-verification login, end to end', () => {
  let smtp: MailCatcher;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startMailCatcher();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
  });

  // Sign-ins are limited to 5 per minute per client IP: each era, and the terminal and page checks,
  // get a platform of their own (each starts at most 4 from 127.0.0.1; the axe check comes "through a
  // proxy", INVOKER_TRUST_PROXY=1, from another address).
  const startMailingPlatform = () =>
    startPlatform({ env: { INVOKER_SMTP_URL: smtp.url, INVOKER_MAIL_FROM: 'Invoker <login@invoker.test>', INVOKER_TRUST_PROXY: '1' } });

  describe.each(MCP_ERAS)('from the MCP server over %s', (era: McpEra) => {
    let platform: Platform;
    beforeAll(async () => {
      platform = await startMailingPlatform();
    });
    afterAll(async () => {
      await platform?.stop();
    });

    const mcpFor = (configDir: string) =>
      connectMcp({ INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_NO_BROWSER: '1' }, era);

    /** Calls login until it reports success (each call waits ~15 s at most while resuming). */
    async function loginUntilDone(mcp: McpSession): Promise<string> {
      for (let i = 0; i < 4; i++) {
        const result = await mcp.client.callTool({ name: 'login', arguments: {} });
        expect(result.isError).toBeFalsy();
        if ((result.structuredContent as { status: string }).status === 'logged_in') return resultText(result);
      }
      throw new Error('login never completed');
    }

    it('a tool with no key starts the sign-in; the person finishes it in Chromium; then every tool works with a 0600 file', async () => {
      const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-login-')), 'config');
      const mcp = await mcpFor(configDir);
      try {
        // No key anywhere: deploy answers with the URL and the code, and starts the flow.
        const refused = await mcp.client.callTool({ name: 'deploy', arguments: { html: '<h1>Hi</h1>' } });
        expect(refused.isError).toBe(true);
        const refusedText = resultText(refused);
        expect(refusedText).toMatch(/call this tool again/);
        const url = /(http:\/\/\S+\/auth\/login\?code=([A-Z]{4}-[A-Z]{4}))/.exec(refusedText);
        expect(url).not.toBeNull();
        const [, verificationUrl, userCode] = url as unknown as [string, string, string];

        // login resumes the same sign-in rather than starting another.
        const pending = await mcp.client.callTool({ name: 'login', arguments: {} });
        expect(pending.isError).toBeFalsy();
        expect(pending.structuredContent).toMatchObject({ status: 'pending', verification_url: verificationUrl, user_code: userCode });
        expect(resultText(pending)).toContain(verificationUrl);
        expect(resultText(pending)).toMatch(/call login again/);

        // The person, in a real browser.
        const page = await browser.newPage();
        const consoleErrors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(verificationUrl);
        await expect.poll(() => page.textContent('body')).toContain(userCode);
        expect(await page.textContent('body')).toContain('invoker-e2e');
        await page.fill('input[name=email]', 'First.User@Example.com');
        const mailsBefore = smtp.mails.length;
        await page.click('button[type=submit]');
        await page.waitForSelector('input[autocomplete=one-time-code]');
        const mail = await smtp.waitFor('first.user@example.com', mailsBefore);
        expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
        expect(mail.raw).toMatch(/Content-Type: text\/html/i);
        const { code, link } = parseLoginMail(mail);
        expect(link).toBe(verificationUrl);
        // A mail scanner following the link changes nothing.
        const scanned = await httpRequest(platform.port, { path: new URL(link).pathname + new URL(link).search });
        expect(scanned.status).toBe(200);
        await page.fill('input[autocomplete=one-time-code]', code);
        await page.click('button[type=submit]');
        await expect.poll(() => page.textContent('h1')).toBe('Signed in — you can close this tab');
        // The stylesheet is allowed by its hash (no CSP violations) and the page fetches nothing else.
        expect(consoleErrors).toEqual([]);
        expect(requests.every((r) => r.startsWith(platform.url))).toBe(true);
        await page.close();

        const done = await loginUntilDone(mcp);
        expect(done).toMatch(/Logged in as first\.user@example\.com/);

        const who = await mcp.client.callTool({ name: 'whoami', arguments: {} });
        expect(who.isError).toBeFalsy();
        expect(who.structuredContent).toMatchObject({ email: 'first.user@example.com', key_source: 'file' });
        expect((who.structuredContent as { key: { name: string } }).key.name).toMatch(/^invoker-e2e login \d{4}-\d{2}-\d{2}$/);

        const deployed = await mcp.client.callTool({ name: 'deploy', arguments: { html: '<h1>First minute</h1>', slug: 'first-minute', publish: true } });
        expect(deployed.isError).toBeFalsy();
        expect(deployed.structuredContent).toMatchObject({ slug: 'first-minute', status: 'live' });

        const file = join(configDir, 'credentials.json');
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        expect((await stat(configDir)).mode & 0o777).toBe(0o700);
        const saved = JSON.parse(await readFile(file, 'utf8')) as { api_key: string; api_url: string; email: string };
        expect(saved).toMatchObject({ api_url: platform.url, email: 'first.user@example.com' });
        for (const result of [refused, pending, who, deployed]) expect(JSON.stringify(result)).not.toContain(saved.api_key);
        expect(mcp.stderr()).not.toContain(saved.api_key);

        // The CLI reads the same file and says where the key came from.
        const cliWho = await runCli(['whoami'], { INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir });
        expect(cliWho.code).toBe(0);
        expect(cliWho.stdout).toContain(`credentials file ${file}`);

        // Logout deletes the file and revokes that key on the server.
        const out = await mcp.client.callTool({ name: 'logout', arguments: {} });
        expect(out.isError).toBeFalsy();
        expect(out.structuredContent).toMatchObject({ removed: true, revocation: 'revoked' });
        await expect(stat(file)).rejects.toThrow();
        const me = await httpRequest(platform.port, { path: '/me', headers: { authorization: `Bearer ${saved.api_key}` } });
        expect(me.status).toBe(401);
      } finally {
        await mcp.close();
      }
    });

    it('two MCP processes logging in at once share one sign-in; both finish, and the shared file stays whole', async () => {
      const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-login-')), 'config');
      const [a, b] = await Promise.all([mcpFor(configDir), mcpFor(configDir)]);
      try {
        // One config dir, one sign-in: the person is not asked to sign in twice (src/auth/pending-login.ts).
        const [la, lb] = await Promise.all([a, b].map((m) => m.client.callTool({ name: 'login', arguments: {} })));
        const codes = [la, lb].map((r) => (r!.structuredContent as { user_code: string }).user_code);
        expect(codes[1]).toBe(codes[0]);
        const userCode = codes[0]!;

        // The person finishes it once, with plain form posts as the page sends them.
        const form = (path: string, fields: Record<string, string>) =>
          fetch(platform.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
        const before = smtp.mails.length;
        await form('/auth/otp', { user_code: userCode, email: 'both@example.com' });
        const mail = await smtp.waitFor('both@example.com', before);
        expect((await form('/auth/verify', { user_code: userCode, code: parseLoginMail(mail).code })).status).toBe(200);

        // Exactly one poll gets the key; the other process finds it saved.
        const [da, db] = await Promise.all([loginUntilDone(a), loginUntilDone(b)]);
        expect(da).toMatch(/Logged in as both@example\.com/);
        expect(db).toMatch(/Logged in as both@example\.com/);

        const file = join(configDir, 'credentials.json');
        const saved = JSON.parse(await readFile(file, 'utf8')) as { email: string };
        expect(saved.email).toBe('both@example.com');
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        expect(await readdir(configDir)).toEqual(['credentials.json']);
        for (const m of [a, b]) {
          const who = await m.client.callTool({ name: 'whoami', arguments: {} });
          expect(who.structuredContent).toMatchObject({ email: saved.email, key_source: 'file' });
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('with INVOKER_API_KEY set, login says so and changes nothing', async () => {
      const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-login-')), 'config');
      const mcp = await connectMcp(
        { INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_NO_BROWSER: '1', INVOKER_API_KEY: 'inv_' + '0'.repeat(38) },
        era,
      );
      try {
        const result = await mcp.client.callTool({ name: 'login', arguments: {} });
        expect(result.isError).toBeFalsy();
        expect(resultText(result)).toMatch(/INVOKER_API_KEY is set/);
        await expect(readdir(configDir)).rejects.toThrow();
      } finally {
        await mcp.close();
      }
    });

    it('a revoked INVOKER_API_KEY says to remove or replace the variable, since logging in cannot help', async () => {
      const key = await createKey(platform, `env-key-${era}@example.com`);
      const auth = { authorization: `Bearer ${key}` };
      const me = JSON.parse((await httpRequest(platform.port, { path: '/me', headers: auth })).body) as { key: { id: string } };
      expect((await httpRequest(platform.port, { method: 'DELETE', path: `/orgs/c/api-keys/${me.key.id}`, headers: auth })).status).toBe(204);

      const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-login-')), 'config');
      const env = { INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_API_KEY: key };
      const mcp = await connectMcp(env, era);
      try {
        for (const name of ['whoami', 'list_deploys']) {
          const refused = await mcp.client.callTool({ name, arguments: {} });
          expect(refused.isError, name).toBe(true);
          expect(resultText(refused)).toMatch(/INVOKER_API_KEY was refused.*remove INVOKER_API_KEY from the MCP client's configuration.*or replace it with a working key/s);
          // No sign-in was started on its behalf: it could not take effect while the variable is set.
          expect(resultText(refused)).not.toContain('/auth/login');
        }
        expect(resultText(await mcp.client.callTool({ name: 'login', arguments: {} }))).toMatch(/remove INVOKER_API_KEY/);
      } finally {
        await mcp.close();
      }
      const cli = await runCli(['whoami'], env);
      expect(cli.code).toBe(3);
      expect(cli.stderr).toMatch(/INVOKER_API_KEY was refused.*unset it in your shell/s);
    });
  });

  describe('in a terminal and on the page', () => {
    let platform: Platform;
    beforeAll(async () => {
      platform = await startMailingPlatform();
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('the CLI runs the same flow in a terminal: prompts on stderr, the result on stdout, the same file', async () => {
      const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-login-')), 'config');
      const env = { INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_NO_BROWSER: '1' };
      const child = spawn(process.execPath, [BIN, 'login'], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/Waiting for you to finish/);
      expect(stdout).toBe('');
      const userCode = /code ([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1] as string;
      expect(stderr).toContain(`${platform.url}/auth/login?code=${userCode}`);

      const form = (path: string, fields: Record<string, string>) =>
        fetch(platform.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
      const before = smtp.mails.length;
      await form('/auth/otp', { user_code: userCode, email: 'cli@example.com' });
      const { code } = parseLoginMail(await smtp.waitFor('cli@example.com', before));
      expect((await form('/auth/verify', { user_code: userCode, code })).status).toBe(200);

      expect(await exited).toBe(0);
      expect(stdout).toMatch(/^Logged in as cli@example\.com at /);
      expect((await stat(join(configDir, 'credentials.json'))).mode & 0o777).toBe(0o600);

      const who = await runCli(['whoami'], env);
      expect(who.stdout).toContain('cli@example.com');
      const out = await runCli(['logout'], env);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/Logged out cli@example\.com.*revoked/);
      const after = await runCli(['whoami'], env);
      expect(after.code).toBe(3);
      expect(after.stderr).toMatch(/invoker-mcp login/);
    });

    it('the login page passes axe accessibility checks at phone and desktop widths', async () => {
      const started = (await (await fetch(`${platform.url}/auth/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
        body: JSON.stringify({ client_name: 'Axe' }),
      })).json()) as { verification_url: string };
      // axe is injected as a script, which the page's CSP rightly forbids: bypass it for this check only.
      const context = await browser.newContext({ bypassCSP: true });
      try {
        for (const width of [360, 1440]) {
          const page = await context.newPage();
          await page.setViewportSize({ width, height: 800 });
          await page.goto(started.verification_url);
          await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
          const violations = await page.evaluate(async () => {
            const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string }> }> } }).axe.run();
            return result.violations.map((v) => v.id);
          });
          expect(violations).toEqual([]);
          // Evaluated in the page, where document and window exist (this file is type-checked without DOM types).
          const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
          expect(overflow).toBe(false);
          await page.close();
        }
      } finally {
        await context.close();
      }
    });
  });
});

// A sign-in survives the MCP server process: clients restart servers between calls (the MCP
// Inspector's CLI starts one process per call; desktop clients restart them too). A real `serve`
// mailing over real SMTP, the built MCP server spawned over stdio, Chromium doing what the person
// does, and a new MCP server process for the second `login`.
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { MCP_ERAS, connectMcp, resultText, runCli, startPlatform, type McpEra, type Platform } from '../helpers/platform.js';
import { parseLoginMail, startMailCatcher, type MailCatcher } from '../helpers/smtp.js';

describe('a sign-in started by one MCP server process', () => {
  let smtp: MailCatcher;
  let platform: Platform;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startMailCatcher();
    platform = await startPlatform({ env: { INVOKER_SMTP_URL: smtp.url } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await smtp?.close();
  });

  /** One `login` call in a process of its own, as the Inspector's CLI makes it. */
  async function loginInNewProcess(env: Record<string, string>, era: McpEra): Promise<{ structured: Record<string, string>; text: string; stderr: string }> {
    const mcp = await connectMcp(env, era);
    try {
      const result = await mcp.client.callTool({ name: 'login', arguments: {} });
      expect(result.isError, resultText(result)).toBeFalsy();
      return { structured: result.structuredContent as Record<string, string>, text: resultText(result), stderr: mcp.stderr() };
    } finally {
      await mcp.close();
    }
  }

  it.each(MCP_ERAS)('is finished by the next process (%s): the person signs in between the two `login` calls and the key is saved', async (era) => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-restart-')), 'config');
    const env = { INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_NO_BROWSER: '1' };

    const first = await loginInNewProcess(env, era);
    expect(first.structured).toMatchObject({ status: 'pending' });
    const { verification_url: verificationUrl, user_code: userCode } = first.structured as { verification_url: string; user_code: string };

    // The first process is gone; what it started is recorded beside the credentials, for the owner only.
    const recorded = await readdir(configDir);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatch(/^login-pending-[0-9a-f]+\.json$/);
    expect((await stat(join(configDir, recorded[0]!))).mode & 0o777).toBe(0o600);

    // The person, in a real browser, while no MCP server runs.
    const page = await browser.newPage();
    await page.goto(verificationUrl);
    expect(await page.textContent('body')).toContain(userCode);
    await page.fill('input[name=email]', 'restart@example.com');
    const before = smtp.mails.length;
    await page.click('button[type=submit]');
    await page.waitForSelector('input[autocomplete=one-time-code]');
    await page.fill('input[autocomplete=one-time-code]', parseLoginMail(await smtp.waitFor('restart@example.com', before)).code);
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('h1')).toBe('Signed in — you can close this tab');
    await page.close();

    // The client starts a new server for the next call: it collects the key the first one could not.
    const second = await loginInNewProcess(env, era);
    expect(second.structured).toMatchObject({ status: 'logged_in', email: 'restart@example.com' });
    expect(second.text).toMatch(/Logged in as restart@example\.com/);

    const file = join(configDir, 'credentials.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { api_key: string; api_url: string; email: string };
    expect(saved).toMatchObject({ api_url: platform.url, email: 'restart@example.com' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // The record is gone with the sign-in, and the secret and key never reached a result or a log.
    expect(await readdir(configDir)).toEqual(['credentials.json']);
    for (const out of [first, second]) {
      expect(out.text + out.stderr).not.toContain(saved.api_key);
    }

    // And every later process (here the CLI) uses the saved key.
    const who = await runCli(['whoami'], env);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain('restart@example.com');
  });
});

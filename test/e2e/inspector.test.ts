// The MCP Inspector's CLI (@modelcontextprotocol/inspector, one process per call, as a developer
// runs it) against the built server and a real `serve`, in both protocol eras: it lists every tool,
// and calls every tool with valid arguments and gets a result that is not an error.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, MCP_ERAS, ROOT, cleanEnv, createKey, httpRequest, startPlatform, type McpEra, type Platform } from '../helpers/platform.js';

const run = promisify(execFile);
const INSPECTOR = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');

interface CallResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

describe.each(MCP_ERAS)('the MCP Inspector CLI against the built server (%s)', (era: McpEra) => {
  let platform: Platform;
  let home: string;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'inspector@example.com', 'bootstrap');
    home = await mkdtemp(join(tmpdir(), 'invoker-inspector-'));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  /** One Inspector CLI run against the server with `toolsets` (every one by default: this suite calls every tool); its JSON result. */
  async function inspector(args: string[], toolsets = 'all'): Promise<Record<string, unknown>> {
    const server = ['-e', `INVOKER_API_URL=${platform.url}`, '-e', `INVOKER_API_KEY=${key}`, '-e', `INVOKER_CONFIG_DIR=${join(home, 'config')}`, '-e', `INVOKER_TOOLSETS=${toolsets}`];
    const protocolEra = era === '2026-07-28' ? 'modern' : 'legacy';
    const { stdout } = await run(
      process.execPath,
      [INSPECTOR, '--cli', '--format', 'json', '--quiet', '--protocol-era', protocolEra, ...server, process.execPath, BIN, ...args],
      // The Inspector keeps a catalog under ~/.mcp-inspector: a HOME of its own.
      { env: cleanEnv({ HOME: home }), cwd: home, timeout: 60_000 },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  }
  const call = async (name: string, args: Record<string, unknown>) =>
    (await inspector(['--method', 'tools/call', '--tool-name', name, '--tool-args-json', JSON.stringify(args)])).result as CallResult;

  // --strict lints every listed schema for portability (before toolsets: 0 errors, 28 warnings, all
  // of them nullable `type` arrays and schemas that accept anything).
  it.each(['default', 'all'])('finds no schema portability error or warning with --strict (INVOKER_TOOLSETS=%s)', { timeout: 60_000 }, async (toolsets) => {
    const listed = await inspector(['--method', 'tools/list', '--strict'], toolsets);
    expect((listed.result as { tools: unknown[] }).tools.length).toBeGreaterThan(15);
    expect(listed.schemaFindings ?? []).toEqual([]);
  });

  it('lists every tool and calls each with valid arguments', { timeout: 300_000 }, async () => {
    const listed = (await inspector(['--method', 'tools/list'])).result as { tools: Array<{ name: string }> };
    const names = listed.tools.map((t) => t.name);
    expect(names.length).toBeGreaterThan(20);

    // A site with a submission for the tools that read one.
    const deployed = await call('deploy', { html: '<form method="post" action="{{SUBMIT_URL}}"><input name="email"></form>', slug: `inspected-${era.slice(0, 4)}` });
    expect(deployed.isError).toBeFalsy();
    const site = deployed.structuredContent as { id: string };
    const posted = await httpRequest(platform.port, { method: 'POST', path: `/submit/${site.id}`, headers: { 'content-type': 'application/json' }, body: '{"email":"a@example.com"}' });
    expect(posted.status).toBeLessThan(300);
    const subs = await call('get_submissions', { deployment_id: site.id });
    const submission = (subs.structuredContent as { submissions: Array<{ id: string }> }).submissions[0] as { id: string };
    const keys = await call('list_api_keys', {});
    const bootstrap = (keys.structuredContent as { keys: Array<{ id: string }> }).keys[0] as { id: string };
    const hook = await httpRequest(platform.port, { method: 'POST', path: `/webhooks/${site.id}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"url":"https://93.184.216.34/hook"}' });
    expect(hook.status).toBe(201);
    const webhookId = (JSON.parse(hook.body) as { id: string }).id;

    // Valid arguments for every tool; destructive ones without confirm only describe what they would do.
    const args: Record<string, Record<string, unknown>> = {
      login: {},
      logout: {},
      whoami: {},
      deploy: { html: '<p>second</p>' },
      publish: { id: site.id },
      update: { id: site.id, html: '<p>version two</p>' },
      patch_page: { id: site.id, edits: [{ find: 'version two', replace: 'version three' }] },
      list_deploys: {},
      get_status: { id: site.id },
      teardown: { id: site.id },
      get_submissions: { deployment_id: site.id },
      export_submissions: { deployment_id: site.id },
      delete_submission: { deployment_id: site.id, submission_id: submission.id },
      update_form_settings: { deployment_id: site.id, retention_days: 30 },
      create_webhook: { deployment_id: site.id, url: 'https://93.184.216.34/other' },
      list_webhooks: { deployment_id: site.id },
      delete_webhook: { deployment_id: site.id, webhook_id: webhookId },
      add_domain: { deployment_id: site.id, domain: `shop-${era.slice(0, 4)}.example.com` },
      list_domains: { deployment_id: site.id },
      remove_domain: { deployment_id: site.id, domain: `shop-${era.slice(0, 4)}.example.com` },
      list_counters: { deployment_id: site.id },
      protect_site: { deployment_id: site.id },
      list_api_keys: {},
      create_api_key: { name: 'inspector' },
      revoke_api_key: { id: bootstrap.id },
      list_orgs: {},
      create_sub_org: { name: 'Inspected' },
      gather_requirements: { kind: 'waitlist' },
      list_templates: {},
      use_template: { id: 'waitlist' },
      list_blocks: {},
      list_styles: {},
      compose_page: { blocks: [{ blockId: 'hero-centered', props: {} }], page: { title: 'Inspected' } },
    };
    expect(names.filter((n) => !(n in args)), 'tools without arguments in this test').toEqual([]);
    const failures: string[] = [];
    for (const name of names) {
      const result = await call(name, args[name] as Record<string, unknown>);
      const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
      if (result.isError || text === '') failures.push(`${name}: ${text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});

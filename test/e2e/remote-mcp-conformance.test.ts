// @modelcontextprotocol/conformance (the MCP project's own server test suite, a devDependency)
// against /mcp of a real `serve`, with a Bearer key added on the way (the suite sends no
// Authorization header of its own). The scenarios that apply to a tools-only server must pass:
// initialize, ping, tools/list and DNS-rebinding protection. The suite's other server scenarios need
// its fixture tools (test_simple_text, …), resources, prompts, logging or completions, which this
// server does not offer (docs/REMOTE-MCP.md records the whole run).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer } from '../helpers/oauth-client.js';
import { ROOT, cleanEnv, createKey, startPlatform, type Platform } from '../helpers/platform.js';

const run = promisify(execFile);
const CONFORMANCE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const APPLICABLE_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

describe('the MCP conformance suite against /mcp', () => {
  let platform: Platform;
  let proxy: Awaited<ReturnType<typeof startBalancer>>;

  beforeAll(async () => {
    platform = await startPlatform();
    const key = await createKey(platform, 'conformance@example.com');
    proxy = await startBalancer({ authorization: `Bearer ${key}` });
    proxy.upstreams.push(platform.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await platform?.stop();
  });

  it.each(APPLICABLE_SCENARIOS)('passes %s', { timeout: 60_000 }, async (scenario) => {
    const { stdout } = await run(process.execPath, [CONFORMANCE, 'server', '--url', `http://localhost:${proxy.port}/mcp`, '--scenario', scenario], { env: cleanEnv(), timeout: 50_000 });
    const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(stdout);
    expect(summary, stdout.slice(-2000)).not.toBeNull();
    const [, passed, total, failed] = summary!.map(Number) as [number, number, number, number];
    expect({ passed, failed }, stdout.slice(-2000)).toEqual({ passed: total, failed: 0 });
    expect(total).toBeGreaterThan(0);
  });
});

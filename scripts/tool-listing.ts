// What a model is sent on every turn: the tools/list result, measured as the client receives it
// from the built server over a real stdio session (raw JSON-RPC, no SDK client in between), in bytes
// of JSON and in tokens (o200k_base, the GPT-4o/GPT-5 tokenizer, from gpt-tokenizer). For the
// budget test (test/e2e/tool-budget.test.ts) and the bench row (bench/tool-listing.ts).
import { spawn } from 'node:child_process';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { McpEra } from './mcp-client.js';

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'tool-listing', version: '0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** The budget of issue 25, in bytes of JSON (1 KB = 1000 bytes): the default listing, and every toolset. */
export const DEFAULT_BUDGET = 16_000;
export const FULL_BUDGET = 40_000;
/** The tools SPEC sections 12–15 add this round that do not exist yet: the full budget keeps room for them. */
export const FUTURE_TOOLS = [
  'patch_page',
  'update_form_settings',
  'create_webhook',
  'list_webhooks',
  'delete_webhook',
  'add_domain',
  'list_domains',
  'remove_domain',
  'list_counters',
  'protect_site',
];
/** Room kept per future tool: about 1.4× today's average tool (836 bytes with every toolset on, 2025-11-25). */
export const RESERVE_PER_TOOL = 1_200;

/** The room a listing keeps for the future tools it does not list yet. */
export function reserveFor(listing: ToolListing): number {
  return FUTURE_TOOLS.filter((name) => !listing.names.includes(name)).length * RESERVE_PER_TOOL;
}

export interface ToolListing {
  /** The tools/list result object, as the server wrote it. */
  result: { tools: Array<Record<string, unknown>> } & Record<string, unknown>;
  names: string[];
  bytes: number;
  tokens: number;
}

/** Bytes and tokens of a tools/list result (its compact JSON, as servers write it). */
export function measureListing(result: ToolListing['result']): ToolListing {
  const json = JSON.stringify(result);
  return { result, names: result.tools.map((t) => String(t.name)), bytes: Buffer.byteLength(json), tokens: countTokens(json) };
}

/** Spawns the built server (`bin`, its bin/invoker-mcp.js) with `env`, opens `era`, lists the tools, and closes. */
export async function listOverStdio(bin: string, env: Record<string, string>, era: McpEra): Promise<ToolListing> {
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const answers = new Map<number, (message: Record<string, unknown>) => void>();
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      if (typeof message.id === 'number') answers.get(message.id)?.(message);
    }
  });
  child.stderr.resume();
  let id = 0;
  const request = (method: string, params: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no answer to ${method}`)), 30_000);
      answers.set(++id, (message) => {
        clearTimeout(timer);
        if (message.error) fail(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else done(message.result as Record<string, unknown>);
      });
      const modern = era === '2026-07-28' ? { _meta: ENVELOPE } : {};
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, ...modern } })}\n`);
    });
  try {
    if (era === '2026-07-28') await request('server/discover', {});
    else {
      await request('initialize', { protocolVersion: era, capabilities: {}, clientInfo: { name: 'tool-listing', version: '0' } });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    }
    return measureListing((await request('tools/list', {})) as ToolListing['result']);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.stdin.end();
      await exited;
    }
  }
}

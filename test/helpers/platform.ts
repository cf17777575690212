// Test harness for end-to-end suites: a real `invoker-mcp serve` on port 0 with a temp data dir,
// the real `admin create-key`, the built MCP server over stdio, and HTTP requests with any Host.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client, ClientOptions } from '@modelcontextprotocol/client';
import { MCP_ERAS, connectStdio, type McpEra } from '../../scripts/mcp-client.js';
import { listeningUrl } from '../../scripts/serve-process.js';
import { createTestDatabase } from './postgres.js';
import { recordIncoming, recordPlatformPort } from './responses.js';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The two packages of this repository (npm workspaces). */
export const MCP_PACKAGE = join(ROOT, 'packages', 'invoker-mcp');
export const PLATFORM_PACKAGE = join(ROOT, 'packages', 'platform');
export const BIN = join(MCP_PACKAGE, 'bin', 'invoker-mcp.js');

/** A minimal environment: tests must not inherit a developer's INVOKER_* settings. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // Tests never open a real browser tab on the developer's machine (login would on macOS/Windows).
  return { ...env, INVOKER_NO_BROWSER: '1', ...extra };
}

/** The store backends every end-to-end flow written with describe.each(BACKENDS) runs against. */
export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

export { MCP_ERAS, type McpEra } from '../../scripts/mcp-client.js';

/** Every store backend with every MCP era, for suites whose MCP flow needs a platform of its own per era. */
export const BACKENDS_BY_ERA = BACKENDS.flatMap((backend) => MCP_ERAS.map((era) => [backend, era] as const));

export interface Platform {
  url: string;
  port: number;
  dataDir: string;
  /** What the CLI needs to reach the same store (DATABASE_URL on PostgreSQL). */
  env: Record<string, string>;
  process: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** backend 'postgres' runs serve on a fresh PostgreSQL database, dropped at stop(). */
export async function startPlatform(options: { env?: Record<string, string>; dataDir?: string; backend?: Backend } = {}): Promise<Platform> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'invoker-test-')));
  const db = options.backend === 'postgres' ? await createTestDatabase() : undefined;
  const storeEnv: Record<string, string> = db ? db.env : {};
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: cleanEnv({ ...options.env, ...storeEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const serve = listeningUrl(child, 20_000);
  const url = await serve.url.catch(async (e: unknown) => {
    await db?.drop();
    throw e;
  });
  if (stdout !== '') throw new Error(`serve wrote to stdout: ${stdout}`);
  const port = Number(new URL(url).port);
  recordPlatformPort(port);
  return {
    url,
    port,
    dataDir,
    env: storeEnv,
    process: child,
    stderr: serve.stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return runNode([BIN, ...args], env, input);
}

/** A node script run with the test's Node and a clean environment, to its exit. */
export function runNode(args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function createKey(platform: Platform, email: string, name?: string): Promise<string> {
  const result = await runCli(['admin', 'create-key', email, '--data-dir', platform.dataDir, ...(name ? ['--name', name] : [])], platform.env);
  if (result.code !== 0) throw new Error(`admin create-key failed: ${result.stderr}`);
  return result.stdout.trim();
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request to the platform with an explicit Host header, as a browser on a subdomain sends it. */
export function httpRequest(
  port: number,
  options: { method?: string; path?: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<HttpResult> {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const headers = { host: options.host ?? `localhost:${port}`, ...options.headers };
  return new Promise((resolveReq, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        // Checked against the OpenAPI document at the end of the run (helpers/responses.ts).
        recordIncoming({ method, host: headers.host, target: path }, res, body);
        resolveReq({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.once('error', reject);
    req.end(options.body);
  });
}

export interface McpSession {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/**
 * The built MCP server spawned over stdio, as an MCP client starts it, speaking `era`: the
 * 2025-era handshake (the default) or pinned to 2026-07-28. Suites run once per era: MCP_ERAS.
 */
export async function connectMcp(env: Record<string, string>, era: McpEra = '2025-11-25', client?: ClientOptions): Promise<McpSession> {
  return connectStdio({ command: process.execPath, args: [BIN], env: cleanEnv(env) }, era, { name: 'invoker-e2e', ...(client ? { client } : {}) });
}

/** The text parts of a tool result, joined. */
export function resultText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

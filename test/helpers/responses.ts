// The response recorder: every HTTP answer the test suites receive from a platform (through
// httpRequest, the in-process app of helpers/app.ts, or fetch) is written to the run's record
// directory, and test/openapi/conformance.test.ts, which runs after every other file, checks each
// one against the OpenAPI document. Outside a full vitest run (no directory set) it records nothing.
import { appendFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { expect } from 'vitest';

/** Set by test/setup/responses.ts for the whole run. */
export const RECORD_DIR_ENV = 'INVOKER_TEST_RESPONSES';

/** The headers the document says anything about. */
const KEPT_HEADERS = ['retry-after', 'ratelimit-policy', 'ratelimit', 'location', 'x-request-id', 'content-disposition'];
/** JSON bodies are kept whole for the schema check; no answer of the API is near this. */
const MAX_BODY = 4 * 1024 * 1024;

export interface RecordedResponse {
  /** How the test reached the app. */
  via: 'http' | 'app' | 'fetch';
  method: string;
  /** The Host header as sent ('' when none). */
  host: string;
  /** Path and query as sent. */
  target: string;
  status: number;
  /** Content-Type as received ('' when none). */
  type: string;
  headers: Record<string, string>;
  /** The body, when it is JSON. */
  body?: string;
  bodyLength: number;
  file: string;
  test: string;
}

function recordResponse(r: Omit<RecordedResponse, 'file' | 'test' | 'headers' | 'body' | 'bodyLength' | 'type'> & {
  headers: (name: string) => string | undefined;
  body: string;
}): void {
  const dir = process.env[RECORD_DIR_ENV];
  if (!dir) return;
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = r.headers(name);
    if (value !== undefined) headers[name] = value;
  }
  const type = r.headers('content-type') ?? '';
  const state = expect.getState();
  const entry: RecordedResponse = {
    via: r.via,
    method: r.method.toUpperCase(),
    host: r.host,
    target: r.target,
    status: r.status,
    type,
    headers,
    ...(/json/i.test(type) && r.body.length <= MAX_BODY ? { body: r.body } : {}),
    bodyLength: r.body.length,
    file: (state.testPath ?? '').replace(/^.*?\/test\//, 'test/').replace(/^.*?\/packages\//, 'packages/'),
    test: state.currentTestName ?? '',
  };
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), JSON.stringify(entry) + '\n');
}

const headerOf = (h: Headers) => (name: string) => h.get(name) ?? undefined;

/** Records an answer read with node:http (httpRequest, and suites that write requests by hand). */
export function recordIncoming(request: { method: string; host: string; target: string }, res: IncomingMessage, body: string): void {
  const header = (name: string) => [res.headers[name]].flat().join(', ') || undefined;
  recordResponse({ via: 'http', ...request, status: res.statusCode ?? 0, headers: header, body });
}

/** Ports of the platforms this worker started: fetch answers are recorded from these only (not from a test's stub server). */
const platformPorts = new Set<string>();
export function recordPlatformPort(port: number): void {
  platformPorts.add(String(port));
}

/** Records an answer read through the fetch API (the Hono app's fetch, or global fetch). */
async function recordFetchResponse(via: 'app' | 'fetch', method: string, url: URL, host: string, res: Response): Promise<void> {
  if (!process.env[RECORD_DIR_ENV]) return;
  // A stream that never ends (server-sent events) cannot be read to the end here.
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) return;
  const body = method.toUpperCase() === 'HEAD' ? '' : await res.clone().text();
  recordResponse({ via, method, host, target: url.pathname + url.search, status: res.status, headers: headerOf(res.headers), body });
}

/** Wraps an app's fetch so every answer it gives is recorded (the app's own request() goes through it). */
export function recordingApp<A extends { fetch: (req: Request, ...rest: any[]) => Response | Promise<Response> }>(app: A): A {
  const inner = app.fetch;
  app.fetch = async (req: Request, ...rest: any[]) => {
    const res = await inner(req, ...rest);
    await recordFetchResponse('app', req.method, new URL(req.url), req.headers.get('host') ?? '', res);
    return res;
  };
  return app;
}

/** Wraps the global fetch: answers from a platform this worker started on loopback are recorded. */
export function recordGlobalFetch(): void {
  const inner = globalThis.fetch;
  globalThis.fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const res = await inner(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (/^(?:localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname) && platformPorts.has(url.port)) await recordFetchResponse('fetch', method, url, url.host, res);
    return res;
  };
}

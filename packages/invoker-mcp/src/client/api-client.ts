// Typed client of the Invoker HTTP API, shared by the MCP tools and the CLI. Every failure becomes
// an AppError in one place here: HTTP errors keep the server's message and code, network failures
// say which URL could not be reached, and 429s are retried after Retry-After within a bound.
// HTTP is Node's own node:http / node:https client with its global keep-alive agents, so the client
// has no HTTP dependency whose Node floor could differ from ours. Not fetch: for one small API call
// fetch (undici's WHATWG layer: web streams, Headers, abort wiring) cost about 0.25 ms more CPU
// than http.request on the same 20 KB deploy, a tenth of an MCP deploy's whole time.
import { request as httpRequest } from 'node:http';
import { AppError, codeForStatus, isErrorCode } from '../errors.js';
import type { ApiKey, CreatedApiKey, Me, Org } from '../contract/account.js';
import type { DeployList, InvokerApi, VersionList } from '../contract/invoker-api.js';
import type { AnonymousSite, DeployRequest, PatchRequest, Site, SubmissionPage, UpdateRequest } from '../contract/sites.js';
import type { Domain, DomainList } from '../contract/domains.js';
import type { CreatedWebhook, CreateWebhookRequest, FormSettings, FormSettingsRequest, WebhookList } from '../contract/forms.js';
import type { CounterList, SitePasswordStatus } from '../contract/extras.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text(): Promise<string>;
}

export type HttpSend = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | undefined },
) => Promise<HttpResponse>;

/** A call that has not been answered in full by then is abandoned (MCP clients give up at ~60 s too). */
const REQUEST_TIMEOUT_MS = 60_000;

/** node:https is loaded on the first https call: a local server (http) never pays for TLS at start-up. */
let https: Promise<typeof import('node:https')> | null = null;

/**
 * One request and its whole body; never follows a redirect (a 3xx is answered as it is). The
 * timeout covers connecting, sending and reading the body, as fetch's AbortSignal.timeout did.
 */
export const nodeSend: HttpSend = async (url, init) => {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? (await (https ??= import('node:https'))).request : httpRequest;
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
  return new Promise<HttpResponse>((resolve, reject) => {
    const failed = (e: unknown) => reject(new Error(sendFailure(e)));
    const req = request(target, { method: init.method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (res) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((done, fail) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.once('error', (e) => fail(new Error(sendFailure(e))));
        res.once('close', () => {
          if (!res.complete) fail(new Error('the connection closed before the whole answer arrived'));
        });
      });
      // Read at once: a caller that never asks for the text must not leave the socket half-read.
      body.catch(() => {});
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: () => body });
    });
    req.once('error', failed);
    req.end(init.body);
  });
};

/** What a person can act on: the system's code (ECONNREFUSED, ENOTFOUND) with its message, or the timeout. */
function sendFailure(e: unknown): string {
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !message.includes(code) ? `${message}: ${code}` : message;
}

export interface ApiClientOptions {
  apiUrl: string;
  apiKey?: string | undefined;
  userAgent: string;
  /** Where apiKey came from: a refused INVOKER_API_KEY is explained differently (see envKeyRefused). */
  keySource?: 'environment' | 'file' | undefined;
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
  /** Longest single Retry-After wait honoured, and how many retries at most. */
  maxRetryWaitMs?: number;
  maxRetries?: number;
}

/** InvokerApi over HTTP: each call is the route of the same name under /orgs/{org}. */
export class ApiClient implements InvokerApi {
  private readonly send: HttpSend;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApiClientOptions) {
    this.send = options.send ?? nodeSend;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get apiUrl(): string {
    return this.options.apiUrl;
  }

  async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const text = await this.callText(method, path, body, auth);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The raw body of a successful response (CSV exports); errors as in call(). */
  async callText(method: string, path: string, body?: unknown, auth = true): Promise<string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent };
    if (auth) {
      if (!this.options.apiKey) throw new AppError('unauthenticated', 'Not logged in: call the login tool, or set INVOKER_API_KEY.');
      headers.authorization = `Bearer ${this.options.apiKey}`;
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const url = this.options.apiUrl + path;
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWait = this.options.maxRetryWaitMs ?? 20_000;

    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      let text: string;
      try {
        res = await this.send(url, { method, headers, body: payload });
        text = await res.text();
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new AppError(
          'upstream',
          `Cannot reach the Invoker API at ${this.options.apiUrl} (${reason}). Check INVOKER_API_URL and that the server is running.`,
        );
      }
      if (res.status === 429 && attempt < maxRetries) {
        const waitMs = retryAfterMs(res.headers['retry-after']);
        if (waitMs !== null && waitMs <= maxWait) {
          await this.sleep(waitMs + Math.floor(Math.random() * 250));
          continue;
        }
      }
      if (res.status >= 200 && res.status < 300) return text;
      const error = errorFromResponse(res.status, text, res.headers['retry-after']);
      if (auth && error.code === 'unauthenticated' && this.options.keySource === 'environment') throw envKeyRefused(this.options.apiUrl);
      throw error;
    }
  }

  me(): Promise<Me> {
    return this.call('GET', '/me');
  }

  deploy(body: DeployRequest, org?: string): Promise<Site> {
    return this.call('POST', `${orgPath(org)}/deploy`, body);
  }

  /**
   * POST /deploy with no key (SPEC section 14): a live site that expires unless claimed. Null when the
   * server takes no anonymous deploys (it answers as to any request without a key: 401).
   */
  async deployAnonymously(body: DeployRequest): Promise<AnonymousSite | null> {
    try {
      return await this.call<AnonymousSite>('POST', '/deploy', body, false);
    } catch (e) {
      if (e instanceof AppError && e.code === 'unauthenticated') return null;
      throw e;
    }
  }

  /** Keeps an anonymous site: moves it into the org (POST /deploy/{id}/claim). */
  claimDeploy(id: string, claimToken: string, org?: string): Promise<Site> {
    return this.call('POST', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/claim`, { claim_token: claimToken });
  }

  update(id: string, body: UpdateRequest, org?: string): Promise<Site> {
    return this.call('PUT', `${orgPath(org)}/deploy/${encodeURIComponent(id)}`, body);
  }

  patch(id: string, body: PatchRequest, org?: string): Promise<Site> {
    return this.call('POST', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/patch`, body);
  }

  publish(id: string, version?: number, org?: string): Promise<Site> {
    return this.call('POST', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/publish`, version === undefined ? {} : { version });
  }

  getDeploy(id: string, org?: string): Promise<Site> {
    return this.call('GET', `${orgPath(org)}/deploy/${encodeURIComponent(id)}`);
  }

  listDeploys(options: { limit?: number | undefined; cursor?: string | undefined } = {}, org?: string): Promise<DeployList> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    const qs = query.toString();
    return this.call('GET', `${orgPath(org)}/deploys${qs ? `?${qs}` : ''}`);
  }

  listVersions(id: string, org?: string): Promise<VersionList> {
    return this.call('GET', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/versions`);
  }

  deleteDeploy(id: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/deploy/${encodeURIComponent(id)}`);
  }

  getSubmissions(id: string, options: { page?: number | undefined; limit?: number | undefined } = {}, org?: string): Promise<SubmissionPage> {
    const query = new URLSearchParams();
    if (options.page !== undefined) query.set('page', String(options.page));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.call('GET', `${orgPath(org)}/submissions/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`);
  }

  deleteSubmission(id: string, submissionId: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/submissions/${encodeURIComponent(id)}/${encodeURIComponent(submissionId)}`);
  }

  exportSubmissions(id: string, org?: string): Promise<string> {
    return this.callText('GET', `${orgPath(org)}/submissions/${encodeURIComponent(id)}/export.csv`);
  }

  listApiKeys(org?: string): Promise<{ keys: ApiKey[] }> {
    return this.call('GET', `${orgPath(org)}/api-keys`);
  }

  createApiKey(name: string, org?: string): Promise<CreatedApiKey> {
    return this.call('POST', `${orgPath(org)}/api-keys`, { name });
  }

  revokeApiKey(id: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/api-keys/${encodeURIComponent(id)}`);
  }

  getOrg(org?: string): Promise<Org> {
    return this.call('GET', orgPath(org));
  }

  listSubOrgs(org?: string): Promise<{ orgs: Org[] }> {
    return this.call('GET', `${orgPath(org)}/orgs`);
  }

  createSubOrg(name: string, org?: string): Promise<Org> {
    return this.call('POST', `${orgPath(org)}/orgs`, { name });
  }

  updateFormSettings(id: string, body: FormSettingsRequest, org?: string): Promise<FormSettings> {
    return this.call('PATCH', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/forms`, body);
  }

  createWebhook(id: string, body: CreateWebhookRequest, org?: string): Promise<CreatedWebhook> {
    return this.call('POST', `${orgPath(org)}/webhooks/${encodeURIComponent(id)}`, body);
  }

  listWebhooks(id: string, org?: string): Promise<WebhookList> {
    return this.call('GET', `${orgPath(org)}/webhooks/${encodeURIComponent(id)}`);
  }

  deleteWebhook(id: string, webhookId: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/webhooks/${encodeURIComponent(id)}/${encodeURIComponent(webhookId)}`);
  }

  addDomain(id: string, domain: string, org?: string): Promise<Domain> {
    return this.call('POST', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/domains`, { domain });
  }

  listDomains(id: string, org?: string): Promise<DomainList> {
    return this.call('GET', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/domains`);
  }

  removeDomain(id: string, domain: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/domains/${encodeURIComponent(domain)}`);
  }

  listCounters(id: string, org?: string): Promise<CounterList> {
    return this.call('GET', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/counters`);
  }

  sitePassword(id: string, org?: string): Promise<SitePasswordStatus> {
    return this.call('GET', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/password`);
  }

  removeSitePassword(id: string, org?: string): Promise<void> {
    return this.call('DELETE', `${orgPath(org)}/deploy/${encodeURIComponent(id)}/password`);
  }
}

/**
 * The server's answer to a refused key says "log in again", which cannot help while INVOKER_API_KEY
 * is set (it wins over any login): say what to do with the variable instead.
 */
export function envKeyRefused(apiUrl: string): AppError {
  return new AppError(
    'unauthenticated',
    `The key in INVOKER_API_KEY was refused by ${apiUrl} (revoked, or issued by another server). Logging in changes nothing while it is set: ` +
      'remove INVOKER_API_KEY from the MCP client\'s configuration (its "env" entry; or unset it in your shell) and restart the client to sign in ' +
      'with the browser, or replace it with a working key (`invoker-mcp keys create NAME`, or the dashboard).',
  );
}

/** `/orgs/{org}` for an org id or `c` (the key's own org, the default). */
export function orgPath(org: string | undefined): string {
  return `/orgs/${encodeURIComponent(org ?? 'c')}`;
}

function retryAfterMs(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function errorFromResponse(status: number, text: string, retryAfter: string | string[] | undefined): AppError {
  let message: string | undefined;
  let code = codeForStatus(status);
  try {
    const parsed = JSON.parse(text) as { error?: unknown; code?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
    if (isErrorCode(parsed.code)) code = parsed.code;
  } catch {
    // Not our JSON error format (a proxy's HTML page, say): fall through to a generic message.
  }
  const waitMs = retryAfterMs(retryAfter);
  const details = waitMs === null ? {} : { retryAfterSeconds: Math.ceil(waitMs / 1000) };
  return new AppError(code, message ?? `The Invoker API answered HTTP ${status}. Try again, or check INVOKER_API_URL.`, details);
}

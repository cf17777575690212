// A deterministic generator of hostile HTTP requests for the security suites: every route of the
// app's table, filled with malformed and adversarial paths, methods, headers and bodies, and every
// field of every request schema (the contract's bodies and queries, the dashboard's forms) given
// hostile values in an otherwise valid request (field-requests.ts, from the zod schemas). A
// deploy that is accepted is followed by requests for its pages on every host that serves them, so
// a stored value that breaks serving is caught when it is served. Seeded, so a failure names a
// request that can be replayed.
import { allRoutePaths, ROUTES } from '../../packages/invoker-mcp/src/contract/routes.js';
import { DASHBOARD_FORMS } from '../../packages/platform/src/server/dashboard/forms.js';
import { Draw, seededRandom } from './draw.js';
import { FieldRequests } from './field-requests.js';
import { CONTENT_TYPES, HOSTILE_SEGMENTS, HOSTILE_STRINGS, METHODS } from './hostile-values.js';
import { routedPath } from '../helpers/routed-path.js';

export { seededRandom };

export interface Fixtures {
  /** Host of the platform origin, e.g. localhost:8787. */
  platformHost: string;
  sitesDomain: string;
  key: string;
  otherKey: string;
  siteId: string;
  slug: string;
  otherSiteId: string;
  orgId: string;
  subOrgId: string;
  keyId: string;
  submissionId: string;
  /**
   * The key schema-built requests carry. Random requests may revoke `key` (POST /auth/logout), which
   * would leave every later fuzzed field at the 401.
   */
  schemaKey?: string;
  /** A live browser login, so fuzzed fields reach the code paths past the lookup. */
  userCode?: string;
  sessionId?: string;
  /** Signed-in dashboard browsers (a fuzzed logout may end one). */
  dashboard?: Array<{ cookie: string; csrf: string }>;
}

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the generator aimed at, for failure messages and figures. */
  label: string;
  /** True when the answer may be a hosted page (site host or the /s/ fallback) rather than the API. */
  siteRequest: boolean;
  /** The schema field given a hostile value (fieldKey), when the request was built from a schema. */
  field?: string;
  /** A deploy's file paths: once it is accepted, its pages are requested (observe()). */
  deployPaths?: string[];
}

export class HostileGenerator extends Draw {
  private bigBodies = 0;
  private readonly fields: FieldRequests;
  private readonly queue: HostileRequest[] = [];
  /** Pages of accepted deploys requested afterwards. */
  followUps = 0;

  constructor(
    seed: number,
    private readonly fx: Fixtures,
    /** How many bodies over the 40 MB deploy limit to allow in the whole campaign (they cost time). */
    private readonly maxHugeBodies = 2,
  ) {
    super(seededRandom(seed));
    this.fields = new FieldRequests(this.rand, fx, (name) => this.segment(name));
  }

  /** Hostile values given to each schema field so far. */
  get fuzzed(): ReadonlyMap<string, number> {
    return this.fields.fuzzed;
  }

  private segment(name: string): string {
    const fx = this.fx;
    const real: Record<string, string[]> = {
      id: [fx.siteId, fx.otherSiteId],
      org: ['c', fx.orgId, fx.subOrgId],
      keyId: [fx.keyId],
      subOrgId: [fx.subOrgId, fx.orgId],
      submissionId: [fx.submissionId],
      slug: [fx.slug],
    };
    if (this.chance(0.45) && real[name]) return this.pick(real[name]);
    const raw = this.pick(HOSTILE_SEGMENTS);
    return this.chance(0.5) ? raw : encodeURIComponent(raw);
  }

  private authorization(): string | undefined {
    const key = this.fx.key;
    switch (this.int(24)) {
      case 0:
        return undefined;
      case 1:
        return `Bearer ${key.slice(0, this.int(key.length))}`;
      case 2:
        // A flipped character: well-shaped, bad checksum.
        return `Bearer ${key.slice(0, 10)}${key[10] === 'A' ? 'B' : 'A'}${key.slice(11)}`;
      case 3:
        return `Basic ${Buffer.from('admin:admin').toString('base64')}`;
      case 4:
        return `Bearer ${key} ${key}`;
      case 5:
        return `Bearer ${'inv_'.padEnd(10_000, 'Z')}`;
      case 6:
        return 'Bearer';
      case 7:
        return `bearer\t${this.fx.otherKey}`;
      case 8:
        return `Bearer ${key}\u00e9`;
      default:
        return `Bearer ${key}`;
    }
  }

  private host(): { host: string; site: boolean } {
    const fx = this.fx;
    switch (this.int(14)) {
      case 0:
        return { host: `${fx.slug}.${fx.sitesDomain}`, site: true };
      case 1:
        return { host: `${this.pick(['xn--80ak6aa92e', 'www', 'api', 'x'.repeat(70), 'a--b', fx.slug.toUpperCase()])}.${fx.sitesDomain}`, site: true };
      case 2:
        return { host: `${fx.slug}--${'a'.repeat(16)}.${fx.sitesDomain}`, site: true };
      case 3:
        return { host: this.pick(['evil.example', '', '127.0.0.1', `${fx.platformHost}.evil.example`, 'localhost:1', `a.b.${fx.sitesDomain}`]), site: false };
      default:
        return { host: fx.platformHost, site: false };
    }
  }

  /** JSON-ish bodies: valid shapes with hostile values, wrong types, malformed and deeply nested. */
  private jsonBody(): string {
    switch (this.int(16)) {
      case 0:
        return this.pick(['{', '{"html":', '{"html":"<p>', '[', 'nul', '{"a":1,}', "{'a':1}", '\u0000', '\ufeff{}', '']);
      case 1: {
        const depth = this.pick([100, 1_000, 10_000, 100_000]);
        return '['.repeat(depth) + ']'.repeat(depth);
      }
      case 2: {
        const depth = this.pick([65, 100, 1_000, 5_000, 10_000, 50_000]);
        // An object at the top, as a form submission must be, with the nesting inside a field.
        return this.chance(0.5) ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : `{"email":"a@b.c","a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      }
      case 3:
        return JSON.stringify({ slug: this.pick([123, null, true, [], {}, 1e309]), html: this.pick([1, null, [], {}, true]) });
      case 4:
        return JSON.stringify({ files: this.pick(['index.html', 1, {}, [null], [1, 2], [{}], [{ path: 1, content: [] }]]) });
      case 5: {
        const content = '<p>x</p>';
        const files = [
          { path: this.pick(HOSTILE_STRINGS) || '..', content },
          { path: 'index.html', content },
        ];
        if (this.chance(0.5)) files.push({ path: 'index.html', content: 'dup' });
        if (this.chance(0.3)) files.push({ path: './index.html', content: 'dup2' });
        return JSON.stringify({ slug: this.slug(), files });
      }
      case 6:
        return JSON.stringify({
          slug: this.slug(),
          files: [
            { path: 'index.html', content: '<p>ok</p>' },
            { path: 'img.png', content: this.pick(['!!!', '@@==', 'aGVsbG8=====', '\u0000', 'é', 'a b c', '====']), encoding: 'base64' },
          ],
        });
      case 7:
        return JSON.stringify({ slug: this.slug(), html: 'x'.repeat(this.pick([1_000, 100_000, 900_000])), title: 'y'.repeat(this.pick([10, 199, 201, 5_000])) });
      case 8:
        return JSON.stringify({ slug: this.slug(), html: this.pick(HOSTILE_STRINGS) || '<p>', favicon: this.pick(HOSTILE_STRINGS), publish: this.pick([true, false, 'yes', 0]) });
      case 9:
        return JSON.stringify({ version: this.pick([0, -1, 1.5, 1e20, '1', null, 2 ** 53, 1]) });
      case 10:
        return JSON.stringify({ name: this.pick([...HOSTILE_STRINGS, 'k'.repeat(5_000), 7, null]) });
      case 11:
        // Written out: an object literal's __proto__ would set the prototype, not a key.
        return `{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"slug":${JSON.stringify(this.slug())},"html":"<p>proto</p>"}`;
      case 12:
        return JSON.stringify({ slug: this.slug(), html: '<p>extra</p>', org_id: this.fx.orgId, owner: 'someone', id: this.fx.otherSiteId });
      case 13: {
        const fields: Record<string, unknown> = {};
        for (let i = 0; i < this.pick([1, 50, 101, 500]); i++) fields[this.pick(HOSTILE_STRINGS) + i] = this.pick([...HOSTILE_STRINGS, 1, null, { a: [1, { b: 2 }] }]);
        return JSON.stringify(fields);
      }
      case 14:
        return JSON.stringify({ email: this.pick(HOSTILE_STRINGS), _next: this.pick(['javascript:alert(1)', 'http://evil.example/', '//evil.example', `http://${this.fx.slug}.${this.fx.sitesDomain}/ok`]), _hp: this.pick(['', 'bot']) });
      default:
        return JSON.stringify({ slug: this.slug(), html: `<!doctype html><title>t</title><p>${this.pick(HOSTILE_STRINGS)}</p>` });
    }
  }

  private slug(): unknown {
    return this.pick([
      `s${this.int(1e9).toString(36)}`,
      this.fx.slug,
      'ѕite',
      '\u202eetis',
      'admin',
      'www',
      '-a',
      'a-',
      'a--b',
      'A',
      '',
      'x'.repeat(41),
      '../x',
      '/abs',
      'a\u0000b',
      'xn--80ak6aa92e',
      '😀',
    ]);
  }

  private formBody(type: string): string {
    if (type.startsWith('multipart')) {
      return this.pick([
        '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c\r\n--XyZ--\r\n',
        '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="../../x"\r\n\r\n\u0000\r\n',
        '--nope\r\n\r\n',
        '--XyZ--',
        'garbage',
      ]);
    }
    return this.pick(['a=1&a=2&a=3', '%zz=%', '=&&=', 'email=%E2%80%AE%00', 'x'.repeat(70_000), '_hp=bot&email=x', 'a[b][c]=1', Array.from({ length: 200 }, (_, i) => `f${i}=v`).join('&')]);
  }

  /** A body over a limit: the deploy limit (40 MB, rarely), 1 MB elsewhere, 64 KB for submissions. */
  private oversized(path: string, method: string): string | undefined {
    if (path.includes('submit')) return 'a='.concat('x'.repeat(65 * 1024));
    if (/^\/(auth|dashboard\/login)/.test(path)) return `{"pad":"${'x'.repeat(17 * 1024)}"}`;
    if ((method === 'POST' || method === 'PUT') && this.bigBodies < this.maxHugeBodies) {
      this.bigBodies++;
      return `{"html":"${'x'.repeat(41 * 1024 * 1024)}"}`;
    }
    return `{"html":"${'x'.repeat(1_100_000)}"}`;
  }

  /** Every schema field of every request, for the campaign's coverage check. */
  allFields(): string[] {
    return this.fields.allFields();
  }

  next(): HostileRequest {
    const queued = this.queue.shift();
    if (queued) return queued;
    return this.chance(0.45) ? this.fields.next() : this.randomRequest();
  }

  /**
   * Tells the generator how a request was answered. An accepted deploy queues requests for each of
   * its files on the live host, the preview host and /s/, each by GET or HEAD.
   */
  observe(req: HostileRequest, status: number, text: string): void {
    if (!req.deployPaths || status < 200 || status >= 300) return;
    let site: { slug?: unknown; preview_url?: unknown };
    try {
      site = JSON.parse(text) as typeof site;
    } catch {
      return;
    }
    if (typeof site.slug !== 'string') return;
    const preview = typeof site.preview_url === 'string' ? new URL(site.preview_url).host : null;
    for (const file of req.deployPaths.slice(0, 4)) {
      const path = `/${file.split('/').map(encodeURIComponent).join('/')}`;
      const method = this.chance(0.8) ? 'GET' : 'HEAD';
      const hosts: Array<[string, string]> = [[`${site.slug}.${this.fx.sitesDomain}`, path], [this.fx.platformHost, `/s/${site.slug}${path}`]];
      if (preview) hosts.push([preview, path]);
      for (const [host, target] of hosts) {
        this.followUps++;
        this.queue.push({ method, path: target, headers: { host }, label: `${method} deployed page`, siteRequest: true });
      }
    }
  }

  private randomRequest(): HostileRequest {
    const routes = allRoutePaths(ROUTES);
    const extra = [
      { method: 'GET', path: '/s/:slug/*' },
      { method: 'GET', path: '/s/:slug' },
      { method: 'POST', path: '/_submit' },
      { method: 'GET', path: '/*' },
    ];
    const dashboard = Object.values(DASHBOARD_FORMS).map((f) => ({ method: 'POST', path: f.path }));
    const all = [...routes.map((r) => ({ method: r.method as string, path: r.path })), ...extra, ...dashboard];
    const route = this.pick(all);
    const method = this.chance(0.8) ? route.method : this.pick(METHODS);
    let path = route.path.replace(/:(\w+)/g, (_, name: string) => this.segment(name));
    path = path.replace('/*', () => '/' + this.pick(['', 'index.html', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/', 'a/../../b', '.env', 'x%00.html', '%c0%ae%c0%ae/', '\u202e.html', '404.html', 'a'.repeat(3000)]));
    if (this.chance(0.1)) path += this.pick(['?limit=-1', '?limit=abc&limit=2', '?cursor=' + 'z'.repeat(600), '?cursor=%ff', '?x=%00', '?__proto__[a]=1', '#frag', '?limit=1e309', '?limit=100&cursor=abc']);
    if (this.chance(0.03)) path = path.replace(/\//g, '//');

    const { host, site } = this.host();
    const headers: Record<string, string> = { host };
    // POST /auth/logout revokes the key it is sent with: it gets the other tenant's, or the main key
    // would be revoked within the first hundred requests and every later keyed request be a 401.
    let auth = this.authorization();
    if (route.path === '/auth/logout' && auth === `Bearer ${this.fx.key}`) auth = `Bearer ${this.fx.otherKey}`;
    if (auth !== undefined) headers.authorization = auth;
    if (this.chance(0.1)) headers['x-forwarded-for'] = this.pick(['1.2.3.4', '127.0.0.1, 10.0.0.1', 'garbage', '::1', '']);
    if (this.chance(0.05)) headers['if-none-match'] = this.pick(['*', '"x"', 'W/"x"', '"'.repeat(100)]);
    if (this.chance(0.05)) headers.accept = this.pick(['application/json', 'text/html', '*/*;q=0', 'application/json, text/html']);
    if (this.chance(0.05)) headers.origin = this.pick(['http://evil.example', 'null', `http://${this.fx.slug}.${this.fx.sitesDomain}`]);

    let body: string | undefined;
    let label = `${method} ${route.path}`;
    const sendsBody = method !== 'GET' && method !== 'HEAD' && method !== 'get';
    if (sendsBody && this.chance(0.9)) {
      const type = this.pick(CONTENT_TYPES);
      if (this.chance(0.85)) headers['content-type'] = type;
      if (this.chance(0.03)) {
        body = this.oversized(path, method);
        label += ' (oversized)';
      } else {
        body = type.startsWith('multipart') || type.startsWith('application/x-www') ? this.formBody(type) : this.jsonBody();
      }
    }
    const siteRequest = site || /^\/+s\//.test(path);
    return { method, path, headers, body, label, siteRequest };
  }
}

export interface Verdict {
  ok: boolean;
  why?: string;
}

/** The rule every answer must follow. HEAD answers have no body to check. */

/** Mirrors submit.ts: a form encoding and an Accept asking for text/html. */
function isBrowserFormPost(headers: Record<string, string>): boolean {
  const get = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]?.toLowerCase() ?? '';
  return /application\/x-www-form-urlencoded|multipart\/form-data|text\/plain/.test(get('content-type')) && get('accept').includes('text/html');
}

export function judge(req: HostileRequest, status: number, contentType: string, text: string): Verdict {
  if (status >= 500) return { ok: false, why: `status ${status}: ${text.slice(0, 300)}` };
  if (req.method.toUpperCase() === 'HEAD' || status === 204 || status === 304) return { ok: true };
  if (contentType.startsWith('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, why: `status ${status} says JSON but is not: ${text.slice(0, 200)}` };
    }
    // /mcp speaks JSON-RPC: its refusals are JSON-RPC error objects (the 401 in front of it is ours).
    if (status >= 400 && /^\/mcp(?:[?#]|$)/.test(req.path) && (body as { jsonrpc?: unknown }).jsonrpc === '2.0') {
      const e = (body as { error?: { code?: unknown; message?: unknown } }).error;
      return typeof e?.code === 'number' && typeof e.message === 'string' ? { ok: true } : { ok: false, why: `status ${status} is not a JSON-RPC error: ${text.slice(0, 200)}` };
    }
    if (status >= 400) {
      const b = body as { error?: unknown; code?: unknown };
      if (typeof b.error !== 'string' || typeof b.code !== 'string' || b.error === '') {
        return { ok: false, why: `status ${status} is not the JSON error format: ${text.slice(0, 200)}` };
      }
    }
    return { ok: true };
  }
  // Not JSON: only hosted pages (site hosts, the /s/ fallback), pages made for people (the sign-in
  // page and its form posts, the dashboard), the thank-you page, the CSV export and redirects may
  // answer otherwise.
  if (status >= 300 && status < 400) return { ok: true };
  if (req.siteRequest) return { ok: true };
  const bare = req.path.split(/[?#]/)[0] as string;
  if (contentType.startsWith('text/html') && /^\/(auth\/(login|otp|verify)|dashboard|forms\/confirm|oauth\/authorize)(\/|$)/.test(bare)) return { ok: true };
  // The landing page, its icon and the crawl rules are for browsers and crawlers (`/deploy/..` is `/`).
  const routed = routedPath(req.path);
  if (status === 200 && ((routed === '/' && contentType.startsWith('text/html')) || (routed === '/favicon.ico' && contentType === 'image/x-icon') || (routed === '/robots.txt' && contentType.startsWith('text/plain')))) return { ok: true };
  // A browser's failed form post gets a page saying why (submit.ts isBrowserFormPost); nothing else does.
  if (contentType.startsWith('text/html') && req.method.toUpperCase() === 'POST' && /^\/submit\/[^/]+\/?$/.test(bare) && isBrowserFormPost(req.headers)) return { ok: true };
  if (status === 200 && (/\/thanks$/.test(req.path.split(/[?#]/)[0] as string) || contentType.startsWith('text/csv'))) return { ok: true };
  // A JSON-RPC answer of /mcp as an event stream.
  if (status === 200 && bare === '/mcp' && contentType.startsWith('text/event-stream')) return { ok: true };
  return { ok: false, why: `status ${status} with content-type "${contentType}" on an API request: ${text.slice(0, 200)}` };
}

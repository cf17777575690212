// Requests built from the schemas the server validates with: a valid-looking request to a route,
// with one field of its body, query or form given a hostile value (schema-fuzz.ts walks the zod
// schema; hostile-values.ts has the values). Part of the campaign in hostile.ts, which sends these
// beside its random requests.
import type { z } from 'zod';
import { allRoutePaths, ROUTES } from '../../packages/invoker-mcp/src/contract/routes.js';
import { DASHBOARD_FORMS } from '../../packages/platform/src/server/dashboard/forms.js';
import { Draw } from './draw.js';
import type { Fixtures, HostileRequest } from './hostile.js';
import { HEADER_ATTACKS, hostileValues } from './hostile-values.js';
import { fieldsOf, sample, setField, type Field, type Leaf } from './schema-fuzz.js';

/** A request schema's fields, and where the request goes. */
interface FieldTarget {
  method: string;
  path: string;
  kind: 'json' | 'query' | 'form';
  schema: z.ZodType;
  fields: Field[];
  auth: 'key' | 'none' | 'dashboard';
}

/** Every schema the server validates a request with: the contract's bodies and queries, the dashboard's forms. */
export function fieldTargets(): FieldTarget[] {
  const targets: FieldTarget[] = [];
  const add = (method: string, path: string, kind: FieldTarget['kind'], schema: z.ZodType, auth: FieldTarget['auth']) =>
    targets.push({ method, path, kind, schema, fields: fieldsOf(schema), auth });
  for (const { method, path, spec } of allRoutePaths(ROUTES)) {
    const auth = spec.auth;
    if (spec.body) add(method, path, 'json', spec.body, auth);
    if (spec.query) add(method, path, 'query', spec.query, auth);
  }
  for (const form of Object.values(DASHBOARD_FORMS)) add('POST', form.path, 'form', form.fields, form.signedIn ? 'dashboard' : 'none');
  return targets;
}

/** The key a fuzzed field is counted under, e.g. "POST /deploy files[].content_type". */
export const fieldKey = (t: { method: string; path: string }, f: Field) => `${t.method} ${t.path} ${f.name}`;

export class FieldRequests extends Draw {
  private readonly targets = fieldTargets();
  private fresh = 0;
  /** Hostile values given to each schema field so far. */
  readonly fuzzed = new Map<string, number>();

  constructor(
    rand: () => number,
    private readonly fx: Fixtures,
    /** The campaign's hostile path segment for a parameter. */
    private readonly hostileSegment: (name: string) => string,
  ) {
    super(rand);
  }

  /** Every schema field of every request, for the campaign's coverage check. */
  allFields(): string[] {
    return this.targets.flatMap((t) => t.fields.map((f) => fieldKey(t, f)));
  }

  /** A valid-looking request to a route with a schema, one field of it hostile. */
  next(): HostileRequest {
    const target = this.pick(this.targets);
    const field = target.fields.length ? this.pick(target.fields) : undefined;
    const onPath = (at: string[]) => field !== undefined && field.at.slice(0, at.length).join('\u0000') === at.join('\u0000');
    let body = sample(target.schema, (name, leaf) => this.fixture(name, leaf), (at) => onPath(at) || this.chance(0.3));
    if (field) {
      body = setField(body, field.at, this.hostileFor(field));
      const key = fieldKey(target, field);
      this.fuzzed.set(key, (this.fuzzed.get(key) ?? 0) + 1);
    }
    const path = target.path.replace(/:(\w+)/g, (_, name: string) => (this.chance(0.85) ? this.realSegment(name) : this.hostileSegment(name)));
    const headers: Record<string, string> = { host: this.fx.platformHost };
    if (target.auth === 'key' && this.chance(0.95)) headers.authorization = `Bearer ${this.fx.schemaKey ?? this.fx.key}`;
    if (target.auth === 'dashboard' && this.fx.dashboard?.length) {
      const browser = this.pick(this.fx.dashboard);
      headers.cookie = browser.cookie;
      if (this.chance(0.8) && body && typeof body === 'object') (body as Record<string, unknown>)._csrf = browser.csrf;
    }
    const label = `${target.method} ${target.path}${field ? ` [${field.name}]` : ''}`;
    const fieldName = field ? fieldKey(target, field) : undefined;
    const deep = field !== undefined && target.kind !== 'query' && this.chance(0.05);
    if (deep && field) body = setField(body, field.at, DEEP);
    if (target.kind === 'query') {
      const query = Object.entries((body ?? {}) as Record<string, unknown>)
        .map(([k, v]) => `${encodeURIComponent(k)}=${this.chance(0.8) ? percentEncode(String(v)) : percentEncode(String(v)).replace(/%2[0-9A-F]/g, (m) => decodeURIComponent(m).replace(/[\s#&]/, '%20'))}`)
        .join('&');
      return { method: target.method, path: `${path}?${query}`, headers, label, siteRequest: false, field: fieldName };
    }
    let text: string;
    if (target.kind === 'form') {
      const fields = Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''] as const);
      if (this.chance(0.7)) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        text = new URLSearchParams(fields as Array<[string, string]>).toString();
      } else {
        headers['content-type'] = 'multipart/form-data; boundary=FuzzBoundary';
        const parts = fields.map(([k, v]) => `--FuzzBoundary\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
        // Sometimes cut short or left unterminated: a malformed multipart body must be a 400.
        text = this.chance(0.3) ? parts.slice(0, Math.max(1, this.int(parts.length))) : `${parts}--FuzzBoundary--\r\n`;
      }
    } else {
      headers['content-type'] = 'application/json';
      text = JSON.stringify(body) ?? 'null';
      // The field nested past the depth limit, written as text (a value that deep would overflow JSON.stringify).
      if (deep) text = text.replace(JSON.stringify(DEEP), () => `${'['.repeat(3_000)}${']'.repeat(3_000)}`);
    }
    const deployPaths = target.kind === 'json' && /\/deploy(\/:id)?$/.test(target.path) ? deployedPaths(body) : undefined;
    return { method: target.method, path, headers, body: text, label, siteRequest: false, field: fieldName, deployPaths };
  }

  private hostileFor(field: Field): unknown {
    if (field.leaf === 'string' && /content_?type/i.test(field.name) && this.chance(0.6)) return this.pick(HEADER_ATTACKS);
    return this.pick(hostileValues(field.leaf));
  }

  /** Values the campaign knows to be valid, so a fuzzed field is what the request gets wrong. */
  private fixture(name: string, leaf: Leaf): unknown {
    switch (name) {
      case 'slug':
        return `fz${(this.fresh++).toString(36)}${this.int(1e6).toString(36)}`;
      case 'html':
        return '<!doctype html><html><head></head><body><p>fuzzed</p></body></html>';
      case 'files':
        return [
          { path: 'index.html', content: '<p>index</p>' },
          { path: 'page.html', content: '<p>page</p>' },
        ];
      case 'session_id':
        return this.fx.sessionId;
      case 'user_code':
        return this.fx.userCode;
      case 'email':
        return 'fuzz@example.com';
      case 'code':
        return '123456';
      case 'version':
        return 1;
      case 'org_id':
        return this.fx.subOrgId;
      default:
        return leaf === 'string' && name === 'name' ? 'fuzzed' : undefined;
    }
  }

  /** A real id or name for a path parameter. */
  private realSegment(name: string): string {
    const fx = this.fx;
    const real: Record<string, string> = { id: fx.siteId, org: 'c', keyId: fx.keyId, subOrgId: fx.subOrgId, submissionId: fx.submissionId, slug: fx.slug };
    return real[name] ?? this.hostileSegment(name);
  }
}

/** Stands for a field nested 3,000 levels deep; replaced in the JSON text. */
const DEEP = '\u0000deep\u0000';

/** encodeURIComponent, which throws on a lone surrogate: that becomes the bytes a client could send for it. */
function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.split('').map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

/** The file paths a deploy body names (strings only), for the follow-up requests. */
function deployedPaths(body: unknown): string[] {
  const b = body as { html?: unknown; files?: unknown };
  if (!Array.isArray(b.files)) return ['index.html'];
  return b.files.map((f) => (f as { path?: unknown })?.path).filter((p): p is string => typeof p === 'string' && p.length < 300);
}


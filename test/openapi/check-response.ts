// One recorded answer (test/helpers/responses.ts) against the OpenAPI document: which operation it
// answers (path template and method), whether the document lists its status, its media type, the
// headers it must carry, and whether its JSON body validates against the schema (Ajv, JSON Schema
// 2020-12, the dialect of OpenAPI 3.1). Answers outside the API are sorted into named scopes.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { httpStatus, isErrorCode } from '../../packages/invoker-mcp/src/errors.js';
import type { RecordedResponse } from '../helpers/responses.js';
import { routedPath } from '../helpers/routed-path.js';

type JsonObject = Record<string, any>;

export type Verdict =
  | { kind: 'operation'; operation: string; status: number; problems: string[] }
  | { kind: 'no-route'; problems: string[] }
  | { kind: 'out-of-scope'; scope: string };

/** What the document does not describe, and why (docs/API.md says the same). */
export const SCOPES = {
  siteHost: 'site hosts ({slug}.{sites domain}): the user\'s own pages, not the API',
  otherHost: 'other Host headers (unknown hosts answer 404; tests of host routing)',
  dashboard: '/dashboard: HTML pages for people, behind a cookie session',
  fallback: '/s/{slug}/: the sites served under the platform host (no wildcard DNS)',
  head: 'HEAD: the headers of the GET answer, without its body',
} as const;

const COMPONENTS_ID = 'https://invoker.test/components';

export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; literals: number }>;

  constructor(private readonly doc: JsonObject) {
    addFormats.default(this.ajv);
    // The document's references point into its components: registered once, under an id of their own.
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(doc.components.schemas) });
    this.templates = Object.keys(doc.paths)
      .map((template) => {
        const segments = template.split('/');
        const pattern = new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escapeRegExp(s))).join('/')}$`);
        return { template, pattern, literals: segments.filter((s) => s && !s.startsWith('{')).length };
      })
      // A literal segment wins over a parameter (/submissions/{id}/export.csv before /{submissionId}).
      .sort((a, b) => b.literals - a.literals);
  }

  /** Every documented operation and status, e.g. "post /deploy 201". */
  documented(): string[] {
    return Object.entries(this.doc.paths as Record<string, JsonObject>).flatMap(([template, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => Object.keys((op as JsonObject).responses).map((status) => `${method} ${template} ${status}`)),
    );
  }

  check(r: RecordedResponse): Verdict {
    const host = r.host.toLowerCase().replace(/:\d+$/, '');
    if (host.endsWith('.localhost')) return { kind: 'out-of-scope', scope: SCOPES.siteHost };
    if (host !== '' && host !== 'localhost' && host !== '127.0.0.1' && host !== '[::1]') return { kind: 'out-of-scope', scope: SCOPES.otherHost };
    const path = routedPath(r.target);
    if (path === '/dashboard' || path.startsWith('/dashboard/')) return { kind: 'out-of-scope', scope: SCOPES.dashboard };
    if (path.startsWith('/s/')) return { kind: 'out-of-scope', scope: SCOPES.fallback };
    if (r.method === 'HEAD') return { kind: 'out-of-scope', scope: SCOPES.head };
    const method = r.method.toLowerCase();
    const template = this.templates.find((t) => t.pattern.test(path) && this.doc.paths[t.template][method])?.template;
    if (!template) return { kind: 'no-route', problems: this.checkNoRoute(r) };
    const operation = `${method} ${template}`;
    const answer = this.doc.paths[template][method].responses[String(r.status)] as JsonObject | undefined;
    if (!answer) return { kind: 'operation', operation, status: r.status, problems: [`status ${r.status} is not documented`] };
    const pointer = `#/paths/${escapePointer(template)}/${method}/responses/${r.status}`;
    return { kind: 'operation', operation, status: r.status, problems: [...this.checkBody(r, answer, pointer), ...this.checkHeaders(r, answer)] };
  }

  private checkBody(r: RecordedResponse, answer: JsonObject, pointer: string): string[] {
    const content = answer.content as Record<string, JsonObject> | undefined;
    if (!content) return r.bodyLength === 0 ? [] : [`a body of ${r.bodyLength} characters (${r.type || 'no type'}) where the document says none`];
    const type = r.type.split(';')[0]?.trim().toLowerCase() ?? '';
    const media = content[type];
    if (!media) return [`content type "${r.type}" is not documented (documented: ${Object.keys(content).join(', ')})`];
    if (!type.endsWith('json')) return [];
    if (r.body === undefined) return [`a JSON body of ${r.bodyLength} characters too large to check`];
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      return [`the body is not JSON: ${r.body.slice(0, 80)}`];
    }
    return this.validate(`${pointer}/content/${escapePointer(type)}`, media.schema, body);
  }

  private checkHeaders(r: RecordedResponse, answer: JsonObject): string[] {
    const documented = (answer.headers ?? {}) as Record<string, JsonObject>;
    const lower = Object.keys(documented).map((n) => n.toLowerCase());
    // The recorder keeps only the headers some answer documents: one elsewhere is an undocumented header.
    const problems = Object.keys(r.headers).filter((n) => !lower.includes(n)).map((n) => `header ${n} is sent but not documented`);
    for (const [name, ref] of Object.entries(documented)) {
      const header = ref.$ref ? this.doc.components.headers[(ref.$ref as string).split('/').pop() as string] : ref;
      const value = r.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`header ${name} is missing`);
        continue;
      }
      const typed = header.schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
      problems.push(...this.validate(`header ${name}`, header.schema, typed).map((p) => `header ${name}: ${p}`));
    }
    return problems;
  }

  /**
   * A path or method no route serves: the catch-all's answer is still the error format, with the code
   * of its status. Under /submit/ the CORS middleware answers every OPTIONS as a preflight (204, no body).
   */
  private checkNoRoute(r: RecordedResponse): string[] {
    if (r.method === 'OPTIONS' && r.target.startsWith('/submit/') && r.status === 204 && r.bodyLength === 0) return [];
    if (!/json/.test(r.type)) return [`no route, and the answer is ${r.type || 'not typed'} rather than the JSON error`];
    let body: { code?: unknown };
    try {
      body = JSON.parse(r.body ?? '') as { code?: unknown };
    } catch {
      return ['no route, and the body is not JSON'];
    }
    const problems = this.validate('no route', { $ref: '#/components/schemas/Error' }, body);
    if (isErrorCode(body.code) && httpStatus(body.code) !== r.status && !(body.code === 'config' && r.status === 500)) {
      problems.push(`code ${body.code} with status ${r.status}`);
    }
    return problems;
  }

  private validate(key: string, schema: JsonObject, value: unknown): string[] {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(rewriteRefs(schema) as object);
      this.compiled.set(key, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).slice(0, 5).map((e) => `body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

/** `#/components/schemas/X` as a reference into the components registered with Ajv. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${COMPONENTS_ID}#/$defs/`) : rewriteRefs(v)]),
  );
}

function escapePointer(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


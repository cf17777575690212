// GET /openapi.json: an OpenAPI 3.1 document generated from the route table: its zod schemas (the
// same ones the handlers validate with) and every answer of every route (contract/responses.ts).
import { z } from 'zod';
import { answersOf, API_SCHEMAS, JSON_TYPE, type Answer, type HeaderName } from 'invoker-mcp/contract/responses.js';
import { allRoutePaths, ROUTES, type RouteSpec } from 'invoker-mcp/contract/routes.js';

type JsonObject = Record<string, unknown>;

const SCHEMA_REF = '#/components/schemas/';

const TAGS: Record<RouteSpec['tag'], string> = {
  sites: 'Sites and their versions: deploy, publish, roll back, rename, delete.',
  forms: 'Form capture on deployed sites, reading what visitors sent, form settings and uploaded files.',
  webhooks: 'Webhooks: signed deliveries of site events (Standard Webhooks), with every attempt recorded.',
  domains: "Custom domains: a site's own host names, verified by DNS TXT or an HTTP token, with certificates through Caddy's on-demand TLS.",
  keys: "The organization's API keys.",
  orgs: 'Organizations and their sub-organizations.',
  account: 'Who the calling key belongs to.',
  auth: 'Browser sign-in for command-line and MCP clients (device-style, with an emailed code).',
  platform: 'The server itself.',
};

/** Every header an answer may carry; `required` says whether it is always there where listed. */
const HEADERS: Record<HeaderName, { description: string; schema: JsonObject; required: boolean }> = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 }, required: true },
  'RateLimit-Policy': { description: 'The per-address budget (IETF RateLimit headers), e.g. `"ip";q=500;w=60`.', schema: { type: 'string' }, required: false },
  RateLimit: { description: 'What is left of the budget: `"ip";r=REMAINING;t=SECONDS_TO_RESET`.', schema: { type: 'string' }, required: false },
  Location: { description: 'Where the browser goes next.', schema: { type: 'string' }, required: true },
  'X-Request-Id': { description: 'The id the failure was logged under (the same as request_id).', schema: { type: 'string', pattern: '^req_[0-9A-Za-z]{16}$' }, required: true },
  'Content-Disposition': { description: 'attachment, with a file name.', schema: { type: 'string' }, required: true },
  'WWW-Authenticate': { description: 'The bearer challenge: where the resource metadata is, the default scopes, and error="invalid_token" for a bad token.', schema: { type: 'string' }, required: true },
};

function inputSchema(schema: z.ZodType): JsonObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
}

/** A response body: always one of the named schemas, by reference. */
function bodyRef(schema: z.ZodType | 'text'): JsonObject {
  if (schema === 'text') return { type: 'string' };
  const id = API_SCHEMAS.get(schema)?.id;
  if (!id) throw new Error('A response body schema has no name: register it with named() in contract/');
  return { $ref: SCHEMA_REF + id };
}

function componentSchemas(): Record<string, JsonObject> {
  const { schemas } = z.toJSONSchema(API_SCHEMAS, { io: 'output', unrepresentable: 'any', uri: (id) => SCHEMA_REF + id });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, id: _id, ...rest } = schema as JsonObject;
    out[id] = rest;
  }
  return out;
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => `{${name === 'org' ? 'org_id' : name}}`);
}

function parameters(path: string, spec: RouteSpec): JsonObject[] {
  const params: JsonObject[] = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1] === 'org' ? 'org_id' : m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
    ...(m[1] === 'org' ? { description: 'Organization id, or "c" for the key\'s own organization' } : {}),
  }));
  if (spec.query) {
    const query = inputSchema(spec.query) as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  return params;
}

function requestBody(spec: RouteSpec): JsonObject | undefined {
  const content: JsonObject = {};
  if (spec.body) content[JSON_TYPE] = { schema: inputSchema(spec.body) };
  for (const [type, schema] of Object.entries(spec.forms ?? {})) content[type] = { schema: inputSchema(schema) };
  if (Object.keys(content).length === 0) return undefined;
  return { required: !spec.bodyOptional, content };
}

function response(answer: Answer): JsonObject {
  const headers: JsonObject = {};
  for (const [names, required] of [[answer.headers ?? [], true], [answer.mayHave ?? [], false]] as const) {
    for (const name of names) {
      const header = HEADERS[name];
      headers[name] = header.required === required ? { $ref: `#/components/headers/${name}` } : { ...header, required };
    }
  }
  return {
    description: answer.description,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(answer.content ? { content: Object.fromEntries(Object.entries(answer.content).map(([type, schema]) => [type, { schema: bodyRef(schema) }])) } : {}),
  };
}

function operation(path: string, spec: RouteSpec): JsonObject {
  const answers = answersOf(spec, path);
  const body = requestBody(spec);
  return {
    summary: spec.summary,
    tags: [spec.tag],
    operationId: `${spec.method.toLowerCase()}${openApiPath(path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: spec.auth === 'key' ? [{ apiKey: [] }] : [],
    parameters: parameters(path, spec),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries(Object.entries(answers).map(([status, answer]) => [status, response(answer)])),
  };
}

export function buildOpenApi(version: string, serverUrl: string, routes: readonly RouteSpec[] = ROUTES): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const { method, path, spec } of allRoutePaths(routes)) {
    const key = openApiPath(path);
    paths[key] = { ...(paths[key] ?? {}), [method.toLowerCase()]: operation(path, spec) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Invoker API',
      version,
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Deploy forms and sites. Every resource route also exists under /orgs/{org_id}; "c" is the key\'s own organization. ' +
        'Errors are `{"error", "code"}` JSON; each status answers with one code. Every answer after the rate limit carries ' +
        'RateLimit-Policy and RateLimit headers. docs/API.md says what this document leaves out and why.',
    },
    servers: [{ url: serverUrl }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An Invoker API key: inv_…' } },
      headers: Object.fromEntries(Object.entries(HEADERS).map(([name, header]) => [name, header])),
      schemas: componentSchemas(),
    },
    paths,
  };
}

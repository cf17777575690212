// GET /openapi.json: an OpenAPI 3.1 document generated from the route table and its zod schemas,
// the same ones the handlers validate with.
import { z } from 'zod';
import { ErrorBodySchema } from 'invoker-mcp/contract/account.js';
import { allRoutePaths, ROUTES, type RouteSpec } from 'invoker-mcp/contract/routes.js';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema;
  return json;
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
    const query = schemaOf(spec.query, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  return params;
}

function operation(path: string, spec: RouteSpec): JsonObject {
  const success: JsonObject = { description: spec.summary };
  if (spec.response) success.content = { 'application/json': { schema: schemaOf(spec.response, 'output') } };
  else if (spec.responseType) success.content = { [spec.responseType]: { schema: { type: 'string' } } };
  const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    summary: spec.summary,
    tags: [spec.tag],
    operationId: `${spec.method.toLowerCase()}${openApiPath(path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(spec.auth === 'key' ? { security: [{ apiKey: [] }] } : { security: [] }),
    parameters: parameters(path, spec),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } } : {}),
    responses: {
      [String(spec.status)]: success,
      '400': error,
      ...(spec.auth === 'key' ? { '401': error } : {}),
      '404': error,
      '429': error,
    },
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
      description:
        'Deploy forms and sites. Every resource route also exists under /orgs/{org_id}; "c" is the key\'s own organization.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An Invoker API key: inv_…' } },
      schemas: { Error: schemaOf(ErrorBodySchema, 'output') },
    },
    paths,
  };
}

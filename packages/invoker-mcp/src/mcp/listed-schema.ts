// How a tool's zod schema is listed in tools/list: every byte of it is sent to the model on every
// turn, so the listing keeps what helps a model call the tool right (types, enums, required fields,
// size limits, the input descriptions) and drops what does not. Validation is untouched: the SDK
// still validates every call and every result with the zod schema itself.
//
// Dropped: `$schema`; the ±2^53 bounds zod puts on every integer; string `pattern`s and lengths
// (checked on call, and the error names them: a model writes better from a short description than
// from a control-character class or a 512-character cap it never nears);
// `propertyNames: {type: string}` and `additionalProperties: {}` (what every JSON object is anyway).
// Output schemas also lose their prose, `required` and `additionalProperties: false`: they tell a
// client the shape of what comes back, and the SDK checks every result against the full zod schema
// before it is sent, so what those keywords would promise is kept without being listed. Nullable types are spelled `anyOf` with one type per
// branch, the form every client dialect maps (a `type` array is not: see the Inspector's --strict).
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const SAFE_BOUND = Number.MAX_SAFE_INTEGER;
/** Keywords that say something about the value whatever its type: they stay beside the anyOf. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples']);

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function compactNode(node: Json, io: Io): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'pattern' || key === 'minLength' || key === 'maxLength') continue;
    if ((key === 'minimum' && value === -SAFE_BOUND) || (key === 'maximum' && value === SAFE_BOUND)) continue;
    if (key === 'propertyNames' && isObject(value) && Object.keys(value).length === 1 && value.type === 'string') continue;
    if (key === 'additionalProperties' && isObject(value) && Object.keys(value).length === 0) continue;
    if (io === 'output' && (key === 'description' || key === 'required' || (key === 'additionalProperties' && value === false))) continue;
    out[key] = compactValue(key, value, io);
  }
  return splitTypeUnion(out);
}

/** Recurses into subschemas, not into the values of `enum`, `const`, `required` or `default`. */
function compactValue(key: string, value: unknown, io: Io): unknown {
  if (key === 'enum' || key === 'const' || key === 'required' || key === 'default' || key === 'examples') return value;
  if (key === 'properties' || key === '$defs' || key === 'patternProperties') {
    return Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, isObject(sub) ? compactNode(sub, io) : sub]));
  }
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? compactNode(item, io) : item));
  return isObject(value) ? compactNode(value, io) : value;
}

/** `{type: ["string", "null"], …}` → `{anyOf: [{type: "string", …}, {type: "null"}]}`. */
function splitTypeUnion(node: Json): Json {
  if (!Array.isArray(node.type)) return node;
  const types = node.type as string[];
  const kept: Json = {};
  const typed: Json = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'type') (ANNOTATIONS.has(key) ? kept : typed)[key] = value;
  // Keywords of the non-null type go with it; with several non-null types they apply to each.
  return { anyOf: types.map((type) => (type === 'null' ? { type } : { type, ...typed })), ...kept };
}

/** The JSON Schema tools/list shows for `json`, a zod-generated schema. */
export function compactSchema(json: Json, io: Io): Json {
  return compactNode(json, io);
}

type Std<S extends z.ZodType> = StandardSchemaWithJSON<z.input<S>, z.output<S>>['~standard'];

/**
 * `schema` as the SDK takes it: zod validates with `schema`, tools/list shows `listed` (by default
 * the same schema; catalog.ts lists some arguments only in some selections) compacted. The JSON
 * Schema is built once per conversion target: the SDK asks for it on every tools/list.
 */
export function listedSchema<S extends z.ZodType>(schema: S, io: Io, listed: z.ZodType = schema): StandardSchemaWithJSON<z.input<S>, z.output<S>> {
  const std = schema['~standard'] as unknown as Std<S>;
  const shown = listed['~standard'] as unknown as Std<S>;
  const memo = new Map<string, Json>();
  const convert = (options: Parameters<Std<S>['jsonSchema']['input']>[0]) => {
    const key = JSON.stringify(options);
    let json = memo.get(key);
    if (!json) memo.set(key, (json = compactSchema(shown.jsonSchema[io](options), io)));
    return json;
  };
  return { '~standard': { ...std, jsonSchema: { input: convert, output: convert } } };
}

// Request bodies for the fuzzer, derived from the zod schemas the server validates with (src/contract/
// routes.ts, and the dashboard's form table). Walking the schema means a field added tomorrow is
// fuzzed tomorrow, without anyone remembering to add it here: every field is listed by fieldsOf(),
// and the campaign fails unless each one received hostile values.
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, Walkable>;
  element?: Walkable;
  innerType?: Walkable;
  in?: Walkable;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: Walkable[];
}
interface Walkable {
  _zod: { def: Def };
}

export type Leaf = 'string' | 'number' | 'boolean' | 'enum' | 'other';

/** One field of a schema: `files[].content_type` is at ['files', '[]', 'content_type']. */
export interface Field {
  name: string;
  at: string[];
  leaf: Leaf;
  optional: boolean;
}

const def = (schema: unknown): Def => (schema as Walkable)._zod.def;

/** The schema under optional/default/nullable wrappers and transforms (what the client sends). */
function unwrap(schema: Walkable): { schema: Walkable; optional: boolean } {
  let s = schema;
  let optional = false;
  for (;;) {
    const d = def(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault') {
      optional = true;
      s = d.innerType as Walkable;
    } else if (d.type === 'pipe') s = d.in as Walkable;
    else return { schema: s, optional };
  }
}

function leafOf(type: string): Leaf {
  if (type === 'string') return 'string';
  if (type === 'number' || type === 'int' || type === 'bigint') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'enum' || type === 'literal') return 'enum';
  return 'other';
}

/** Every field of an object schema, nested objects and array elements included. */
export function fieldsOf(schema: z.ZodType, prefix: string[] = []): Field[] {
  const { schema: root } = unwrap(schema as unknown as Walkable);
  const d = def(root);
  if (d.type !== 'object') return [];
  const out: Field[] = [];
  for (const [key, child] of Object.entries(d.shape ?? {})) {
    const { schema: inner, optional } = unwrap(child);
    const at = [...prefix, key];
    const innerDef = def(inner);
    out.push({ name: at.join('.').replace(/\.\[\]/g, '[]'), at, leaf: leafOf(innerDef.type), optional });
    if (innerDef.type === 'object') out.push(...fieldsOf(inner as unknown as z.ZodType, at));
    if (innerDef.type === 'array') {
      const element = unwrap(innerDef.element as Walkable).schema;
      if (def(element).type === 'object') out.push(...fieldsOf(element as unknown as z.ZodType, [...at, '[]']));
    }
  }
  return out;
}

/** A value for a field when the campaign has no better one: what the field's type expects. */
export type Fixture = (name: string, leaf: Leaf) => unknown;

/**
 * A plausible, mostly valid value of the schema: required fields always, optional ones when `keep`
 * says so (always on the path to the field being fuzzed). Arrays get the fixture's list, or one
 * element.
 */
export function sample(schema: z.ZodType, fixture: Fixture, keep: (at: string[]) => boolean, at: string[] = []): unknown {
  const { schema: s } = unwrap(schema as unknown as Walkable);
  const d = def(s);
  const name = at[at.length - 1] ?? '';
  const given = fixture(name, leafOf(d.type));
  if (given !== undefined) return structuredClone(given);
  switch (d.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(d.shape ?? {})) {
        const childAt = [...at, key];
        if (unwrap(child).optional && !keep(childAt)) continue;
        out[key] = sample(child as unknown as z.ZodType, fixture, keep, childAt);
      }
      return out;
    }
    case 'array':
      return [sample(d.element as unknown as z.ZodType, fixture, keep, [...at, '[]'])];
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    case 'union':
      return sample(d.options?.[0] as unknown as z.ZodType, fixture, keep, at);
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      return 'fuzz';
    default:
      return null;
  }
}

/**
 * Puts `value` at the field's place in a sampled body (the last element of an array along the way);
 * `undefined` removes the field.
 */
export function setField(body: unknown, at: string[], value: unknown): unknown {
  const root = structuredClone(body) as Record<string, unknown>;
  let node: unknown = root;
  for (let i = 0; i < at.length - 1; i++) {
    const key = at[i] as string;
    const container = node as Record<string, unknown>;
    if (at[i + 1] === '[]') {
      const list = Array.isArray(container[key]) ? (container[key] as unknown[]) : (container[key] = [{}] as unknown[]);
      if (list.length === 0) list.push({});
      if (typeof list[list.length - 1] !== 'object' || list[list.length - 1] === null) list[list.length - 1] = {};
      node = list[list.length - 1];
      i++;
    } else {
      if (typeof container[key] !== 'object' || container[key] === null) container[key] = {};
      node = container[key];
    }
  }
  const last = at[at.length - 1] as string;
  if (value === undefined) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
  return root;
}

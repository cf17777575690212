// Block props: each block declares its props with a type, a one-line description and a default.
// resolveProps checks what the model passed against that declaration, so a typo or a wrong type
// is an error that lists what exists instead of a silently ignored value.
import { AppError } from '../errors.js';
import { checkUrl } from './html.js';

export type PropValue = string | number | boolean | PropRecord[];
export interface PropRecord {
  [name: string]: PropValue;
}

export type PropSpec =
  | { type: 'text' | 'url' | 'datetime'; description: string; default: string }
  | { type: 'choice'; description: string; default: string; options: readonly string[] }
  | { type: 'number'; description: string; default: number }
  | { type: 'boolean'; description: string; default: boolean }
  | { type: 'list'; description: string; default: PropRecord[]; item: Record<string, PropSpec>; max?: number };

export type PropSpecs = Record<string, PropSpec>;

const MAX_TEXT = 5_000;
const DEFAULT_MAX_ITEMS = 50;

/** Read access to checked props; the renderer never sees an unchecked value. */
export class Props {
  constructor(private readonly values: PropRecord) {}
  text(name: string): string {
    return this.values[name] as string;
  }
  num(name: string): number {
    return this.values[name] as number;
  }
  bool(name: string): boolean {
    return this.values[name] as boolean;
  }
  list(name: string): Props[] {
    return (this.values[name] as PropRecord[]).map((r) => new Props(r));
  }
}

/** Checks `input` against `specs`, fills defaults, and names the owner (e.g. block "hero") in errors. */
export function resolveProps(owner: string, specs: PropSpecs, input: Record<string, unknown> | undefined): PropRecord {
  const out: PropRecord = {};
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new AppError('invalid_input', `Props of ${owner} must be an object of name → value.`);
  }
  for (const name of Object.keys(given)) {
    if (!(name in specs)) {
      const known = Object.keys(specs);
      throw new AppError(
        'invalid_input',
        `Unknown prop "${name}" for ${owner}. ` +
          (known.length ? `It takes: ${known.join(', ')}.` : 'It takes no props.') +
          ' Call list_blocks to see each prop with its type and default.',
      );
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = (given as Record<string, unknown>)[name];
    out[name] = value === undefined || value === null ? spec.default : checkValue(`${owner}, prop "${name}"`, name, spec, value);
  }
  return out;
}

function checkValue(where: string, name: string, spec: PropSpec, value: unknown): PropValue {
  const wrong = (expected: string): never => {
    throw new AppError('invalid_input', `In ${where}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
  };
  switch (spec.type) {
    case 'text':
    case 'url':
    case 'datetime':
    case 'choice': {
      if (typeof value !== 'string') return wrong('a string');
      if (value.length > MAX_TEXT) return wrong(`at most ${MAX_TEXT} characters`);
      if (spec.type === 'url') return checkUrl(value, name);
      if (spec.type === 'datetime' && value !== '' && Number.isNaN(Date.parse(value))) {
        return wrong('an ISO 8601 date and time such as "2026-06-01T18:00:00Z"');
      }
      if (spec.type === 'choice' && !spec.options.includes(value)) return wrong(`one of ${spec.options.join(', ')}`);
      return value;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : wrong('a number');
    case 'boolean':
      return typeof value === 'boolean' ? value : wrong('true or false');
    case 'list': {
      if (!Array.isArray(value)) return wrong(`a list of objects with ${Object.keys(spec.item).join(', ')}`);
      const max = spec.max ?? DEFAULT_MAX_ITEMS;
      if (value.length > max) return wrong(`at most ${max} items`);
      return value.map((item, i) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          return wrong(`a list of objects with ${Object.keys(spec.item).join(', ')}`);
        }
        return resolveProps(`${where} item ${i + 1}`, spec.item, item as Record<string, unknown>);
      });
    }
  }
}

/** The JSON shape list_blocks shows for a prop declaration. */
export function describeProps(specs: PropSpecs): Array<Record<string, unknown>> {
  return Object.entries(specs).map(([name, spec]) => ({
    name,
    type: spec.type,
    description: spec.description,
    default: spec.default,
    ...(spec.type === 'choice' ? { options: spec.options } : {}),
    ...(spec.type === 'list' ? { item: describeProps(spec.item) } : {}),
  }));
}

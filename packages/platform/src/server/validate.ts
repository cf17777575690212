// Reading request bodies: JSON checked against the contract schemas, and form bodies. A body that is
// not JSON, JSON of the wrong shape, JSON nested deeper than the limit, text that is not Unicode, or a
// form body that cannot be parsed becomes a 400 naming what to fix, never an exception that reaches
// the client as a 500. The body's size was already checked before any of it was read (body-limits.ts).
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from 'invoker-mcp/errors.js';
import { describeZodError } from './http-errors.js';

/** Parses a JSON text and checks its depth and its strings; throws the 400 that says which rule failed. */
export function parseJsonText(text: string, maxDepth: number, what = 'The request body'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', `${what} must be JSON (Content-Type: application/json).`);
  }
  checkJsonValue(value, maxDepth, what);
  return value;
}

function isWellFormed(text: string): boolean {
  // ES2024, in every Node this runs on (22.13+); the compiler's lib is ES2023.
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Depth and Unicode, walked with an explicit stack: the walk itself must not overflow on the body it
 * refuses (JSON.parse takes 100,000 levels; a recursive handler, JSON.stringify or zod would not).
 * A lone surrogate (`"\ud800"`) is no text at all: it cannot be stored as UTF-8 or put in a URL.
 */
function checkJsonValue(root: unknown, maxDepth: number, what: string): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (!isWellFormed(value)) throw notUnicode(what);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) {
      throw new AppError('invalid_input', `${what} is JSON nested more than ${maxDepth} levels deep. Send a flatter structure.`);
    }
    for (const [key, child] of Object.entries(value)) {
      if (!isWellFormed(key)) throw notUnicode(what);
      stack.push({ value: child, depth: depth + 1 });
    }
  }
}

function notUnicode(what: string): AppError {
  return new AppError('invalid_input', `${what} holds text that is not valid Unicode (a lone surrogate such as \\ud800). Send UTF-8 text.`);
}

/** Reads a JSON body with the platform's depth limit (a route's AppDeps.limits.jsonDepth). */
export async function readJsonBody(c: Context, maxDepth: number, what?: string): Promise<unknown> {
  return parseJsonText(await c.req.text(), maxDepth, what);
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxDepth: number): Promise<z.infer<S>> {
  return checkInput(schema, await readJsonBody(c, maxDepth));
}

/** A value checked against a contract schema: its data, or the 400 naming the fields to fix. */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_input', describeZodError(parsed.error));
  return parsed.data;
}

/**
 * A body handed over in process (the remote MCP tools), checked as readJson checks one that came as
 * JSON text: depth and Unicode first, then the schema, with the same messages.
 */
export function checkJsonInput<S extends z.ZodType>(schema: S, value: unknown, maxDepth: number): z.infer<S> {
  checkJsonValue(value, maxDepth, 'The request body');
  return checkInput(schema, value);
}

/**
 * A urlencoded or multipart body. The parser throws on a malformed multipart body (a missing or
 * wrong boundary, a truncated part); that is the sender's mistake, so it is a 400 saying so.
 */
export async function readFormBody(c: Context, options: { all?: boolean } = {}): Promise<Record<string, unknown>> {
  try {
    return (await c.req.parseBody({ all: options.all ?? false })) as Record<string, unknown>;
  } catch {
    throw new AppError('invalid_input', 'The form body could not be read. Send it as application/x-www-form-urlencoded or well-formed multipart/form-data.');
  }
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return checkInput(schema, c.req.query());
}

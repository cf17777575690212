// Request validation against the contract schemas: a body that is not JSON, or JSON of the wrong
// shape, becomes a 400 naming the fields, never an exception that reaches the client as a 500.
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { describeZodError } from './http-errors.js';

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('invalid_input', 'The request body must be JSON (Content-Type: application/json).');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_input', describeZodError(parsed.error));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new AppError('invalid_input', describeZodError(parsed.error));
  return parsed.data;
}

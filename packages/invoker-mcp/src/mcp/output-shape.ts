// Structured results as MCP clients get them: a field without a value is left out instead of being
// null. The HTTP API says null; here the listed output schema would have to spell every such field
// as a union with `null`, which is 30 bytes a field in every tools/list and has no spelling that
// every client dialect maps (OpenAPI 3.0, the base of Gemini's function declarations, has no null
// type). An optional field of one type maps everywhere. Field names stay the HTTP API's.
//
// Tools keep returning the contract's shapes; server.ts applies both functions below.
import { z } from 'zod';

/** `schema` with every nullable field of its objects made optional instead (arrays and nesting included). */
export function optionalNulls(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return optionalNulls(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodObject) {
    return z.object(Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [key, optionalNulls(field)])));
  }
  if (schema instanceof z.ZodArray) return z.array(optionalNulls(schema.element as z.ZodType));
  return schema;
}

/**
 * `value` without the null fields `schema` declares nullable. Only those: a null inside free-form
 * data (a visitor's form field, say) is the data, and stays.
 */
export function stripNulls(schema: z.ZodType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return stripNulls(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodArray && Array.isArray(value)) return value.map((item) => stripNulls(schema.element as z.ZodType, item));
  if (schema instanceof z.ZodObject && typeof value === 'object' && !Array.isArray(value)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, field]): Array<[string, unknown]> => {
      const declared = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (!declared) return [[key, field]];
      return field === null && isNullable(declared) ? [] : [[key, stripNulls(declared, field)]];
    });
    // fromEntries, not assignment: a key named __proto__ stays a key.
    return Object.fromEntries(entries);
  }
  return value;
}

function isNullable(schema: z.ZodType): boolean {
  if (schema instanceof z.ZodNullable) return true;
  return schema instanceof z.ZodOptional && isNullable(schema.unwrap() as z.ZodType);
}

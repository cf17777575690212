// How a zod schema is listed (listed-schema.ts): what goes, what stays, and that validation is the
// zod schema's own whatever the listing shows.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compactSchema, listedSchema } from './listed-schema.js';

const target = { target: 'draft-2020-12' } as const;

describe('listed schemas', () => {
  const schema = z.object({
    name: z.string().min(1).max(100).regex(/^[a-z]+$/).describe('Its name'),
    count: z.number().int().min(1).max(50).optional().describe('Default 50'),
    any: z.number().int(),
    note: z.string().nullable().describe('A note'),
    data: z.record(z.string(), z.unknown()),
    kind: z.enum(['a', 'b']),
    items: z.array(z.object({ id: z.string().describe('Item id') }).strict()).max(3),
  });

  it('keeps types, enums, required, numeric and array bounds and input descriptions; drops $schema, ±2^53, patterns and lengths', () => {
    const listed = listedSchema(schema, 'input')['~standard'].jsonSchema.input(target);
    expect(listed).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Its name' },
        count: { type: 'integer', minimum: 1, maximum: 50, description: 'Default 50' },
        any: { type: 'integer' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'A note' },
        data: { type: 'object' },
        kind: { type: 'string', enum: ['a', 'b'] },
        items: { type: 'array', maxItems: 3, items: { type: 'object', properties: { id: { type: 'string', description: 'Item id' } }, required: ['id'], additionalProperties: false } },
      },
      required: ['name', 'any', 'note', 'data', 'kind', 'items'],
    });
  });

  it('lists output schemas as shapes: no prose, no required, no additionalProperties', () => {
    expect(compactSchema(z.toJSONSchema(z.object({ id: z.string().describe('x'), tags: z.array(z.string()) }), { io: 'output' }) as never, 'output')).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('validates with the zod schema, not with what is listed', () => {
    const std = listedSchema(schema, 'input', schema.pick({ name: true }))['~standard'];
    expect(Object.keys(std.jsonSchema.input(target).properties as object)).toEqual(['name']);
    const bad = std.validate({ name: 'UPPER', any: 1.5 }) as { issues?: Array<{ path?: unknown[] }> };
    expect(bad.issues?.map((i) => i.path?.[0])).toEqual(expect.arrayContaining(['name', 'any', 'note']));
    const good = std.validate({ name: 'ok', any: 1, note: null, data: {}, kind: 'a', items: [] }) as { value?: unknown };
    expect(good.value).toMatchObject({ name: 'ok' });
  });

  it('leaves enum, const and default values alone even when they look like schemas', () => {
    const json = { type: 'object', properties: { x: { enum: [{ pattern: 'p', $schema: 's' }], default: { minimum: -9007199254740991 } } } };
    expect(compactSchema(json, 'input')).toEqual(json);
  });
});

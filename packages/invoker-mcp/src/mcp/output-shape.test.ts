// Structured results without nulls (output-shape.ts): the listed schema and the data agree, and
// only fields the schema declares nullable lose their null.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { optionalNulls, stripNulls } from './output-shape.js';

const Site = z.object({
  id: z.string(),
  title: z.string().nullable(),
  live_version: z.number().int().nullable(),
  versions: z.array(z.object({ version: z.number(), title: z.string().nullable() })),
  data: z.record(z.string(), z.unknown()),
  owner: z.object({ parent_id: z.string().nullable().optional() }),
});

describe('structured results without nulls', () => {
  const site = {
    id: 'dep_1',
    title: null,
    live_version: 2,
    versions: [{ version: 1, title: null }, { version: 2, title: 'Two' }],
    data: { answer: null },
    owner: { parent_id: null },
  };

  it('drops the nulls of nullable fields, keeps nulls inside free-form data and every key as a key', () => {
    const stripped = stripNulls(Site, site) as Record<string, unknown>;
    expect(stripped).toEqual({ id: 'dep_1', live_version: 2, versions: [{ version: 1 }, { version: 2, title: 'Two' }], data: { answer: null }, owner: {} });
    const data = JSON.parse('{"id":"x","title":"t","live_version":null,"versions":[],"owner":{},"data":{"__proto__":1}}');
    const out = stripNulls(Site, data) as { data: Record<string, unknown> };
    expect(Object.hasOwn(out.data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.data)).toBe(Object.prototype);
  });

  it('makes those fields optional, so the stripped result validates and the listing has no null type', () => {
    const shape = optionalNulls(Site);
    expect(shape.safeParse(stripNulls(Site, site)).success).toBe(true);
    expect(JSON.stringify(z.toJSONSchema(shape, { io: 'output' }))).not.toContain('null');
    expect(shape.safeParse({ ...stripNulls(Site, site) as object, title: 5 }).success).toBe(false);
  });
});

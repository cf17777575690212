// HTTP contract for the caller's identity: GET /me, and the shared error body.
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';

export const ErrorBodySchema = z.object({
  error: z.string().describe('What went wrong and what to do next'),
  code: z.enum(ERROR_CODES),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const OrgSchema = z.object({
  id: z.string(),
  name: z.string(),
  parent_id: z.string().nullable(),
  created_at: z.string(),
});
export type Org = z.infer<typeof OrgSchema>;

export const MeSchema = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  org: OrgSchema,
  key: z.object({ id: z.string(), name: z.string(), preview: z.string() }),
});
export type Me = z.infer<typeof MeSchema>;

// HTTP contract for the caller's identity: GET /me, and the shared error body.
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { NO_CONTROL_CHARACTERS, SINGLE_LINE } from './text.js';

export const ErrorBodySchema = z.object({
  error: z.string().describe('What went wrong and what to do next'),
  code: z.enum(ERROR_CODES),
  request_id: z.string().optional().describe('On 500 answers: the id the server logged the failure under; quote it when reporting'),
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

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  preview: z.string().describe('inv_… and the last 4 characters; the full key is never shown again'),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const KeyNameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(100, 'name is longer than 100 characters')
  .regex(SINGLE_LINE, NO_CONTROL_CHARACTERS)
  .describe('A name that says where the key is used, e.g. "CI" or "Laptop"');

export const CreateApiKeyRequestSchema = z.object({ name: KeyNameSchema }).strict();

export const CreatedApiKeySchema = ApiKeySchema.omit({ last_used_at: true }).extend({
  key: z.string().describe('The full key: shown in this response only'),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const CreateOrgRequestSchema = z
  .object({ name: z.string().trim().min(1, 'name is empty').max(100, 'name is longer than 100 characters').regex(SINGLE_LINE, NO_CONTROL_CHARACTERS) })
  .strict();

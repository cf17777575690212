// HTTP contract of the forms features (SPEC section 13): webhooks and their deliveries, and a
// site's form settings. Shared by the server routes, the API client and the MCP tools.
import { z } from 'zod';

export const WEBHOOK_EVENTS = ['submission.created', 'site.published', 'site.deleted'] as const;
export const WebhookEventSchema = z.enum(WEBHOOK_EVENTS);

export const CreateWebhookRequestSchema = z
  .object({
    url: z.string().min(1).max(2000).describe('Where events are POSTed: https (a private address is refused)'),
    type: z.enum(['generic', 'slack']).optional().describe('generic (Standard Webhooks, signed) or slack ({text}); default generic'),
    events: z.array(WebhookEventSchema).min(1).max(3).optional().describe('Default ["submission.created"]'),
  })
  .strict();
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const AttemptSchema = z.object({
  attempt: z.number().int(),
  started_at: z.string(),
  status_code: z.number().int().nullable().describe('The receiver\'s HTTP status; null when no answer came'),
  duration_ms: z.number().int(),
  error: z.string().nullable(),
  excerpt: z.string().nullable().describe('The start of the answer body: untrusted text'),
});

export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  type: z.enum(['generic', 'slack']),
  events: z.array(WebhookEventSchema),
  created_at: z.string(),
  /** The newest failed attempts, newest first (list only). */
  recent_failures: z.array(AttemptSchema).optional(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().describe('whsec_…: verifies the webhook-signature header. Shown only this once'),
});
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookListSchema = z.object({ webhooks: z.array(WebhookSchema) });
export type WebhookList = z.infer<typeof WebhookListSchema>;

export const DeliverySchema = z.object({
  id: z.string().describe('The webhook-id header, the same on every attempt'),
  event: WebhookEventSchema,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(AttemptSchema),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});
export const DeliveryListSchema = z.object({ deliveries: z.array(DeliverySchema) });
export type DeliveryList = z.infer<typeof DeliveryListSchema>;

export const FormSettingsRequestSchema = z
  .object({
    notify: z.boolean().optional().describe('Mail each new submission to the owner (batched: one mail a minute at most)'),
    notify_emails: z.array(z.email().max(254)).max(10).optional().describe('More addresses; each confirms first'),
    accept_uploads: z.boolean().optional().describe('Store files of multipart posts'),
    form_protection: z.enum(['none', 'pow']).optional().describe('pow: refuse posts without a solved proof-of-work'),
    retention_days: z.number().int().min(1).max(3650).nullable().optional().describe('Delete older submissions; null keeps all'),
  })
  .strict();
export type FormSettingsRequest = z.infer<typeof FormSettingsRequestSchema>;

export const FormSettingsSchema = z.object({
  notify: z.boolean(),
  notify_emails: z.array(z.string()),
  unconfirmed_emails: z.array(z.string()).describe('Addresses mailed a confirmation link and not yet confirmed: they get nothing'),
  accept_uploads: z.boolean(),
  form_protection: z.enum(['none', 'pow']),
  retention_days: z.number().int().nullable(),
});
export type FormSettings = z.infer<typeof FormSettingsSchema>;

/** An ALTCHA challenge (the protocol's v1 fields). */
export const ChallengeSchema = z.object({
  algorithm: z.string(),
  challenge: z.string(),
  maxnumber: z.number().int().optional(),
  salt: z.string(),
  signature: z.string(),
});

/** A file a submission carries, as the submission's data records it under its field name. */
export const UploadedFileSchema = z.object({ filename: z.string(), size: z.number().int(), content_type: z.string(), file_id: z.string() });

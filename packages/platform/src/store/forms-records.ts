// Records of the forms features (SPEC section 13): form settings, webhooks and their outbox,
// uploaded files. The Store interface (store.ts) names the methods; operations/forms.ts and
// operations/webhooks.ts implement them once for both backends.

export type FormProtection = 'none' | 'pow';
export type WebhookType = 'generic' | 'slack';
export type WebhookEventType = 'submission.created' | 'site.published' | 'site.deleted';

export interface FormSettingsRecord {
  siteId: string;
  notify: boolean;
  acceptUploads: boolean;
  formProtection: FormProtection;
  retentionDays: number | null;
  updatedAt: string | null;
}

export interface NotifyRecipientRecord {
  email: string;
  confirmedAt: string | null;
  createdAt: string;
}

export interface WebhookRecord {
  id: string;
  siteId: string;
  url: string;
  type: WebhookType;
  events: WebhookEventType[];
  createdAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  /** The `webhook-id` header: the same on every attempt. */
  id: string;
  webhookId: string;
  siteId: string;
  eventType: WebhookEventType;
  url: string;
  type: WebhookType;
  secretSealed: string;
  /** The generic body `{type, timestamp, data}` as sent. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  excerpt: string | null;
}

/** An event for the outbox, written in the transaction of the change it tells of. */
export interface OutboxEvent {
  type: WebhookEventType;
  /** The body's JSON, made from the site as the change left it. */
  body(site: { id: string; slug: string; liveVersion: number | null; latestVersion: number; title: string | null }): string;
  /** Ids of the delivery rows, one per listening webhook. */
  newId(): string;
}

export interface UploadInput {
  id: string;
  field: string;
  filename: string;
  contentType: string;
  body: Uint8Array;
}

export interface UploadRecord {
  id: string;
  siteId: string;
  submissionId: string;
  field: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
  body: Uint8Array;
}

/** One site's unmailed submissions, claimed by one instance. */
export interface NotifyBatch {
  siteId: string;
  slug: string;
  orgId: string;
  ownerEmail: string;
  /** Confirmed extra addresses. */
  recipients: string[];
  /** Submission numbers after `fromSeq` up to `toSeq` are this batch's. */
  fromSeq: number;
  toSeq: number;
}

/** What an attempt did, as the worker records it. */
export interface AttemptOutcome {
  deliveryId: string;
  leaseToken: string;
  attempt: AttemptRecord;
  status: DeliveryStatus;
  nextAttemptAt: string;
  finishedAt: string | null;
}

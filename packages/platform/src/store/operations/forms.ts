// Form settings, notification recipients and batches, uploaded files, retention and spent
// proof-of-work challenges: each store operation once, for both backends (see ../sql/steps.ts).
import type { FormProtection, FormSettingsRecord, NotifyBatch, NotifyRecipientRecord, UploadRecord } from '../forms-records.js';
import { toSubmission } from '../shared.js';
import { formSettings, notifyRecipients, powSpent, retention, sites, submissions, uploads } from '../sql/statements.js';
import { all, get, notify, run, type Op, type Row } from '../sql/steps.js';
import type { SubmissionRecord } from '../store.js';

export function toFormSettings(siteId: string, row: Row | undefined): FormSettingsRecord {
  if (!row) return { siteId, notify: false, acceptUploads: false, formProtection: 'none', retentionDays: null, updatedAt: null };
  return {
    siteId,
    notify: Number(row.notify) === 1,
    acceptUploads: Number(row.accept_uploads) === 1,
    formProtection: String(row.form_protection) as FormProtection,
    retentionDays: row.retention_days == null ? null : Number(row.retention_days),
    updatedAt: String(row.updated_at),
  };
}

/** Any org's site: form capture reads them. A site without a row has every feature off. */
export function* formSettingsOf(siteId: string): Op<FormSettingsRecord> {
  return toFormSettings(siteId, yield* get(formSettings.bySite, siteId));
}

export function* saveFormSettings(
  orgId: string,
  siteId: string,
  s: Omit<FormSettingsRecord, 'siteId' | 'updatedAt'>,
  now: string,
): Op<FormSettingsRecord | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  yield* run(formSettings.upsert, siteId, s.notify ? 1 : 0, s.acceptUploads ? 1 : 0, s.formProtection, s.retentionDays, siteId, now);
  return yield* formSettingsOf(siteId);
}

export function* listNotifyRecipients(orgId: string, siteId: string): Op<NotifyRecipientRecord[] | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  return (yield* all(notifyRecipients.ofSite, siteId)).map((r) => ({
    email: String(r.email),
    confirmedAt: r.confirmed_at == null ? null : String(r.confirmed_at),
    createdAt: String(r.created_at),
  }));
}

/** True when the address is new for the site (it then needs its confirmation mail). */
export function* addNotifyRecipient(siteId: string, email: string, tokenHash: string, now: string): Op<boolean> {
  return (yield* run(notifyRecipients.insertIfNew, siteId, email, tokenHash, now)) === 1;
}

export function* removeNotifyRecipient(siteId: string, email: string): Op<void> {
  yield* run(notifyRecipients.deleteOne, siteId, email);
}

export function* findNotifyRecipient(tokenHash: string): Op<{ siteId: string; email: string; confirmed: boolean } | null> {
  const row = yield* get(notifyRecipients.byToken, tokenHash);
  return row ? { siteId: String(row.site_id), email: String(row.email), confirmed: row.confirmed_at != null } : null;
}

export function* confirmNotifyRecipient(tokenHash: string, now: string): Op<{ siteId: string; email: string } | null> {
  const row = yield* get(notifyRecipients.confirm, now, tokenHash);
  return row ? { siteId: String(row.site_id), email: String(row.email) } : null;
}

/**
 * The sites whose unmailed submissions are due (last mail at or before `cutoff`), each claimed by a
 * conditional update: of several instances, one takes a batch and the others see it gone.
 */
export function* claimNotifyBatches(cutoff: string, now: string): Op<NotifyBatch[]> {
  const claimed: NotifyBatch[] = [];
  for (const row of yield* all(formSettings.notifyDue, cutoff)) {
    const from = Number(row.notified_seq);
    const to = Number(row.submission_seq);
    if ((yield* run(formSettings.claimNotify, to, now, String(row.site_id), from)) !== 1) continue;
    const recipients = (yield* all(notifyRecipients.confirmedOfSite, String(row.site_id))).map((r) => String(r.email));
    claimed.push({ siteId: String(row.site_id), slug: String(row.slug), orgId: String(row.org_id), ownerEmail: String(row.owner_email), recipients, fromSeq: from, toSeq: to });
  }
  return claimed;
}

/** The site's submissions numbered after `fromSeq` up to `toSeq`, oldest first, at most `limit`. */
export function* submissionsBetween(siteId: string, fromSeq: number, toSeq: number, limit: number): Op<SubmissionRecord[]> {
  const batch = yield* all(submissions.batchAfter, siteId, fromSeq, limit);
  return batch.filter((r) => Number(r.seq) <= toSeq).map(toSubmission);
}

export function* uploadedBytes(siteId: string): Op<number> {
  return Number((yield* get(uploads.bytesOfSite, siteId))?.n);
}

export function* getUpload(orgId: string, siteId: string, submissionId: string, fileId: string): Op<UploadRecord | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  const row = yield* get(uploads.one, fileId, submissionId, siteId);
  if (!row) return null;
  return {
    id: String(row.id),
    siteId: String(row.site_id),
    submissionId: String(row.submission_id),
    field: String(row.field),
    filename: String(row.filename),
    contentType: String(row.content_type),
    size: Number(row.size),
    createdAt: String(row.created_at),
    body: row.body as Uint8Array,
  };
}

export function* sitesWithRetention(): Op<Array<{ siteId: string; retentionDays: number }>> {
  return (yield* all(formSettings.withRetention)).map((r) => ({ siteId: String(r.site_id), retentionDays: Number(r.retention_days) }));
}

/** Deletes the site's submissions (and their files) created before `cutoff`; pages stay exact (gaps). */
export function* deleteExpiredSubmissions(siteId: string, cutoff: string): Op<number> {
  const deleted = yield* all(retention.deleteExpired, siteId, cutoff);
  if (deleted.length === 0) return 0;
  for (const r of deleted) yield* run(submissions.insertGap, siteId, Number(r.seq));
  yield* run(retention.countDown, deleted.length, siteId);
  yield* notify({ kind: 'site', siteId, slugs: [] });
  return deleted.length;
}

/** True the first time a challenge is spent; false for a replay. */
export function* spendPow(challenge: string, expiresAt: string): Op<boolean> {
  return (yield* run(powSpent.spend, challenge, expiresAt)) === 1;
}

export function* deletePowSpentBefore(time: string): Op<number> {
  return yield* run(powSpent.deleteExpired, time);
}

// Form submissions: each store operation once, for both backends (see ../sql/steps.ts). Submissions
// are numbered per site (seq) and deletions leave a recorded gap, so any page is found from the
// numbers instead of an OFFSET scan.
import { formSiteGone, seqAtRank, siteUploadsFull, toSubmission } from '../shared.js';
import { listeningPattern } from '../sql/fragments.js';
import { sites, submissions, uploads } from '../sql/statements.js';
import { all, get, rows, run, write, type Op } from '../sql/steps.js';
import type { Store, SubmissionRecord } from '../store.js';
import { enqueue } from './webhooks.js';

/** Rows per batch of an export. */
export const EXPORT_BATCH = 500;

export function* addSubmission(input: Parameters<Store['addSubmission']>[0]): Op<number> {
  // Without an event to tell, the pattern matches no webhook.
  const row = yield* get(sites.nextSubmission, input.siteId, input.event ? listeningPattern(input.event.type) : '');
  if (!row) throw formSiteGone();
  yield* write(submissions.insert, input.id, input.siteId, Number(row.submission_seq), JSON.stringify(input.data), input.ipAddress, input.now);
  const files = input.files ?? [];
  if (files.length > 0) {
    // The site's row is locked (nextSubmission), so concurrent uploads are counted one at a time.
    const adding = files.reduce((n, f) => n + f.body.byteLength, 0);
    const used = Number((yield* get(uploads.bytesOfSite, input.siteId))?.n);
    if (used + adding > (input.maxSiteUploadBytes ?? Infinity)) throw siteUploadsFull();
    yield* rows(
      uploads.insert,
      files.map((f) => [f.id, input.siteId, input.id, f.field, f.filename, f.contentType, f.body.byteLength, f.body, input.now]),
    );
  }
  return input.event ? yield* enqueue(input.siteId, input.event, input.now, undefined, Number(row.hooks) === 1) : 0;
}

/** Newest first; page numbers start at 1. Run in one snapshot: count, gaps and page must agree. */
export function* listSubmissions(
  orgId: string,
  siteId: string,
  options: { page: number; limit: number },
): Op<{ items: SubmissionRecord[]; total: number } | null> {
  const site = yield* get(sites.submissionCounters, siteId, orgId);
  if (!site) return null;
  const total = Number(site.submission_count);
  const rank = (options.page - 1) * options.limit + 1;
  if (rank > total) return { items: [], total };
  const top = yield* seqAtRank(Number(site.submission_seq), rank, function* (seq) {
    return Number((yield* get(submissions.gapsFrom, siteId, seq))?.n);
  });
  const page = yield* all(submissions.pageFrom, siteId, top, options.limit);
  return { items: page.map(toSubmission), total };
}

/** The next batch of an export, oldest first, after the seq `after`; `last` is the seq to go on from. */
export function* submissionBatch(siteId: string, after: number): Op<{ items: SubmissionRecord[]; last: number }> {
  const batch = yield* all(submissions.batchAfter, siteId, after, EXPORT_BATCH);
  return { items: batch.map(toSubmission), last: batch.length ? Number(batch[batch.length - 1]?.seq) : after };
}

/** Submissions per UTC day since `since` (days without any are absent); null when the org has no such site. */
export function* submissionsPerDay(orgId: string, siteId: string, since: string): Op<Array<{ day: string; count: number }> | null> {
  // Read-only (a snapshot): the ownership check takes no row lock.
  if (!(yield* get(sites.submissionCounters, siteId, orgId))) return null;
  const rows = yield* all(submissions.perDaySince, siteId, since);
  return rows.map((r) => ({ day: String(r.day), count: Number(r.n) }));
}

export function* deleteSubmission(orgId: string, siteId: string, submissionId: string): Op<boolean> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return false;
  const row = yield* get(submissions.delete, submissionId, siteId);
  if (!row) return false;
  yield* write(submissions.insertGap, siteId, Number(row.seq));
  yield* write(sites.submissionDeleted, siteId);
  return true;
}

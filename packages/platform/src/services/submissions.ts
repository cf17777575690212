// Form submissions (SPEC section 7): a visitor's submission accepted for a site (INVOKER_SUBMISSIONS_
// PER_MINUTE per site per IP, at most 100 fields, a filled `_hp` honeypot answered like a success
// and not stored, `_next` honoured only within the site), and the owner's reading of them: a page at
// a time, one deleted, or all as CSV. How the body arrived (JSON, a form) and how the answer leaves
// (JSON, a redirect) is the transport's business.
import { AppError } from 'invoker-mcp/errors.js';
import type { Submission, SubmissionPage } from 'invoker-mcp/contract/sites.js';
import type { SiteRecord, SubmissionRecord } from '../store/store.js';
import { csvRow } from './csv.js';
import { randomnessOf, type ServiceDeps } from './deps.js';
import { failure, siteNotFound } from './next-steps.js';
import { ownedSite } from './sites.js';
import { classifyHost, liveUrl, type PlatformUrls } from './urls.js';

export type SubmissionsDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'submissionLimiter' | 'random'>;

const MAX_FIELDS = 100;
const MAX_FIELD_NAME = 200;
const CONTROL_FIELDS = new Set(['_hp', '_next']);

type FieldValue = string | string[];

/** Which site a form posts to: by id (`/submit/{id}`) or by the host it was served on (`/_submit`). */
export type SubmissionTarget = { siteId: string } | { slug: string };

export interface AcceptedSubmission {
  /** The submission's id; a honeypot catch gets one too, so a bot cannot tell. */
  id: string;
  /** Where a browser's form post goes next: `_next` when it stays within the site, else the thank-you page. */
  redirectTo: string;
}

export function submissionJson(s: SubmissionRecord): Submission {
  return { id: s.id, data: s.data, ip_address: s.ipAddress, created_at: s.createdAt };
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof File) return `[file ${value.name}, ${value.size} bytes, not stored]`;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The fields as stored: at most MAX_FIELDS, names of at most MAX_FIELD_NAME, values as text. */
function fieldsOf(raw: Record<string, unknown>): Record<string, FieldValue> {
  const entries = Object.entries(raw);
  if (entries.length > MAX_FIELDS) throw new AppError('too_large', `A submission may have at most ${MAX_FIELDS} fields.`);
  // No prototype: a field named "__proto__" is a field like any other, not the object's prototype.
  const fields: Record<string, FieldValue> = Object.create(null);
  for (const [name, value] of entries) {
    if (name.length > MAX_FIELD_NAME) throw new AppError('invalid_input', `A field name is longer than ${MAX_FIELD_NAME} characters.`);
    fields[name] = Array.isArray(value) ? value.map(flatten) : flatten(value);
  }
  return fields;
}

function firstValue(v: FieldValue | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** `_next` is honoured only when it points back into the same site: no open redirects. */
export function safeNext(urls: PlatformUrls, site: Pick<SiteRecord, 'slug'>, next: string): string | null {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const target = classifyHost(urls, url.host);
  if (target.kind === 'site' && target.slug === site.slug) return url.toString();
  if (target.kind === 'platform' && url.host === urls.publicHost && url.pathname.startsWith(`/s/${site.slug}/`)) {
    return url.toString();
  }
  return null;
}

export type SubmissionsService = ReturnType<typeof submissionsService>;

export function submissionsService(deps: SubmissionsDeps) {
  return {
    /**
     * A visitor's submission. The site is found and the rate limit spent before `readFields` reads
     * the body, so a refused sender's body is never parsed.
     */
    async accept(input: { target: SubmissionTarget; ip: string | null; readFields: () => Promise<Record<string, unknown>> }): Promise<AcceptedSubmission> {
      const site =
        'siteId' in input.target ? await deps.store.findSiteById(input.target.siteId) : await deps.store.findSiteBySlug(input.target.slug);
      if (!site) {
        throw new AppError(
          'not_found',
          'siteId' in input.target ? 'Deployment not found: this form points at a site that no longer exists.' : 'There is no site at this address.',
        );
      }
      const decision = await deps.submissionLimiter.hit(`${site.id}|${input.ip ?? 'unknown'}`);
      if (!decision.allowed) {
        throw new AppError('rate_limited', `Too many submissions from your address to this site. Try again in ${decision.resetSeconds} seconds.`, {
          retryAfterSeconds: decision.resetSeconds,
        });
      }
      const fields = fieldsOf(await input.readFields());
      const id = randomnessOf(deps).id('sub');
      if (firstValue(fields._hp).trim() === '') {
        const data: Record<string, FieldValue> = Object.create(null);
        for (const [k, v] of Object.entries(fields)) if (!CONTROL_FIELDS.has(k)) data[k] = v;
        await deps.store.addSubmission({ id, siteId: site.id, data, ipAddress: input.ip, now: deps.now().toISOString() });
      }
      const next = firstValue(fields._next);
      return { id, redirectTo: (next && safeNext(deps.urls, site, next)) || `${deps.urls.publicUrl}/submit/${site.id}/thanks` };
    },

    /** What the thank-you page after a form post names: the site, and its live URL once published. */
    async thanks(siteId: string): Promise<{ siteName: string; backUrl: string | null }> {
      const site = await deps.store.findSiteById(siteId);
      return {
        siteName: site?.title ?? site?.slug ?? 'the site',
        backUrl: site && site.liveVersion !== null ? liveUrl(deps.urls, site.slug) : null,
      };
    },

    /** Newest first; pages start at 1. */
    async list(orgId: string, siteId: string, options: { page: number; limit: number }): Promise<SubmissionPage> {
      const result = await deps.store.listSubmissions(orgId, siteId, options);
      if (!result) throw siteNotFound();
      return { submissions: result.items.map(submissionJson), total: result.total, page: options.page, limit: options.limit };
    },

    /** Submissions per UTC day over the last `days` days, oldest first, today last, days without any as 0. */
    async perDay(orgId: string, siteId: string, days = 30): Promise<Array<{ day: string; count: number }>> {
      const today = new Date(deps.now().toISOString().slice(0, 10) + 'T00:00:00.000Z');
      const first = new Date(today.getTime() - (days - 1) * 86_400_000);
      const counts = await deps.store.submissionsPerDay(orgId, siteId, first.toISOString());
      if (!counts) throw siteNotFound();
      const byDay = new Map(counts.map((c) => [c.day, c.count]));
      return Array.from({ length: days }, (_, i) => {
        const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
        return { day, count: byDay.get(day) ?? 0 };
      });
    },

    async remove(orgId: string, siteId: string, submissionId: string): Promise<void> {
      if (!(await deps.store.deleteSubmission(orgId, siteId, submissionId))) {
        throw failure('not_found', 'Submission not found.', 'find_submission');
      }
    },

    /**
     * Every submission as CSV (RFC 4180, formula cells escaped): the fixed columns, then every field
     * name seen, in first-seen order. The site and the columns are read before this returns, so a
     * transport can still answer an error; the rows are read as they are sent.
     */
    async exportCsv(orgId: string, siteId: string): Promise<{ filename: string; rows: AsyncIterable<string> }> {
      const site = await ownedSite(deps.store, orgId, siteId);
      const store = deps.store;
      // One pass to collect the columns before anything is sent, one to write the rows.
      const fields: string[] = [];
      const seen = new Set<string>();
      for await (const s of store.eachSubmission(orgId, site.id)) {
        for (const name of Object.keys(s.data)) {
          if (!seen.has(name)) {
            seen.add(name);
            fields.push(name);
          }
        }
      }
      return {
        filename: `${site.slug}-submissions.csv`,
        rows: (async function* () {
          yield csvRow(['id', 'created_at', 'ip_address', ...fields]);
          for await (const s of store.eachSubmission(orgId, site.id)) {
            yield csvRow([s.id, s.createdAt, s.ipAddress, ...fields.map((f) => s.data[f])]);
          }
        })(),
      };
    },
  };
}

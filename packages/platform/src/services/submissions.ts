// Form submissions (SPEC section 7): a visitor's submission accepted for a site (INVOKER_SUBMISSIONS_
// PER_MINUTE per site per IP, at most 100 fields, a filled `_hp` honeypot answered like a success
// and not stored, `_next` honoured only within the site), and the owner's reading of them: a page at
// a time, one deleted, or all as CSV. How the body arrived (JSON, a form) and how the answer leaves
// (JSON, a redirect) is the transport's business.
import { AppError } from 'invoker-mcp/errors.js';
import type { Submission, SubmissionPage } from 'invoker-mcp/contract/sites.js';
import { isMediaType } from 'invoker-mcp/contract/text.js';
import type { SiteRecord, SubmissionRecord } from '../store/store.js';
import type { UploadInput } from '../store/store.js';
import { siteExpired } from './anonymous.js';
import { csvRow } from './csv.js';
import { randomnessOf, type ServiceDeps } from './deps.js';
import { failure, siteNotFound } from './next-steps.js';
import { POW_FIELD, proofOfWork } from './proof-of-work.js';
import { ownedSite } from './sites.js';
import { outboxEvent } from './webhooks.js';
import { classifyHost, liveUrl, type PlatformUrls } from './urls.js';

export type SubmissionsDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'submissionLimiter' | 'random' | 'limits' | 'secret' | 'outboxWritten'>;

const MAX_FIELDS = 100;
const MAX_FIELD_NAME = 200;
const CONTROL_FIELDS = new Set(['_hp', '_next', POW_FIELD]);
const MAX_FILENAME = 200;

/** What a field holds as stored: text, a list of texts, or an uploaded file's record (and lists of those). */
type FieldValue = string | UploadedFile | Array<string | UploadedFile>;

/** Made only by takeUploads, so a visitor's JSON cannot pass for a stored file. */
class UploadedFile {
  constructor(readonly json: { filename: string; size: number; content_type: string; file_id: string }) {}
}

/**
 * Which site a form posts to: by id (`/submit/{id}`) or by the host it was served on (`/_submit`),
 * with the verified custom domain when that host was one (a `_next` there stays within the site).
 */
export type SubmissionTarget = { siteId: string } | { slug: string; domain?: string };

export interface AcceptedSubmission {
  /** The submission's id; a honeypot catch gets one too, so a bot cannot tell. */
  id: string;
  /** Where a browser's form post goes next: `_next` when it stays within the site, else the thank-you page. */
  redirectTo: string;
}

export function submissionJson(s: SubmissionRecord): Submission {
  return { id: s.id, data: s.data, ip_address: s.ipAddress, created_at: s.createdAt };
}

function flatten(value: unknown): string | UploadedFile {
  if (typeof value === 'string') return value;
  if (value instanceof UploadedFile) return value;
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

/** A file's name as stored: its last path segment, one line, at most MAX_FILENAME characters. */
function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '_').slice(0, MAX_FILENAME) || 'upload';
}

function mb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * On a site that accepts uploads, each non-empty file becomes an upload and its field records
 * `{filename, size, content_type, file_id}`; elsewhere files are flattened to a note, as before.
 * The text (and, without uploads, the files) must fit INVOKER_MAX_SUBMISSION_KB: a body sent
 * without a length was only capped by the larger limit of upload sites on its way in.
 */
function takeUploads(raw: Record<string, unknown>, accept: boolean, deps: Pick<ServiceDeps, 'limits' | 'random'>): { raw: Record<string, unknown>; files: UploadInput[] } {
  const files: UploadInput[] = [];
  const out: Record<string, unknown> = Object.create(null);
  let bytes = 0;
  const take = (field: string, value: unknown): unknown => {
    if (!(value instanceof File)) {
      bytes += field.length + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
      return value;
    }
    if (!accept) {
      bytes += value.size;
      return value;
    }
    if (value.size === 0 && value.name === '') return '';
    if (value.size > deps.limits.uploadBytes) {
      throw new AppError('too_large', `The file "${safeFilename(value.name)}" is over ${mb(deps.limits.uploadBytes)}, the limit for an uploaded file (INVOKER_MAX_UPLOAD_MB). Send a smaller file.`);
    }
    const id = randomnessOf(deps).id('fil');
    const contentType = isMediaType(value.type) ? value.type : 'application/octet-stream';
    files.push({ id, field, filename: safeFilename(value.name), contentType, body: new Uint8Array(0), file: value } as UploadInput & { file: File });
    return new UploadedFile({ filename: safeFilename(value.name), size: value.size, content_type: contentType, file_id: id });
  };
  for (const [name, value] of Object.entries(raw)) out[name] = Array.isArray(value) ? value.map((v) => take(name, v)) : take(name, value);
  if (bytes > deps.limits.submissionBytes) {
    throw new AppError('too_large', `The submission is over ${Math.round(deps.limits.submissionBytes / 1024)} KB, the limit for a form submission. Shorten the fields or leave out files.`);
  }
  return { raw: out, files };
}

async function readUploads(files: UploadInput[]): Promise<UploadInput[]> {
  return Promise.all(
    files.map(async (f) => {
      const { file, ...rest } = f as UploadInput & { file: File };
      return { ...rest, body: new Uint8Array(await file.arrayBuffer()) };
    }),
  );
}

function firstValue(v: FieldValue | undefined): string {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** A stored field: upload records as plain JSON. */
function storedValue(v: FieldValue): unknown {
  const one = (x: string | UploadedFile) => (x instanceof UploadedFile ? x.json : x);
  return Array.isArray(v) ? v.map(one) : one(v);
}

/**
 * `_next` is honoured only when it points back into the same site (its hosts, its `/s/` path, or the
 * custom domain the form was posted on): no open redirects.
 */
export function safeNext(urls: PlatformUrls, site: Pick<SiteRecord, 'slug'>, next: string, domain?: string): string | null {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (domain !== undefined && url.hostname === domain) return url.toString();
  const target = classifyHost(urls, url.host);
  if (target.kind === 'site' && target.slug === site.slug) return url.toString();
  if (target.kind === 'platform' && url.host === urls.publicHost && url.pathname.startsWith(`/s/${site.slug}/`)) {
    return url.toString();
  }
  return null;
}

export type SubmissionsService = ReturnType<typeof submissionsService>;

/** How long a signed export link works. */
const EXPORT_LINK_SECONDS = 15 * 60;
const exportLinkData = (orgId: string, siteId: string, expires: number) => `submissions-export ${orgId} ${siteId} ${expires}`;

export function submissionsService(deps: SubmissionsDeps) {
  const pow = proofOfWork(deps);
  return {
    /** A proof-of-work challenge for the site's form (GET /submit/{id}/challenge). */
    challenge: (siteId: string) => pow.challenge(siteId),

    /** An uploaded file, to its owner only (never from a site host). */
    async file(orgId: string, siteId: string, submissionId: string, fileId: string) {
      const file = await deps.store.getUpload(orgId, siteId, submissionId, fileId);
      if (!file) throw new AppError('not_found', 'No such file of this submission. The submission lists its files under their field names (file_id).');
      return file;
    },

    /**
     * A visitor's submission. The site is found and the rate limit spent before `readFields` reads
     * the body, so a refused sender's body is never parsed.
     */
    async accept(input: {
      target: SubmissionTarget;
      ip: string | null;
      /** Reads the body, refusing one over maxBytes (which depends on the site: uploads). */
      readFields: (maxBytes: number) => Promise<Record<string, unknown>>;
    }): Promise<AcceptedSubmission> {
      const site =
        'siteId' in input.target ? await deps.store.findSiteById(input.target.siteId) : await deps.store.findSiteBySlug(input.target.slug);
      if (!site || siteExpired(site, deps.now)) {
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
      const settings = await deps.store.getFormSettings(site.id);
      const body = await input.readFields(deps.limits.submissionBytes + (settings.acceptUploads ? deps.limits.uploadBytes : 0));
      const { raw, files } = takeUploads(body, settings.acceptUploads, deps);
      const fields = fieldsOf(raw);
      if (settings.formProtection === 'pow') await pow.check(site.id, firstValue(fields[POW_FIELD]));
      const id = randomnessOf(deps).id('sub');
      if (firstValue(fields._hp).trim() === '') {
        const data: Record<string, unknown> = Object.create(null);
        for (const [k, v] of Object.entries(fields)) if (!CONTROL_FIELDS.has(k)) data[k] = storedValue(v);
        const now = deps.now().toISOString();
        const event = outboxEvent(deps, 'submission.created', () => ({ submission: { id, data, ip_address: input.ip, created_at: now } }));
        const queued = await deps.store.addSubmission({
          id,
          siteId: site.id,
          data,
          ipAddress: input.ip,
          now,
          files: await readUploads(files),
          maxSiteUploadBytes: deps.limits.siteUploadBytes,
          event,
        });
        if (queued > 0) deps.outboxWritten?.();
      }
      const next = firstValue(fields._next);
      const domain = 'domain' in input.target ? input.target.domain : undefined;
      return { id, redirectTo: (next && safeNext(deps.urls, site, next, domain)) || `${deps.urls.publicUrl}/submit/${site.id}/thanks` };
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
     * A path that downloads exportCsv without a key for EXPORT_LINK_SECONDS, signed with the server
     * secret (so any instance honours it): what the remote export_submissions tool answers when the
     * CSV is too large for the conversation, since the remote endpoint has no disk of the user's.
     */
    async exportLink(orgId: string, siteId: string): Promise<{ path: string; expiresAt: string }> {
      const site = await ownedSite(deps.store, orgId, siteId);
      const expires = Math.floor(deps.now().getTime() / 1000) + EXPORT_LINK_SECONDS;
      const sig = deps.secret.sign('signed-url', exportLinkData(orgId, site.id, expires));
      const query = new URLSearchParams({ org: orgId, expires: String(expires), sig });
      return { path: `/exports/${site.id}/submissions.csv?${query}`, expiresAt: new Date(expires * 1000).toISOString() };
    },

    /** The org a link from exportLink was made for; forbidden when it was not made here or has expired. */
    verifyExportLink(siteId: string, link: { org?: string; expires?: string; sig?: string }): string {
      const expires = Number(link.expires);
      const made = link.org !== undefined && link.sig !== undefined && /^\d{1,12}$/.test(link.expires ?? '') && deps.secret.verify('signed-url', exportLinkData(link.org, siteId, expires), link.sig);
      if (!made) throw new AppError('forbidden', 'This download link is not valid. Ask for the export again.');
      if (expires * 1000 <= deps.now().getTime()) throw new AppError('forbidden', 'This download link has expired. Ask for the export again.');
      return link.org as string;
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

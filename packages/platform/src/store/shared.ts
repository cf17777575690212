// What every store backend must say and encode the same way: error messages, the personal org's
// name, the sites cursor and the records read from rows. One place, so SQLite and PostgreSQL cannot
// drift apart.
import { AppError } from 'invoker-mcp/errors.js';
import type { Op, Row } from './sql/steps.js';
import type {
  ApiKeyRecord,
  DashboardSessionRecord,
  KeyPrincipal,
  LoginSessionRecord,
  LoginSessionStatus,
  OrgRecord,
  SiteMetadata,
  SiteRecord,
  StoredFile,
  SubmissionRecord,
  UserRecord,
  VersionRecord,
} from './store.js';

export function personalOrgName(email: string): string {
  return `${email}'s workspace`;
}

/** Deploy to a slug another org holds (a stranger or a sibling: slugs are global names). */
export function slugTakenOnDeploy(slug: string): AppError {
  return new AppError('conflict', `The slug "${slug}" is taken. Choose another slug, or omit it to get a generated one.`);
}

export function slugTakenOnRename(slug: string): AppError {
  return new AppError('conflict', `The slug "${slug}" is taken. Choose another slug.`);
}

export function siteLimitReached(maxSites: number): AppError {
  return new AppError(
    'forbidden',
    `Deployment limit reached. Delete an existing deployment or upgrade your plan (this server allows ${maxSites} sites per organization: INVOKER_MAX_SITES).`,
  );
}

const HOLDER_CHANGED = 'slug_holder_changed';

/** The slug's holder is not the site the deploy was built for (see DeployInput.expectedSiteId). */
export function slugHolderChanged(slug: string): AppError {
  return new AppError('conflict', `The site at "${slug}" changed while this deploy was in flight (renamed, deleted, created or given a new version by another request). Deploy again.`, {
    reason: HOLDER_CHANGED,
  });
}

/** Whether the metadata a deploy inherited is still its holder's newest (see DeployInput.inherited). */
export function inheritedStillCurrent(inherited: Partial<SiteMetadata> | undefined, newest: SiteMetadata): boolean {
  if (!inherited) return true;
  return (Object.keys(inherited) as Array<keyof SiteMetadata>).every((field) => inherited[field] === newest[field]);
}

export function isSlugHolderChanged(e: unknown): boolean {
  return e instanceof AppError && e.details.reason === HOLDER_CHANGED;
}

export function siteUploadsFull(): AppError {
  return new AppError('too_large', 'This site has no room left for uploaded files (INVOKER_MAX_SITE_UPLOADS_MB). Ask its owner to delete old submissions.');
}

export function formSiteGone(): AppError {
  return new AppError('not_found', 'Deployment not found: this form points at a site that no longer exists.');
}

/** The sites cursor carries the creation sequence of the last site shown (rowid, or seq on PostgreSQL). */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify([seq])).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const [seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0) return seq;
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_input', 'Invalid cursor: pass the next_cursor value from the previous page unchanged.');
}

/**
 * The seq of the rank-th newest live submission. Without deletions it is maxSeq - rank + 1; each
 * deleted seq at or above it shifts it down by one, so iterate to the fixed point. The gap table
 * is small (deletions are rare), so this costs a few index lookups at any depth.
 */
export function* seqAtRank(maxSeq: number, rank: number, gapsAtOrAbove: (seq: number) => Op<number>): Op<number> {
  let gaps = 0;
  for (;;) {
    const candidate = maxSeq - rank + 1 - gaps;
    const above = yield* gapsAtOrAbove(candidate);
    if (above === gaps) return candidate;
    gaps = above;
  }
}

// Row mappers: both schemas use the same column names, TEXT timestamps and INTEGER flags.

export function toUser(row: Row): UserRecord {
  return { id: String(row.id), email: String(row.email), createdAt: String(row.created_at) };
}

export function toOrg(row: Row): OrgRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    parentId: row.parent_id == null ? null : String(row.parent_id),
    createdAt: String(row.created_at),
  };
}

export function toSubmission(row: Row): SubmissionRecord {
  return {
    id: String(row.id),
    siteId: String(row.site_id),
    data: JSON.parse(String(row.data)) as Record<string, unknown>,
    ipAddress: row.ip_address == null ? null : String(row.ip_address),
    createdAt: String(row.created_at),
  };
}

export function toApiKey(row: Row): ApiKeyRecord {
  return {
    id: String(row.id),
    orgId: String(row.org_id),
    userId: String(row.user_id),
    name: String(row.name),
    preview: String(row.preview),
    createdAt: String(row.created_at),
    lastUsedAt: row.last_used_at == null ? null : String(row.last_used_at),
  };
}

/** A row of apiKeys.principal: the key's columns, then its user's and org's under other names. */
export function toPrincipal(row: Row): KeyPrincipal {
  return {
    key: toApiKey(row),
    user: toUser({ id: row.user_id, email: row.email, created_at: row.user_created_at }),
    org: toOrg({ id: row.org_id, name: row.org_name, parent_id: row.parent_id, created_at: row.org_created_at }),
  };
}

/** A version's title, description, favicon and SPA flag, as every site and version row carries them. */
export function toMetadata(row: Row): SiteMetadata {
  return {
    title: row.title == null ? null : String(row.title),
    description: row.description == null ? null : String(row.description),
    favicon: row.favicon == null ? null : String(row.favicon),
    isSpa: Number(row.is_spa) === 1,
  };
}

export function toSite(row: Row): SiteRecord {
  return {
    id: String(row.id),
    orgId: String(row.org_id),
    slug: String(row.slug),
    latestVersion: Number(row.latest_version),
    liveVersion: row.live_version == null ? null : Number(row.live_version),
    previewToken: String(row.preview_token),
    submissionCount: Number(row.submission_count),
    ...toMetadata(row),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    expiresAt: row.expires_at == null ? null : String(row.expires_at),
  };
}

/** A row of listVersions' query: the version with its file count and total bytes. */
export function toVersion(row: Row): VersionRecord {
  return {
    version: Number(row.version),
    previewToken: String(row.preview_token),
    ...toMetadata(row),
    fileCount: Number(row.file_count),
    totalBytes: Number(row.total_bytes),
    createdAt: String(row.created_at),
  };
}

export function toStoredFile(row: Row): StoredFile {
  return { path: String(row.path), contentType: String(row.content_type), etag: String(row.etag), body: row.body as Uint8Array };
}

export function toLoginSession(row: Row): LoginSessionRecord {
  const text = (v: unknown) => (v == null ? null : String(v));
  return {
    id: String(row.id),
    clientName: String(row.client_name),
    status: String(row.status) as LoginSessionStatus,
    email: text(row.email),
    codeHash: text(row.code_hash),
    failedAttempts: Number(row.failed_attempts),
    userId: text(row.user_id),
    orgId: text(row.org_id),
    lastPolledAt: text(row.last_polled_at),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
  };
}

export function toDashboardSession(row: Row): DashboardSessionRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    email: String(row.email),
    orgId: String(row.org_id),
    csrfToken: String(row.csrf_token),
    expiresAt: String(row.expires_at),
  };
}

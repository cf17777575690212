// Sites, their versions and files: each store operation once, for both backends (see ../sql/steps.ts).
import {
  decodeCursor,
  encodeCursor,
  inheritedStillCurrent,
  siteLimitReached,
  slugHolderChanged,
  slugTakenOnDeploy,
  slugTakenOnRename,
  toMetadata,
  toSite,
  toStoredFile,
  toVersion,
} from '../shared.js';
import type { HolderRow } from '../sql/fragments.js';
import { anonymousSites, files, fileSources, sites, versions } from '../sql/statements.js';
import { all, get, known, lock, notify, rows, run, write, type Op } from '../sql/steps.js';
import type { OutboxEvent } from '../forms-records.js';
import type { AnonymousClaimRecord, DeployInput, HostedLookup, Page, SiteRecord, SourceFile, StoredFile, VersionRecord } from '../store.js';
import { siteLock } from './extras.js';
import { enqueue } from './webhooks.js';

/**
 * Creates the site for a new slug, or adds a version to the org's site holding it. PostgreSQL may
 * still lose a race for a new slug on its UNIQUE constraint (postgres.ts retries once).
 */
export function* deploy(input: DeployInput): Op<SiteRecord> {
  // Deploys and renames of one slug run one at a time: a first deploy waits for another and then
  // sees its site, instead of both inserting and deadlocking on the slug's unique index.
  yield* lock({ on: 'slug', key: input.slug });
  let holder = yield* get(sites.holder, input.slug);
  // An anonymous site past its expiry is gone (it answers 404) though the job has not deleted it
  // yet: its slug is free, so this deploy deletes it first.
  if (holder && holder.expires_at != null && String(holder.expires_at) <= input.now) {
    yield* get(sites.deleteExpired, String(holder.id), input.now);
    yield* notify({ kind: 'site', siteId: String(holder.id), slugs: [input.slug] });
    holder = undefined;
  }
  let site: Pick<SiteRecord, 'id' | 'liveVersion' | 'submissionCount' | 'createdAt' | 'expiresAt'>;
  let version: number;
  // A site made by this deploy has no webhook yet.
  let publishHooks = false;
  if (holder) {
    // An anonymous deploy owns nothing: every slug already held is someone else's.
    if (input.anonymous) throw slugTakenOnDeploy(input.slug);
    // 409 whether the holder is a stranger or a sibling org: slugs are global names.
    if (holder.org_id !== input.orgId) throw slugTakenOnDeploy(input.slug);
    if (input.expectedSiteId !== undefined && holder.id !== input.expectedSiteId) throw slugHolderChanged(input.slug);
    if (!inheritedStillCurrent(input.inherited, toMetadata(holder))) throw slugHolderChanged(input.slug);
    // A patch was made from one version: another landing first means patching again from that one.
    if (input.expectedLatest !== undefined && Number(holder.latest_version) !== input.expectedLatest) throw slugHolderChanged(input.slug);
    publishHooks = Number(holder.publish_hooks) === 1;
    site = {
      id: String(holder.id),
      liveVersion: holder.live_version == null ? null : Number(holder.live_version),
      submissionCount: Number(holder.submission_count),
      createdAt: String(holder.created_at),
      expiresAt: holder.expires_at == null ? null : String(holder.expires_at),
    };
    version = Number(holder.latest_version) + 1;
    yield* write(sites.setLatest, version, input.now, input.publish ? version : null, site.id);
  } else {
    if (input.expectedSiteId) throw slugHolderChanged(input.slug);
    // The count and the insert are one step, so parallel deploys cannot pass the limit. Anonymous
    // sites are limited per address and by their expiry instead (services/anonymous.ts).
    if (!input.anonymous) {
      yield* lock({ on: 'org', key: input.orgId });
      const count = yield* get(sites.countOfOrg, input.orgId);
      if (Number(count?.n) >= input.maxSites) throw siteLimitReached(input.maxSites);
    }
    const expiresAt = input.anonymous?.expiresAt ?? null;
    site = { id: input.newSiteId, liveVersion: null, submissionCount: 0, createdAt: input.now, expiresAt };
    version = 1;
    yield* write(sites.insert, site.id, input.orgId, input.slug, input.publish ? 1 : null, input.now, input.now, expiresAt);
    if (input.anonymous) yield* write(anonymousSites.insert, site.id, input.anonymous.claimTokenHash, input.anonymous.ipAddress, input.now);
  }
  const m = input.metadata;
  yield* write(versions.insert, site.id, version, input.previewToken, m.title, m.description, m.favicon, m.isSpa ? 1 : 0, input.now);
  yield* rows(
    files.insert,
    input.files.map((f) => [site.id, version, f.path, f.contentType, f.etag, f.body]),
  );
  // The bytes as uploaded, where they differ from what is served (patch_page edits these).
  const sources = input.files.filter((f) => f.source !== undefined);
  if (sources.length) yield* rows(fileSources.insert, sources.map((f) => [site.id, version, f.path, f.source as Uint8Array]));
  yield* notify({ kind: 'site', siteId: site.id, slugs: [input.slug] });
  // What the writes made, without reading it back: nothing after the holder's read waits for an
  // answer (PostgreSQL sends the writes and the COMMIT in one go).
  const deployed: SiteRecord = {
    ...site,
    orgId: input.orgId,
    slug: input.slug,
    latestVersion: version,
    liveVersion: input.publish ? version : site.liveVersion,
    previewToken: input.previewToken,
    ...m,
    updatedAt: input.now,
  };
  // The next deploy of the slug in this transaction (a group commit) finds this holder.
  yield* known(sites.holder, [input.slug], {
    id: deployed.id,
    org_id: deployed.orgId,
    latest_version: version,
    live_version: deployed.liveVersion,
    submission_count: deployed.submissionCount,
    created_at: deployed.createdAt,
    expires_at: deployed.expiresAt,
    title: m.title,
    description: m.description,
    favicon: m.favicon,
    is_spa: m.isSpa ? 1 : 0,
    publish_hooks: publishHooks ? 1 : 0,
  } satisfies HolderRow);
  // Webhooks for a publish go into the outbox in this same transaction.
  if (input.publish && input.publishedEvent) yield* enqueue(site.id, input.publishedEvent, input.now, deployed, publishHooks);
  return deployed;
}

/** Any org's site by id: for form capture and inside writes, never for owner routes. */
export function* siteById(siteId: string): Op<SiteRecord | null> {
  const row = yield* get(sites.byId, siteId);
  return row ? toSite(row) : null;
}

export function* getSite(orgId: string, siteId: string): Op<SiteRecord | null> {
  const row = yield* get(sites.ofOrg, siteId, orgId);
  return row ? toSite(row) : null;
}

export function* findSiteBySlug(slug: string): Op<SiteRecord | null> {
  const row = yield* get(sites.bySlug, slug);
  return row ? toSite(row) : null;
}

export function* listSites(orgId: string, options: { limit: number; cursor: string | null }): Op<Page<SiteRecord>> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const found =
    after === null ? yield* all(sites.firstPage, orgId, options.limit + 1) : yield* all(sites.pageBefore, orgId, after, options.limit + 1);
  const page = found.slice(0, options.limit);
  const last = page[page.length - 1];
  return { items: page.map(toSite), nextCursor: found.length > options.limit && last ? encodeCursor(Number(last.seq)) : null };
}

export function* listVersions(orgId: string, siteId: string): Op<VersionRecord[] | null> {
  if (!(yield* getSite(orgId, siteId))) return null;
  return (yield* all(versions.withSizes, siteId)).map(toVersion);
}

export function* publish(orgId: string, siteId: string, version: number | null, now: string, event?: OutboxEvent): Op<SiteRecord | null> {
  const site = yield* get(sites.latestOfOrg, siteId, orgId);
  if (!site) return null;
  const target = version ?? Number(site.latest_version);
  if (!(yield* get(versions.exists, siteId, target))) return null;
  yield* write(sites.publish, target, now, siteId);
  const published = yield* siteById(siteId);
  yield* notify({ kind: 'site', siteId, slugs: published ? [published.slug] : [] });
  if (published && event) yield* enqueue(siteId, event, now, published);
  return published;
}

/** PostgreSQL may still lose a race for the slug on its UNIQUE constraint (postgres.ts says so). */
export function* renameSite(orgId: string, siteId: string, slug: string, now: string): Op<SiteRecord | null> {
  const site = yield* get(sites.slugOfOrg, siteId, orgId);
  if (!site) return null;
  if (site.slug === slug) return yield* siteById(siteId);
  yield* lock({ on: 'slug', key: slug });
  if (yield* get(sites.slugTaken, slug)) throw slugTakenOnRename(slug);
  yield* write(sites.rename, slug, now, siteId);
  yield* notify({ kind: 'site', siteId, slugs: [String(site.slug), slug] });
  return yield* siteById(siteId);
}

/** Deletes the site with its versions, files and submissions; the slug is free at once. */
export function* deleteSite(orgId: string, siteId: string, event?: { event: OutboxEvent; now: string }): Op<boolean> {
  // Before the delete: its webhooks go with the site, and their outbox rows carry the target.
  if (event) {
    const site = yield* getSite(orgId, siteId);
    if (site) yield* enqueue(siteId, event.event, event.now, site);
  }
  const deleted = yield* get(sites.deleteOfOrg, siteId, orgId);
  if (!deleted) return false;
  yield* notify({ kind: 'site', siteId, slugs: [String(deleted.slug)] });
  return true;
}

/** An anonymous site's claim, or null when the site is not (or no longer) one. */
export function* findAnonymousClaim(siteId: string): Op<AnonymousClaimRecord | null> {
  const row = yield* get(anonymousSites.ofSite, siteId);
  if (!row) return null;
  return {
    siteId: String(row.site_id),
    tokenHash: String(row.claim_token_hash),
    claimedAt: row.claimed_at == null ? null : String(row.claimed_at),
    expiresAt: row.expires_at == null ? null : String(row.expires_at),
  };
}

/**
 * Moves an anonymous site into the org, for exactly one caller with the token: the conditional
 * UPDATE of its claim row is the test-and-set, and the site moves in the same transaction.
 */
export function* claimAnonymousSite(input: { siteId: string; tokenHash: string; orgId: string; maxSites: number; now: string }): Op<SiteRecord | 'taken' | 'limit'> {
  // As a deploy of a new site: the count and the move are one step.
  yield* lock({ on: 'org', key: input.orgId });
  const count = yield* get(sites.countOfOrg, input.orgId);
  if (Number(count?.n) >= input.maxSites) return 'limit';
  if ((yield* run(anonymousSites.claim, input.now, input.orgId, input.siteId, input.tokenHash, input.now)) === 0) return 'taken';
  yield* write(sites.claim, input.orgId, input.now, input.siteId);
  const site = yield* siteById(input.siteId);
  if (!site) return 'taken';
  yield* notify({ kind: 'site', siteId: site.id, slugs: [site.slug] });
  return site;
}

/** Deletes up to `limit` sites past their expiry (anonymous ones never claimed), each with everything in it. */
export function* deleteExpiredSites(now: string, limit: number): Op<Array<{ id: string; slug: string }>> {
  const deleted: Array<{ id: string; slug: string }> = [];
  for (const row of yield* all(sites.expired, now, limit)) {
    // Still expired when deleted: another instance's job, or a claim, may have got there first.
    const gone = yield* get(sites.deleteExpired, String(row.id), now);
    if (!gone) continue;
    deleted.push({ id: String(row.id), slug: String(gone.slug) });
    yield* notify({ kind: 'site', siteId: String(row.id), slugs: [String(gone.slug)] });
  }
  return deleted;
}

/** The site and version a host name serves: live when previewToken is null. */
export function* findHosted(slug: string, previewToken: string | null): Op<HostedLookup | null> {
  const site = yield* findSiteBySlug(slug);
  if (!site) return null;
  if (previewToken === null) return site.liveVersion === null ? null : { site, version: site.liveVersion, lock: yield* siteLock(site.id) };
  const v = yield* get(versions.byPreviewToken, site.id, previewToken);
  return v ? { site, version: Number(v.version), lock: yield* siteLock(site.id) } : null;
}

export function* getFile(siteId: string, version: number, path: string): Op<StoredFile | null> {
  const row = yield* get(files.get, siteId, version, path);
  return row ? toStoredFile(row) : null;
}

/** Every file of one of the org's versions as uploaded (the source when one was kept), by path. */
export function* versionSources(orgId: string, siteId: string, version: number): Op<SourceFile[] | null> {
  if (!(yield* getSite(orgId, siteId)) || !(yield* get(versions.exists, siteId, version))) return null;
  return (yield* all(fileSources.ofVersion, siteId, version)).map((row) => ({
    path: String(row.path),
    contentType: String(row.content_type),
    body: row.body as Uint8Array,
  }));
}

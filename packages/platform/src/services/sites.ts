// Sites and their versions (SPEC sections 5, 7 and 12): deploy a new site or a new version, patch
// the newest one, list, read, publish or roll back, rename, delete. Every call acts on an org the caller already reached
// (orgs.ts) and answers in the contract's shapes.
import { AppError } from 'invoker-mcp/errors.js';
import { slugProblem } from 'invoker-mcp/contract/slug.js';
import type { DeployRequest, PatchRequest, Site, UpdateRequest } from 'invoker-mcp/contract/sites.js';
import type { DeployList, VersionList } from 'invoker-mcp/contract/invoker-api.js';
import { isSlugHolderChanged } from '../store/shared.js';
import type { DeployInput, SiteMetadata, SiteRecord, Store, VersionRecord } from '../store/store.js';
import { randomnessOf, type ServiceDeps } from './deps.js';
import { failure, siteNotFound } from './next-steps.js';
import { applyEdits } from './page-edits.js';
import { buildSiteFiles, pageTitle } from './site-files.js';
import { liveUrl, previewUrl, submitUrl, type PlatformUrls } from './urls.js';
import { siteDeletedEvent, sitePublishedEvent } from './webhooks.js';

export type SitesDeps = Pick<ServiceDeps, 'store' | 'urls' | 'limits' | 'now' | 'random' | 'outboxWritten'>;

export function siteJson(urls: PlatformUrls, site: SiteRecord): Site {
  return {
    id: site.id,
    slug: site.slug,
    url: liveUrl(urls, site.slug),
    preview_url: previewUrl(urls, site.slug, site.previewToken),
    version: site.latestVersion,
    live_version: site.liveVersion,
    status: site.liveVersion === null ? 'draft' : 'live',
    title: site.title,
    description: site.description,
    favicon: site.favicon,
    is_spa: site.isSpa,
    submission_count: site.submissionCount,
    created_at: site.createdAt,
    updated_at: site.updatedAt,
  };
}

function versionJson(urls: PlatformUrls, site: SiteRecord, v: VersionRecord): VersionList['versions'][number] {
  return {
    version: v.version,
    preview_url: previewUrl(urls, site.slug, v.previewToken),
    live: v.version === site.liveVersion,
    title: v.title,
    file_count: v.fileCount,
    total_bytes: v.totalBytes,
    created_at: v.createdAt,
  };
}

function checkSlug(slug: string): void {
  const problem = slugProblem(slug);
  if (problem) throw new AppError('invalid_input', `Invalid slug "${slug}": ${problem}.`);
}

/** One of the org's sites; another org's is not_found like one that does not exist. */
export async function ownedSite(store: Store, orgId: string, siteId: string): Promise<SiteRecord> {
  const site = await store.getSite(orgId, siteId);
  if (!site) throw siteNotFound();
  return site;
}

export type SitesService = ReturnType<typeof sitesService>;

export function sitesService(deps: SitesDeps) {
  const owned = (orgId: string, siteId: string) => ownedSite(deps.store, orgId, siteId);

  /**
   * Stores a new version of `slug` for the org: a new site when the slug is new. `expectedLatest`:
   * the version a patch was made from, which must still be the newest when it is written.
   */
  const deployVersion = async (
    orgId: string,
    slug: string,
    body: UpdateRequest,
    previous: SiteRecord | null,
    expectedLatest?: number,
    anonymous?: DeployInput['anonymous'],
  ): Promise<SiteRecord> => {
    const random = randomnessOf(deps);
    const newSiteId = random.id('dep');
    // The {{SUBMIT_URL}} placeholder names the site's id: the existing one for a new version.
    const siteId = previous ? previous.id : newSiteId;
    // Metadata left out of an update is kept from the newest version; the store checks it still is
    // when it writes (a concurrent deploy may have changed it), since the pages embed it.
    const inherited: Partial<SiteMetadata> = {};
    if (previous) {
      if (body.title === undefined) inherited.title = previous.title;
      if (body.description === undefined) inherited.description = previous.description;
      if (body.favicon === undefined) inherited.favicon = previous.favicon;
      if (body.is_spa === undefined) inherited.isSpa = previous.isSpa;
    }
    const metadata: SiteMetadata = {
      title: body.title ?? inherited.title ?? null,
      description: body.description ?? inherited.description ?? null,
      favicon: body.favicon ?? inherited.favicon ?? null,
      isSpa: body.is_spa ?? inherited.isSpa ?? false,
    };
    const files = buildSiteFiles(body, submitUrl(deps.urls, siteId), deps.limits, metadata);
    // A deploy that names no title takes the page's own <title>: the site list shows what the tab does.
    const own = body.title === undefined ? pageTitle(files) : null;
    if (own !== null) {
      metadata.title = own;
      delete inherited.title;
    }
    const publishedEvent = sitePublishedEvent(deps);
    const deployed = await deps.store.deploy({
      orgId,
      newSiteId,
      expectedSiteId: previous ? previous.id : null,
      inherited: previous ? inherited : undefined,
      ...(expectedLatest !== undefined ? { expectedLatest } : {}),
      slug,
      metadata,
      previewToken: random.previewToken(),
      files,
      publish: body.publish ?? true,
      maxSites: deps.limits.maxSites,
      now: deps.now().toISOString(),
      publishedEvent,
      ...(anonymous ? { anonymous } : {}),
    });
    if (publishedEvent.queued > 0) deps.outboxWritten?.();
    return deployed;
  };

  /** A generated slug must name a new site, never add a version to an existing one. */
  const unusedGeneratedSlug = async (): Promise<string> => {
    for (let i = 0; i < 5; i++) {
      const slug = randomnessOf(deps).slug();
      if (!(await deps.store.findSiteBySlug(slug))) return slug;
    }
    throw new AppError('internal', 'Could not find a free generated slug; pass a slug explicitly.');
  };

  return {
    /**
     * Creates the site (version 1) or, when the org already holds the slug, a new version of it.
     * Another org's slug is a conflict; a new site past INVOKER_MAX_SITES is forbidden. `anonymous`
     * (services/anonymous.ts): always a new site, which expires unless claimed.
     */
    async deploy(orgId: string, body: DeployRequest, anonymous?: DeployInput['anonymous']): Promise<Site> {
      if (body.slug !== undefined) checkSlug(body.slug);
      const slug = body.slug ?? (await unusedGeneratedSlug());
      // Which site {{SUBMIT_URL}} names is decided by this lookup, before the write. The store refuses
      // the write when another request (or instance) changed the slug's holder in between, and one
      // fresh lookup builds the files for the new holder. Concurrent deploys of one slug are not
      // queued: they reach the store together and share its group commit.
      const site = await againIfHolderChanged(async () => {
        const existing = anonymous ? null : await deps.store.findSiteBySlug(slug);
        return deployVersion(orgId, slug, body, existing && existing.orgId === orgId ? existing : null, undefined, anonymous);
      });
      return siteJson(deps.urls, site);
    },

    /** A new version of one of the org's sites; slug and URL stay, left-out metadata is kept. */
    async update(orgId: string, siteId: string, body: UpdateRequest): Promise<Site> {
      const site = await againIfHolderChanged(async () => {
        const previous = await owned(orgId, siteId);
        return deployVersion(orgId, previous.slug, body, previous);
      });
      return siteJson(deps.urls, site);
    },

    /**
     * A new version made from the newest one's files as uploaded, with exact find/replace edits
     * (page-edits.ts); metadata kept. A `base_version` that is not the newest is a conflict; without
     * one, a version that lands meanwhile is patched instead (once).
     */
    async patch(orgId: string, siteId: string, body: PatchRequest): Promise<Site> {
      const stale = (newest: number) =>
        failure('conflict', `Version ${body.base_version} is no longer the newest (version ${newest} is): the edits may not fit it. Check the page as it is now and patch again.`, 'find_version');
      try {
        const site = await againIfHolderChanged(async () => {
          const previous = await owned(orgId, siteId);
          const base = previous.latestVersion;
          if (body.base_version !== undefined && body.base_version !== base) throw stale(base);
          const sources = await deps.store.versionSources(orgId, siteId, base);
          if (!sources) throw siteNotFound();
          const files = applyEdits(sources, body.edits, base);
          return deployVersion(orgId, previous.slug, { files, publish: body.publish ?? false }, previous, base);
        });
        return siteJson(deps.urls, site);
      } catch (e) {
        // Another version landed twice while this one was written: say which is newest now.
        if (isSlugHolderChanged(e) && body.base_version !== undefined) throw stale((await owned(orgId, siteId)).latestVersion);
        throw e;
      }
    },

    /** The org's sites, newest first, by keyset cursor. */
    async list(orgId: string, options: { limit: number; cursor: string | null }): Promise<DeployList> {
      const page = await deps.store.listSites(orgId, options);
      return { deploys: page.items.map((s) => siteJson(deps.urls, s)), next_cursor: page.nextCursor };
    },

    async get(orgId: string, siteId: string): Promise<Site> {
      return siteJson(deps.urls, await owned(orgId, siteId));
    },

    async versions(orgId: string, siteId: string): Promise<VersionList> {
      const site = await owned(orgId, siteId);
      const versions = (await deps.store.listVersions(orgId, site.id)) ?? [];
      return { versions: versions.map((v) => versionJson(deps.urls, site, v)) };
    },

    /** Makes a version live (the newest when null); publishing an older one is the rollback. */
    async publish(orgId: string, siteId: string, version: number | null): Promise<Site> {
      await owned(orgId, siteId);
      const event = sitePublishedEvent(deps);
      const site = await deps.store.publish(orgId, siteId, version, deps.now().toISOString(), event);
      if (!site) throw failure('not_found', `Version ${version} does not exist.`, 'find_version');
      if (event.queued > 0) deps.outboxWritten?.();
      return siteJson(deps.urls, site);
    },

    /** A new slug for the site; the old one is free at once, another site's is a conflict. */
    async rename(orgId: string, siteId: string, slug: string): Promise<Site> {
      checkSlug(slug);
      // A first deploy of the new slug racing this rename is refused by the store (its holder changed)
      // and retried against the renamed site: see deploy().
      const site = await deps.store.renameSite(orgId, siteId, slug, deps.now().toISOString());
      if (!site) throw siteNotFound();
      return siteJson(deps.urls, site);
    },

    /** Deletes the site with its versions and submissions; its slug is free at once. */
    async remove(orgId: string, siteId: string): Promise<void> {
      const deleted = siteDeletedEvent(deps);
      if (!(await deps.store.deleteSite(orgId, siteId, deleted))) throw siteNotFound();
      if (deleted.event.queued > 0) deps.outboxWritten?.();
    },
  };
}

/** One more try when the slug's holder changed under a deploy (see DeployInput.expectedSiteId). */
async function againIfHolderChanged<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isSlugHolderChanged(e)) throw e;
    return fn();
  }
}

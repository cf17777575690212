// Site routes: create a site or a version (POST /deploy, PUT /deploy/:id), list and read sites,
// versions, publish/rollback, rename, delete.
import { Hono } from 'hono';
import { randomInt } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import { isSlugHolderChanged } from '../../store/shared.js';
import { newId } from 'invoker-mcp/contract/ids.js';
import { generateSlug, slugProblem } from 'invoker-mcp/contract/slug.js';
import {
  DeployRequestSchema,
  ListDeploysQuerySchema,
  PublishRequestSchema,
  RenameRequestSchema,
  UpdateRequestSchema,
  type Site,
  type UpdateRequest,
} from 'invoker-mcp/contract/sites.js';
import type { SiteMetadata, SiteRecord, VersionRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { buildSiteFiles } from '../site-files.js';
import { liveUrl, previewUrl, submitUrl, type PlatformUrls } from '../urls.js';
import { parseJsonText, parseQuery, readJson } from '../validate.js';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const SITE_NOT_FOUND = 'Deployment not found. Check the id with list_deploys (GET /deploys).';

/** 16 base36 characters (~82 bits): host names ignore case, so lower-case letters and digits only. */
export function newPreviewToken(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}

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

function versionJson(urls: PlatformUrls, slug: string, liveVersion: number | null, v: VersionRecord) {
  return {
    version: v.version,
    preview_url: previewUrl(urls, slug, v.previewToken),
    live: v.version === liveVersion,
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

/** Stores a new version of `slug` for the org: a new site when the slug is new. */
async function deployVersion(
  deps: AppDeps,
  orgId: string,
  slug: string,
  body: UpdateRequest,
  previous: SiteRecord | null,
): Promise<SiteRecord> {
  const newSiteId = newId('dep');
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
  return deps.store.deploy({
    orgId,
    newSiteId,
    expectedSiteId: previous ? previous.id : null,
    inherited: previous ? inherited : undefined,
    slug,
    metadata,
    previewToken: newPreviewToken(),
    files,
    publish: body.publish ?? true,
    maxSites: deps.limits.maxSites,
    now: deps.now().toISOString(),
  });
}

export function deployRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const ownedSite = async (orgId: string, id: string): Promise<SiteRecord> => {
    const site = await deps.store.getSite(orgId, id);
    if (!site) throw new AppError('not_found', SITE_NOT_FOUND);
    return site;
  };

  app.post('/deploy', async (c) => {
    const body = await readJson(c, DeployRequestSchema, deps.limits.jsonDepth);
    if (body.slug !== undefined) checkSlug(body.slug);
    const orgId = c.get('orgId');
    const slug = body.slug ?? (await unusedGeneratedSlug(deps));
    // Which site {{SUBMIT_URL}} names is decided by this lookup, before the write. The store refuses
    // the write when another request (or instance) changed the slug's holder in between, and one
    // fresh lookup builds the files for the new holder. Concurrent deploys of one slug are not
    // queued: they reach the store together and share its group commit.
    const site = await againIfHolderChanged(async () => {
      const existing = await deps.store.findSiteBySlug(slug);
      return deployVersion(deps, orgId, slug, body, existing && existing.orgId === orgId ? existing : null);
    });
    return c.json(siteJson(deps.urls, site), site.latestVersion === 1 ? 201 : 200);
  });

  app.get('/deploys', async (c) => {
    const query = parseQuery(c, ListDeploysQuerySchema);
    const page = await deps.store.listSites(c.get('orgId'), { limit: query.limit ?? 20, cursor: query.cursor ?? null });
    return c.json({ deploys: page.items.map((s) => siteJson(deps.urls, s)), next_cursor: page.nextCursor });
  });

  app.get('/deploy/:id', async (c) => c.json(siteJson(deps.urls, await ownedSite(c.get('orgId'), c.req.param('id')))));

  app.put('/deploy/:id', async (c) => {
    const body = await readJson(c, UpdateRequestSchema, deps.limits.jsonDepth);
    const site = await againIfHolderChanged(async () => {
      const previous = await ownedSite(c.get('orgId'), c.req.param('id'));
      return deployVersion(deps, c.get('orgId'), previous.slug, body, previous);
    });
    return c.json(siteJson(deps.urls, site));
  });

  app.post('/deploy/:id/publish', async (c) => {
    const text = await c.req.text();
    let version: number | null = null;
    if (text.trim() !== '') {
      const parsed = PublishRequestSchema.safeParse(parseJsonText(text, deps.limits.jsonDepth));
      if (!parsed.success) throw new AppError('invalid_input', 'Body must be {} or {"version": N} with N a version number from GET /deploy/{id}/versions.');
      version = parsed.data.version ?? null;
    }
    const orgId = c.get('orgId');
    await ownedSite(orgId, c.req.param('id'));
    const site = await deps.store.publish(orgId, c.req.param('id'), version, deps.now().toISOString());
    if (!site) throw new AppError('not_found', `Version ${version} does not exist. List versions with GET /deploy/{id}/versions.`);
    return c.json(siteJson(deps.urls, site));
  });

  app.get('/deploy/:id/versions', async (c) => {
    const site = await ownedSite(c.get('orgId'), c.req.param('id'));
    const versions = (await deps.store.listVersions(c.get('orgId'), site.id)) ?? [];
    return c.json({ versions: versions.map((v) => versionJson(deps.urls, site.slug, site.liveVersion, v)) });
  });

  app.patch('/deploy/:id/slug', async (c) => {
    const { slug } = await readJson(c, RenameRequestSchema, deps.limits.jsonDepth);
    checkSlug(slug);
    // A first deploy of the new slug racing this rename is refused by the store (its holder changed)
    // and retried against the renamed site: see POST /deploy.
    const site = await deps.store.renameSite(c.get('orgId'), c.req.param('id'), slug, deps.now().toISOString());
    if (!site) throw new AppError('not_found', SITE_NOT_FOUND);
    return c.json(siteJson(deps.urls, site));
  });

  app.delete('/deploy/:id', async (c) => {
    const deleted = await deps.store.deleteSite(c.get('orgId'), c.req.param('id'));
    if (!deleted) throw new AppError('not_found', SITE_NOT_FOUND);
    return c.body(null, 204);
  });

  return app;
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

/** A generated slug must name a new site, never add a version to an existing one. */
async function unusedGeneratedSlug(deps: AppDeps): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const slug = generateSlug();
    if (!(await deps.store.findSiteBySlug(slug))) return slug;
  }
  throw new AppError('internal', 'Could not find a free generated slug; pass a slug explicitly.');
}

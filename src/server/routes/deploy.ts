// Site routes: create a site or a new version (POST /deploy) and read its status (GET /deploy/:id).
import { Hono } from 'hono';
import { randomInt } from 'node:crypto';
import { AppError } from '../../errors.js';
import { newId } from '../../contract/ids.js';
import { generateSlug, slugProblem } from '../../contract/slug.js';
import { DeployRequestSchema, type Site } from '../../contract/sites.js';
import type { SiteRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { buildSiteFiles } from '../site-files.js';
import { liveUrl, previewUrl, submitUrl, type PlatformUrls } from '../urls.js';
import { readJson } from '../validate.js';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

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

export function deployRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/deploy', async (c) => {
    const body = await readJson(c, DeployRequestSchema);
    if (body.slug !== undefined) {
      const problem = slugProblem(body.slug);
      if (problem) throw new AppError('invalid_input', `Invalid slug "${body.slug}": ${problem}.`);
    }
    const orgId = c.get('orgId');
    const newSiteId = newId('dep');
    const now = deps.now().toISOString();
    const metadata = {
      title: body.title ?? null,
      description: body.description ?? null,
      favicon: body.favicon ?? null,
      isSpa: body.is_spa ?? false,
    };
    const publish = body.publish ?? true;

    const slug = body.slug ?? (await unusedGeneratedSlug(deps));
    // The {{SUBMIT_URL}} placeholder names the site's id: the existing one when the org already
    // owns this slug (a new version), else the id the new site will get.
    const owned = await deps.store.findSiteBySlug(slug);
    const siteId = owned && owned.orgId === orgId ? owned.id : newSiteId;
    const files = buildSiteFiles(body, submitUrl(deps.urls, siteId), deps.limits);
    const site = await deps.store.deploy({
      orgId,
      newSiteId,
      slug,
      metadata,
      previewToken: newPreviewToken(),
      files,
      publish,
      maxSites: deps.limits.maxSites,
      now,
    });
    return c.json(siteJson(deps.urls, site), site.latestVersion === 1 ? 201 : 200);
  });

  app.get('/deploy/:id', async (c) => {
    const site = await deps.store.getSite(c.get('orgId'), c.req.param('id'));
    if (!site) throw new AppError('not_found', 'Deployment not found. Check the id with list_deploys (GET /deploys).');
    return c.json(siteJson(deps.urls, site));
  });

  return app;
}

/** A generated slug must name a new site, never add a version to an existing one. */
async function unusedGeneratedSlug(deps: AppDeps): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const slug = generateSlug();
    if (!(await deps.store.findSiteBySlug(slug))) return slug;
  }
  throw new AppError('internal', 'Could not find a free generated slug; pass a slug explicitly.');
}

// The site as the MCP tools return it (deploy, update, publish, get_status, list_deploys): one shape
// in every result and every listed output schema. The HTTP API's fields, minus those a model never
// needs back (description, favicon, is_spa, created_at, updated_at: it sent them itself, or
// get_status' versions carry the dates), because each field is listed again in five tools.
import { z } from 'zod';
import { SiteSchema, type Site } from '../../contract/sites.js';
import type { ResultLink } from '../define-tool.js';

export const SiteOutputSchema = SiteSchema.pick({
  id: true,
  slug: true,
  url: true,
  preview_url: true,
  version: true,
  live_version: true,
  status: true,
  title: true,
  submission_count: true,
});
export type SiteOutput = z.infer<typeof SiteOutputSchema>;

export function siteOutput(site: Site): SiteOutput {
  const { id, slug, url, preview_url, version, live_version, status, title, submission_count } = site;
  return { id, slug, url, preview_url, version, live_version, status, title, submission_count };
}

/** The preview and, once published, the live URL, as resource_link items (SPEC section 12). */
export function siteLinks(site: Site): ResultLink[] {
  const preview = { uri: site.preview_url, name: `${site.slug} preview`, description: `Version ${site.version}`, mimeType: 'text/html' };
  if (site.live_version === null) return [preview];
  return [{ uri: site.url, name: site.slug, description: `Live, version ${site.live_version}`, mimeType: 'text/html' }, preview];
}

// HTTP contract for sites (deployments): what POST /deploy takes and what the site routes answer.
// The server validates with these schemas, the API client types its results with them, and the MCP
// tools reuse their fields, so the three cannot drift apart.
import { z } from 'zod';

export const SiteFileSchema = z
  .object({
    path: z.string().min(1).max(512).describe('Path of the file inside the site, e.g. "index.html" or "css/site.css"'),
    content: z.string().describe('File content: text, or base64 when encoding is "base64"'),
    content_type: z.string().max(200).optional().describe('MIME type; guessed from the extension when omitted'),
    contentType: z.string().max(200).optional().describe('Alias of content_type'),
    encoding: z.enum(['utf-8', 'base64']).optional().describe('How content is encoded (default "utf-8")'),
  })
  .strict();
export type SiteFile = z.infer<typeof SiteFileSchema>;

export const SiteMetadataSchema = z.object({
  title: z.string().max(200).optional().describe('Page title: browser tab, search results, social previews'),
  description: z.string().max(500).optional().describe('One-sentence meta description'),
  favicon: z.string().max(16).optional().describe('An emoji used as the favicon, e.g. "🚀"'),
  is_spa: z.boolean().optional().describe('Serve index.html for unknown paths (single-page apps)'),
});

export const DeployContentSchema = z.object({
  html: z.string().optional().describe('A complete HTML document, for a one-page site'),
  files: z.array(SiteFileSchema).optional().describe('Files for a multi-file site; must include index.html'),
});

export const DeployRequestSchema = DeployContentSchema.extend(SiteMetadataSchema.shape)
  .extend({
    slug: z.string().optional().describe('Subdomain name: 1–40 of a-z, 0-9 and -; generated when omitted'),
    publish: z.boolean().optional().describe('Make this version live at once (HTTP default: true)'),
  })
  .strict();
export type DeployRequest = z.infer<typeof DeployRequestSchema>;

export const SiteStatusSchema = z.enum(['draft', 'live']);

export const SiteSchema = z.object({
  id: z.string(),
  slug: z.string(),
  url: z.string().describe('Live URL (answers 404 until a version is published)'),
  preview_url: z.string().describe('Preview URL of the newest version'),
  version: z.number().int().describe('Newest version number'),
  live_version: z.number().int().nullable().describe('Version served at url, or null when unpublished'),
  status: SiteStatusSchema,
  title: z.string().nullable(),
  description: z.string().nullable(),
  favicon: z.string().nullable(),
  is_spa: z.boolean(),
  submission_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Site = z.infer<typeof SiteSchema>;

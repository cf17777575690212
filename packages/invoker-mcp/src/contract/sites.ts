// HTTP contract for sites (deployments): what POST /deploy takes and what the site routes answer.
// The server validates with these schemas, the API client types its results with them, and the MCP
// tools reuse their fields, so the three cannot drift apart.
import { z } from 'zod';
import { mediaTypeSchema, singleLine } from './text.js';

export const SiteFileSchema = z
  .object({
    path: z.string().min(1).max(512).describe('Path of the file inside the site, e.g. "index.html" or "css/site.css"'),
    content: z.string().describe('File content: text, or base64 when encoding is "base64"'),
    content_type: mediaTypeSchema('MIME type, e.g. "text/css"; guessed from the extension when omitted').optional(),
    contentType: mediaTypeSchema('Alias of content_type').optional(),
    encoding: z.enum(['utf-8', 'base64']).optional().describe('How content is encoded (default "utf-8")'),
  })
  .strict();
export type SiteFile = z.infer<typeof SiteFileSchema>;

export const SiteMetadataSchema = z.object({
  title: singleLine(200).optional().describe('Page title: browser tab, search results, social previews'),
  description: singleLine(500).optional().describe('One-sentence meta description'),
  favicon: singleLine(16).optional().describe('An emoji used as the favicon, e.g. "🚀"'),
  is_spa: z.boolean().optional().describe('Serve index.html for unknown paths (single-page apps)'),
});

export const DeployContentSchema = z.object({
  html: z.string().optional().describe('A complete HTML document, for a one-page site'),
  files: z.array(SiteFileSchema).optional().describe('Files for a multi-file site; must include index.html'),
});

export const DeployRequestSchema = DeployContentSchema.extend(SiteMetadataSchema.shape)
  .extend({
    slug: z.string().max(100).optional().describe('Subdomain name: 1–40 of a-z, 0-9 and -; generated when omitted'),
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

// Anonymous deploys (SPEC section 14): POST /deploy without a key, where the server allows it.
export const AnonymousSiteSchema = SiteSchema.extend({
  claim_token: z.string().describe('Secret that keeps the site: POST /deploy/{id}/claim with a key (shown only in this answer)'),
  claim_url: z.string().describe('The page where a person signs in and keeps the site in one step'),
  expires_at: z.string().describe('When the site is deleted unless claimed (ISO 8601)'),
});
export type AnonymousSite = z.infer<typeof AnonymousSiteSchema>;

/** What POST /deploy answers: a site, and for an anonymous deploy its claim too. */
export const DeployedSiteSchema = SiteSchema.extend({
  claim_token: AnonymousSiteSchema.shape.claim_token.optional(),
  claim_url: AnonymousSiteSchema.shape.claim_url.optional(),
  expires_at: AnonymousSiteSchema.shape.expires_at.optional(),
});

export const ClaimRequestSchema = z
  .object({ claim_token: z.string().min(1).max(200).describe('The claim_token of the anonymous deploy') })
  .strict();
export type ClaimRequest = z.infer<typeof ClaimRequestSchema>;

export const UpdateRequestSchema = DeployRequestSchema.omit({ slug: true });
export type UpdateRequest = z.infer<typeof UpdateRequestSchema>;

// POST /deploy/{id}/patch (SPEC section 12): exact find/replace edits against the files of the newest
// version as they were uploaded, applied in order; a new version made from the result.
export const PageEditSchema = z
  .object({
    path: z.string().min(1).max(512).optional().describe('File to edit (default "index.html")'),
    find: z.string().min(1).describe('Exact text; must occur exactly once in the file'),
    replace: z.string().describe('What replaces it'),
  })
  .strict();
export type PageEdit = z.infer<typeof PageEditSchema>;

export const PatchRequestSchema = z
  .object({
    edits: z.array(PageEditSchema).min(1).max(100).describe('Applied in order, each to the result of the ones before'),
    base_version: z.number().int().positive().optional().describe('The version the edits were written against: 409 when it is no longer the newest'),
    publish: z.boolean().optional().describe('Make the new version live at once (default: false, a preview)'),
  })
  .strict();
export type PatchRequest = z.infer<typeof PatchRequestSchema>;

export const PublishRequestSchema = z
  .object({ version: z.number().int().positive().optional().describe('Version to make live; the newest when omitted') })
  .strict();

export const RenameRequestSchema = z.object({ slug: z.string().max(100).describe('The new slug') }).strict();

export const ListDeploysQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().describe('Sites per page, 1–100 (default 20)'),
  cursor: singleLine(500).optional().describe('next_cursor from the previous page'),
});

export const DeployListSchema = z.object({
  deploys: z.array(SiteSchema),
  next_cursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page'),
});

export const VersionSchema = z.object({
  version: z.number().int(),
  preview_url: z.string(),
  live: z.boolean(),
  title: z.string().nullable(),
  file_count: z.number().int(),
  total_bytes: z.number().int(),
  created_at: z.string(),
});
export const VersionListSchema = z.object({ versions: z.array(VersionSchema) });

export const SubmissionSchema = z.object({
  id: z.string(),
  data: z.record(z.string(), z.unknown()).describe('Form fields as the visitor sent them: untrusted data'),
  ip_address: z.string().nullable(),
  created_at: z.string(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export const SubmissionsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional().describe('Page number, from 1 (default 1)'),
  limit: z.coerce.number().int().min(1).max(50).optional().describe('Submissions per page, 1–50 (default 50)'),
});

/** A signed export link's query (the remote export_submissions tool hands such links out). */
export const ExportLinkQuerySchema = z.object({
  org: z.string().max(100).optional().describe('The organization the link was made for'),
  expires: z.string().max(20).optional().describe('When the link stops working (Unix seconds)'),
  sig: z.string().max(100).optional().describe('The signature of the three'),
});

export const SubmissionPageSchema = z.object({
  submissions: z.array(SubmissionSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
});
export type SubmissionPage = z.infer<typeof SubmissionPageSchema>;

export const SubmitResponseSchema = z.object({ message: z.string(), id: z.string() });

// What POST /submit/{id} takes. The handler reads fields itself (any names, as the site's form has
// them); these schemas describe that for the OpenAPI document.
const CONTROL_FIELDS = 'At most 100 fields, names up to 200 characters. `_hp` is the honeypot (a filled one is answered like a success and not stored); `_next` is where a browser form post goes next, when it is a page of the same site.';
export const SubmissionJsonSchema = z.record(z.string(), z.unknown()).describe(`The form's fields as a JSON object. ${CONTROL_FIELDS}`);
export const SubmissionFieldsSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .describe(`The form's fields; a repeated name gives a list. ${CONTROL_FIELDS}`);

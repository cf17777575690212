// What deploy and update take: the HTTP contract's fields with its checks (src/contract/sites.ts),
// described for the model in fewer words, without the HTTP API's `contentType` alias.
import { z } from 'zod';
import { DeployContentSchema, SiteFileSchema, SiteMetadataSchema, type DeployRequest } from '../../contract/sites.js';
import { AppError } from '../../errors.js';
import type { ToolContext } from '../define-tool.js';
import { orgInput } from './org-input.js';

// A file's fields are described only where the name and type leave a question.
const { path, content, content_type, encoding } = SiteFileSchema.shape;
const FileInput = SiteFileSchema.omit({ contentType: true }).extend({
  path: path.meta({ description: undefined }),
  content: content.describe('Text, or base64'),
  content_type: content_type.meta({ description: undefined }),
  encoding: encoding.meta({ description: undefined }),
});

const { title, description, favicon, is_spa } = SiteMetadataSchema.shape;

/** The fields deploy and update share, described for deploy. */
export const siteInput = {
  html: DeployContentSchema.shape.html.describe('A complete HTML document'),
  files: z.array(FileInput).optional().describe('Files with an index.html'),
  title: title.describe('Page title'),
  description: description.describe('Meta description'),
  favicon: favicon.describe('An emoji'),
  is_spa: is_spa.describe('Single-page app: index.html for unknown paths'),
  publish: z.boolean().optional().describe('true: live now; default: a preview'),
  org: orgInput,
};

/**
 * The same fields for update, whose description says they are deploy's: described once in the
 * listing, not twice (org keeps its words: it is listed alone in some selections).
 */
export const siteInputAgain = Object.fromEntries(
  Object.entries(siteInput).map(([name, field]) => [name, name === 'org' ? field : field.meta({ description: undefined })]),
) as typeof siteInput;

/** A local file or folder (stdio only: ToolDefinition.localInputs), read with the CLI's rules. */
export const localPath = z.string().min(1).optional();

/**
 * The content of a deploy or update body: `html` or `files` as given, or read from `path` on the
 * user's machine, so a whole site costs the model no output tokens.
 */
export async function siteContent(
  args: { path?: string | undefined; html?: string | undefined; files?: DeployRequest['files'] },
  ctx: ToolContext,
): Promise<Pick<DeployRequest, 'html' | 'files'>> {
  if (args.path === undefined) return { ...(args.html !== undefined ? { html: args.html } : {}), ...(args.files !== undefined ? { files: args.files } : {}) };
  if (args.html !== undefined || args.files !== undefined) throw new AppError('invalid_input', 'Send path, or html or files, not both.');
  if (!ctx.readLocalSite) throw new AppError('invalid_input', 'path reads your own disk, which only the local (stdio) Invoker server can: send html or files instead.');
  const site = await ctx.readLocalSite(args.path);
  return site.html !== undefined ? { html: site.html } : { files: site.files ?? [] };
}

/** Every tool that acts on one site takes its id. */
export const siteId = z.string().describe('Site id (dep_…)');

// What deploy and update take: the HTTP contract's fields with its checks (src/contract/sites.ts),
// described for the model in fewer words, without the HTTP API's `contentType` alias.
import { z } from 'zod';
import { DeployContentSchema, SiteFileSchema, SiteMetadataSchema } from '../../contract/sites.js';
import { orgInput } from './org-input.js';

// A file's fields are described only where the name and type leave a question.
const { path, content, content_type, encoding } = SiteFileSchema.shape;
// Not strict here (its additionalProperties would be listed in two tools): the API refuses unknown fields.
const FileInput = z.object({
  path: path.meta({ description: undefined }),
  content: content.describe('Text, or base64'),
  content_type: content_type.describe('Default: from the extension'),
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
  is_spa: is_spa.describe('Serve index.html for unknown paths'),
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

/** Every tool that acts on one site takes its id. */
export const siteId = z.string().describe('Site id (dep_…)');

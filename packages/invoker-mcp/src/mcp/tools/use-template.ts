import { z } from 'zod';
import { AppError } from '../../errors.js';
import { composePage } from '../../content/compose.js';
import { TEMPLATES, findTemplate } from '../../content/templates.js';
import { defineTool } from '../define-tool.js';
import { BlockPropsSchema, HtmlResultSchema, PageSchema } from '../../content/schemas.js';
import { NEXT_STEP } from './compose-page.js';

export const useTemplateTool = defineTool({
  name: 'use_template',
  title: 'Render a page template',
  toolset: 'content',
  description:
    'Render a ready-made template (ids from list_templates) as one self-contained HTML page, optionally in another style ' +
    'and with the user\'s details: `page` overrides the title/description/favicon/lang, `props` overrides block props ' +
    'keyed by block id (e.g. {"hero-centered": {"title": "…"}}; list_templates shows each template\'s blocks, list_blocks ' +
    'their props). Replace the sample copy with the user\'s real details; for other sections use compose_page. Returns ' +
    '{html}: pass it to deploy (a preview), then publish after the user approves. Offline; deploys nothing.',
  inputSchema: z.object({
    id: z.string().describe(`Template id: ${TEMPLATES.map((t) => t.id).join(', ')}`),
    style: z.string().optional().describe('Style preset id from list_styles; the template\'s own style when omitted'),
    page: PageSchema.partial().optional().describe('Overrides for the page title, description, favicon and lang'),
    props: z
      .record(z.string(), BlockPropsSchema)
      .optional()
      .describe('Prop overrides by block id, merged over the template\'s props for every block with that id'),
  }),
  outputSchema: HtmlResultSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const template = findTemplate(args.id);
    if (!template) {
      throw new AppError('invalid_input', `Unknown template "${args.id}". Templates: ${TEMPLATES.map((t) => t.id).join(', ')}.`);
    }
    const used = new Set(template.blocks.map((b) => b.blockId));
    for (const blockId of Object.keys(args.props ?? {})) {
      if (!used.has(blockId)) {
        throw new AppError('invalid_input', `Template "${template.id}" has no "${blockId}" block. Its blocks: ${[...used].join(', ')}. For other blocks use compose_page.`);
      }
    }
    const blocks = template.blocks.map((b) => ({ blockId: b.blockId, props: { ...b.props, ...args.props?.[b.blockId] } }));
    const style = args.style ?? template.style;
    const page = { ...template.page, ...definedOnly(args.page ?? {}) };
    const html = composePage({ style, blocks, page });
    return {
      text: `Rendered template "${template.id}" in style "${style}" (${Math.ceil(html.length / 1024)} KB; blocks: ${[...used].join(', ')}). Check the sample copy was replaced with the user's details. ${NEXT_STEP}`,
      structured: { html },
    };
  },
});

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

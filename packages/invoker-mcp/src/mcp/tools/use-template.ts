import { z } from 'zod';
import { AppError } from '../../errors.js';
import { composePage } from '../../content/compose.js';
import { TEMPLATES, findTemplate } from '../../content/templates.js';
import { defineTool } from '../define-tool.js';
import { BlockPropsSchema, HtmlResultSchema, PageSchema } from '../../content/schemas.js';
import { NEXT_STEP } from './compose-page.js';

export const useTemplateTool = defineTool({
  name: 'use_template',
  title: 'Use a template',
  toolset: 'content',
  description:
    'A template as one HTML page with the user\'s details in place of its sample copy. Returns {html}: ' +
    'deploy it, publish after the user approves.',
  inputSchema: z.object({
    id: z.string().describe('From list_templates, e.g. "waitlist"'),
    style: z.string().optional().describe('From list_styles; default the template\'s'),
    page: PageSchema.partial().optional().describe('Page metadata'),
    props: z
      .record(z.string(), BlockPropsSchema)
      .optional()
      .describe('Prop overrides by block id, e.g. {"hero-centered": {"title": "…"}}'),
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

import { z } from 'zod';
import { MAX_BLOCKS, composePage } from '../../content/compose.js';
import { defineTool } from '../define-tool.js';
import { BlockPropsSchema, HtmlResultSchema, PageSchema } from '../../content/schemas.js';

/** Shared with use_template: what the model does with the HTML. */
export const NEXT_STEP =
  'Next: show the user what the page says, then call deploy with this html (it makes a PREVIEW) and share the preview URL; ' +
  'call publish only after the user approves. Forms post to {{SUBMIT_URL}}, which deploy fills in.';

export const composePageTool = defineTool({
  name: 'compose_page',
  title: 'Compose a page',
  toolset: 'content',
  description:
    'A responsive page from blocks (list_blocks) in a style (list_styles), with the user\'s real details. ' +
    'Returns {html}: deploy it, publish after the user approves.',
  inputSchema: z.object({
    style: z.string().optional().describe('From list_styles; default "clean"'),
    blocks: z
      .array(
        z.object({
          blockId: z.string().describe('From list_blocks, e.g. "hero-centered"'),
          props: BlockPropsSchema.optional(),
        }),
      )
      .min(1)
      .max(MAX_BLOCKS)
      .describe('Top to bottom'),
    page: PageSchema,
  }),
  outputSchema: HtmlResultSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const html = composePage(args);
    return {
      text: `Composed "${args.page.title}" from ${args.blocks.length} blocks (${args.blocks.map((b) => b.blockId).join(', ')}), style "${args.style ?? 'clean'}", ${Math.ceil(html.length / 1024)} KB. ${NEXT_STEP}`,
      structured: { html },
    };
  },
});

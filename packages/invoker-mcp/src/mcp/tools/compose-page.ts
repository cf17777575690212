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
  title: 'Compose a page from blocks',
  toolset: 'content',
  description:
    'Build one self-contained HTML page from blocks and a style preset: inline CSS, no external requests, accessible ' +
    '(landmarks, labels, keyboard, WCAG AA contrast) and responsive from phone to desktop. Get block ids and props from ' +
    'list_blocks and style ids from list_styles; fill props with the user\'s real details (from gather_requirements). ' +
    'Unknown blocks or props are errors that list what exists. Returns {html}: pass it to deploy (a preview), then ' +
    'publish after the user approves. Offline; deploys nothing.',
  inputSchema: z.object({
    style: z.string().optional().describe('Style preset id from list_styles (default "clean")'),
    blocks: z
      .array(
        z.object({
          blockId: z.string().describe('Block id from list_blocks, e.g. "hero-centered"'),
          props: BlockPropsSchema.optional(),
        }),
      )
      .min(1)
      .max(MAX_BLOCKS)
      .describe('Blocks from top to bottom'),
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

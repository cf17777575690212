import { z } from 'zod';
import { BLOCKS, BLOCK_CATEGORIES } from '../../content/blocks/index.js';
import { describeProps } from '../../content/props.js';
import { defineTool } from '../define-tool.js';

export const listBlocksTool = defineTool({
  name: 'list_blocks',
  title: 'List blocks',
  toolset: 'content',
  description:
    'The blocks compose_page takes, with their props (types, defaults).',
  inputSchema: z.object({
    category: z.enum(BLOCK_CATEGORIES).optional().describe('Only this category'),
  }),
  outputSchema: z.object({
    blocks: z.array(
      z.object({ id: z.string(), category: z.string(), description: z.string(), props: z.array(z.record(z.string(), z.unknown())) }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const blocks = BLOCKS.filter((b) => !args.category || b.category === args.category).map((b) => ({
      id: b.id,
      category: b.category,
      description: b.description,
      props: describeProps(b.props),
    }));
    return {
      text:
        blocks.map((b) => `- ${b.id} (${b.category}): ${b.description}`).join('\n') +
        '\nProps with types and defaults are in the structured result. Navigation blocks go in the page header and footer blocks in the footer, wherever they appear in the list.',
      structured: { blocks },
    };
  },
});

import { z } from 'zod';
import { TEMPLATES } from '../../content/templates.js';
import { defineTool } from '../define-tool.js';

export const listTemplatesTool = defineTool({
  name: 'list_templates',
  title: 'List templates',
  toolset: 'content',
  description:
    'Ready-made pages (id, description, style, blocks) for use_template.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    templates: z.array(
      z.object({ id: z.string(), name: z.string(), description: z.string(), style: z.string(), blocks: z.array(z.string()) }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler() {
    const templates = TEMPLATES.map((t) => ({ id: t.id, name: t.name, description: t.description, style: t.style, blocks: t.blocks.map((b) => b.blockId) }));
    return {
      text: templates.map((t) => `- ${t.id}: ${t.description}`).join('\n') + '\nCall use_template with an id to get the HTML.',
      structured: { templates },
    };
  },
});

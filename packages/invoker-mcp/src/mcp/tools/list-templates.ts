import { z } from 'zod';
import { TEMPLATES } from '../../content/templates.js';
import { defineTool } from '../define-tool.js';

export const listTemplatesTool = defineTool({
  name: 'list_templates',
  title: 'List page templates',
  toolset: 'content',
  description:
    'List the ready-made page templates (waitlist, contact, RSVP, survey, newsletter, landing, link-in-bio, event, ' +
    'portfolio, pricing): id, name, one-line description, default style and the blocks each is made of. Pick one after ' +
    'gather_requirements, then call use_template with its id and the user\'s details. Offline.',
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

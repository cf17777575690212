import { z } from 'zod';
import { PAGE_KINDS, requirementsFor } from '../../content/requirements.js';
import { defineTool } from '../define-tool.js';

export const gatherRequirementsTool = defineTool({
  name: 'gather_requirements',
  title: 'Questions to ask before building a page',
  toolset: 'content',
  description:
    'Step 1 of building a page: returns the questions worth asking the user for a kind of page (waitlist, contact, rsvp, ' +
    'survey, newsletter, landing, link-in-bio, event, portfolio, pricing, or other), with why each matters, plus the ' +
    'matching template and style. Ask only what the conversation has not answered yet, in one message, and never invent ' +
    'facts such as prices, quotes or numbers. Then call use_template (or list_blocks + list_styles + compose_page), then ' +
    'deploy as a preview, then publish after the user approves. Offline; reads nothing.',
  inputSchema: z.object({
    kind: z.enum(PAGE_KINDS).describe('The kind of page the user wants; "other" when none fits'),
  }),
  outputSchema: z.object({
    kind: z.enum(PAGE_KINDS),
    questions: z.array(z.object({ id: z.string(), question: z.string(), why: z.string() })),
    suggested_template: z.string().nullable(),
    suggested_style: z.string(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const r = requirementsFor(args.kind);
    const text =
      `Before building the ${args.kind} page, ask the user (skip what they already told you):\n` +
      r.questions.map((q, i) => `${i + 1}. ${q.question}`).join('\n') +
      `\nThen: ${r.suggested_template ? `use_template with id "${r.suggested_template}"` : 'list_blocks and compose_page'} ` +
      `(style "${r.suggested_style}" fits; list_styles has others), deploy as a preview, publish after approval.`;
    return { text, structured: r };
  },
});

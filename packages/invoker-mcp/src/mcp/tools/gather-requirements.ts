import { z } from 'zod';
import { PAGE_KINDS, requirementsFor } from '../../content/requirements.js';
import { defineTool } from '../define-tool.js';

export const gatherRequirementsTool = defineTool({
  name: 'gather_requirements',
  title: 'Page questions',
  toolset: 'content',
  description:
    'Step 1 of a page: what to ask, and the template and style that fit. Ask in one message; never invent ' +
    'facts. Then use_template or compose_page, deploy (a preview), publish once approved.',
  inputSchema: z.object({
    kind: z.enum(PAGE_KINDS).describe('"other" when none fits'),
  }),
  outputSchema: z.object({
    kind: z.string(),
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

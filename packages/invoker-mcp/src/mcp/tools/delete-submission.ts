import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const deleteSubmissionTool = defineTool({
  name: 'delete_submission',
  title: 'Delete a submission',
  toolset: 'forms',
  description:
    'Delete one form submission (spam, or a visitor asking to be forgotten).',
  inputSchema: z.object({
    deployment_id: siteId,
    submission_id: z.string().describe('Submission id (sub_…)'),
    org: orgInput,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, submission_id, org }, ctx) {
    const api = await ctx.api();
    await api.deleteSubmission(deployment_id, submission_id, org);
    return { text: `Deleted submission ${submission_id}.` };
  },
});

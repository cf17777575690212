import { CounterListSchema } from '../../contract/extras.js';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const listCountersTool = defineTool({
  name: 'list_counters',
  title: 'Counters',
  toolset: 'extras',
  description: "A site's counters and their values.",
  inputSchema: z.object({ deployment_id: siteId, org: orgInput }),
  outputSchema: CounterListSchema,
  // Checked, not listed: every remote grant of `read` lists this tool, and its shape is obvious.
  outputListed: false,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org }, ctx) {
    const api = await ctx.api();
    const list = await api.listCounters(deployment_id, org);
    if (list.counters.length === 0) return { text: `No counters on ${deployment_id} yet: a counter exists once a page increments it.`, structured: list };
    // Names are [a-z0-9_-] (checked by the server): safe to show as they are.
    return { text: list.counters.map((c) => `${c.name}: ${c.value}`).join('\n'), structured: list };
  },
});

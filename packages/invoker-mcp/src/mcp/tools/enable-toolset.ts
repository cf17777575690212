import { z } from 'zod';
import { AppError } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { DEFAULT_TOOLSETS, TOOLSETS, isToolset, type Toolset } from '../toolsets.js';
import { ALL_TOOLS } from './index.js';

const toolsOf = (toolset: Toolset) => ALL_TOOLS.filter((t) => t.toolset === toolset).map((t) => t.name);

/** What the toolsets off by default hold: "keys (list_api_keys, …), orgs (…), …". */
const OFF_BY_DEFAULT = TOOLSETS.filter((t) => !DEFAULT_TOOLSETS.includes(t))
  .map((t) => `${t} (${toolsOf(t).join(', ')})`)
  .join(', ');

export const enableToolsetTool = defineTool({
  name: 'enable_toolset',
  title: 'Turn on a toolset',
  toolset: null,
  stdioOnly: true,
  description: `Turn on more tools for this session: ${OFF_BY_DEFAULT}.`,
  // A string, not an enum: the description already names every toolset worth turning on.
  inputSchema: z.object({ toolset: z.string().describe('A name from the list above') }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const toolset = args.toolset.trim().toLowerCase();
    if (!isToolset(toolset)) throw new AppError('invalid_input', `Unknown toolset "${args.toolset}". Toolsets: ${TOOLSETS.join(', ')}.`);
    if (!ctx.enableToolset) throw new AppError('invalid_input', 'Toolsets can only be turned on in the local (stdio) server; this one lists the tools its grant allows.');
    const members = toolsOf(toolset);
    const { alreadyOn, added } = await ctx.enableToolset(toolset);
    if (alreadyOn) return { text: `The ${toolset} toolset is already on.` };
    const skipped = members.filter((name) => !added.includes(name));
    const readOnly = skipped.length ? ` ${skipped.join(', ')} stay off: this server is read-only (INVOKER_READ_ONLY).` : '';
    return { text: `Turned on ${toolset}: ${added.join(', ')}.${readOnly} The client was told the tool list changed.` };
  },
});

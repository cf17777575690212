// The tools a server lists for a selection (toolsets.ts): the stdio server's at start and after
// enable_toolset, the build-time manifest's, and the remote /mcp endpoint's per granted scope
// (toolsFor(remoteSelection(scopes))). One function, so every listing follows one rule.
import type { ToolDefinition } from './define-tool.js';
import { enableToolsetTool } from './tools/enable-toolset.js';
import { ALL_TOOLS } from './tools/index.js';
import { isListed, listsOrg, type Selection, type ToolFacts } from './toolsets.js';

/** Every tool any server may list, enable_toolset last. */
export const CATALOG: readonly ToolDefinition[] = [...ALL_TOOLS, enableToolsetTool as unknown as ToolDefinition];

export function factsOf(tool: ToolDefinition): ToolFacts {
  return { name: tool.name, toolset: tool.toolset, readOnly: tool.annotations.readOnlyHint, ...(tool.stdioOnly ? { stdioOnly: true } : {}) };
}

/** The tools `selection` lists, in catalog order. */
export function toolsFor(selection: Selection, tools: readonly ToolDefinition[] = CATALOG): ToolDefinition[] {
  return tools.filter((tool) => isListed(factsOf(tool), selection));
}

/**
 * The input `tool` is listed with under `selection` (its listedAs forms): `org` only when
 * listsOrg(), its localInputs only on stdio. `org` is accepted
 * either way (the call validates against the whole input), so a sub-org named by the user is
 * never silently dropped.
 */
export function listedInput(tool: ToolDefinition, selection: Selection): ToolDefinition['inputSchema'] {
  const hidden = [...(!listsOrg(selection) ? ['org'] : []), ...(selection.surface === 'remote' ? (tool.localInputs ?? []) : [])];
  const input = tool.listedAs ? tool.inputSchema.extend(tool.listedAs) : tool.inputSchema;
  const omitted = hidden.filter((name) => name in input.shape);
  return omitted.length ? input.omit(Object.fromEntries(omitted.map((name) => [name, true])) as never) : input;
}

// The content toolset: offline, read-only tools that turn requirements, templates, blocks and
// styles into HTML for deploy.
import type { ToolDefinition } from '../define-tool.js';
import { composePageTool } from './compose-page.js';
import { gatherRequirementsTool } from './gather-requirements.js';
import { listBlocksTool } from './list-blocks.js';
import { listStylesTool } from './list-styles.js';
import { listTemplatesTool } from './list-templates.js';
import { useTemplateTool } from './use-template.js';

export const CONTENT_TOOLS: readonly ToolDefinition[] = [
  gatherRequirementsTool,
  listTemplatesTool,
  useTemplateTool,
  listBlocksTool,
  listStylesTool,
  composePageTool,
] as unknown as ToolDefinition[];

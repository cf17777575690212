// Every tool the MCP server can expose, in the order clients list them.
import type { ToolDefinition } from '../define-tool.js';
import { CONTENT_TOOLS } from './content-tools.js';
import { deployTool } from './deploy.js';
import { whoamiTool } from './whoami.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [whoamiTool, deployTool, ...CONTENT_TOOLS] as unknown as ToolDefinition[];

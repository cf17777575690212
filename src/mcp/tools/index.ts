// Every tool the MCP server can expose, in the order clients list them.
import type { ToolDefinition } from '../define-tool.js';
import { deployTool } from './deploy.js';
import { loginTool } from './login.js';
import { logoutTool } from './logout.js';
import { whoamiTool } from './whoami.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [loginTool, logoutTool, whoamiTool, deployTool] as unknown as ToolDefinition[];

// Every tool the MCP server can expose, in the order clients list them.
import type { ToolDefinition } from '../define-tool.js';
import { createApiKeyTool } from './create-api-key.js';
import { createSubOrgTool } from './create-sub-org.js';
import { deployTool } from './deploy.js';
import { listApiKeysTool } from './list-api-keys.js';
import { listOrgsTool } from './list-orgs.js';
import { revokeApiKeyTool } from './revoke-api-key.js';
import { whoamiTool } from './whoami.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  whoamiTool,
  deployTool,
  listApiKeysTool,
  createApiKeyTool,
  revokeApiKeyTool,
  listOrgsTool,
  createSubOrgTool,
] as unknown as ToolDefinition[];

// Every tool the MCP server can expose, in the order clients list them. A new tool is its file (whose
// `toolset` puts it in a toolset) and one line here: the listing rule (toolsets.ts), the manifest,
// the stdio front, enable_toolset's description and the remote scopes all follow from these.
import type { ToolDefinition } from '../define-tool.js';
import { CONTENT_TOOLS } from './content-tools.js';
import { createApiKeyTool } from './create-api-key.js';
import { createSubOrgTool } from './create-sub-org.js';
import { deleteSubmissionTool } from './delete-submission.js';
import { deployTool } from './deploy.js';
import { exportSubmissionsTool } from './export-submissions.js';
import { getStatusTool } from './get-status.js';
import { getSubmissionsTool } from './get-submissions.js';
import { listApiKeysTool } from './list-api-keys.js';
import { listDeploysTool } from './list-deploys.js';
import { listOrgsTool } from './list-orgs.js';
import { loginTool } from './login.js';
import { logoutTool } from './logout.js';
import { patchPageTool } from './patch-page.js';
import { publishTool } from './publish.js';
import { revokeApiKeyTool } from './revoke-api-key.js';
import { teardownTool } from './teardown.js';
import { updateTool } from './update.js';
import { whoamiTool } from './whoami.js';
import { updateFormSettingsTool } from './update-form-settings.js';
import { createWebhookTool } from './create-webhook.js';
import { listWebhooksTool } from './list-webhooks.js';
import { deleteWebhookTool } from './delete-webhook.js';
import { addDomainTool } from './add-domain.js';
import { listDomainsTool } from './list-domains.js';
import { removeDomainTool } from './remove-domain.js';
import { listCountersTool } from './list-counters.js';
import { protectSiteTool } from './protect-site.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  loginTool,
  logoutTool,
  whoamiTool,
  deployTool,
  publishTool,
  updateTool,
  patchPageTool,
  listDeploysTool,
  getStatusTool,
  teardownTool,
  getSubmissionsTool,
  deleteSubmissionTool,
  exportSubmissionsTool,
  updateFormSettingsTool,
  listApiKeysTool,
  createApiKeyTool,
  revokeApiKeyTool,
  listOrgsTool,
  createSubOrgTool,
  createWebhookTool,
  listWebhooksTool,
  deleteWebhookTool,
  addDomainTool,
  listDomainsTool,
  removeDomainTool,
  listCountersTool,
  protectSiteTool,
  ...CONTENT_TOOLS,
] as unknown as ToolDefinition[];

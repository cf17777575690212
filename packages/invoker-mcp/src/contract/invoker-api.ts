// What the MCP tools ask of Invoker, whoever answers: the HTTP client (client/api-client.ts) for the
// stdio server, or the platform's services in process for its remote /mcp endpoint
// (platform/src/server/in-process-api.ts). Same calls, same results, same AppErrors either way.
// `org` is an org id or `c` (the caller's own org), as in /orgs/{org_id}/… (SPEC section 4).
import type { z } from 'zod';
import type { ApiKey, CreatedApiKey, Me, Org } from './account.js';
import type { Domain, DomainList } from './domains.js';
import type { CounterList, SitePasswordStatus } from './extras.js';
import type { CreatedWebhook, CreateWebhookRequest, FormSettings, FormSettingsRequest, WebhookList } from './forms.js';
import type { DeployListSchema, DeployRequest, PatchRequest, Site, SubmissionPage, UpdateRequest, VersionListSchema } from './sites.js';

export type DeployList = z.infer<typeof DeployListSchema>;
export type VersionList = z.infer<typeof VersionListSchema>;

export interface InvokerApi {
  me(): Promise<Me>;
  deploy(body: DeployRequest, org?: string): Promise<Site>;
  update(id: string, body: UpdateRequest, org?: string): Promise<Site>;
  /** A new version from exact find/replace edits to the newest one (POST /deploy/{id}/patch). */
  patch(id: string, body: PatchRequest, org?: string): Promise<Site>;
  /** Makes a version live, the newest when version is omitted. */
  publish(id: string, version?: number, org?: string): Promise<Site>;
  getDeploy(id: string, org?: string): Promise<Site>;
  listDeploys(options?: { limit?: number | undefined; cursor?: string | undefined }, org?: string): Promise<DeployList>;
  listVersions(id: string, org?: string): Promise<VersionList>;
  deleteDeploy(id: string, org?: string): Promise<void>;
  getSubmissions(id: string, options?: { page?: number | undefined; limit?: number | undefined }, org?: string): Promise<SubmissionPage>;
  deleteSubmission(id: string, submissionId: string, org?: string): Promise<void>;
  /** Every submission as CSV text. */
  exportSubmissions(id: string, org?: string): Promise<string>;
  listApiKeys(org?: string): Promise<{ keys: ApiKey[] }>;
  createApiKey(name: string, org?: string): Promise<CreatedApiKey>;
  revokeApiKey(id: string, org?: string): Promise<void>;
  getOrg(org?: string): Promise<Org>;
  listSubOrgs(org?: string): Promise<{ orgs: Org[] }>;
  createSubOrg(name: string, org?: string): Promise<Org>;
  updateFormSettings(id: string, body: FormSettingsRequest, org?: string): Promise<FormSettings>;
  createWebhook(id: string, body: CreateWebhookRequest, org?: string): Promise<CreatedWebhook>;
  listWebhooks(id: string, org?: string): Promise<WebhookList>;
  deleteWebhook(id: string, webhookId: string, org?: string): Promise<void>;
  /** Adds a custom domain (pending), or checks again one the site has (POST /deploy/{id}/domains). */
  addDomain(id: string, domain: string, org?: string): Promise<Domain>;
  listDomains(id: string, org?: string): Promise<DomainList>;
  removeDomain(id: string, domain: string, org?: string): Promise<void>;
  listCounters(id: string, org?: string): Promise<CounterList>;
  /** Whether the site asks for a password. Setting one never goes through here: only the person sets it (dashboard or PUT). */
  sitePassword(id: string, org?: string): Promise<SitePasswordStatus>;
  removeSitePassword(id: string, org?: string): Promise<void>;
}

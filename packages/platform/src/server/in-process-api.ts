// InvokerApi in process: the MCP tools' calls answered by the services directly, for one principal
// (the remote /mcp endpoint builds one per request, after authenticating it, as HTTP does per
// request). Each call is the HTTP route of the same name without the wire: the org reached as
// /orgs/{org} reaches it, the input checked with the route's schema and messages, the same service
// call, so the results and the AppErrors (codes and messages) are the ones ApiClient gets over HTTP.
import type { z } from 'zod';
import type { InvokerApi } from 'invoker-mcp/contract/invoker-api.js';
import { CreateApiKeyRequestSchema, CreateOrgRequestSchema } from 'invoker-mcp/contract/account.js';
import {
  DeployRequestSchema,
  ListDeploysQuerySchema,
  PatchRequestSchema,
  SubmissionsQuerySchema,
  UpdateRequestSchema,
} from 'invoker-mcp/contract/sites.js';
import { CreateWebhookRequestSchema, FormSettingsRequestSchema } from 'invoker-mcp/contract/forms.js';
import { AddDomainRequestSchema } from 'invoker-mcp/contract/domains.js';
import type { Services } from '../services/index.js';
import { meOf, type KeyPrincipal } from '../services/keys.js';
import { orgJson } from '../services/orgs.js';
import { publishVersion } from './routes/deploy.js';
import { checkInput, checkJsonInput } from './validate.js';

/** Drops unset options, as ApiClient leaves them out of the query string. */
function query(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== ''));
}

export function inProcessApi(services: Services, principal: KeyPrincipal, limits: { jsonDepth: number }): InvokerApi {
  const { sites, submissions, keys, orgs, webhooks, formSettings, domains, counters, sitePasswords } = services;
  const orgId = async (org: string | undefined) => (await orgs.reach(principal, org ?? 'c')).id;
  const body = <S extends z.ZodType>(schema: S, value: unknown): z.infer<S> => checkJsonInput(schema, value, limits.jsonDepth);

  return {
    async me() {
      return meOf(principal);
    },
    async deploy(input, org) {
      const where = await orgId(org);
      return sites.deploy(where, body(DeployRequestSchema, input));
    },
    async update(id, input, org) {
      const where = await orgId(org);
      return sites.update(where, id, body(UpdateRequestSchema, input));
    },
    async patch(id, input, org) {
      const where = await orgId(org);
      return sites.patch(where, id, body(PatchRequestSchema, input));
    },
    async publish(id, version, org) {
      const where = await orgId(org);
      return sites.publish(where, id, publishVersion(version === undefined ? {} : { version }));
    },
    async getDeploy(id, org) {
      return sites.get(await orgId(org), id);
    },
    async listDeploys(options = {}, org) {
      const where = await orgId(org);
      const q = checkInput(ListDeploysQuerySchema, query({ limit: options.limit, cursor: options.cursor }));
      return sites.list(where, { limit: q.limit ?? 20, cursor: q.cursor ?? null });
    },
    async listVersions(id, org) {
      return sites.versions(await orgId(org), id);
    },
    async deleteDeploy(id, org) {
      await sites.remove(await orgId(org), id);
    },
    async getSubmissions(id, options = {}, org) {
      const where = await orgId(org);
      const q = checkInput(SubmissionsQuerySchema, query({ page: options.page, limit: options.limit }));
      return submissions.list(where, id, { page: q.page ?? 1, limit: q.limit ?? 50 });
    },
    async deleteSubmission(id, submissionId, org) {
      await submissions.remove(await orgId(org), id, submissionId);
    },
    async exportSubmissions(id, org) {
      const { rows } = await submissions.exportCsv(await orgId(org), id);
      let csv = '';
      for await (const row of rows) csv += row;
      return csv;
    },
    async listApiKeys(org) {
      return keys.list(await orgId(org));
    },
    async createApiKey(name, org) {
      const where = await orgId(org);
      return keys.issue(where, principal.user.id, body(CreateApiKeyRequestSchema, { name }).name);
    },
    async revokeApiKey(id, org) {
      await keys.revoke(await orgId(org), id);
    },
    async getOrg(org) {
      return orgJson(await orgs.reach(principal, org ?? 'c'));
    },
    async listSubOrgs(org) {
      return orgs.listSubOrgs(await orgId(org));
    },
    async createSubOrg(name, org) {
      const where = await orgId(org);
      return orgs.createSubOrg(where, body(CreateOrgRequestSchema, { name }).name, principal.user.id);
    },
    async updateFormSettings(id, input, org) {
      const where = await orgId(org);
      return formSettings.update(where, id, body(FormSettingsRequestSchema, input));
    },
    async createWebhook(id, input, org) {
      const where = await orgId(org);
      return webhooks.create(where, id, body(CreateWebhookRequestSchema, input));
    },
    async listWebhooks(id, org) {
      return webhooks.list(await orgId(org), id);
    },
    async deleteWebhook(id, webhookId, org) {
      await webhooks.remove(await orgId(org), id, webhookId);
    },
    async addDomain(id, domain, org) {
      const where = await orgId(org);
      return (await domains.add(where, id, body(AddDomainRequestSchema, { domain }).domain)).domain;
    },
    async listDomains(id, org) {
      return domains.list(await orgId(org), id);
    },
    async removeDomain(id, domain, org) {
      await domains.remove(await orgId(org), id, domain);
    },
    async listCounters(id, org) {
      return counters.list(await orgId(org), id);
    },
    async sitePassword(id, org) {
      return sitePasswords.status(await orgId(org), id);
    },
    async removeSitePassword(id, org) {
      await sitePasswords.remove(await orgId(org), id);
    },
  };
}

/**
 * The remote tools' signed export link (export_submissions when the CSV is too large for the
 * conversation): the org reached as the API reaches it, the link made by the submissions service.
 */
export function exportLinkFor(services: Services, principal: KeyPrincipal, publicUrl: string) {
  return async (id: string, org?: string): Promise<{ url: string; expiresAt: string }> => {
    const link = await services.submissions.exportLink((await services.orgs.reach(principal, org ?? 'c')).id, id);
    return { url: `${publicUrl}${link.path}`, expiresAt: link.expiresAt };
  };
}

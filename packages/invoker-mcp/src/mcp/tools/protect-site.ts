import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

/** The dashboard page where the owner types the password: it never passes through the model. */
export function passwordPageUrl(dashboardUrl: string, id: string): string {
  return `${dashboardUrl}/sites/${encodeURIComponent(id)}/password`;
}

export const protectSiteTool = defineTool({
  name: 'protect_site',
  title: 'Protect a site',
  toolset: 'extras',
  description: 'Put a site behind a password the user sets on a page this opens (never in chat); remove: true opens it.',
  inputSchema: z.object({ deployment_id: siteId, remove: z.boolean().optional(), org: orgInput }),
  outputSchema: z.object({ id: z.string(), protected: z.boolean(), password_page: z.string() }),
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, remove, org }, ctx) {
    const api = await ctx.api();
    const site = await api.getDeploy(deployment_id, org);
    const page = passwordPageUrl(ctx.remote?.dashboardUrl ?? `${ctx.config.apiUrl}/dashboard`, site.id);
    if (remove) {
      await api.removeSitePassword(site.id, org);
      return { text: `${site.url} no longer asks for a password.`, structured: { id: site.id, protected: false, password_page: page } };
    }
    const before = await api.sitePassword(site.id, org);
    const shown = ctx.elicitUrl ? await ctx.elicitUrl(`Choose the password for ${site.url} on this page (it is not shared with the assistant).`, page).catch(() => false) : false;
    const state = before.protected ? 'It asks for a password now; a new one there replaces it.' : 'It is open until a password is set there.';
    const text = shown
      ? `Opened the password page for ${site.url}: ${page}. ${state}`
      : `Ask the user to open ${page} and choose the password for ${site.url} there (so it never passes through this chat). ${state}`;
    return { text, structured: { id: site.id, protected: before.protected, password_page: page } };
  },
});

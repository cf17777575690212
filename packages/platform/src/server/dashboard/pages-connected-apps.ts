// "Connected apps" (SPEC section 11): the OAuth grants the signed-in person gave (client, org,
// scopes, last used), each revocable; a revoked grant is refused on its very next request, on every
// instance (grants are never cached). Mounted on the dashboard's signed-in routes by routes.ts.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { OAuthGrant } from '../../oauth/tokens.js';
import type { AppDeps } from '../context.js';
import { oauthOf } from '../oauth-of.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, type Html, type PageFrame } from './layout.js';
import { readForm, type DashboardEnv } from './session.js';

export function connectedAppsPage(grants: OAuthGrant[], csrf: string): Html {
  return html`<h1>Connected apps</h1>
<p class="muted">Apps you allowed to use Invoker for you (claude.ai, ChatGPT, other remote MCP clients). Revoking one stops it at its next request.</p>
${
  grants.length === 0
    ? html`<div class="card"><p>No connected apps. Connect one with the URL <code>/mcp</code> of this server.</p></div>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">App</th><th scope="col">Organization</th><th scope="col">Permissions</th><th scope="col" class="wide">Connected</th><th scope="col">Last used</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead>
<tbody>${grants.map(
        (g) => html`<tr><td>${g.clientName}${g.clientKind === 'cimd' ? html` <span class="muted">(${new URL(g.clientId).host})</span>` : html` <span class="muted">(unverified)</span>`}</td>
<td>${g.orgName}</td><td>${g.scopes}</td><td class="wide">${g.createdAt}</td><td>${g.lastUsedAt ?? 'never'}</td>
<td><form method="post" action="/dashboard/apps/${g.id}/revoke"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="danger" aria-label="Revoke ${g.clientName}">Revoke</button></form></td></tr>`,
      )}</tbody></table></div>`
}`;
}

/** The page's two routes on the dashboard's signed-in app, with the dashboard's frame and redirects. */
export function mountConnectedApps(
  signedIn: Hono<DashboardEnv>,
  deps: AppDeps,
  view: { frame: (c: Context<DashboardEnv>, title: string, section: PageFrame['section'], notice?: PageFrame['notice']) => PageFrame; notice: (c: Context<DashboardEnv>) => PageFrame['notice']; back: (c: Context<DashboardEnv>, path: string, message: string) => Response },
): void {
  const tokens = oauthOf(deps).tokens;
  signedIn.get('/apps', async (c) => {
    const { session } = c.get('dash');
    return c.html(page(view.frame(c, 'Connected apps', 'apps', view.notice(c)), connectedAppsPage(await tokens.listGrants(session.userId), session.csrfToken)));
  });
  signedIn.post('/apps/:grantId/revoke', async (c) => {
    await readForm(c, DASHBOARD_FORMS.revokeApp);
    await tokens.revokeGrant(c.get('dash').session.userId, c.req.param('grantId'));
    return view.back(c, '/dashboard/apps', 'Access revoked: the app is refused from its next request on.');
  });
}

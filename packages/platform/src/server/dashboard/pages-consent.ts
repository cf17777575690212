// The OAuth consent page's views (SPEC section 11): sign in with the emailed code, then one form
// showing who asks (a verified host for a metadata-document client, an unverified name for a
// registered one), where it will send you back, the requested permissions ticked, your own org
// selected, and one primary button, "Allow". Every client-supplied string is escaped by hono/html;
// every form carries the authorization request back as hidden fields, checked again on each POST.
import { html } from 'hono/html';
import type { Org } from 'invoker-mcp/contract/account.js';
import { AUTHORIZE_PARAM_NAMES, type AuthorizationRequest, type AuthorizeParams } from '../../oauth/authorization.js';
import { SCOPE_WORDS, SCOPES } from '../../oauth/scopes.js';
import { orgLabel, page, type Html } from './layout.js';

type Notice = { kind: 'error' | 'info'; text: string } | undefined;

function requestFields(params: AuthorizeParams): Html {
  return html`${AUTHORIZE_PARAM_NAMES.map((name) => (params[name] === undefined ? '' : html`<input type="hidden" name="${name}" value="${params[name]}">`))}`;
}

/** Where the client sends the person back, as a person recognises it. */
export function redirectHost(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.host || `${url.protocol}//`;
}

function who(request: AuthorizationRequest): Html {
  const { client } = request;
  return client.verifiedHost
    ? html`<p><strong>${client.name}</strong> <span class="muted">(verified: ${client.verifiedHost})</span></p>`
    : html`<p><strong>${client.name}</strong> <span class="muted">(name given by the app itself, not verified)</span></p>`;
}

export function consentEmailPage(request: AuthorizationRequest, params: AuthorizeParams, notice?: Notice, email = ''): Html {
  return page(
    { title: 'Connect an app', notice },
    html`<h1>Connect an app to Invoker</h1>
<div class="card">
${who(request)}
<p>Sign in to choose what it may do. We will email you a 6-digit code; signing in the first time creates your account.</p>
<form method="post" action="/oauth/authorize/email">
${requestFields(params)}
<label for="email">Email</label>
<input id="email" type="email" name="email" autocomplete="email" required value="${email}">
<p><button type="submit">Email me a code</button></p>
</form>
</div>`,
  );
}

export function consentCodePage(request: AuthorizationRequest, params: AuthorizeParams, email: string, notice?: Notice): Html {
  return page(
    { title: 'Enter your code', notice: notice ?? { kind: 'info', text: `We sent a code to ${email} if it can receive mail.` } },
    html`<h1>Enter your code</h1>
<div class="card">
${who(request)}
<form method="post" action="/oauth/authorize/code">
${requestFields(params)}
<label for="code">6-digit code</label>
<input id="code" class="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required>
<p><button type="submit">Sign in</button></p>
</form>
</div>`,
  );
}

export function consentPage(view: { request: AuthorizationRequest; params: AuthorizeParams; email: string; csrf: string; orgs: Org[]; selectedOrg: string }, notice?: Notice): Html {
  const { request } = view;
  const asked = new Set(request.scopes);
  return page(
    { title: 'Allow access', notice },
    html`<h1>Allow access to Invoker?</h1>
<div class="card">
${who(request)}
<p>wants to act on your Invoker account <strong>${view.email}</strong>. After you allow it, you go back to <strong>${redirectHost(request.redirectUri)}</strong>.</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="_csrf" value="${view.csrf}">
${requestFields(view.params)}
<fieldset>
<legend>It may</legend>
${SCOPES.map(
      (s) => html`<p><label><input type="checkbox" name="grant_scope" value="${s}"${asked.has(s) ? html` checked` : ''}> ${SCOPE_WORDS[s]} <span class="muted">(${s})</span></label></p>`,
    )}
</fieldset>
<label for="org">Organization</label>
<select id="org" name="org">${view.orgs.map((o) => html`<option value="${o.id}"${o.id === view.selectedOrg ? html` selected` : ''}>${orgLabel(o)}</option>`)}</select>
<p class="row"><button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny" class="secondary">Cancel</button></p>
</form>
<p class="muted">You can revoke it at any time under Connected apps in the dashboard.</p>
</div>`,
  );
}

/** A request that cannot go back to its client (unknown client, unregistered redirect): said here. */
export function consentErrorPage(message: string): Html {
  return page({ title: 'Cannot connect', notice: { kind: 'error', text: message } }, html`<h1>This app cannot connect</h1>
<div class="card"><p>Nothing was shared. Go back to the app and start again; if it keeps failing, tell its developer the message above.</p></div>`);
}

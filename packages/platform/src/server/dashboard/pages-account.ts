// Dashboard pages for API keys and organizations.
import { html } from 'hono/html';
import type { ApiKey, Org } from 'invoker-mcp/contract/account.js';
import { when, type Html } from './layout.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** `name`: the name to fill in (a remote create_api_key sends the person here with it). */
export function keysPage(keys: ApiKey[], orgName: string, csrf: string, name = ''): Html {
  return html`<h1>API keys</h1>
<p class="muted">Keys of ${orgName}. Anyone with a key can act on this organization: keep them secret, revoke the ones you no longer use.</p>
${
  keys.length === 0
    ? html`<div class="card"><p>No keys yet.</p></div>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col" class="wide">Created</th><th scope="col">Last used</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead>
<tbody>${keys.map(
        (k) => html`<tr><td>${k.name}</td><td><code>${k.preview}</code></td><td class="wide">${when(k.created_at)}</td><td>${k.last_used_at ? when(k.last_used_at) : 'never'}</td>
<td><a href="/dashboard/keys/${k.id}/revoke">Revoke…</a></td></tr>`,
      )}</tbody></table></div>`
}
<h2>Create a key</h2>
<form method="post" action="/dashboard/keys" class="card">
${csrfField(csrf)}
<label for="name">Name (where the key will be used)</label>
<input id="name" type="text" name="name" maxlength="100" required placeholder="CI, Laptop, …" value="${name}">
<p><button type="submit">Create key</button></p>
</form>`;
}

export function newKeyPage(name: string, key: string): Html {
  return html`<h1>Your new API key</h1>
<div class="card">
<p><strong>Copy it now: you won't see it again.</strong> Invoker keeps only a hash of it.</p>
<p>Key "${name}":</p>
<code class="key" id="new-key">${key}</code>
<p class="row"><button type="button" data-copy="new-key" hidden>Copy to clipboard</button> <a href="/dashboard/keys">Done</a></p>
<p class="muted">Use it as <code>INVOKER_API_KEY</code>, or send it as <code>Authorization: Bearer …</code>.</p>
</div>`;
}

export function confirmRevokePage(key: ApiKey, csrf: string): Html {
  return html`<h1>Revoke "${key.name}"?</h1>
<div class="card">
<p>Anything using <code>${key.preview}</code> (last used ${key.last_used_at ?? 'never'}) is refused from its next request on. This cannot be undone.</p>
<form method="post" action="/dashboard/keys/${key.id}/revoke">${csrfField(csrf)}<button type="submit" class="danger">Revoke key</button> <a href="/dashboard/keys">Cancel</a></form>
</div>`;
}

export function orgsPage(current: Org, orgs: Org[], subs: Org[], csrf: string): Html {
  const top = current.parent_id === null;
  return html`<h1>Organizations</h1>
<div class="card">
<p>You are working in <strong>${current.name}</strong>${top ? '' : ' (a sub-organization)'}. Switch with the menu at the top; everything shown is scoped to the selected organization.</p>
<p class="muted">Its id for the API and the tools' <code>org</code> argument: <code>${current.id}</code></p>
</div>
<h2>Your organizations</h2>
<ul>${orgs.map((o) => html`<li>${o.name}${o.parent_id ? html` <span class="muted">(sub-organization)</span>` : ''} <code class="muted">${o.id}</code></li>`)}</ul>
${
  top
    ? html`<h2>Sub-organizations of ${current.name}</h2>
${subs.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul>${subs.map((s) => html`<li>${s.name}</li>`)}</ul>`}
<form method="post" action="/dashboard/orgs" class="card">
${csrfField(csrf)}
<label for="org-name">New sub-organization (e.g. one per client)</label>
<input id="org-name" type="text" name="name" maxlength="100" required>
<p><button type="submit">Create sub-organization</button></p>
</form>`
    : html`<p class="muted">Sub-organizations cannot have their own sub-organizations.</p>`
}`;
}

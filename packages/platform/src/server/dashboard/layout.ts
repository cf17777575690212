// The dashboard's page shell: landmarks, a skip link, the org switcher and navigation. Every value
// goes through hono/html's escaping; nothing user-supplied is ever inserted raw.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Org } from 'invoker-mcp/contract/account.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageFrame {
  title: string;
  /** The nav entry to mark as current. */
  section?: 'sites' | 'keys' | 'orgs' | 'apps';
  /** Signed-in chrome; absent on the sign-in pages. */
  session?: { email: string; csrf: string; org: Org; orgs: Org[] };
  notice?: { kind: 'ok' | 'error' | 'info'; text: string } | undefined;
}

function nav(current: PageFrame['section']) {
  const link = (href: string, label: string, key: PageFrame['section']) =>
    key === current ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`;
  return html`<nav aria-label="Dashboard">${link('/dashboard', 'Sites', 'sites')}${link('/dashboard/keys', 'API keys', 'keys')}${link('/dashboard/orgs', 'Organizations', 'orgs')}${link('/dashboard/apps', 'Connected apps', 'apps')}</nav>`;
}

const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

/** A stored timestamp as people read it ("2 Dec 2026, 00:31 UTC"), machine-readable in datetime. */
export function when(iso: string): Html {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? html`${iso}` : html`<time datetime="${iso}">${WHEN.format(date)} UTC</time>`;
}

export function orgLabel(org: Org): string {
  return org.parent_id === null ? org.name : `${org.name} (sub-org)`;
}

export function page(frame: PageFrame, body: Html): Html {
  const s = frame.session;
  const notice = frame.notice ? html`<p class="notice ${frame.notice.kind}" role="status">${frame.notice.text}</p>` : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${frame.title} · Invoker</title>
<link rel="stylesheet" href="/dashboard/assets/app.css">
<script src="/dashboard/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="bar">
<a class="brand" href="/dashboard">Invoker</a>
${s ? nav(frame.section) : ''}
${
  s
    ? html`<div class="who">
<form method="post" action="/dashboard/org" class="row">
<input type="hidden" name="_csrf" value="${s.csrf}">
<label for="org-switch">Organization</label>
<select id="org-switch" name="org_id">${s.orgs.map((o) => html`<option value="${o.id}"${o.id === s.org.id ? html` selected` : ''}>${orgLabel(o)}</option>`)}</select>
<button type="submit" class="secondary">Switch</button>
</form>
<span>${s.email}</span>
<form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="${s.csrf}"><button type="submit" class="secondary">Sign out</button></form>
</div>`
    : ''
}
</div></header>
<main id="main">
${notice}
${body}
</main>
</body>
</html>`;
}

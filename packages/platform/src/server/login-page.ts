// The /auth/login page, rendered on the server: plain HTML forms that work without script, styled
// by the dashboard's stylesheet from the same origin, no external requests. The CSP forbids every script.

export type LoginView =
  | { kind: 'ask_user_code'; message?: string }
  | { kind: 'email'; userCode: string; clientName: string; createdAt: string; message?: string }
  | { kind: 'code'; userCode: string; clientName: string; email: string; message?: string }
  | { kind: 'done'; email: string; clientName: string }
  | { kind: 'ended'; message: string };

/** The dashboard's stylesheet (dashboard/assets.ts): the sign-in for an app looks like the dashboard's own. */
export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function message(text: string | undefined): string {
  return text ? `<p class="notice error" role="alert">${esc(text)}</p>` : '';
}

function header(userCode: string, clientName: string, extra = ''): string {
  return (
    `<p>Signing in <strong>${esc(clientName)}</strong>. Check that your app shows this code:</p>` +
    `<p class="user-code" aria-label="Request code">${esc(userCode)}</p>${extra}`
  );
}

function body(view: LoginView): string {
  switch (view.kind) {
    case 'ask_user_code':
      return (
        `<h1>Sign in to Invoker</h1>${message(view.message)}` +
        '<form method="get" action="/auth/login"><label for="code">Code shown by your app</label>' +
        '<input id="code" name="code" required autocomplete="off" autocapitalize="characters" placeholder="BCDF-GHJK">' +
        '<button type="submit">Continue</button></form>'
      );
    case 'email':
      return (
        `<h1>Sign in to Invoker</h1>` +
        header(view.userCode, view.clientName, `<p class="muted">Requested ${esc(view.createdAt.slice(0, 16).replace('T', ' '))} UTC</p>`) +
        message(view.message) +
        '<form method="post" action="/auth/otp">' +
        `<input type="hidden" name="user_code" value="${esc(view.userCode)}">` +
        '<label for="email">Your email</label>' +
        '<input id="email" name="email" type="email" required autocomplete="email" inputmode="email">' +
        '<button type="submit">Email me a code</button></form>' +
        '<p class="muted">We send a 6-digit code to this address. No password needed.</p>'
      );
    case 'code':
      return (
        `<h1>Check your email</h1>` +
        header(view.userCode, view.clientName) +
        message(view.message) +
        '<form method="post" action="/auth/verify">' +
        `<input type="hidden" name="user_code" value="${esc(view.userCode)}">` +
        `<label for="otp">6-digit code sent to ${esc(view.email)}</label>` +
        '<input id="otp" name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code">' +
        '<button type="submit">Sign in</button></form>' +
        `<p class="muted">No mail? Check spam, or <a href="/auth/login?code=${encodeURIComponent(view.userCode)}">use another address</a>.</p>`
      );
    case 'done':
      return (
        '<h1>Signed in — you can close this tab</h1>' +
        `<p>${esc(view.clientName)} is now signed in as <strong>${esc(view.email)}</strong>. Go back to it and carry on.</p>`
      );
    case 'ended':
      return `<h1>This sign-in is over</h1>${message(view.message)}`;
  }
}

export function renderLoginPage(view: LoginView): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
    '<title>Sign in to Invoker</title><link rel="stylesheet" href="/dashboard/assets/app.css"></head>' +
    '<body><header class="top"><div class="bar"><span class="brand">Invoker</span></div></header>' +
    `<main id="main" class="narrow"><div class="card">${body(view)}</div></main></body></html>`
  );
}

// The /auth/login page, rendered on the server: plain HTML forms that work without script, one
// inline stylesheet allowed by its hash, no external requests. The CSP forbids every script.
import { createHash } from 'node:crypto';

export type LoginView =
  | { kind: 'ask_user_code'; message?: string }
  | { kind: 'email'; userCode: string; clientName: string; createdAt: string; message?: string }
  | { kind: 'code'; userCode: string; clientName: string; email: string; message?: string }
  | { kind: 'done'; email: string; clientName: string }
  | { kind: 'ended'; message: string };

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;display:flex;justify-content:center;padding:48px 16px;background:Canvas;color:CanvasText}
main{max-width:420px;width:100%}
h1{font-size:1.5rem;margin:0 0 16px}
.code{font:700 1.75rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.15em;margin:8px 0}
.muted{opacity:.75;font-size:.95rem}
.msg{border-left:4px solid #c2410c;padding:8px 12px;margin:16px 0;background:rgba(194,65,12,.08)}
label{display:block;font-weight:600;margin:16px 0 6px}
input{box-sizing:border-box;width:100%;font-size:1.1rem;padding:10px;border:1px solid #767676;border-radius:6px}
button{margin-top:16px;font-size:1rem;padding:10px 18px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
`;

export const LOGIN_PAGE_CSP =
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function message(text: string | undefined): string {
  return text ? `<p class="msg" role="alert">${esc(text)}</p>` : '';
}

function header(userCode: string, clientName: string, extra = ''): string {
  return (
    `<p>Signing in <strong>${esc(clientName)}</strong>. Check that your app shows this code:</p>` +
    `<p class="code" aria-label="Request code">${esc(userCode)}</p>${extra}`
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
    `<title>Sign in to Invoker</title><style>${STYLE}</style></head><body><main>${body(view)}</main></body></html>`
  );
}

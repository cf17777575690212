// The plain page the platform shows where a visitor (not a signed-in owner) lands on one of its own
// answers: a site's "not found", the thank-you page after a form post, a form post that failed. One
// look for all of them; no script, styles inline (each answer's CSP allows exactly that), every
// value escaped.

export interface MessagePage {
  /** The document title and the heading. */
  title: string;
  paragraphs: string[];
  link?: { href: string; text: string } | null;
}

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.5rem}a{color:#1d4ed8}';

/** The Content-Security-Policy for a message page: its inline style and nothing else. */
export const MESSAGE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function messagePage(content: MessagePage): string {
  const title = escapeHtml(content.title);
  const paragraphs = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const link = content.link ? `<p><a href="${escapeHtml(content.link.href)}">${escapeHtml(content.link.text)}</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body><main><h1>${title}</h1>${paragraphs}${link}</main></body></html>`;
}

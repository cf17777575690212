// Deterministic page bodies of a given size, so ours and the baselines carry the same bytes.

/**
 * The Open Graph and Twitter tags of a page made for sharing: with them serve adds none
 * (services/social-preview.ts) and sends exactly the bytes deployed, as the baselines do. Serve
 * still does its per-request check for them.
 */
export function socialTags(label: string): string {
  return (
    `<meta property="og:title" content="${label}"><meta property="og:description" content="An Invoker benchmark page.">` +
    `<meta property="og:url" content="https://example.com/${label}/"><meta property="og:image" content="https://example.com/${label}/og.png">` +
    '<meta name="twitter:card" content="summary_large_image">'
  );
}

export function htmlPage(bytes: number, label = 'bench'): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${label}</title>${socialTags(label)}</head><body><main>`;
  const tail = '</main></body></html>\n';
  const paragraph = '<p>Invoker benchmark page: a paragraph of ordinary text, repeated to reach the size.</p>\n';
  let body = '';
  while (head.length + body.length + paragraph.length + tail.length <= bytes) body += paragraph;
  body += ' '.repeat(Math.max(0, bytes - head.length - body.length - tail.length));
  return head + body + tail;
}

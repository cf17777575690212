// Deterministic page bodies of a given size, so ours and the baselines carry the same bytes.

export function htmlPage(bytes: number, label = 'bench'): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${label}</title></head><body><main>`;
  const tail = '</main></body></html>\n';
  const paragraph = '<p>Invoker benchmark page: a paragraph of ordinary text, repeated to reach the size.</p>\n';
  let body = '';
  while (head.length + body.length + paragraph.length + tail.length <= bytes) body += paragraph;
  body += ' '.repeat(Math.max(0, bytes - head.length - body.length - tail.length));
  return head + body + tail;
}

// Builds the site card (packages/invoker-mcp/card/) into one self-contained document,
// packages/invoker-mcp/dist/card/site.html: its script bundled with the ext-apps library (a
// build-time dependency: nothing of it is installed with invoker-mcp), minified, and inlined with
// the styles. Nothing in it loads from elsewhere. Run by the invoker-mcp package's build.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { build } from 'rolldown';

const CARD = new URL('../packages/invoker-mcp/card/', import.meta.url);
const OUT = new URL('../packages/invoker-mcp/dist/card/site.html', import.meta.url);

const bundle = await build({
  input: new URL('site-card.ts', CARD).pathname,
  platform: 'browser',
  write: false,
  logLevel: 'warn',
  output: { format: 'iife', minify: true },
});
const [chunk] = bundle.output;
// "</script" inside the script would end it early; a module never needs it spelled that way.
const script = chunk.code.replace(/<\/(script)/gi, '<\\/$1');
const template = await readFile(new URL('site-card.html', CARD), 'utf8');
const style = await readFile(new URL('site-card.css', CARD), 'utf8');
const html = template.replace('/*STYLE*/', () => style).replace('/*SCRIPT*/', () => script);
await mkdir(new URL('.', OUT), { recursive: true });
await writeFile(OUT, html);
process.stdout.write(`site card: ${OUT.pathname} (${Math.round(html.length / 1024)} KB)\n`);

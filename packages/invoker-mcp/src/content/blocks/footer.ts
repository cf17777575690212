import { checkUrl, esc } from '../html.js';
import type { Props } from '../props.js';
import { linkItems } from './shared.js';
import { defineBlock, type RenderContext } from './types.js';

const CSS = `.footer{border-top:var(--border-width) solid var(--border);padding:var(--s-4) 0;color:var(--muted)}
.footer .wrap{display:flex;flex-wrap:wrap;gap:var(--s-2) var(--s-4);justify-content:space-between;align-items:flex-start}
.footer ul{display:flex;flex-wrap:wrap;gap:var(--s-1) var(--s-3);list-style:none;margin:0;padding:0}
.footer a{color:var(--muted)}
.footer .cols{display:grid;gap:var(--s-3);grid-template-columns:repeat(auto-fit,minmax(min(100%,9rem),1fr));flex:1 1 24rem}
.footer .cols ul{flex-direction:column}
.footer h2{font-size:1rem;color:var(--text)}`;

const linkItem = {
  label: { type: 'text', description: 'Link text', default: 'Link' },
  href: { type: 'url', description: 'Link target', default: '#' },
} as const;

/** The small print: as given, or "© {year} {page title}" by default. */
const smallPrint = (p: Props, ctx: RenderContext) => p.text('text') || `© ${ctx.page.year} ${ctx.page.title}`;

const footerNav = (ctx: RenderContext, className: string, inner: string) =>
  inner && `<nav${className ? ` class="${className}"` : ''} aria-label="${esc(ctx.landmark('Footer'))}">${inner}</nav>`;

export const footerBlocks = [
  defineBlock({
    id: 'footer',
    category: 'footer',
    description: 'One-line footer: small print on the left, a row of links on the right.',
    props: {
      text: { type: 'text', description: 'Small print; empty: "© {this year} {page title}"', default: '' },
      links: {
        type: 'list',
        description: 'Footer links; an in-page link goes to the block that fits it and is left out when none does',
        default: [
          { label: 'Contact', href: '#contact' },
          { label: 'FAQ', href: '#faq' },
          { label: 'Back to top', href: '#' },
        ],
        item: linkItem,
        max: 10,
      },
    },
    css: CSS,
    render: (p, ctx) => {
      const items = linkItems(ctx, p.list('links').map((l) => ({ href: l.text('href'), label: l.text('label') })));
      return `<div class="footer"><div class="wrap"><p class="small">${esc(smallPrint(p, ctx))}</p>${footerNav(ctx, '', items && `<ul>${items}</ul>`)}</div></div>`;
    },
  }),
  defineBlock({
    id: 'footer-columns',
    category: 'footer',
    description: 'Footer with the brand and a tagline plus columns of links (product, company, legal…).',
    props: {
      brand: { type: 'text', description: 'Name shown at the left; empty: the page title', default: '' },
      tagline: { type: 'text', description: 'One line under the name; empty hides it', default: '' },
      columns: {
        type: 'list',
        description: 'Columns: a title and links as "Label|URL" pairs separated by semicolons; in-page links go to the block that fits them, and a column left without links is left out',
        default: [
          { title: 'Product', links: 'Features|#features; Pricing|#pricing; FAQ|#faq' },
          { title: 'Company', links: 'About|#about; Contact|#contact' },
        ],
        item: {
          title: { type: 'text', description: 'Column title', default: 'Links' },
          links: { type: 'text', description: '"Label|URL" pairs separated by semicolons', default: '' },
        },
        max: 5,
      },
      text: { type: 'text', description: 'Small print; empty: "© {this year} {page title}"', default: '' },
    },
    css: CSS,
    render: (p, ctx) => {
      const columns = p
        .list('columns')
        .map((c) => ({ title: c.text('title'), items: linkItems(ctx, pairs(c.text('links')).map(([label, href]) => ({ label, href }))) }))
        .filter((c) => c.items)
        .map((c) => `<div>${ctx.subheading(c.title)}<ul>${c.items}</ul></div>`)
        .join('');
      return (
        `<div class="footer"><div class="wrap"><div><p><strong>${esc(p.text('brand') || ctx.page.title)}</strong></p>${p.text('tagline') ? `<p class="small">${esc(p.text('tagline'))}</p>` : ''}` +
        `<p class="small">${esc(smallPrint(p, ctx))}</p></div>${footerNav(ctx, 'cols', columns)}</div></div>`
      );
    },
  }),
];

function pairs(text: string): Array<[string, string]> {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const [label = '', href = '#'] = pair.split('|').map((x) => x.trim());
      return [label, checkUrl(href, 'columns.links')];
    });
}

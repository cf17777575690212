import { checkUrl, esc, link } from '../html.js';
import { defineBlock } from './types.js';

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

export const footerBlocks = [
  defineBlock({
    id: 'footer',
    category: 'footer',
    description: 'One-line footer: small print on the left, a row of links on the right.',
    props: {
      text: { type: 'text', description: 'Small print, e.g. "© 2026 Acme"', default: '© 2026 Acme. All rights reserved.' },
      links: {
        type: 'list',
        description: 'Footer links',
        default: [
          { label: 'Privacy', href: '#' },
          { label: 'Contact', href: 'mailto:hello@example.com' },
        ],
        item: linkItem,
        max: 10,
      },
    },
    css: CSS,
    render: (p) =>
      `<div class="footer"><div class="wrap"><p class="small">${esc(p.text('text'))}</p>` +
      `<nav aria-label="Footer"><ul>${p.list('links').map((l) => `<li>${link(l.text('href'), l.text('label'))}</li>`).join('')}</ul></nav></div></div>`,
  }),
  defineBlock({
    id: 'footer-columns',
    category: 'footer',
    description: 'Footer with the brand and a tagline plus columns of links (product, company, legal…).',
    props: {
      brand: { type: 'text', description: 'Name shown at the left', default: 'Acme' },
      tagline: { type: 'text', description: 'One line under the name; empty hides it', default: 'Tools for small teams.' },
      columns: {
        type: 'list',
        description: 'Columns: a title and links as "Label|URL" pairs separated by semicolons',
        default: [
          { title: 'Product', links: 'Features|#features; Pricing|#pricing; FAQ|#faq' },
          { title: 'Company', links: 'About|#about; Contact|mailto:hello@example.com' },
        ],
        item: {
          title: { type: 'text', description: 'Column title', default: 'Links' },
          links: { type: 'text', description: '"Label|URL" pairs separated by semicolons', default: '' },
        },
        max: 5,
      },
      text: { type: 'text', description: 'Small print', default: '© 2026 Acme' },
    },
    css: CSS,
    render: (p, ctx) =>
      `<div class="footer"><div class="wrap"><div><p><strong>${esc(p.text('brand'))}</strong></p>${p.text('tagline') ? `<p class="small">${esc(p.text('tagline'))}</p>` : ''}<p class="small">${esc(p.text('text'))}</p></div>` +
      `<nav class="cols" aria-label="Footer">` +
      p
        .list('columns')
        .map((c) => `<div>${ctx.subheading(c.text('title'))}<ul>${pairs(c.text('links')).map(([label, href]) => `<li>${link(href, label)}</li>`).join('')}</ul></div>`)
        .join('') +
      `</nav></div></div>`,
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

import { join, link } from '../html.js';
import type { PropSpecs } from '../props.js';
import { defineBlock } from './types.js';

const CSS = `.nav{border-bottom:var(--border-width) solid var(--border)}
.nav .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:var(--s-1) var(--s-3);padding-top:var(--s-2);padding-bottom:var(--s-2)}
.brand{font-family:var(--font-heading);font-weight:800;font-size:1.2rem;color:var(--text);text-decoration:none}
.nav ul{display:flex;flex-wrap:wrap;gap:var(--s-1) var(--s-3);list-style:none;margin:0;padding:0;align-items:center}
.nav ul a:not(.btn){color:var(--text);text-decoration:none;padding:.4rem 0;display:inline-block}
.nav ul a:not(.btn):hover{color:var(--primary);text-decoration:underline}`;

const brand: PropSpecs = {
  brand: { type: 'text', description: 'Site or product name shown at the left', default: 'Acme' },
  brandHref: { type: 'url', description: 'Where the brand links to', default: '#' },
};

export const navBlocks = [
  defineBlock({
    id: 'navbar',
    category: 'navigation',
    description: 'Top bar with the brand, a row of links (wraps on phones) and an optional button.',
    props: {
      ...brand,
      links: {
        type: 'list',
        description: 'Navigation links, usually anchors to sections (#features)',
        default: [
          { label: 'Features', href: '#features' },
          { label: 'Pricing', href: '#pricing' },
          { label: 'FAQ', href: '#faq' },
        ],
        item: {
          label: { type: 'text', description: 'Link text', default: 'Link' },
          href: { type: 'url', description: 'Link target', default: '#' },
        },
        max: 8,
      },
      ctaLabel: { type: 'text', description: 'Button text; empty hides the button', default: 'Get started' },
      ctaHref: { type: 'url', description: 'Button target', default: '#signup' },
    },
    css: CSS,
    render: (p) =>
      `<nav class="nav" aria-label="Main"><div class="wrap">${link(p.text('brandHref'), p.text('brand'), 'brand')}<ul>` +
      p.list('links').map((l) => `<li>${link(l.text('href'), l.text('label'))}</li>`).join('') +
      join([p.text('ctaLabel') && `<li>${link(p.text('ctaHref'), p.text('ctaLabel'), 'btn')}</li>`]) +
      `</ul></div></nav>`,
  }),
  defineBlock({
    id: 'navbar-minimal',
    category: 'navigation',
    description: 'Slim top bar with only the brand and one optional link, for single-purpose pages.',
    props: {
      ...brand,
      linkLabel: { type: 'text', description: 'Text of the link at the right; empty hides it', default: '' },
      linkHref: { type: 'url', description: 'Target of that link', default: '#' },
    },
    css: CSS,
    render: (p) =>
      `<nav class="nav" aria-label="Main"><div class="wrap">${link(p.text('brandHref'), p.text('brand'), 'brand')}` +
      join([p.text('linkLabel') && `<ul><li>${link(p.text('linkHref'), p.text('linkLabel'))}</li></ul>`]) +
      `</div></nav>`,
  }),
];

import { esc, join } from '../html.js';
import type { Props, PropSpecs } from '../props.js';
import { linkItems } from './shared.js';
import { defineBlock, type RenderContext } from './types.js';

const CSS = `.nav{border-bottom:var(--border-width) solid var(--border)}
.nav .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:var(--s-1) var(--s-3);padding-top:var(--s-2);padding-bottom:var(--s-2)}
.brand{font-family:var(--font-heading);font-weight:800;font-size:1.2rem;color:var(--text);text-decoration:none}
.nav ul{display:flex;flex-wrap:wrap;gap:var(--s-1) var(--s-3);list-style:none;margin:0;padding:0;align-items:center}
.nav ul a:not(.btn){color:var(--text);text-decoration:none;padding:.4rem 0;display:inline-block}
.nav ul a:not(.btn):hover{color:var(--primary);text-decoration:underline}`;

const brand: PropSpecs = {
  brand: { type: 'text', description: 'Site or product name shown at the left; empty: the page title', default: '' },
  brandHref: { type: 'url', description: 'Where the brand links to (# is the top of the page)', default: '#' },
};

const brandLink = (p: Props, ctx: RenderContext) => ctx.link(p.text('brandHref'), p.text('brand') || ctx.page.title, 'brand') || `<span class="brand">${esc(p.text('brand') || ctx.page.title)}</span>`;
const nav = (ctx: RenderContext, inner: string) => `<nav class="nav" aria-label="${esc(ctx.landmark('Main'))}"><div class="wrap">${inner}</div></nav>`;

export const navBlocks = [
  defineBlock({
    id: 'navbar',
    category: 'navigation',
    description: 'Top bar with the brand, a row of links (wraps on phones) and an optional button.',
    props: {
      ...brand,
      links: {
        type: 'list',
        description: 'Navigation links, usually to sections (#features); an in-page link goes to the block that fits it and is left out when none does',
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
      ctaHref: { type: 'url', description: 'Button target (by default the form on the page; no form, no button)', default: '#signup' },
    },
    css: CSS,
    render: (p, ctx) => {
      const cta = p.text('ctaLabel') && ctx.link(p.text('ctaHref'), p.text('ctaLabel'), 'btn');
      const items = linkItems(ctx, p.list('links').map((l) => ({ href: l.text('href'), label: l.text('label') }))) + join([cta && `<li>${cta}</li>`]);
      return nav(ctx, brandLink(p, ctx) + (items ? `<ul>${items}</ul>` : ''));
    },
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
    render: (p, ctx) => {
      const item = p.text('linkLabel') && linkItems(ctx, [{ href: p.text('linkHref'), label: p.text('linkLabel') }]);
      return nav(ctx, brandLink(p, ctx) + (item ? `<ul>${item}</ul>` : ''));
    },
  }),
];

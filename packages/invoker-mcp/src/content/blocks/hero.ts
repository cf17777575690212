import { esc, join } from '../html.js';
import { actionProps, actions, anchorAttr, anchorProp, paragraph } from './shared.js';
import { defineBlock, type RenderContext } from './types.js';

const CSS = `.hero{padding:calc(var(--s-section)*1.2) 0}
.eyebrow{display:inline-block;font-size:var(--fs-small);font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--primary);margin-bottom:var(--s-1)}
.split{display:grid;gap:var(--s-4);align-items:center;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr))}
.avatar{display:grid;place-items:center;width:6rem;height:6rem;margin:0 auto var(--s-2);border-radius:50%;background:var(--primary);color:var(--on-primary);font:800 2rem var(--font-heading)}
.checks{list-style:none;padding:0;margin:0;display:grid;gap:var(--s-1)}
.checks li::before{content:"✓";color:var(--primary);font-weight:800;margin-right:.6em}`;

const textProps = {
  eyebrow: { type: 'text', description: 'Small label above the title; empty hides it', default: '' },
  title: { type: 'text', description: 'The main headline', default: 'Launch something people love' },
  subtitle: {
    type: 'text',
    description: 'One or two sentences under the headline',
    default: 'Tell visitors what this is, who it is for and why it matters, in one breath.',
  },
} as const;

const intro = (p: Parameters<typeof actions>[0], ctx: RenderContext) =>
  join([p.text('eyebrow') && `<span class="eyebrow">${esc(p.text('eyebrow'))}</span>`, ctx.heading(p.text('title')), paragraph(p.text('subtitle'), 'lead')]);

export const heroBlocks = [
  defineBlock({
    id: 'hero-centered',
    category: 'hero',
    description: 'Centred headline, subtitle and up to two buttons: the classic landing page opener.',
    props: { ...anchorProp, ...textProps, ...actionProps },
    css: CSS,
    render: (p, ctx) => `<section class="hero center"${anchorAttr(p)}><div class="wrap narrow">${intro(p, ctx)}${actions(p, ctx)}</div></section>`,
  }),
  defineBlock({
    id: 'hero-split',
    category: 'hero',
    description: 'Headline and buttons on the left, a card of highlight bullet points on the right (stacks on phones).',
    props: {
      ...anchorProp,
      ...textProps,
      ...actionProps,
      highlights: {
        type: 'list',
        description: 'Short points shown in the side card',
        default: [{ text: 'Set up in minutes' }, { text: 'No credit card needed' }, { text: 'Cancel any time' }],
        item: { text: { type: 'text', description: 'One highlight', default: 'Highlight' } },
        max: 8,
      },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="hero"${anchorAttr(p)}><div class="wrap split"><div>${intro(p, ctx)}${actions(p, ctx)}</div>` +
      `<div class="card"><ul class="checks">${p.list('highlights').map((h) => `<li>${esc(h.text('text'))}</li>`).join('')}</ul></div></div></section>`,
  }),
  defineBlock({
    id: 'hero-minimal',
    category: 'hero',
    description: 'Compact title and subtitle without buttons, for forms and simple pages.',
    props: { ...anchorProp, ...textProps },
    css: CSS,
    render: (p, ctx) => `<section class="section center"${anchorAttr(p)}><div class="wrap narrow">${intro(p, ctx)}</div></section>`,
  }),
  defineBlock({
    id: 'hero-profile',
    category: 'hero',
    description: 'A person or brand: initials avatar, name and short bio, for link-in-bio pages and portfolios.',
    props: {
      ...anchorProp,
      name: { type: 'text', description: 'Name shown as the heading', default: 'Alex Rivera' },
      initials: { type: 'text', description: 'One to three letters in the avatar circle', default: 'AR' },
      bio: { type: 'text', description: 'One or two sentences about the person', default: 'Designer and maker. Writing about craft, tools and small businesses.' },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section center"${anchorAttr(p)}><div class="wrap narrow"><div class="avatar" aria-hidden="true">${esc(p.text('initials').slice(0, 3))}</div>` +
      `${ctx.heading(p.text('name'))}${paragraph(p.text('bio'), 'lead')}</div></section>`,
  }),
];

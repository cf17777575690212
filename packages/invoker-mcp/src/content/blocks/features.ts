import { esc } from '../html.js';
import type { PropSpecs } from '../props.js';
import { anchorAttr, anchorProp, paragraph } from './shared.js';
import { defineBlock } from './types.js';

const CSS = `.icon{display:inline-grid;place-items:center;width:2.75rem;height:2.75rem;border-radius:var(--radius);background:var(--bg);border:var(--border-width) solid var(--border);font-size:1.4rem;margin-bottom:var(--s-1)}
.steps{counter-reset:step;list-style:none;padding:0;margin:0;display:grid;gap:var(--s-3);grid-template-columns:repeat(auto-fit,minmax(min(100%,14rem),1fr))}
.steps li{counter-increment:step}
.steps li::before{content:counter(step);display:grid;place-items:center;width:2.5rem;height:2.5rem;border-radius:50%;background:var(--primary);color:var(--on-primary);font-weight:800;margin-bottom:var(--s-1)}
.rows{display:grid;gap:var(--s-3)}
.row{display:grid;gap:var(--s-2);grid-template-columns:repeat(auto-fit,minmax(min(100%,18rem),1fr));align-items:start;padding-bottom:var(--s-3);border-bottom:var(--border-width) solid var(--border)}`;

export const sectionHeader: PropSpecs = {
  ...anchorProp,
  title: { type: 'text', description: 'Section heading', default: 'Why people choose us' },
  intro: { type: 'text', description: 'Sentence under the heading; empty hides it', default: '' },
};

const items = (def: Array<Record<string, string>>, withIcon: boolean): PropSpecs[string] => ({
  type: 'list',
  description: withIcon ? 'Items: an emoji icon (decorative), a title and a sentence' : 'Items: a title and a sentence',
  default: def,
  item: {
    ...(withIcon ? { icon: { type: 'text', description: 'An emoji, shown decoratively', default: '✨' } } : {}),
    title: { type: 'text', description: 'Item title', default: 'Feature' },
    text: { type: 'text', description: 'One or two sentences', default: '' },
  },
  max: 12,
});

// Default icons are symbols found in common system fonts; colour emoji show as boxes where no
// emoji font is installed (many Linux machines).
const FEATURES = [
  { icon: '⚡', title: 'Fast', text: 'Pages load in a blink on any connection.' },
  { icon: '☂', title: 'Private', text: 'Your data stays yours. No trackers, no ads.' },
  { icon: '★', title: 'Simple', text: 'Everything you need and nothing you do not.' },
];

export const featureBlocks = [
  defineBlock({
    id: 'features-grid',
    category: 'features',
    description: 'Heading plus a responsive grid of cards, each with an emoji icon, title and text.',
    props: { ...sectionHeader, items: items(FEATURES, true) },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<div class="grid">` +
      p
        .list('items')
        .map((i) => `<div class="card"><span class="icon" aria-hidden="true">${esc(i.text('icon'))}</span>${ctx.subheading(i.text('title'))}${paragraph(i.text('text'), 'muted')}</div>`)
        .join('') +
      `</div></div></section>`,
  }),
  defineBlock({
    id: 'features-rows',
    category: 'features',
    description: 'Heading plus rows of title and explanation side by side (stacked on phones), for detail.',
    props: { ...sectionHeader, title: { ...sectionHeader.title!, default: 'What you get' } as PropSpecs[string], items: items(FEATURES.map(({ title, text }) => ({ title, text })), false) },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<div class="rows">` +
      p.list('items').map((i) => `<div class="row">${ctx.subheading(i.text('title'))}${paragraph(i.text('text'), 'muted')}</div>`).join('') +
      `</div></div></section>`,
  }),
  defineBlock({
    id: 'steps',
    category: 'features',
    description: 'Numbered "how it works" steps in a row (stacked on phones).',
    props: {
      ...sectionHeader,
      title: { ...sectionHeader.title!, default: 'How it works' } as PropSpecs[string],
      items: items(
        [
          { title: 'Sign up', text: 'Leave your email, it takes ten seconds.' },
          { title: 'Get access', text: 'We send your invite as soon as a spot opens.' },
          { title: 'Enjoy', text: 'Start using it the same day.' },
        ],
        false,
      ),
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section alt"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<ol class="steps">` +
      p.list('items').map((i) => `<li>${ctx.subheading(i.text('title'))}${paragraph(i.text('text'), 'muted')}</li>`).join('') +
      `</ol></div></section>`,
  }),
];

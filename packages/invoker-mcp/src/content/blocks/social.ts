import { esc } from '../html.js';
import { anchorAttr, paragraph } from './shared.js';
import { sectionHeader } from './features.js';
import { defineBlock } from './types.js';

const CSS = `.quote{margin:0;display:flex;flex-direction:column;gap:var(--s-2)}
.quote blockquote{margin:0;font-size:1.1rem}
.quote figcaption{color:var(--muted)}
.quote figcaption strong{color:var(--text);display:block}
.big-quote blockquote{font:500 var(--fs-3)/1.4 var(--font-heading)}
.logos{display:flex;flex-wrap:wrap;justify-content:center;gap:var(--s-2) var(--s-4);list-style:none;padding:0;margin:0}
.logos li{font:800 1.25rem var(--font-heading);color:var(--muted)}`;

const person = {
  name: { type: 'text', description: 'Who said it', default: 'Sam Lee' },
  role: { type: 'text', description: 'Their role or company; empty hides it', default: '' },
} as const;

const figure = (quote: string, name: string, role: string, className: string) =>
  `<figure class="quote ${className}"><blockquote><p>${esc(quote)}</p></blockquote><figcaption><strong>${esc(name)}</strong>${role ? esc(role) : ''}</figcaption></figure>`;

export const socialBlocks = [
  defineBlock({
    id: 'testimonials',
    category: 'testimonials',
    description: 'Heading plus a grid of quote cards with name and role.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Section heading', default: 'What people say' },
      items: {
        type: 'list',
        description: 'Quotes with who said them',
        default: [
          { quote: 'It took me ten minutes to set up and it just works.', name: 'Priya N.', role: 'Founder, Looply' },
          { quote: 'The nicest tool I have added to my stack this year.', name: 'Marcus T.', role: 'Indie developer' },
          { quote: 'Our sign-ups doubled the week we switched.', name: 'Jo K.', role: 'Marketing lead' },
        ],
        item: { quote: { type: 'text', description: 'The quote, without quotation marks', default: '' }, ...person },
        max: 9,
      },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section alt"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<div class="grid">` +
      p.list('items').map((i) => `<div class="card">${figure(i.text('quote'), i.text('name'), i.text('role'), '')}</div>`).join('') +
      `</div></div></section>`,
  }),
  defineBlock({
    id: 'testimonial-quote',
    category: 'testimonials',
    description: 'One large centred quote, for a single strong endorsement.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Heading above the quote (screen readers need one; keep it short)', default: 'A word from our users' },
      quote: { type: 'text', description: 'The quote', default: 'This is the first tool that made launching feel easy instead of scary.' },
      ...person,
      role: { type: 'text', description: 'Their role or company', default: 'Maker of Tiny Apps' },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section center"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'), 'class="visually-hidden"')}` +
      `${figure(p.text('quote'), p.text('name'), p.text('role'), 'big-quote')}</div></section>`,
  }),
  defineBlock({
    id: 'logos',
    category: 'testimonials',
    description: 'A row of customer or partner names set as text wordmarks ("Trusted by …"); no images are loaded.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Line above the names', default: 'Trusted by teams at' },
      names: { type: 'text', description: 'Names separated by semicolons', default: 'Northwind; Globex; Initech; Umbrella; Hooli' },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section center"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'), 'class="small muted"')}<ul class="logos">` +
      p
        .text('names')
        .split(';')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => `<li>${esc(n)}</li>`)
        .join('') +
      `</ul></div></section>`,
  }),
];

import { esc } from '../html.js';
import { actionProps, actions, anchorAttr, linkItems, paragraph } from './shared.js';
import { sectionHeader } from './features.js';
import { defineBlock } from './types.js';

const CSS = `.links{display:grid;gap:var(--s-1);list-style:none;padding:0;margin:0}
.links a{display:block;text-align:center;padding:var(--s-2);border:var(--border-width) solid var(--border);border-radius:var(--radius);background:var(--surface);color:var(--text);font-weight:600;text-decoration:none}
.links a:hover{border-color:var(--primary);color:var(--primary)}
.thumb{aspect-ratio:4/3;border-radius:var(--radius);margin-bottom:var(--s-2);background:linear-gradient(135deg,var(--primary),var(--surface))}
.facts{display:grid;gap:var(--s-2);grid-template-columns:repeat(auto-fit,minmax(min(100%,13rem),1fr));margin:0 0 var(--s-2)}
.facts dt{font-size:var(--fs-small);text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}
.facts dd{margin:0;font-weight:700;font-size:1.1rem}
.prose p{font-size:1.075rem}`;

export const contentBlocks = [
  defineBlock({
    id: 'text',
    category: 'content',
    description: 'A heading and paragraphs of plain text (an "about" section, a story, terms).',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Heading', default: 'About' },
      paragraphs: {
        type: 'list',
        description: 'Paragraphs in order',
        default: [{ text: 'We are a small team building tools we wish we had. Every feature starts with a conversation with someone who uses it.' }],
        item: { text: { type: 'text', description: 'One paragraph', default: '' } },
        max: 20,
      },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap narrow prose">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}` +
      p.list('paragraphs').map((t) => paragraph(t.text('text'))).join('') +
      `</div></section>`,
  }),
  defineBlock({
    id: 'link-list',
    category: 'content',
    description: 'A stack of big full-width link buttons, the heart of a link-in-bio page.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Heading (visually hidden when hideTitle is true)', default: 'Links' },
      hideTitle: { type: 'boolean', description: 'Keep the heading for screen readers only', default: true },
      links: {
        type: 'list',
        description: 'Links in order (your profiles, shop, videos…); in-page links go to the block that fits them and are left out when none does',
        default: [
          { label: 'Join my newsletter', href: '#newsletter' },
          { label: 'See my work', href: '#work' },
          { label: 'Get in touch', href: '#contact' },
        ],
        item: {
          label: { type: 'text', description: 'Button text', default: 'Link' },
          href: { type: 'url', description: 'Link target', default: '#' },
        },
        max: 20,
      },
    },
    css: CSS,
    render: (p, ctx) => {
      const items = linkItems(ctx, p.list('links').map((l) => ({ href: l.text('href'), label: l.text('label') })));
      return (
        `<section class="section"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'), p.bool('hideTitle') ? 'class="visually-hidden"' : '')}` +
        `${items ? `<ul class="links">${items}</ul>` : ''}</div></section>`
      );
    },
  }),
  defineBlock({
    id: 'gallery',
    category: 'content',
    description: 'Grid of project cards (colour thumbnail, title, text, optional link), for portfolios and case studies.',
    props: {
      ...sectionHeader,
      anchor: { type: 'text', description: 'Section id for in-page links', default: 'work' },
      title: { type: 'text', description: 'Heading', default: 'Selected work' },
      items: {
        type: 'list',
        description: 'Projects',
        default: [
          { title: 'Brand refresh for Lumen', text: 'Identity, type and a new website.', href: '' },
          { title: 'Checkout redesign', text: 'Cut drop-off by a third in six weeks.', href: '' },
          { title: 'Field notes app', text: 'An offline-first journal for researchers.', href: '' },
        ],
        item: {
          title: { type: 'text', description: 'Project title', default: 'Project' },
          text: { type: 'text', description: 'One sentence about it', default: '' },
          href: { type: 'url', description: 'Link to the case study; empty for none', default: '' },
        },
        max: 24,
      },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<div class="grid">` +
      p
        .list('items')
        .map(
          (i) =>
            `<article class="card"><div class="thumb" aria-hidden="true"></div>${ctx.subheading(i.text('title'))}${paragraph(i.text('text'), 'muted')}` +
            `${i.text('href') ? ctx.link(i.text('href'), `View ${i.text('title')}`) : ''}</article>`,
        )
        .join('') +
      `</div></div></section>`,
  }),
  defineBlock({
    id: 'event-details',
    category: 'content',
    description: 'When and where: date, time, place and dress code as a fact list, with a sentence and buttons.',
    props: {
      ...sectionHeader,
      anchor: { type: 'text', description: 'Section id for in-page links', default: 'details' },
      title: { type: 'text', description: 'Heading', default: 'Event details' },
      facts: {
        type: 'list',
        description: 'Label and value pairs',
        default: [
          { label: 'Date', value: 'Saturday 14 June' },
          { label: 'Time', value: '18:00 – 23:00' },
          { label: 'Place', value: 'The Old Boathouse, River Lane' },
        ],
        item: {
          label: { type: 'text', description: 'What it is ("Date")', default: 'Label' },
          value: { type: 'text', description: 'The value', default: '' },
        },
        max: 10,
      },
      ...actionProps,
      primaryLabel: { type: 'text', description: 'Main button text; empty hides it', default: 'RSVP now' },
      primaryHref: { type: 'url', description: 'Main button target', default: '#rsvp' },
    },
    css: CSS,
    render: (p, ctx) =>
      `<section class="section alt"${anchorAttr(p)}><div class="wrap">${ctx.heading(p.text('title'))}<dl class="facts">` +
      p.list('facts').map((f) => `<div><dt>${esc(f.text('label'))}</dt><dd>${esc(f.text('value'))}</dd></div>`).join('') +
      `</dl>${paragraph(p.text('intro'))}${actions(p, ctx)}</div></section>`,
  }),
];

import { esc } from '../html.js';
import { actionProps, actions, anchorAttr, paragraph } from './shared.js';
import { sectionHeader } from './features.js';
import { defineBlock } from './types.js';

const FAQ_CSS = `.faq{display:grid;gap:var(--s-1)}
.faq details{background:var(--surface);border:var(--border-width) solid var(--border);border-radius:var(--radius)}
.faq summary{cursor:pointer;padding:var(--s-2);font-weight:600;list-style-position:inside}
.faq details>div{padding:0 var(--s-2) var(--s-2)}`;

const CTA_CSS = `.cta{background:var(--primary);color:var(--on-primary)}
.cta h1,.cta h2,.cta p{color:var(--on-primary)}
.cta .btn{background:var(--on-primary);color:var(--primary);border-color:var(--on-primary)}
.cta .btn.ghost{background:transparent;color:var(--on-primary)}
.cta :focus-visible{outline-color:var(--on-primary)}
.countdown{display:flex;flex-wrap:wrap;justify-content:center;gap:var(--s-2);margin:var(--s-3) 0}
.countdown span{display:flex;flex-direction:column;align-items:center;min-width:4.5rem;padding:var(--s-1);background:var(--surface);border:var(--border-width) solid var(--border);border-radius:var(--radius);color:var(--muted)}
.countdown b{font:800 var(--fs-2)/1.1 var(--font-heading);color:var(--text);font-variant-numeric:tabular-nums}`;

// Plain DOM, no library: fills each [data-countdown] once a second; without script the date text stays.
const COUNTDOWN_SCRIPT = `(function(){var els=document.querySelectorAll('[data-countdown]');function tick(){var now=Date.now();els.forEach(function(el){var end=Date.parse(el.getAttribute('data-countdown'));var left=Math.max(0,Math.floor((end-now)/1000));var parts={d:Math.floor(left/86400),h:Math.floor(left/3600)%24,m:Math.floor(left/60)%60,s:left%60};Object.keys(parts).forEach(function(k){var n=el.querySelector('[data-unit="'+k+'"]');if(n)n.textContent=String(parts[k]).padStart(2,'0');});if(left===0){var done=el.parentNode.querySelector('[data-ended]');if(done)done.hidden=false;}});}if(els.length){tick();setInterval(tick,1000);}})();`;

export const faqCtaBlocks = [
  defineBlock({
    id: 'faq',
    category: 'faq',
    description: 'Questions that expand to show answers (native accordion: keyboard and screen reader friendly, no script).',
    props: {
      ...sectionHeader,
      anchor: { type: 'text', description: 'Section id for in-page links', default: 'faq' },
      title: { type: 'text', description: 'Section heading', default: 'Frequently asked questions' },
      single: { type: 'boolean', description: 'Opening one answer closes the others', default: false },
      items: {
        type: 'list',
        description: 'Questions and answers',
        default: [
          { question: 'How much does it cost?', answer: 'It is free while in beta. We will give plenty of notice before any change.' },
          { question: 'Can I cancel any time?', answer: 'Yes. There is no contract and no lock-in.' },
          { question: 'Where is my data stored?', answer: 'In the EU, encrypted at rest, and never sold.' },
        ],
        item: {
          question: { type: 'text', description: 'The question', default: 'Question?' },
          answer: { type: 'text', description: 'The answer', default: '' },
        },
        max: 20,
      },
    },
    css: FAQ_CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}<div class="faq">` +
      p
        .list('items')
        .map((i) => `<details${p.bool('single') ? ` name="${ctx.id('faq')}"` : ''}><summary>${esc(i.text('question'))}</summary><div>${paragraph(i.text('answer'))}</div></details>`)
        .join('') +
      `</div></div></section>`,
  }),
  defineBlock({
    id: 'cta-banner',
    category: 'cta',
    description: 'Full-width coloured band with a heading, a sentence and buttons, to close a page.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Heading', default: 'Ready to start?' },
      intro: { type: 'text', description: 'Sentence under the heading; empty hides it', default: 'Join today. It takes less than a minute.' },
      ...actionProps,
    },
    css: CTA_CSS,
    render: (p, ctx) =>
      `<section class="section cta center"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'))}${actions(p, ctx)}</div></section>`,
  }),
  defineBlock({
    id: 'countdown',
    category: 'cta',
    description: 'Live countdown (days, hours, minutes, seconds) to a date, for launches and events; plain inline script.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Heading', default: 'Doors open in' },
      target: { type: 'datetime', description: 'ISO 8601 date and time to count down to, with offset or Z', default: '2030-01-01T09:00:00Z' },
      dateLabel: { type: 'text', description: 'The date as people read it, shown under the counter', default: '1 January 2030, 9:00 UTC' },
      endedText: { type: 'text', description: 'Shown once the date has passed', default: 'It has started!' },
    },
    css: CTA_CSS,
    script: COUNTDOWN_SCRIPT,
    render: (p, ctx) =>
      `<section class="section alt center"${anchorAttr(p)}><div class="wrap narrow">${ctx.heading(p.text('title'))}` +
      `<div class="countdown" role="timer" aria-label="Time left until ${esc(p.text('dateLabel'))}" data-countdown="${esc(p.text('target'))}">` +
      (['d', 'h', 'm', 's'] as const).map((u) => `<span><b data-unit="${u}">--</b>${{ d: 'days', h: 'hours', m: 'minutes', s: 'seconds' }[u]}</span>`).join('') +
      `</div><p class="lead">${esc(p.text('dateLabel'))}</p><p data-ended hidden><strong>${esc(p.text('endedText'))}</strong></p></div></section>`,
  }),
];

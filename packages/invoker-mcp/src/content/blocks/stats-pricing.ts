import { esc } from '../html.js';
import { anchorAttr, paragraph } from './shared.js';
import { sectionHeader } from './features.js';
import { defineBlock } from './types.js';

const STATS_CSS = `.stats{display:grid;gap:var(--s-3);grid-template-columns:repeat(auto-fit,minmax(min(100%,10rem),1fr));margin:0}
.stats div{display:flex;flex-direction:column-reverse}
.stats dt{color:var(--muted)}
.stats dd{margin:0;font:800 var(--fs-2)/1.1 var(--font-heading)}`;

const PRICING_CSS = `.plan{display:flex;flex-direction:column;gap:var(--s-1)}
.plan.featured{border-color:var(--primary);border-width:calc(var(--border-width) + 1px)}
.price{font:800 var(--fs-2)/1 var(--font-heading);margin:0}
.price span{font:400 1rem var(--font);color:var(--muted)}
.plan .checks{flex:1;margin:var(--s-1) 0 var(--s-2)}
.badge{align-self:flex-start;background:var(--primary);color:var(--on-primary);border-radius:999px;padding:.1rem .7rem;font-size:var(--fs-small);font-weight:700}
.checks{list-style:none;padding:0;display:grid;gap:var(--s-1);align-content:start}
.checks li::before{content:"✓";color:var(--primary);font-weight:800;margin-right:.6em}`;

const COUNTER_CSS = `.counter{font-size:var(--fs-1);margin:var(--s-2) 0}
.counter strong{font:800 var(--fs-2)/1.1 var(--font-heading);font-variant-numeric:tabular-nums}
.counter button{margin-left:var(--s-1)}`;

/**
 * Counters (the platform's /_counter/{name} on the page's own host, or under /s/{slug}/ where pages
 * are served from the platform's fallback path). The block stays hidden until the number is known,
 * so without script, or away from Invoker, it shows nothing. One count per browser where storage allows.
 * A password-protected site's pages under /s/ carry a pass to its counters, sent as `?pass=` (the
 * names are the platform's: COUNTER_PASS_META and COUNTER_PASS_PARAM in contract/extras.ts).
 */
const COUNTER_SCRIPT = `(function(){var parts=location.pathname.split('/');var base=parts[1]==='s'&&parts[2]&&parts.length>3?'/s/'+parts[2]+'/':'/';var pass=document.querySelector('meta[name="invoker-counter-pass"]');var q=pass?'?pass='+encodeURIComponent(pass.getAttribute('content')):'';function seen(k,set){try{if(set)localStorage.setItem(k,'1');return localStorage.getItem(k)==='1';}catch(e){return false;}}document.querySelectorAll('[data-counter]').forEach(function(el){var name=el.getAttribute('data-counter');var url=base+'_counter/'+name;var out=el.querySelector('[data-counter-value]');var key='invoker-counted-'+name;var btn=el.querySelector('button');function show(r){if(!r.ok)return;return r.json().then(function(j){out.textContent=Number(j.value).toLocaleString();el.hidden=false;if(btn&&seen(key))btn.disabled=true;});}function add(){return fetch(url+'/increment'+q,{method:'POST'}).then(function(r){if(r.ok)seen(key,true);return show(r);});}var start=el.hasAttribute('data-count-visit')&&!seen(key)?add():fetch(url+q).then(show);start.catch(function(){});if(btn)btn.addEventListener('click',function(){btn.disabled=true;add().catch(function(){btn.disabled=false;});});});})();`;

/** What /_counter accepts: a-z, 0-9, _ and -, 1 to 40 characters. */
function counterName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'count';
}

const tier = (name: string, price: string, features: string[], featured = false) => ({
  name,
  price,
  period: '/month',
  description: '',
  features: features.join('; '),
  ctaLabel: 'Choose ' + name,
  ctaHref: '#signup',
  featured,
});

export const statsPricingBlocks = [
  defineBlock({
    id: 'counter',
    category: 'stats',
    description: 'A live number kept by the platform ("142 people joined"); counts each visit once, or a button press.',
    props: {
      name: { type: 'text', description: 'Counter name (a-z, 0-9, _ and -); list_counters shows it', default: 'joined' },
      label: { type: 'text', description: 'Text after the number', default: 'people joined' },
      countVisits: { type: 'boolean', description: 'Add one on the first visit of each browser', default: false },
      buttonLabel: { type: 'text', description: 'A button that adds one (once per browser); empty: none', default: "I'm in" },
    },
    css: COUNTER_CSS,
    script: COUNTER_SCRIPT,
    render: (p) =>
      `<section class="section center"><div class="wrap narrow"><p class="counter" data-counter="${esc(counterName(p.text('name')))}"${p.bool('countVisits') ? ' data-count-visit' : ''} aria-live="polite" hidden>` +
      `<strong data-counter-value>0</strong> ${esc(p.text('label'))}` +
      (p.text('buttonLabel') ? ` <button type="button">${esc(p.text('buttonLabel'))}</button>` : '') +
      `</p></div></section>`,
  }),
  defineBlock({
    id: 'stats',
    category: 'stats',
    description: 'A row of big numbers with labels (e.g. "10k users"), on a tinted band.',
    props: {
      ...sectionHeader,
      title: { type: 'text', description: 'Section heading; empty hides it (the numbers then stand alone)', default: 'By the numbers' },
      items: {
        type: 'list',
        description: 'Numbers with their labels',
        default: [
          { value: '10k+', label: 'people signed up' },
          { value: '99.9%', label: 'uptime last year' },
          { value: '4.9/5', label: 'average rating' },
        ],
        item: {
          value: { type: 'text', description: 'The number, as text ("10k+", "€2M")', default: '0' },
          label: { type: 'text', description: 'What it counts', default: '' },
        },
        max: 6,
      },
    },
    css: STATS_CSS,
    render: (p, ctx) =>
      `<section class="section alt"${anchorAttr(p)}><div class="wrap center">${p.text('title') ? ctx.heading(p.text('title')) : ''}${paragraph(p.text('intro'), 'lead')}<dl class="stats">` +
      p.list('items').map((i) => `<div><dt>${esc(i.text('label'))}</dt><dd>${esc(i.text('value'))}</dd></div>`).join('') +
      `</dl></div></section>`,
  }),
  defineBlock({
    id: 'pricing-table',
    category: 'pricing',
    description: 'Pricing tiers side by side (stacked on phones); one may be marked featured.',
    props: {
      ...sectionHeader,
      anchor: { type: 'text', description: 'Section id for in-page links', default: 'pricing' },
      title: { type: 'text', description: 'Section heading', default: 'Simple pricing' },
      tiers: {
        type: 'list',
        description: 'Plans; features are separated by semicolons',
        default: [
          tier('Starter', '$0', ['1 project', 'Community support']),
          tier('Pro', '$12', ['Unlimited projects', 'Email support', 'Custom domain'], true),
          tier('Team', '$39', ['Everything in Pro', '10 seats', 'Priority support']),
        ],
        item: {
          name: { type: 'text', description: 'Plan name', default: 'Plan' },
          price: { type: 'text', description: 'Price as text, with currency ("$12", "Free")', default: '$0' },
          period: { type: 'text', description: 'Billing period shown after the price', default: '/month' },
          description: { type: 'text', description: 'One line about who it is for', default: '' },
          features: { type: 'text', description: 'Features separated by semicolons', default: '' },
          ctaLabel: { type: 'text', description: 'Button text; empty hides it', default: 'Choose plan' },
          ctaHref: { type: 'url', description: 'Button target (by default the form on the page; no form, no button)', default: '#signup' },
          featured: { type: 'boolean', description: 'Highlight this plan', default: false },
        },
        max: 5,
      },
    },
    css: PRICING_CSS,
    render: (p, ctx) =>
      `<section class="section"${anchorAttr(p)}><div class="wrap"><div class="center">${ctx.heading(p.text('title'))}${paragraph(p.text('intro'), 'lead')}</div><div class="grid">` +
      p
        .list('tiers')
        .map(
          (t) =>
            `<div class="card plan${t.bool('featured') ? ' featured' : ''}">${t.bool('featured') ? '<span class="badge">Most popular</span>' : ''}${ctx.subheading(t.text('name'))}` +
            `<p class="price">${esc(t.text('price'))} <span>${esc(t.text('period'))}</span></p>${paragraph(t.text('description'), 'muted')}` +
            `<ul class="checks">${splitList(t.text('features')).map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` +
            `${t.text('ctaLabel') ? ctx.link(t.text('ctaHref'), t.text('ctaLabel'), t.bool('featured') ? 'btn' : 'btn ghost') : ''}</div>`,
        )
        .join('') +
      `</div></div></section>`,
  }),
];

export function splitList(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

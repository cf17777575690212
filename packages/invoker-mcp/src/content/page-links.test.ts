import { describe, expect, it } from 'vitest';
import { BLOCKS } from './blocks/index.js';
import { composePage, type BlockInput } from './compose.js';
import { TEMPLATES } from './templates.js';

const everyBlock: BlockInput[] = BLOCKS.map((b) => ({ blockId: b.id }));
const page = { title: 'Lumen Notes' };

/** Every block twice, in pages within the 40-block limit: the first half of the library doubled, then the second. */
const REPEATED: BlockInput[][] = [everyBlock.slice(0, Math.ceil(everyBlock.length / 2)), everyBlock.slice(Math.ceil(everyBlock.length / 2))].map((half) => [...half, ...half]);

/** The in-page links of a document with the ids they need, its nav labels and its heading levels in order. */
function anatomy(html: string) {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const fragments = [...html.matchAll(/<a [^>]*href="#([^"]*)"/g)].map((m) => m[1] as string);
  return {
    ids,
    dangling: fragments.filter((f) => f !== '' && !ids.has(f)),
    fragments,
    navLabels: [...html.matchAll(/<nav[^>]* aria-label="([^"]+)"/g)].map((m) => m[1]),
    levels: [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1])),
  };
}

const PAGES: Array<[string, string]> = [
  ['every block', composePage({ blocks: everyBlock, page })],
  ...REPEATED.map((blocks, i): [string, string] => [`every block twice, part ${i + 1}`, composePage({ blocks, page })]),
  ['every block, reversed', composePage({ blocks: [...everyBlock].reverse(), page })],
  ...TEMPLATES.map((t): [string, string] => [`template ${t.id}`, composePage(t)]),
  ...BLOCKS.map((b): [string, string] => [`${b.id} alone`, composePage({ blocks: [{ blockId: b.id }], page })]),
];

describe('a composed page works as it is', () => {
  it.each(PAGES)('%s: every in-page link arrives at a block, nav names are unique, no heading level is skipped', (_label, html) => {
    const a = anatomy(html);
    expect(a.dangling).toEqual([]);
    expect(new Set(a.navLabels).size).toBe(a.navLabels.length);
    a.levels.forEach((level, i) => expect(level, `heading ${i + 1} of ${a.levels.join(',')}`).toBeLessThanOrEqual((a.levels[i - 1] ?? 0) + 1));
    expect(a.levels[0]).toBe(1);
  });

  it('uses no placeholder brand, address or site: the brand and the small print come from the page title', () => {
    const year = new Date().getUTCFullYear();
    const html = composePage({ blocks: everyBlock, page });
    expect(html).not.toMatch(/Acme|example\.com|mailto:/);
    expect(html).toContain('<a href="#" class="brand">Lumen Notes</a>');
    expect(html).toContain(`© ${year} Lumen Notes`);
    expect(composePage({ blocks: [{ blockId: 'footer', props: { text: 'Made in Lisbon' } }], page })).toContain('Made in Lisbon');
  });

  it('points a button at the block that fits it, and leaves it out when nothing does', () => {
    const withForm = composePage({ blocks: [{ blockId: 'hero-centered' }, { blockId: 'form-contact' }], page });
    expect(withForm).toContain('<a href="#contact" class="btn">Get started</a>');
    const noForm = composePage({ blocks: [{ blockId: 'navbar' }, { blockId: 'hero-centered' }, { blockId: 'pricing-table' }, { blockId: 'footer' }], page });
    expect(noForm).not.toContain('Get started');
    expect(noForm).not.toContain('Choose Pro');
    // The nav keeps only the section that is there; the brand and the footer keep their way back to the top.
    expect(anatomy(noForm).fragments.sort()).toEqual(['', '', 'main', 'pricing']);
    // A model's own link to a section that is not there is left out too, rather than leading nowhere.
    expect(composePage({ blocks: [{ blockId: 'hero-centered', props: { primaryLabel: 'Read more', primaryHref: '#story' } }], page })).not.toContain('Read more');
    // Links off the page are the model's business and stay as given.
    expect(composePage({ blocks: [{ blockId: 'hero-centered', props: { primaryHref: 'https://lumen.test/app' } }], page })).toContain('href="https://lumen.test/app"');
  });

  it('sends a link only to a block that answers it, never to its own block', () => {
    const html = composePage({ blocks: [{ blockId: 'hero-profile' }, { blockId: 'link-list' }, { blockId: 'form-signup' }, { blockId: 'footer' }], page });
    const links = [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => `${m[2]} -> ${m[1]}`);
    // "See my work" has no gallery and "Get in touch"/"Contact" no contact form here: left out, not sent to the sign-up form.
    expect(links).toEqual(['Join my newsletter -> #signup', 'Back to top -> #']);
  });

  it('names repeated landmarks apart, and drops a nav with no links left', () => {
    const html = composePage({ blocks: [{ blockId: 'navbar' }, { blockId: 'navbar-minimal', props: { linkLabel: 'Home', linkHref: '/' } }, { blockId: 'faq' }, { blockId: 'footer' }, { blockId: 'footer-columns' }], page });
    expect(anatomy(html).navLabels).toEqual(['Main', 'Main 2', 'Footer', 'Footer 2']);
    const bare = composePage({ blocks: [{ blockId: 'hero-minimal' }, { blockId: 'footer-columns' }], page });
    expect(bare).not.toContain('<nav');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { composePage } from './compose.js';

function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const page = { title: 'Test page' };

describe('composePage', () => {
  it('escapes every prop and page value, so markup in props stays text', () => {
    const html = composePage({
      page: { title: '</title><script>alert(1)</script>', description: '"><script>x</script>' },
      blocks: [
        { blockId: 'hero-centered', props: { title: '<img src=x onerror=alert(1)>', primaryLabel: '"><b>', primaryHref: '/a" onclick="x' } },
        { blockId: 'faq', props: { items: [{ question: '<script>q</script>', answer: "it's <b>bold</b>" }] } },
      ],
    });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>q');
    expect(html).not.toContain('" onclick="');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('it&#39;s &lt;b&gt;bold&lt;/b&gt;');
  });

  it('refuses a javascript: URL in any URL prop, nested ones included', () => {
    expect(errorOf(() => composePage({ page, blocks: [{ blockId: 'hero-centered', props: { primaryHref: 'javascript:alert(1)' } }] })).message).toContain('primaryHref');
    const nested = errorOf(() => composePage({ page, blocks: [{ blockId: 'link-list', props: { links: [{ label: 'x', href: ' JAVASCRIPT:alert(1)' }] } }] }));
    expect(nested.code).toBe('invalid_input');
    expect(nested.message).toContain('href');
    expect(() => composePage({ page, blocks: [{ blockId: 'footer-columns', props: { columns: [{ title: 'x', links: 'Bad|javascript:alert(1)' }] } }] })).toThrow(AppError);
  });

  it('names the unknown prop and lists the props the block takes', () => {
    const e = errorOf(() => composePage({ page, blocks: [{ blockId: 'stats', props: { heading: 'x' } }] }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('Unknown prop "heading"');
    expect(e.message).toContain('"stats"');
    expect(e.message).toMatch(/It takes: .*title.*items/);
  });

  it('names a wrongly typed prop and the type it needs', () => {
    expect(errorOf(() => composePage({ page, blocks: [{ blockId: 'faq', props: { single: 'yes' } }] })).message).toMatch(/prop "single".*true or false/);
    expect(errorOf(() => composePage({ page, blocks: [{ blockId: 'countdown', props: { target: 'soon' } }] })).message).toMatch(/ISO 8601/);
    expect(errorOf(() => composePage({ page, blocks: [{ blockId: 'form', props: { fields: [{ name: 'a', type: 'colour' }] } }] })).message).toMatch(/one of text, email/);
  });

  it('lists the styles when the style is unknown', () => {
    const e = errorOf(() => composePage({ style: 'neon', page, blocks: [{ blockId: 'text' }] }));
    expect(e.message).toContain('Unknown style "neon"');
    expect(e.message).toContain('midnight');
  });

  it('puts navigation in <header>, footers in <footer> and everything else in <main>, whatever the order', () => {
    const html = composePage({ page, blocks: [{ blockId: 'footer' }, { blockId: 'text' }, { blockId: 'navbar' }] });
    const header = html.indexOf('<header>');
    const main = html.indexOf('<main');
    const footer = html.indexOf('<footer>');
    expect(header).toBeGreaterThan(0);
    expect(main).toBeGreaterThan(header);
    expect(footer).toBeGreaterThan(main);
    expect(html).toContain('<a class="skip" href="#main">');
  });

  it('gives the page exactly one h1, adding a hidden one from the title when no block has a heading', () => {
    const two = composePage({ page, blocks: [{ blockId: 'hero-centered' }, { blockId: 'hero-minimal' }] });
    expect(two.match(/<h1[ >]/g)).toHaveLength(1);
    const none = composePage({ page, blocks: [{ blockId: 'navbar' }, { blockId: 'footer' }] });
    expect(none).toContain('<h1 class="visually-hidden">Test page</h1>');
  });

  it('refuses two blocks given the same anchor, numbers repeated default ones, and refuses a form field named _hp', () => {
    const twice = { blockId: 'faq', props: { anchor: 'questions' } };
    expect(errorOf(() => composePage({ page, blocks: [twice, twice] })).message).toContain('anchor "questions"');
    const repeated = composePage({ page, blocks: [{ blockId: 'faq' }, { blockId: 'faq' }, { blockId: 'faq', props: { anchor: 'faq-2' } }] });
    expect([...repeated.matchAll(/<section[^>]* id="([^"]+)"/g)].map((m) => m[1])).toEqual(['faq', 'faq-3', 'faq-2']);
    expect(errorOf(() => composePage({ page, blocks: [{ blockId: 'form', props: { fields: [{ name: '_hp' }] } }] })).message).toMatch(/start with a letter|reserved/);
  });

  it('gives form fields page-unique ids even when two forms use the same names', () => {
    const html = composePage({ page, blocks: [{ blockId: 'form-signup' }, { blockId: 'form-contact' }] });
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(m[1]);
  });

  it('draws an emoji favicon inline and otherwise uses the empty icon, so nothing is fetched', () => {
    expect(composePage({ page: { title: 't', favicon: '🚀' }, blocks: [{ blockId: 'text' }] })).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
    expect(composePage({ page, blocks: [{ blockId: 'text' }] })).toContain('<link rel="icon" href="data:,">');
  });

  it('includes the countdown script only when a countdown is on the page', () => {
    expect(composePage({ page, blocks: [{ blockId: 'countdown' }] })).toContain('<script>');
    expect(composePage({ page, blocks: [{ blockId: 'faq' }] })).not.toContain('<script>');
  });

  it('checks page.lang', () => {
    expect(composePage({ page: { title: 't', lang: 'pt-BR' }, blocks: [{ blockId: 'text' }] })).toContain('<html lang="pt-BR">');
    expect(() => composePage({ page: { title: 't', lang: 'en"><x' }, blocks: [{ blockId: 'text' }] })).toThrow(/language tag/);
  });
});

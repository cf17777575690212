import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { BLOCKS } from './blocks/index.js';
import { composePage } from './compose.js';
import { PAGE_KINDS, requirementsFor } from './requirements.js';
import { STYLES } from './styles.js';
import { TEMPLATES } from './templates.js';

const REQUIRED = ['waitlist', 'contact', 'rsvp', 'survey', 'newsletter', 'landing', 'link-in-bio', 'event', 'portfolio', 'pricing'];

describe('templates', () => {
  it('cover the ten kinds the product promises, with unique ids and real styles', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(expect.arrayContaining(REQUIRED));
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    for (const t of TEMPLATES) expect(STYLES.map((s) => s.id)).toContain(t.style);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s renders a complete document whose forms post to {{SUBMIT_URL}} with the honeypot', (_id, t) => {
    const html = composePage(t);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`<title>${t.page.title.replace(/&/g, '&amp;')}</title>`);
    const forms = html.match(/<form [^>]*>/g) ?? [];
    expect(forms.length).toBeGreaterThan(0);
    for (const form of forms) expect(form).toContain('action="{{SUBMIT_URL}}" method="post"');
    expect(html.match(/name="_hp"/g)?.length).toBe(forms.length);
    expect(html.match(/<h1[ >]/g)?.length).toBe(1);
    // Nothing that would make the browser fetch: no external src/href, no @import, no url().
    expect(html).not.toMatch(/\ssrc="https?:|<link[^>]+href="https?:|@import|url\(/);
  });
});

describe('gather_requirements data', () => {
  it('has questions for every kind, with the kind-specific ones after the common ones', () => {
    for (const kind of PAGE_KINDS) {
      const r = requirementsFor(kind);
      expect(r.questions.length).toBeGreaterThanOrEqual(6);
      expect(new Set(r.questions.map((q) => q.id)).size).toBe(r.questions.length);
      expect(r.suggested_template === null || TEMPLATES.some((t) => t.id === r.suggested_template)).toBe(true);
    }
    expect(requirementsFor('event').suggested_template).toBe('event');
    expect(requirementsFor('other').suggested_template).toBeNull();
  });
});

describe('block library', () => {
  it('has at least 20 blocks across the promised categories, each prop with a description and default', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(BLOCKS.map((b) => b.id)).size).toBe(BLOCKS.length);
    const categories = new Set(BLOCKS.map((b) => b.category));
    for (const c of ['navigation', 'hero', 'features', 'stats', 'pricing', 'testimonials', 'faq', 'cta', 'forms', 'footer']) expect(categories).toContain(c);
    for (const b of BLOCKS) {
      expect(b.description).toMatch(/^[^\n]{20,160}$/);
      for (const [name, spec] of Object.entries(b.props)) {
        expect(spec.description, `${b.id}.${name}`).not.toBe('');
        expect(spec.default, `${b.id}.${name}`).not.toBeUndefined();
      }
    }
  });

  it('renders every block with its defaults in one page without duplicate ids', () => {
    expect(() => composePage({ blocks: BLOCKS.map((b) => ({ blockId: b.id })), page: { title: 'All' } })).not.toThrow();
  });

  it('rejects a block or prop that does not exist, listing what does', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected an error');
    };
    const unknownBlock = err(() => composePage({ blocks: [{ blockId: 'heroo' }], page: { title: 'x' } }));
    expect(unknownBlock.code).toBe('invalid_input');
    expect(unknownBlock.message).toContain('Unknown block "heroo"');
    expect(unknownBlock.message).toContain('hero-centered');
  });
});

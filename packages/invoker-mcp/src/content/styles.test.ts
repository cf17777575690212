import { describe, expect, it } from 'vitest';
import { STYLES, contrastRatio, styleVariables } from './styles.js';

describe('style presets', () => {
  it('has at least six with unique ids and one-line descriptions', () => {
    expect(STYLES.length).toBeGreaterThanOrEqual(6);
    expect(new Set(STYLES.map((s) => s.id)).size).toBe(STYLES.length);
    for (const s of STYLES) {
      expect(s.description).toMatch(/^[^\n]{20,140}$/);
    }
  });

  it('computes known contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  // Text sits on the page background and on surfaces (cards, alternate sections); buttons put
  // on-primary text on primary; links are primary text. Each pair must pass AA for normal text.
  it.each(STYLES.map((s) => [s.id, s] as const))('%s passes WCAG AA for every colour pair it uses', (_id, s) => {
    const c = s.colors;
    const pairs: Array<[string, string, string]> = [
      ['text on bg', c.text, c.bg],
      ['text on surface', c.text, c.surface],
      ['muted on bg', c.muted, c.bg],
      ['muted on surface', c.muted, c.surface],
      ['primary on bg', c.primary, c.bg],
      ['primary on surface', c.primary, c.surface],
      ['on-primary on primary', c.onPrimary, c.primary],
    ];
    for (const [what, fg, bg] of pairs) {
      expect(contrastRatio(fg, bg), `${s.id}: ${what}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('emits only the preset tokens as CSS variables, no url() or @import', () => {
    for (const s of STYLES) {
      const css = styleVariables(s);
      expect(css).toContain(`--primary:${s.colors.primary}`);
      expect(css).not.toMatch(/url\(|@import|@font-face/);
    }
  });
});

// Style presets: colours, type scale, spacing and radius. Every colour pair a page uses is chosen
// to pass WCAG AA (styles.test.ts checks each one), and fonts are system stacks because a page may
// make no external request, so no web fonts.
export interface StylePreset {
  id: string;
  name: string;
  description: string;
  colors: {
    bg: string;
    surface: string;
    text: string;
    muted: string;
    primary: string;
    onPrimary: string;
    border: string;
  };
  font: { body: string; heading: string };
  /** Ratio between heading steps (a modular type scale). */
  typeScale: number;
  /** Base spacing unit in rem; section padding and gaps are multiples of it. */
  space: number;
  /** Corner radius of cards, buttons and inputs, in px. */
  radius: number;
}

const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const SERIF = 'Georgia, Cambria, "Times New Roman", Times, serif';
const MONO = 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

export const STYLES: readonly StylePreset[] = [
  {
    id: 'clean',
    name: 'Clean',
    description: 'White and blue, system sans-serif, soft corners: a safe default for products and forms.',
    colors: { bg: '#ffffff', surface: '#f3f4f6', text: '#111827', muted: '#4b5563', primary: '#1d4ed8', onPrimary: '#ffffff', border: '#d1d5db' },
    font: { body: SANS, heading: SANS },
    typeScale: 1.25,
    space: 1,
    radius: 8,
  },
  {
    id: 'midnight',
    name: 'Midnight',
    description: 'Dark navy with sky-blue accents: developer tools, launches, night events.',
    colors: { bg: '#0b1120', surface: '#16213a', text: '#e5e7eb', muted: '#a9b4c7', primary: '#7dd3fc', onPrimary: '#0b1120', border: '#33415c' },
    font: { body: SANS, heading: SANS },
    typeScale: 1.333,
    space: 1.1,
    radius: 12,
  },
  {
    id: 'editorial',
    name: 'Editorial',
    description: 'Warm paper, serif headings, rust accent: writers, portfolios, invitations.',
    colors: { bg: '#fffaf3', surface: '#f5ebdc', text: '#2b2118', muted: '#5c4a3b', primary: '#9a3412', onPrimary: '#ffffff', border: '#d9c6ad' },
    font: { body: SANS, heading: SERIF },
    typeScale: 1.333,
    space: 1.15,
    radius: 4,
  },
  {
    id: 'forest',
    name: 'Forest',
    description: 'Calm greens on off-white: community groups, wellbeing, sustainability.',
    colors: { bg: '#f6faf7', surface: '#e3efe7', text: '#12261a', muted: '#3f5748', primary: '#166534', onPrimary: '#ffffff', border: '#b7cfbf' },
    font: { body: SANS, heading: SANS },
    typeScale: 1.2,
    space: 1,
    radius: 10,
  },
  {
    id: 'brutalist',
    name: 'Brutalist',
    description: 'Black on cream, monospace headings, square corners and heavy borders: bold and raw.',
    colors: { bg: '#fffdf0', surface: '#ffffff', text: '#000000', muted: '#3a3a3a', primary: '#000000', onPrimary: '#fff45c', border: '#000000' },
    font: { body: SANS, heading: MONO },
    typeScale: 1.414,
    space: 0.9,
    radius: 0,
  },
  {
    id: 'playful',
    name: 'Playful',
    description: 'Lavender and violet, round corners, generous spacing: parties, creators, link-in-bio.',
    colors: { bg: '#fbf5ff', surface: '#ffffff', text: '#2e1065', muted: '#5b4a7a', primary: '#7e22ce', onPrimary: '#ffffff', border: '#dcc8f0' },
    font: { body: SANS, heading: SANS },
    typeScale: 1.25,
    space: 1.2,
    radius: 20,
  },
  {
    id: 'mono',
    name: 'Mono',
    description: 'Black, white and greys with tight spacing: minimal, content first, works for anything.',
    colors: { bg: '#ffffff', surface: '#f5f5f5', text: '#171717', muted: '#525252', primary: '#171717', onPrimary: '#ffffff', border: '#d4d4d4' },
    font: { body: SANS, heading: SANS },
    typeScale: 1.2,
    space: 0.9,
    radius: 2,
  },
];

export const DEFAULT_STYLE = 'clean';

export function findStyle(id: string): StylePreset | undefined {
  return STYLES.find((s) => s.id === id);
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** CSS custom properties for a preset; the shared and block CSS only ever read these. */
export function styleVariables(s: StylePreset): string {
  const c = s.colors;
  const step = (n: number) => `${(s.typeScale ** n).toFixed(3)}rem`;
  const sp = (n: number) => `${(s.space * n).toFixed(3)}rem`;
  return (
    `:root{color-scheme:${isDark(c.bg) ? 'dark' : 'light'};--bg:${c.bg};--surface:${c.surface};--text:${c.text};--muted:${c.muted};` +
    `--primary:${c.primary};--on-primary:${c.onPrimary};--border:${c.border};--font:${s.font.body};--font-heading:${s.font.heading};` +
    `--fs-1:clamp(${step(2.5)},4vw + 1rem,${step(5)});--fs-2:clamp(${step(2)},2vw + 1rem,${step(3)});--fs-3:${step(1)};--fs-small:${step(-0.5)};` +
    `--s-1:${sp(0.5)};--s-2:${sp(1)};--s-3:${sp(1.5)};--s-4:${sp(2.5)};--s-section:clamp(${sp(3)},8vw,${sp(6)});--radius:${s.radius}px;` +
    `--border-width:${s.id === 'brutalist' ? 3 : 1}px}`
  );
}

function isDark(hex: string): boolean {
  return luminance(hex) < 0.2;
}

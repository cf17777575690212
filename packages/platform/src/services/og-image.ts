// The social preview image (SPEC section 14): 1200×630 PNG of a version's title, description and
// favicon, laid out by satori (to SVG) and rasterised by resvg (WebAssembly). Only the fonts shipped
// with the package are used, read from disk once (Inter, SIL Open Font License 1.1, from
// @fontsource/inter; emoji favicons from Noto Emoji, OFL 1.1, @fontsource/noto-emoji): nothing is
// fetched at render time, and a character no font covers is left out rather than drawn as a box.
// Both libraries load on the first render, so a server that never renders one never loads them.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;
const PADDING = 80;
/** The width the text wraps at: the picture less its side padding. */
const TEXT_WIDTH = OG_WIDTH - 2 * PADDING;

export interface OgImageInput {
  title: string;
  description: string | null;
  /** The site's emoji favicon, when it has one. */
  favicon: string | null;
  /** Shown small at the bottom: where the page lives (e.g. `launch.example.com`). */
  host: string;
}

interface FontFace {
  name: string;
  data: Buffer;
  weight: 400 | 700;
  style: 'normal';
}

interface Renderer {
  render(input: OgImageInput): Promise<Uint8Array>;
}

const require = createRequire(import.meta.url);

/** The files of each family: satori reads woff (not woff2), one per weight and subset. */
const INTER_SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'];

/**
 * What a family's files cover, from fontsource's unicode.json ("U+0000-00FF,U+0131,…" per subset):
 * the named subsets, or every slice (Noto Emoji lists its one `emoji` file as slices `[0]`…`[10]`).
 */
async function coverage(pkg: string, subsets: string[] | 'all'): Promise<Array<[number, number]>> {
  const ranges = JSON.parse(await readFile(require.resolve(`${pkg}/unicode.json`), 'utf8')) as Record<string, string>;
  const out: Array<[number, number]> = [];
  for (const [subset, text] of Object.entries(ranges)) {
    if (subsets !== 'all' && !subsets.includes(subset)) continue;
    for (const part of text.split(',')) {
      const m = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
      if (!m) continue;
      const from = parseInt((m[1] as string).replace(/\?/g, '0'), 16);
      const to = m[2] ? parseInt(m[2], 16) : parseInt((m[1] as string).replace(/\?/g, 'f'), 16);
      out.push([from, to]);
    }
  }
  return out;
}

const covered = (ranges: Array<[number, number]>, code: number) => ranges.some(([a, b]) => code >= a && code <= b);

async function loadRenderer(): Promise<Renderer> {
  const [{ default: satori }, resvg] = await Promise.all([import('satori'), import('@resvg/resvg-wasm')]);
  await resvg.initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const fonts: FontFace[] = [];
  for (const weight of [400, 700] as const) {
    for (const subset of INTER_SUBSETS) {
      fonts.push({ name: 'Inter', weight, style: 'normal', data: await readFile(require.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`)) });
    }
  }
  const textRanges = await coverage('@fontsource/inter', INTER_SUBSETS);
  const emoji = await loadEmoji();
  if (emoji) fonts.push(emoji.font);
  /** Keeps what the fonts can draw; line breaks and other controls become spaces. */
  const drawable = (text: string, ranges: Array<[number, number]>) =>
    [...text]
      .map((ch) => (/[\u0000-\u001f\u007f]/.test(ch) ? ' ' : ch))
      .filter((ch) => ch === ' ' || covered(ranges, ch.codePointAt(0) as number))
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
  const clip = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('').trimEnd()}…` : text);

  return {
    async render(input) {
      const title = clip(drawable(input.title, textRanges), 70) || input.host;
      const description = input.description ? clip(drawable(input.description, textRanges), 140) : '';
      // A favicon is one emoji (or a short symbol): drawn when the emoji font or the text font has it.
      const favicon = input.favicon ? drawable(input.favicon, emoji ? [...textRanges, ...emoji.ranges] : textRanges) : '';
      const node = (style: Record<string, unknown>, children: unknown) => ({ type: 'div', props: { style, children } });
      // A flat background and one accent bar: a gradient costs resvg several times the render and
      // the PNG three times the bytes (docs/BENCHMARKS.md, og-image).
      const tree = node(
        { width: OG_WIDTH, height: OG_HEIGHT, display: 'flex', backgroundColor: '#0f172a', color: '#f8fafc', fontFamily: 'Inter, Noto Emoji' },
        [
          node({ position: 'absolute', top: 0, left: 0, width: OG_WIDTH, height: 14, backgroundColor: '#3b82f6' }, ''),
          node({ position: 'absolute', top: 56, left: PADDING, width: TEXT_WIDTH, height: 120, display: 'flex', alignItems: 'center', justifyContent: 'space-between' }, [
            node({ display: 'flex', fontSize: 96 }, favicon),
            node({ display: 'flex', fontSize: 28, color: '#93c5fd' }, drawable(input.host, textRanges)),
          ]),
          // Anchored to the bottom: a long title grows upwards, towards the favicon, never off the picture.
          node({ position: 'absolute', left: PADDING, bottom: 64, width: TEXT_WIDTH, display: 'flex', flexDirection: 'column' }, [
            node({ display: 'flex', width: TEXT_WIDTH, fontSize: [...title].length > 40 ? 54 : 68, fontWeight: 700, lineHeight: 1.15 }, title),
            ...(description ? [node({ display: 'flex', width: TEXT_WIDTH, fontSize: 32, marginTop: 24, color: '#cbd5e1', lineHeight: 1.35 }, description)] : []),
          ]),
        ],
      );
      const svg = await satori(tree as Parameters<typeof satori>[0], {
        width: OG_WIDTH,
        height: OG_HEIGHT,
        fonts,
        // Never fetch: whatever the fonts lack stays out (the text was filtered already).
        loadAdditionalAsset: async () => [],
      });
      const png = new resvg.Resvg(svg, { fitTo: { mode: 'original' } }).render().asPng();
      return png;
    },
  };
}

/** Noto Emoji (monochrome outlines satori can draw), when the package is installed. */
async function loadEmoji(): Promise<{ font: FontFace; ranges: Array<[number, number]> } | null> {
  try {
    const data = await readFile(require.resolve('@fontsource/noto-emoji/files/noto-emoji-emoji-400-normal.woff'));
    return { font: { name: 'Noto Emoji', weight: 400, style: 'normal', data }, ranges: await coverage('@fontsource/noto-emoji', 'all') };
  } catch {
    return null;
  }
}

let renderer: Promise<Renderer> | undefined;

/** Renders one image; the libraries and fonts are loaded by the first call. */
export async function renderOgImage(input: OgImageInput): Promise<Uint8Array> {
  renderer ??= loadRenderer().catch((e: unknown) => {
    renderer = undefined; // the next request tries again
    throw e;
  });
  return (await renderer).render(input);
}

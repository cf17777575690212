// compose_page: blocks + a style preset → one self-contained HTML document. Inline CSS and script
// only, no external request of any kind (no CDN, no web font, no image unless a prop names one),
// landmarks (header/main/footer) with distinct names, a skip link, exactly one h1 and no skipped
// heading level, and in-page links that all arrive somewhere (page-links.ts).
import { AppError } from '../errors.js';
import { BASE_CSS, FORM_CSS } from './base-css.js';
import { POW_SCRIPT } from './pow-widget.js';
import { BLOCKS, findBlock, type BlockDefinition } from './blocks/index.js';
import type { RenderContext } from './blocks/types.js';
import { esc, link } from './html.js';
import { assignAnchors, landmarkLabeller, linkResolver, type Section } from './page-links.js';
import { Props, resolveProps } from './props.js';
import { DEFAULT_STYLE, STYLES, findStyle, styleVariables } from './styles.js';

export interface PageMeta {
  title: string;
  description?: string | undefined;
  /** One emoji, drawn as an inline SVG favicon. */
  favicon?: string | undefined;
  lang?: string | undefined;
}

export interface BlockInput {
  blockId: string;
  props?: Record<string, unknown> | undefined;
}

export interface ComposeInput {
  style?: string | undefined;
  blocks: readonly BlockInput[];
  page: PageMeta;
}

export const MAX_BLOCKS = 40;

export function composePage(input: ComposeInput): string {
  const styleId = input.style ?? DEFAULT_STYLE;
  const style = findStyle(styleId);
  if (!style) {
    throw new AppError('invalid_input', `Unknown style "${styleId}". Styles: ${STYLES.map((s) => s.id).join(', ')} (list_styles describes them).`);
  }
  if (input.blocks.length === 0) throw new AppError('invalid_input', 'Give at least one block. Call list_blocks to see them.');
  if (input.blocks.length > MAX_BLOCKS) throw new AppError('invalid_input', `At most ${MAX_BLOCKS} blocks per page; split the content into several pages.`);
  const title = input.page.title.trim();
  if (!title) throw new AppError('invalid_input', 'page.title is required: it is the browser tab title and what search results show.');
  const lang = input.page.lang ?? 'en';
  if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(lang)) {
    throw new AppError('invalid_input', `page.lang "${lang}" is not a language tag; use one such as "en", "de" or "pt-BR".`);
  }

  // Resolve every block first, so one bad prop fails before any rendering.
  const resolved = input.blocks.map((b, i) => {
    const block = findBlock(b.blockId);
    if (!block) {
      throw new AppError('invalid_input', `Unknown block "${b.blockId}" (block ${i + 1}). Blocks: ${BLOCKS.map((x) => x.id).join(', ')}. Call list_blocks for their props.`);
    }
    const values = resolveProps(`block ${i + 1} ("${block.id}")`, block.props, b.props);
    return { block, values, given: b.props?.anchor !== undefined && b.props.anchor !== null };
  });
  // Every section gets an anchor, so that links can point at it (page-links.ts).
  const anchors = assignAnchors(resolved.map((r) => ({ block: r.block, anchor: 'anchor' in r.block.props ? (r.values.anchor as string) : undefined, given: r.given })));
  const sections: Section[] = [];
  resolved.forEach((r, i) => {
    const anchor = anchors[i];
    if (anchor === null || anchor === undefined) return;
    r.values.anchor = anchor;
    if (landmarkOf(r.block) === 'main') sections.push({ block: r.block, anchor });
  });
  const resolveLink = linkResolver(sections);
  const landmark = landmarkLabeller();
  const pageInfo = { title, year: new Date().getUTCFullYear() };

  let h1Used = false;
  const parts: Record<'header' | 'main' | 'footer', string[]> = { header: [], main: [], footer: [] };
  resolved.forEach(({ block, values }, i) => {
    // The block's own heading level once it has one; its subheadings are one below (h2 without one).
    let level = 1;
    const ctx: RenderContext = {
      id: (name) => `b${i + 1}-${name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`,
      heading(text, attrs) {
        level = h1Used ? 2 : 1;
        h1Used = true;
        return `<h${level}${attrs ? ` ${attrs}` : ''}>${esc(text)}</h${level}>`;
      },
      subheading: (text) => `<h${level + 1}>${esc(text)}</h${level + 1}>`,
      link(href, text, className) {
        const target = resolveLink(href, anchors[i] ?? null);
        return target === null ? '' : link(target, text, className);
      },
      landmark,
      page: pageInfo,
    };
    parts[landmarkOf(block)].push(block.render(new Props(values), ctx));
  });
  const main = (h1Used ? '' : `<h1 class="visually-hidden">${esc(title)}</h1>`) + parts.main.join('');
  const body =
    `<a class="skip" href="#main">Skip to content</a>` +
    (parts.header.length ? `<header>${parts.header.join('')}</header>` : '') +
    `<main id="main" tabindex="-1">${main}</main>` +
    (parts.footer.length ? `<footer>${parts.footer.join('')}</footer>` : '');
  checkUniqueIds(body);

  const blocks = resolved.map((r) => r.block);
  const css = [styleVariables(style), BASE_CSS, blocks.some((b) => b.form) ? FORM_CSS : '', ...unique(blocks.map((b) => b.css ?? ''))].join('').replace(/\n/g, '');
  // A form block with form_protection "pow" carries data-pow: the page then carries the widget.
  const scripts = unique([...blocks.map((b) => b.script ?? ''), body.includes(' data-pow>') ? POW_SCRIPT : '']).filter(Boolean);
  const description = input.page.description?.trim();
  return (
    `<!doctype html>\n<html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title>` +
    (description ? `<meta name="description" content="${esc(description)}">` : '') +
    `<link rel="icon" href="${esc(faviconHref(input.page.favicon))}">` +
    `<style>${css}</style></head><body>${body}` +
    scripts.map((s) => `<script>${s}</script>`).join('') +
    `</body></html>\n`
  );
}

function landmarkOf(block: BlockDefinition): 'header' | 'main' | 'footer' {
  if (block.category === 'navigation') return 'header';
  if (block.category === 'footer') return 'footer';
  return 'main';
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function checkUniqueIds(html: string): void {
  const seen = new Set<string>();
  for (const m of html.matchAll(/\sid="([^"]*)"/g)) {
    const id = m[1] as string;
    if (seen.has(id)) {
      throw new AppError('invalid_input', `Two blocks use the anchor "${id}"; give one of them a different "anchor" prop.`);
    }
    seen.add(id);
  }
}

/**
 * The favicon as a data: URL (an emoji drawn in SVG), so the browser does not fetch /favicon.ico.
 * "data:," is the empty icon for pages without one.
 */
function faviconHref(favicon: string | undefined): string {
  const emoji = favicon?.trim();
  if (!emoji) return 'data:,';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><text y=".9em" font-size="90">${esc(emoji)}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

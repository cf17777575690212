// A block is data plus a pure render function: list_blocks shows the data, compose_page calls render.
import type { Props, PropSpecs } from '../props.js';

export const BLOCK_CATEGORIES = [
  'navigation',
  'hero',
  'features',
  'stats',
  'pricing',
  'testimonials',
  'faq',
  'cta',
  'forms',
  'content',
  'footer',
] as const;
export type BlockCategory = (typeof BLOCK_CATEGORIES)[number];

export interface RenderContext {
  /** A page-unique id for labels, aria-labelledby and anchors; same name → same id within a block. */
  id(name: string): string;
  /** The block's main heading: h1 for the first block that asks, h2 afterwards. */
  heading(text: string, attrs?: string): string;
  /** A heading one level below the block's main heading (cards, columns); h2 in a block without one. */
  subheading(text: string): string;
  /**
   * `<a>` with escaped text; an in-page link goes to the block on the page that answers it, and is ''
   * (left out) when none does (page-links.ts). Blocks render every link through this.
   */
  link(href: string, text: string, className?: string): string;
  /** A label for a landmark (nav), numbered when the page already has one of that name. */
  landmark(label: string): string;
  /** The page itself, for defaults that must not be placeholders (the brand is the page title). */
  page: { title: string; year: number };
}

export interface BlockDefinition {
  id: string;
  category: BlockCategory;
  description: string;
  props: PropSpecs;
  /** CSS this block needs beyond the base stylesheet, added once per page. */
  css?: string;
  /** Inline script this block needs, added once per page; blocks must work without it. */
  script?: string;
  /** Whether the block contains a form (its CSS is then included). */
  form?: boolean;
  render(props: Props, ctx: RenderContext): string;
}

export function defineBlock(block: BlockDefinition): BlockDefinition {
  return block;
}

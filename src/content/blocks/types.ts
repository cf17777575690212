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
  /** A heading one level below the block's main heading (cards, columns). */
  subheading(text: string): string;
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

// Every block, in the order list_blocks shows them (grouped by category, roughly top to bottom of a page).
import { contentBlocks } from './content.js';
import { faqCtaBlocks } from './faq-cta.js';
import { featureBlocks } from './features.js';
import { footerBlocks } from './footer.js';
import { formBlocks } from './forms.js';
import { heroBlocks } from './hero.js';
import { navBlocks } from './navigation.js';
import { socialBlocks } from './social.js';
import { statsPricingBlocks } from './stats-pricing.js';
import type { BlockDefinition } from './types.js';

export const BLOCKS: readonly BlockDefinition[] = [
  ...navBlocks,
  ...heroBlocks,
  ...featureBlocks,
  ...statsPricingBlocks,
  ...socialBlocks,
  ...faqCtaBlocks,
  ...formBlocks,
  ...contentBlocks,
  ...footerBlocks,
];

export function findBlock(id: string): BlockDefinition | undefined {
  return BLOCKS.find((b) => b.id === id);
}

export type { BlockCategory, BlockDefinition } from './types.js';
export { BLOCK_CATEGORIES } from './types.js';

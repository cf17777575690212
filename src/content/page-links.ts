// What makes a composed page work as it is: every section has an anchor (its own, or one named after
// its kind, numbered when repeated), and an in-page link (#x) points at a block on the page: the one
// anchored x, else the first block that fits x (a form for #signup, the pricing table for #plans),
// else it is left out, so no button leads nowhere. Landmark labels are numbered when repeated
// ("Main", "Main 2"), since two navigation landmarks with one name cannot be told apart.
import { AppError } from '../errors.js';
import type { BlockCategory, BlockDefinition } from './blocks/types.js';

/** Link targets people write, by the kind of block that answers them. */
const FITS: Partial<Record<BlockCategory, readonly string[]>> = {
  forms: ['signup', 'sign-up', 'join', 'subscribe', 'newsletter', 'register', 'rsvp', 'contact', 'apply', 'form', 'waitlist', 'feedback', 'get-started', 'start'],
  features: ['features', 'how', 'how-it-works', 'steps', 'benefits'],
  pricing: ['pricing', 'plans', 'prices'],
  faq: ['faq', 'questions', 'help'],
  testimonials: ['testimonials', 'reviews', 'customers'],
  stats: ['stats', 'numbers'],
  content: ['about', 'work', 'portfolio', 'details', 'links', 'story'],
};

export interface Section {
  block: BlockDefinition;
  /** The anchor in force ('' when the block was explicitly given none). */
  anchor: string;
}

export function cleanAnchor(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The anchor of each block, in order: an explicit one as given (two equal ones are an error), a
 * default one (the block's, or its category) made unique with -2, -3…; null for blocks without one.
 */
export function assignAnchors(blocks: ReadonlyArray<{ block: BlockDefinition; anchor: string | undefined; given: boolean }>): Array<string | null> {
  const used = new Set<string>(['main']);
  const out: Array<string | null> = blocks.map(() => null);
  blocks.forEach(({ anchor, given }, i) => {
    if (!given || anchor === undefined) return;
    const clean = cleanAnchor(anchor);
    if (clean && used.has(clean)) throw new AppError('invalid_input', `Two blocks use the anchor "${clean}"; give one of them a different "anchor" prop.`);
    if (clean) used.add(clean);
    out[i] = clean;
  });
  blocks.forEach(({ block, anchor, given }, i) => {
    if (given || anchor === undefined) return;
    const base = cleanAnchor(anchor) || block.category;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    out[i] = name;
  });
  return out;
}

/** Resolves in-page links against the page's sections. */
export function linkResolver(sections: readonly Section[]): (href: string) => string | null {
  const anchors = new Set(sections.map((s) => s.anchor).filter(Boolean));
  return (href) => {
    if (!href.startsWith('#')) return href;
    const target = href.slice(1).toLowerCase();
    if (target === '' || target === 'main' || anchors.has(target)) return href;
    const fit = sections.find((s) => s.anchor && FITS[s.block.category]?.includes(target));
    return fit ? `#${fit.anchor}` : null;
  };
}

/** Numbers repeated landmark labels in page order: "Main", "Main 2", … */
export function landmarkLabeller(): (label: string) => string {
  const seen = new Map<string, number>();
  return (label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} ${n}`;
  };
}

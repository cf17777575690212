// What makes a composed page work as it is: every section has an anchor (its own, or one named after
// its kind, numbered when repeated), and an in-page link (#x) points at a block on the page: the one
// anchored x, else the first other block that fits x (a form for #signup, the pricing table for
// #plans), else it is left out, so no button leads nowhere. Landmark labels are numbered when repeated
// ("Main", "Main 2"), since two navigation landmarks with one name cannot be told apart.
import { AppError } from '../errors.js';
import type { BlockCategory, BlockDefinition } from './blocks/types.js';

type Fits = (block: BlockDefinition) => boolean;
const inCategory = (category: BlockCategory): Fits => (b) => b.category === category;
const oneOf = (...ids: string[]): Fits => (b) => ids.includes(b.id);

/** Link targets people write, with the blocks that answer them (the first on the page wins). */
const FITS: ReadonlyArray<[readonly string[], Fits]> = [
  [['contact'], oneOf('form-contact', 'form')],
  [['feedback', 'survey'], oneOf('form-survey')],
  [['rsvp'], oneOf('form-rsvp', 'form')],
  [['signup', 'sign-up', 'join', 'subscribe', 'newsletter', 'waitlist', 'register', 'apply', 'form', 'get-started', 'start'], inCategory('forms')],
  [['features', 'how', 'how-it-works', 'steps', 'benefits'], inCategory('features')],
  [['pricing', 'plans', 'prices'], inCategory('pricing')],
  [['faq', 'questions', 'help'], inCategory('faq')],
  [['testimonials', 'reviews', 'customers'], inCategory('testimonials')],
  [['stats', 'numbers'], inCategory('stats')],
  [['about', 'story'], oneOf('text')],
  [['work', 'portfolio', 'projects'], oneOf('gallery')],
  [['details', 'when', 'where'], oneOf('event-details')],
];

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

/** Resolves in-page links against the page's sections; a block is never the stand-in target of its own links. */
export function linkResolver(sections: readonly Section[]): (href: string, from: string | null) => string | null {
  const anchors = new Set(sections.map((s) => s.anchor).filter(Boolean));
  return (href, from) => {
    if (!href.startsWith('#')) return href;
    const target = href.slice(1).toLowerCase();
    if (target === '' || target === 'main' || anchors.has(target)) return href;
    const fits = FITS.find(([names]) => names.includes(target))?.[1];
    const fit = fits && sections.find((s) => s.anchor && s.anchor !== from && fits(s.block));
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

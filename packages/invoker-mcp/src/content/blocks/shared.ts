// Prop declarations and fragments several blocks share.
import { esc, join } from '../html.js';
import type { Props, PropSpecs } from '../props.js';
import type { RenderContext } from './types.js';

export const anchorProp: PropSpecs = {
  anchor: { type: 'text', description: 'Section id for in-page links (e.g. "features" for #features); empty for none', default: '' },
};

/** Two call-to-action buttons; either hides when its label is empty or its in-page target is not on the page. */
export const actionProps: PropSpecs = {
  primaryLabel: { type: 'text', description: 'Main button text; empty hides it', default: 'Get started' },
  primaryHref: { type: 'url', description: 'Main button target (an in-page #link goes to the block that fits it, e.g. the form)', default: '#signup' },
  secondaryLabel: { type: 'text', description: 'Second button text; empty hides it', default: '' },
  secondaryHref: { type: 'url', description: 'Second button target', default: '#' },
};

export function actions(p: Props, ctx: RenderContext): string {
  const buttons = join([
    p.text('primaryLabel') && ctx.link(p.text('primaryHref'), p.text('primaryLabel'), 'btn'),
    p.text('secondaryLabel') && ctx.link(p.text('secondaryHref'), p.text('secondaryLabel'), 'btn ghost'),
  ]);
  return buttons && `<div class="actions">${buttons}</div>`;
}

/** `<li>` links; those whose in-page target is not on the page are left out (so is an empty list's `<li>`). */
export function linkItems(ctx: RenderContext, links: ReadonlyArray<{ href: string; label: string }>): string {
  return links.map((l) => ctx.link(l.href, l.label)).filter(Boolean).map((a) => `<li>${a}</li>`).join('');
}

/** id attribute from the anchor prop: letters, digits, - and _ only, so it is a usable fragment. */
export function anchorAttr(p: Props): string {
  const clean = p.text('anchor').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean ? ` id="${esc(clean)}"` : '';
}

export function paragraph(text: string, className = ''): string {
  return text ? `<p${className ? ` class="${className}"` : ''}>${esc(text)}</p>` : '';
}

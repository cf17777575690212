// Prop declarations and fragments several blocks share.
import { esc, join, link } from '../html.js';
import type { Props, PropSpecs } from '../props.js';

export const anchorProp: PropSpecs = {
  anchor: { type: 'text', description: 'Section id for in-page links (e.g. "features" for #features); empty for none', default: '' },
};

/** Two call-to-action buttons; either hides when its label is empty. */
export const actionProps: PropSpecs = {
  primaryLabel: { type: 'text', description: 'Main button text; empty hides it', default: 'Get started' },
  primaryHref: { type: 'url', description: 'Main button target', default: '#signup' },
  secondaryLabel: { type: 'text', description: 'Second button text; empty hides it', default: '' },
  secondaryHref: { type: 'url', description: 'Second button target', default: '#' },
};

export function actions(p: Props): string {
  const buttons = join([
    p.text('primaryLabel') && link(p.text('primaryHref'), p.text('primaryLabel'), 'btn'),
    p.text('secondaryLabel') && link(p.text('secondaryHref'), p.text('secondaryLabel'), 'btn ghost'),
  ]);
  return buttons && `<div class="actions">${buttons}</div>`;
}

/** id attribute from the anchor prop: letters, digits, - and _ only, so it is a usable fragment. */
export function anchorAttr(p: Props): string {
  const clean = p.text('anchor').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return clean ? ` id="${esc(clean)}"` : '';
}

export function paragraph(text: string, className = ''): string {
  return text ? `<p${className ? ` class="${className}"` : ''}>${esc(text)}</p>` : '';
}

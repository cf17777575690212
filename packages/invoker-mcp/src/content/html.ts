// Escaping for every value that reaches generated HTML. Props come from the model, which got them
// from a user or a web page: they are untrusted text, never markup.
import { AppError } from '../errors.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value, safe inside element content and double- or single-quoted attributes. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

// Schemes a link may use; anything else (javascript:, data:, vbscript:, file:) could run code or
// read local files when clicked.
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/** A URL prop: relative, fragment or http(s)/mailto/tel only. Throws invalid_input otherwise. */
export function checkUrl(value: string, propName: string): string {
  const trimmed = value.trim();
  // Browsers drop tabs and newlines inside URLs and ignore leading control characters, so
  // "java\nscript:" is javascript: too; judge the URL the browser would see.
  const normalised = trimmed.replace(/[\u0000-\u001f\u007f\s]+/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(normalised)?.[1];
  if (scheme !== undefined && !SAFE_SCHEMES.has(`${scheme.toLowerCase()}:`)) {
    throw new AppError(
      'invalid_input',
      `Prop "${propName}" has a "${scheme}:" URL, which is not allowed. Use an https://, http://, mailto: or tel: URL, a relative path or a #fragment.`,
    );
  }
  if (scheme === undefined && /^[^/#?.]*:/.test(normalised)) {
    throw new AppError('invalid_input', `Prop "${propName}" is not a valid URL: "${value}". Use an https:// URL, a relative path or a #fragment.`);
  }
  return trimmed;
}

/** `<a>` with escaped text and href; external links open normally (no target) so Back works. */
export function link(href: string, text: string, className?: string): string {
  return `<a href="${esc(href)}"${className ? ` class="${className}"` : ''}>${esc(text)}</a>`;
}

/** Joins rendered fragments, skipping empty ones. */
export function join(parts: Array<string | false | null | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('');
}

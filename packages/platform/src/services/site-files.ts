// Turning a deploy body into the files a site version stores: path normalisation, decoding,
// content types, size limits and the {{SUBMIT_URL}} placeholder. Pure functions.
import { createHash } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import type { Limits } from '../config.js';
import type { DeployRequest } from 'invoker-mcp/contract/sites.js';
import type { StoredFile } from '../store/store.js';

/** INVOKER_MAX_FILE_MB, INVOKER_MAX_DEPLOY_MB, INVOKER_MAX_FILES. */
export type DeployLimits = Pick<Limits, 'maxFileBytes' | 'maxDeployBytes' | 'maxFiles'>;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  wasm: 'application/wasm',
  webmanifest: 'application/manifest+json',
};

export function contentTypeFor(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  // Own keys only: a file named "__proto__" or "constructor" must not find Object.prototype's.
  return Object.hasOwn(CONTENT_TYPES, ext) ? (CONTENT_TYPES[ext] as string) : 'application/octet-stream';
}

/**
 * The canonical stored form of a path: no leading slash, no `.`/`..` segments, no backslashes,
 * no NUL or control characters. Returns null for a path that cannot be made safe.
 */
export function normalisePath(raw: string): string | null {
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return null;
  const segments: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return null;
    segments.push(segment);
  }
  if (segments.length === 0) return null;
  if (/^[a-zA-Z]:$/.test(segments[0] as string)) return null;
  return segments.join('/');
}

export function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

const SUBMIT_PLACEHOLDER = /\{\{\s*SUBMIT_URL\s*\}\}/g;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

export interface PageMetadata {
  title?: string | null | undefined;
  description?: string | null | undefined;
  favicon?: string | null | undefined;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Adds the title, description, Open Graph tags and emoji favicon from the deploy's metadata to an
 * HTML document's <head> (see insertIntoHead), each only when the document does not set it itself.
 * Fragments without <html>, <head> or a doctype are left alone.
 */
export function injectMetadata(html: string, meta: PageMetadata): string {
  const tags: string[] = [];
  // Open Graph tags follow the page's own title/description when it has them.
  if (meta.title && !/<title[\s>]/i.test(html)) {
    tags.push(`<title>${escapeAttr(meta.title)}</title>`);
    if (!/property=["']og:title/i.test(html)) tags.push(`<meta property="og:title" content="${escapeAttr(meta.title)}">`);
  }
  if (meta.description && !/name=["']description/i.test(html)) {
    tags.push(`<meta name="description" content="${escapeAttr(meta.description)}">`);
    if (!/property=["']og:description/i.test(html)) {
      tags.push(`<meta property="og:description" content="${escapeAttr(meta.description)}">`);
    }
  }
  if (meta.favicon && !/rel=["'][^"']*icon/i.test(html)) {
    const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'><text y='.9em' font-size='90'>${escapeAttr(meta.favicon)}</text></svg>`;
    tags.push(`<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(svg)}">`);
  }
  if (tags.length === 0) return html;
  return insertIntoHead(html, tags.join('')) ?? html;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text of index.html's own <title>, as a browser tab shows it (tags dropped, common entities
 * decoded, white space collapsed, at most 200 characters), or null when it has none.
 */
export function pageTitle(files: StoredFile[]): string | null {
  const index = files.find((f) => f.path === 'index.html' && f.contentType.toLowerCase().startsWith('text/html'));
  if (!index) return null;
  return htmlTitle(textOf(index.body));
}

/** Bytes as UTF-8 text, read in place: Buffer.from(bytes) would copy a 20 KB page first. */
export function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * The document with `block` at the start of its <head> (one is made inside <html> when there is
 * none; a document that leaves both implied gets it after its doctype, since before it a browser
 * would fall into quirks mode), or null for a fragment, which is served exactly as sent.
 */
export function insertIntoHead(html: string, block: string): string | null {
  if (/<head[\s>]/i.test(html)) return html.replace(/<head(?:\s[^>]*)?>/i, (m) => m + block);
  if (/<html[\s>]/i.test(html)) return html.replace(/<html(?:\s[^>]*)?>/i, (m) => `${m}<head>${block}</head>`);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0];
  return doctype ? doctype + block + html.slice(doctype.length) : null;
}

/** The text of an HTML document's own <title> (see pageTitle), or null when it has none. */
export function htmlTitle(html: string): string | null {
  const match = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  if (!match) return null;
  const text = (match[1] as string)
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|(\w+));/gi, (whole, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) return ENTITIES[name.toLowerCase()] ?? whole;
      const code = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    })
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return text === '' ? null : [...text].slice(0, 200).join('');
}

/** Decodes and checks the files of a deploy body, replacing {{SUBMIT_URL}} in HTML. */
export function buildSiteFiles(
  body: Pick<DeployRequest, 'html' | 'files'>,
  submitUrl: string,
  limits: DeployLimits,
  meta: PageMetadata = {},
): StoredFile[] {
  const hasHtml = body.html !== undefined;
  const hasFiles = body.files !== undefined;
  if (hasHtml === hasFiles) {
    throw new AppError('invalid_input', 'Send either "html" (one page) or "files" (several files), not both and not neither.');
  }
  const raw = hasHtml
    ? [{ path: 'index.html', content: body.html as string, encoding: 'utf-8' as const, content_type: undefined, contentType: undefined }]
    : (body.files as NonNullable<DeployRequest['files']>);
  if (hasHtml && (body.html as string).trim() === '') {
    throw new AppError('invalid_input', '"html" is empty: send a complete HTML document.');
  }
  if (raw.length === 0) throw new AppError('invalid_input', '"files" is empty: include at least index.html.');
  if (raw.length > limits.maxFiles) {
    throw new AppError('too_large', `A deploy may hold at most ${limits.maxFiles} files; this one has ${raw.length}.`);
  }

  const seen = new Set<string>();
  const out: StoredFile[] = [];
  let total = 0;
  for (const f of raw) {
    const path = normalisePath(f.path);
    if (path === null) {
      throw new AppError('invalid_input', `File path "${f.path}" is not allowed: use relative paths like "css/site.css" without "..".`);
    }
    if (seen.has(path)) throw new AppError('invalid_input', `File path "${path}" appears more than once.`);
    seen.add(path);
    const base64 = f.encoding === 'base64';
    if (base64 && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(f.content.replace(/\s+/g, ''))) {
      throw new AppError('invalid_input', `File "${path}" says encoding "base64" but its content is not valid base64.`);
    }
    const contentType = f.content_type ?? f.contentType ?? contentTypeFor(path);
    let bytes: Uint8Array;
    let source: Uint8Array | undefined;
    if (contentType.toLowerCase().startsWith('text/html')) {
      // Edited as text and encoded once: a 20 KB page was converted three times before.
      const text = base64 ? Buffer.from(f.content, 'base64').toString('utf8') : f.content;
      const served = injectMetadata(text.replace(SUBMIT_PLACEHOLDER, submitUrl), meta);
      bytes = Buffer.from(served, 'utf8');
      // Kept only when it differs: patch_page edits the page as it was sent (StoredFile.source).
      if (served !== text) source = Buffer.from(text, 'utf8');
    } else {
      bytes = Buffer.from(f.content, base64 ? 'base64' : 'utf8');
    }
    if (bytes.byteLength > limits.maxFileBytes) {
      throw new AppError('too_large', `File "${path}" is ${megabytes(bytes.byteLength)}; the limit is ${megabytes(limits.maxFileBytes)} per file.`);
    }
    total += bytes.byteLength;
    if (total > limits.maxDeployBytes) {
      throw new AppError('too_large', `This deploy is over ${megabytes(limits.maxDeployBytes)} in total; remove or compress some files.`);
    }
    out.push({ path, contentType, etag: etagOf(bytes), body: bytes, ...(source ? { source } : {}) });
  }
  if (!seen.has('index.html')) {
    throw new AppError('invalid_input', 'A multi-file site needs an "index.html" at its root: it is what "/" serves.');
  }
  return out;
}

/** Candidate stored paths for a request path, in the order they are tried. */
export function candidatePaths(requestPath: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return [];
  }
  const trailing = decoded.endsWith('/');
  const clean = normalisePath(decoded);
  if (clean === null) return decoded.replace(/\/+/g, '') === '' ? ['index.html'] : [];
  if (trailing) return [`${clean}/index.html`, `${clean}.html`];
  return [clean, `${clean}.html`, `${clean}/index.html`];
}

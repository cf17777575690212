// patch_page's edits (SPEC section 12): exact find/replace on the files of a version as they were
// uploaded, giving the files of the next version. Pure: the sites service reads the sources and
// writes the result through the same path as every deploy (buildSiteFiles: limits, {{SUBMIT_URL}},
// metadata), so every file not edited is stored again byte for byte.
import { AppError } from 'invoker-mcp/errors.js';
import type { PageEdit, SiteFile } from 'invoker-mcp/contract/sites.js';
import type { SourceFile } from '../store/store.js';

/** Media types edited as text; anything else (images, fonts, archives) is never touched. */
function isTextType(contentType: string): boolean {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type.startsWith('text/') || /^application\/(json|javascript|xml|ecmascript)$/.test(type) || /\+(json|xml)$/.test(type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How many times `find` occurs in `text`, counting overlapping matches (each must be unambiguous). */
function occurrences(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count++;
  return count;
}

const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text);

/**
 * The next version's files: `sources` with `edits` applied in order (each `find` must occur exactly
 * once in its file as the edits before it left it), as a deploy body's files.
 */
export function applyEdits(sources: readonly SourceFile[], edits: readonly PageEdit[], version: number): SiteFile[] {
  const texts = new Map<string, string>();
  edits.forEach((edit, i) => {
    const path = edit.path ?? 'index.html';
    const where = `Edit ${i + 1} (${path})`;
    let text = texts.get(path);
    if (text === undefined) {
      const file = sources.find((f) => f.path === path);
      if (!file) {
        const names = sources.map((f) => f.path);
        const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? `, … (${names.length} files)` : '');
        throw new AppError('invalid_input', `${where}: version ${version} has no file "${path}". Its files: ${shown}.`);
      }
      if (!isTextType(file.contentType)) {
        throw new AppError('invalid_input', `${where}: "${path}" is ${file.contentType.split(';')[0]}, not text: patches edit text files only. Send a new file with update.`);
      }
      try {
        text = utf8.decode(file.body);
      } catch {
        throw new AppError('invalid_input', `${where}: "${path}" is not UTF-8 text, so it cannot be patched. Send a new file with update.`);
      }
    }
    const count = occurrences(text, edit.find);
    if (count !== 1) {
      const found = `occurs ${count} times`;
      const next = count === 0 ? 'Copy it exactly from the page as it is now (whitespace included).' : 'Include more of the text around it so it matches one place.';
      throw new AppError('invalid_input', `${where}: find ${quote(edit.find)} ${found} in version ${version}; it must occur exactly once. ${next}`);
    }
    const at = text.indexOf(edit.find);
    texts.set(path, text.slice(0, at) + edit.replace + text.slice(at + edit.find.length));
  });
  return sources.map((f) => {
    const edited = texts.get(f.path);
    const content_type = f.contentType;
    if (edited !== undefined) return { path: f.path, content: edited, content_type };
    return { path: f.path, content: Buffer.from(f.body).toString('base64'), encoding: 'base64' as const, content_type };
  });
}

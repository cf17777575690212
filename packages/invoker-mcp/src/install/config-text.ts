// Adds or removes one server entry in the text of a client's config file. Edits are made on the
// text, not by re-serialising a parsed object, so every other byte of the file stays as the user
// left it: other servers, key order, indentation, comments. jsonc-parser finds the spots; the new
// text is laid out here because its formatter would also reflow the neighbouring entry's line.
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../errors.js';

export interface FileFormat {
  /** Where the text came from, for error messages. */
  path: string;
  /** The top-level key that maps server names to entries (`mcpServers` or `servers`). */
  rootKey: string;
  /** JSON with comments and trailing commas (VS Code, Cursor); otherwise strict JSON. */
  jsonc: boolean;
}

export type EditResult =
  | { changed: false; reason: 'unchanged' | 'absent' }
  /** `replaced`: an entry of that name was there before, with different settings. */
  | { changed: true; text: string; replaced: boolean };

// Windows editors may save a UTF-8 byte order mark; parse without it and put it back on write.
const BOM = '\uFEFF';

function withoutBom(text: string): { bom: string; body: string } {
  return text.startsWith(BOM) ? { bom: BOM, body: text.slice(1) } : { bom: '', body: text };
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** The parsed document, or a `config` error that names the file, the spot and the fix. */
export function parseConfigText(text: string, format: FileFormat): Record<string, unknown> {
  if (text.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: format.jsonc, disallowComments: !format.jsonc });
  const first = errors[0];
  if (first) {
    const what = printParseErrorCode(first.error);
    const hint = format.jsonc ? '' : ' (this client reads strict JSON: no comments, no trailing commas)';
    throw new AppError(
      'config',
      `${format.path} is not valid JSON: ${what} at ${lineAndColumn(text, first.offset)}${hint}. ` +
        'It was left untouched: fix it in an editor (or move it aside) and run the command again.',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('config', `${format.path} should hold a JSON object ({ … }) at the top. It was left untouched: fix or move it, then run the command again.`);
  }
  const servers = (value as Record<string, unknown>)[format.rootKey];
  if (servers !== undefined && (servers === null || typeof servers !== 'object' || Array.isArray(servers))) {
    throw new AppError(
      'config',
      `"${format.rootKey}" in ${format.path} should be an object mapping server names to settings. It was left untouched: fix it, then run the command again.`,
    );
  }
  return value as Record<string, unknown>;
}

function indentUnit(text: string): string {
  const m = /^([ \t]+)\S/m.exec(text);
  return m ? (m[1] as string).startsWith('\t') ? '\t' : (m[1] as string) : '  ';
}

/** The whitespace that starts the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** Text that inserts `"key": value` into `object`, indented like its other properties. */
function insertProperty(text: string, object: Node, key: string, value: unknown): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indentUnit(text);
  const children = object.children ?? [];
  const last = children.at(-1);
  const first = children[0];
  const indent = first ? lineIndent(text, first.offset) : lineIndent(text, object.offset) + unit;
  const valueText = JSON.stringify(value, null, unit).replaceAll('\n', eol + indent);
  const property = `${JSON.stringify(key)}: ${valueText}`;
  if (last) {
    const at = last.offset + last.length;
    return `${text.slice(0, at)},${eol}${indent}${property}${text.slice(at)}`;
  }
  const closing = lineIndent(text, object.offset);
  return `${text.slice(0, object.offset)}{${eol}${indent}${property}${eol}${closing}}${text.slice(object.offset + object.length)}`;
}

function replaceValue(text: string, node: Node, value: unknown): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const valueText = JSON.stringify(value, null, indentUnit(text)).replaceAll('\n', eol + lineIndent(text, node.offset));
  return text.slice(0, node.offset) + valueText + text.slice(node.offset + node.length);
}

function upsert(text: string, format: FileFormat, name: string, entry: unknown): string {
  const root = parseTree(text, [], { allowTrailingComma: format.jsonc, disallowComments: !format.jsonc }) as Node;
  const servers = findNodeAtLocation(root, [format.rootKey]);
  if (!servers) return insertProperty(text, root, format.rootKey, { [name]: entry });
  const existing = findNodeAtLocation(servers, [name]);
  return existing ? replaceValue(text, existing, entry) : insertProperty(text, servers, name, entry);
}

/** Puts `entry` under `rootKey.name`, replacing a different one; unchanged when it is already there. */
export function setEntry(text: string, format: FileFormat, name: string, entry: Record<string, unknown>): EditResult {
  const { bom, body } = withoutBom(text);
  const doc = parseConfigText(body, format);
  const servers = doc[format.rootKey] as Record<string, unknown> | undefined;
  const replaced = servers !== undefined && Object.hasOwn(servers, name);
  if (isDeepStrictEqual(servers?.[name], entry)) return { changed: false, reason: 'unchanged' };
  if (body.trim() === '') return { changed: true, replaced, text: `${bom}${JSON.stringify({ [format.rootKey]: { [name]: entry } }, null, 2)}\n` };
  return { changed: true, replaced, text: bom + upsert(body, format, name, entry) };
}

/** Removes `rootKey.name`; the rest of the file, including an emptied `rootKey`, stays. */
export function removeEntry(text: string, format: FileFormat, name: string): EditResult {
  const { bom, body } = withoutBom(text);
  const doc = parseConfigText(body, format);
  const servers = doc[format.rootKey] as Record<string, unknown> | undefined;
  if (!servers || !Object.hasOwn(servers, name)) return { changed: false, reason: 'absent' };
  return { changed: true, replaced: true, text: bom + applyEdits(body, modify(body, [format.rootKey, name], undefined, {})) };
}

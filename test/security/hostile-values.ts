// The values the hostile-request generator (hostile.ts) draws from: path segments, strings, methods,
// content types, and for every schema field (schema-fuzz.ts) the hostile values of its type.
import type { Leaf } from './schema-fuzz.js';

export const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  'a%00b',
  '%ff%fe',
  '%',
  '%zz',
  '\u202eevil',
  '%E2%80%AE',
  'ѕite',
  'аpple',
  '𝔞𝔟𝔠',
  '😀',
  'C',
  ' c',
  'c%20',
  'org_0000000000000000',
  'dep_0000000000000000',
  'null',
  'undefined',
  '[object Object]',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  "'; DROP TABLE sites; --",
  '<script>alert(1)</script>',
  '${7*7}',
  '{{SUBMIT_URL}}',
  'x'.repeat(2_000),
];

export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  'ѕіtе',
  'ﬁle',
  '😀'.repeat(50),
  '\ud800',
  '\udfff\ud800',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '\\\\server\\share',
  'index.html\u0000.png',
  '%2e%2e/secret',
  '__proto__',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil")',
  'inv_' + 'A'.repeat(38),
];

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'PURGE', 'get', 'LINK', 'QUERY'];

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=XyZ',
  'multipart/form-data',
  'application/xml',
  '*/*',
  'application/json, text/html',
];

/**
 * Strings that break a header, a URL or a file name if stored and later sent: line breaks that
 * would start another header, characters outside Latin-1 (Node refuses to write them), NUL, and
 * valid media types, so that deploys go through and their pages are fetched too.
 */
export const HEADER_ATTACKS = [
  'text/plain\nA: b',
  'text/plain\r\nSet-Cookie: session=stolen',
  'text/plain; x=☃',
  'text/html\u0000',
  'text/plain\u2028x',
  'text/plain; charset="utf-8',
  'text/plain;;;',
  ' text/plain',
  'x/y; a="\\"',
  'text/html; charset=utf-8',
  'text/css',
  'image/svg+xml',
  'application/octet-stream',
  'TEXT/HTML',
  '*/*',
];

/** Hostile values for a field of the given type; `undefined` means "leave the field out". */
export function hostileValues(leaf: Leaf): readonly unknown[] {
  const wrongTypes = [null, true, 0, -1, [], {}, [null], { $gt: '' }, 'x'.repeat(100_000)];
  switch (leaf) {
    case 'string':
      return [...HOSTILE_STRINGS, ...HEADER_ATTACKS, ...wrongTypes, undefined, '\u0007bell', 'a\nb', 'é'.repeat(5_000)];
    case 'number':
      return [0, -1, 1.5, 2 ** 53, 1e308, -0, '1', '1e3', 'abc', '', ...wrongTypes, undefined];
    case 'boolean':
      return ['true', 'false', 0, 1, 'yes', ...wrongTypes, undefined];
    case 'enum':
      return ['UTF-8', 'utf8', 'base64 ', 'binary', 'hex', '', ...wrongTypes, undefined];
    default:
      return [...wrongTypes, 'x', 1, undefined];
  }
}

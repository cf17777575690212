import { describe, expect, it } from 'vitest';
import { DeployRequestSchema } from './sites.js';
import { isMediaType, SINGLE_LINE } from './text.js';

describe('media types (RFC 9110)', () => {
  it('accepts what a Content-Type header may carry', () => {
    for (const type of [
      'text/html',
      'text/html; charset=utf-8',
      'text/html;charset="utf-8"',
      'application/vnd.api+json',
      'image/svg+xml',
      'multipart/form-data; boundary=XyZ',
      'text/plain; x="a \\"quoted\\" value"',
      'text/plain;',
    ]) {
      expect(isMediaType(type), type).toBe(true);
    }
  });

  it('refuses line breaks, control characters, non-ASCII and broken shapes', () => {
    for (const type of [
      'text/plain\nA: b',
      'text/plain\r\nSet-Cookie: x=1',
      'text/plain; x=☃',
      'text/plain\u0000',
      'text/pl\u007fain',
      'tëxt/plain',
      'text',
      'text/',
      '/plain',
      'text/plain; x',
      'text/plain; x="open',
      'text/plain; x=a b',
      '',
    ]) {
      expect(isMediaType(type), JSON.stringify(type)).toBe(false);
    }
  });

  it('answers at once on inputs built to make a regular expression backtrack', () => {
    // An ambiguous grammar takes exponential time on these; this one is linear.
    for (const type of [`a/b${' ;'.repeat(100)}x`, `a/b${'; c=d'.repeat(40)}\n`, `a/b; x="${'\\a'.repeat(95)}`]) {
      expect(isMediaType(type)).toBe(false);
    }
  });

  it('makes a deploy with an unservable content type a validation error naming the field', () => {
    const parsed = DeployRequestSchema.safeParse({ files: [{ path: 'a.txt', content: 'x', content_type: 'text/plain\nA: b' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['files', 0, 'content_type']);
  });
});

describe('single-line text', () => {
  it('refuses C0 and C1 controls and DEL, and keeps everything else', () => {
    expect(SINGLE_LINE.test('Launch 🚀 — “quoted” ѕite')).toBe(true);
    for (const text of ['a\nb', 'a\tb', 'a\u0000', 'a\u007f', 'a\u0085b']) expect(SINGLE_LINE.test(text), JSON.stringify(text)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { taggedFile, withSocialTags, type PreviewFacts } from './social-preview.js';

const facts: PreviewFacts = { url: 'http://s.example/about', image: 'http://s.example/_og.png', title: 'Site title', description: 'Site text', siteName: 's' };

describe('social tags', () => {
  it('adds what a document lacks, from its own title and description first', () => {
    const out = withSocialTags('<!doctype html><html><head><title>Own &amp; title</title><meta name="description" content="Own text"></head><body></body></html>', facts) ?? '';
    expect(out).toContain('<head><meta property="og:title" content="Own &amp; title"><meta property="og:description" content="Own text">');
    expect(out).toContain('<meta property="og:url" content="http://s.example/about">');
    expect(out).toContain('<meta property="og:image" content="http://s.example/_og.png">');
    expect(out).toContain('<meta name="twitter:card" content="summary_large_image">');
  });

  it('keeps the tags a page has, and changes nothing when it has them all', () => {
    const full =
      '<html><head><meta property="og:title" content="a"><meta property="og:description" content="b"><meta property="og:url" content="c">' +
      '<meta property="og:image" content="d"><meta name="twitter:card" content="summary"></head></html>';
    expect(withSocialTags(full, facts)).toBeNull();
    const some = withSocialTags('<html><head><meta property="og:image" content="mine.png"></head></html>', facts) ?? '';
    expect(some.match(/og:image"/g)).toHaveLength(1);
    expect(some).toContain('content="Site title"');
  });

  it('escapes what it writes, and leaves fragments as they are', () => {
    const out = withSocialTags('<html><body></body></html>', { ...facts, title: '"><script>x</script>' }) ?? '';
    expect(out).toContain('<html><head><meta property="og:title" content="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">');
    expect(withSocialTags('<h1>Just a fragment</h1>', facts)).toBeNull();
    expect(withSocialTags('<!DOCTYPE html><p>implied head</p>', facts)).toMatch(/^<!DOCTYPE html><meta property="og:title" content="Site title">/);
  });

  it('hands out the same served copy for the same file and facts', () => {
    const file = { path: 'index.html', contentType: 'text/html', etag: '"abc"', body: Buffer.from('<html><head></head></html>') };
    const a = taggedFile(file, facts);
    expect(taggedFile(file, facts)).toBe(a);
    expect(a.etag).toMatch(/^"abc-og[\w-]{10}"$/);
    const b = taggedFile(file, { ...facts, url: 'http://other.example/' });
    expect(b).not.toBe(a);
    expect(b.etag).not.toBe(a.etag);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from 'invoker-mcp/errors.js';
import { DEFAULT_LIMITS } from '../config.js';
import { buildSiteFiles, candidatePaths, contentTypeFor, normalisePath, pageTitle } from './site-files.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not-app-error';
  }
  return undefined;
}

describe('buildSiteFiles', () => {
  it('stores html as index.html and fills in {{SUBMIT_URL}}', () => {
    const [file] = buildSiteFiles({ html: '<form action="{{SUBMIT_URL}}"></form>' }, 'http://x/submit/dep_1', DEFAULT_LIMITS);
    expect(file?.path).toBe('index.html');
    expect(file?.contentType).toBe('text/html; charset=utf-8');
    expect(text(file!.body)).toBe('<form action="http://x/submit/dep_1"></form>');
    expect(file?.etag).toMatch(/^"[\w-]+"$/);
  });

  it('decodes base64 files, guesses content types and normalises paths', () => {
    const files = buildSiteFiles(
      {
        files: [
          { path: '/index.html', content: '<p>{{ SUBMIT_URL }}</p>' },
          { path: 'img/dot.png', content: Buffer.from([137, 80, 78, 71]).toString('base64'), encoding: 'base64' },
          { path: './css/site.css', content: 'p{}' },
        ],
      },
      'S',
      DEFAULT_LIMITS,
    );
    expect(files.map((f) => f.path)).toEqual(['index.html', 'img/dot.png', 'css/site.css']);
    expect(text(files[0]!.body)).toBe('<p>S</p>');
    expect([...files[1]!.body]).toEqual([137, 80, 78, 71]);
    expect(files[1]!.contentType).toBe('image/png');
    expect(files[2]!.contentType).toBe('text/css; charset=utf-8');
  });

  it('refuses unsafe, duplicate and missing paths, bad base64 and both/neither bodies', () => {
    const limits = DEFAULT_LIMITS;
    expect(codeOf(() => buildSiteFiles({ files: [{ path: '../etc/passwd', content: 'x' }, { path: 'index.html', content: 'x' }] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({ files: [{ path: 'index.html', content: 'x' }, { path: '/index.html', content: 'y' }] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({ files: [{ path: 'about.html', content: 'x' }] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({ files: [{ path: 'index.html', content: '!!!', encoding: 'base64' }] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({ files: [{ path: 'a\u0000b', content: 'x' }] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({ html: 'x', files: [] }, 'S', limits))).toBe('invalid_input');
    expect(codeOf(() => buildSiteFiles({}, 'S', limits))).toBe('invalid_input');
  });

  it('enforces per-file, per-deploy and file-count limits with too_large', () => {
    const limits = { maxFileBytes: 10, maxDeployBytes: 15, maxFiles: 2 };
    expect(codeOf(() => buildSiteFiles({ html: 'x'.repeat(11) }, 'S', limits))).toBe('too_large');
    expect(codeOf(() => buildSiteFiles({ files: [{ path: 'index.html', content: 'x'.repeat(9) }, { path: 'b.txt', content: 'x'.repeat(9) }] }, 'S', limits))).toBe('too_large');
    expect(codeOf(() => buildSiteFiles({ files: [1, 2, 3].map((n) => ({ path: `${n}.txt`, content: 'x' })) }, 'S', limits))).toBe('too_large');
  });
});

describe('paths', () => {
  it('normalises or refuses', () => {
    expect(normalisePath('a//b/./c.html')).toBe('a/b/c.html');
    expect(normalisePath('a/../b')).toBeNull();
    expect(normalisePath('C:/x')).toBeNull();
    expect(normalisePath('a\\b')).toBeNull();
  });

  it('maps request paths to stored files in the documented order', () => {
    expect(candidatePaths('/')).toEqual(['index.html']);
    expect(candidatePaths('/about')).toEqual(['about', 'about.html', 'about/index.html']);
    expect(candidatePaths('/blog/')).toEqual(['blog/index.html', 'blog.html']);
    expect(candidatePaths('/../secret')).toEqual([]);
    expect(candidatePaths('/%E0%A4%A')).toEqual([]);
  });

  it('knows common content types', () => {
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('noext')).toBe('application/octet-stream');
    // Found by the fuzzer: a file named after an Object.prototype property was a 500 at deploy.
    for (const name of ['__proto__', 'constructor', 'a.toString', 'x.hasOwnProperty']) expect(contentTypeFor(name), name).toBe('application/octet-stream');
  });
});

describe('injectMetadata', () => {
  it('adds title, description, Open Graph and an emoji favicon to <head>, escaped', async () => {
    const { injectMetadata } = await import('./site-files.js');
    const out = injectMetadata('<html><head><meta charset="utf-8"></head><body></body></html>', {
      title: 'Join "us" <now>',
      description: 'A waitlist',
      favicon: '🚀',
    });
    expect(out).toContain('<title>Join &quot;us&quot; &lt;now&gt;</title>');
    expect(out).toContain('<meta name="description" content="A waitlist">');
    expect(out).toContain('property="og:title"');
    expect(out).toMatch(/<link rel="icon" href="data:image\/svg\+xml,[^"]+">/);
  });

  it('leaves what the page sets itself alone', async () => {
    const { injectMetadata } = await import('./site-files.js');
    const page = '<head><title>Mine</title><meta name="description" content="mine"><link rel="icon" href="/i.png"></head>';
    const out = injectMetadata(page, { title: 'Other', description: 'other', favicon: '⚡' });
    expect(out).not.toContain('Other</title>');
    expect(out).not.toContain('content="other"');
    expect(out).not.toContain('data:image/svg');
  });

  it('puts them where the social tags go: after a doctype when <head> is implied, never into a <header>', async () => {
    const { injectMetadata } = await import('./site-files.js');
    expect(injectMetadata('<!DOCTYPE html><p>Hi</p>', { title: 'Hi' })).toBe('<!DOCTYPE html><title>Hi</title><meta property="og:title" content="Hi"><p>Hi</p>');
    const out = injectMetadata('<html><header>menu</header><head></head></html>', { title: 'T' });
    expect(out).toBe('<html><header>menu</header><head><title>T</title><meta property="og:title" content="T"></head></html>');
    // A fragment is served exactly as sent.
    expect(injectMetadata('<p>Hi</p>', { title: 'Hi' })).toBe('<p>Hi</p>');
  });
});

describe('pageTitle', () => {
  const files = (html: string, path = 'index.html') => buildSiteFiles({ files: [{ path: 'index.html', content: path === 'index.html' ? html : '<p>home</p>' }, ...(path === 'index.html' ? [] : [{ path, content: html }])] }, 'u', DEFAULT_LIMITS);
  it("reads index.html's own <title> as a tab shows it", () => {
    expect(pageTitle(files('<html><head><title>  Spring\n  Fair &amp; Market &#8212; <b>2026</b> &#x1F33C;</title></head></html>'))).toBe('Spring Fair & Market — 2026 🌼');
    expect(pageTitle(files('<TITLE lang="en">Caps</TITLE >'))).toBe('Caps');
  });
  it('is null without one, for an empty one, and for a title on another page only', () => {
    expect(pageTitle(files('<h1>No title</h1>'))).toBeNull();
    expect(pageTitle(files('<title> \t </title>'))).toBeNull();
    expect(pageTitle(files('<title>About</title>', 'about.html'))).toBeNull();
  });
  it('keeps 200 characters at most, and leaves unknown or impossible entities as written', () => {
    expect(pageTitle(files(`<title>${'é'.repeat(300)}</title>`))).toBe('é'.repeat(200));
    expect(pageTitle(files('<title>&bogus; &#xD800; &#0;</title>'))).toBe('&bogus; &#xD800; &#0;');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { checkUrl, esc, link } from './html.js';

describe('esc', () => {
  it('escapes markup and both quote styles', () => {
    expect(esc(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });
  it('leaves plain text and numbers alone', () => {
    expect(esc('Café 42')).toBe('Café 42');
    expect(esc(3)).toBe('3');
  });
});

describe('checkUrl', () => {
  it.each(['https://example.com/a?b=c', 'http://x.test', 'mailto:me@example.com', 'tel:+441234', '/about', '#faq', 'page.html', '?q=1'])(
    'accepts %s',
    (url) => expect(checkUrl(url, 'href')).toBe(url),
  );
  it.each(['javascript:alert(1)', ' JavaScript:alert(1)', 'java\nscript:alert(1)', 'jav\tascript:x', 'data:text/html,<p>', 'vbscript:x', 'file:///etc/passwd'])(
    'rejects %j with invalid_input naming the prop',
    (url) => {
      try {
        checkUrl(url, 'ctaHref');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('invalid_input');
        expect((e as AppError).message).toContain('ctaHref');
      }
    },
  );
  it('escapes quotes in a link so an href cannot break out of its attribute', () => {
    expect(link('/a"onmouseover="x', 'Go <now>')).toBe('<a href="/a&quot;onmouseover=&quot;x">Go &lt;now&gt;</a>');
  });
});

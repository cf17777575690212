import { describe, expect, it } from 'vitest';
import { classifyHost, liveUrl, platformUrls, previewUrl } from './urls.js';

describe('host routing', () => {
  const local = platformUrls('http://localhost:8787', 'localhost:8787');
  const hosted = platformUrls('https://api.example.com', 'sites.example.com');

  it('builds live and preview URLs on the sites domain', () => {
    expect(liveUrl(local, 'hello')).toBe('http://hello.localhost:8787/');
    expect(previewUrl(hosted, 'hello', 'abcdefghij012345')).toBe('https://hello--abcdefghij012345.sites.example.com/');
  });

  it('tells the platform, a live site, a preview and strangers apart', () => {
    expect(classifyHost(local, 'localhost:8787')).toEqual({ kind: 'platform' });
    expect(classifyHost(local, '127.0.0.1:8787')).toEqual({ kind: 'platform' });
    expect(classifyHost(local, 'Hello.LOCALHOST:8787')).toEqual({ kind: 'site', slug: 'hello', previewToken: null });
    expect(classifyHost(local, 'hello--abcdefghij012345.localhost:8787')).toEqual({
      kind: 'site', slug: 'hello', previewToken: 'abcdefghij012345',
    });
    expect(classifyHost(local, 'hello--short.localhost:8787')).toEqual({ kind: 'unknown' });
    expect(classifyHost(local, 'a.b.localhost:8787')).toEqual({ kind: 'unknown' });
    expect(classifyHost(hosted, 'api.example.com')).toEqual({ kind: 'platform' });
    expect(classifyHost(hosted, 'evil.com')).toEqual({ kind: 'unknown' });
    expect(classifyHost(hosted, 'shop.sites.example.com.')).toEqual({ kind: 'site', slug: 'shop', previewToken: null });
  });
});

import { describe, expect, it } from 'vitest';
import { isPlainSiteTarget } from './node-lane.js';

describe('the node:http lane takes a site page', () => {
  it('when the URL parser would keep the path as sent: plain, percent-encoded, with a query', () => {
    for (const target of ['/', '/about', '/blog/', '/css/site.css?v=2', '/caf%C3%A9.html', '/file%20name.txt', '/a%2Fb', '/UPPER', "/it's(1)"]) {
      expect(isPlainSiteTarget(target), target).toBe(true);
    }
  });

  it('and leaves to the Hono app what the parser would change: dot segments in any spelling, and raw odd bytes', () => {
    for (const target of ['/x/../about', '/./a', '/.', '/..', '/x/%2e%2e/a', '/x/%2E./a', '/x/.%2e', '/a\\b', '/{x}', '/"q"', '/a b', '/caf\u00e9', '/a|b', '/a^b', 'about', '*']) {
      expect(isPlainSiteTarget(target), target).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.js';

describe('LruCache', () => {
  it('evicts the least recently used entry past the entry limit', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.has('b')).toBe(false);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['a', 'c']);
  });

  it('moves a hit only once it has fallen out of the newest half, and keeps a hot entry either way', () => {
    const lru = new LruCache<string, number>(4);
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, 1);
    lru.get('d'); // the newest: nothing to move
    lru.get('c'); // second newest of four: still in the newer half
    expect([...lru.entries()].map(([k]) => k)).toEqual(['a', 'b', 'c', 'd']);
    lru.get('b'); // third newest: moved to the end
    expect([...lru.entries()].map(([k]) => k)).toEqual(['a', 'c', 'd', 'b']);
    // Read between every insertion, c is never the one evicted.
    for (let i = 0; i < 20; i++) {
      lru.set(`n${i}`, i);
      expect(lru.get('c')).toBe(1);
    }
    expect(lru.size).toBe(4);
  });

  it('keeps the total size under the byte limit and skips values larger than it', () => {
    const lru = new LruCache<string, string>(100, 10, (v) => v.length);
    lru.set('a', '123456');
    lru.set('b', '1234');
    lru.set('c', '12');
    expect(lru.has('a')).toBe(false);
    expect(lru.has('b') && lru.has('c')).toBe(true);
    lru.set('huge', 'x'.repeat(11));
    expect(lru.has('huge')).toBe(false);
    lru.deleteWhere((k) => k === 'b');
    expect(lru.size).toBe(1);
  });
});

describe('LruCache tags', () => {
  it('drops everything of one tag and nothing else, and forgets tags of evicted entries', () => {
    const lru = new LruCache<string, number>(3);
    lru.set('a1', 1, 'a');
    lru.set('a2', 2, 'a');
    lru.set('b1', 3, 'b');
    lru.deleteTag('a');
    expect([...lru.entries()].map(([k]) => k)).toEqual(['b1']);
    lru.set('c1', 4, 'c');
    lru.set('c2', 5, 'c');
    lru.set('c3', 6, 'c');
    // b1 was evicted: its tag holds nothing, and deleting it touches no other entry.
    expect([...lru.tagEntries('b')]).toEqual([]);
    lru.deleteTag('b');
    expect(lru.size).toBe(3);
    // Re-setting a key under another tag moves it.
    lru.set('c1', 7, 'd');
    lru.deleteTag('c');
    expect([...lru.entries()]).toEqual([['c1', 7]]);
  });
});

import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isWellFormedApiKey, previewApiKey } from './api-key.js';

describe('API key format', () => {
  it('generates inv_ + 38 base62 characters that pass their own checksum', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^inv_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('refuses a key with one character changed (checksum) or the wrong shape', () => {
    const key = generateApiKey();
    const body = key.slice(4, 36);
    const flipped = `inv_${body.slice(0, 5)}${body[5] === 'a' ? 'b' : 'a'}${body.slice(6)}${key.slice(36)}`;
    expect(isWellFormedApiKey(flipped)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(key.replace('inv_', 'inx_'))).toBe(false);
    expect(isWellFormedApiKey(`${key} `)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });

  it('stores a SHA-256 hex hash and previews only the last 4 characters', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(4, 12));
    expect(previewApiKey(key)).toBe(`inv_…${key.slice(-4)}`);
  });
});

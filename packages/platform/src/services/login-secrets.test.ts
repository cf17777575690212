import { describe, expect, it } from 'vitest';
import { generateEmailCode, generateSessionSecret, generateUserCode, hashEmailCode, normaliseUserCode, sameHash } from './login-secrets.js';

describe('login secrets', () => {
  it('user codes look like BCDF-GHJK and survive retyping in lower case or without the dash', () => {
    const code = generateUserCode();
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(normaliseUserCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    expect(normaliseUserCode('AEIO-UBCD')).toBeNull();
    expect(normaliseUserCode('BCD')).toBeNull();
  });

  it('email codes are 6 digits and their hash depends on the session', () => {
    expect(generateEmailCode()).toMatch(/^\d{6}$/);
    expect(hashEmailCode('ses_a', '123456')).not.toBe(hashEmailCode('ses_b', '123456'));
    expect(sameHash(hashEmailCode('ses_a', '123456'), hashEmailCode('ses_a', '123456'))).toBe(true);
    expect(sameHash(hashEmailCode('ses_a', '123456'), hashEmailCode('ses_a', '123457'))).toBe(false);
  });

  it('session secrets carry 32 random bytes', () => {
    const a = generateSessionSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSessionSecret()).not.toBe(a);
  });
});

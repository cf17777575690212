// The secrets of a browser login (SPEC section 6) and the only forms they are stored in.
// session secret: 32 random bytes, held by the client alone; user code: 8 letters from 20
// consonants (no vowels, so no words; ~34 bits) shown as BCDF-GHJK; email code: 6 digits.
// All three are kept as SHA-256 hashes; the email code is hashed with its session id so a
// table of the million possible codes is useless across sessions.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function generateUserCode(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** What a person typed as a user code, in canonical form; null when it cannot be one. */
export function normaliseUserCode(input: string): string | null {
  const letters = input.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== 8 || [...letters].some((ch) => !USER_CODE_ALPHABET.includes(ch))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export function generateEmailCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

export function hashEmailCode(sessionId: string, code: string): string {
  return sha256Hex(`${sessionId}:${code}`);
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

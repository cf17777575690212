// API key format (SPEC section 4): `inv_` + 32 base62 characters from a CSPRNG + 6 base62
// characters of the CRC32 of what precedes. The checksum lets the server and the clients reject a
// malformed or mistyped key before any store lookup, and lets secret scanners recognise real keys.
import { createHash, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = 'inv_';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^inv_[0-9A-Za-z]{38}$/;

function base62(value: number, width: number): string {
  let out = '';
  let n = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function randomBase62(length: number): string {
  let out = '';
  // randomInt is uniform (no modulo bias), unlike randomBytes()[i] % 62.
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

function checksum(text: string): string {
  return base62(crc32(text), CHECKSUM_LENGTH);
}

export function generateApiKey(): string {
  const head = PREFIX + randomBase62(BODY_LENGTH);
  return head + checksum(head);
}

/** True when the text has the shape and checksum of a key; says nothing about whether it exists. */
export function isWellFormedApiKey(text: string): boolean {
  return KEY_PATTERN.test(text) && checksum(text.slice(0, -CHECKSUM_LENGTH)) === text.slice(-CHECKSUM_LENGTH);
}

/** The only form a key is ever stored in. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function previewApiKey(key: string): string {
  return `inv_…${key.slice(-4)}`;
}

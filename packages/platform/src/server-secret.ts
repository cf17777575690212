// The one server secret (SPEC section 10, INVOKER_SECRET): it keys whatever must verify on any
// instance (proof-of-work challenges, site-password cookies, signed state) and encrypts what the
// platform must use again but may not keep in the clear (webhook signing secrets). API keys, OAuth
// tokens and codes are never derived from it: they stay SHA-256 hashes.
//
// Each purpose gets its own key, derived with HKDF, so a MAC made for one purpose never verifies as
// another's and one use cannot be turned into an oracle for another.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomically } from 'invoker-mcp/atomic-file.js';
import { AppError } from 'invoker-mcp/errors.js';

/** What a key is for; a new use adds its name here. */
export type SecretPurpose = 'pow' | 'site-password' | 'site-counter' | 'oauth-state' | 'webhook-secret' | 'signed-url';

export interface ServerSecret {
  /** HMAC-SHA256 of data under the purpose's key, base64url. */
  sign(purpose: SecretPurpose, data: string): string;
  /** Whether mac is sign(purpose, data), compared in constant time. */
  verify(purpose: SecretPurpose, data: string, mac: string): boolean;
  /** The purpose's raw key, for a library that takes its own HMAC key (ALTCHA). */
  key(purpose: SecretPurpose): Buffer;
  /** AES-256-GCM under the purpose's key: `v1.<nonce>.<ciphertext and tag>`, base64url parts. */
  seal(purpose: SecretPurpose, plaintext: string): string;
  /** The plaintext of seal()'s output, or null when it was not sealed under this secret and purpose. */
  unseal(purpose: SecretPurpose, sealed: string): string | null;
}

/** Shorter secrets are refused: 32 bytes of randomness, base64url, is 43 characters. */
const MIN_LENGTH = 32;
const FILE = 'server-secret';

export function createServerSecret(secret: string): ServerSecret {
  const keys = new Map<SecretPurpose, Buffer>();
  const key = (purpose: SecretPurpose): Buffer => {
    let k = keys.get(purpose);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', secret, 'invoker', `invoker ${purpose} v1`, 32));
      keys.set(purpose, k);
    }
    return k;
  };
  const sign = (purpose: SecretPurpose, data: string) => createHmac('sha256', key(purpose)).update(data).digest('base64url');
  return {
    sign,
    key,
    verify(purpose, data, mac) {
      const expected = Buffer.from(sign(purpose, data));
      const given = Buffer.from(mac);
      return expected.byteLength === given.byteLength && timingSafeEqual(expected, given);
    },
    seal(purpose, plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(purpose), nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    unseal(purpose, sealed) {
      const [version, nonceText, bodyText] = sealed.split('.');
      if (version !== 'v1' || !nonceText || !bodyText) return null;
      const nonce = Buffer.from(nonceText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (nonce.byteLength !== 12 || body.byteLength < 16) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key(purpose), nonce);
        decipher.setAuthTag(body.subarray(body.byteLength - 16));
        return Buffer.concat([decipher.update(body.subarray(0, body.byteLength - 16)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

/**
 * INVOKER_SECRET when set. Otherwise, for the embedded store, the secret kept in the data dir
 * (generated on first start, mode 0600); a PostgreSQL deployment must set it, the same on every
 * instance, or what one instance signs or seals the others could not read.
 */
export async function loadServerSecret(options: { configured: string | undefined; dataDir: string; shared: boolean }): Promise<ServerSecret> {
  if (options.configured !== undefined) {
    if (options.configured.length < MIN_LENGTH) {
      throw new AppError('config', `INVOKER_SECRET must be at least ${MIN_LENGTH} characters; generate one with: openssl rand -base64 32`);
    }
    return createServerSecret(options.configured);
  }
  if (options.shared) {
    throw new AppError(
      'config',
      'Set INVOKER_SECRET (at least 32 characters, the same on every instance) when DATABASE_URL is set: every instance must verify what the others sign. Generate one with: openssl rand -base64 32',
    );
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const path = join(options.dataDir, FILE);
  const created = randomBytes(32).toString('base64url');
  // The first start writes it, whole or not at all; a concurrent or later one reads what is there.
  if (await createFileAtomically(path, created, 0o600)) return createServerSecret(created);
  const existing = (await readFile(path, 'utf8')).trim();
  if (existing.length < MIN_LENGTH) {
    throw new AppError('config', `${path} does not hold a server secret of ${MIN_LENGTH}+ characters. Restore it from a backup, or set INVOKER_SECRET.`);
  }
  return createServerSecret(existing);
}

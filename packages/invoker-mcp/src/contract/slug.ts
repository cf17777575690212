// Slug rules (SPEC section 7): 1–40 of a-z 0-9 -, alphanumeric at both ends, no `--` (that
// separator is reserved for preview hosts `{slug}--{token}`, which must fit DNS's 63-character label).
import { randomInt } from 'node:crypto';

export const SLUG_MAX_LENGTH = 40;
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Names that would impersonate the platform or collide with its own hosts. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api', 'www', 'docs', 'admin', 'dashboard', 'login', 'logout', 'signup', 'register', 'auth', 'account',
  'mail', 'smtp', 'imap', 'pop', 'ftp', 'cdn', 'static', 'assets', 'status', 'support', 'help', 'billing',
  'security', 'abuse', 'legal', 'privacy', 'terms', 'root', 'system', 'app', 'ns1', 'ns2', 'ns3',
  'invoker', 'submit', 'forms', 'preview', 'health', 'healthz', 'localhost',
]);

/** The reason a slug is refused, or null when it is acceptable. */
export function slugProblem(slug: string): string | null {
  if (slug.length === 0 || slug.length > SLUG_MAX_LENGTH) {
    return `slug must be 1–${SLUG_MAX_LENGTH} characters long`;
  }
  if (!SLUG_PATTERN.test(slug)) {
    return 'slug may contain only lower-case letters, digits and single hyphens, and must start and end with a letter or digit';
  }
  if (slug.includes('--')) return 'slug may not contain "--" (reserved for preview addresses)';
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved; choose another slug`;
  return null;
}

const ADJECTIVES = [
  'bright', 'calm', 'clever', 'bold', 'brisk', 'cosy', 'crisp', 'daring', 'eager', 'fair', 'gentle', 'golden',
  'happy', 'honest', 'jolly', 'keen', 'lively', 'lucky', 'merry', 'misty', 'noble', 'plucky', 'quiet', 'rapid',
  'shiny', 'silver', 'snowy', 'sunny', 'swift', 'tidy', 'vivid', 'warm', 'wise', 'witty', 'young', 'zesty',
];
const NOUNS = [
  'forest', 'river', 'meadow', 'harbor', 'canyon', 'island', 'garden', 'valley', 'summit', 'breeze', 'comet',
  'ember', 'falcon', 'glade', 'grove', 'lagoon', 'lantern', 'maple', 'orchard', 'otter', 'pebble', 'pine',
  'prairie', 'quartz', 'reef', 'robin', 'sparrow', 'spruce', 'tide', 'trail', 'tulip', 'willow', 'wren',
];
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)] as T;
}

/** A readable, hard-to-guess slug like `bright-forest-x7k2`. */
export function generateSlug(): string {
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${suffix}`;
}

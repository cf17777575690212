// Ids carry their type as a prefix (SPEC section 7) so a log line or an error says what it names.
import { randomBase62 } from './api-key.js';

export type IdPrefix = 'dep' | 'sub' | 'key' | 'org' | 'usr' | 'ses' | 'req' | 'whk' | 'msg' | 'fil';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(16)}`;
}

export function hasIdShape(prefix: IdPrefix, text: string): boolean {
  return new RegExp(`^${prefix}_[0-9A-Za-z]{16}$`).test(text);
}

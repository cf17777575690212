// Records of the hosted product's other features (SPEC section 14): counters, site passwords and
// social preview images. The Store interface (store.ts) names the methods; operations/extras.ts
// implements them once for both backends.

export interface CounterRecord {
  name: string;
  value: number;
  createdAt: string;
  updatedAt: string;
}

/** A site's password: its scrypt hash (null: removed) and how many times it was set or removed. */
export interface SitePasswordRecord {
  hash: string | null;
  version: number;
}

/** A site's password when it has one: what a visitor's proof is checked against. */
export type SiteLock = { hash: string; version: number };

// Seeded randomness for the security campaigns: the same seed gives the same requests, so a failure
// names a request that can be replayed.

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from one sequence; the generators that share a campaign share its sequence. */
export class Draw {
  constructor(protected readonly rand: () => number) {}

  protected int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  protected pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  protected chance(p: number): boolean {
    return this.rand() < p;
  }
}

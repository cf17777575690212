// A small least-recently-used map bounded by entry count and by total size. A Map keeps insertion
// order, so re-inserting on a hit makes its first key the least recently used. A hit on an entry
// still among the newest half is not re-inserted: it is nowhere near eviction, and moving it (a Map
// delete and set) was the largest cost of a cached page request (2.5% of serve's CPU per live-page
// request, bench:profile). Each entry carries the sequence number of its last insertion: at most that
// many entries are newer than it. Each entry may
// carry a tag (the site or key it belongs to), so everything of one site can be dropped at once
// without touching the rest.

export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; size: number; tag: string | undefined; seq: number }>();
  private readonly tagged = new Map<string, Set<K>>();
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly sizeOf: (value: V) => number = () => 0,
  ) {}

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (this.seq - entry.seq >= Math.max(1, this.map.size >> 1)) {
      this.map.delete(key);
      entry.seq = ++this.seq;
      this.map.set(key, entry);
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V, tag?: string): void {
    const size = this.sizeOf(value);
    if (size > this.maxBytes) return;
    this.delete(key);
    this.map.set(key, { value, size, tag, seq: ++this.seq });
    this.bytes += size;
    if (tag !== undefined) {
      let keys = this.tagged.get(tag);
      if (!keys) this.tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (!entry) return;
    this.bytes -= entry.size;
    this.map.delete(key);
    if (entry.tag !== undefined) {
      const keys = this.tagged.get(entry.tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagged.delete(entry.tag);
    }
  }

  /** Drops every entry set with this tag. */
  deleteTag(tag: string): void {
    for (const key of [...(this.tagged.get(tag) ?? [])]) this.delete(key);
  }

  /** The entries set with this tag, without reordering them. */
  *tagEntries(tag: string): IterableIterator<[K, V]> {
    for (const key of [...(this.tagged.get(tag) ?? [])]) {
      const entry = this.map.get(key);
      if (entry) yield [key, entry.value];
    }
  }

  /** Drops every entry whose key and value match. */
  deleteWhere(match: (key: K, value: V) => boolean): void {
    for (const [key, entry] of [...this.map]) if (match(key, entry.value)) this.delete(key);
  }

  /** Entries from least to most recently used; reading does not reorder them. */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, entry] of this.map) yield [key, entry.value];
  }

  clear(): void {
    this.map.clear();
    this.tagged.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.map.size;
  }
}

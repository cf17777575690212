// Compressed copies of site files (SPEC section 10): brotli or gzip, whichever the client accepts
// (brotli first), for text-like files of 1 KB or more. A version's files never change, so each copy
// is made once, on the first request that asks for it, and kept beside the file: the read cache
// hands out the same StoredFile object again, and the copy lives exactly as long as it does.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { StoredFile } from '../store/store.js';

export type Encoding = 'br' | 'gzip';

/** Smaller files gain less than the header costs. */
const MIN_BYTES = 1024;
/** Media types worth compressing; images (but SVG), audio, video, fonts and archives are compressed already. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:javascript|json|xml|manifest\+json|ld\+json|wasm|x-javascript|rss\+xml|atom\+xml)|image\/svg\+xml)/i;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/**
 * Quality 5 rather than 11: the copy is made while a visitor waits, and at 5 brotli is already
 * smaller than gzip -9 at a fraction of 11's time (about 10 ms for 1 MB of HTML here).
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

const copies = new WeakMap<StoredFile, Partial<Record<Encoding, Promise<Uint8Array>>>>();

export function isCompressible(file: StoredFile): boolean {
  return file.body.byteLength >= MIN_BYTES && COMPRESSIBLE.test(file.contentType);
}

/** The encoding to send for an Accept-Encoding header, or null for the file as stored. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name.trim(), weight === undefined ? 1 : Number(weight));
  }
  const accepts = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

/** The file's bytes in that encoding, made once per file. */
export function compressed(file: StoredFile, encoding: Encoding): Promise<Uint8Array> {
  let entry = copies.get(file);
  if (!entry) copies.set(file, (entry = {}));
  const copy = entry;
  return (copy[encoding] ??= (encoding === 'br' ? brotli(file.body, BROTLI) : gzipped(file.body, { level: 6 })).catch((e: unknown) => {
    delete copy[encoding]; // the next request tries again
    throw e;
  }));
}

// Social previews (SPEC section 14): HTML pages are served with og:title, og:description, og:url,
// og:image and twitter:card when they lack them (added while serving, not at deploy: the URL depends
// on the host that serves the page), and `/_og.png` on every site host is a 1200×630 picture of the
// version's title, description and favicon (og-image.ts), rendered on the first request and kept in
// the store per version, so every instance serves the one picture and none renders it twice.
import { createHash } from 'node:crypto';
import type { StoredFile } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { escapeHtml } from './message-page.js';
import { renderOgImage, type OgImageInput } from './og-image.js';
import { htmlTitle, insertIntoHead, textOf } from './site-files.js';

/** What a page's tags say when the page does not: the version's metadata, and where it is served. */
export interface PreviewFacts {
  /** The page's own URL, absolute. */
  url: string;
  /** The image's URL, absolute (`/_og.png` on the same host). */
  image: string;
  title: string | null;
  description: string | null;
  /** Last resort for the title: the site's name. */
  siteName: string;
}

const HAS = {
  title: /<meta\s[^>]*property\s*=\s*["']?og:title\b/i,
  description: /<meta\s[^>]*property\s*=\s*["']?og:description\b/i,
  url: /<meta\s[^>]*property\s*=\s*["']?og:url\b/i,
  image: /<meta\s[^>]*property\s*=\s*["']?og:image\b/i,
  card: /<meta\s[^>]*name\s*=\s*["']?twitter:card\b/i,
};

function metaDescription(html: string): string | null {
  const tag = /<meta\s[^>]*name\s*=\s*["']?description\b[^>]*>/i.exec(html)?.[0];
  const content = tag ? /content\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag) : null;
  const text = content ? (content[1] ?? content[2] ?? '').trim() : '';
  return text === '' ? null : text;
}

/**
 * The document with the tags it lacks, or null when it has them all or is a fragment (no doctype,
 * <html> or <head>: served exactly as sent, as deploys treat it). Placed at the start of <head> (one
 * is made inside <html> when there is none).
 */
export function withSocialTags(html: string, facts: PreviewFacts): string | null {
  const title = htmlTitle(html) ?? facts.title ?? facts.siteName;
  const description = metaDescription(html) ?? facts.description ?? title;
  const tags: string[] = [];
  const meta = (attr: 'property' | 'name', key: string, value: string) => tags.push(`<meta ${attr}="${key}" content="${escapeHtml(value)}">`);
  if (!HAS.title.test(html)) meta('property', 'og:title', title);
  if (!HAS.description.test(html)) meta('property', 'og:description', description);
  if (!HAS.url.test(html)) meta('property', 'og:url', facts.url);
  if (!HAS.image.test(html)) {
    meta('property', 'og:image', facts.image);
    meta('property', 'og:image:width', '1200');
    meta('property', 'og:image:height', '630');
  }
  if (!HAS.card.test(html)) meta('name', 'twitter:card', 'summary_large_image');
  if (tags.length === 0) return null;
  return insertIntoHead(html, tags.join(''));
}

/** Served copies by file and by the facts they were made with; each copy is compressed once, like the file. */
const served = new WeakMap<StoredFile, Map<string, StoredFile>>();
/** Per file: a single-page app answers any path with one file, so the copies of one file are bounded. */
const MAX_COPIES = 64;

/** The file as served with its social tags (the same object again for the same facts). */
export function taggedFile(file: StoredFile, facts: PreviewFacts): StoredFile {
  // Hot path (every page request): a plain string key, no JSON.
  const key = `${facts.url}\u0000${facts.image}\u0000${facts.title ?? ''}\u0001${facts.description ?? ''}\u0001${facts.siteName}`;
  let copies = served.get(file);
  const found = copies?.get(key);
  if (found) return found;
  const html = textOf(file.body);
  const tagged = withSocialTags(html, facts);
  let copy = file;
  if (tagged !== null) {
    const digest = createHash('sha256').update(key).digest('base64url').slice(0, 10);
    copy = { path: file.path, contentType: file.contentType, etag: `${file.etag.slice(0, -1)}-og${digest}"`, body: Buffer.from(tagged) };
  }
  if (!copies) served.set(file, (copies = new Map()));
  if (copies.size >= MAX_COPIES) copies.clear();
  copies.set(key, copy);
  return copy;
}

export type SocialPreviewDeps = Pick<ServiceDeps, 'store' | 'now'>;

export type SocialPreviewService = ReturnType<typeof socialPreviewService>;

/** Counts renders, for the benchmark and the test that a version renders once. */
export interface RenderStats {
  renders: number;
}

export function socialPreviewService(deps: SocialPreviewDeps, render: (input: OgImageInput) => Promise<Uint8Array> = renderOgImage) {
  /** Renders under way in this process: a burst of first requests renders once. */
  const inFlight = new Map<string, Promise<Uint8Array>>();
  const stats: RenderStats = { renders: 0 };

  return {
    stats,
    /** The version's picture: kept, or rendered now and kept (never on the deploy path). */
    async image(site: { id: string; orgId: string }, version: number, host: string): Promise<Uint8Array> {
      const kept = await deps.store.ogImage(site.id, version);
      if (kept) return kept;
      const key = `${site.id}\u0000${version}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = (async () => {
          const versions = (await deps.store.listVersions(site.orgId, site.id)) ?? [];
          const v = versions.find((x) => x.version === version);
          stats.renders++;
          const png = await render({ title: v?.title ?? host, description: v?.description ?? null, favicon: v?.favicon ?? null, host });
          await deps.store.saveOgImage(site.id, version, png, deps.now().toISOString());
          return png;
        })().finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

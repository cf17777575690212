// Pieces of SQL that statements are built from and that code outside statements.ts needs too: the
// pattern a webhook's event list is matched with, the "does a webhook hear this" expression, and
// the one list of the columns a slug's holder is read with. Only text here, never a statement (the
// statements are in statements.ts, which test/store-sql.test.ts collects and prepares).

/** What `webhooks.events` (a JSON list of quoted names) is matched with: it names the event. */
export function listeningPattern(eventType: string): string {
  return `%"${eventType}"%`;
}

/**
 * 1 when a webhook of the site (the SQL expression siteId) hears the event whose listeningPattern is
 * the SQL expression pattern, else 0: how a write learns, in a statement it runs anyway, whether it
 * has anything to put in the outbox.
 */
export function hooksFlag(siteId: string, pattern: string): string {
  return `CASE WHEN EXISTS (SELECT 1 FROM webhooks w WHERE w.site_id = ${siteId} AND w.events LIKE ${pattern}) THEN 1 ELSE 0 END`;
}

/**
 * What sites.holder reads of a slug's holder: what a deploy returns unchanged (toDeployed), its
 * newest version's metadata, and publish_hooks (1/0), whether a webhook of the site hears
 * site.published, so a publishing deploy of a site nobody listens to asks nothing more before its
 * COMMIT (on PostgreSQL one round trip less). The one list of them: the deploy writes the row back
 * as known (HolderRow) and PostgreSQL's deploy hint compares each (type: a parameter's cast).
 */
export const HOLDER_COLUMNS = [
  { name: 'id', sql: 's.id', type: 'text' },
  { name: 'org_id', sql: 's.org_id', type: 'text' },
  { name: 'latest_version', sql: 's.latest_version', type: 'int' },
  { name: 'live_version', sql: 's.live_version', type: 'int' },
  { name: 'submission_count', sql: 's.submission_count', type: 'int' },
  { name: 'created_at', sql: 's.created_at', type: 'text' },
  { name: 'expires_at', sql: 's.expires_at', type: 'text' },
  { name: 'title', sql: 'v.title', type: 'text' },
  { name: 'description', sql: 'v.description', type: 'text' },
  { name: 'favicon', sql: 'v.favicon', type: 'text' },
  { name: 'is_spa', sql: 'v.is_spa', type: 'int' },
  { name: 'publish_hooks', sql: hooksFlag('s.id', `'${listeningPattern('site.published')}'`), type: 'int' },
] as const;

/** A holder row, every column of HOLDER_COLUMNS. */
export type HolderRow = Record<(typeof HOLDER_COLUMNS)[number]['name'], string | number | null>;

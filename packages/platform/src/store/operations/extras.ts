// Counters, site passwords and social preview images (SPEC section 14): each store operation once,
// for both backends (see ../sql/steps.ts).
import type { CounterRecord, SiteLock, SitePasswordRecord } from '../extras-records.js';
import { counters, ogImages, sitePasswords, sites, versions } from '../sql/statements.js';
import { all, get, notify, run, write, type Op, type Row } from '../sql/steps.js';

function toCounter(row: Row): CounterRecord {
  return { name: String(row.name), value: Number(row.value), createdAt: String(row.created_at), updatedAt: String(row.updated_at) };
}

/** Null for a name never incremented (nothing is created by reading it). */
export function* counterValue(siteId: string, name: string): Op<number | null> {
  const row = yield* get(counters.one, siteId, name);
  return row ? Number(row.value) : null;
}

/**
 * One more, as one statement on the row (exact under any concurrency). A new name is counted
 * against maxPerSite with the site's row locked; 'limit' when it would be one too many, null when
 * the site is gone.
 */
export function* incrementCounter(siteId: string, name: string, maxPerSite: number, now: string): Op<number | 'limit' | null> {
  const bumped = yield* get(counters.bump, now, siteId, name);
  if (bumped) return Number(bumped.value);
  if (!(yield* get(counters.lockSite, siteId))) return null;
  const count = Number((yield* get(counters.countOfSite, siteId))?.n);
  if (count >= maxPerSite) {
    // Another request may have created this very name while this one waited for the lock.
    const again = yield* get(counters.bump, now, siteId, name);
    return again ? Number(again.value) : 'limit';
  }
  const created = yield* get(counters.create, siteId, name, now, now);
  return Number(created?.value);
}

export function* listCounters(orgId: string, siteId: string): Op<CounterRecord[] | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  return (yield* all(counters.ofSite, siteId)).map(toCounter);
}

/** Back to 0; null when the org has no such site or the site no such counter. */
export function* resetCounter(orgId: string, siteId: string, name: string, now: string): Op<CounterRecord | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  const row = yield* get(counters.reset, now, siteId, name);
  return row ? toCounter(row) : null;
}

export function* deleteCounter(orgId: string, siteId: string, name: string): Op<boolean> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return false;
  return (yield* run(counters.delete, siteId, name)) === 1;
}

/** Any org's site. */
export function* sitePassword(siteId: string): Op<SitePasswordRecord | null> {
  const row = yield* get(sitePasswords.bySite, siteId);
  return row ? { hash: row.hash == null ? null : String(row.hash), version: Number(row.version) } : null;
}

/** The password a hosted site's pages are behind, if any (HostedLookup carries it). */
export function* siteLock(siteId: string): Op<SiteLock | null> {
  const record = yield* sitePassword(siteId);
  return record?.hash ? { hash: record.hash, version: record.version } : null;
}

/** Sets (hash) or removes (null) the password; false when the org has no such site. */
export function* setSitePassword(orgId: string, siteId: string, hash: string | null, now: string): Op<boolean> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return false;
  if (hash === null) yield* write(sitePasswords.clear, now, siteId);
  else yield* write(sitePasswords.set, siteId, hash, now);
  // Every instance's cached password of the site goes (the hosting answer depends on it).
  yield* notify({ kind: 'site', siteId, slugs: [] });
  return true;
}

export function* ogImage(siteId: string, version: number): Op<Uint8Array | null> {
  const row = yield* get(ogImages.get, siteId, version);
  return row ? (row.png as Uint8Array) : null;
}

/** Kept unless the version was deleted meanwhile (then there is nothing to keep it for). */
export function* saveOgImage(siteId: string, version: number, png: Uint8Array, now: string): Op<void> {
  if (!(yield* get(versions.exists, siteId, version))) return;
  yield* write(ogImages.insert, siteId, version, png, now);
}

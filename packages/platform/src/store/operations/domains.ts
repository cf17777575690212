// Custom domains (SPEC section 15): each store operation once, for both backends (see ../sql/steps.ts).
// A verification takes the domain's lock first, so of two sites verifying one domain at once (on any
// instances) exactly one holds it and the other learns it is held; the partial unique index on
// verified rows is the backstop. Every change to what a domain serves is announced (caches).
import { toSite } from '../shared.js';
import { domains, sites } from '../sql/statements.js';
import { all, get, lock, notify, run, write, type Op, type Row } from '../sql/steps.js';
import type { DomainRecord, DomainVerification, HostedLookup, Store } from '../store.js';
import { siteLock } from './extras.js';

export function toDomain(row: Row): DomainRecord {
  return {
    siteId: String(row.site_id),
    domain: String(row.domain),
    token: String(row.token),
    createdAt: String(row.created_at),
    verifiedAt: row.verified_at == null ? null : String(row.verified_at),
    verifiedBy: row.verified_by == null ? null : (String(row.verified_by) as DomainVerification),
  };
}

/** The domain on the site (the row there already, or a new pending one); 'held' when another site holds it verified. */
export function* addDomain(input: Parameters<Store['addDomain']>[0]): Op<DomainRecord | 'held' | 'limit' | null> {
  if (!(yield* get(sites.ownedByOrg, input.siteId, input.orgId))) return null;
  const holder = yield* get(domains.holder, input.domain);
  if (holder && String(holder.site_id) !== input.siteId) return 'held';
  const existing = yield* get(domains.one, input.siteId, input.domain);
  if (existing) return toDomain(existing);
  if (Number((yield* get(domains.countOfSite, input.siteId))?.n) >= input.maxPerSite) return 'limit';
  yield* write(domains.insertIfNew, input.siteId, input.domain, input.token, input.now);
  return toDomain((yield* get(domains.one, input.siteId, input.domain)) as Row);
}

export function* listDomains(orgId: string, siteId: string): Op<DomainRecord[] | null> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  return (yield* all(domains.ofSite, siteId)).map(toDomain);
}

/** Marks the site's domain verified; 'held' when another site verified it first; null when the site or domain is missing. */
export function* verifyDomain(orgId: string, siteId: string, domain: string, by: DomainVerification, now: string): Op<DomainRecord | 'held' | null> {
  yield* lock({ on: 'domain', key: domain });
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return null;
  const row = yield* get(domains.one, siteId, domain);
  if (!row) return null;
  if (row.verified_at != null) return toDomain(row);
  const holder = yield* get(domains.holder, domain);
  if (holder) return 'held';
  yield* write(domains.verify, now, by, siteId, domain);
  yield* notify({ kind: 'domain', domain });
  return toDomain((yield* get(domains.one, siteId, domain)) as Row);
}

export function* removeDomain(orgId: string, siteId: string, domain: string): Op<boolean> {
  if (!(yield* get(sites.ownedByOrg, siteId, orgId))) return false;
  if ((yield* run(domains.delete, siteId, domain)) === 0) return false;
  yield* notify({ kind: 'domain', domain });
  return true;
}

/** The live version a verified domain serves; null when it serves nothing (unknown, pending, or not published). */
export function* findHostedByDomain(domain: string): Op<HostedLookup | null> {
  const row = yield* get(domains.hostedSite, domain);
  if (!row) return null;
  const site = toSite(row);
  return site.liveVersion === null ? null : { site, version: site.liveVersion, lock: yield* siteLock(site.id) };
}

export function* domainHolder(domain: string): Op<{ siteId: string; orgId: string } | null> {
  const row = yield* get(domains.holder, domain);
  return row ? { siteId: String(row.site_id), orgId: String(row.org_id) } : null;
}

export function* isPendingToken(domain: string, token: string): Op<boolean> {
  return (yield* get(domains.pendingToken, domain, token)) !== undefined;
}

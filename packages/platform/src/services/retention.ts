// Retention (SPEC section 13): a site's submissions older than its `retention_days` are deleted,
// with their files, by a job on every backend. The job also drops what only lives for a while:
// finished webhook deliveries after 30 days, spent proof-of-work challenges once they expire.
import type { ServiceDeps } from './deps.js';

export type RetentionDeps = Pick<ServiceDeps, 'store' | 'now'>;

const DAY_MS = 24 * 3600 * 1000;
/** How long finished deliveries (and their attempts) stay listed. */
const DELIVERIES_KEPT_DAYS = 30;

export function retentionJob(deps: RetentionDeps) {
  return {
    /** Returns how many submissions were deleted. */
    async run(): Promise<number> {
      const now = deps.now().getTime();
      let deleted = 0;
      for (const { siteId, retentionDays } of await deps.store.sitesWithRetention()) {
        deleted += await deps.store.deleteExpiredSubmissions(siteId, new Date(now - retentionDays * DAY_MS).toISOString());
      }
      await deps.store.deleteFinishedDeliveriesBefore(new Date(now - DELIVERIES_KEPT_DAYS * DAY_MS).toISOString());
      await deps.store.deletePowSpentBefore(new Date(now).toISOString());
      return deleted;
    },
  };
}

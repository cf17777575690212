// Counters (SPEC section 14, Based Page's): a site's visitors read `GET /_counter/{name}` and add one
// with `POST /_counter/{name}/increment` on its hosts; the owner lists, resets and deletes them.
// Names are `[a-z0-9_-]{1,40}`; INVOKER_MAX_COUNTERS per site; INVOKER_COUNTER_INCREMENTS_PER_MINUTE
// increments per client IP per counter. Reading a name never incremented answers 0 and creates nothing.
import { COUNTER_NAME, type Counter, type CounterList, type CounterValue } from 'invoker-mcp/contract/extras.js';
import { AppError } from 'invoker-mcp/errors.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { CounterRecord } from '../store/store.js';
import type { ServiceAdapters, ServiceDeps } from './deps.js';
import { siteNotFound } from './next-steps.js';
import { ownedSite } from './sites.js';

export type CountersDeps = Pick<ServiceDeps, 'store' | 'now' | 'limits'>;

export function counterName(name: string): string {
  if (!COUNTER_NAME.test(name)) throw new AppError('invalid_input', 'Counter names are 1 to 40 characters of a-z, 0-9, _ and -, e.g. /_counter/signups.');
  return name;
}

function counterJson(c: CounterRecord): Counter {
  return { name: c.name, value: c.value, created_at: c.createdAt, updated_at: c.updatedAt };
}

const noSuchCounter = (name: string) => new AppError('not_found', `This site has no counter named "${name}". List them with GET /deploy/{id}/counters.`);

export type CountersService = ReturnType<typeof countersService>;

export function countersService(deps: CountersDeps, adapters: Pick<ServiceAdapters, 'rateLimiters'>) {
  let limiter: RateLimiter | undefined;
  /** Made on first use, with the limit as it is then (tests lower it on their deps first). */
  const increments = () =>
    (limiter ??= adapters.rateLimiters({ name: 'counter', limit: deps.limits.counterIncrementsPerMinute, windowMs: 60_000, now: () => deps.now().getTime() }));

  return {
    /** A visitor's read, on the site's host. */
    async value(siteId: string, name: string): Promise<CounterValue> {
      counterName(name);
      return { name, value: (await deps.store.counterValue(siteId, name)) ?? 0 };
    },

    /** A visitor's increment, on the site's host. */
    async increment(siteId: string, name: string, ip: string | null): Promise<CounterValue> {
      counterName(name);
      const decision = await increments().hit(`${siteId}|${name}|${ip ?? 'unknown'}`);
      if (!decision.allowed) {
        throw new AppError('rate_limited', `Too many increments of "${name}" from your address. Try again in ${decision.resetSeconds} seconds.`, {
          retryAfterSeconds: decision.resetSeconds,
        });
      }
      const max = deps.limits.countersPerSite;
      const value = await deps.store.incrementCounter(siteId, name, max, deps.now().toISOString());
      if (value === null) throw new AppError('not_found', 'There is no site at this address.');
      if (value === 'limit') {
        throw new AppError('forbidden', `This site has ${max} counters already, the most a site may have (INVOKER_MAX_COUNTERS); "${name}" is not one of them. The owner can delete one (DELETE /deploy/{id}/counters/{name}).`);
      }
      return { name, value };
    },

    async list(orgId: string, siteId: string): Promise<CounterList> {
      const found = await deps.store.listCounters(orgId, siteId);
      if (!found) throw siteNotFound();
      return { counters: found.map(counterJson) };
    },

    async reset(orgId: string, siteId: string, name: string): Promise<Counter> {
      const site = await ownedSite(deps.store, orgId, siteId);
      counterName(name);
      const reset = await deps.store.resetCounter(orgId, site.id, name, deps.now().toISOString());
      if (!reset) throw noSuchCounter(name);
      return counterJson(reset);
    },

    async remove(orgId: string, siteId: string, name: string): Promise<void> {
      const site = await ownedSite(deps.store, orgId, siteId);
      counterName(name);
      if (!(await deps.store.deleteCounter(orgId, site.id, name))) throw noSuchCounter(name);
    },
  };
}

// Group commit of deploys on PostgreSQL (SQLite's store has its own): the deploys of one slug that
// wait for the same turn (slug-turns.ts) go in one transaction, so a burst of versions of one site
// costs one commit and one fsync per turn. Nothing in it waits but the first holder's read: each
// later deploy reads the holder the one before wrote (steps.ts known()), its writes go out behind the
// others', and COMMIT behind them all. When one deploy fails nothing was committed: it is answered
// with its error and the rest go again, in a new transaction.
import { deploy } from './operations/sites.js';
import { isUniqueViolation, type PostgresDriver, type Tx } from './postgres-driver.js';
import { slugTakenOnDeploy } from './shared.js';
import type { Committed, Outcome } from './slug-turns.js';
import type { Pipelined } from './sql/steps.js';
import type { DeployInput, SiteRecord } from './store.js';

/** A group commit's deploy that failed, and why: the others are committed without it. */
class DeployFailed extends Error {
  constructor(
    readonly at: number,
    readonly why: unknown,
  ) {
    super('A deploy of the group failed.');
  }
}

/** The deploys of one slug, committed together; one outcome each, in order. */
export async function commitDeploys(driver: PostgresDriver, inputs: DeployInput[]): Promise<Committed<SiteRecord>> {
  const outcomes: Array<Outcome<SiteRecord>> = [];
  let answerable = Promise.resolve();
  let waiting = inputs.map((input, at) => ({ input, at, retried: false }));
  while (waiting.length > 0) {
    try {
      const { value, seen } = await driver.committed('BEGIN', (tx) => deployAll(driver, tx, waiting.map((w) => w.input)));
      waiting.forEach((w, i) => (outcomes[w.at] = { ok: true, value: value[i] as SiteRecord }));
      answerable = seen;
      waiting = [];
    } catch (e) {
      if (!(e instanceof DeployFailed)) throw e;
      const failed = waiting[e.at] as (typeof waiting)[number];
      // Lost the race for a new slug: the winner has committed, so a second attempt sees it and
      // answers 409 (another org won), the holder-changed error (our org won, with other files),
      // or, for a caller without expectedSiteId, adds a version.
      const raced = isUniqueViolation(e.why, 'sites_slug_key');
      if (raced && !failed.retried) {
        failed.retried = true;
        continue;
      }
      outcomes[failed.at] = { ok: false, error: raced ? slugTakenOnDeploy(failed.input.slug) : e.why };
      waiting = waiting.filter((w) => w !== failed);
    }
  }
  return { outcomes, answerable };
}

/** The deploys in order in one transaction; a DeployFailed names the first that failed. */
async function deployAll(driver: PostgresDriver, tx: Tx, inputs: DeployInput[]): Promise<Pipelined<SiteRecord[]>> {
  // Every deploy of the group is of this slug: its lock is taken once, for all of them.
  const locked = driver.holdLock(tx, { on: 'slug', key: (inputs[0] as DeployInput).slug });
  const done: Array<Pipelined<SiteRecord>> = [];
  /** The first deploy whose steps failed, before `end`. */
  const firstFailed = async (end: number): Promise<DeployFailed | null> => {
    for (let at = 0; at < end; at++) {
      const why = await (done[at] as Pipelined<SiteRecord>).tail;
      if (why !== null) return new DeployFailed(at, why);
    }
    return null;
  };
  for (const [at, input] of inputs.entries()) {
    try {
      done.push(await driver.run(tx, deploy(input)));
    } catch (why) {
      // Without the slug's lock (a timeout, a lost connection) the group cannot go on.
      const unlocked = await locked;
      if (unlocked !== null) throw unlocked;
      // An earlier deploy's writes, answered only now (nothing read them), or this one.
      throw (await firstFailed(at)) ?? new DeployFailed(at, why);
    }
  }
  return { value: done.map((d) => d.value), tail: firstFailed(done.length) };
}

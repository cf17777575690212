// Group commit of deploys on PostgreSQL (SQLite's store has its own): the deploys of one slug that
// wait for the same turn (slug-turns.ts) go in one transaction, so a burst of versions of one site
// costs one commit and one fsync per turn. Nothing in it waits but the first holder's read: each
// later deploy reads the holder the one before wrote (steps.ts known()), its writes go out behind the
// others', and COMMIT behind them all. When one deploy fails nothing was committed: it is answered
// with its error and the rest go again, in a new transaction.
//
// The first holder's read is skipped too when this process deployed the slug last (HolderHints): the
// holder it wrote is taken as known, and a guard sent first in the transaction makes PostgreSQL
// abort it unless the row is still exactly that (under the row's lock; the submission count, which
// submissions move unannounced, is read there instead). So a site's next version costs one round
// trip, whatever the hint says: a stale hint costs a retry, never a wrong write.
import { LruCache } from '../lru.js';
import { deploy } from './operations/sites.js';
import { isUniqueViolation, type PostgresDriver, type Tx } from './postgres-driver.js';
import { slugTakenOnDeploy } from './shared.js';
import type { Committed, Outcome } from './slug-turns.js';
import { HOLDER_COLUMNS } from './sql/fragments.js';
import { sites } from './sql/statements.js';
import type { Change, Pipelined, Row } from './sql/steps.js';
import type { DeployInput, SiteRecord } from './store.js';

/** Slugs whose hint is kept at most; the least recently used goes first. */
const MAX_HINTS = 1024;

/**
 * The holder row (sites.holder's columns) each slug had after this process's last deploy of it.
 * Forgotten when any instance announces a change of the site, and all of them while changes may be
 * missed; being wrong costs a retry (the guard), so this only has to be right most of the time.
 */
export class HolderHints {
  private readonly bySlug = new LruCache<string, Row>(MAX_HINTS);

  get(slug: string): Row | undefined {
    return this.bySlug.get(slug);
  }

  remember(slug: string, holder: Row): void {
    this.bySlug.set(slug, holder);
  }

  forget(slug: string): void {
    this.bySlug.delete(slug);
  }

  /** A change committed by any instance (null: one this version cannot name). */
  changed(change: Change | null): void {
    if (change === null || change.kind === 'org') this.bySlug.clear();
    else if (change.kind === 'site') for (const slug of change.slugs) this.forget(slug);
  }

  clear(): void {
    this.bySlug.clear();
  }
}

/**
 * The holder column the guard reads instead of comparing: a form submission moves it without
 * announcing it (no cached answer reads it), and comparing it made every deploy after a
 * submission a failed guard and a retry. No write of a deploy depends on it, only the answer.
 */
const READ_BY_GUARD = 'submission_count';
const COMPARED = HOLDER_COLUMNS.filter((c) => c.name !== READ_BY_GUARD);

/**
 * One row when the slug's holder is still the hint's (every column of COMPARED), locked as
 * sites.holder locks it, with its current submission count; otherwise 1 / 0, which aborts the
 * transaction (SQLSTATE 22012) before any of its writes can commit. Parameters: slug, then the
 * hint's columns in COMPARED order.
 */
const HOLDER_GUARD = `
SELECT 1 / COUNT(*) AS unchanged, MAX(held.${READ_BY_GUARD}) AS ${READ_BY_GUARD} FROM (
  SELECT s.${READ_BY_GUARD} FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version
  WHERE s.slug = $1
    ${COMPARED.map((c, i) => `AND ${c.sql} IS NOT DISTINCT FROM $${i + 2}::${c.type}`).join('\n    ')}
  FOR UPDATE OF s) held`;

/** The hint did not hold: the transaction is aborted and goes again without it. */
class HintStale extends Error {
  constructor() {
    super("The slug's holder is not the one this process last wrote.");
  }
}

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
export async function commitDeploys(driver: PostgresDriver, hints: HolderHints, inputs: DeployInput[]): Promise<Committed<SiteRecord>> {
  const slug = (inputs[0] as DeployInput).slug;
  const outcomes: Array<Outcome<SiteRecord>> = [];
  let answerable = Promise.resolve();
  let waiting = inputs.map((input, at) => ({ input, at, retried: false }));
  let hint = hints.get(slug);
  while (waiting.length > 0) {
    try {
      const { value, seen } = await driver.committed('BEGIN', (tx) => deployAll(driver, tx, hint, waiting.map((w) => w.input)));
      waiting.forEach((w, i) => (outcomes[w.at] = { ok: true, value: value.deployed[i] as SiteRecord }));
      hints.remember(slug, value.holder);
      answerable = seen;
      waiting = [];
    } catch (e) {
      if (e instanceof HintStale) {
        hints.forget(slug);
        hint = undefined;
        continue;
      }
      if (!(e instanceof DeployFailed)) {
        hints.forget(slug);
        throw e;
      }
      // A failure may have come from an outdated hint's holder: the next attempt reads it.
      hint = undefined;
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

/**
 * The deploys in order in one transaction, and the holder the last one wrote; a DeployFailed names
 * the first that failed, HintStale says the hint's guard aborted the transaction.
 */
async function deployAll(
  driver: PostgresDriver,
  tx: Tx,
  hint: Row | undefined,
  inputs: DeployInput[],
): Promise<Pipelined<{ deployed: SiteRecord[]; holder: Row }>> {
  const slug = (inputs[0] as DeployInput).slug;
  // Every deploy of the group is of this slug: its lock is taken once, for all of them.
  const locked = driver.holdLock(tx, { on: 'slug', key: slug });
  /** The hinted site's submission count as the guard read it (the hint's may be behind). */
  let counted: number | undefined;
  const guarded: Promise<HintStale | unknown> = hint
    ? driver.expect(tx, sites.holder, [slug], hint, HOLDER_GUARD, [slug, ...COMPARED.map((c) => hint[c.name] as string | number | null)]).then((answer) => {
        if ('failure' in answer) return (answer.failure as { code?: string }).code === '22012' ? new HintStale() : answer.failure;
        counted = Number(answer.row[READ_BY_GUARD]);
        return null;
      })
    : Promise.resolve(null);
  const done: Array<Pipelined<SiteRecord>> = [];
  /** The guard's failure, else the first deploy whose steps failed, before `end`. */
  const firstFailed = async (end: number): Promise<unknown> => {
    const stale = await guarded;
    if (stale !== null) return stale;
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
      // The hint's guard, an earlier deploy's writes, answered only now (nothing read them), or this one.
      throw (await firstFailed(at)) ?? new DeployFailed(at, why);
    }
  }
  const holder = driver.knownOf(tx, sites.holder, [slug]) as Row;
  const deployed = done.map((d) => d.value);
  const tail = firstFailed(done.length).then((failure) => {
    // The deploys of the hinted site took the hint's count: they are answered with the row's (it is
    // locked until COMMIT, so no submission lands in between). A site made anew (an expired one
    // replaced) keeps its own.
    if (failure === null && counted !== undefined && hint) {
      for (const site of deployed) if (site.id === hint.id) site.submissionCount = counted;
      if (holder.id === hint.id) holder[READ_BY_GUARD] = counted;
    }
    return failure;
  });
  return { value: { deployed, holder }, tail };
}

// A store operation is a generator: it yields the steps it needs (a statement to run, a lock to take,
// a change to announce) and receives each one's result. Its logic (what is checked, in what order,
// which error is thrown) is written once; each backend drives it its own way. SQLite answers every
// step synchronously, inside its transaction or group commit, with no promise per statement;
// PostgreSQL sends them on one pooled connection, and inside a transaction pipelines the steps whose
// answer the operation does not read (writes, locks, notifications) behind the next one it does.
import type { Statement } from './dialect.js';

export type SqlValue = string | number | null | Uint8Array;

/** A result row, column name → value, as both drivers return them. */
export type Row = Record<string, unknown>;

/**
 * What must not change under a write until it commits. SQLite takes none of these: BEGIN IMMEDIATE
 * already makes its one writer wait for the other. PostgreSQL locks: `slug` for deploys and renames
 * of one slug, `org` for the count of an org's sites, `domain` for the verification of one custom
 * domain, `migrations` for schema changes.
 */
export type Lock = { on: 'slug'; key: string } | { on: 'org'; key: string } | { on: 'domain'; key: string } | { on: 'migrations' };

/**
 * What a committed write changed, for other processes' caches (PostgreSQL's NOTIFY): a site (its
 * id, and the slugs whose answers it changes), a key, an org with everything in it, or what a
 * custom domain serves (verified or removed).
 */
export type Change =
  | { kind: 'site'; siteId: string; slugs: string[] }
  | { kind: 'key'; keyId: string }
  | { kind: 'org'; orgId: string }
  | { kind: 'domain'; domain: string };

export type Step =
  | { kind: 'get' | 'all' | 'run'; stmt: Statement; params: SqlValue[] }
  /** A write whose row count the operation does not read. */
  | { kind: 'write'; stmt: Statement; params: SqlValue[] }
  /** Many rows through a one-row INSERT; nothing is read back. */
  | { kind: 'rows'; stmt: Statement; rows: SqlValue[][] }
  /** A migration's script: several statements, no parameters. */
  | { kind: 'exec'; script: string }
  | ({ kind: 'lock' } & Lock)
  | { kind: 'notify'; change: Change }
  /** What a later get of stmt with params in this transaction finds (see known()). */
  | { kind: 'known'; stmt: Statement; params: SqlValue[]; row: Row };

/** The first row or undefined (get), all rows (all), the number of rows changed (run), or nothing. */
export type StepResult = Row | undefined | Row[] | number;

export type Op<T> = Generator<Step, T, StepResult>;

// Each helper yields one step and returns its result typed, so an operation reads
// `const site = yield* get(sites.byId, id)`.

export function* get(stmt: Statement, ...params: SqlValue[]): Op<Row | undefined> {
  return (yield { kind: 'get', stmt, params }) as Row | undefined;
}

export function* all(stmt: Statement, ...params: SqlValue[]): Op<Row[]> {
  return (yield { kind: 'all', stmt, params }) as Row[];
}

/** Runs a write; returns how many rows it changed. */
export function* run(stmt: Statement, ...params: SqlValue[]): Op<number> {
  return (yield { kind: 'run', stmt, params }) as number;
}

/** Runs a write and does not wait to learn how many rows it changed (see blind()). */
export function* write(stmt: Statement, ...params: SqlValue[]): Op<void> {
  yield { kind: 'write', stmt, params };
}

export function* rows(stmt: Statement, values: SqlValue[][]): Op<void> {
  yield { kind: 'rows', stmt, rows: values };
}

export function* exec(script: string): Op<void> {
  yield { kind: 'exec', script };
}

export function* lock(what: Lock): Op<void> {
  yield { kind: 'lock', ...what };
}

/** Announced when the transaction commits (PostgreSQL); nothing on SQLite, whose caches are in process. */
export function* notify(change: Change): Op<void> {
  yield { kind: 'notify', change };
}

/**
 * Says what a later `get` of stmt with params in this same transaction would find, because this
 * operation has just written it and holds its rows locked until the transaction ends. PostgreSQL
 * answers such a read from it without asking (in a group commit, each deploy of a slug reads the
 * holder the one before it wrote); SQLite, whose reads cost no round trip, ignores it.
 */
export function* known(stmt: Statement, params: SqlValue[], row: Row): Op<void> {
  yield { kind: 'known', stmt, params, row };
}

/**
 * Steps whose answer the operation never reads. Inside a transaction PostgreSQL sends them without
 * waiting; a failure among them fails the next step that is waited for (the transaction is aborted),
 * and that failure is reported as the first one's.
 */
export function blind(step: Step): boolean {
  return step.kind === 'write' || step.kind === 'rows' || step.kind === 'lock' || step.kind === 'notify' || step.kind === 'known';
}

/** Runs an operation whose every step is answered synchronously (SQLite). */
export function driveSync<T>(op: Op<T>, answer: (step: Step) => StepResult): T {
  let next = op.next();
  while (!next.done) next = op.next(answer(next.value));
  return next.value;
}

/** Runs an operation whose steps are answered asynchronously (PostgreSQL), one after the other. */
export async function driveAsync<T>(op: Op<T>, answer: (step: Step) => Promise<StepResult>): Promise<T> {
  let next = op.next();
  while (!next.done) next = op.next(await answer(next.value));
  return next.value;
}

/** What drivePipelined() returns: the operation's value, and the fate of the blind steps it ended with. */
export interface Pipelined<T> {
  value: T;
  /** The first failure among the steps still unanswered when the operation returned, or null. */
  tail: Promise<unknown>;
}

/**
 * Runs an operation inside a transaction on one connection that pipelines (PostgreSQL): each step is
 * sent as soon as the operation yields it, and a blind one is not waited for. Answers come back in
 * order, so once a waited-for step is answered every step before it has been; when one fails, the
 * first failure before it is the cause (the rest fail only because the transaction is aborted).
 * The blind steps an operation ends with are not waited for either: whatever the caller sends next
 * (COMMIT, the next operation of a group) goes out behind them, and it reads their fate from tail.
 */
export async function drivePipelined<T>(op: Op<T>, send: (step: Step) => Promise<StepResult>): Promise<Pipelined<T>> {
  /** The blind steps since the last waited-for one: each settles to its error, or null. */
  let unread: Array<Promise<unknown>> = [];
  const firstFailure = async (steps: Array<Promise<unknown>>, otherwise: unknown): Promise<unknown> => {
    for (const settled of steps) {
      const error = await settled;
      if (error !== null) return error;
    }
    return otherwise;
  };
  let next = op.next();
  while (!next.done) {
    const step = next.value;
    const answer = send(step);
    if (blind(step)) {
      unread.push(answer.then(() => null, (e: unknown) => e ?? new Error(`A ${step.kind} step failed.`)));
      next = op.next(undefined);
      continue;
    }
    let result: StepResult;
    try {
      result = await answer;
    } catch (e) {
      throw await firstFailure(unread, e);
    }
    unread = [];
    next = op.next(result);
  }
  return { value: next.value, tail: firstFailure(unread, null) };
}

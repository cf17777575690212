// Deploys and renames of one slug in this process take turns here before they take a pooled
// connection. Waiting in the database instead (on the slug's advisory lock) would hold one of the
// pool's connections per waiter, and a burst on one slug would starve every other request.
// Deploys that wait for the same turn go together: the next turn commits all of them in one
// transaction (group commit, as SQLite's store does), so a burst of versions of one site costs one
// commit, and one fsync, per turn instead of one each.

export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** A committed group: one outcome per input, in order, to be answered once `answerable` resolves. */
export interface Committed<O> {
  outcomes: Array<Outcome<O>>;
  answerable: Promise<void>;
}

interface Waiting<I, O> {
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

interface Group<I, O> {
  waiting: Array<Waiting<I, O>>;
  bytes: number;
}

export interface GroupLimits {
  /** A group stops at this many writes or bytes: its turn holds the slug until it commits. */
  maxWrites: number;
  maxBytes: number;
}

export class SlugTurns<I, O> {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Per slug, the group still open to newcomers (its turn has not come yet). */
  private readonly open = new Map<string, Group<I, O>>();

  constructor(
    /** Commits the inputs in one transaction; the slug's next turn starts as soon as it resolves. */
    private readonly commitGroup: (inputs: I[]) => Promise<Committed<O>>,
    private readonly limits: GroupLimits,
    private readonly sizeOf: (input: I) => number,
  ) {}

  /** fn alone, in the slug's next turn. */
  exclusive<T>(slug: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(slug) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    this.tails.set(slug, tail);
    void tail.then(() => {
      if (this.tails.get(slug) === tail) this.tails.delete(slug);
    });
    return run;
  }

  /** input with every other one that waits for the same turn of the slug. */
  grouped(slug: string, input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const bytes = this.sizeOf(input);
      let group = this.open.get(slug);
      if (group && (group.waiting.length >= this.limits.maxWrites || group.bytes + bytes > this.limits.maxBytes)) group = undefined;
      if (!group) {
        const fresh: Group<I, O> = { waiting: [], bytes: 0 };
        this.open.set(slug, fresh);
        void this.exclusive(slug, () => {
          if (this.open.get(slug) === fresh) this.open.delete(slug);
          return this.commit(fresh);
        });
        group = fresh;
      }
      group.waiting.push({ input, resolve, reject });
      group.bytes += bytes;
    });
  }

  private async commit(group: Group<I, O>): Promise<void> {
    let committed: Committed<O>;
    try {
      committed = await this.commitGroup(group.waiting.map((w) => w.input));
    } catch (e) {
      // BEGIN or COMMIT failed: nothing of the group was written.
      for (const w of group.waiting) w.reject(e);
      return;
    }
    // The turn ends here; the answers wait for what the commit still waits for (other instances).
    void committed.answerable.then(() =>
      group.waiting.forEach((w, i) => {
        const outcome = committed.outcomes[i] as Outcome<O>;
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      }),
    );
  }
}

// A statement is written once, with `?` placeholders, as a function of the dialect's few
// differences; both texts are made when the module loads. PostgreSQL's `$1..$n` are numbered here,
// so no statement spells them.

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** The column that orders rows by creation: SQLite's rowid, PostgreSQL's identity column. */
  readonly seq: string;
  /**
   * Appended to a read that the rest of the transaction depends on. SQLite has one writer at a time
   * (BEGIN IMMEDIATE), so it needs no row locks; PostgreSQL locks the rows read.
   */
  readonly forUpdate: string;
  /** A queue's claim: rows another transaction holds are passed over, not waited for (PostgreSQL). */
  readonly skipLocked: string;
}

export const SQLITE: Dialect = { name: 'sqlite', seq: 'rowid', forUpdate: '', skipLocked: '' };
export const POSTGRES: Dialect = { name: 'postgres', seq: 'seq', forUpdate: ' FOR UPDATE', skipLocked: ' FOR UPDATE SKIP LOCKED' };

/** One statement in the text each backend runs. */
export interface Statement {
  readonly sqlite: string;
  readonly postgres: string;
}

export function sql(text: string | ((d: Dialect) => string)): Statement {
  const of = (d: Dialect) => (typeof text === 'string' ? text : text(d)).trim();
  return { sqlite: of(SQLITE), postgres: numberPlaceholders(of(POSTGRES)) };
}

/** `?` → `$1, $2, …` in order, leaving quoted strings and identifiers alone. */
export function numberPlaceholders(text: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  if (quote) throw new Error(`Unclosed ${quote} in SQL: ${text}`);
  return out;
}

/**
 * The locks a session holds: today the LOCK TABLES list; metadata locks and table locks join
 * here, with the points where the statement and the transaction release theirs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (15.3.6)
 * @req CORE-EXEC-014
 */

/** One entry of LOCK TABLES: the table (and alias) and whether it was locked for writing. */
export interface TableLockEntry {
  schema: string;
  table: string;
  alias?: string;
  write: boolean;
}

export class SessionLocks {
  /** LOCK TABLES in effect, or null. */
  lockedTables: TableLockEntry[] | null = null;

  /** The statement is over: release what it held for its own duration. */
  releaseStatement(): void {
    /* no locks of statement duration yet */
  }

  /** The transaction is over: release what it held for its duration. */
  releaseTransaction(): void {
    /* no locks of transaction duration yet */
  }

  /** The connection ends (or is reset): release everything, LOCK TABLES included. */
  releaseAll(): void {
    this.lockedTables = null;
  }
}

/**
 * Read views: what a consistent read may see. A view remembers which read-write transactions
 * were active when it was taken; a row version is visible when the transaction that wrote it
 * committed before the view was taken, or is the reader itself. Older versions are found by
 * following the version chain (index/versions.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-consistent-read.html (15.7.2.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-multi-versioning.html (15.3)
 * @req INNODB-RESTR-003 INNODB-MVCC-101 INNODB-MVCC-102
 */

/** The identity of the transaction that wrote a version, shared by all its versions. */
export interface TrxRecord {
  /** Transaction id (DB_TRX_ID); 0 for rows that were committed before the server started. */
  readonly id: bigint;
  /** Position in commit order once committed; Infinity while active or prepared. Purge uses
   *  it: a version's predecessors are garbage once every open view was taken after it. */
  commitSeq: number;
}

/** Rows loaded at startup: committed before any view of this run. */
export const BOOT_TRX: TrxRecord = { id: 0n, commitSeq: 0 };

export class ReadView {
  /** Transactions using this view (a view for a transaction without an id may be shared). */
  holders = 0;

  constructor(
    /** The transaction that owns the view (its own changes are visible); 0n when it has none yet. */
    readonly creator: bigint,
    /** Ids at or above this were not yet assigned when the view was taken. */
    readonly lowLimit: bigint,
    /** Ids below this had all ended when the view was taken. */
    readonly upLimit: bigint,
    /** Read-write transactions active when the view was taken. */
    private readonly active: ReadonlySet<bigint>,
    /** Commit sequence number when the view was taken (purge horizon). */
    readonly commitSeq: number,
  ) {}

  /** @req INNODB-MVCC-101 */
  sees(trxId: bigint, creator: bigint): boolean {
    if (trxId === creator && creator !== 0n) return true;
    if (trxId < this.upLimit) return true;
    if (trxId >= this.lowLimit) return false;
    return !this.active.has(trxId);
  }
}

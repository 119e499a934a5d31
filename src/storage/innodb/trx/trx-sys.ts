/**
 * The transaction system: transaction ids, the set of active read-write transactions, the open
 * read views, and the commit sequence that orders commits for purge.
 *
 * Ids are given to a transaction at its first change (read-only transactions never get one,
 * as in InnoDB), so a view only needs the ids of transactions that write.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-multi-versioning.html (15.3)
 * @req INNODB-MVCC-101 INNODB-MON-015
 */
import { ReadView } from './read-view.js';

export interface ActiveTrx {
  readonly id: bigint;
}

export class TrxSys {
  /** Next transaction id to hand out. */
  nextTrxId = 1n;
  /** Commits so far (the commit sequence). */
  commitSeq = 0;
  /** Read-write transactions that have not ended (active or prepared), by id. */
  readonly active = new Map<bigint, ActiveTrx>();
  /** Open read views (their count is in the monitor's ROW OPERATIONS). */
  readonly views = new Set<ReadView>();

  allocateId(): bigint {
    return this.nextTrxId++;
  }

  register(t: ActiveTrx): void {
    this.active.set(t.id, t);
  }

  unregister(t: ActiveTrx): void {
    this.active.delete(t.id);
  }

  nextCommitSeq(): number {
    return ++this.commitSeq;
  }

  /** @req INNODB-MVCC-101 */
  openView(creator: bigint): ReadView {
    let up = this.nextTrxId;
    const ids = new Set<bigint>();
    for (const id of this.active.keys()) {
      if (id === creator) continue;
      ids.add(id);
      if (id < up) up = id;
    }
    const v = new ReadView(creator, this.nextTrxId, up, ids, this.commitSeq);
    this.views.add(v);
    return v;
  }

  closeView(v: ReadView): void {
    this.views.delete(v);
  }

  /** The commit sequence every open view has seen: versions replaced by commits at or below it
   *  are needed by nobody. */
  purgeHorizon(): number {
    let h = this.commitSeq;
    for (const v of this.views) if (v.commitSeq < h) h = v.commitSeq;
    return h;
  }
}

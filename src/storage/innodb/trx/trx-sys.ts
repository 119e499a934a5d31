/**
 * The transaction system: transaction ids, the set of active read-write transactions, the open
 * read views, and the commit sequence that orders commits for purge.
 *
 * Ids are given to a transaction at its first change (read-only transactions never get one,
 * as in InnoDB), so a view only needs the ids of transactions that write.
 *
 * A view depends only on the next id to assign, the set of active read-write transactions and
 * the commit sequence. Every change to any of them bumps an epoch; while the epoch has not moved,
 * a new view for a transaction without an id would hold exactly what the last such view holds,
 * so that view is handed out again (counted once per holder) instead of building another. The
 * commit of anything that wrote, or a transaction getting its id, moves the epoch, so a reused
 * view never misses a commit made after it was built.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-multi-versioning.html (15.3)
 * @req INNODB-MVCC-101 INNODB-MON-015 CORE-PERF-034
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
  /** Distinct read views (a shared view once), for the purge horizon and the monitor. The last
   *  shared view stays here while nobody holds it (holders 0), ready to be handed out again;
   *  readers of this set skip such views. */
  readonly views = new Set<ReadView>();
  /** Open views counted per holder: the monitor's "read views open inside InnoDB". */
  openViews = 0;
  /** Moves whenever a view taken now would differ from one taken before. @req CORE-PERF-034 */
  private epoch = 0;
  /** The last view built for a transaction without an id, and the epoch it was built in. */
  private shared: ReadView | null = null;
  private sharedEpoch = -1;

  allocateId(): bigint {
    this.epoch++;
    return this.nextTrxId++;
  }

  register(t: ActiveTrx): void {
    this.epoch++;
    this.active.set(t.id, t);
  }

  unregister(t: ActiveTrx): void {
    this.epoch++;
    this.active.delete(t.id);
  }

  nextCommitSeq(): number {
    this.epoch++;
    return ++this.commitSeq;
  }

  /** @req INNODB-MVCC-101 CORE-PERF-034 */
  openView(creator: bigint): ReadView {
    this.openViews++;
    const s = this.shared;
    // nextTrxId and commitSeq are compared too: recovery sets them directly.
    if (creator === 0n && s !== null && this.sharedEpoch === this.epoch && s.lowLimit === this.nextTrxId && s.commitSeq === this.commitSeq) {
      s.holders++;
      return s;
    }
    let up = this.nextTrxId;
    const ids = new Set<bigint>();
    for (const id of this.active.keys()) {
      if (id === creator) continue;
      ids.add(id);
      if (id < up) up = id;
    }
    const v = new ReadView(creator, this.nextTrxId, up, ids, this.commitSeq);
    v.holders = 1;
    this.views.add(v);
    if (creator === 0n) {
      if (s !== null && s.holders === 0) this.views.delete(s);
      this.shared = v;
      this.sharedEpoch = this.epoch;
    }
    return v;
  }

  closeView(v: ReadView): void {
    if (v.holders <= 0) return;
    this.openViews--;
    if (--v.holders === 0 && v !== this.shared) this.views.delete(v);
  }

  /** The commit sequence every open view has seen: versions replaced by commits at or below it
   *  are needed by nobody. */
  purgeHorizon(): number {
    let h = this.commitSeq;
    for (const v of this.views) if (v.holders > 0 && v.commitSeq < h) h = v.commitSeq;
    return h;
  }
}

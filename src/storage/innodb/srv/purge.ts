/**
 * Purge: the background work that frees old row versions. Each committed transaction hands its
 * changed records to the purge queue in commit order; once every open read view was taken after
 * that commit, the versions those records held before it can never be read again, and a record
 * whose surviving version is a delete mark leaves the indexes. The queue length is the monitor's
 * "History list length".
 *
 * Purge runs in slices on the event loop, and not at all under innodb_force_recovery >= 2
 * (SRV_FORCE_NO_BACKGROUND).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-purge-configuration.html (15.8.9)
 * @req INNODB-REC-020 INNODB-FORCE-015 INNODB-MVCC-104
 */
import type { ClusterRec, InnodbTable } from '../index/innodb-table.js';
import type { TrxSys } from '../trx/trx-sys.js';
import { PURGE_BATCH_RECORDS, PURGE_INTERVAL_MS } from './limits.js';

interface PurgeItem {
  commitSeq: number;
  table: InnodbTable;
  /** Emptied once purged. */
  recs: ClusterRec[];
}

export class Purge {
  private readonly queue: PurgeItem[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Records purged so far (INNODB_METRICS, monitor). */
  purged = 0;

  constructor(
    private readonly sys: TrxSys,
    private readonly enabled: boolean,
  ) {}

  /** A committed transaction's records. */
  add(commitSeq: number, changed: Map<InnodbTable, Set<ClusterRec>>): void {
    for (const [table, recs] of changed) this.queue.push({ commitSeq, table, recs: [...recs] });
    this.schedule();
  }

  /** Transactions whose history is waiting to be purged (History list length). */
  get historyLength(): number {
    return this.queue.length - this.head;
  }

  private schedule(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Purge what the oldest open view allows, a bounded batch per turn. */
  run(): void {
    const horizon = this.sys.purgeHorizon();
    let budget = PURGE_BATCH_RECORDS;
    while (this.head < this.queue.length && budget > 0) {
      const item = this.queue[this.head]!;
      if (item.commitSeq > horizon) break;
      for (const rec of item.recs) item.table.purge(rec, horizon);
      budget -= item.recs.length;
      this.purged += item.recs.length;
      // Let go of the records now: an evicted record must not stay alive through this queue.
      item.recs = [];
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.head < this.queue.length) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

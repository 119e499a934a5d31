/**
 * Group commit in front of the transaction-coordinator log. A sync is the expensive step of a
 * commit; while one batch is being written and synced, the commits that arrive queue up and
 * then go out together: one write and one sync for the whole queue. Under load each sync thus
 * serves many transactions, and a lone commit is never delayed to wait for company.
 *
 * A failed write or sync fails every commit of its batch (none of them may be reported
 * committed); later batches try again.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_binlog_group_commit_sync_delay
 * @req CORE-TXN-031
 */
import type { Xid } from '../../kernel/xid.js';
import { GROUP_COMMIT_MAX_BATCH } from './limits.js';
import type { TcLog } from './tc-log.js';

interface Waiter {
  xid: Xid;
  resolve(): void;
  reject(e: unknown): void;
}

export class GroupCommit {
  private queue: Waiter[] = [];
  private flushing = false;
  /** Batches written (each with one write and one sync) and commit records in them. */
  readonly stats = { batches: 0, records: 0 };

  constructor(
    readonly log: TcLog,
    private readonly maxBatch = GROUP_COMMIT_MAX_BATCH,
  ) {}

  /**
   * Resolves once the commit record of `xid` is durable. Commits arriving while a batch is in
   * flight join the next batch.
   * @req CORE-TXN-031
   */
  commit(xid: Xid): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ xid, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** The records of these XIDs are no longer needed (every participant committed). */
  forget(xids: readonly Xid[]): Promise<void> {
    return this.log.forget(xids);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.log.write(batch.map((w) => w.xid));
          await this.log.sync();
          this.stats.batches++;
          this.stats.records += batch.length;
        } catch (e) {
          for (const w of batch) w.reject(e);
          continue;
        }
        for (const w of batch) w.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }
}

/**
 * The transaction-coordinator log: where the server makes the decision "commit this XID"
 * durable between phase one (every participant prepared) and phase two (every participant
 * commits) of a two-phase commit. After a crash, a transaction an engine still holds prepared
 * under an internal XID is committed when its XID is in this log and rolled back otherwise.
 *
 * MySQL has three: the binary log when it is on (the transaction's events are the commit
 * record), a memory-mapped tc.log when more than one two-phase-commit engine is installed and
 * the binary log is off, and none when at most one such engine exists. The binary log will
 * implement this interface; until then the file log of ./tc-log-file.ts or a test double does.
 *
 * Writing and syncing are separate steps so that group commit (./group-commit.ts) can write
 * the records of many transactions, then make them durable with a single sync.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-options.html#option_mysqld_log-tc
 * @req CORE-TXN-030 CORE-TXN-031 CORE-TXN-032
 */
import type { Xid } from '../../kernel/xid.js';

export interface TcLog {
  /** Startup: read what is durable. Returns the keys ({@link xidKey}) of the XIDs whose commit
   *  was logged and not yet forgotten. Called once, before any write. */
  recover(): Promise<ReadonlySet<string>>;
  /** Append the commit records of a batch of transactions (not yet durable). */
  write(batch: readonly Xid[]): Promise<void>;
  /** Make every record written so far durable. */
  sync(): Promise<void>;
  /** Every participant has committed these XIDs: their records are no longer needed. */
  forget(xids: readonly Xid[]): Promise<void>;
  /** Recovery has resolved every logged XID in every engine: the log may start empty. */
  recovered(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A log that keeps nothing across a restart (MySQL's dummy TC log plays this role when at most
 * one two-phase-commit engine is installed, where no two-phase commit can happen). It still
 * runs the protocol, so sessions of a server composed without a durable log behave the same.
 */
export class VolatileTcLog implements TcLog {
  async recover(): Promise<ReadonlySet<string>> {
    return new Set();
  }
  async write(_batch: readonly Xid[]): Promise<void> {}
  async sync(): Promise<void> {}
  async forget(_xids: readonly Xid[]): Promise<void> {}
  async recovered(): Promise<void> {}
  async close(): Promise<void> {}
}

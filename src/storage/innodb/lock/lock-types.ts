/**
 * What the InnoDB lock system is told and what it tells back: the transaction as a lock owner,
 * a record lock request with its wait options, and the rows it reports for
 * performance_schema.data_locks / data_lock_waits and the Innodb_row_lock_* status variables.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks.html (15.7.5)
 * @req INNODB-LOCK-105 INNODB-LOCK-107 INNODB-LOCK-108 INNODB-LOCK-109 INNODB-LOCK-111 INNODB-LOCK-112
 */
import type { WaitSignal } from '../../../kernel/wait-signal.js';
import type { GapMode, LockKind, RecordLockMode, TableLockMode } from './lock-modes.js';

/**
 * One InnoDB transaction as the lock system sees it. The lock system keys its state on the
 * object itself, so a transaction must use the same owner object for all of its locks.
 */
export interface LockOwner {
  readonly trxId: bigint;
  readonly connectionId: number;
  /** Rows changed so far. Among the transactions of a deadlock the lighter one is rolled back
   *  (ties: the transaction whose request closed the cycle). @req INNODB-LOCK-105 */
  weight(): number;
  /** What the transaction is doing, for deadlock reports and the monitor (the statement text). */
  describe(): string;
  /** When the transaction started (Date.now() scale), for "ACTIVE n sec"; when absent, the
   *  time of its first lock is used. */
  readonly startedAtMs?: number;
}

/** How a request that conflicts behaves: how long it may wait and what ends the wait. */
export interface LockWaitOptions {
  /** Ends the wait with its reason (KILL QUERY 1317, max_execution_time 3024). @req INNODB-LOCK-109 */
  signal: WaitSignal;
  /** innodb_lock_wait_timeout in ms; the wait ends with 1205 after it. @req INNODB-LOCK-107 */
  timeoutMs: number;
  /** NOWAIT: a conflict fails at once with 3572. @req INNODB-LOCK-108 */
  noWait?: boolean;
  /** SKIP LOCKED: a conflict answers 'skipped'. @req INNODB-LOCK-108 */
  skipLocked?: boolean;
  /** innodb_deadlock_detect: look for a cycle before waiting. @req INNODB-LOCK-105 INNODB-LOCK-106 */
  deadlockDetect: boolean;
}

/** A record lock request: the record's identity in one index of one table, and the mode. */
export interface RecordLockRequest extends LockWaitOptions {
  owner: LockOwner;
  tableId: number;
  /** `db`.`t`, as reports print it. */
  tableName: string;
  indexName: string;
  /** The record's identity in the index (opaque; equal strings mean the same record). */
  key: string;
  /** The key as people read it (data_locks.LOCK_DATA, deadlock reports). */
  keyText: string;
  mode: RecordLockMode;
  /** What the lock covers around the record; 'record' when absent. @req INNODB-LOCK-301 */
  gap?: GapMode;
}

/** What lockRecord / lockTable answer without waiting. */
export type LockGrant = 'granted';
export type RecordLockResult = 'granted' | 'skipped';

/** One granted or waiting lock (performance_schema.data_locks). @req INNODB-LOCK-111 */
export interface LockInfo {
  /** Unique per lock while it exists (part of data_locks.ENGINE_LOCK_ID). */
  readonly lockId: number;
  readonly trxId: bigint;
  readonly connectionId: number;
  readonly tableId: number;
  /** `db`.`t` */
  readonly tableName: string;
  /** null for table locks. */
  readonly indexName: string | null;
  /** data_locks.LOCK_DATA: the key text of a record lock, null for table locks. */
  readonly keyText: string | null;
  /** The mode asked for. */
  readonly rawMode: TableLockMode | RecordLockMode;
  /** Record locks: what the lock covers around the record; absent for table locks and for
   *  locks on the record alone. */
  readonly gap?: GapMode;
  /** data_locks.LOCK_MODE: 'IX', 'IS', 'S', 'X' for tables; 'X' (next-key), 'X,REC_NOT_GAP', 'X,GAP', 'X,INSERT_INTENTION' (and S) for records. */
  readonly mode: string;
  readonly type: LockKind;
  readonly status: 'GRANTED' | 'WAITING';
  /** For a waiting lock: when the wait began (Date.now() scale). */
  readonly waitStartedMs: number | null;
}

/** One edge of performance_schema.data_lock_waits. @req INNODB-LOCK-111 */
export interface LockWaitInfo {
  readonly requesting: LockInfo;
  readonly blocking: LockInfo;
}

/** The Innodb_row_lock_* status variables and the lock_timeouts / lock_deadlocks metrics. @req INNODB-LOCK-112 */
export interface LockCounters {
  /** Innodb_row_lock_waits: requests that had to wait. */
  waits: number;
  /** Innodb_row_lock_current_waits. */
  currentWaits: number;
  /** Waits ended by innodb_lock_wait_timeout. */
  timeouts: number;
  /** Deadlocks found (each one broken by rolling back one transaction). */
  deadlocks: number;
  /** Innodb_row_lock_time: ms spent in finished waits (Innodb_row_lock_time_avg = totalWaitMs / waits). */
  totalWaitMs: number;
  /** Innodb_row_lock_time_max. */
  maxWaitMs: number;
}

/** The locks of one transaction, for the monitor's TRANSACTIONS section ("n lock struct(s), m row lock(s)"). */
export interface OwnerLockSummary {
  /** Table and record locks held or waited for. */
  readonly lockStructs: number;
  /** Record locks held or waited for. */
  readonly rowLocks: number;
  /** The lock it waits for, if any. */
  readonly waiting: LockInfo | null;
}

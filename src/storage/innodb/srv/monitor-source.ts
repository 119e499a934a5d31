/**
 * What InnoDB's observability reads of the engine: the Standard Monitor (SHOW ENGINE INNODB
 * STATUS), the Innodb_* status variables, INFORMATION_SCHEMA.INNODB_METRICS / INNODB_TRX and
 * performance_schema.data_locks. The engine implements this interface; the monitor and the
 * tables see nothing else of it, and unit tests can hand them a small fake.
 *
 * The server fills in what only it knows about a connection (user, host, the statement it
 * runs): {@link SessionInfo}, through a lookup the composition root installs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-001 INNODB-MON-009
 */
import type { BufferPool } from '../buf/buf-pool.js';
import type { SpacePage } from '../fil/tablespace-image.js';
import type { Value } from '../../../kernel/value.js';
import type { FileIoStats } from '../fil/io-stats.js';
import type { RowCounters } from '../handler/table-handler.js';
import type { LockSys } from '../lock/lock-sys.js';
import type { RedoStats } from '../log/redo-log.js';
import type { InnodbTrx } from '../trx/trx.js';
import type { TrxSys } from '../trx/trx-sys.js';
import type { SpaceRegistry } from './spaces.js';

/** One client connection as the monitor and INNODB_TRX show it. */
export interface SessionInfo {
  /** The host name the client connected from ('localhost'), null when unknown. */
  readonly host: string | null;
  /** Its IP address for TCP connections, null for the Unix socket. */
  readonly ip: string | null;
  readonly user: string;
  /** What the statement is doing (PROCESSLIST State), '' when idle. */
  readonly state: string;
  /** The statement it runs now, null when idle. */
  readonly query: string | null;
  /** Statements the connection has sent so far (the monitor's "query id"). */
  readonly queryId: number;
  /** A statement is running (its tables count as "in use"). */
  readonly busy: boolean;
  /** @@unique_checks and @@foreign_key_checks of the session. */
  readonly uniqueChecks: boolean;
  readonly foreignKeyChecks: boolean;
}

/** The live files of the redo log, oldest first ("Log minimum/maximum file id"). */
export interface RedoFileInfo {
  readonly number: number;
  readonly startLsn: bigint;
  readonly endLsn: bigint;
}

/** What the observability code reads of the engine. */
export interface MonitorSource {
  readonly pageSize: number;
  /** Date.now() when the engine object was made (monitor counters start there). */
  readonly startedAt: number;
  readonly sys: TrxSys;
  readonly locks: LockSys;
  readonly spaces: SpaceRegistry;
  readonly counters: RowCounters;
  /** Row operations on the tables of the `mysql` schema. */
  readonly systemCounters: RowCounters;
  readonly fileIo: FileIoStats;
  /** The buffer pool. */
  readonly pool: BufferPool<SpacePage>;
  /** Transactions purge still has to clean up after (History list length). */
  readonly historyLength: number;
  /** The redo log's counters; null in read-only mode or before startup. */
  redoStats(): RedoStats | null;
  redoFiles(): readonly RedoFileInfo[];
  /** innodb_redo_log_capacity the log runs with (bytes); 0 without a log. */
  redoCapacity(): number;
  transactions(): InnodbTrx[];
  globalVar(name: string): Value;
  /** The server's view of a connection, null when it is gone or unknown. */
  sessionInfo(connectionId: number): SessionInfo | null;
  /** Connections the server has open, in connection order (for "not started" entries). */
  sessionIds(): readonly number[];
}

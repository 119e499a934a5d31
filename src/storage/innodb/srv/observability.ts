/**
 * The engine as its observability sees it: one object per engine that implements
 * {@link MonitorSource} over the engine's public parts, holds the Standard Monitor, and takes
 * the server's connection lookup (user, host and statement of a connection), which only the
 * composition root can supply. SHOW ENGINE INNODB STATUS, the Innodb_* status variables,
 * INNODB_METRICS, INNODB_TRX and performance_schema.data_locks all read through it.
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
import type { RedoLog, RedoStats } from '../log/redo-log.js';
import type { InnodbTrx } from '../trx/trx.js';
import type { TrxSys } from '../trx/trx-sys.js';
import { InnodbMonitor } from './monitor.js';
import type { MonitorSource, RedoFileInfo, SessionInfo } from './monitor-source.js';
import type { SpaceRegistry } from './spaces.js';

/** The parts of InnodbEngine the observability reads (the engine satisfies it structurally). */
export interface ObservedEngine {
  readonly datadir: string;
  readonly pageSize: number;
  readonly startedAt: number;
  readonly sys: TrxSys;
  readonly locks: LockSys;
  readonly spaces: SpaceRegistry;
  readonly counters: RowCounters;
  readonly systemCounters: RowCounters;
  readonly fileIo: FileIoStats;
  readonly pool: BufferPool<SpacePage>;
  readonly historyLength: number;
  readonly redo: RedoLog | null;
  transactions(): InnodbTrx[];
  globalVar(name: string): Value;
}

/** What the server tells InnoDB about its connections. */
export interface SessionDirectory {
  /** The connection's details, null when it is gone. */
  info(connectionId: number): SessionInfo | null;
  /** The statement the connection runs now (deadlock reports), null when idle or gone. */
  query(connectionId: number): string | null;
  /** Open connections, in connection order. */
  ids(): readonly number[];
}

export class InnodbObservability implements MonitorSource {
  /** Installed by the server at startup; without it connections show only their id. */
  sessions: SessionDirectory | null = null;
  readonly monitor: InnodbMonitor;

  constructor(private readonly engine: ObservedEngine) {
    this.monitor = new InnodbMonitor(this);
  }

  get pageSize(): number {
    return this.engine.pageSize;
  }
  /** The data directory (INNODB_TABLESPACES reads file sizes there). */
  get datadir(): string {
    return this.engine.datadir;
  }
  get startedAt(): number {
    return this.engine.startedAt;
  }
  get sys(): TrxSys {
    return this.engine.sys;
  }
  get locks(): LockSys {
    return this.engine.locks;
  }
  get spaces(): SpaceRegistry {
    return this.engine.spaces;
  }
  get counters(): RowCounters {
    return this.engine.counters;
  }

  get systemCounters(): RowCounters {
    return this.engine.systemCounters;
  }
  get fileIo(): FileIoStats {
    return this.engine.fileIo;
  }
  get pool(): BufferPool<SpacePage> {
    return this.engine.pool;
  }
  get historyLength(): number {
    return this.engine.historyLength;
  }

  redoStats(): RedoStats | null {
    return this.engine.redo?.stats ?? null;
  }

  redoFiles(): readonly RedoFileInfo[] {
    return this.engine.redo?.liveFiles ?? [];
  }

  redoCapacity(): number {
    return this.engine.redo?.capacity ?? 0;
  }

  transactions(): InnodbTrx[] {
    return this.engine.transactions();
  }

  globalVar(name: string): Value {
    return this.engine.globalVar(name);
  }

  sessionInfo(connectionId: number): SessionInfo | null {
    return this.sessions?.info(connectionId) ?? null;
  }

  sessionIds(): readonly number[] {
    return this.sessions?.ids() ?? [];
  }
}

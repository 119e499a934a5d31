/**
 * INFORMATION_SCHEMA.INNODB_METRICS: a subset of InnoDB's monitor counters that the engine can
 * back with real numbers, with 8.0's names, subsystems, comments, types and default status.
 *
 * Counters enabled by default (`STATUS` 'enabled') report their value; those InnoDB leaves
 * disabled until innodb_monitor_enable turns them on report 0 and NULLs with 'disabled', as a
 * fresh 8.0 server shows them (enabling counters at run time is not modelled). `TYPE` is
 * 'value' for gauges (current value: LSNs, pages, current waits), 'status_counter' for the
 * counters that mirror a status variable, 'counter' for the others. For gauges MAX_COUNT and
 * MIN_COUNT are the extremes seen by reads of the table; for counters MAX_COUNT is the count
 * and AVG_COUNT the count per second since the engine started.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-information-schema-metrics-table.html
 * @req INNODB-MON-105
 */
import type { PoolSnapshot } from './buffer-pool.js';
import type { InnodbObservability } from './observability.js';

export type MetricType = 'value' | 'status_counter' | 'counter';

interface MetricDef {
  readonly name: string;
  readonly subsystem: string;
  readonly type: MetricType;
  readonly enabled: boolean;
  readonly comment: string;
  /** The value; `pool` gives the buffer pool as of this read (one snapshot per table read). */
  read(obs: InnodbObservability, pool: () => PoolSnapshot): number | bigint;
}

const redo = (obs: InnodbObservability): { lsn: bigint; flushed: bigint; checkpointLsn: bigint; logIos: number; fsyncs: number; pendingFsyncs: number; pendingWrites: number } =>
  obs.redoStats() ?? { lsn: 0n, flushed: 0n, checkpointLsn: 0n, logIos: 0, fsyncs: 0, pendingFsyncs: 0, pendingWrites: 0 };

/** The metrics, in INNODB_METRICS order (by module, as 8.0 lists them). @req INNODB-MON-105 */
export const INNODB_METRICS: readonly MetricDef[] = [
  { name: 'lock_deadlocks', subsystem: 'lock', type: 'counter', enabled: true, comment: 'Number of deadlocks', read: (o) => o.locks.counters.deadlocks },
  { name: 'lock_timeouts', subsystem: 'lock', type: 'counter', enabled: true, comment: 'Number of lock timeouts', read: (o) => o.locks.counters.timeouts },
  { name: 'lock_rec_locks', subsystem: 'lock', type: 'counter', enabled: false, comment: 'Current number of record locks on tables', read: (o) => o.locks.locks().filter((l) => l.type === 'RECORD').length },
  { name: 'lock_table_locks', subsystem: 'lock', type: 'counter', enabled: false, comment: 'Current number of table locks on tables', read: (o) => o.locks.locks().filter((l) => l.type === 'TABLE').length },
  { name: 'lock_row_lock_current_waits', subsystem: 'lock', type: 'status_counter', enabled: true, comment: 'Number of row locks currently being waited for (innodb_row_lock_current_waits)', read: (o) => o.locks.counters.currentWaits },
  { name: 'lock_row_lock_time', subsystem: 'lock', type: 'status_counter', enabled: true, comment: 'Time spent in acquiring row locks, in milliseconds (innodb_row_lock_time)', read: (o) => o.locks.counters.totalWaitMs },
  { name: 'lock_row_lock_time_max', subsystem: 'lock', type: 'value', enabled: true, comment: 'The maximum time to acquire a row lock, in milliseconds (innodb_row_lock_time_max)', read: (o) => o.locks.counters.maxWaitMs },
  { name: 'lock_row_lock_waits', subsystem: 'lock', type: 'status_counter', enabled: true, comment: 'Number of times a row lock had to be waited for (innodb_row_lock_waits)', read: (o) => o.locks.counters.waits },
  {
    name: 'lock_row_lock_time_avg', subsystem: 'lock', type: 'value', enabled: true, comment: 'The average time to acquire a row lock, in milliseconds (innodb_row_lock_time_avg)',
    read: (o) => (o.locks.counters.waits > 0 ? Math.floor(o.locks.counters.totalWaitMs / o.locks.counters.waits) : 0),
  },
  { name: 'buffer_pool_size', subsystem: 'server', type: 'value', enabled: true, comment: 'Server buffer pool size (all buffer pools) in bytes', read: (_o, pool) => pool().bytes },
  { name: 'buffer_pool_reads', subsystem: 'buffer', type: 'status_counter', enabled: true, comment: 'Number of reads directly from disk (innodb_buffer_pool_reads)', read: (_o, pool) => pool().total.pagesRead },
  { name: 'buffer_pool_read_requests', subsystem: 'buffer', type: 'status_counter', enabled: true, comment: 'Number of logical read requests (innodb_buffer_pool_read_requests)', read: (_o, pool) => pool().total.gets },
  { name: 'buffer_pool_pages_total', subsystem: 'buffer', type: 'value', enabled: true, comment: 'Total buffer pool size in pages (innodb_buffer_pool_pages_total)', read: (_o, pool) => pool().total.poolSize },
  { name: 'buffer_pool_pages_data', subsystem: 'buffer', type: 'value', enabled: true, comment: 'Buffer pages containing data (innodb_buffer_pool_pages_data)', read: (_o, pool) => pool().total.databasePages },
  { name: 'buffer_pool_pages_dirty', subsystem: 'buffer', type: 'value', enabled: true, comment: 'Buffer pages currently dirty (innodb_buffer_pool_pages_dirty)', read: (_o, pool) => pool().total.modified },
  { name: 'buffer_pool_pages_free', subsystem: 'buffer', type: 'value', enabled: true, comment: 'Buffer pages currently free (innodb_buffer_pool_pages_free)', read: (_o, pool) => pool().total.free },
  { name: 'os_data_reads', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of reads initiated (innodb_data_reads)', read: (o) => o.fileIo.reads },
  { name: 'os_data_writes', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of writes initiated (innodb_data_writes)', read: (o) => o.fileIo.writes + redo(o).logIos },
  { name: 'os_data_fsyncs', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of fsync() calls (innodb_data_fsyncs)', read: (o) => o.fileIo.fsyncs + redo(o).fsyncs },
  { name: 'os_log_fsyncs', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of fsync log writes (innodb_os_log_fsyncs)', read: (o) => redo(o).fsyncs },
  { name: 'os_log_pending_fsyncs', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of pending fsync write (innodb_os_log_pending_fsyncs)', read: (o) => redo(o).pendingFsyncs },
  { name: 'os_log_pending_writes', subsystem: 'os', type: 'status_counter', enabled: true, comment: 'Number of pending log file writes (innodb_os_log_pending_writes)', read: (o) => redo(o).pendingWrites },
  { name: 'trx_active_transactions', subsystem: 'transaction', type: 'counter', enabled: false, comment: 'Number of active transactions', read: (o) => o.transactions().length },
  { name: 'trx_rseg_history_len', subsystem: 'transaction', type: 'value', enabled: true, comment: 'Length of the TRX_RSEG_HISTORY list', read: (o) => o.historyLength },
  { name: 'log_lsn_last_flush', subsystem: 'log', type: 'value', enabled: false, comment: 'LSN of last flush', read: (o) => redo(o).flushed },
  { name: 'log_lsn_last_checkpoint', subsystem: 'log', type: 'value', enabled: false, comment: 'LSN at last checkpoint', read: (o) => redo(o).checkpointLsn },
  { name: 'log_lsn_current', subsystem: 'log', type: 'value', enabled: false, comment: 'Current LSN value', read: (o) => redo(o).lsn },
  { name: 'log_lsn_checkpoint_age', subsystem: 'log', type: 'value', enabled: false, comment: 'Current LSN value minus LSN at last checkpoint', read: (o) => redo(o).lsn - redo(o).checkpointLsn },
  { name: 'log_writes', subsystem: 'log', type: 'status_counter', enabled: true, comment: 'Number of log writes', read: (o) => redo(o).logIos },
  { name: 'innodb_master_active_loops', subsystem: 'server', type: 'counter', enabled: false, comment: 'Number of times master thread performs its tasks when server is active', read: (o) => o.monitor.masterLoops.active },
  { name: 'innodb_master_idle_loops', subsystem: 'server', type: 'counter', enabled: false, comment: 'Number of times master thread performs its tasks when server is idle', read: (o) => o.monitor.masterLoops.idle },
  { name: 'innodb_page_size', subsystem: 'server', type: 'value', enabled: true, comment: 'InnoDB page size in bytes (innodb_page_size)', read: (o) => o.pageSize },
  { name: 'dml_reads', subsystem: 'dml', type: 'status_counter', enabled: false, comment: 'Number of rows read', read: (o) => o.counters.read },
  { name: 'dml_inserts', subsystem: 'dml', type: 'status_counter', enabled: true, comment: 'Number of rows inserted', read: (o) => o.counters.inserted },
  { name: 'dml_deletes', subsystem: 'dml', type: 'status_counter', enabled: true, comment: 'Number of rows deleted', read: (o) => o.counters.deleted },
  { name: 'dml_updates', subsystem: 'dml', type: 'status_counter', enabled: true, comment: 'Number of rows updated', read: (o) => o.counters.updated },
];

/** One row of INNODB_METRICS, in the table's column order (times as ms since the epoch). */
export interface MetricRow {
  readonly name: string;
  readonly subsystem: string;
  readonly count: bigint;
  readonly maxCount: bigint | null;
  readonly minCount: bigint | null;
  readonly avgCount: number | null;
  readonly timeEnabledMs: number | null;
  readonly timeElapsedSec: bigint | null;
  readonly status: 'enabled' | 'disabled';
  readonly type: MetricType;
  readonly comment: string;
}

/** Extremes of gauge readings, kept per observability object. */
const extremes = new WeakMap<InnodbObservability, Map<string, { min: bigint; max: bigint }>>();

/** The rows as of now. @req INNODB-MON-105 */
export function metricRows(obs: InnodbObservability, now = Date.now()): MetricRow[] {
  let seen = extremes.get(obs);
  if (!seen) extremes.set(obs, (seen = new Map()));
  const elapsedSec = Math.max(0, Math.floor((now - obs.startedAt) / 1000));
  let snap: PoolSnapshot | null = null;
  const pool = (): PoolSnapshot => (snap ??= obs.monitor.pool.snapshot());
  return INNODB_METRICS.map((m): MetricRow => {
    const base = { name: m.name, subsystem: m.subsystem, type: m.type, comment: m.comment };
    if (!m.enabled) {
      return { ...base, count: 0n, maxCount: null, minCount: null, avgCount: null, timeEnabledMs: null, timeElapsedSec: null, status: 'disabled' };
    }
    const v = BigInt(m.read(obs, pool));
    let maxCount: bigint = v;
    let minCount: bigint | null = null;
    if (m.type === 'value') {
      const e = seen!.get(m.name) ?? { min: v, max: v };
      if (v < e.min) e.min = v;
      if (v > e.max) e.max = v;
      seen!.set(m.name, e);
      maxCount = e.max;
      minCount = e.min;
    }
    const avgCount = m.type === 'value' || elapsedSec === 0 ? null : Number(v) / elapsedSec;
    return { ...base, count: v, maxCount, minCount, avgCount, timeEnabledMs: obs.startedAt, timeElapsedSec: BigInt(elapsedSec), status: 'enabled' };
  });
}

/**
 * InnoDB's status variables (SHOW GLOBAL STATUS LIKE 'Innodb%'), each backed by a counter the
 * engine keeps: row operations, row-lock waits, the buffer pool model, data-file and redo I/O,
 * the doublewrite file, redo LSNs. The names and value kinds are MySQL 8.0.41's; variables
 * whose subject does not exist in stage 1 report what a server without it reports (no
 * read-ahead, no waits for free pages, no system-table rows in InnoDB, no buffer pool dump or
 * load, no resize under way).
 *
 * Left out: Innodb_redo_log_uuid (the log's uuid is internal to it), Innodb_log_write_requests
 * (appends are not counted), the undo tablespace counts (undo lives in memory) and the debug
 * build's variables.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-status-variables.html
 * @req INNODB-MON-103 INNODB-LOCK-112
 */
import { REDO_LOG_FILES } from '../log/limits.js';
import type { PoolSnapshot } from './buffer-pool.js';
import type { InnodbObservability } from './observability.js';

export type StatusValue = bigint | string;

export interface InnodbStatusVariable {
  readonly name: string;
  read(): StatusValue;
}

const big = (n: number | bigint): bigint => (typeof n === 'bigint' ? n : BigInt(Math.max(0, Math.floor(n))));

/**
 * The variables, reading `obs` at each read. A pool snapshot is shared by the reads of one
 * turn of the event loop (SHOW STATUS reads them all at once). @req INNODB-MON-103
 */
export function innodbStatusVariables(obs: InnodbObservability): InnodbStatusVariable[] {
  let cached: PoolSnapshot | null = null;
  const pool = (): PoolSnapshot => {
    if (!cached) {
      cached = obs.monitor.pool.snapshot();
      queueMicrotask(() => (cached = null));
    }
    return cached;
  };
  const writtenAtStart = obs.redoStats()?.written ?? 0n;
  const redo = (): NonNullable<ReturnType<typeof obs.redoStats>> =>
    obs.redoStats() ?? { lsn: 0n, written: 0n, flushed: 0n, checkpointLsn: 0n, logIos: 0, fsyncs: 0, pendingWrites: 0, pendingFsyncs: 0 };
  const io = obs.fileIo;
  const rows = obs.counters;
  const lk = obs.locks.counters;
  const onOff = (b: boolean): string => (b ? 'ON' : 'OFF');
  const list: [string, () => StatusValue][] = [
    ['Innodb_buffer_pool_dump_status', () => 'Dumping of buffer pool not started'],
    ['Innodb_buffer_pool_load_status', () => 'Loading of buffer pool not started'],
    ['Innodb_buffer_pool_resize_status', () => ''],
    ['Innodb_buffer_pool_resize_status_code', () => 0n],
    ['Innodb_buffer_pool_resize_status_progress', () => 0n],
    ['Innodb_buffer_pool_pages_data', () => big(pool().total.databasePages)],
    ['Innodb_buffer_pool_bytes_data', () => big(pool().total.databasePages * obs.pageSize)],
    ['Innodb_buffer_pool_pages_dirty', () => big(pool().total.modified)],
    ['Innodb_buffer_pool_bytes_dirty', () => big(pool().total.modified * obs.pageSize)],
    ['Innodb_buffer_pool_pages_flushed', () => big(io.pagesWritten)],
    ['Innodb_buffer_pool_pages_free', () => big(pool().total.free)],
    ['Innodb_buffer_pool_pages_misc', () => big(pool().total.poolSize - pool().total.databasePages - pool().total.free)],
    ['Innodb_buffer_pool_pages_total', () => big(pool().total.poolSize)],
    ['Innodb_buffer_pool_read_ahead_rnd', () => 0n],
    ['Innodb_buffer_pool_read_ahead', () => 0n],
    ['Innodb_buffer_pool_read_ahead_evicted', () => 0n],
    ['Innodb_buffer_pool_read_requests', () => big(pool().total.gets)],
    ['Innodb_buffer_pool_reads', () => big(pool().total.pagesRead)],
    ['Innodb_buffer_pool_wait_free', () => 0n],
    ['Innodb_buffer_pool_write_requests', () => big(rows.inserted + rows.updated + rows.deleted)],
    ['Innodb_data_fsyncs', () => big(io.fsyncs + redo().fsyncs)],
    ['Innodb_data_pending_fsyncs', () => big(io.pendingFsyncs + redo().pendingFsyncs)],
    ['Innodb_data_pending_reads', () => big(io.pendingReads)],
    ['Innodb_data_pending_writes', () => big(io.pendingWrites + redo().pendingWrites)],
    ['Innodb_data_read', () => big(io.bytesRead)],
    ['Innodb_data_reads', () => big(io.reads)],
    ['Innodb_data_writes', () => big(io.writes + redo().logIos)],
    ['Innodb_data_written', () => big(io.bytesWritten) + (redo().written - writtenAtStart)],
    ['Innodb_dblwr_pages_written', () => big(io.doublewritePages)],
    ['Innodb_dblwr_writes', () => big(io.doublewriteBatches)],
    ['Innodb_redo_log_read_only', () => onOff(obs.redoStats() === null)],
    ['Innodb_redo_log_checkpoint_lsn', () => redo().checkpointLsn],
    ['Innodb_redo_log_current_lsn', () => redo().lsn],
    ['Innodb_redo_log_flushed_to_disk_lsn', () => redo().flushed],
    ['Innodb_redo_log_logical_size', () => redo().lsn - redo().checkpointLsn],
    ['Innodb_redo_log_physical_size', () => big(obs.redoFiles().length * Math.floor(obs.redoCapacity() / REDO_LOG_FILES))],
    ['Innodb_redo_log_capacity_resized', () => big(obs.redoCapacity())],
    ['Innodb_redo_log_resize_status', () => 'OK'],
    ['Innodb_log_waits', () => 0n],
    ['Innodb_log_writes', () => big(redo().logIos)],
    ['Innodb_os_log_fsyncs', () => big(redo().fsyncs)],
    ['Innodb_os_log_pending_fsyncs', () => big(redo().pendingFsyncs)],
    ['Innodb_os_log_pending_writes', () => big(redo().pendingWrites)],
    ['Innodb_os_log_written', () => redo().written - writtenAtStart],
    ['Innodb_page_size', () => big(obs.pageSize)],
    ['Innodb_pages_created', () => big(pool().total.created)],
    ['Innodb_pages_read', () => big(pool().total.pagesRead)],
    ['Innodb_pages_written', () => big(io.pagesWritten)],
    ['Innodb_redo_log_enabled', () => 'ON'],
    ['Innodb_row_lock_current_waits', () => big(lk.currentWaits)],
    ['Innodb_row_lock_time', () => big(lk.totalWaitMs)],
    ['Innodb_row_lock_time_avg', () => big(lk.waits > 0 ? lk.totalWaitMs / lk.waits : 0)],
    ['Innodb_row_lock_time_max', () => big(lk.maxWaitMs)],
    ['Innodb_row_lock_waits', () => big(lk.waits)],
    ['Innodb_rows_deleted', () => big(rows.deleted)],
    ['Innodb_rows_inserted', () => big(rows.inserted)],
    ['Innodb_rows_read', () => big(rows.read)],
    ['Innodb_rows_updated', () => big(rows.updated)],
    ['Innodb_system_rows_deleted', () => big(obs.systemCounters.deleted)],
    ['Innodb_system_rows_inserted', () => big(obs.systemCounters.inserted)],
    ['Innodb_system_rows_read', () => big(obs.systemCounters.read)],
    ['Innodb_system_rows_updated', () => big(obs.systemCounters.updated)],
    ['Innodb_sampled_pages_read', () => 0n],
    ['Innodb_sampled_pages_skipped', () => 0n],
    ['Innodb_num_open_files', () => big([...obs.spaces.all()].length + 1 + obs.redoFiles().length)],
    ['Innodb_truncated_status_writes', () => 0n],
  ];
  return list.map(([name, read]) => ({ name, read }));
}

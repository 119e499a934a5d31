/**
 * Tuning constants of the engine's background work (purge, checkpoints, log flushing). These
 * are not manual limits; they say how often and how much background work runs per turn of the
 * event loop, so that foreground statements keep their latency.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-performance-background-threads.html
 * @req INNODB-CKPT-101 INNODB-MVCC-104
 */

/** Delay before purge looks at its queue again. */
export const PURGE_INTERVAL_MS = 50;
/** Records purged per turn of the event loop. */
export const PURGE_BATCH_RECORDS = 2000;

/** How often the page cleaner considers a checkpoint. */
export const CHECKPOINT_TICK_MS = 1000;
/** A checkpoint runs when the redo written since the last one passes this fraction of
 *  innodb_redo_log_capacity... */
export const CHECKPOINT_AGE_FRACTION = 0.25;
/** ...or when a table has been dirty this long. */
export const CHECKPOINT_MAX_DIRTY_MS = 30_000;
/** Rows encoded per turn of the event loop while a checkpoint builds its pages. */
export const CHECKPOINT_ENCODE_BATCH = 2000;

/** innodb_flush_log_at_trx_commit 0 and 2: the log is synced about once a second. */
export const LOG_BACKGROUND_FLUSH_MS = 1000;

/** A table keeps at most this many unchanged records in memory per buffer pool page (so the
 *  pool's size bounds them too); more are evicted after a checkpoint or on the checkpoint tick
 *  (their pages stay in the pool while its LRU list keeps them). INNODB-BUF-104 */
export const EVICT_RECORDS_PER_POOL_PAGE = 4;
/** Changes made while a checkpoint runs may reach this many times the records budget above
 *  before writers wait for it. INNODB-BUF-104 */
export const EVICT_THROTTLE_FACTOR = 4;

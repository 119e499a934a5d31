/**
 * InnoDB's system variables: the `innodb_*` names clients, tools and the InnoDB chapter use,
 * with MySQL 8.0.40's type, scope, mutability, default, range, block size and enum values,
 * plus the checks MySQL's own InnoDB runs when one of them is SET, and the startup rules that
 * derive some values from others.
 *
 * Where the values come from. Each definition was checked against the variable declarations
 * of InnoDB's handler in the 8.0 source tree (8.0.41, whose variable set matches 8.0.40) and
 * against the reference manual's variable pages. Defaults are the values a server started with
 * no InnoDB options *shows*, which for a few variables differs from the compiled-in default
 * because InnoDB derives them at startup: innodb_buffer_pool_instances (1 below a 1 GiB pool),
 * innodb_page_cleaners (capped by the instances, so 1), innodb_io_capacity_max (2000),
 * innodb_open_files (table_open_cache, 4000), innodb_undo_directory and
 * innodb_log_group_home_dir ('./'). {@link resolveInnodbStartupValues} applies those rules when
 * options change the inputs; the engine's startup calls it once options are applied.
 *
 * What is deliberately absent: the memcached plugin's variables (innodb_api_*,
 * daemon_memcached_*) arrive with that plugin; innodb_support_xa was removed in 8.0.
 *
 * Decisions:
 * - An innodb_page_size that is not a power of two (12k, 20000) is refused when the option is
 *   applied, so the server stops before serving (MySQL accepts the option and stops during
 *   InnoDB's initialisation, "Invalid page size"); out-of-range sizes are clamped into 4k..64k
 *   with the usual option warning, as mysqld does.
 * - Restricted-session checks (SET innodb_strict_mode needs SESSION_VARIABLES_ADMIN in
 *   8.0.41) and NOPERSIST flags are not modelled: the registry's SET context carries neither
 *   privileges nor a persist marker.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool-resize.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html
 * @req INNODB-LIMIT-022 INNODB-REC-030 INNODB-FORCE-011 INNODB-BAK-004 INNODB-ERR-004
 * @req INNODB-TRBL-002 INNODB-DD-002 INNODB-MON-005 INNODB-MON-010 INNODB-MON-011
 * @req INNODB-VAR-101 INNODB-VAR-102 INNODB-VAR-103 INNODB-VAR-104 INNODB-VAR-105 INNODB-VAR-106
 */
import { diagnostic, ERRORS, sqlError, type Diagnostic } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import { INT_MAX, SERVER_VERSION, UINT_MAX, ULONGLONG_MAX } from '../server/sysvars/limits.js';
import type { SysVarDef, SysVarScope, SysVarType, SysVarValidator } from '../server/sysvars/types.js';

const KIB = 1024n;
const MIB = 1024n * KIB;
const GIB = 1024n * MIB;
/** LLONG_MAX: ceiling of the signed 64-bit variables (innodb_buffer_pool_size). INNODB-VAR-103 */
const LLONG_MAX = 9223372036854775807n;

/** Smallest, default and largest InnoDB page size; every power of two between is valid. INNODB-LIMIT-022 */
export const INNODB_PAGE_SIZE_MIN = 4n * KIB;
export const INNODB_PAGE_SIZE_DEFAULT = 16n * KIB;
export const INNODB_PAGE_SIZE_MAX = 64n * KIB;

/** innodb_buffer_pool_size: default 128 MiB, floor 5 MiB, options and SET round to 1 MiB. INNODB-VAR-103 */
export const BUFFER_POOL_SIZE_DEFAULT = 128n * MIB;
export const BUFFER_POOL_SIZE_MIN = 5n * MIB;
const BUFFER_POOL_SIZE_BLOCK = MIB;
/** innodb_buffer_pool_chunk_size: default 128 MiB, multiples of 1 MiB, at most LLONG_MAX / 64. INNODB-VAR-103 */
export const BUFFER_POOL_CHUNK_DEFAULT = 128n * MIB;
const BUFFER_POOL_CHUNK_MIN = MIB;
const BUFFER_POOL_CHUNK_BLOCK = MIB;
/** Most buffer pool instances. INNODB-VAR-103 */
export const BUFFER_POOL_INSTANCES_MAX = 64n;
const BUFFER_POOL_CHUNK_MAX = LLONG_MAX / BUFFER_POOL_INSTANCES_MAX;
/** Below this pool size InnoDB uses one instance; at or above it, 8 unless told otherwise. INNODB-VAR-103 */
export const BUFFER_POOL_MULTI_INSTANCE_THRESHOLD = GIB;
const BUFFER_POOL_INSTANCES_LARGE_DEFAULT = 8n;
/** innodb_lock_wait_timeout ceiling (1 GiB seconds), default 50. INNODB-VAR-102 */
const LOCK_WAIT_TIMEOUT_MAX = GIB;
/** innodb_force_recovery levels: 0 (normal) to 6. INNODB-FORCE-011 */
export const FORCE_RECOVERY_MAX = 6n;
/** The level that implies innodb_read_only (SRV_FORCE_NO_LOG_REDO). INNODB-FORCE-011 */
const FORCE_RECOVERY_NO_LOG_REDO = 6n;
/** innodb_redo_log_capacity: default 100 MiB, 8 MiB..512 GiB in whole MiB. INNODB-VAR-104 */
const REDO_LOG_CAPACITY_DEFAULT = 100n * MIB;
const REDO_LOG_CAPACITY_MIN = 8n * MIB;
const REDO_LOG_CAPACITY_MAX = 512n * GIB;
/** innodb_log_buffer_size: default 16 MiB, 256 KiB..4 GiB-1, multiples of 1 KiB. INNODB-VAR-104 */
const LOG_BUFFER_SIZE_DEFAULT = 16n * MIB;
const LOG_BUFFER_SIZE_MIN = 256n * KIB;
/** InnoDB always starts with this many undo tablespaces; innodb_undo_tablespaces is ignored. INNODB-VAR-105 */
export const UNDO_TABLESPACES_IMPLICIT = 2n;
/** TRX_SYS_N_RSEGS - 1. INNODB-VAR-105 */
const UNDO_TABLESPACES_MAX = 127n;
/** innodb_io_capacity floor and default; io_capacity_max defaults to max(2 x io_capacity, 2000). INNODB-VAR-104 */
const IO_CAPACITY_MIN = 100n;
const IO_CAPACITY_DEFAULT = 200n;
const IO_CAPACITY_MAX_FLOOR = 2000n;
/** Compiled-in page-cleaner count, capped by the buffer pool instances at startup. INNODB-VAR-103 */
const PAGE_CLEANERS_COMPILED_DEFAULT = 4n;
/** innodb_open_files below this means "work it out"; the fallback is 300 (or table_open_cache). INNODB-VAR-104 */
const OPEN_FILES_AUTOSIZE_BELOW = 10n;
const OPEN_FILES_FALLBACK = 300n;
/** The compiled-in open-files value (autosize); shown after startup as table_open_cache's 4000. */
const OPEN_FILES_COMPILED_DEFAULT = 0n;
/** The table_open_cache default that innodb_open_files takes on a default server. INNODB-VAR-104 */
const OPEN_FILES_SHOWN_DEFAULT = 4000n;

/** The innodb_doublewrite values in MySQL's order (SET by number counts from OFF = 0). INNODB-VAR-106 */
export const DOUBLEWRITE_MODES = ['OFF', 'ON', 'DETECT_ONLY', 'DETECT_AND_RECOVER', 'FALSE', 'TRUE'] as const;
/** Modes in which the doublewrite buffer is in use; switching between in-use and not needs a restart. */
const DOUBLEWRITE_ENABLED: ReadonlySet<string> = new Set(['ON', 'TRUE', 'DETECT_AND_RECOVER', 'DETECT_ONLY']);

/** Error-log codes of the startup messages {@link resolveInnodbStartupValues} returns. */
export const INNODB_STARTUP_LOG_CODE = {
  /** ER_IB_MSG_534: the instance count lowered to 1 for a small pool. */
  INSTANCES_ADJUSTED: 'MY-012359',
  /** ER_IB_MSG_538: a page size other than 16k. */
  PAGE_SIZE_CHANGED: 'MY-012363',
  /** ER_IB_MSG_539: innodb_open_files above open_files_limit. */
  OPEN_FILES_OVER_LIMIT: 'MY-012364',
  /** ER_IB_MSG_540: read-only mode. */
  READ_ONLY: 'MY-012365',
  /** ER_INNODB_IO_CAPACITY_EXCEEDS_MAX. */
  IO_CAPACITY_OVER_MAX: 'MY-010874',
  /** ER_IB_MSG_DEPRECATED_INNODB_UNDO_TABLESPACES. */
  UNDO_TABLESPACES_IGNORED: 'MY-013267',
} as const;

/** Reads a variable's current global value (the registry's, once it exists). */
export type GlobalReader = (name: string) => Value;

type Extra = Partial<Omit<SysVarDef, 'name' | 'scope' | 'dynamic' | 'type' | 'default'>>;

function def(name: string, scope: SysVarScope, dynamic: boolean, type: SysVarType, dflt: Value, extra: Extra = {}): SysVarDef {
  return { name, scope, dynamic, type, default: dflt, ...extra };
}
const bool = (name: string, scope: SysVarScope, dynamic: boolean, dflt: boolean): SysVarDef =>
  def(name, scope, dynamic, { kind: 'boolean' }, dflt ? 1n : 0n);
/** An unsigned integer (MySQL's ULONG / UINT / ULONGLONG variables). */
const uint = (name: string, scope: SysVarScope, dynamic: boolean, dflt: bigint, min: bigint, max: bigint, blockSize?: bigint, extra?: Extra): SysVarDef =>
  def(name, scope, dynamic, { kind: 'integer', min, max, unsigned: true, ...(blockSize ? { blockSize } : {}) }, dflt, extra);
/** A signed integer (MySQL's LONG / LONGLONG variables): `@@name` is a signed BIGINT. */
const sint = (name: string, dynamic: boolean, dflt: bigint, min: bigint, max: bigint, blockSize?: bigint, extra?: Extra): SysVarDef =>
  def(name, 'global', dynamic, { kind: 'integer', min, max, unsigned: false, ...(blockSize ? { blockSize } : {}) }, dflt, extra);
const enm = (name: string, dynamic: boolean, values: readonly string[], dflt: string, extra?: Extra): SysVarDef =>
  def(name, 'global', dynamic, { kind: 'enum', values }, dflt, extra);
/** A read-only path or file list (startup only). */
const path = (name: string, dflt: string | null, kind: 'string' | 'filename' = 'filename'): SysVarDef =>
  def(name, 'global', false, { kind }, dflt, { nullable: dflt === null });

/** The InnoDB version: the server's version number without its suffix ('8.0.40'). INNODB-VAR-101 */
export function innodbVersionString(serverVersion: string = SERVER_VERSION): string {
  return /^\d+\.\d+\.\d+/.exec(serverVersion)?.[0] ?? serverVersion;
}

/** Whether `n` bytes is a page size InnoDB can use: a power of two from 4k to 64k. INNODB-LIMIT-022 */
export function isValidInnodbPageSize(n: bigint): boolean {
  return n >= INNODB_PAGE_SIZE_MIN && n <= INNODB_PAGE_SIZE_MAX && (n & (n - 1n)) === 0n;
}

/**
 * The buffer pool size InnoDB uses for a requested size: at least 5 MiB, rounded *up* to a
 * whole number of chunks in every instance (chunk size x instances).
 * @req INNODB-VAR-103
 */
export function alignBufferPoolSize(size: bigint, chunkSize: bigint, instances: bigint): bigint {
  const unit = chunkSize * (instances > 0n ? instances : 1n);
  const s = size < BUFFER_POOL_SIZE_MIN ? BUFFER_POOL_SIZE_MIN : size;
  return s % unit === 0n ? s : (s / unit + 1n) * unit;
}

/**
 * The chunk size InnoDB uses: no larger than the pool shared out over the instances, a whole
 * number of MiB, within its range.
 * @req INNODB-VAR-103
 */
export function adjustBufferPoolChunkSize(chunkSize: bigint, poolSize: bigint, instances: bigint): bigint {
  const n = instances > 0n ? instances : 1n;
  let c = chunkSize;
  if (c * n > poolSize) c = (poolSize + n - 1n) / n;
  if (c % BUFFER_POOL_CHUNK_BLOCK !== 0n) c += BUFFER_POOL_CHUNK_BLOCK - (c % BUFFER_POOL_CHUNK_BLOCK);
  const alignedMax = BUFFER_POOL_CHUNK_MAX - (BUFFER_POOL_CHUNK_MAX % BUFFER_POOL_CHUNK_BLOCK);
  if (c > alignedMax) c = alignedMax;
  if (c < BUFFER_POOL_CHUNK_MIN) c = BUFFER_POOL_CHUNK_MIN;
  return c;
}

/** A warning with MySQL's 1210 number but InnoDB's own text (push_warning_printf does this). */
function wrongArguments(text: string): Diagnostic {
  return { level: 'Warning', code: ERRORS.ER_WRONG_ARGUMENTS.code, message: text };
}

function asBigint(v: Value, fallback: bigint): bigint {
  return typeof v === 'bigint' ? v : fallback;
}

/**
 * innodb_page_size: only powers of two (the range is the integer type's).
 * @req INNODB-LIMIT-022
 */
const pageSizeCheck: SysVarValidator = (v) => {
  if (typeof v === 'bigint' && !isValidInnodbPageSize(v)) throw sqlError('ER_WRONG_VALUE_FOR_VAR', 'innodb_page_size', v.toString());
  return v;
};

/**
 * SET GLOBAL innodb_buffer_pool_size: the resize InnoDB would start, as far as the value goes.
 * Below 1 GiB with several instances, or a size that rounds to the current one, only warns and
 * keeps the current size; otherwise the size is rounded up to whole chunks per instance (1292
 * when that changed it). Startup values are aligned by {@link resolveInnodbStartupValues}.
 * @req INNODB-VAR-103
 */
function bufferPoolSizeCheck(read: GlobalReader): SysVarValidator {
  return (v, ctx, warnings) => {
    if (ctx.startup || typeof v !== 'bigint') return v;
    const current = asBigint(read('innodb_buffer_pool_size'), BUFFER_POOL_SIZE_DEFAULT);
    const instances = asBigint(read('innodb_buffer_pool_instances'), 1n);
    const chunk = asBigint(read('innodb_buffer_pool_chunk_size'), BUFFER_POOL_CHUNK_DEFAULT);
    if (instances > 1n && v < BUFFER_POOL_MULTI_INSTANCE_THRESHOLD) {
      warnings.push(wrongArguments('Cannot update innodb_buffer_pool_size to less than 1GB if innodb_buffer_pool_instances > 1.'));
      return current;
    }
    let aligned = alignBufferPoolSize(v, chunk, instances);
    // Rounding up to whole chunks must not pass the variable's ceiling: then whole chunks below it.
    if (aligned > LLONG_MAX) aligned = (LLONG_MAX / (chunk * instances)) * (chunk * instances);
    if (v === current) return v;
    if (aligned === current) {
      warnings.push(wrongArguments(`InnoDB: Cannot resize buffer pool to lesser than chunk size of ${chunk} bytes.`));
      return current;
    }
    if (aligned !== v) warnings.push(diagnostic('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'innodb_buffer_pool_size', v.toString()));
    return aligned;
  };
}

/**
 * SET GLOBAL innodb_io_capacity above innodb_io_capacity_max is capped at the maximum, and
 * innodb_io_capacity_max below innodb_io_capacity is raised to it, each with two warnings.
 * @req INNODB-VAR-104
 */
function ioCapacityCheck(read: GlobalReader): SysVarValidator {
  return (v, ctx, warnings) => {
    if (ctx.startup || typeof v !== 'bigint') return v;
    const max = asBigint(read('innodb_io_capacity_max'), IO_CAPACITY_MAX_FLOOR);
    if (v <= max) return v;
    warnings.push(wrongArguments('innodb_io_capacity cannot be set higher than innodb_io_capacity_max.'));
    warnings.push(wrongArguments(`Setting innodb_io_capacity to ${max}`));
    return max;
  };
}

function ioCapacityMaxCheck(read: GlobalReader): SysVarValidator {
  return (v, ctx, warnings) => {
    if (ctx.startup || typeof v !== 'bigint') return v;
    const capacity = asBigint(read('innodb_io_capacity'), IO_CAPACITY_DEFAULT);
    if (v >= capacity) return v;
    warnings.push(wrongArguments('innodb_io_capacity_max cannot be set lower than innodb_io_capacity.'));
    warnings.push(wrongArguments(`Setting innodb_io_capacity_max to ${capacity}`));
    return capacity;
  };
}

/**
 * SET GLOBAL innodb_doublewrite may move between the in-use modes (ON, TRUE,
 * DETECT_AND_RECOVER, DETECT_ONLY) or between OFF and FALSE, but turning the buffer on or off
 * needs a restart: 1210.
 * @req INNODB-VAR-106
 */
function doublewriteCheck(read: GlobalReader): SysVarValidator {
  return (v, ctx) => {
    if (ctx.startup || typeof v !== 'string') return v;
    const before = DOUBLEWRITE_ENABLED.has(String(read('innodb_doublewrite')));
    const after = DOUBLEWRITE_ENABLED.has(v);
    if (before !== after) {
      const state = before ? 'enabled' : 'disabled';
      throw sqlError('ER_WRONG_ARGUMENTS', `InnoDB: cannot change doublewrite mode to ${v} if doublewrite is ${state}. Please shutdown and change value to ${v}`);
    }
    return v;
  };
}

/**
 * innodb_undo_tablespaces is deprecated and ignored: whatever is set, InnoDB keeps (and shows)
 * its two implicit undo tablespaces. The startup warning comes from the startup rules.
 * @req INNODB-VAR-105
 */
const undoTablespacesCheck: SysVarValidator = () => UNDO_TABLESPACES_IMPLICIT;

/**
 * The InnoDB system variables, sorted by name. `read` gives the current global value of another
 * variable to the checks that depend on one (buffer pool size, I/O capacity, doublewrite); the
 * server passes its registry's. Without it those checks assume the defaults.
 * @req INNODB-VAR-101 INNODB-VAR-102 INNODB-VAR-103 INNODB-VAR-104 INNODB-VAR-105 INNODB-VAR-106
 */
export function innodbVariableDefinitions(read: GlobalReader = () => null): SysVarDef[] {
  return [
    bool('innodb_adaptive_hash_index', 'global', true, true),
    // One hash-table partition per part; the monitor prints a line for each. INNODB-MON-011
    uint('innodb_adaptive_hash_index_parts', 'global', false, 8n, 1n, 512n),
    sint('innodb_autoinc_lock_mode', false, 2n, 0n, 2n),
    uint('innodb_buffer_pool_chunk_size', 'global', false, BUFFER_POOL_CHUNK_DEFAULT, BUFFER_POOL_CHUNK_MIN, BUFFER_POOL_CHUNK_MAX, BUFFER_POOL_CHUNK_BLOCK),
    // 0 asks InnoDB to choose (8 from 1 GiB up); a default server shows 1. INNODB-MON-014
    uint('innodb_buffer_pool_instances', 'global', false, 1n, 0n, BUFFER_POOL_INSTANCES_MAX),
    sint('innodb_buffer_pool_size', true, BUFFER_POOL_SIZE_DEFAULT, BUFFER_POOL_SIZE_MIN, LLONG_MAX, BUFFER_POOL_SIZE_BLOCK, { validate: bufferPoolSizeCheck(read) }),
    enm('innodb_change_buffering', true, ['none', 'inserts', 'deletes', 'changes', 'purges', 'all'], 'all'),
    enm('innodb_checksum_algorithm', true, ['crc32', 'strict_crc32', 'innodb', 'strict_innodb', 'none', 'strict_none'], 'crc32'),
    path('innodb_data_file_path', 'ibdata1:12M:autoextend', 'string'),
    // Stays NULL when not given: InnoDB then uses the datadir without changing the variable.
    path('innodb_data_home_dir', null),
    bool('innodb_deadlock_detect', 'global', true, true),
    enm('innodb_default_row_format', true, ['redundant', 'compact', 'dynamic'], 'dynamic'),
    // Extra directories scanned for tablespaces at startup; NULL unless given. INNODB-REC-030
    path('innodb_directories', null, 'string'),
    enm('innodb_doublewrite', true, DOUBLEWRITE_MODES, 'ON', { validate: doublewriteCheck(read) }),
    // 0 = slow shutdown (purge and change-buffer merge first), 2 = leave recovery work. INNODB-BAK-004
    uint('innodb_fast_shutdown', 'global', true, 1n, 0n, 2n),
    bool('innodb_file_per_table', 'global', true, true),
    uint('innodb_flush_log_at_timeout', 'global', true, 1n, 0n, 2700n),
    uint('innodb_flush_log_at_trx_commit', 'global', true, 1n, 0n, 2n),
    enm('innodb_flush_method', false, ['fsync', 'O_DSYNC', 'littlesync', 'nosync', 'O_DIRECT', 'O_DIRECT_NO_FSYNC'], 'fsync'),
    // Startup only; each level includes the lower ones. INNODB-FORCE-011
    uint('innodb_force_recovery', 'global', false, 0n, 0n, FORCE_RECOVERY_MAX),
    uint('innodb_io_capacity', 'global', true, IO_CAPACITY_DEFAULT, IO_CAPACITY_MIN, UINT_MAX, undefined, { validate: ioCapacityCheck(read) }),
    uint('innodb_io_capacity_max', 'global', true, IO_CAPACITY_MAX_FLOOR, IO_CAPACITY_MIN, UINT_MAX, undefined, { validate: ioCapacityMaxCheck(read) }),
    uint('innodb_lock_wait_timeout', 'both', true, 50n, 1n, LOCK_WAIT_TIMEOUT_MAX),
    uint('innodb_log_buffer_size', 'global', true, LOG_BUFFER_SIZE_DEFAULT, LOG_BUFFER_SIZE_MIN, UINT_MAX, KIB),
    // Deprecated by innodb_redo_log_capacity (8.0.30) but still reported.
    uint('innodb_log_file_size', 'global', false, 48n * MIB, 4n * MIB, ULONGLONG_MAX, MIB),
    uint('innodb_log_files_in_group', 'global', false, 2n, 2n, 100n),
    path('innodb_log_group_home_dir', './'),
    def('innodb_max_dirty_pages_pct', 'global', true, { kind: 'double', min: 0, max: 99.999 }, 90),
    // The LRU list's old sublist: its share and how long a page stays there before an access
    // makes it young (buf/buf-pool.ts). INNODB-BUF-102
    uint('innodb_old_blocks_pct', 'global', true, 37n, 5n, 95n),
    uint('innodb_old_blocks_time', 'global', true, 1000n, 0n, UINT_MAX),
    uint('innodb_max_undo_log_size', 'global', true, GIB, 10n * MIB, ULONGLONG_MAX),
    uint('innodb_online_alter_log_max_size', 'global', true, 128n * MIB, 64n * KIB, ULONGLONG_MAX),
    sint('innodb_open_files', false, OPEN_FILES_SHOWN_DEFAULT, 0n, INT_MAX),
    uint('innodb_page_cleaners', 'global', false, 1n, 1n, 64n),
    // Fixed when the instance is created. INNODB-LIMIT-022
    uint('innodb_page_size', 'global', false, INNODB_PAGE_SIZE_DEFAULT, INNODB_PAGE_SIZE_MIN, INNODB_PAGE_SIZE_MAX, undefined, { validate: pageSizeCheck }),
    // Every deadlock to the error log, not only the latest in the monitor. INNODB-TRBL-002
    bool('innodb_print_all_deadlocks', 'global', true, false),
    uint('innodb_purge_threads', 'global', false, 4n, 1n, 32n),
    // I/O thread counts shown by the monitor's FILE I/O section. INNODB-MON-010
    uint('innodb_read_io_threads', 'global', false, 4n, 1n, 64n),
    bool('innodb_read_only', 'global', false, false),
    uint('innodb_redo_log_capacity', 'global', true, REDO_LOG_CAPACITY_DEFAULT, REDO_LOG_CAPACITY_MIN, REDO_LOG_CAPACITY_MAX, MIB),
    // A lock-wait timeout rolls back the whole transaction instead of the statement. INNODB-ERR-004
    bool('innodb_rollback_on_timeout', 'global', false, false),
    uint('innodb_sort_buffer_size', 'global', false, MIB, 64n * KIB, 64n * MIB),
    bool('innodb_stats_auto_recalc', 'global', true, true),
    bool('innodb_stats_persistent', 'global', true, true),
    uint('innodb_stats_persistent_sample_pages', 'global', true, 20n, 1n, ULONGLONG_MAX),
    bool('innodb_status_output', 'global', true, false),
    bool('innodb_status_output_locks', 'global', true, false),
    bool('innodb_strict_mode', 'both', true, true),
    bool('innodb_table_locks', 'both', true, true),
    path('innodb_temp_data_file_path', 'ibtmp1:12M:autoextend', 'string'),
    // 0 = no limit; lowering it may ease semaphore contention. INNODB-MON-005
    uint('innodb_thread_concurrency', 'global', true, 0n, 0n, 1000n),
    path('innodb_undo_directory', './'),
    bool('innodb_undo_log_truncate', 'global', true, true),
    uint('innodb_undo_tablespaces', 'global', true, UNDO_TABLESPACES_IMPLICIT, UNDO_TABLESPACES_IMPLICIT, UNDO_TABLESPACES_MAX, undefined, { validate: undoTablespacesCheck }),
    def('innodb_version', 'global', false, { kind: 'string' }, innodbVersionString(), { commandLine: false }),
    uint('innodb_write_io_threads', 'global', false, 4n, 1n, 64n),
  ];
}

/** What the startup rules need: the global values, a way to set computed ones, and which
 *  variables an option (command line, option file, mysqld-auto.cnf) gave. */
export interface InnodbStartupAccess {
  get(name: string): Value;
  /** Store a computed value without checks (the registry's initGlobal). */
  set(name: string, value: Value): void;
  /**
   * Whether an option gave the variable. Without it, a value that differs from the shown
   * default counts as given (so an explicit innodb_buffer_pool_instances=1 with a pool of
   * 1 GiB or more is taken as unset and becomes 8).
   */
  given?(name: string): boolean;
}

/** A line for the error log ([InnoDB] subsystem). */
export interface InnodbStartupMessage {
  level: 'Note' | 'Warning';
  code: string;
  message: string;
}

/**
 * The values InnoDB derives at startup from the options it was given, as MySQL 8.0's InnoDB
 * initialisation does: the buffer pool instances (1 below 1 GiB, else 8 unless given), chunk
 * size and pool size alignment, page cleaners capped by the instances, io_capacity_max from
 * io_capacity, innodb_open_files from table_open_cache, the ignored innodb_undo_tablespaces,
 * read-only mode at force-recovery level 6 (which turns the doublewrite buffer off). Returns
 * the error-log lines InnoDB writes on the way.
 * @req INNODB-VAR-103 INNODB-VAR-104 INNODB-VAR-105 INNODB-FORCE-011 INNODB-LIMIT-022
 */
export function resolveInnodbStartupValues(vars: InnodbStartupAccess): InnodbStartupMessage[] {
  const shown = new Map(innodbVariableDefinitions().map((d) => [d.name, d.default]));
  const given = (name: string): boolean => (vars.given ? vars.given(name) : vars.get(name) !== shown.get(name));
  const num = (name: string, fallback: bigint): bigint => asBigint(vars.get(name), fallback);
  const out: InnodbStartupMessage[] = [];

  const pageSize = num('innodb_page_size', INNODB_PAGE_SIZE_DEFAULT);
  if (pageSize !== INNODB_PAGE_SIZE_DEFAULT) {
    out.push({ level: 'Warning', code: INNODB_STARTUP_LOG_CODE.PAGE_SIZE_CHANGED, message: `innodb-page-size has been changed from the default value ${INNODB_PAGE_SIZE_DEFAULT} to ${pageSize}.` });
  }

  if (given('innodb_undo_tablespaces')) {
    out.push({
      level: 'Warning',
      code: INNODB_STARTUP_LOG_CODE.UNDO_TABLESPACES_IGNORED,
      message: 'The setting INNODB_UNDO_TABLESPACES is deprecated and is no longer used.  InnoDB always creates 2 undo tablespaces to start with. If you need more, please use CREATE UNDO TABLESPACE.',
    });
  }
  vars.set('innodb_undo_tablespaces', UNDO_TABLESPACES_IMPLICIT);

  // Buffer pool geometry: instances first, then the chunk size, then the pool size.
  let size = num('innodb_buffer_pool_size', BUFFER_POOL_SIZE_DEFAULT);
  let instances = given('innodb_buffer_pool_instances') ? num('innodb_buffer_pool_instances', 0n) : 0n;
  if (size >= BUFFER_POOL_MULTI_INSTANCE_THRESHOLD) {
    if (instances === 0n) instances = BUFFER_POOL_INSTANCES_LARGE_DEFAULT;
  } else {
    if (instances !== 0n && instances !== 1n) {
      out.push({
        level: 'Note',
        code: INNODB_STARTUP_LOG_CODE.INSTANCES_ADJUSTED,
        message: `Adjusting innodb_buffer_pool_instances from ${instances} to 1 since innodb_buffer_pool_size is less than ${BUFFER_POOL_MULTI_INSTANCE_THRESHOLD / MIB} MiB`,
      });
    }
    instances = 1n;
  }
  const chunk = adjustBufferPoolChunkSize(num('innodb_buffer_pool_chunk_size', BUFFER_POOL_CHUNK_DEFAULT), size, instances);
  size = alignBufferPoolSize(size, chunk, instances);
  vars.set('innodb_buffer_pool_instances', instances);
  vars.set('innodb_buffer_pool_chunk_size', chunk);
  vars.set('innodb_buffer_pool_size', size);

  // One page cleaner per instance at most.
  const cleaners = given('innodb_page_cleaners') ? num('innodb_page_cleaners', PAGE_CLEANERS_COMPILED_DEFAULT) : PAGE_CLEANERS_COMPILED_DEFAULT;
  vars.set('innodb_page_cleaners', cleaners > instances ? instances : cleaners);

  // I/O capacity: the maximum follows the capacity unless given; a given maximum wins.
  let capacity = num('innodb_io_capacity', IO_CAPACITY_DEFAULT);
  let capacityMax: bigint;
  if (!given('innodb_io_capacity_max')) {
    const twice = 2n * capacity;
    capacityMax = capacity >= UINT_MAX / 2n ? UINT_MAX : twice > IO_CAPACITY_MAX_FLOOR ? twice : IO_CAPACITY_MAX_FLOOR;
  } else {
    capacityMax = num('innodb_io_capacity_max', IO_CAPACITY_MAX_FLOOR);
    if (capacityMax < capacity) {
      out.push({
        level: 'Warning',
        code: INNODB_STARTUP_LOG_CODE.IO_CAPACITY_OVER_MAX,
        message: `InnoDB: innodb_io_capacity cannot be set higher than innodb_io_capacity_max. Setting innodb_io_capacity to ${capacityMax}`,
      });
      capacity = capacityMax;
    }
  }
  vars.set('innodb_io_capacity', capacity);
  vars.set('innodb_io_capacity_max', capacityMax);

  // Open files: autosized from table_open_cache when not given (or given below 10).
  const tableCache = num('table_open_cache', OPEN_FILES_SHOWN_DEFAULT);
  let openFiles = given('innodb_open_files') ? num('innodb_open_files', OPEN_FILES_COMPILED_DEFAULT) : OPEN_FILES_COMPILED_DEFAULT;
  if (openFiles < OPEN_FILES_AUTOSIZE_BELOW) {
    openFiles = OPEN_FILES_FALLBACK;
    if (vars.get('innodb_file_per_table') === 1n && tableCache > OPEN_FILES_FALLBACK) openFiles = tableCache;
  }
  const osLimit = vars.get('open_files_limit');
  if (typeof osLimit === 'bigint' && openFiles > osLimit) {
    out.push({ level: 'Warning', code: INNODB_STARTUP_LOG_CODE.OPEN_FILES_OVER_LIMIT, message: 'innodb_open_files should not be greater than the open_files_limit.' });
    if (openFiles > tableCache) openFiles = tableCache;
  }
  vars.set('innodb_open_files', openFiles);

  // Level 6 skips the redo log, which only a read-only instance can do; read-only needs no
  // doublewrite buffer.
  if (num('innodb_force_recovery', 0n) === FORCE_RECOVERY_NO_LOG_REDO) vars.set('innodb_read_only', 1n);
  if (vars.get('innodb_read_only') === 1n) {
    out.push({ level: 'Note', code: INNODB_STARTUP_LOG_CODE.READ_ONLY, message: 'Started in read only mode' });
    vars.set('innodb_doublewrite', 'OFF');
  }
  return out;
}

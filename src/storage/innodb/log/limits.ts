/**
 * Sizes and limits of the InnoDB redo log: the 512-byte log block and its header and
 * trailer, the file header region, the capacity settings (`innodb_redo_log_capacity` of
 * 8.0.30+ and the older `innodb_log_file_size` × `innodb_log_files_in_group` form), and the
 * check a server runs on them at startup.
 *
 * Which knob is validated (INNODB-LIMIT-014 leaves it open): both. An explicit
 * `innodb_redo_log_capacity` wins, as in 8.0.30+, and must lie in [8 MiB, 128 GiB]. Without
 * it, the two older variables are checked against their own ranges and against the 512 GB
 * combined limit; their product then becomes the capacity, clamped into the capacity range
 * (8.0.30+ derives the capacity from them the same way).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22)
 * @req INNODB-LIMIT-014 INNODB-LOG-101 INNODB-LOG-102
 */

/** Size of one log block: small enough that a disk writes it whole (INNODB-LOG-101). */
export const LOG_BLOCK_SIZE = 512;

/**
 * Log block header: block number (4), data length (2), first-record offset (2), checkpoint
 * number (4) (INNODB-LOG-101).
 */
export const LOG_BLOCK_HDR_SIZE = 12;

/** Log block trailer: the block's crc32 (INNODB-LOG-101). */
export const LOG_BLOCK_TRL_SIZE = 4;

/** Offset in a block where its data area ends and the trailer begins (INNODB-LOG-101). */
export const LOG_BLOCK_DATA_END = LOG_BLOCK_SIZE - LOG_BLOCK_TRL_SIZE;

/** Bytes of record data one block carries (INNODB-LOG-101). */
export const LOG_BLOCK_DATA_SIZE = LOG_BLOCK_DATA_END - LOG_BLOCK_HDR_SIZE;

/**
 * Blocks at the start of every redo file before the first log block: the format block,
 * checkpoint block 1, an unused block, checkpoint block 2 (INNODB-LOG-102).
 */
export const LOG_FILE_HDR_BLOCKS = 4;

/** Bytes of the file header region (INNODB-LOG-102). */
export const LOG_FILE_HDR_SIZE = LOG_FILE_HDR_BLOCKS * LOG_BLOCK_SIZE;

/**
 * The LSN of the first log block of a new log; like InnoDB's, the stream does not start at
 * zero, so an LSN of 0 can mean "none" (INNODB-LOG-101).
 */
export const LOG_START_LSN = 8192n;

/** Default `innodb_redo_log_capacity`: 100 MiB (8.0.30+). */
export const REDO_LOG_CAPACITY_DEFAULT = 104_857_600;

/** Minimum `innodb_redo_log_capacity`: 8 MiB. */
export const REDO_LOG_CAPACITY_MIN = 8 * 1024 * 1024;

/** Maximum `innodb_redo_log_capacity`: 128 GiB (8.0.30+; INNODB-LIMIT-014's newer form). */
export const REDO_LOG_CAPACITY_MAX = 128 * 1024 * 1024 * 1024;

/** The capacity is spread over this many `#ib_redoN` files, each capacity/32 (INNODB-BAK-005). */
export const REDO_LOG_FILES = 32;

/** Default `innodb_log_file_size` of the pre-8.0.30 form: 48 MiB. */
export const LOG_FILE_SIZE_DEFAULT = 50_331_648;

/** Minimum `innodb_log_file_size`: 4 MiB. */
export const LOG_FILE_SIZE_MIN = 4 * 1024 * 1024;

/** Default and range of `innodb_log_files_in_group`. */
export const LOG_FILES_IN_GROUP_DEFAULT = 2;
export const LOG_FILES_IN_GROUP_MIN = 2;
export const LOG_FILES_IN_GROUP_MAX = 100;

/**
 * The combined size of the log files, `innodb_log_file_size` × `innodb_log_files_in_group`,
 * may not exceed 512 GB (INNODB-LIMIT-014).
 */
export const LOG_FILES_COMBINED_MAX = 512 * 1024 * 1024 * 1024;

/**
 * Default `innodb_log_buffer_size` (16 MiB): when this much log is buffered and not yet
 * written, the log starts a write on its own instead of waiting for a commit or the
 * once-a-second timer (INNODB-LOG-104).
 */
export const LOG_BUFFER_SIZE_DEFAULT = 16 * 1024 * 1024;

/**
 * Largest payload one redo record may carry (1 GiB). A record may span many blocks and
 * files; the bound keeps a corrupt length field from being taken at face value
 * (INNODB-LOG-103).
 */
export const REDO_RECORD_MAX_PAYLOAD = 1024 * 1024 * 1024;

/** The redo settings a server was started with; absent fields were not given. */
export interface RedoSizeSettings {
  readonly innodbRedoLogCapacity?: number;
  readonly innodbLogFileSize?: number;
  readonly innodbLogFilesInGroup?: number;
}

function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Checks the redo size settings before anything is allocated: the error message to refuse
 * startup with, or null when they are acceptable (INNODB-LIMIT-014).
 */
export function validateRedoSize(settings: RedoSizeSettings): string | null {
  const cap = settings.innodbRedoLogCapacity;
  if (cap !== undefined) {
    if (!isWhole(cap) || cap < REDO_LOG_CAPACITY_MIN || cap > REDO_LOG_CAPACITY_MAX) {
      return `innodb_redo_log_capacity must be between ${REDO_LOG_CAPACITY_MIN} and ${REDO_LOG_CAPACITY_MAX} bytes, got ${cap}`;
    }
    return null;
  }
  const size = settings.innodbLogFileSize ?? LOG_FILE_SIZE_DEFAULT;
  const files = settings.innodbLogFilesInGroup ?? LOG_FILES_IN_GROUP_DEFAULT;
  if (!isWhole(size) || size < LOG_FILE_SIZE_MIN) {
    return `innodb_log_file_size must be at least ${LOG_FILE_SIZE_MIN} bytes, got ${size}`;
  }
  if (!isWhole(files) || files < LOG_FILES_IN_GROUP_MIN || files > LOG_FILES_IN_GROUP_MAX) {
    return `innodb_log_files_in_group must be between ${LOG_FILES_IN_GROUP_MIN} and ${LOG_FILES_IN_GROUP_MAX}, got ${files}`;
  }
  const combined = size * files;
  if (combined > LOG_FILES_COMBINED_MAX) {
    return `The combined size of the redo log files (innodb_log_file_size * innodb_log_files_in_group = ${combined} bytes) exceeds the maximum of ${LOG_FILES_COMBINED_MAX} bytes (512G)`;
  }
  return null;
}

/**
 * The redo capacity the settings give (call after {@link validateRedoSize} accepted them):
 * the explicit capacity, else the older variables' product clamped into the capacity range,
 * else the default.
 */
export function effectiveRedoCapacity(settings: RedoSizeSettings): number {
  if (settings.innodbRedoLogCapacity !== undefined) return settings.innodbRedoLogCapacity;
  if (settings.innodbLogFileSize === undefined && settings.innodbLogFilesInGroup === undefined) {
    return REDO_LOG_CAPACITY_DEFAULT;
  }
  const product =
    (settings.innodbLogFileSize ?? LOG_FILE_SIZE_DEFAULT) * (settings.innodbLogFilesInGroup ?? LOG_FILES_IN_GROUP_DEFAULT);
  return Math.min(REDO_LOG_CAPACITY_MAX, Math.max(REDO_LOG_CAPACITY_MIN, product));
}

/**
 * Size of each `#ib_redoN` file for a capacity: capacity/32 rounded down to whole blocks
 * (INNODB-BAK-005).
 */
export function redoFileSize(capacity: number): number {
  const per = Math.floor(capacity / REDO_LOG_FILES);
  return per - (per % LOG_BLOCK_SIZE);
}

/**
 * Named constants of the CSV engine: file extensions, the layout of the `.CSM` metafile and the
 * engine's (absent) key limits.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @req CSV-004 CSV-005 CSV-011 CSV-050
 */

/** Data file: one line per row (CSV-004). */
export const CSV_DATA_EXT = '.CSV';
/** Metafile: state and row count (CSV-005). */
export const CSV_META_EXT = '.CSM';
/** Rewrite file of UPDATE/DELETE/REPAIR, renamed over the data file when complete (CSV-011). */
export const CSV_REWRITE_EXT = '.CSN';

/** Size of the `.CSM` metafile in bytes (CSV-005). */
export const CSM_SIZE = 35;
/** Byte 0 of the metafile: the check header (CSV-005). */
export const CSM_CHECK_HEADER = 0xfe;
/** Byte 1 of the metafile: the format version (CSV-005). */
export const CSM_VERSION = 1;
/** Offset of the row count, a little-endian uint64 (CSV-005). */
export const CSM_ROWS_OFFSET = 2;
/** Offsets of the three reserved uint64 fields, always written as zero (CSV-005). */
export const CSM_CHECKPOINT_OFFSET = 10;
export const CSM_AUTO_INCREMENT_OFFSET = 18;
export const CSM_FORCED_FLUSHES_OFFSET = 26;
/** Offset of the dirty/crashed flag byte (CSV-005, CSV-034). */
export const CSM_DIRTY_OFFSET = 34;

/** CSV tables have no indexes at all (CSV-050): 1069 "max 0 keys allowed". */
export const CSV_MAX_KEYS = 0;
export const CSV_MAX_KEY_PARTS = 0;
export const CSV_MAX_KEY_LENGTH = 0;

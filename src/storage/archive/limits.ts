/**
 * Named constants of the ARCHIVE engine: its key limits, the `.ARZ` header layout (azio
 * version 3) and the sizes that decide when buffered rows become a compressed member.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-002 ARCHIVE-020 ARCHIVE-021 ARCHIVE-041 ARCHIVE-044
 */

/** ARCHIVE has at most one index (on the AUTO_INCREMENT column). @req ARCHIVE-002 ARCHIVE-021 */
export const ARCHIVE_MAX_KEYS = 1;
/** Key parts: the server's general limit (MySQL's ARCHIVE keeps the handler default, 16), so a
 *  key naming the AUTO_INCREMENT column with others reaches the engine's own check (1031).
 *  @req ARCHIVE-021 */
export const ARCHIVE_MAX_KEY_PARTS = 16;
/** Key length limit in bytes: a 64-bit integer. @req ARCHIVE-021 */
export const ARCHIVE_MAX_KEY_LENGTH = 8;

/** Data file extension. @req ARCHIVE-004 */
export const ARZ_EXTENSION = '.ARZ';
/** The file OPTIMIZE / REPAIR write before it replaces the data file. @req ARCHIVE-004 */
export const ARN_EXTENSION = '.ARN';

/** First byte of every `.ARZ` file. @req ARCHIVE-041 */
export const ARZ_MAGIC = 0xfe;
/** azio format version 3 (one stream holding rows and BLOBs, packed rows). @req ARCHIVE-041 */
export const ARZ_VERSION = 3;
export const ARZ_MINOR_VERSION = 1;
/** The fixed header (azio's AZHEADER_SIZE); its last eight bytes are the data start offset. @req ARCHIVE-041 */
export const ARZ_HEADER_SIZE = 29;
/** The meta block (azio's AZMETA_BUFFER_SIZE): row count, positions, auto-increment, row
 *  lengths, comment, dirty byte. Its fields are numbered from the file start (offset 21 on). @req ARCHIVE-041 */
export const ARZ_META_SIZE = 49;
/** Where the compressed rows start: right after header and meta block (78). @req ARCHIVE-041 */
export const ARZ_DATA_START = ARZ_HEADER_SIZE + ARZ_META_SIZE;

/** Byte offsets of the header fields (all integers little-endian). @req ARCHIVE-041 */
export const ARZ_OFFSETS = {
  magic: 0,
  version: 1,
  minor: 2,
  blockSize: 3,
  strategy: 4,
  frmPos: 5,
  frmLen: 9,
  metaPos: 13,
  metaLen: 17,
  dataStart: 21,
  rows: 29,
  flushPos: 37,
  checkPos: 45,
  autoIncrement: 53,
  longestRow: 61,
  shortestRow: 65,
  commentPos: 69,
  commentLen: 73,
  dirty: 77,
} as const;

/** Values of the dirty byte. @req ARCHIVE-041 */
export const ARZ_STATE_CLEAN = 0;
export const ARZ_STATE_DIRTY = 1;

/** Bytes after each deflate member: CRC32 of its rows, then their length. @req ARCHIVE-041 */
export const ARZ_MEMBER_TRAILER = 8;
/** Each record starts with its packed length as a uint32. @req ARCHIVE-041 */
export const ARZ_RECORD_LENGTH_BYTES = 4;

/**
 * Buffered plain-insert rows become a compressed member once they hold this many bytes (or
 * when a reader, FLUSH TABLES or a close forces it). @req ARCHIVE-044 ARCHIVE-053
 */
export const ARCHIVE_FLUSH_BYTES = 256 * 1024;
/** OPTIMIZE / REPAIR pack rows into members of about this many uncompressed bytes. @req ARCHIVE-042 */
export const ARCHIVE_OPTIMIZE_MEMBER_BYTES = 1024 * 1024;
/** A multi-row insert of at least this many rows is a bulk insert. @req ARCHIVE-045 */
export const ARCHIVE_MIN_BULK_ROWS = 2;

/**
 * Limits of InnoDB tablespace files: 32-bit page numbers (hence the largest tablespace per page
 * size), 32-bit space ids and the blocks of them real InnoDB reserves, and the file names and
 * format versions of our tablespace, system tablespace and doublewrite files.
 *
 * Space ids (INNODB-LIMIT-018) follow MySQL 8.0's dict0dict.h: 0 is the system tablespace, the
 * top of the range belongs to the redo log pseudo-space, the data dictionary (mysql.ibd) and
 * innodb_temporary, below them 127 undo tablespaces with 512 ids each, and below those a gap of
 * 1000 ids and 400000 ids for session temporary tablespaces. File-per-table and general
 * tablespaces take ids from 1 up to just below the session-temporary block.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @req INNODB-LIMIT-010 INNODB-LIMIT-011 INNODB-LIMIT-016 INNODB-LIMIT-017 INNODB-LIMIT-018
 */
import { FIL_NULL, type PageSize } from '../page/limits.js';

/** Page numbers are u32: a tablespace has at most 2^32 pages (INNODB-LIMIT-016). */
export const PAGES_PER_TABLESPACE = 2 ** 32;
/**
 * The largest page number we hand out (INNODB-LIMIT-016). 0xFFFFFFFF is FIL_NULL, the "no page"
 * link value, so a page with that number could never be linked to; it is never allocated.
 */
export const MAX_PAGE_NO = FIL_NULL - 1;

const TiB = 2 ** 40;
/** Largest tablespace (and so largest table, INNODB-LIMIT-017) by page size (INNODB-LIMIT-016). */
export const MAX_TABLESPACE_BYTES: Readonly<Record<PageSize, number>> = {
  4096: 16 * TiB,
  8192: 32 * TiB,
  16384: 64 * TiB,
  32768: 128 * TiB,
  65536: 256 * TiB,
};

// Space ids (INNODB-LIMIT-018): u32, 2^32 of them, with reserved blocks at the top.
/** Number of distinct space ids an instance has (INNODB-LIMIT-018). */
export const SPACE_ID_COUNT = 2 ** 32;
/** The system tablespace, ibdata1. */
export const SYSTEM_SPACE_ID = 0;
/** Not a tablespace. */
export const INVALID_SPACE_ID = 0xffffffff;
/** The data dictionary tablespace (mysql.ibd). */
export const DICT_SPACE_ID = 0xfffffffe;
/** The global temporary tablespace, innodb_temporary (ibtmp1). */
export const TEMP_SPACE_ID = 0xfffffffd;
/** The redo log's pseudo-tablespace; ids from here up are never files of tables. */
export const REDO_SPACE_FIRST_ID = 0xfffffff0;
/** innodb_undo_tablespaces can reach 127 undo tablespaces. */
export const MAX_UNDO_TABLESPACES = 127;
/** Ids reserved for each undo tablespace (truncation gives an undo tablespace a new id). */
export const UNDO_SPACE_ID_RANGE = 512;
export const MIN_UNDO_SPACE_ID = REDO_SPACE_FIRST_ID - MAX_UNDO_TABLESPACES * UNDO_SPACE_ID_RANGE;
export const MAX_UNDO_SPACE_ID = REDO_SPACE_FIRST_ID - 1;
/** Session temporary tablespaces (temp_N.ibt) use ids in (MIN, MAX]. */
export const MAX_SESSION_TEMP_SPACE_ID = MIN_UNDO_SPACE_ID - 1000;
export const MIN_SESSION_TEMP_SPACE_ID = MIN_UNDO_SPACE_ID - 1000 - 400000;
/** The first id of a file-per-table or general tablespace. */
export const FIRST_USER_SPACE_ID = 1;
/** The last id of a file-per-table or general tablespace: everything above is reserved. */
export const MAX_USER_SPACE_ID = MIN_SESSION_TEMP_SPACE_ID - 1;

/** Whether `id` may name a file-per-table or general tablespace (not a reserved id). */
export function isUserSpaceId(id: number): boolean {
  return Number.isInteger(id) && id >= FIRST_USER_SPACE_ID && id <= MAX_USER_SPACE_ID;
}

// Files.
/** A file-per-table tablespace: <datadir>/<schema>/<table>.ibd. */
export const TABLESPACE_FILE_EXT = '.ibd';
/** The system tablespace file in the data directory. */
export const SYSTEM_TABLESPACE_FILE = 'ibdata1';
/** The doublewrite file for a page size, in the data directory (innodb_doublewrite_dir default). */
export function doublewriteFileName(pageSize: number): string {
  return `#ib_${pageSize}_0.dblwr`;
}

/** Page 0 of one of our .ibd files starts with this (INNODB-PAGE-103). */
export const TABLESPACE_MAGIC = 'RMIBD';
/** Version 2: B+tree index pages updated in place (version 1 rewrote a table's data pages whole). */
export const TABLESPACE_FORMAT_VERSION = 2;
/**
 * A record shorter than half a page is stored in its data page; a longer one goes to a chain of
 * BLOB pages and the data page keeps a reference to it (INNODB-LIMIT-011).
 */
export function maxInlineRecordBytes(pageSize: number): number {
  return pageSize / 2 - 1;
}
/** Records are below 4 GB (INNODB-LIMIT-010): an off-page length is a u32. */
export const MAX_RECORD_BYTES = 0xffffffff;
/** The engine's free-form bytes in a .ibd header are at most this long. */
export const TABLESPACE_EXTRA_MAX = 1024;

/** Pages of ibdata1 start with this (INNODB-SYS-101). */
export const SYSTEM_MAGIC = 'RMSYS';
export const SYSTEM_FORMAT_VERSION = 1;

/** The doublewrite file starts with this (INNODB-DBLWR-101). */
export const DOUBLEWRITE_MAGIC = 'RMDBLWR';
/** Version 2: a target may name the page numbers it writes (a checkpoint's dirty pages). */
export const DOUBLEWRITE_FORMAT_VERSION = 2;

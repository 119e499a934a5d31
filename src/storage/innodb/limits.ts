/**
 * Every limit of manual sections 15.22 (InnoDB Limits) and 15.23 (InnoDB Restrictions and
 * Limitations), each with the requirement it implements. Table-level limits are defined here;
 * page-level and file-level ones live next to the code that uses them (page/limits.ts,
 * fil/limits.ts, log/limits.ts) and are re-exported so this file is the one index of them all.
 *
 * The numbers are real MySQL 8.0's, not the manual's approximations: where the manual says
 * "about 8000 bytes" for the largest row at 16 KB pages, MySQL's record-size check uses half of
 * the free space of an empty page (8126 bytes for COMPACT/DYNAMIC), and that is what a client
 * sees in error 1118. The derivations are given beside each constant. Sources read (mysql-server
 * 8.0): sql/sql_const.h (MAX_KEY, MAX_REF_PARTS, MAX_KEY_LENGTH), sql/sql_table.cc
 * (mysql_prepare_create_table, prepare_key, prepare_key_column), storage/innobase/include/
 * rem0types.h (REC_MAX_N_FIELDS, REC_ANTELOPE_MAX_INDEX_COL_LEN), page0page.h
 * (PAGE_NEW_SUPREMUM_END and friends), dict/dict0dict.cc (dict_index_too_big_for_tree),
 * handler/ha_innodb.cc (max_supported_key_length, create_options_are_invalid,
 * innobase_table_flags, create_table_info_t::initialize).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-restrictions-limitations.html (15.23)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/column-count-limit.html (8.4.7)
 * @req INNODB-LIMIT-001 INNODB-LIMIT-002 INNODB-LIMIT-003 INNODB-LIMIT-004 INNODB-LIMIT-006
 * @req INNODB-LIMIT-007 INNODB-LIMIT-008 INNODB-LIMIT-009 INNODB-LIMIT-010 INNODB-LIMIT-012
 * @req INNODB-LIMIT-014 INNODB-LIMIT-016 INNODB-LIMIT-017 INNODB-LIMIT-018 INNODB-LIMIT-019
 * @req INNODB-LIMIT-022 INNODB-LIMIT-101 INNODB-RESTR-001 INNODB-RESTR-004 INNODB-RESTR-101
 * @req CORE-PERF-033
 */

// Page sizes (INNODB-LIMIT-022) and tablespace sizes (INNODB-LIMIT-016/017/018) belong to the
// page and file layers; the redo log's combined size (INNODB-LIMIT-014) to the log.
export { PAGE_SIZES, DEFAULT_PAGE_SIZE, isValidPageSize, type PageSize } from './page/limits.js';
export { MAX_TABLESPACE_BYTES, PAGES_PER_TABLESPACE, SPACE_ID_COUNT } from './fil/limits.js';
export { LOG_FILES_COMBINED_MAX, REDO_LOG_CAPACITY_MAX } from './log/limits.js';

/** The row formats an InnoDB table can have. */
export type InnodbRowFormat = 'REDUNDANT' | 'COMPACT' | 'DYNAMIC' | 'COMPRESSED';
/** The values innodb_default_row_format accepts. */
export type InnodbDefaultRowFormat = 'DYNAMIC' | 'COMPACT' | 'REDUNDANT';

/** A shared (system or general) tablespace can hold up to 2^32 tables (INNODB-LIMIT-019). */
export const MAX_TABLES_PER_SHARED_TABLESPACE = 2 ** 32;

// ---------------------------------------------------------------------------------------------
// Columns

/**
 * Columns per table, virtual generated columns included (INNODB-LIMIT-001). A record has at most
 * 1023 fields (REC_MAX_N_FIELDS); each index may need the three system columns twice (once in
 * the clustered index, once as the primary-key reference), which leaves 1023 - 6 = 1017.
 */
export const MAX_COLUMNS = 1017;

/**
 * The server's own hard limit on columns (MAX_FIELDS), checked before any key or row-size check,
 * so a table beyond it gets 1117 before anything else (INNODB-LIMIT-101).
 */
export const SERVER_MAX_COLUMNS = 4096;

/**
 * Names of InnoDB's internal columns; a user column may not use them in any lettercase
 * (INNODB-RESTR-001; dict_col_name_is_reserved).
 */
export const RESERVED_COLUMN_NAMES: readonly string[] = ['DB_ROW_ID', 'DB_TRX_ID', 'DB_ROLL_PTR'];

/** Name of the clustered index InnoDB makes for a table without a usable key (INNODB-RESTR-101). */
export const GEN_CLUST_INDEX_NAME = 'GEN_CLUST_INDEX';

/** Name of the hidden document-id column a FULLTEXT index adds when the table lacks one. */
export const FTS_DOC_ID_COLUMN = 'FTS_DOC_ID';

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * Indexes per table (INNODB-LIMIT-002). The limit is the server's MAX_KEY (64) and it counts
 * every index, the PRIMARY KEY and FULLTEXT indexes included: ha_innobase::max_supported_keys
 * returns MAX_KEY and mysql_prepare_create_table compares the number of all keys with it. So a
 * table with a PRIMARY KEY can have 63 secondary indexes; the manual's "64 secondary indexes"
 * holds only for a table whose clustered index is the hidden GEN_CLUST_INDEX.
 */
export const MAX_INDEXES = 64;

/** Columns per index (INNODB-LIMIT-008; MAX_REF_PARTS). */
export const MAX_KEY_PARTS = 16;

/** Key length limit at 16 KB pages and above (INNODB-LIMIT-003; the server's MAX_KEY_LENGTH). */
export const MAX_KEY_LENGTH = 3072;

/**
 * The limits the engine declares in its capabilities (EngineCapabilities.maxKeys, maxKeyParts,
 * maxKeyLength), which the server's generic table builder checks before it calls the engine.
 * The key-length capability is the largest any page size allows; the smaller limits of 4 KB and
 * 8 KB pages and of REDUNDANT/COMPACT tables are checked by dict/validate-table.ts.
 */
export const INNODB_MAX_KEYS = MAX_INDEXES;
export const INNODB_MAX_KEY_PARTS = MAX_KEY_PARTS;
export const INNODB_MAX_KEY_LENGTH = MAX_KEY_LENGTH;

/**
 * Longest column or prefix in an index of a DYNAMIC or COMPRESSED table
 * (INNODB-LIMIT-003; REC_VERSION_56_MAX_INDEX_COL_LEN).
 */
export const MAX_INDEX_COLUMN_LENGTH = 3072;

/**
 * Longest column or prefix in an index of a REDUNDANT or COMPACT table (INNODB-LIMIT-004;
 * REC_ANTELOPE_MAX_INDEX_COL_LEN - 1). 191 utf8mb4 characters fit, 192 do not.
 */
export const MAX_INDEX_COLUMN_LENGTH_ANTELOPE = 767;

/**
 * The whole-key length limit for an instance's page size (INNODB-LIMIT-003, INNODB-LIMIT-006,
 * INNODB-LIMIT-007): ha_innobase::max_supported_key_length answers 768 at 4 KB, 1536 at 8 KB and
 * 3500 above, and the server caps that at MAX_KEY_LENGTH, so 32 KB and 64 KB pages stay at 3072.
 */
export function maxKeyLength(pageSize: number): number {
  if (pageSize <= 4096) return 768;
  if (pageSize <= 8192) return 1536;
  return MAX_KEY_LENGTH;
}

/**
 * The longest single column or prefix an index may have (INNODB-LIMIT-003, INNODB-LIMIT-004):
 * 767 bytes for the Antelope formats (REDUNDANT, COMPACT), 3072 for the Barracuda ones.
 */
export function maxIndexColumnLength(rowFormat: InnodbRowFormat): number {
  return rowFormat === 'REDUNDANT' || rowFormat === 'COMPACT' ? MAX_INDEX_COLUMN_LENGTH_ANTELOPE : MAX_INDEX_COLUMN_LENGTH;
}

// ---------------------------------------------------------------------------------------------
// Rows

/**
 * The server's limit on the declared size of all columns, whatever the engine
 * (INNODB-LIMIT-012; HA_MAX_REC_LENGTH). BLOB and TEXT count 9 to 12 bytes toward it.
 */
export const MAX_DECLARED_ROW_SIZE = 65535;

/** A LONGBLOB or LONGTEXT value is shorter than 4 GB (INNODB-LIMIT-010). */
export const MAX_LOB_BYTES = 2 ** 32 - 1;

/** A whole row, BLOB and TEXT columns included, is shorter than 4 GB (INNODB-LIMIT-010). */
export const MAX_ROW_TOTAL_BYTES = 2 ** 32 - 1;

// How the record-size limit of INNODB-LIMIT-009 is derived. An uncompressed index page must hold
// at least two records, so a record may use at most half of what an empty page has free: the
// page less its headers (FIL header 38, page header 36, two segment headers of 10), the infimum
// and supremum records, the FIL trailer (8) and two page-directory slots (2 each). The system
// records end at byte 120 in the COMPACT family and 125 in REDUNDANT (PAGE_NEW_SUPREMUM_END,
// PAGE_OLD_SUPREMUM_END).
/** Where the supremum record ends in a COMPACT/DYNAMIC/COMPRESSED page. */
const PAGE_NEW_SUPREMUM_END = 120;
/** Where the supremum record ends in a REDUNDANT page. */
const PAGE_OLD_SUPREMUM_END = 125;
/** The FIL trailer at the end of the page. */
const PAGE_DIR = 8;
/** One page-directory slot. */
const PAGE_DIR_SLOT_SIZE = 2;
/** The user part of a page, after the FIL, page and segment headers (PAGE_DATA). */
export const PAGE_DATA = 94;

/** The largest page size: at 64 KB the record limit is not half a page (see below). */
const UNIV_PAGE_SIZE_MAX = 65536;
/** Record data is addressed with 14-bit offsets, so a record holds below 16 KB (REC_MAX_DATA_SIZE). */
export const REC_MAX_DATA_SIZE = 16384;

/** Free bytes of an empty uncompressed page (page_get_free_space_of_empty). */
export function emptyPageFreeSpace(pageSize: number, compact: boolean): number {
  return pageSize - (compact ? PAGE_NEW_SUPREMUM_END : PAGE_OLD_SUPREMUM_END) - PAGE_DIR - 2 * PAGE_DIR_SLOT_SIZE;
}

/**
 * The largest record an uncompressed index page accepts (INNODB-LIMIT-009): half of an empty
 * page's free space, 8126 bytes at 16 KB for COMPACT/DYNAMIC (8123 for REDUNDANT), 1982 at
 * 4 KB, 4030 at 8 KB, 16318 at 32 KB; at 64 KB the record-offset width caps it at 16383. A
 * record whose worst-case size reaches this is too big.
 */
export function maxRecordSize(pageSize: number, compact: boolean): number {
  if (pageSize >= UNIV_PAGE_SIZE_MAX) return REC_MAX_DATA_SIZE - 1;
  return Math.floor(emptyPageFreeSpace(pageSize, compact) / 2);
}

/** Record header bytes of the COMPACT family (REC_N_NEW_EXTRA_BYTES). */
export const REC_N_NEW_EXTRA_BYTES = 5;
/** Record header bytes of REDUNDANT (REC_N_OLD_EXTRA_BYTES). */
export const REC_N_OLD_EXTRA_BYTES = 6;
/** The reference to a column stored off-page (BTR_EXTERN_FIELD_REF_SIZE). */
export const BTR_EXTERN_FIELD_REF_SIZE = 20;
/**
 * A variable-length column of the clustered index that may be longer than this can be moved
 * off-page, so the record-size check counts it at this size (BTR_EXTERN_LOCAL_STORED_MAX_SIZE).
 */
export const BTR_EXTERN_LOCAL_STORED_MAX_SIZE = 2 * BTR_EXTERN_FIELD_REF_SIZE;
/**
 * The inline prefix REDUNDANT and COMPACT keep of an off-page column; also the longest column
 * InnoDB treats as fixed-length (DICT_MAX_FIXED_COL_LEN).
 */
export const DICT_MAX_FIXED_COL_LEN = 768;
/** The child-page number a node-pointer record carries (REC_NODE_PTR_SIZE). */
export const REC_NODE_PTR_SIZE = 4;
/** System column sizes: the row id, the transaction id and the roll pointer. */
export const DATA_ROW_ID_LEN = 6;
export const DATA_TRX_ID_LEN = 6;
export const DATA_ROLL_PTR_LEN = 7;

// ---------------------------------------------------------------------------------------------
// Compression

/** ROW_FORMAT=COMPRESSED is refused above this page size (INNODB-RESTR-004; UNIV_PAGE_SIZE_DEF). */
export const MAX_COMPRESSED_PAGE_SIZE = 16384;

/** KEY_BLOCK_SIZE values (KB) the server accepts at all. */
export const KEY_BLOCK_SIZES: readonly number[] = [1, 2, 4, 8, 16];

/** The largest KEY_BLOCK_SIZE (KB) for a page size: the page itself, at most 16 (INNODB-RESTR-004). */
export function maxKeyBlockSize(pageSize: number): number {
  return Math.min(pageSize / 1024, 16);
}

/** Compressed page size of ROW_FORMAT=COMPRESSED without KEY_BLOCK_SIZE: half a page, at most 8 KB. */
export function defaultCompressedPageSize(pageSize: number): number {
  return Math.min(pageSize, MAX_COMPRESSED_PAGE_SIZE) / 2;
}

/** Bytes of a compressed page's dense-directory slot plus the transaction id and roll pointer. */
const PAGE_ZIP_CLUST_LEAF_SLOT_SIZE = 2 + DATA_TRX_ID_LEN + DATA_ROLL_PTR_LEN;

/** zlib's compressBound: the most a deflate stream of `n` bytes can take. */
function compressBound(n: number): number {
  return n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 13;
}

/**
 * The largest record a compressed page of `zipSize` bytes accepts for an index of `nFields`
 * fields (page_zip_empty_size less one byte for the heap number). Node-pointer records may use
 * half of it.
 */
export function maxCompressedRecordSize(nFields: number, zipSize: number): number {
  const size = zipSize - (PAGE_DATA + PAGE_ZIP_CLUST_LEAF_SLOT_SIZE + 1 + 1 - REC_N_NEW_EXTRA_BYTES) - compressBound(2 * (nFields + 1));
  return size > 0 ? size - 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Codes that are not in the error catalogue because they are handler codes, not server errors.

/** HA_ERR_TOO_BIG_ROW: the code of the warning InnoDB gives for a too-big row when innodb_strict_mode is OFF. */
export const HA_ERR_TOO_BIG_ROW = 139;

// ---------------------------------------------------------------------------------------------
// Transactions

/**
 * Ended transaction objects the engine keeps for reuse (CORE-PERF-033): enough for every
 * session of a busy server to find one, small enough to hold no memory worth counting. Only
 * transactions that ended without an id or a change are kept.
 */
export const TRX_SPARE_MAX = 256;

/**
 * Constants of the InnoDB page format: the page sizes an instance may use, the byte layout of
 * the FIL header and trailer every page carries, and the page-type codes. The offsets and type
 * numbers are real InnoDB's (fil0fil.h / fil0types.h), so a page dump reads the same way; only
 * the checksum polynomial differs (see page.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_page_size
 * @req INNODB-LIMIT-022 INNODB-PAGE-101
 */

/** innodb_page_size values an instance can be created with (INNODB-LIMIT-022). */
export const PAGE_SIZES = [4096, 8192, 16384, 32768, 65536] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
/** innodb_page_size default (INNODB-LIMIT-022). */
export const DEFAULT_PAGE_SIZE = 16384;

export function isValidPageSize(n: number): n is PageSize {
  return (PAGE_SIZES as readonly number[]).includes(n);
}

// FIL header, 38 bytes at the start of every page (INNODB-PAGE-101).
/** u32: the page checksum (innodb_checksum_algorithm=crc32). */
export const FIL_PAGE_SPACE_OR_CHKSUM = 0;
/** u32: the page's own number within its tablespace. */
export const FIL_PAGE_OFFSET = 4;
/** u32: previous page at the same level of an index, or FIL_NULL. */
export const FIL_PAGE_PREV = 8;
/** u32: next page at the same level of an index, or FIL_NULL. */
export const FIL_PAGE_NEXT = 12;
/** u64: LSN of the newest change written to the page. */
export const FIL_PAGE_LSN = 16;
/** u16: page type, one of the FIL_PAGE_* type codes below. */
export const FIL_PAGE_TYPE = 24;
/** u64: on page 0 of a tablespace, the LSN the file is flushed up to; zero elsewhere. */
export const FIL_PAGE_FILE_FLUSH_LSN = 26;
/** u32: the tablespace id. */
export const FIL_PAGE_SPACE_ID = 34;
/** First byte after the FIL header: where a page's body starts. */
export const FIL_PAGE_DATA = 38;

// FIL trailer, 8 bytes at the end of every page.
/** Size of the trailer: checksum u32 at size-8, low 32 bits of the LSN at size-4. */
export const FIL_PAGE_DATA_END = 8;
/** Offset of the trailer checksum, counted back from the end of the page. */
export const FIL_PAGE_END_CHKSUM_FROM_END = 8;
/** Offset of the trailer's low LSN word, counted back from the end of the page. */
export const FIL_PAGE_END_LSN_FROM_END = 4;

/** "No page": the value of an absent prev/next link. */
export const FIL_NULL = 0xffffffff;

// Page types (u16 at FIL_PAGE_TYPE), with real InnoDB's numbers.
export const FIL_PAGE_TYPE_ALLOCATED = 0; // freshly allocated, never used
export const FIL_PAGE_UNDO_LOG = 2;
export const FIL_PAGE_INODE = 3;
export const FIL_PAGE_IBUF_FREE_LIST = 4;
export const FIL_PAGE_IBUF_BITMAP = 5;
export const FIL_PAGE_TYPE_SYS = 6; // system page (ibdata1)
export const FIL_PAGE_TYPE_TRX_SYS = 7;
export const FIL_PAGE_TYPE_FSP_HDR = 8; // page 0 of a tablespace: the file-space header
export const FIL_PAGE_TYPE_XDES = 9;
export const FIL_PAGE_TYPE_BLOB = 10; // an uncompressed off-page column chunk
export const FIL_PAGE_TYPE_ZBLOB = 11;
export const FIL_PAGE_TYPE_ZBLOB2 = 12;
export const FIL_PAGE_TYPE_UNKNOWN = 13;
export const FIL_PAGE_TYPE_RSEG_ARRAY = 21;
export const FIL_PAGE_TYPE_LOB_INDEX = 22;
export const FIL_PAGE_TYPE_LOB_DATA = 23;
export const FIL_PAGE_TYPE_LOB_FIRST = 24;
export const FIL_PAGE_SDI = 17853;
export const FIL_PAGE_RTREE = 17854;
export const FIL_PAGE_INDEX = 17855; // a B-tree node (here: a data page of records)

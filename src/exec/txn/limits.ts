/**
 * Limits and tunables of the transaction coordinator, the transaction-coordinator log and XA.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-options.html#option_mysqld_log-tc-size
 * @req CORE-TXN-020 CORE-TXN-026 CORE-TXN-030 CORE-TXN-031 CORE-TXN-033
 */

/** The fixed prefix of the gtrid of the server's own two-phase-commit XIDs (MySQL's MySQLXid). @req CORE-TXN-030 */
export const INTERNAL_XID_PREFIX = 'MySQLXid';

/** gtrid of an internal XID: the prefix, the 4-byte server id, the 8-byte transaction number. @req CORE-TXN-030 */
export const INTERNAL_XID_GTRID_BYTES = INTERNAL_XID_PREFIX.length + 4 + 8;

/** formatID of internal XIDs and the default formatID of XA statements. @req CORE-TXN-020 */
export const DEFAULT_XID_FORMAT_ID = 1;

/** Most commit records one group-commit batch writes and syncs at once (the rest wait for the next). @req CORE-TXN-031 */
export const GROUP_COMMIT_MAX_BATCH = 1024;

/** Default file name of the transaction-coordinator log in the data directory (--log-tc). @req CORE-TXN-033 */
export const TC_LOG_DEFAULT_NAME = 'tc.log';

/**
 * Default --log-tc-size in bytes (MySQL: 6 pages of 4 KiB). Our log is compacted back to its
 * header once it has grown past this size and every logged transaction has completed.
 * @req CORE-TXN-033
 */
export const TC_LOG_DEFAULT_SIZE = 6 * 4096;

/** Smallest --log-tc-size accepted (MySQL: 3 pages); smaller values are raised to it. @req CORE-TXN-033 */
export const TC_LOG_MIN_SIZE = 3 * 4096;

/** Width of the data column of XA RECOVER (twice the 64+64 XID bytes, plus "0x"). @req CORE-TXN-026 */
export const XA_RECOVER_DATA_CHARS = 2 * 128 + 2;

/**
 * Named limits of the system-variable subsystem.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
 * @req CORE-SYSVAR-004
 */

/** Largest unsigned 64-bit value (ULONGLONG_MAX), the ceiling of many size variables. CORE-SYSVAR-004 */
export const ULONGLONG_MAX = 18446744073709551615n;
/** Largest unsigned 32-bit value. CORE-SYSVAR-004 */
export const UINT_MAX = 4294967295n;
/** 31-bit signed maximum used by timeouts such as wait_timeout. CORE-SYSVAR-004 */
export const INT_MAX = 2147483647n;
/** max_allowed_packet ceiling: 1 GiB. CORE-SYSVAR-004 */
export const MAX_ALLOWED_PACKET_MAX = 1073741824n;
/** max_heap_table_size / tmp_table_size floor. CORE-SYSVAR-004 */
export const HEAP_TABLE_MIN = 16384n;
/** Default version string reported by VERSION() and the handshake. CORE-SYSVAR-002 */
export const SERVER_VERSION = '8.0.40-refmysql';
/** @@version_comment. CORE-SYSVAR-002 */
export const VERSION_COMMENT = 'refmysql reference server';

/** Spellings of variable names whose normalised form is remembered (a cache bound, not a limit
 *  on the names a client may use). CORE-SYSVAR-009 */
export const MAX_REMEMBERED_NAME_SPELLINGS = 4096;
/** Statement shapes each session's text-protocol statement cache keeps by default
 *  (refmysql_statement_cache_size). CORE-PERF-013 */
export const STATEMENT_CACHE_SIZE = 256;

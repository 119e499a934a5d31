/**
 * Limits and tunables of the DDL statements.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-table.html
 * @req CORE-MDL-009
 */

/**
 * ALTER TABLE's row copy pauses after this many rows to let other sessions run (readers of
 * the table go on; writers wait for the copy's SHARED_NO_WRITE lock) and to notice KILL.
 * @req CORE-MDL-009
 */
export const ALTER_COPY_PAUSE_ROWS = 1024;

/** Widest BIT column: BIT(64); a wider one is refused with 1439. @req CORE-DDL-044 */
export const BIT_MAX_WIDTH = 64;

/**
 * Named limits of LOAD DATA and SELECT ... INTO OUTFILE / DUMPFILE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * @req CORE-LOAD-003 CORE-LOAD-021
 */

/** ESCAPED BY and ENCLOSED BY are single characters (bytes); longer strings fail with 1083. CORE-LOAD-003 */
export const MAX_ESCAPE_OR_ENCLOSURE_BYTES = 1;

/** Rows written to an OUTFILE before the file buffer is flushed to disk. CORE-LOAD-021 */
export const OUTFILE_FLUSH_BYTES = 256 * 1024;

/** File mode of a file written by SELECT ... INTO OUTFILE / DUMPFILE (readable by all, as MySQL). CORE-LOAD-021 */
export const OUTFILE_MODE = 0o644;

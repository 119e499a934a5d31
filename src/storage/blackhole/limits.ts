/**
 * Limits of the BLACKHOLE engine: it declares the same key limits as InnoDB so that a table
 * definition that works on a real engine also works on its BLACKHOLE relay copy.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/blackhole-storage-engine.html
 * @req BLACKHOLE-004 BLACKHOLE-005
 */

/** Maximum indexes per BLACKHOLE table (BLACKHOLE-004: every kind may be declared). */
export const BLACKHOLE_MAX_KEYS = 64;

/** Maximum columns per BLACKHOLE index. */
export const BLACKHOLE_MAX_KEY_PARTS = 16;

/** Maximum key length in bytes: 3072 since 8.0.27, the version refmysql targets (BLACKHOLE-005, A-22). */
export const BLACKHOLE_MAX_KEY_LENGTH = 3072;

/** The first AUTO_INCREMENT value of every statement: the engine keeps no counter (BLACKHOLE-030). */
export const BLACKHOLE_FIRST_AUTO_INCREMENT = 1n;

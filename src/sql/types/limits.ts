/**
 * Named limits of the type system and the evaluator.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/numeric-types.html
 * @req CORE-TYPE-001 CORE-TYPE-020 CORE-EXPR-010
 */

/** DECIMAL precision limit (CORE-TYPE-020). */
export const DECIMAL_MAX_PRECISION = 65;
/** DECIMAL scale limit (CORE-TYPE-020). */
export const DECIMAL_MAX_SCALE = 30;
/** Decimals value meaning "not fixed" for DOUBLE results (CORE-TYPE-003). */
export const NOT_FIXED_DEC = 31;
/** div_precision_increment default: digits added to the scale of `/` results (CORE-EXPR-010). */
export const DIV_PRECISION_INCREMENT = 4;
/** Maximal TIME value: 838:59:59 (CORE-TYPE-030). */
export const TIME_MAX_HOURS = 838;
/** TIMESTAMP range in UTC seconds since the epoch (CORE-TYPE-031). */
export const TIMESTAMP_MIN_SECONDS = 1;
export const TIMESTAMP_MAX_SECONDS = 2147483647;
/** group_concat_max_len default (CORE-EXPR-040). */
export const GROUP_CONCAT_MAX_LEN = 1024;
/** Upper bound on BENCHMARK() iterations we actually run (CORE-EXPR-050). */
export const BENCHMARK_MAX_LOOPS = 1_000_000;
/** Longest user-level lock name (GET_LOCK), in characters (CORE-LOCK-013). */
export const USER_LOCK_NAME_MAX_CHARS = 64;
/** Maximum result length of REPEAT/LPAD/RPAD/SPACE (max_allowed_packet default 64 MiB) (CORE-EXPR-020). */
export const MAX_STRING_RESULT = 64 * 1024 * 1024;
/** Largest integers per type (CORE-TYPE-021). */
export const INT_RANGES: Record<string, { min: bigint; max: bigint; umax: bigint }> = {
  TINYINT: { min: -128n, max: 127n, umax: 255n },
  SMALLINT: { min: -32768n, max: 32767n, umax: 65535n },
  MEDIUMINT: { min: -8388608n, max: 8388607n, umax: 16777215n },
  INT: { min: -2147483648n, max: 2147483647n, umax: 4294967295n },
  BIGINT: { min: -9223372036854775808n, max: 9223372036854775807n, umax: 18446744073709551615n },
};
export const BIGINT_MIN = -9223372036854775808n;
export const BIGINT_MAX = 9223372036854775807n;
export const UBIGINT_MAX = 18446744073709551615n;

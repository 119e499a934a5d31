/**
 * Named limits of the accounts subsystem.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/user-names.html
 * @req CORE-ACCT-002 CORE-ACCT-010
 */

/** caching_sha2_password stored-hash rounds, in thousands (the `005` in `$A$005$`). CORE-ACCT-002 */
export const SHA2_ROUNDS_THOUSANDS = 5;
/** caching_sha2_password salt length in bytes. CORE-ACCT-002 */
export const SHA2_SALT_LENGTH = 20;
/** Length of the encoded sha256crypt digest. CORE-ACCT-002 */
export const SHA2_DIGEST_TEXT_LENGTH = 43;
/** Longest user name in an account name (mysql.user.User is CHAR(32)). CORE-ACCT-010 */
export const MAX_USER_NAME_LENGTH = 32;
/** Longest host part of an account name (mysql.user.Host is CHAR(255)). CORE-ACCT-010 */
export const MAX_HOST_NAME_LENGTH = 255;
/** Privilege decisions one session remembers before it starts over (a bound, not a tuning
 *  knob: a session touching more distinct objects than this just recomputes). CORE-PERF-040 */
export const MAX_CACHED_DECISIONS = 4096;

/**
 * Limits of stored programs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_sp_recursion_depth
 * @req CORE-SP-042
 */

/** Largest max_sp_recursion_depth MySQL accepts. @req CORE-SP-042 */
export const MAX_SP_RECURSION_DEPTH_LIMIT = 255;

/** Nested stored program invocations of any kind (procedures calling functions calling ...):
 *  beyond this the call fails with 1456 rather than exhausting the JavaScript stack (MySQL's
 *  limit is its thread stack, ER_STACK_OVERRUN_NEED_MORE). @req CORE-SP-042 */
export const MAX_PROGRAM_NESTING = 300;

/** Longest MESSAGE_TEXT of SIGNAL (characters), as MySQL's condition item. @req CORE-SP-015 */
export const MAX_MESSAGE_TEXT_CHARS = 128;

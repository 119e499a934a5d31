/**
 * Limits and fixed figures of the InnoDB lock system. Each names the requirement it serves.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks.html (15.7.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @req INNODB-LOCK-105 INNODB-LOCK-107 INNODB-MON-008
 */

/**
 * How many transactions deep the deadlock search follows the wait-for graph from a new waiter.
 * InnoDB bounds its search the same way; a longer chain is treated as a deadlock with the
 * requester as the victim, since waiting behind such a chain is practically never useful and
 * the search must stay cheap. @req INNODB-LOCK-105
 */
export const MAX_DEADLOCK_SEARCH_DEPTH = 200;

/** How many wait-for edges one deadlock search may visit before it gives up in the same way. @req INNODB-LOCK-105 */
export const MAX_DEADLOCK_SEARCH_STEPS = 1_000_000;

/** Rounds of victim selection for one new wait; each round breaks one cycle. @req INNODB-LOCK-105 */
export const MAX_DEADLOCK_ROUNDS = 64;

/**
 * The longest delay a Node.js timer accepts (about 24.8 days). innodb_lock_wait_timeout goes
 * up to 1073741824 seconds; a longer timeout is not armed and the wait then ends only by a
 * grant, a deadlock or the statement's signal. @req INNODB-LOCK-107
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** innodb_lock_wait_timeout's default, in ms, used when a table lock is asked for without wait options. @req INNODB-LOCK-107 */
export const DEFAULT_LOCK_WAIT_TIMEOUT_MS = 50_000;

/**
 * The longest statement text a deadlock report shows for one transaction; InnoDB cuts it at the
 * same length so one huge statement cannot flood the monitor or the error log. @req INNODB-MON-008
 */
export const DEADLOCK_REPORT_MAX_QUERY_CHARS = 3000;

/**
 * The "heap size" figure of a report's lock line. Our locks live in ordinary objects, not in a
 * lock heap; the figure is InnoDB's size of an empty lock heap on 64-bit builds, so that tools
 * parsing the line still find a number there. @req INNODB-MON-008
 */
export const REPORTED_LOCK_HEAP_BYTES = 1136;

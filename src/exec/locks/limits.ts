/**
 * Limits and tunables of the lock subsystem (metadata locks, table locks, LOCK TABLES, the
 * global read lock). Each names the requirement it serves.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-004 CORE-MDL-006 CORE-MDL-007 CORE-MDL-011
 */

/**
 * How deep the deadlock detector follows the wait-for graph from a new waiter. A longer chain
 * is treated as a deadlock, as MySQL does: such chains are practically never benign, and the
 * search must stay bounded. @req CORE-MDL-006
 */
export const MAX_DEADLOCK_SEARCH_DEPTH = 32;

/** Rounds of victim selection for one new wait (each round breaks one cycle). @req CORE-MDL-006 */
export const MAX_DEADLOCK_ROUNDS = 64;

/**
 * Deadlock weights: among the sessions of a cycle the one with the lowest weight is chosen as
 * the victim, so a DML statement gives way to DDL (which has more work to lose). A wait in the
 * GLOBAL namespace, or for SHARED_UPGRADABLE or a stronger type, counts as DDL. @req CORE-MDL-006
 */
export const DEADLOCK_WEIGHT_DML = 10;
export const DEADLOCK_WEIGHT_DDL = 100;
/**
 * A wait for a user-level lock (GET_LOCK) weighs between the two: it gives way to DDL, while a
 * DML statement waiting in the same cycle gives way to it (the application asked for the named
 * lock on purpose). @req CORE-LOCK-014
 */
export const DEADLOCK_WEIGHT_ULL = 50;

/**
 * The longest delay a Node.js timer accepts (about 24.8 days). lock_wait_timeout goes up to a
 * year; longer timeouts are simply not armed (the wait then ends only by its signal). @req CORE-MDL-004
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * How many times a statement opens its tables again because a concurrent DDL changed them
 * while it was waiting for its metadata locks. @req CORE-MDL-007
 */
export const MAX_REOPEN_ATTEMPTS = 20;

/** Table references a statement may expand to (views inside views), a guard against loops. @req CORE-MDL-007 */
export const MAX_OPENED_TABLES = 10_000;

/**
 * performance_schema numbers foreground threads from the connection id plus this offset
 * (background threads come first); metadata_locks.OWNER_THREAD_ID uses the same numbering as
 * performance_schema.threads. @req CORE-MDL-011
 */
export { PS_THREAD_ID_OFFSET } from '../../kernel/thread-ids.js';

/** The first OBJECT_INSTANCE_BEGIN handed out (a plausible address; each ticket adds to it). @req CORE-MDL-011 */
export const FIRST_TICKET_ADDRESS = 139_800_000_000_000n;

/**
 * Lock objects (metadata and table) kept while nobody holds or waits for them, so that a name
 * locked by statement after statement does not build its lock object anew each time. Beyond
 * this many, an idle lock object is dropped as soon as it is idle. @req CORE-MDL-001 CORE-LOCK-001
 */
export const MAX_IDLE_LOCK_OBJECTS = 4096;

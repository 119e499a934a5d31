/**
 * Limits of the event scheduler, each with the requirement it serves.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-event.html (15.1.13)
 * @req CORE-EVT-004 CORE-EVT-006
 */

/** The largest interval an EVERY schedule accepts, counted in the unit's smallest part
 *  (MySQL's EVEX_MAX_INTERVAL_VALUE); more, zero or a negative value is 1542. @req CORE-EVT-004 */
export const EVENT_INTERVAL_MAX = 1_000_000_000;

/** Event names are identifiers: at most 64 characters (1059). @req CORE-EVT-001 */
export const EVENT_NAME_MAX_CHARS = 64;

/** The longest the scheduler sleeps before looking at its queue again, so that a clock step
 *  (or a timer Node fires late) never delays an event by more than this. @req CORE-EVT-006 */
export const SCHEDULER_MAX_SLEEP_MS = 60_000;

/** The latest date a schedule may name: TIMESTAMP's range, which MySQL stores event times in. @req CORE-EVT-004 */
export const EVENT_TIME_MAX_MS = Date.UTC(2038, 0, 19, 3, 14, 7);

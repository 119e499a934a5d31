/**
 * Limits and fixed sets of the trigger subsystem.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-trigger.html
 * @req CORE-TRG-003
 */

/** Schemas whose tables take no triggers (1465). @req CORE-TRG-003 */
export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['mysql']);

/** Fractional-second digits of a trigger's CREATED time as SHOW TRIGGERS and information_schema show it. @req CORE-TRG-005 */
export const CREATED_FSP = 2;

/**
 * Reading system variable values the way InnoDB's observability needs them: numbers from
 * BIGINT or numeric-string values, and ON/OFF switches, with a default when a value is absent.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html
 * @req INNODB-MON-010 INNODB-MON-106
 */
import type { Value } from '../../../kernel/value.js';

/** A numeric variable's value, or `dflt` when it is NULL or not a number. */
export function varNumber(v: Value | undefined, dflt: number): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

/** Whether a boolean variable is ON. */
export function varOn(v: Value | undefined): boolean {
  return v === 1n || v === 1 || v === 'ON' || v === '1';
}

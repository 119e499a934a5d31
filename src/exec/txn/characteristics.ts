/**
 * Transaction characteristics: the isolation level and access mode a transaction runs with.
 * They come from SET TRANSACTION without a scope (the next transaction only), else from the
 * session's transaction_isolation / transaction_read_only; START TRANSACTION READ ONLY / READ
 * WRITE overrides the access mode. A transaction keeps them to its end; COMMIT AND CHAIN hands
 * them to the next one.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-transaction.html (15.3.7)
 * @req CORE-TXN-006 CORE-PERF-032
 */
import type { Value } from '../../kernel/value.js';
import type { IsolationLevel } from '../../storage/handler.js';

export interface Characteristics {
  isolation: IsolationLevel;
  readOnly: boolean;
}

/** SET TRANSACTION without a scope: for the next transaction only. */
export interface NextCharacteristics {
  isolation?: string;
  readOnly?: boolean;
}

const LEVELS: readonly IsolationLevel[] = ['READ-UNCOMMITTED', 'READ-COMMITTED', 'REPEATABLE-READ', 'SERIALIZABLE'];

export function isolationOf(v: Value | undefined): IsolationLevel {
  // The variable holds one of the levels as written here nearly always: no string work then
  // (this runs at the start of every autocommitted statement). @req CORE-PERF-032
  if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v)) return v as IsolationLevel;
  const s = String(v ?? 'REPEATABLE-READ').toUpperCase().replace(/ /g, '-');
  return (LEVELS as readonly string[]).includes(s) ? (s as IsolationLevel) : 'REPEATABLE-READ';
}

export function isOn(v: Value): boolean {
  if (v === null || v === 0n || v === 'OFF') return false;
  if (v === 1n || v === 'ON') return true;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1' || v.toUpperCase() === 'TRUE';
  return Number(v) !== 0;
}

/** The characteristics a transaction starting now gets. @req CORE-TXN-006 */
export function characteristicsFor(next: NextCharacteristics, sysvar: (name: string) => Value, accessMode?: boolean): Characteristics {
  return {
    isolation: isolationOf(next.isolation ?? sysvar('transaction_isolation')),
    readOnly: accessMode ?? next.readOnly ?? isOn(sysvar('transaction_read_only')),
  };
}

/**
 * Conditions inside stored programs: what a handler's condition value matches (an error
 * number, an SQLSTATE, or the classes SQLWARNING / NOT FOUND / SQLEXCEPTION), the SQLSTATE of a
 * condition the diagnostics area holds, and the condition SIGNAL raises with its items.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/declare-handler.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/signal.html
 * @req CORE-SP-012 CORE-SP-015
 */
import { ERRORS, SqlError, type Diagnostic } from '../../kernel/errors.js';
import type { SpConditionValue } from '../../sql/routine-ast.js';

/** A condition as handlers see it. */
export interface SpCondition {
  level: Diagnostic['level'];
  code: number;
  sqlState: string;
  message: string;
  /** SIGNAL's condition information items (CLASS_ORIGIN, TABLE_NAME, ...). */
  items?: Record<string, string>;
}

/** A SqlError raised by SIGNAL / RESIGNAL: it carries its condition items. */
export class SignalError extends SqlError {
  constructor(
    readonly condition: SpCondition,
  ) {
    super(condition.code, condition.sqlState, condition.message);
  }
}

let stateByCode: Map<number, string> | null = null;

/** The SQLSTATE MySQL gives a condition number ('HY000' when the catalogue does not know it). */
export function sqlStateOfCode(code: number): string {
  if (!stateByCode) {
    stateByCode = new Map();
    for (const spec of Object.values(ERRORS)) if (!stateByCode.has(spec.code)) stateByCode.set(spec.code, spec.sqlState);
  }
  return stateByCode.get(code) ?? 'HY000';
}

export function conditionOfError(e: SqlError): SpCondition {
  if (e instanceof SignalError) return e.condition;
  return { level: 'Error', code: e.errno, sqlState: e.sqlState, message: e.message };
}

export function conditionOfDiagnostic(d: Diagnostic): SpCondition {
  const own = d as Diagnostic & { sqlState?: string; items?: Record<string, string> };
  const c: SpCondition = { level: d.level, code: d.code, sqlState: own.sqlState ?? sqlStateOfCode(d.code), message: d.message };
  if (own.items) c.items = own.items;
  return c;
}

/** A condition as a diagnostics-area entry (the SQLSTATE and items ride along). */
export function diagnosticOf(c: SpCondition): Diagnostic {
  const d: Diagnostic & { sqlState: string; items?: Record<string, string> } = { level: c.level, code: c.code, message: c.message, sqlState: c.sqlState };
  if (c.items) d.items = c.items;
  return d;
}

/**
 * How well a handler condition matches: 3 for the error number, 2 for the SQLSTATE, 1 for a
 * class, 0 for no match. The most specific handler of the innermost block wins.
 * @req CORE-SP-012
 */
export function matchScore(v: SpConditionValue, c: SpCondition): number {
  switch (v.kind) {
    case 'errno':
      return v.errno === c.code ? 3 : 0;
    case 'sqlstate':
      return v.sqlstate === c.sqlState ? 2 : 0;
    case 'class': {
      const cls = c.sqlState.slice(0, 2);
      if (v.cls === 'NOT FOUND') return cls === '02' ? 1 : 0;
      if (v.cls === 'SQLWARNING') return cls === '01' || (c.level === 'Warning' && cls !== '02') ? 1 : 0;
      return c.level === 'Error' && cls !== '00' && cls !== '01' && cls !== '02' ? 1 : 0;
    }
  }
}

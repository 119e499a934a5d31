/**
 * Enforcing CHECK constraints on the rows a table receives. The table writer calls
 * {@link RowChecks.verify} with every row it is about to give the engine (INSERT, REPLACE, the
 * update half of INSERT ... ON DUPLICATE KEY UPDATE, UPDATE, CREATE TABLE ... SELECT, the ALTER
 * TABLE copy, LOAD DATA), after defaults, AUTO_INCREMENT values and generated columns are
 * filled, and before the engine sees the row, so a violating row is never written and no
 * duplicate-key handling starts for it.
 *
 * A constraint is violated only when its expression is FALSE: NULL (UNKNOWN) passes. NOT
 * ENFORCED constraints are not evaluated. The violation is error 3819; statements with IGNORE
 * turn it into a warning and skip the row ({@link downgradeCheckViolation}).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-CHECK-001 CORE-CHECK-002 CORE-CHECK-003 CORE-CHECK-004 CORE-CHECK-005
 */
import type { TableDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type Runtime } from '../../sql/eval/index.js';
import { parseExpression } from '../../sql/parser/index.js';
import { toBoolean } from '../../sql/types/convert.js';
import { exprTypeOfColumn } from '../query/column-types.js';

/** Error number of a CHECK constraint violation (ER_CHECK_CONSTRAINT_VIOLATED). */
export const CHECK_VIOLATED_ERRNO = 3819;

interface CompiledCheck {
  name: string;
  expr: CompiledExpr;
}

/** Compiled constraints per table definition (a definition object never changes once built). */
const compiled = new WeakMap<TableDef, CompiledCheck[]>();

/** The table's enforced constraints, compiled over its row layout. @req CORE-CHECK-004 */
function enforcedChecks(def: TableDef): CompiledCheck[] {
  let out = compiled.get(def);
  if (out) return out;
  const scope: CompileScope = {
    resolveColumn(ref) {
      const i = def.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
      if (i < 0) throw sqlError('ER_CHECK_CONSTRAINT_REFERS_UNKNOWN_COLUMN', '', ref.name);
      return { slot: i, type: exprTypeOfColumn(def.columns[i]!) };
    },
    defaultOf(column) {
      const col = def.columns.find((c) => c.name.toLowerCase() === (column ?? '').toLowerCase());
      const v: Value = col?.default ?? null;
      return { eval: () => v, type: col ? exprTypeOfColumn(col) : { kind: 'null', length: 0, decimals: 0, nullable: true } };
    },
  };
  out = (def.checks ?? []).filter((c) => c.enforced).map((c) => ({ name: c.name, expr: compileExpr(parseExpression(c.expr), scope) }));
  compiled.set(def, out);
  return out;
}

/** The constraints a writer checks its rows against, with the runtime they are evaluated in. */
export class RowChecks {
  private rt: Runtime | null = null;

  private constructor(
    private readonly checks: CompiledCheck[],
    private readonly runtime: () => Runtime,
  ) {}

  /** Checks for a table, or null when it has no enforced constraint (the writer's fast path). */
  static forTable(def: TableDef, runtime: (() => Runtime) | undefined): RowChecks | null {
    if (!runtime || !def.checks?.some((c) => c.enforced)) return null;
    const checks = enforcedChecks(def);
    return checks.length > 0 ? new RowChecks(checks, runtime) : null;
  }

  /**
   * 3819 for the first constraint (in the table's order) whose expression is FALSE for `row`.
   * @req CORE-CHECK-001 CORE-CHECK-002
   */
  verify(row: Row): void {
    const rt = (this.rt ??= this.runtime());
    for (const c of this.checks) {
      const v = c.expr.eval(row, rt);
      if (v === null) continue;
      if (toBoolean(v, rt) === false) throw sqlError('ER_CHECK_CONSTRAINT_VIOLATED', c.name);
    }
  }
}

/**
 * IGNORE: a CHECK violation becomes warning 3819 and the row is skipped (true); any other
 * error is not this function's (false). @req CORE-CHECK-003
 */
export function downgradeCheckViolation(warn: (level: 'Warning', errno: number, message: string) => void, e: unknown): boolean {
  if (!(e instanceof SqlError) || e.errno !== CHECK_VIOLATED_ERRNO) return false;
  warn('Warning', e.errno, e.message);
  return true;
}

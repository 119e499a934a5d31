/**
 * The DDL rules of CHECK constraints (CREATE TABLE, ALTER TABLE ... ADD): names (generated
 * `<table>_chk_<n>` for unnamed ones, numbered after the highest generated number the table
 * keeps; 3822 for a name used twice; 1059 for a name too long), and what an expression may
 * contain: a column-level constraint names only its own column (3813); no non-deterministic
 * or stored function (3814), subquery or parameter (3815), user or system variable (3816), row
 * value (3817), AUTO_INCREMENT column (3818) or unknown column (3820); the expression must be
 * a predicate (3812); and a column a foreign key changes by a referential action (CASCADE,
 * SET NULL, SET DEFAULT) may not be used (3823).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-CHECK-010 CORE-CHECK-011 CORE-CHECK-012 CORE-CHECK-013 CORE-CHECK-014 CORE-CHECK-015 CORE-CHECK-016 CORE-CHECK-020
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { CheckConstraintDefinition, Expr } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { walkExpr } from '../../sql/walk.js';
import { FUNCTIONS } from '../../sql/eval/functions/registry.js';
import { generatedCheckName, generatedCheckNumber } from '../../catalog/check-constraint-names.js';
import { MAX_IDENTIFIER_LENGTH } from '../../catalog/limits.js';
import { DISALLOWED_CHECK_FUNCTIONS, PREDICATE_FUNCTIONS, REFERENTIAL_ACTIONS } from './limits.js';

/** A CHECK constraint as the dictionary keeps it. */
export type StoredCheck = NonNullable<TableDef['checks']>[number];

/** The name MySQL reports for a disallowed built-in function, or null when it is allowed. */
function disallowedName(name: string, argCount: number): string | null {
  const upper = name.toUpperCase();
  // UNIX_TIMESTAMP(expr) is deterministic; only the form without an argument reads the clock.
  if (upper === 'UNIX_TIMESTAMP' && argCount > 0) return null;
  return DISALLOWED_CHECK_FUNCTIONS[upper] ?? null;
}

/** Whether an expression is a predicate (MySQL's boolean functions): what a constraint must be. @req CORE-CHECK-013 */
export function isPredicate(e: Expr): boolean {
  switch (e.type) {
    case 'in':
    case 'between':
    case 'like':
    case 'is':
    case 'exists':
      return true;
    case 'literal':
      return e.kind === 'bool';
    case 'unary':
      return e.op === 'NOT' || e.op === '!';
    case 'binary':
      return ['=', '<=>', '<>', '!=', '<', '<=', '>', '>=', 'AND', '&&', 'OR', '||', 'XOR', 'REGEXP', 'NOT REGEXP', 'SOUNDS LIKE'].includes(e.op);
    case 'func':
      return PREDICATE_FUNCTIONS.has(e.name.toUpperCase());
    default:
      return false;
  }
}

/**
 * The expression rules for one constraint over the table's final columns (the order of the
 * errors when several apply follows MySQL: what the expression contains first, then columns).
 * @req CORE-CHECK-011 CORE-CHECK-012 CORE-CHECK-013 CORE-CHECK-014
 */
export function validateCheckExpression(name: string, c: CheckConstraintDefinition, columns: readonly ColumnDef[]): void {
  const e = c.expr;
  if (e.type === 'row') throw sqlError('ER_CHECK_CONSTRAINT_ROW_VALUE', name);
  const refs: string[] = [];
  walkExpr(e, (x) => {
    switch (x.type) {
      case 'subquery':
      case 'exists':
      case 'param':
      case 'aggregate':
      case 'window':
        throw sqlError('ER_CHECK_CONSTRAINT_FUNCTION_IS_NOT_ALLOWED', name);
      case 'in':
        if (x.subquery) throw sqlError('ER_CHECK_CONSTRAINT_FUNCTION_IS_NOT_ALLOWED', name);
        return true;
      case 'binary':
        if (x.quantifier !== undefined || x.op === ':=') throw sqlError('ER_CHECK_CONSTRAINT_FUNCTION_IS_NOT_ALLOWED', name);
        return true;
      case 'uservar':
      case 'sysvar':
        throw sqlError('ER_CHECK_CONSTRAINT_VARIABLES', name);
      case 'func': {
        // A function that is not built in is a stored function: never deterministic enough.
        if (x.schema !== undefined || !FUNCTIONS.has(x.name.toUpperCase())) {
          throw sqlError('ER_CHECK_CONSTRAINT_NAMED_FUNCTION_IS_NOT_ALLOWED', name, '`' + x.name.toLowerCase() + '`');
        }
        const banned = disallowedName(x.name, x.args.length);
        if (banned !== null) throw sqlError('ER_CHECK_CONSTRAINT_NAMED_FUNCTION_IS_NOT_ALLOWED', name, banned);
        return true;
      }
      case 'column':
        refs.push(x.name);
        return true;
      case 'default':
        if (x.column !== undefined) refs.push(x.column);
        return true;
      default:
        return true;
    }
  });
  if (c.column !== undefined && refs.some((r) => r.toLowerCase() !== c.column!.toLowerCase())) {
    throw sqlError('ER_COLUMN_CHECK_CONSTRAINT_REFERENCES_OTHER_COLUMN', name);
  }
  for (const r of refs) {
    if (!columns.some((col) => col.name.toLowerCase() === r.toLowerCase())) throw sqlError('ER_CHECK_CONSTRAINT_REFERS_UNKNOWN_COLUMN', name, r);
  }
  if (!isPredicate(e)) throw sqlError('ER_NON_BOOLEAN_EXPR_FOR_CHECK_CONSTRAINT', name);
  for (const r of refs) {
    const col = columns.find((x) => x.name.toLowerCase() === r.toLowerCase());
    if (col?.autoIncrement) throw sqlError('ER_CHECK_CONSTRAINT_REFERS_AUTO_INCREMENT_COLUMN', name);
  }
}

/** The columns (lower-case) an expression stored as text refers to. */
export function referencedColumns(e: Expr): Set<string> {
  const out = new Set<string>();
  walkExpr(e, (x) => {
    if (x.type === 'column') out.add(x.name.toLowerCase());
    if (x.type === 'default' && x.column !== undefined) out.add(x.column.toLowerCase());
    return true;
  });
  return out;
}

/**
 * Name and validate the constraints `added` to a table that keeps `kept`: unnamed ones are
 * numbered after the highest generated number among `kept` (for CREATE TABLE, from 1).
 * Returns kept + added as the dictionary stores them (the expression as written).
 * @req CORE-CHECK-010 CORE-CHECK-020
 */
export function addChecks(table: string, kept: readonly StoredCheck[], added: readonly CheckConstraintDefinition[], columns: readonly ColumnDef[]): StoredCheck[] {
  let next = 0;
  for (const k of kept) next = Math.max(next, generatedCheckNumber(table, k.name) ?? 0);
  const named = added.map((c) => {
    if (c.name !== undefined && [...c.name].length > MAX_IDENTIFIER_LENGTH) throw sqlError('ER_TOO_LONG_IDENT', c.name);
    return { c, name: c.name ?? generatedCheckName(table, ++next) };
  });
  const seen = new Set(kept.map((k) => k.name.toLowerCase()));
  for (const { name } of named) {
    if (seen.has(name.toLowerCase())) throw sqlError('ER_CHECK_CONSTRAINT_DUP_NAME', name);
    seen.add(name.toLowerCase());
  }
  for (const { c, name } of named) validateCheckExpression(name, c, columns);
  return [...kept, ...named.map(({ c, name }) => ({ name, expr: c.text, enforced: c.enforced }))];
}

/**
 * 3823: a column that a foreign key changes by a referential action may not be used by a
 * constraint. @req CORE-CHECK-016
 */
export function checkReferentialActionColumns(def: TableDef, parse: (text: string) => Expr): void {
  if (!def.checks?.length || !def.foreignKeys?.length) return;
  for (const ck of def.checks) {
    const used = referencedColumns(parse(ck.expr));
    for (const fk of def.foreignKeys) {
      if (!REFERENTIAL_ACTIONS.has(fk.onDelete) && !REFERENTIAL_ACTIONS.has(fk.onUpdate)) continue;
      for (const pos of fk.columns) {
        const col = def.columns[pos];
        if (col && used.has(col.name.toLowerCase())) throw sqlError('ER_CHECK_CONSTRAINT_CLAUSE_USING_FK_REFER_ACTION_COLUMN', col.name, ck.name, fk.name);
      }
    }
  }
}

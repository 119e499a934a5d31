/**
 * Small helpers of the query compiler: conjunct splitting, aggregate detection, type merging of
 * set operations, view qualification, column names of unaliased literals.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-037 CORE-EXEC-062
 */
import type { Expr, SelectStatement } from '../../../sql/ast.js';
import { walkExpr } from '../../../sql/walk.js';
import { sqlError } from '../../../kernel/errors.js';
import type { ExprType } from '../../../sql/eval/index.js';
import type { ResultColumn } from '../../../kernel/column-type.js';
import { resultColumnOf } from '../column-types.js';
import type { Scope } from '../scope.js';
import type { OutColumn } from '../plan/types.js';
import { MAX_ALIAS_NAME } from '../../limits.js';

export function containsAggregate(e: Expr | undefined): boolean {
  if (!e) return false;
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'aggregate' && !x.over) {
      found = true;
      return false;
    }
    return !found;
  });
  return found;
}

export function splitConjuncts(e: Expr | undefined, out: Expr[]): Expr[] {
  if (!e) return out;
  if (e.type === 'binary' && (e.op === 'AND' || e.op === '&&')) {
    splitConjuncts(e.left, out);
    splitConjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/** An integer literal's value (ORDER BY 2, GROUP BY 1), else null. */
export function literalInt(e: Expr): number | null {
  if (e.type === 'literal' && e.kind === 'int' && typeof e.value === 'string') return Number(e.value);
  return null;
}

/** The type of a result column fed by two operands (set operations, VALUES rows). */
export function mergeTypes(a: ExprType, b: ExprType): ExprType {
  const nullable = a.nullable || b.nullable;
  if (a.kind === 'null') return { ...b, nullable: true };
  if (b.kind === 'null') return { ...a, nullable: true };
  if (a.kind === b.kind) {
    const t: ExprType = { ...a, nullable, length: Math.max(a.length, b.length), decimals: Math.max(a.decimals, b.decimals) };
    if (a.mysqlType !== b.mysqlType) delete t.mysqlType;
    if (a.kind === 'temporal' && a.temporal !== b.temporal) {
      t.temporal = 'DATETIME';
      delete t.mysqlType;
    }
    delete t.flags;
    return t;
  }
  const numeric = (k: string) => k === 'int' || k === 'decimal' || k === 'double';
  if (numeric(a.kind) && numeric(b.kind)) {
    const kind = a.kind === 'double' || b.kind === 'double' ? 'double' : 'decimal';
    return { kind, nullable, length: Math.max(a.length, b.length) + 2, decimals: kind === 'double' ? 31 : Math.max(a.decimals, b.decimals) };
  }
  return { kind: 'string', collation: a.collation ?? b.collation ?? 'utf8mb4_0900_ai_ci', binary: !!(a.binary && b.binary), nullable, length: Math.max(a.length, b.length), decimals: 0 };
}

/** A copy of a view's query whose unqualified table names are qualified with `schema`. */
export function qualify(stmt: SelectStatement, schema: string): SelectStatement {
  const clone = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) return v.map(clone);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = clone(x);
    return o;
  };
  const copy = clone(stmt) as SelectStatement;
  const ctes = new Set((copy.with?.ctes ?? []).map((c) => c.name.toLowerCase()));
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const o = n as Record<string, unknown>;
    if (o.type === 'table' && o.table && typeof o.table === 'object') {
      const t = o.table as { schema?: string; name: string };
      if (t.schema === undefined && !ctes.has(t.name.toLowerCase())) t.schema = schema;
    }
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(copy);
  return copy;
}

/** Derived tables and CTEs need distinct column names (1060). */
export function checkDistinctNames(names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) throw sqlError('ER_DUP_FIELDNAME', n);
    seen.add(k);
  }
}

export function exprName(e: Expr): string {
  if (e.type === 'aggregate') return e.name;
  return e.type;
}

export function noteGroupColumn(e: Expr, scope: Scope, slots: Set<number>): void {
  if (e.type !== 'column') return;
  const r = scope.lookup(e);
  if (r && r !== 'ambiguous') slots.add(r.slot);
}

/** A select-list expression that is itself one of the GROUP BY expressions (compared structurally). */
export function isGroupExpr(e: Expr, groupBy: Expr[] | undefined): boolean {
  if (!groupBy) return false;
  const s = JSON.stringify(e);
  return groupBy.some((g) => JSON.stringify(g) === s);
}

/**
 * The name of an unaliased, non-column select item: a string literal's text (see
 * literalColumnName) or the item's text as written, cut to MAX_ALIAS_NAME characters.
 * @req CORE-DIAG-010 CORE-DIAG-011
 */
export function autoColumnName(e: Expr, text: string): string {
  const name = literalColumnName(e) ?? text;
  return name.length > MAX_ALIAS_NAME ? [...name].slice(0, MAX_ALIAS_NAME).join('') : name;
}

/**
 * MySQL names an unaliased string-literal column by the string's value (`SELECT 'hello'` is
 * column `hello`, `_utf8mb4'x'` is `x`); numbers, NULL, hex and temporal literals keep their
 * source text. undefined when the expression is not such a literal.
 * @req CORE-EXEC-062
 */
export function literalColumnName(e: Expr): string | undefined {
  if (e.type !== 'literal') return undefined;
  // NULL is named `NULL` however it was written. @req CORE-DIAG-010
  if (e.kind === 'null') return 'NULL';
  if (e.kind !== 'string') return undefined;
  if (e.heading !== undefined) return e.heading;
  if (typeof e.value === 'string') return e.value;
  if (Buffer.isBuffer(e.value)) return e.value.toString('latin1');
  return undefined;
}

/** Result-set metadata of compiled columns. */
export function resultColumns(cols: OutColumn[]): ResultColumn[] {
  return cols.map((c) => resultColumnOf(c.type, c.name, c.origin));
}

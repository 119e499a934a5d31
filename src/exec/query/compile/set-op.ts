/**
 * Set operations (UNION, INTERSECT, EXCEPT with ALL / DISTINCT), `VALUES ROW(...)` as a query,
 * and the ORDER BY / LIMIT that apply to a whole result (ordinals and result column names).
 *
 * Each operand's rows are converted to the merged column types (an INT operand under a DECIMAL
 * result column reads 1.0, a DATE under DATETIME reads 2020-01-01 00:00:00), as MySQL stores
 * them in the result's temporary table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-operations.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/values.html
 * @req CORE-EXEC-037
 */
import type { Expr, OrderItem, SelectCore, SetOperation } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr, enumAsNumber, type CompiledExpr, type ExprType, type Runtime } from '../../../sql/eval/index.js';
import { coerceToType } from '../../../sql/eval/type-rules.js';
import type { Row, Value } from '../../../kernel/value.js';
import { Scope, type Source } from '../scope.js';
import type { CompiledQuery, LimitPlan, OutColumn, RunStats } from '../plan/types.js';
import { limitsOf, OutputStage } from '../run/output.js';
import { runSetOp, through, type ResultOrder, type SetOpPlan } from '../run/set-op.js';
import { Pause, type RowGen } from '../run/pause.js';
import { meterOf } from '../run/context.js';
import type { QueryCompiler } from './compiler.js';
import { literalInt, mergeTypes } from './util.js';

export function compileSetOp(qc: QueryCompiler, q: SetOperation, outer: Scope | null): CompiledQuery {
  const left = qc.compileQueryExpr(q.left, outer);
  const right = qc.compileQueryExpr(q.right, outer);
  if (left.columns.length !== right.columns.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
  const columns: OutColumn[] = left.columns.map((c, i) => ({ name: c.name, type: mergeTypes(c.type, right.columns[i]!.type) }));
  const plan: SetOpPlan = {
    op: q.op,
    all: q.all,
    left: toResultTypes(left, columns),
    right: toResultTypes(right, columns),
    collations: columns.map((c) => c.type.collation),
    order: compileResultOrder(qc, q.orderBy, columns),
    limit: compileLimit(qc, q.limit),
  };
  const compiled: CompiledQuery = {
    columns,
    correlated: left.correlated || right.correlated,
    run: (outerRow, rt, canWait, stats) => runSetOp(plan, outerRow, rt, canWait, stats),
    shape: { kind: 'setop', plan },
  };
  if (left.hasAsync || right.hasAsync) compiled.hasAsync = true;
  return compiled;
}

/** Whether a value of type `from` must be converted to read as type `to`. */
function needsConversion(from: ExprType, to: ExprType): boolean {
  if (to.dynamic || from.kind === 'null') return false;
  if (from.kind !== to.kind) return true;
  if (to.kind === 'decimal') return from.decimals !== to.decimals;
  if (to.kind === 'temporal') return from.temporal !== to.temporal;
  if (to.kind === 'string') return !!from.binary !== !!to.binary;
  return false;
}

/**
 * An operand whose rows come out in the result's column types.
 * @req CORE-EXEC-037
 */
function toResultTypes(q: CompiledQuery, columns: OutColumn[]): CompiledQuery {
  const idx = q.columns.flatMap((c, i) => (needsConversion(c.type, columns[i]!.type) ? [i] : []));
  if (idx.length === 0) return q;
  return {
    ...q,
    *run(outer, rt, canWait, stats): RowGen {
      for (const step of q.run(outer, rt, canWait, stats)) {
        if (step instanceof Pause) {
          yield step;
          continue;
        }
        const row = step.slice();
        for (const i of idx) row[i] = coerceToType(row[i] ?? null, columns[i]!.type);
        yield row;
      }
    },
  };
}

/** ORDER BY over a result: ordinals and result column names. */
export function compileResultOrder(qc: QueryCompiler, orderBy: OrderItem[] | undefined, columns: OutColumn[]): ResultOrder | null {
  if (!orderBy || orderBy.length === 0) return null;
  const src: Source = {
    index: 0,
    alias: '',
    schema: '',
    orgTable: '',
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    base: 0,
    hidden: new Set(),
    merged: new Map(),
    nullable: false,
  };
  const scope = new Scope([src], null, {}, qc.session.schema);
  scope.clause = 'order clause';
  const exprs: CompiledExpr[] = [];
  for (const o of orderBy) {
    const ord = literalInt(o.expr);
    if (ord !== null) {
      if (ord < 1 || ord > columns.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'order clause');
      const type = columns[ord - 1]!.type;
      exprs.push(enumAsNumber({ eval: (row) => row[ord - 1]!, type, ...(type.enumMembers ? { enumColumn: true } : {}) }));
    } else {
      // The result of a set operation has no tables: `ORDER BY t1.a` names a table of one of
      // its blocks, which MySQL refuses with 1250. @req CORE-EXEC-078
      if (o.expr.type === 'column' && o.expr.table !== undefined) throw sqlError('ER_TABLENAME_NOT_ALLOWED_HERE', o.expr.table, 'global ORDER clause');
      const e = o.expr;
      exprs.push(enumAsNumber(compileExpr(e as Expr, scope)));
    }
  }
  return { exprs, desc: orderBy.map((o) => o.desc), collations: exprs.map((e) => e.type.collation) };
}

export function compileLimit(qc: QueryCompiler, l: SelectCore['limit']): LimitPlan | null {
  if (!l) return null;
  const scope = new Scope([], null, {}, qc.session.schema);
  return { count: compileExpr(l.count, scope), offset: l.offset ? compileExpr(l.offset, scope) : null };
}

/** `VALUES ROW(...), ROW(...)` as a query. */
export function compileValues(qc: QueryCompiler, c: SelectCore, outer: Scope | null): CompiledQuery {
  const scope = new Scope([], outer, { subquery: (sc, e) => qc.compileSubquery(sc, e) }, qc.session.schema);
  const rows = c.valuesRows!.map((r) => r.map((e) => compileExpr(e, scope)));
  const n = rows[0]?.length ?? 0;
  for (const r of rows) if (r.length !== n) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', 1);
  const columns: OutColumn[] = [];
  for (let i = 0; i < n; i++) {
    let t = rows[0]![i]!.type;
    for (const r of rows) t = mergeTypes(t, r[i]!.type);
    columns.push({ name: `column_${i}`, type: t });
  }
  const order = compileResultOrder(qc, c.orderBy, columns);
  const limit = compileLimit(qc, c.limit);
  return {
    columns,
    correlated: scope.outerRefs.length > 0,
    run: (outerRow, rt, canWait, stats) => runValues(scope, rows, order, limit, outerRow, rt, canWait, stats),
    shape: { kind: 'values', rows: rows.length },
  };
}

function* runValues(scope: Scope, rows: CompiledExpr[][], order: ResultOrder | null, limit: LimitPlan | null, outerRow: Row, rt: Runtime, canWait: boolean, stats?: RunStats): RowGen {
  const buf: Row = new Array<Value>(scope.width).fill(null);
  for (const r of scope.outerRefs) buf[r.innerSlot] = outerRow[r.outerSlot] ?? null;
  const { offset, count } = limitsOf(limit, rt);
  const out = new OutputStage(offset, count, order, false, null);
  if (!out.done) {
    yield* through(rows.map((r) => r.map((e) => e.eval(buf, rt))), out, order, rt);
    yield* out.finish(meterOf(rt), canWait);
  }
  if (stats) stats.found = out.found;
}

/**
 * Subqueries inside expressions: scalar subqueries, EXISTS and IN (SELECT ...). They run
 * synchronously, within the evaluation of the expression: their cursors are opened with
 * `canWait: false` (an engine must then answer at once) and drained on the spot. An
 * uncorrelated subquery is materialised once per execution; a correlated one runs again for each
 * outer row, and stops as soon as its answer is known (EXISTS after one row, a scalar subquery
 * after two). A subquery whose select list is asynchronous (SLEEP) is an asynchronous
 * expression instead, awaited like SLEEP itself.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/subqueries.html
 * @req CORE-EXEC-036 CORE-CONC-001
 */
import type { ExistsExpr, InExpr, SubqueryExpr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { asyncExpr, compileExpr, type CompiledExpr, type ExprType, type Runtime } from '../../../sql/eval/index.js';
import type { Row, Value } from '../../../kernel/value.js';
import { rejectLimitInQuantified } from '../../rewrite.js';
import { compareValues } from '../compare.js';
import type { Scope } from '../scope.js';
import type { CompiledQuery } from '../plan/types.js';
import { Pause, type RowGen } from '../run/pause.js';
import { drainSync } from '../run/stream.js';
import type { QueryCompiler } from './compiler.js';

const INT_TYPE: ExprType = { kind: 'int', length: 1, decimals: 0, nullable: false };

/** A subquery's answer from its rows: how many rows it needs (-1: all) and the value. */
interface Answer {
  need: number;
  value(rows: Row[], row: Row, rt: Runtime): Value;
  type: ExprType;
}

export function compileSubquery(qc: QueryCompiler, scope: Scope, e: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr {
  const stmt = e.type === 'subquery' ? e.query : e.type === 'exists' ? e.subquery : e.subquery!;
  if (e.type === 'in') rejectLimitInQuantified(stmt);
  const q = qc.reentrantly(() => qc.compileSelect(stmt, scope));
  const answer = answerOf(e, q, scope);
  // EXPLAIN shows the subqueries of a block under it. @req CORE-EXPLAIN-003
  scope.subqueries.push({ query: q, where: scope.clause === 'field list' || scope.clause === 'order clause' ? 'projection' : 'condition' });
  if (q.hasAsync) return asyncSubquery(q, answer);
  const cache = new WeakMap<Runtime, Row[]>();
  const rowsOf = (row: Row, rt: Runtime): Row[] => {
    if (q.correlated) return drainSync(q.run(row, rt, false), rt, answer.need);
    let r = cache.get(rt);
    if (!r) cache.set(rt, (r = drainSync(q.run(row, rt, false), rt)));
    return r;
  };
  return { eval: (row, rt) => answer.value(rowsOf(row, rt), row, rt), type: answer.type };
}

function answerOf(e: SubqueryExpr | ExistsExpr | InExpr, q: CompiledQuery, scope: Scope): Answer {
  if (e.type === 'exists') {
    const not = e.not;
    return { need: 1, value: (rows) => ((rows.length > 0) !== not ? 1n : 0n), type: INT_TYPE };
  }
  if (e.type === 'subquery') {
    // A row subquery is only meaningful in row comparisons, which the evaluator handles via RowExpr.
    if (q.columns.length !== 1) throw sqlError('ER_OPERAND_COLUMNS', 1);
    return {
      need: 2,
      value: (rows) => {
        if (rows.length > 1) throw sqlError('ER_SUBQUERY_NO_1_ROW');
        return rows.length ? rows[0]![0]! : null;
      },
      type: { ...q.columns[0]!.type, nullable: true },
    };
  }
  return inAnswer(e, q, scope);
}

/** `expr [NOT] IN (SELECT ...)` with SQL's NULL rules. */
function inAnswer(e: InExpr, q: CompiledQuery, scope: Scope): Answer {
  const leftExprs = e.expr.type === 'row' ? e.expr.items.map((x) => compileExpr(x, scope)) : [compileExpr(e.expr, scope)];
  if (leftExprs.length !== q.columns.length) throw sqlError('ER_OPERAND_COLUMNS', leftExprs.length);
  const not = e.not;
  const colls = q.columns.map((c, i) => c.type.collation ?? leftExprs[i]!.type.collation);
  const n = leftExprs.length;
  const value = (rows: Row[], row: Row, rt: Runtime): Value => {
    if (rows.length === 0) return not ? 1n : 0n;
    const lv = leftExprs.map((x) => x.eval(row, rt));
    let sawNull = lv.some((v) => v === null);
    if (!sawNull) {
      for (const r of rows) {
        let eq = true;
        let rowNull = false;
        for (let i = 0; i < n; i++) {
          const rv = r[i]!;
          if (rv === null) {
            rowNull = true;
            eq = false;
            continue;
          }
          if (compareValues(lv[i]!, rv, colls[i]) !== 0) {
            eq = false;
            break;
          }
        }
        if (eq && !rowNull) return not ? 0n : 1n;
        if (rowNull) sawNull = true;
      }
    }
    if (sawNull) return null;
    return not ? 1n : 0n;
  };
  return { need: -1, value, type: { ...INT_TYPE, nullable: true } };
}

/** A subquery with an asynchronous select list: an asynchronous expression. */
function asyncSubquery(q: CompiledQuery, answer: Answer): CompiledExpr {
  const evalAsync = async (row: Row, rt: Runtime): Promise<Value> => answer.value(await drainWaiting(q.run(row, rt, true), rt, answer.need), row, rt);
  return asyncExpr(answer.type, evalAsync);
}

/** Drain a pipeline, awaiting its waits (inside an asynchronous expression). */
async function drainWaiting(gen: RowGen, rt: Runtime, limit: number): Promise<Row[]> {
  const out: Row[] = [];
  try {
    for (;;) {
      if (out.length === limit) break;
      const r = gen.next();
      if (r.done) break;
      const v = r.value;
      if (!(v instanceof Pause)) {
        out.push(v);
        continue;
      }
      if (v.wait) v.result = await v.wait;
      const stop = rt.signal?.reason;
      if (stop && v.recheck) throw stop;
    }
  } finally {
    gen.return(undefined);
  }
  return out;
}

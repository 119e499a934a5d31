/**
 * Walking an expression tree: the one traversal the executor's analyses (table collection,
 * dependency and aggregate checks) share.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/expressions.html
 * @req CORE-EXEC-030
 */
import type { Expr } from './ast.js';

/** Visit an expression tree (not descending into subqueries). `f` returns false to skip children. */
export function walkExpr(e: Expr, f: (e: Expr) => boolean): void {
  if (!f(e)) return;
  switch (e.type) {
    case 'unary':
      walkExpr(e.operand, f);
      return;
    case 'binary':
      walkExpr(e.left, f);
      walkExpr(e.right, f);
      return;
    case 'func':
      for (const a of e.args) walkExpr(a, f);
      return;
    case 'aggregate':
      for (const a of e.args) walkExpr(a, f);
      for (const o of e.orderBy ?? []) walkExpr(o.expr, f);
      return;
    case 'window':
      for (const a of e.args) walkExpr(a, f);
      return;
    case 'case':
      if (e.operand) walkExpr(e.operand, f);
      for (const w of e.whens) {
        walkExpr(w.when, f);
        walkExpr(w.then, f);
      }
      if (e.else) walkExpr(e.else, f);
      return;
    case 'cast':
    case 'convert_using':
    case 'collate':
      walkExpr(e.expr, f);
      return;
    case 'in':
      walkExpr(e.expr, f);
      for (const x of e.list ?? []) walkExpr(x, f);
      return;
    case 'between':
      walkExpr(e.expr, f);
      walkExpr(e.low, f);
      walkExpr(e.high, f);
      return;
    case 'like':
      walkExpr(e.expr, f);
      walkExpr(e.pattern, f);
      if (e.escape) walkExpr(e.escape, f);
      return;
    case 'is':
      walkExpr(e.expr, f);
      return;
    case 'row':
      for (const x of e.items) walkExpr(x, f);
      return;
    case 'interval':
      walkExpr(e.value, f);
      return;
    case 'match':
      walkExpr(e.against, f);
      return;
    default:
      return;
  }
}


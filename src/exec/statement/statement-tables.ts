/**
 * The tables a statement names: in its FROM clauses, joins, derived tables, CTEs and the
 * subqueries of every clause. Views are expanded later, when they are opened.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030
 */
import type { Expr, QueryExpr, SelectStatement, TableRef } from '../../sql/ast.js';
import { walkExpr } from '../../sql/walk.js';

export function collectTablesOfSelect(s: SelectStatement, out: { schema?: string; name: string }[]): void {
  if (s.with) for (const c of s.with.ctes) collectTablesOfSelect(c.query, out);
  collectTablesOfQuery(s.query, out);
}

export function collectTablesOfQuery(q: QueryExpr, out: { schema?: string; name: string }[]): void {
  if (q.type === 'set_op') {
    collectTablesOfQuery(q.left, out);
    collectTablesOfQuery(q.right, out);
    return;
  }
  for (const f of q.from) collectTablesOfRef(f, out);
  for (const it of q.items) collectTablesOfExpr(it.expr, out);
  if (q.where) collectTablesOfExpr(q.where, out);
  if (q.having) collectTablesOfExpr(q.having, out);
  for (const o of q.orderBy ?? []) collectTablesOfExpr(o.expr, out);
  for (const g of q.groupBy ?? []) collectTablesOfExpr(g, out);
}

export function collectTablesOfRef(r: TableRef, out: { schema?: string; name: string }[]): void {
  switch (r.type) {
    case 'table':
      out.push(r.table);
      return;
    case 'derived':
      collectTablesOfSelect(r.query, out);
      return;
    case 'join':
      collectTablesOfRef(r.left, out);
      collectTablesOfRef(r.right, out);
      if (r.on) collectTablesOfExpr(r.on, out);
      return;
    case 'json_table': // @req CORE-FN-033
      collectTablesOfExpr(r.expr, out);
      return;
    default:
      return;
  }
}

/** Walk an expression for subqueries. */
export function collectTablesOfExpr(e: Expr | undefined, out: { schema?: string; name: string }[]): void {
  if (!e) return;
  walkExpr(e, (x) => {
    if (x.type === 'subquery') collectTablesOfSelect(x.query, out);
    else if (x.type === 'exists') collectTablesOfSelect(x.subquery, out);
    else if (x.type === 'in' && x.subquery) collectTablesOfSelect(x.subquery, out);
    return true;
  });
}


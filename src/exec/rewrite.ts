/**
 * Statement rewrites done once before execution. Quantified comparisons with a subquery
 * (`x > ANY (SELECT ...)`, `x <> ALL (...)`) become IN / EXISTS forms that the query engine
 * runs directly.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/any-in-some-subqueries.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/all-subqueries.html
 * @req CORE-EXEC-036 CORE-EXEC-063
 */
import type { BinaryExpr, Expr, QueryExpr, SelectStatement, Statement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';

const done = new WeakSet<object>();

function quantified(e: BinaryExpr): Expr | null {
  if (!e.quantifier || e.right.type !== 'subquery') return null;
  const sub = e.right.query;
  rejectLimitInQuantified(sub);
  const any = e.quantifier !== 'ALL';
  if (any && e.op === '=') return { type: 'in', expr: e.left, subquery: sub, not: false };
  if (!any && (e.op === '<>' || e.op === '!=')) return { type: 'in', expr: e.left, subquery: sub, not: true };
  const col: Expr = { type: 'column', table: '__q', name: '__c' };
  const cmp: Expr = { type: 'binary', op: e.op, left: e.left, right: col };
  let where: Expr;
  if (any) where = cmp;
  else {
    where = {
      type: 'binary',
      op: 'OR',
      left: { type: 'binary', op: 'OR', left: { type: 'unary', op: 'NOT', operand: cmp }, right: { type: 'is', expr: col, test: 'NULL', not: false } },
      right: { type: 'is', expr: e.left, test: 'NULL', not: false },
    };
  }
  const inner: SelectStatement = {
    kind: 'select',
    query: {
      type: 'select_core',
      distinct: false,
      items: [{ expr: { type: 'literal', kind: 'int', value: '1' }, text: '1' }],
      from: [{ type: 'derived', query: sub, alias: '__q', columnAliases: ['__c'] }],
      where,
    },
  };
  return { type: 'exists', subquery: inner, not: !any };
}

/** Rewrite in place (idempotent). */
export function rewriteStatement(stmt: Statement): void {
  if (done.has(stmt)) return;
  if (stmt.kind === 'insert' && stmt.values) {
    // Large VALUES lists hold no quantified comparisons worth the walk; rewrite the rest.
    visit(stmt.onDuplicate);
    visit(stmt.select);
    visit(stmt.set);
  } else visit(stmt);
  done.add(stmt);
}

function visit(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Buffer.isBuffer(node)) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v = node[i] as unknown;
      const r = replace(v);
      if (r) node[i] = r;
      visit(node[i]);
    }
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const r = replace(v);
    if (r) obj[k] = r;
    visit(obj[k]);
  }
}

function replace(v: unknown): Expr | null {
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'binary' && (v as BinaryExpr).quantifier) {
    return quantified(v as BinaryExpr);
  }
  return null;
}

/**
 * MySQL 8.0 cannot run IN / ALL / ANY / SOME over a subquery whose own query blocks carry a
 * LIMIT (a LIMIT inside a derived table of the subquery is fine): error 1235.
 * @req CORE-EXEC-063
 */
export function rejectLimitInQuantified(stmt: SelectStatement): void {
  const walk = (q: QueryExpr): boolean => (q.limit !== undefined ? true : q.type === 'set_op' ? walk(q.left) || walk(q.right) : false);
  if (walk(stmt.query)) throw sqlError('ER_NOT_SUPPORTED_YET', 'LIMIT & IN/ALL/ANY/SOME subquery');
}

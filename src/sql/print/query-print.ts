/**
 * A view's SELECT in the form MySQL 8.0 prints it (SHOW CREATE VIEW, information_schema.VIEWS):
 * every column qualified by its table (`t`.`a`), `*` expanded, every select item named
 * (`... AS `a``), joins in parentheses with their condition (`(`t1` join `t2` on((...)))`),
 * expressions in the printed form of expr-print.ts, keywords in lower case. The information_schema
 * form also qualifies tables and columns by schema; SHOW CREATE VIEW names the schema only of
 * tables outside the view's own.
 *
 * Only query blocks over base tables and views are printed (no derived tables, set operations,
 * WITH, subqueries, window functions, NATURAL or USING joins): for others the printer answers
 * null and the view keeps the text as written.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-view.html
 * @req CORE-CHECK-033
 */
import type { ColumnRef, Expr, OrderItem, SelectCore, SelectStatement, TableRef } from '../ast.js';
import { walkExpr } from '../walk.js';
import { printExpr, quoteIdentifier } from './expr-print.js';

/** What the printer needs to know of the view's tables. */
export interface QueryPrintContext {
  /** The view's schema, also the schema of unqualified table names. */
  schema: string;
  /** Column names of a table or view, or undefined when it does not exist. */
  columnsOf(schema: string, table: string): readonly { name: string; invisible?: boolean }[] | undefined;
  /** The names of the query's result columns, in order (the view's column names). */
  resultNames: readonly string[];
}

interface Source {
  schema: string;
  table: string;
  alias: string | undefined;
  columns: readonly string[];
  /** The columns `*` stands for (the visible ones). */
  star: readonly string[];
}

class Unprintable extends Error {}

function fail(): never {
  throw new Unprintable();
}

/** Both printed forms, or null when the query is outside what the printer handles. @req CORE-CHECK-033 */
export function printViewQuery(stmt: SelectStatement, ctx: QueryPrintContext): { body: string; full: string } | null {
  if (stmt.with || stmt.query.type !== 'select_core') return null;
  try {
    return { body: printCore(stmt.query, ctx, false), full: printCore(stmt.query, ctx, true) };
  } catch (e) {
    if (e instanceof Unprintable) return null;
    throw e;
  }
}

function printCore(q: SelectCore, ctx: QueryPrintContext, full: boolean): string {
  if (q.valuesRows || q.into || q.windows?.length || q.lock) fail();
  const sources: Source[] = [];
  const from = q.from.map((t) => printTableRef(t, ctx, full, sources));
  const qualify = (ref: ColumnRef): string => qualifiedColumn(ref, sources, full);
  const expr = (e: Expr): string => printExpr(checkPrintable(e), { column: qualify });
  const items: string[] = [];
  let n = 0;
  for (const it of q.items) {
    const e = it.expr;
    if (e.type === 'column' && e.name === '*') {
      const of = e.table === undefined ? sources : [resolveTable(e.table, sources)];
      for (const s of of) {
        for (const c of s.star) items.push(`${qualify({ type: 'column', table: s.alias ?? s.table, name: c })} AS ${quoteIdentifier(ctx.resultNames[n++] ?? c)}`);
      }
      continue;
    }
    const name = ctx.resultNames[n++];
    if (name === undefined) fail();
    items.push(`${expr(e)} AS ${quoteIdentifier(name)}`);
  }
  if (n !== ctx.resultNames.length) fail();
  let s = `select ${q.distinct ? 'distinct ' : ''}${items.join(',')}`;
  if (from.length > 0) s += ` from ${from.join(' join ')}`;
  if (q.where) s += ` where ${expr(q.where)}`;
  if (q.groupBy?.length) s += ` group by ${q.groupBy.map(expr).join(',')}${q.withRollup ? ' with rollup' : ''}`;
  if (q.having) s += ` having ${expr(q.having)}`;
  if (q.orderBy?.length) s += ` order by ${q.orderBy.map((o: OrderItem) => expr(o.expr) + (o.desc ? ' desc' : '')).join(',')}`;
  if (q.limit) s += ` limit ${q.limit.offset ? printExpr(q.limit.offset) + ',' : ''}${printExpr(q.limit.count)}`;
  return s;
}

function printTableRef(t: TableRef, ctx: QueryPrintContext, full: boolean, sources: Source[]): string {
  switch (t.type) {
    case 'table': {
      const schema = t.table.schema ?? ctx.schema;
      const columns = ctx.columnsOf(schema, t.table.name);
      if (!columns) fail();
      sources.push({ schema, table: t.table.name, alias: t.alias, columns: columns.map((c) => c.name), star: columns.filter((c) => !c.invisible).map((c) => c.name) });
      const name = (full || schema !== ctx.schema ? `${quoteIdentifier(schema)}.` : '') + quoteIdentifier(t.table.name);
      return t.alias !== undefined ? `${name} ${quoteIdentifier(t.alias)}` : name;
    }
    case 'join': {
      if (t.using || t.kind.startsWith('NATURAL')) fail();
      // MySQL turns a RIGHT JOIN into a LEFT JOIN with the operands swapped.
      const [l, r] = t.kind === 'RIGHT' ? [t.right, t.left] : [t.left, t.right];
      const left = printTableRef(l, ctx, full, sources);
      const right = printTableRef(r, ctx, full, sources);
      const op = t.kind === 'LEFT' || t.kind === 'RIGHT' ? 'left join' : t.kind === 'STRAIGHT' ? 'straight_join' : 'join';
      if (!t.on) return `(${left} ${op} ${right})`;
      const cond = printExpr(checkPrintable(t.on), { column: (ref) => qualifiedColumn(ref, sources, full) });
      return `(${left} ${op} ${right} on(${cond}))`;
    }
    default:
      return fail();
  }
}

/** `alias`.`col`, `table`.`col` or (information_schema form) `schema`.`table`.`col`. */
function qualifiedColumn(ref: ColumnRef, sources: readonly Source[], full: boolean): string {
  const s = resolve(ref, sources);
  const col = s.columns.find((c) => c.toLowerCase() === ref.name.toLowerCase()) ?? ref.name;
  if (s.alias !== undefined) return `${quoteIdentifier(s.alias)}.${quoteIdentifier(col)}`;
  return (full ? `${quoteIdentifier(s.schema)}.` : '') + `${quoteIdentifier(s.table)}.${quoteIdentifier(col)}`;
}

function resolveTable(name: string, sources: readonly Source[]): Source {
  const s = sources.find((x) => (x.alias ?? x.table).toLowerCase() === name.toLowerCase());
  return s ?? fail();
}

function resolve(ref: ColumnRef, sources: readonly Source[]): Source {
  if (ref.table !== undefined) return resolveTable(ref.table, sources);
  const found = sources.filter((s) => s.columns.some((c) => c.toLowerCase() === ref.name.toLowerCase()));
  return found.length === 1 ? found[0]! : fail();
}

/** Refuse what the printer does not handle inside an expression: subqueries and windows. */
function checkPrintable(e: Expr): Expr {
  walkExpr(e, (x) => {
    if (x.type === 'subquery' || x.type === 'exists' || x.type === 'window' || (x.type === 'in' && x.subquery)) fail();
    if (x.type === 'aggregate' && x.over) fail();
    return true;
  });
  return e;
}

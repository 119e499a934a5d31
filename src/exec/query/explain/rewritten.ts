/**
 * The rewritten query of EXPLAIN's Note 1003: after an EXPLAIN of a query (traditional and JSON
 * formats), MySQL adds a note holding the query as the server understood it, every query block
 * marked with its number (`/* select#1 *\/`), columns qualified by schema and table
 * (`test`.`t1`.`a`, or `test`.`x`.`a` through an alias, `dt`.`a` for a derived table), every
 * select item named (`... AS `a``), inner-join and comma operands joined by `join` with their ON
 * conditions moved into WHERE, outer joins kept with `on(...)`, literals as the query gave them
 * (strings without an introducer), COUNT(*) as count(0).
 *
 * MySQL prints the query after its optimizer has rewritten it. The rewrites this printer does not
 * reproduce are: merged derived tables and views, semi-joins made of IN / EXISTS subqueries in
 * WHERE, constant tables whose values replace their columns, and the propagation and removal of
 * conditions. For a query that would take one of the first three, no note is given rather than a
 * wrong one; the last shows as the condition written (see spec/core-diagnostics.md, decisions).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-extended.html
 * @req CORE-DIAG-020 CORE-DIAG-021 CORE-DIAG-022
 */
import type { ColumnRef, DeleteStatement, Expr, OrderItem, QueryExpr, SelectCore, SelectStatement, TableRef, TableRefName, UpdateStatement } from '../../../sql/ast.js';
import { printExpr, quoteIdentifier } from '../../../sql/print/expr-print.js';
import { autoColumnName } from '../compile/util.js';

/** What the printer needs of the catalog. */
export interface RewriteContext {
  /** The default schema (unqualified table names). */
  schema: string;
  /** The columns of a base table (temporary or not), or undefined when it is none (a view, missing). */
  baseColumns(schema: string, table: string): readonly { name: string; invisible?: boolean }[] | undefined;
}

class Unprintable extends Error {}

function fail(): never {
  throw new Unprintable();
}

interface Source {
  /** The printed qualifier: `schema`.`name` for base tables, `alias` for derived tables and CTEs. */
  prefix: string;
  /** The name a column reference may use (alias or table name). */
  name: string;
  columns: readonly string[];
  star: readonly string[];
}

interface Scope {
  sources: Source[];
  parent: Scope | undefined;
  ctes: Map<string, readonly string[]>;
}

/** The Note 1003 text of a query, or null where the printer would not give MySQL's text. @req CORE-DIAG-020 */
export function rewrittenQuery(stmt: SelectStatement, ctx: RewriteContext): string | null {
  try {
    const numbers = numberBlocks(stmt, firstCore(stmt.query));
    return new Printer(ctx, numbers).statement(stmt, undefined);
  } catch (e) {
    if (e instanceof Unprintable) return null;
    throw e;
  }
}

/**
 * The Note 1003 text of a single-table UPDATE or DELETE: `update `db`.`t` set `db`.`t`.`a` = 1
 * where ...` and `delete from `db`.`t` where ...`, with ORDER BY and LIMIT; null for the
 * multi-table forms and where the query printer gives none. @req CORE-DIAG-022
 */
export function rewrittenDml(stmt: UpdateStatement | DeleteStatement, ctx: RewriteContext): string | null {
  try {
    if (stmt.with) return null;
    const ref = stmt.kind === 'update' ? stmt.tables[0] : stmt.from[0];
    const tables = stmt.kind === 'update' ? stmt.tables : stmt.from;
    if (tables.length !== 1 || !ref || ref.type !== 'table' || (stmt.kind === 'delete' && stmt.multi)) return null;
    const printer = new Printer(ctx, numberBlocks(stmt, undefined));
    return printer.dml(stmt, ref);
  } catch (e) {
    if (e instanceof Unprintable) return null;
    throw e;
  }
}

/**
 * Query-block numbers as MySQL gives them: the statement's own block is 1 (a query's first
 * block, or the block of an UPDATE or DELETE), then every other block in the order its SELECT
 * appears in the text (the WITH clause's queries first).
 */
function numberBlocks(root: unknown, first: SelectCore | undefined): Map<SelectCore, number> {
  const numbers = new Map<SelectCore, number>();
  // An UPDATE or DELETE holds block 1 itself.
  let next = 2;
  if (first) numbers.set(first, 1);
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const n = node as Record<string, unknown>;
    if (n.type === 'select_core') {
      const c = node as SelectCore;
      if (!numbers.has(c)) numbers.set(c, next++);
      // Text order of a block's clauses.
      for (const part of [c.items, c.from, c.where, c.groupBy, c.having, c.orderBy]) visit(part);
      return;
    }
    if (n.kind === 'select') {
      const st = node as SelectStatement;
      visit(st.with?.ctes.map((x) => x.query));
      visit(st.query);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'text') visit(v);
  };
  visit(root);
  return numbers;
}

function firstCore(q: QueryExpr): SelectCore {
  return q.type === 'select_core' ? q : firstCore(q.left);
}

/** The name MySQL gives an unaliased select item: a column's name, a string literal's text, else the text as written. */
function itemName(it: { expr: Expr; alias?: string; text: string }): string {
  if (it.alias !== undefined) return it.alias;
  if (it.expr.type === 'column') return it.expr.name;
  return autoColumnName(it.expr, it.text);
}

class Printer {
  constructor(
    private readonly ctx: RewriteContext,
    private readonly numbers: Map<SelectCore, number>,
  ) {}

  /** A single-table UPDATE or DELETE. */
  dml(stmt: UpdateStatement | DeleteStatement, ref: TableRefName): string {
    const scope: Scope = { sources: [], parent: undefined, ctes: new Map() };
    const table = this.tableRef(ref, scope, []);
    const opts = this.options(scope);
    const expr = (e: Expr): string => printExpr(e, opts);
    let s: string;
    if (stmt.kind === 'update') {
      const set = stmt.set.map((a) => `${this.column(a.column, scope)} = ${expr(a.value)}`).join(',');
      s = `update ${stmt.lowPriority ? 'low_priority ' : ''}${stmt.ignore ? 'ignore ' : ''}${table} set ${set}`;
    } else {
      s = `delete ${stmt.lowPriority ? 'low_priority ' : ''}${stmt.quick ? 'quick ' : ''}${stmt.ignore ? 'ignore ' : ''}from ${table}`;
    }
    if (stmt.where) {
      semiJoinCheck(stmt.where);
      s += ` where ${expr(stmt.where)}`;
    }
    if (stmt.orderBy?.length) s += ` order by ${stmt.orderBy.map((o: OrderItem) => expr(o.expr) + (o.desc ? ' desc' : '')).join(',')}`;
    if (stmt.limit) s += ` limit ${printExpr(stmt.limit.count)}`;
    return s;
  }

  /** A whole query (with its WITH clause) whose enclosing block's scope is `outer`. */
  statement(stmt: SelectStatement, outer: Scope | undefined, inExpression = false): string {
    const ctes = new Map(outer?.ctes ?? []);
    let prefix = '';
    if (stmt.with) {
      if (stmt.with.recursive) fail();
      const parts: string[] = [];
      for (const c of stmt.with.ctes) {
        const body = this.statement(c.query, { sources: [], parent: outer, ctes: new Map(ctes) });
        ctes.set(c.name.toLowerCase(), c.columns ?? this.resultNames(c.query, ctes));
        parts.push(`${quoteIdentifier(c.name)}${c.columns ? ` (${c.columns.map(quoteIdentifier).join(',')})` : ''} as (${body})`);
      }
      prefix = `with ${parts.join(', ')} `;
    }
    return prefix + this.query(stmt.query, { sources: [], parent: outer, ctes }, inExpression);
  }

  private query(q: QueryExpr, outer: Scope, inExpression: boolean): string {
    if (q.type === 'select_core') return this.core(q, outer, inExpression);
    const op = `${q.op.toLowerCase()}${q.all ? ' all' : ''}`;
    const left = this.query(q.left, outer, inExpression);
    const right = this.query(q.right, outer, inExpression);
    if (q.orderBy?.length || q.limit) fail();
    return `${left} ${op} ${right}`;
  }

  /** The result column names of a query (a derived table's or a CTE's columns). */
  private resultNames(stmt: SelectStatement, ctes: Map<string, readonly string[]>): readonly string[] {
    const core = firstCore(stmt.query);
    const names: string[] = [];
    const scope: Scope = { sources: [], parent: undefined, ctes };
    for (const t of core.from) this.collect(t, scope);
    for (const it of core.items) {
      if (it.expr.type === 'column' && it.expr.name === '*') {
        const of = it.expr.table === undefined ? scope.sources : [this.sourceByName(it.expr.table, scope.sources)];
        for (const s of of) names.push(...s.star);
      } else names.push(itemName(it));
    }
    return names;
  }

  /** Collect a FROM operand's sources without printing (for result names). */
  private collect(t: TableRef, scope: Scope): void {
    if (t.type === 'join') {
      this.collect(t.left, scope);
      this.collect(t.right, scope);
    } else if (t.type === 'table') scope.sources.push(this.tableSource(t.table.schema, t.table.name, t.alias, scope));
    else if (t.type === 'derived') {
      const cols = t.columnAliases ?? this.resultNames(t.query, scope.ctes);
      scope.sources.push({ prefix: quoteIdentifier(t.alias), name: t.alias, columns: cols, star: cols });
    }
  }

  private tableSource(schema: string | undefined, table: string, alias: string | undefined, scope: Scope): Source {
    if (schema === undefined) {
      const cte = scope.ctes.get(table.toLowerCase());
      if (cte) {
        const name = alias ?? table;
        return { prefix: quoteIdentifier(name), name, columns: cte, star: cte };
      }
    }
    const s = schema ?? this.ctx.schema;
    const cols = this.ctx.baseColumns(s, table);
    // Views are merged into the query by MySQL's optimizer: not printed here.
    if (!cols) fail();
    const name = alias ?? table;
    return { prefix: `${quoteIdentifier(s)}.${quoteIdentifier(name)}`, name, columns: cols.map((c) => c.name), star: cols.filter((c) => !c.invisible).map((c) => c.name) };
  }

  /** A query block; inside an expression its items keep only the names written with AS. */
  private core(q: SelectCore, outer: Scope, inExpression: boolean): string {
    if (q.valuesRows || q.windows?.length) fail();
    // The enclosing blocks stay visible for correlated references.
    const scope: Scope = { sources: [], parent: outer, ctes: outer.ctes };
    const onConds: Expr[] = [];
    const from = q.from.map((t) => this.tableRef(t, scope, onConds));
    const opts = this.options(scope);
    const expr = (e: Expr): string => printExpr(e, opts);
    const items: string[] = [];
    for (const it of q.items) {
      const e = it.expr;
      if (e.type === 'column' && e.name === '*') {
        const of = e.table === undefined ? scope.sources : [this.sourceByName(e.table, scope.sources)];
        for (const s of of) for (const c of s.star) items.push(`${s.prefix}.${quoteIdentifier(c)}${inExpression ? '' : ` AS ${quoteIdentifier(c)}`}`);
        continue;
      }
      items.push(inExpression && it.alias === undefined ? expr(e) : `${expr(e)} AS ${quoteIdentifier(itemName(it))}`);
    }
    const n = this.numbers.get(q) ?? fail();
    let s = `/* select#${n} */ select ${q.distinct ? 'distinct ' : ''}${items.join(',')}`;
    if (from.length > 0) s += ` from ${from.join(' join ')}`;
    // Inner-join conditions join the WHERE clause, after it. @req CORE-DIAG-021
    if (q.where) semiJoinCheck(q.where);
    const conds = [...(q.where ? [q.where] : []), ...onConds];
    if (conds.length > 0) {
      const all = conds.reduce((l, r): Expr => ({ type: 'binary', op: 'AND', left: l, right: r }));
      s += ` where ${expr(all)}`;
    }
    if (q.groupBy?.length) s += ` group by ${q.groupBy.map(expr).join(',')}${q.withRollup ? ' with rollup' : ''}`;
    if (q.having) s += ` having ${expr(q.having)}`;
    if (q.orderBy?.length) s += ` order by ${q.orderBy.map((o: OrderItem) => expr(o.expr) + (o.desc ? ' desc' : '')).join(',')}`;
    if (q.limit) s += ` limit ${q.limit.offset ? printExpr(q.limit.offset) + ',' : ''}${printExpr(q.limit.count)}`;
    return s;
  }

  private options(scope: Scope): Parameters<typeof printExpr>[1] {
    return {
      explain: true,
      column: (ref: ColumnRef) => this.column(ref, scope),
      subquery: (q: SelectStatement) => this.statement(q, scope, true),
    };
  }

  private tableRef(t: TableRef, scope: Scope, onConds: Expr[]): string {
    switch (t.type) {
      case 'table': {
        const src = this.tableSource(t.table.schema, t.table.name, t.alias, scope);
        scope.sources.push(src);
        const cte = t.table.schema === undefined && scope.ctes.has(t.table.name.toLowerCase());
        if (cte) return t.alias !== undefined ? `${quoteIdentifier(t.table.name)} ${quoteIdentifier(t.alias)}` : quoteIdentifier(t.table.name);
        const schema = t.table.schema ?? this.ctx.schema;
        const name = `${quoteIdentifier(schema)}.${quoteIdentifier(t.table.name)}`;
        return t.alias !== undefined ? `${name} ${quoteIdentifier(t.alias)}` : name;
      }
      case 'derived': {
        // A derived table MySQL would merge into the outer block is printed merged there.
        if (t.lateral || mergeable(t.query)) fail();
        const body = this.statement(t.query, { sources: [], parent: scope.parent, ctes: scope.ctes });
        const cols = t.columnAliases ?? this.resultNames(t.query, scope.ctes);
        scope.sources.push({ prefix: quoteIdentifier(t.alias), name: t.alias, columns: cols, star: cols });
        return `(${body}) ${quoteIdentifier(t.alias)}`;
      }
      case 'join': {
        if (t.using || t.kind.startsWith('NATURAL')) fail();
        if (t.kind === 'LEFT' || t.kind === 'RIGHT') {
          // MySQL turns a RIGHT JOIN into a LEFT JOIN with the operands swapped.
          const [l, r] = t.kind === 'RIGHT' ? [t.right, t.left] : [t.left, t.right];
          const inner: Expr[] = [];
          const left = this.tableRef(l, scope, inner);
          const right = this.tableRef(r, scope, inner);
          if (inner.length > 0 || !t.on) fail();
          // MySQL's optimizer flattens the join nest: no parentheses around it.
          return `${left} left join ${right} on(${printExpr(t.on, this.options(scope))})`;
        }
        const left = this.tableRef(t.left, scope, onConds);
        const right = this.tableRef(t.right, scope, onConds);
        if (t.on) onConds.push(t.on);
        return `${left} ${t.kind === 'STRAIGHT' ? 'straight_join' : 'join'} ${right}`;
      }
      default:
        return fail();
    }
  }

  private sourceByName(name: string, sources: readonly Source[]): Source {
    return sources.find((s) => s.name.toLowerCase() === name.toLowerCase()) ?? fail();
  }

  /** A column reference, resolved in its block and then outwards. */
  private column(ref: ColumnRef, scope: Scope): string {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = ref.table !== undefined
        ? s.sources.filter((x) => x.name.toLowerCase() === ref.table!.toLowerCase())
        : s.sources.filter((x) => x.columns.some((c) => c.toLowerCase() === ref.name.toLowerCase()));
      if (found.length > 1) fail();
      const src = found[0];
      if (!src) continue;
      const col = src.columns.find((c) => c.toLowerCase() === ref.name.toLowerCase()) ?? fail();
      return `${src.prefix}.${quoteIdentifier(col)}`;
    }
    // A select-list alias (ORDER BY / HAVING) or something else: not printed here.
    return fail();
  }
}

/** A derived table without grouping, DISTINCT, LIMIT, aggregates or set operations is merged. */
function mergeable(stmt: SelectStatement): boolean {
  if (stmt.with || stmt.query.type !== 'select_core') return false;
  const q = stmt.query;
  if (q.distinct || q.groupBy?.length || q.having || q.limit || q.windows?.length) return false;
  const aggregates = JSON.stringify(q.items, (_k, v: unknown) => (Buffer.isBuffer(v) ? null : v)).includes('"type":"aggregate"');
  return !aggregates;
}

/** IN / EXISTS subqueries among the WHERE conjuncts become semi-joins in MySQL: not printed. */
function semiJoinCheck(where: Expr): void {
  const conjuncts: Expr[] = [];
  const split = (e: Expr): void => {
    if (e.type === 'binary' && (e.op === 'AND' || e.op === '&&')) {
      split(e.left);
      split(e.right);
    } else conjuncts.push(e);
  };
  split(where);
  for (const c of conjuncts) {
    if ((c.type === 'in' && c.subquery && !c.not) || (c.type === 'exists' && !c.not)) fail();
    if (c.type === 'binary' && c.quantifier === 'ANY' && c.op === '=') fail();
  }
}

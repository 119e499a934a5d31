/**
 * EXPLAIN of statements that change rows. UPDATE and DELETE read their rows like a SELECT of
 * the same FROM, WHERE, ORDER BY and LIMIT (compile/dml-scan.ts plans them the same way), so
 * their plan is explained as that query's, with the target marked: traditional rows with
 * select_type UPDATE / DELETE, JSON `"update": true` / `"delete": true` on the table. INSERT and
 * REPLACE with VALUES or SET read nothing: one row for the table written; with a SELECT, that
 * query's plan follows (JSON: `insert_from`). In FORMAT=TREE, as MySQL 8.0 does for statements
 * its iterator executor does not run, single-table UPDATE / DELETE and INSERT / REPLACE print
 * `<not executable by iterator executor>`; a multi-table UPDATE / DELETE prints its join under
 * an `Update` / `Delete from` line.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html
 * @req CORE-EXPLAIN-007
 */
import type { DeleteStatement, InsertStatement, SelectCore, SelectStatement, TableRef, UpdateStatement } from '../../../sql/ast.js';
import type { Row } from '../../../kernel/value.js';
import type { Session } from '../../session.js';
import { makeRuntime } from '../runtime.js';
import { planSelect } from '../select.js';
import { explainDmlJson, explainJson } from './json.js';
import { traditionalRows } from './traditional.js';
import { queryLines, renderTree, SelectNumbers } from './tree.js';

/** The SELECT that reads the rows an UPDATE or DELETE changes. */
function readingQuery(stmt: UpdateStatement | DeleteStatement): SelectStatement {
  const from: TableRef[] = stmt.kind === 'update' ? stmt.tables : stmt.from;
  // It selects a constant: what it reads (and the SELECT privileges it needs) are the columns of
  // its conditions and ORDER BY, as for the statement itself.
  const core: SelectCore = { type: 'select_core', distinct: false, items: [{ expr: { type: 'literal', kind: 'int', value: '1' }, text: '1' }], from };
  if (stmt.where) core.where = stmt.where;
  if (stmt.orderBy) core.orderBy = stmt.orderBy;
  if (stmt.limit) core.limit = stmt.limit;
  const q: SelectStatement = { kind: 'select', query: core };
  if (stmt.with) q.with = stmt.with;
  return q;
}

const readingQueries = new WeakMap<UpdateStatement | DeleteStatement, SelectStatement>();

function readingQueryOf(stmt: UpdateStatement | DeleteStatement): SelectStatement {
  let q = readingQueries.get(stmt);
  if (!q) readingQueries.set(stmt, (q = readingQuery(stmt)));
  return q;
}

function isMulti(stmt: UpdateStatement | DeleteStatement): boolean {
  if (stmt.kind === 'delete') return stmt.multi;
  return stmt.tables.length > 1 || stmt.tables[0]?.type !== 'table';
}

/** The explained statement's rows in the given format (one row, one column, for JSON / TREE). */
export async function explainDml(session: Session, stmt: InsertStatement | UpdateStatement | DeleteStatement, format: string): Promise<Row[]> {
  if (stmt.kind === 'insert') return explainInsert(session, stmt, format);
  const select = readingQueryOf(stmt);
  const plan = await planSelect(session, select);
  const rt = makeRuntime(session, []);
  const what = stmt.kind === 'update' ? 'UPDATE' : 'DELETE';
  const shape = plan.compiled.shape;
  const sources = shape?.kind === 'block' ? shape.plan.sources : [];
  const targets = targetsOf(stmt, sources.map((s) => s.alias));
  if (format === 'TREE') {
    if (!isMulti(stmt)) return [['<not executable by iterator executor>\n']];
    const root = { label: `${stmt.kind === 'update' ? 'Update' : 'Delete from'} ${targets.join(', ')} (buffered)`, children: [queryLines(plan.compiled, rt, new SelectNumbers())] };
    return [[renderTree(root, false)]];
  }
  if (format === 'JSON') {
    const doc = JSON.parse(explainJson(plan.compiled, rt)) as { query_block: Record<string, unknown> };
    markTargets(doc.query_block, stmt.kind, targets);
    return [[JSON.stringify(doc, null, 2)]];
  }
  const rows = traditionalRows(plan.compiled, rt);
  const marked = new Set(targets.map((t) => t.toLowerCase()));
  for (const r of rows) if (r[0] === 1n && typeof r[2] === 'string' && marked.has(r[2].toLowerCase())) r[1] = what;
  return rows;
}

/** The tables a statement writes, by the names its plan uses: DELETE's targets; UPDATE's
 *  tables whose columns SET names (every table of a single-table UPDATE). */
function targetsOf(stmt: UpdateStatement | DeleteStatement, aliases: string[]): string[] {
  const has = (n: string): string | undefined => aliases.find((a) => a.toLowerCase() === n.toLowerCase());
  if (stmt.kind === 'delete') return stmt.targets.flatMap((t) => has(t.name) ?? []);
  if (!isMulti(stmt)) return aliases.slice(0, 1);
  const named = stmt.set.flatMap((a) => (a.column.table ? has(a.column.table) ?? [] : []));
  return named.length ? [...new Set(named)] : aliases;
}

/** Mark the written tables of a JSON plan (`"update": true` / `"delete": true`). */
function markTargets(qb: Record<string, unknown>, kind: 'update' | 'delete', targets: string[]): void {
  const mark = (t: Record<string, unknown>): void => {
    if (targets.some((x) => x.toLowerCase() === String(t['table_name']).toLowerCase())) {
      const copy = { [kind]: true, ...t };
      for (const k of Object.keys(t)) delete t[k];
      Object.assign(t, copy);
    }
  };
  const visit = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    const rec = o as Record<string, unknown>;
    if (rec['table'] && typeof rec['table'] === 'object') mark(rec['table'] as Record<string, unknown>);
    for (const [k, v] of Object.entries(rec)) {
      if (k === 'materialized_from_subquery' || k === 'attached_subqueries' || k === 'select_list_subqueries') continue;
      if (Array.isArray(v)) v.forEach(visit);
      else if (k !== 'table' && typeof v === 'object') visit(v);
    }
  };
  visit(qb);
}

async function explainInsert(session: Session, stmt: InsertStatement, format: string): Promise<Row[]> {
  const table = stmt.table.name;
  const what = stmt.replace ? 'REPLACE' : 'INSERT';
  if (format === 'TREE') return [['<not executable by iterator executor>\n']];
  if (!stmt.select) {
    if (format === 'JSON') return [[explainDmlJson('insert', table, null, makeRuntime(session, []), null)]];
    return [[1n, what, table, null, 'ALL', null, null, null, null, null, null, null]];
  }
  const plan = await planSelect(session, stmt.select);
  const rt = makeRuntime(session, []);
  if (format === 'JSON') return [[explainDmlJson('insert', table, plan.compiled, rt, null)]];
  return [[1n, what, table, null, 'ALL', null, null, null, null, null, null, null], ...traditionalRows(plan.compiled, rt)];
}

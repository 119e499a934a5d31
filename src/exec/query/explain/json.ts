/**
 * EXPLAIN FORMAT=JSON: one row, one column `EXPLAIN`, holding the plan in MySQL 8.0's JSON
 * layout, so that tools written for MySQL read it: `query_block` with `select_id` and
 * `cost_info.query_cost`; per table `table_name`, `access_type`, `possible_keys`, `key`,
 * `used_key_parts`, `key_length`, `ref`, `rows_examined_per_scan`, `rows_produced_per_join`,
 * `filtered`, `cost_info` (`read_cost`, `eval_cost`, `prefix_cost`, `data_read_per_join`),
 * `used_columns` and `attached_condition`; `nested_loop` for joins; `ordering_operation`,
 * `grouping_operation` and `duplicates_removal` around them; derived tables as
 * `materialized_from_subquery`; subqueries as `select_list_subqueries` and
 * `attached_subqueries`; set operations as `union_result` (`intersect_result`,
 * `except_result`) with `query_specifications`. The numbers are our cost model's (limits.ts).
 * Keys appear in MySQL's order; two-space indentation as MySQL prints it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXPLAIN-003 CORE-EXPLAIN-004
 */
import type { Runtime } from '../../../sql/eval/index.js';
import type { CompiledQuery, QueryShape, SubqueryShape } from '../plan/types.js';
import { conjunction, estimateBlock, type TableEstimate } from './model.js';
import { jsonBytes, jsonCost } from './numbers.js';
import { conditionText, scopeResolver, type ColumnResolver } from './text.js';
import { SelectNumbers } from './tree.js';

type Json = { [k: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | Json;

function tableJson(t: TableEstimate, rt: Runtime, resolve: ColumnResolver, numbers: SelectNumbers): Json {
  const r = t.row;
  const o: Json = { table_name: t.leaf.src.alias, access_type: r.type ?? 'ALL' };
  if (r.possibleKeys) o['possible_keys'] = r.possibleKeys.split(',');
  if (r.key) o['key'] = r.key;
  if (t.usedKeyParts.length) o['used_key_parts'] = t.usedKeyParts;
  if (r.keyLen) o['key_length'] = r.keyLen;
  if (r.ref) o['ref'] = r.ref.split(',');
  o['rows_examined_per_scan'] = Math.round(t.examined);
  o['rows_produced_per_join'] = Math.round(t.produced);
  o['filtered'] = t.filtered.toFixed(2);
  if (r.extra?.includes('Backward index scan')) o['backward_index_scan'] = true;
  o['cost_info'] = {
    read_cost: jsonCost(t.readCost),
    eval_cost: jsonCost(t.evalCost),
    prefix_cost: jsonCost(t.prefixCost),
    data_read_per_join: jsonBytes(t.produced * t.rowBytes),
  };
  o['used_columns'] = t.usedColumns;
  if (t.attached) o['attached_condition'] = conditionText(t.attached, 'json', resolve);
  const d = t.leaf.src.derived;
  if (d?.query) {
    o['materialized_from_subquery'] = { using_temporary_table: true, dependent: d.query.correlated, cacheable: !d.query.correlated, query_block: queryBlockBody(d.query, rt, numbers) };
  }
  return o;
}

function subqueryJson(s: SubqueryShape, rt: Runtime, numbers: SelectNumbers): Json {
  return { dependent: s.query.correlated, cacheable: !s.query.correlated, query_block: queryBlockBody(s.query, rt, numbers) };
}

function blockJson(shape: Extract<QueryShape, { kind: 'block' }>, q: CompiledQuery, rt: Runtime, numbers: SelectNumbers): Json {
  const id = numbers.of(q);
  const p = shape.plan;
  const est = estimateBlock(shape, rt);
  const resolve = scopeResolver(p.scope);
  const qb: Json = { select_id: id };
  if (!p.tree) {
    qb['message'] = shape.core.where !== undefined && p.topFilters.length === 0 ? 'Impossible WHERE' : 'No tables used';
    addSubqueries(qb, null, shape.subqueries, rt, numbers);
    return qb;
  }
  qb['cost_info'] = { query_cost: jsonCost(est.cost) };
  const tables = est.tables.map((t) => ({ table: tableJson(t, rt, resolve, numbers) }));
  // Conditions left at the top (outer joins) are checked after the last table.
  const top = conjunction(p.topFilters);
  if (top) {
    const last = tables[tables.length - 1]!.table;
    const own = last['attached_condition'];
    const text = conditionText(top, 'json', resolve);
    last['attached_condition'] = typeof own === 'string' ? `(${own} and ${text})` : text;
  }
  let inner: Json = tables.length === 1 ? tables[0]! : { nested_loop: tables };
  addSubqueries(qb, tables[tables.length - 1]!.table, shape.subqueries, rt, numbers);
  if (p.group && p.group.exprs.length) inner = { grouping_operation: { using_temporary_table: true, using_filesort: false, ...inner } };
  if (p.distinct) inner = { duplicates_removal: { using_temporary_table: true, using_filesort: false, ...inner } };
  if (p.order !== null && !(p.orderedRead?.total)) {
    const tmp: Json = (p.group && p.group.exprs.length) || p.distinct ? { using_temporary_table: true } : {};
    inner = { ordering_operation: { ...tmp, using_filesort: true, cost_info: { sort_cost: jsonCost(est.cost - est.joinCost) }, ...inner } };
  } else if (p.order !== null) inner = { ordering_operation: { using_filesort: false, ...inner } };
  if (p.windows.length) inner = { windowing: { windows: [{ name: '<unnamed window>', using_temporary_table: true }], ...inner } };
  return { ...qb, ...inner };
}

function addSubqueries(qb: Json, lastTable: Json | null, subs: SubqueryShape[], rt: Runtime, numbers: SelectNumbers): void {
  const inList = subs.filter((s) => s.where === 'projection');
  const inCond = subs.filter((s) => s.where === 'condition');
  if (inList.length) qb['select_list_subqueries'] = inList.map((s) => subqueryJson(s, rt, numbers));
  if (inCond.length) (lastTable ?? qb)[lastTable ? 'attached_subqueries' : 'optimized_away_subqueries'] = inCond.map((s) => subqueryJson(s, rt, numbers));
}

/** The body of a `query_block` for any query. */
function queryBlockBody(q: CompiledQuery, rt: Runtime, numbers: SelectNumbers): Json {
  const s = q.shape;
  if (!s) return { select_id: numbers.of(q), message: 'No tables used' };
  if (s.kind === 'block') return blockJson(s, q, rt, numbers);
  if (s.kind === 'values') return { select_id: numbers.of(q), message: 'No tables used' };
  const specs: Json[] = [];
  const ids: number[] = [];
  const collect = (x: CompiledQuery): void => {
    const xs = x.shape;
    if (xs?.kind === 'setop' && xs.plan.op === s.plan.op && xs.plan.all === s.plan.all && !xs.plan.order && !xs.plan.limit) {
      collect(xs.plan.left);
      collect(xs.plan.right);
      return;
    }
    const body = queryBlockBody(x, rt, numbers);
    if (typeof body['select_id'] === 'number') ids.push(body['select_id']);
    specs.push({ dependent: x.correlated, cacheable: !x.correlated, query_block: body });
  };
  collect(s.plan.left);
  collect(s.plan.right);
  const what = s.plan.op.toLowerCase();
  const result: Json = {
    using_temporary_table: !(s.plan.op === 'UNION' && s.plan.all),
    table_name: `<${what}${ids.join(',')}>`,
    access_type: 'ALL',
    query_specifications: specs,
  };
  if (s.plan.order) return { ordering_operation: { using_filesort: true, [`${what}_result`]: result } };
  return { [`${what}_result`]: result };
}

/** The JSON document of a query's plan. @req CORE-EXPLAIN-003 */
export function explainJson(q: CompiledQuery, rt: Runtime): string {
  const doc = { query_block: queryBlockBody(q, rt, new SelectNumbers()) };
  return JSON.stringify(doc, null, 2);
}

/** The JSON document of a statement that changes rows (INSERT / UPDATE / DELETE / REPLACE). */
export function explainDmlJson(kind: string, table: string, source: CompiledQuery | null, rt: Runtime, access: Json | null): string {
  const body: Json = { select_id: 1 };
  if (source) {
    body['table'] = { [kind]: true, table_name: table, access_type: 'ALL' };
    body['insert_from'] = queryBlockBody(source, rt, new SelectNumbers());
  } else if (access) body['table'] = { [kind]: true, ...access };
  else body['table'] = { [kind]: true, table_name: table, access_type: 'ALL' };
  return JSON.stringify({ query_block: body }, null, 2);
}

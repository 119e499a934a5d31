/**
 * EXPLAIN in the traditional tabular format: twelve columns, one row per table of each query
 * block (the access method the planner chose, the index, key length, ref, rows, filtered and
 * Extra), blocks numbered by `id` with their `select_type`: SIMPLE for a query of one block,
 * else PRIMARY for the outer one, DERIVED for a derived table (shown in its parent as
 * `<derivedN>`), SUBQUERY / DEPENDENT SUBQUERY, UNION and the `UNION RESULT` row of a set
 * operation (`<unionM,N>`). `filtered` is our cost model's estimate (model.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXEC-043 CORE-EXPLAIN-010
 */
import { ColumnFlag, MysqlType, type ResultColumn } from '../../../kernel/column-type.js';
import type { Row } from '../../../kernel/value.js';
import type { Runtime } from '../../../sql/eval/index.js';
import type { CompiledQuery } from '../plan/types.js';
import { estimateBlock } from './model.js';
import { SelectNumbers } from './tree.js';

function col(name: string, type: number, length: number, flags = 0, charsetId = 255, decimals = 0): ResultColumn {
  return { schema: '', table: '', orgTable: '', name, orgName: '', charsetId, length, type: type as ResultColumn['type'], flags, decimals };
}

export const TRADITIONAL_COLUMNS: ResultColumn[] = [
  col('id', MysqlType.LONGLONG, 3, ColumnFlag.NUM | ColumnFlag.BINARY, 63),
  col('select_type', MysqlType.VAR_STRING, 76, ColumnFlag.NOT_NULL),
  col('table', MysqlType.VAR_STRING, 256),
  col('partitions', MysqlType.VAR_STRING, 32764),
  col('type', MysqlType.VAR_STRING, 40),
  col('possible_keys', MysqlType.VAR_STRING, 16384),
  col('key', MysqlType.VAR_STRING, 256),
  col('key_len', MysqlType.VAR_STRING, 16384),
  col('ref', MysqlType.VAR_STRING, 4096),
  col('rows', MysqlType.LONGLONG, 10, ColumnFlag.NUM | ColumnFlag.BINARY | ColumnFlag.UNSIGNED, 63),
  col('filtered', MysqlType.FLOAT, 4, ColumnFlag.NUM | ColumnFlag.BINARY, 63, 2),
  col('Extra', MysqlType.VAR_STRING, 1020),
];

/** Whether a query has more than one block. */
function nested(q: CompiledQuery): boolean {
  const s = q.shape;
  if (!s) return false;
  if (s.kind === 'setop') return true;
  if (s.kind === 'values') return false;
  return s.subqueries.length > 0 || s.plan.sources.some((x) => x.derived?.query);
}

/** The traditional rows of a query. @req CORE-EXPLAIN-010 */
export function traditionalRows(q: CompiledQuery, rt: Runtime): Row[] {
  const out: Row[] = [];
  walk(q, rt, new SelectNumbers(), nested(q) ? 'PRIMARY' : 'SIMPLE', out);
  return out;
}

function walk(q: CompiledQuery, rt: Runtime, numbers: SelectNumbers, selectType: string, out: Row[]): number[] {
  const s = q.shape;
  if (!s || s.kind === 'values') {
    const id = numbers.of(q);
    out.push([BigInt(id), selectType, null, null, null, null, null, null, null, null, null, 'No tables used']);
    return [id];
  }
  if (s.kind === 'setop') {
    const ids = [...walk(s.plan.left, rt, numbers, selectType, out), ...walk(s.plan.right, rt, numbers, 'UNION', out)];
    if (!(s.plan.op === 'UNION' && s.plan.all)) {
      const what = s.plan.op.toLowerCase();
      out.push([null, `${s.plan.op} RESULT`, `<${what}${ids.join(',')}>`, null, 'ALL', null, null, null, null, null, null, 'Using temporary']);
    }
    return ids;
  }
  const id = numbers.of(q);
  const est = estimateBlock(s, rt);
  const later: { q: CompiledQuery; type: string }[] = [];
  const rows = s.plan.tree ? est.tables.map((t) => ({ r: t.row, t })) : (q.explain?.(rt) ?? []).map((r) => ({ r, t: null }));
  for (const { r, t } of rows) {
    let table = r.table;
    const d = t?.leaf.src.derived?.query;
    if (d) {
      table = `<derived${numbers.of(d)}>`;
      later.push({ q: d, type: 'DERIVED' });
    }
    out.push([BigInt(id), selectType, table, null, r.type, r.possibleKeys, r.key, r.keyLen, r.ref, r.rows === null ? (t ? BigInt(Math.round(t.examined)) : null) : BigInt(r.rows), r.table === null ? null : Number((t?.filtered ?? 100).toFixed(2)), r.extra]);
  }
  for (const sub of s.subqueries) later.push({ q: sub.query, type: sub.query.correlated ? 'DEPENDENT SUBQUERY' : 'SUBQUERY' });
  for (const l of later) walk(l.q, rt, numbers, l.type, out);
  return [id];
}

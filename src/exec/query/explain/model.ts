/**
 * What EXPLAIN knows about a compiled query, estimated with our cost model (limits.ts): per
 * table of a block, in join order, the access the planner chose (the traditional row), the rows
 * one read examines, the share of them its attached conditions keep, the rows the join has
 * produced after it, and the costs. FORMAT=JSON and FORMAT=TREE both print from this, so the
 * formats agree with each other and with the traditional rows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXPLAIN-003 CORE-EXPLAIN-004 CORE-EXPLAIN-006
 */
import type { Expr } from '../../../sql/ast.js';
import type { CompiledExpr, Runtime } from '../../../sql/eval/index.js';
import { explainBlock } from '../plan/explain.js';
import { conditionSource } from '../plan/condition-source.js';
import { leavesOf } from '../plan/tree.js';
import type { CompiledQuery, ExplainRow, Leaf, QueryShape } from '../plan/types.js';
import type { Source } from '../scope.js';
import { limitsOf } from '../run/output.js';
import {
  BETWEEN_SELECTIVITY,
  EQUALITY_SELECTIVITY,
  INEQUALITY_SELECTIVITY,
  OTHER_SELECTIVITY,
  ROW_EVALUATE_COST,
  ROW_READ_COST,
  ROW_SORT_COST,
  UNKNOWN_TABLE_ROWS,
} from './limits.js';

/** One table of a block, as EXPLAIN shows it. */
export interface TableEstimate {
  leaf: Leaf;
  /** The traditional EXPLAIN row (access type, key, key length, ref). */
  row: ExplainRow;
  /** Rows one read of the table examines (rows_examined_per_scan). */
  examined: number;
  /** Percentage of examined rows the attached conditions keep. */
  filtered: number;
  /** Rows produced by the tables before this one (how many times it is read). */
  prefixRows: number;
  /** Rows produced by the join up to this table (rows_produced_per_join). */
  produced: number;
  readCost: number;
  evalCost: number;
  prefixCost: number;
  /** The conditions checked on the table's rows (WHERE / ON conjuncts pushed to it). */
  attached: Expr | null;
  usedKeyParts: string[];
  usedColumns: string[];
  /** Average bytes of one row read. */
  rowBytes: number;
}

/** A block's estimate. */
export interface BlockEstimate {
  tables: TableEstimate[];
  /** Rows after the join and the conditions left at the top. */
  joined: number;
  /** Rows out of the block (after grouping, HAVING and LIMIT). */
  out: number;
  /** Cost of the join, and of the whole block (with its sort). */
  joinCost: number;
  cost: number;
}

/** AND of the syntax of compiled conditions (those whose syntax is known). */
export function conjunction(list: readonly CompiledExpr[]): Expr | null {
  let out: Expr | null = null;
  for (const ce of list) {
    const e = conditionSource(ce);
    if (!e) continue;
    out = out ? { type: 'binary', op: 'AND', left: out, right: e } : e;
  }
  return out;
}

/** The share of rows a condition keeps, by its kind. @req CORE-EXPLAIN-004 */
export function selectivity(e: Expr): number {
  switch (e.type) {
    case 'binary':
      if (e.op === 'AND' || e.op === '&&') return selectivity(e.left) * selectivity(e.right);
      if (e.op === 'OR' || e.op === '||') return Math.min(1, selectivity(e.left) + selectivity(e.right));
      if (e.op === '=' || e.op === '<=>') return EQUALITY_SELECTIVITY;
      if (e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=' || e.op === '<>' || e.op === '!=') return INEQUALITY_SELECTIVITY;
      return OTHER_SELECTIVITY;
    case 'between':
      return e.not ? 1 - BETWEEN_SELECTIVITY : BETWEEN_SELECTIVITY;
    case 'in':
      return e.list ? Math.min(1, EQUALITY_SELECTIVITY * e.list.length) : OTHER_SELECTIVITY;
    case 'is':
      return e.test === 'NULL' && !e.not ? EQUALITY_SELECTIVITY : OTHER_SELECTIVITY;
    default:
      return OTHER_SELECTIVITY;
  }
}

/** Columns of `src` an access path reads by key (their conditions are answered by the read). */
function keyColumns(leaf: Leaf): Set<string> {
  const a = leaf.access;
  const out = new Set<string>();
  if (!a || !leaf.src.tableDef) return out;
  const n = a.inList ? 1 : a.eq.length + (a.low || a.high ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const part = a.index.parts[i];
    if (part) out.add(leaf.src.tableDef.columns[part.column]!.name.toLowerCase());
  }
  return out;
}

/** Whether a conjunct compares a key column of the leaf (so the read already applies it). */
function answeredByKey(e: Expr, keys: Set<string>): boolean {
  const col = (x: Expr): boolean => x.type === 'column' && keys.has(x.name.toLowerCase());
  if (e.type === 'binary') return col(e.left) || col(e.right);
  if (e.type === 'between' || e.type === 'in') return col(e.expr);
  return false;
}

function conjuncts(e: Expr | null, out: Expr[] = []): Expr[] {
  if (!e) return out;
  if (e.type === 'binary' && (e.op === 'AND' || e.op === '&&')) {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

const TYPE_BYTES: Record<string, number> = { int: 8, double: 8, decimal: 9, temporal: 8, null: 1 };

/** Average bytes of a row of `src` (for data_read_per_join). */
function rowBytes(src: Source): number {
  let n = 0;
  for (const c of src.columns) n += TYPE_BYTES[c.type.kind] ?? Math.min(c.type.length || 8, 1024);
  return Math.max(1, n);
}

function usedColumns(src: Source): string[] {
  if (src.used) {
    const used = new Set([...src.used].map((x) => x.toLowerCase()));
    return src.columns.filter((c) => used.has(c.name.toLowerCase())).map((c) => c.name);
  }
  return src.columns.map((c) => c.name);
}

/** Rows a query is estimated to return. */
export function estimateQueryRows(q: CompiledQuery, rt: Runtime): number {
  const s = q.shape;
  if (!s) return UNKNOWN_TABLE_ROWS;
  if (s.kind === 'values') return s.rows;
  if (s.kind === 'setop') return estimateQueryRows(s.plan.left, rt) + estimateQueryRows(s.plan.right, rt);
  return estimateBlock(s, rt).out;
}

function tableRows(leaf: Leaf, row: ExplainRow, rt: Runtime): number {
  if (row.rows !== null) return row.rows;
  const d = leaf.src.derived;
  if (d?.query) return Math.max(1, Math.round(estimateQueryRows(d.query, rt)));
  return UNKNOWN_TABLE_ROWS;
}

function usedKeyParts(leaf: Leaf, row: ExplainRow): string[] {
  const def = leaf.src.tableDef;
  const ix = leaf.access?.index ?? (row.type === 'index' ? leaf.order?.index : undefined);
  if (!def || !ix) return [];
  const a = leaf.access;
  const n = !a ? ix.parts.length : a.inList ? 1 : a.eq.length + (a.low || a.high ? 1 : 0);
  return ix.parts.slice(0, n).map((p) => def.columns[p.column]!.name);
}

/** Estimate a block: its tables in join order, then what the block does with the rows. */
export function estimateBlock(shape: Extract<QueryShape, { kind: 'block' }>, rt: Runtime): BlockEstimate {
  const p = shape.plan;
  const rows = explainBlock(p, shape.core.where !== undefined, rt);
  const tables: TableEstimate[] = [];
  let prefixRows = 1;
  let prefixCost = 0;
  if (p.tree) {
    const leaves = leavesOf(p.tree);
    leaves.forEach((leaf, i) => {
      const row = rows[i]!;
      const examined = tableRows(leaf, row, rt);
      const attached = conjunction(leaf.filters);
      const keys = keyColumns(leaf);
      let keep = 1;
      for (const c of conjuncts(attached)) if (!answeredByKey(c, keys)) keep *= selectivity(c);
      const readCost = prefixRows * examined * ROW_READ_COST;
      const produced = prefixRows * examined * keep;
      const evalCost = prefixRows * examined * ROW_EVALUATE_COST;
      prefixCost += readCost + evalCost;
      tables.push({
        leaf,
        row,
        examined,
        filtered: keep * 100,
        prefixRows,
        produced,
        readCost,
        evalCost,
        prefixCost,
        attached,
        usedKeyParts: usedKeyParts(leaf, row),
        usedColumns: usedColumns(leaf.src),
        rowBytes: rowBytes(leaf.src),
      });
      prefixRows = produced;
    });
  }
  let joined = p.tree ? prefixRows : 1;
  for (const c of conjuncts(conjunction(p.topFilters))) joined *= selectivity(c);
  const joinCost = prefixCost;
  let out = joined;
  if (p.group) out = p.group.exprs.length ? Math.max(1, Math.ceil(joined)) : 1;
  if (p.having) out *= OTHER_SELECTIVITY;
  let cost = joinCost;
  if (p.order && !(p.orderedRead?.total)) cost += out * ROW_SORT_COST;
  const { count } = limitsOf(p.limit, rt);
  if (count >= 0) out = Math.min(out, count);
  return { tables, joined, out, joinCost, cost };
}

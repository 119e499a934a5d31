/**
 * The traditional EXPLAIN rows of a block's plan: per table, the access type the planner chose
 * (const / eq_ref / ref / range / index / ALL), the index and key length it reads, and the Extra
 * notes (no "Using filesort" when an index gives the ORDER BY; "Backward index scan" when it is
 * read from its end).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXEC-043 INNODB-LOCK-309
 */
import type { IndexDef } from '../../../kernel/table-def.js';
import type { Runtime } from '../../../sql/eval/index.js';
import type { Source } from '../scope.js';
import { sessionOf } from '../run/context.js';
import { leavesOf } from './tree.js';
import type { BlockPlan, ExplainRow, Leaf } from './types.js';

const KEY_BYTES: Record<string, number> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8, DATE: 3, TIME: 3, DATETIME: 5, TIMESTAMP: 4, YEAR: 1, FLOAT: 4, DOUBLE: 8 };

function keyLength(src: Source, ix: IndexDef, parts: number): string {
  let n = 0;
  for (let i = 0; i < parts; i++) {
    const col = src.tableDef!.columns[ix.parts[i]!.column]!;
    const t = col.type;
    let b = KEY_BYTES[t.name];
    if (b === undefined) {
      if (t.name === 'CHAR' || t.name === 'BINARY') b = (t.length ?? 1) * (t.name === 'CHAR' ? 4 : 1);
      else if (t.name === 'VARCHAR' || t.name === 'VARBINARY') b = (t.length ?? 1) * (t.name === 'VARCHAR' ? 4 : 1) + 2;
      else if (t.name === 'DECIMAL') b = Math.ceil((t.length ?? 10) / 2) + 1;
      else b = 8;
    }
    n += b + (col.nullable ? 1 : 0);
  }
  return String(n);
}

/** @req CORE-EXEC-043 */
export function explainBlock(p: BlockPlan, hasWhere: boolean, rt: Runtime): ExplainRow[] {
  const extras: string[] = [];
  if (p.group && p.group.exprs.length) extras.push('Using temporary');
  // An index read in ORDER BY order leaves nothing to sort (plan/order.ts), unless it gives
  // only the leading items.
  const r = p.orderedRead;
  if (p.order && !(r && (r.total || r.given >= p.order.exprs.length))) extras.push('Using filesort');
  if (!p.tree) return [{ table: null, type: null, possibleKeys: null, key: null, keyLen: null, ref: null, rows: null, extra: hasWhere ? 'Impossible WHERE' : 'No tables used' }];
  const leaves = leavesOf(p.tree);
  return leaves.map((leaf, i) => {
    const filtered = leaf.filters.length > 0 || (i === leaves.length - 1 && p.topFilters.length > 0);
    const ex = [filtered ? 'Using where' : null, ...(i === 0 ? extras : []), leaf.order?.reverse ? 'Backward index scan' : null].filter((x): x is string => x !== null);
    return explainLeaf(leaf, ex, leaves.length, rt);
  });
}

function explainLeaf(leaf: Leaf, ex: string[], tables: number, rt: Runtime): ExplainRow {
  const src = leaf.src;
  const a = leaf.access;
  const opened = src.opened;
  let rows: number | null = null;
  if (opened?.kind === 'base') {
    try {
      rows = opened.handler.stats(sessionOf(rt).engineContext(opened.def.engine)).rows;
    } catch {
      rows = null;
    }
  }
  // Read whole in an index's order for the ORDER BY: MySQL's full index scan.
  const o = leaf.order;
  if (!a && o) return { table: src.alias, type: 'index', possibleKeys: null, key: o.index.name, keyLen: src.tableDef ? keyLength(src, o.index, o.index.parts.length) : null, ref: null, rows, extra: ex.length ? ex.join('; ') : null };
  if (!a) return { table: src.alias, type: 'ALL', possibleKeys: null, key: null, keyLen: null, ref: null, rows, extra: ex.length ? ex.join('; ') : null };
  const unique = (a.index.kind === 'PRIMARY' || a.index.kind === 'UNIQUE') && a.eq.length === a.index.parts.length;
  const constant = a.eq.every((e) => e.constant);
  // Conditions fully answered by a unique lookup leave nothing to filter.
  if (unique && !a.inList && !a.low && !a.high && leaf.filters.length <= a.eq.length && ex[0] === 'Using where') ex.shift();
  const type = a.inList || a.low || a.high ? 'range' : unique ? (constant && tables === 1 ? 'const' : 'eq_ref') : 'ref';
  const parts = a.inList ? 1 : a.eq.length + (a.low || a.high ? 1 : 0);
  return {
    table: src.alias,
    type,
    possibleKeys: a.index.name,
    key: a.index.name,
    keyLen: src.tableDef ? keyLength(src, a.index, parts) : null,
    ref: type === 'range' ? null : a.eq.map((e) => (e.constant ? 'const' : 'func')).join(','),
    rows: unique && type !== 'range' ? 1 : rows,
    extra: ex.length ? ex.join('; ') : null,
  };
}

/**
 * ORDER BY given by an index. When the ORDER BY of a block is a list of plain columns of its
 * first table that an index of that table orders by (after the parts its access path binds by
 * equality, all in the index's direction or all against it), the table is read in that index's
 * order, forwards or backwards, and the block need not read every row before it can answer: it
 * stops after its LIMIT. That matters twice: a big table is not read whole for a few rows, and a
 * locking read (FOR UPDATE, FOR SHARE, the rows UPDATE and DELETE change) locks only the rows it
 * read up to there, as MySQL does, instead of every row of the table or the range.
 *
 * Results stay those of a sort. When the columns the order covers (with the parts bound by
 * equality) hold a unique key whose columns are all NOT NULL, no two rows tie and the rows
 * arrive already sorted (whatever ORDER BY items follow): the sort is skipped. Otherwise rows
 * may tie, or the index gives only the leading ORDER BY items; they are still sorted, by the
 * ORDER BY followed by the clustering key (the order of the engine's scan, which a stable sort
 * keeps for ties), and the read stops at the first row that sorts after every row the LIMIT
 * keeps on the items the index gives. That needs an engine whose scan follows its clustering
 * key (EngineCapabilities.clusteredScan); elsewhere such a block is sorted as before.
 *
 * Only column types whose index order is exactly the sort's order qualify: integers, FLOAT and
 * DOUBLE, DECIMAL of at most 15 digits (keyed as doubles beyond the integers), DATE, TIME,
 * DATETIME, BINARY and VARBINARY. Text columns do not: their index keys fold by an
 * approximation of the collation that orders some characters differently from the sort's
 * comparison (a column bound by equality is fine: every row read has the same key). An index
 * with a prefix part, a HASH index, and an IN-list read never give the order.
 *
 * Without an access path an index is read for the order alone only under a LIMIT (as MySQL
 * prefers a sort to a full read of a secondary index), except the primary key when no rows tie.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/order-by-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/limit-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html (15.7.3)
 * @req CORE-EXEC-034 CORE-EXEC-043 INNODB-LOCK-309
 */
import type { ColumnDef, IndexDef, TableDef } from '../../../kernel/table-def.js';
import type { ColumnRef, Expr } from '../../../sql/ast.js';
import type { CompiledExpr } from '../../../sql/eval/index.js';
import type { Scope, Source } from '../scope.js';
import { leavesOf } from './tree.js';
import type { Leaf, LeafOrder, OrderedRead, OrderPlan, TreeNode } from './types.js';

/** One ORDER BY item as a column of the table read: its position in the table and direction. */
export interface OrderColumn {
  col: number;
  desc: boolean;
}

/** The planner's answer for one leaf: how it reads, whether rows can tie, and, when they can,
 *  the clustering key that orders ties. */
export interface OrderChoice {
  order: LeafOrder;
  total: boolean;
  /** Leading ORDER BY items the read's order gives. */
  given: number;
  tieBreak: OrderColumn[] | null;
}

/** `scope.lookup(e)` with the scope's alias mode set to `mode` for the one lookup. */
function lookupWith(scope: Scope, e: ColumnRef, mode: Scope['aliasMode']): ReturnType<Scope['lookup']> {
  const saved = scope.aliasMode;
  scope.aliasMode = mode;
  try {
    return scope.lookup(e);
  } finally {
    scope.aliasMode = saved;
  }
}

/**
 * The column of `src` that an ORDER BY expression names, or null. `items` resolves aliases and
 * ordinals (a select list; none for UPDATE and DELETE): an alias names its item, which must
 * itself be a plain column; so does `ORDER BY 2` (`ordinal`: the position the item gives).
 */
export function orderColumnOf(scope: Scope, src: Source, e: Expr, items: readonly { expr: Expr; slot: number }[] | null, ordinal: number | null): number | null {
  let target = e;
  if (items) {
    if (ordinal !== null) {
      const it = items[ordinal - 1];
      if (!it) return null;
      target = it.expr;
    } else if (e.type === 'column' && e.table === undefined) {
      // ORDER BY resolves an unqualified name to a select-list alias before a column.
      const hit = lookupWith(scope, e, 'first');
      if (hit === null || hit === 'ambiguous') return null;
      if (!('source' in hit) || !hit.source) {
        const it = items.find((x) => x.slot === hit.slot);
        if (!it) return null;
        target = it.expr;
      }
    }
  }
  if (target.type !== 'column' || target.name === '*') return null;
  const hit = lookupWith(scope, target, 'none');
  if (hit === null || hit === 'ambiguous' || !('source' in hit) || hit.source !== src) return null;
  const col = hit.slot - src.base;
  // A column merged by USING / NATURAL may read another table's slot.
  if (col < 0 || col >= src.columns.length || src.columns[col] !== hit.column) return null;
  return col;
}

/** Whether an index on `c` orders its values exactly as ORDER BY compares them. */
export function orderSafeColumn(c: ColumnDef): boolean {
  if (c.generated && !c.generated.stored) return false;
  switch (c.type.name) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'BIGINT':
    case 'YEAR':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DATE':
    case 'TIME':
    case 'DATETIME':
    case 'BINARY':
    case 'VARBINARY':
      return true;
    case 'DECIMAL':
      return (c.type.length ?? 10) <= 15;
    default:
      return false;
  }
}

/** An index that can be read in order: B-tree, visible (or the primary key), no prefix part. */
function orderable(ix: IndexDef): boolean {
  if (ix.algorithm !== 'BTREE') return false;
  if (!ix.visible && ix.kind !== 'PRIMARY') return false;
  return ix.parts.every((p) => p.length === undefined);
}

/** The index engines cluster on: the primary key, else the first UNIQUE index of NOT NULL
 *  columns (what InnoDB picks). */
function clusteringIndex(def: TableDef): IndexDef | null {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (pk) return pk;
  return def.indexes.find((i) => i.kind === 'UNIQUE' && i.parts.every((p) => p.length === undefined && !def.columns[p.column]!.nullable)) ?? null;
}

/** Whether rows that agree on `fixed` are one row: a unique key of NOT NULL columns inside it. */
function unique(def: TableDef, fixed: ReadonlySet<number>): boolean {
  return def.indexes.some(
    (u) => (u.kind === 'PRIMARY' || u.kind === 'UNIQUE') && u.parts.every((p) => p.length === undefined && fixed.has(p.column) && !def.columns[p.column]!.nullable),
  );
}

/**
 * How far reading `ix` with its first `eq` parts bound gives the order of the ORDER BY `items`
 * (null for an item that is not a plain column of the table), and in which direction: `given`,
 * how many leading items it gives (parts bound by equality are constant, and a column named
 * again adds nothing); `total` when no two rows the read returns tie on those, so the rest of
 * the ORDER BY cannot matter. Null when it gives none.
 */
export function indexGivesOrder(def: TableDef, ix: IndexDef, eq: number, items: readonly (OrderColumn | null)[]): { reverse: boolean; total: boolean; given: number } | null {
  if (!orderable(ix) || items.length === 0) return null;
  const bound = new Set(ix.parts.slice(0, eq).map((p) => p.column));
  // An equality read of a whole unique key returns one row at most: any order holds.
  if (eq === ix.parts.length && (ix.kind === 'PRIMARY' || ix.kind === 'UNIQUE')) return { reverse: false, total: true, given: items.length };
  const fixed = new Set(bound);
  let reverse: boolean | null = null;
  let next = eq;
  let given = 0;
  for (const item of items) {
    if (item === null) break;
    if (!fixed.has(item.col)) {
      const part = ix.parts[next];
      if (!part || part.column !== item.col || !orderSafeColumn(def.columns[part.column]!)) break;
      const against = item.desc !== (part.desc === true);
      if (reverse !== null && reverse !== against) break;
      reverse = against;
      fixed.add(item.col);
      next++;
    }
    given++;
  }
  // Nothing of the order beyond what the equality binds: nothing to gain over the sort.
  if (next === eq) return null;
  const total = unique(def, fixed);
  return { reverse: reverse ?? false, total, given: total ? items.length : given };
}

/** The clustering key as tie-breaking sort columns, when the engine's scan follows it and its
 *  columns sort as their keys do. */
function tieBreakOf(src: Source): OrderColumn[] | null {
  const opened = src.opened;
  const def = src.tableDef;
  if (!def || opened?.kind !== 'base' || opened.engine.capabilities.clusteredScan !== true) return null;
  const ck = clusteringIndex(def);
  if (!ck || !ck.parts.every((p) => orderSafeColumn(def.columns[p.column]!))) return null;
  return ck.parts.map((p) => ({ col: p.column, desc: p.desc === true }));
}

/**
 * How `leaf` reads so that its rows come in the order of `cols` (ORDER BY items as its columns;
 * null for an item that is not one), or null when no index gives a useful part of that order.
 * `limited`: the statement has a LIMIT.
 * @req CORE-EXEC-034 INNODB-LOCK-309
 */
export function chooseOrderedRead(leaf: Leaf, cols: readonly (OrderColumn | null)[], limited: boolean): OrderChoice | null {
  const src = leaf.src;
  const def = src.tableDef;
  const opened = src.opened;
  if (src.derived || !def || opened?.kind !== 'base' || !opened.engine.capabilities.indexes) return null;
  const pick = (ix: IndexDef, prefix: number, r: { reverse: boolean; total: boolean; given: number }): OrderChoice | null => {
    // Rows that may tie gain nothing from the index without a LIMIT to stop at.
    const tieBreak = r.total || !limited ? null : tieBreakOf(src);
    if (!r.total && !tieBreak) return null;
    return { order: { index: ix, reverse: r.reverse, prefix }, total: r.total, given: r.given, tieBreak };
  };
  const a = leaf.access;
  if (a) {
    // Only the access path's own index; an IN list reads its keys in list order.
    if (a.inList) return null;
    const r = indexGivesOrder(def, a.index, a.eq.length, cols);
    return r ? pick(a.index, a.eq.length, r) : null;
  }
  // No access path: an index read whole, the primary key first, then unique keys, then others;
  // one that gives the whole order without ties first, else the one that gives most of it.
  const rank = (ix: IndexDef): number => (ix.kind === 'PRIMARY' ? 0 : ix.kind === 'UNIQUE' ? 1 : 2);
  const candidates = def.indexes.filter((ix) => ix.kind !== 'FULLTEXT' && ix.kind !== 'SPATIAL').sort((x, y) => rank(x) - rank(y));
  let best: OrderChoice | null = null;
  for (const ix of candidates) {
    if (!opened.engine.capabilities.indexAlgorithms.includes(ix.algorithm)) continue;
    const r = indexGivesOrder(def, ix, 0, cols);
    if (!r) continue;
    // Without a LIMIT the whole table is read anyway: only the primary key, which costs a scan.
    if (!limited && !(ix.kind === 'PRIMARY' && r.total)) continue;
    const c = pick(ix, 0, r);
    if (!c) continue;
    if (c.total) return c;
    if (!best || c.given > best.given) best = c;
  }
  return best;
}

/** A compiled read of one column of `src` (for the tie-breaking sort keys). */
function columnReader(src: Source, col: number): CompiledExpr {
  const slot = src.base + col;
  return { eval: (row) => row[slot] ?? null, type: src.columns[col]!.type };
}

/**
 * Plan the ordered read of a block (or of an UPDATE's or DELETE's rows): the first table of
 * `tree` is read in an index's order when that gives `order`. Sets the leaf's `order` and returns
 * the plan the executor follows, or null (the rows are sorted).
 * @req CORE-EXEC-034 INNODB-LOCK-309
 */
export function planOrderedRead(tree: TreeNode | null, order: OrderPlan, cols: readonly (OrderColumn | null)[], limited: boolean): OrderedRead | null {
  if (!tree) return null;
  const leaf = leavesOf(tree)[0]!;
  const choice = chooseOrderedRead(leaf, cols, limited);
  if (!choice) return null;
  leaf.order = choice.order;
  if (choice.total) return { leaf, total: true, sort: null, given: order.exprs.length };
  const tie = choice.tieBreak!;
  // The ORDER BY items past `given` and the clustering key are the sorter's to order.
  const src = leaf.src;
  const sort: OrderPlan = {
    exprs: [...order.exprs, ...tie.map((t) => columnReader(src, t.col))],
    desc: [...order.desc, ...tie.map((t) => t.desc)],
    collations: [...order.collations, ...tie.map((t) => src.columns[t.col]!.type.collation)],
  };
  return { leaf, total: false, sort, given: choice.given };
}

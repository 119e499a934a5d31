/**
 * The planner's choice of an index that gives a block's ORDER BY (plan/order.ts), on table
 * definitions alone: which index, which direction, whether rows can tie, how many ORDER BY items
 * the index gives; and the output stage's early stop when the rows arrive in that order.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { column, tableDef } from '../../helpers/table-def.js';
import type { OpenedTable } from '../../../src/catalog/catalog-api.js';
import type { ColumnDef, IndexDef, TableDef } from '../../../src/kernel/table-def.js';
import type { Value } from '../../../src/kernel/value.js';
import type { CompiledExpr, ExprType } from '../../../src/sql/eval/index.js';
import type { EngineCapabilities } from '../../../src/storage/handler.js';
import { chooseOrderedRead, indexGivesOrder, orderSafeColumn, planOrderedRead, type OrderColumn } from '../../../src/exec/query/plan/order.js';
import { newLeaf } from '../../../src/exec/query/plan/tree.js';
import type { Leaf } from '../../../src/exec/query/plan/types.js';
import type { Source } from '../../../src/exec/query/scope.js';
import { OutputStage } from '../../../src/exec/query/run/output.js';
import { newMeter } from '../../../src/exec/query/run/pause.js';

const INT: ExprType = { kind: 'int', length: 11, decimals: 0, nullable: true };

function ix(name: string, kind: IndexDef['kind'], parts: { column: number; desc?: boolean; length?: number }[], algorithm: IndexDef['algorithm'] = 'BTREE'): IndexDef {
  return { name, kind, algorithm, parts, comment: '', visible: true };
}

/** t(id INT PK, a INT NULL, b INT NOT NULL, s VARCHAR(10), u INT NOT NULL, n INT NULL) with
 *  KEY ka(a), KEY kab(a, b DESC), KEY ks(s), UNIQUE uu(u), UNIQUE un(n), KEY kp(s(3)). */
function def(over: Partial<TableDef> = {}): TableDef {
  const cols: ColumnDef[] = [
    column('id', { nullable: false }),
    column('a'),
    column('b', { nullable: false }),
    column('s', { type: { name: 'VARCHAR', length: 10 }, collation: 'utf8mb4_0900_ai_ci' }),
    column('u', { nullable: false }),
    column('n'),
  ];
  return tableDef({
    engine: 'InnoDB',
    columns: cols,
    indexes: [
      ix('PRIMARY', 'PRIMARY', [{ column: 0 }]),
      ix('ka', 'INDEX', [{ column: 1 }]),
      ix('kab', 'INDEX', [{ column: 1 }, { column: 2, desc: true }]),
      ix('ks', 'INDEX', [{ column: 3 }]),
      ix('uu', 'UNIQUE', [{ column: 4 }]),
      ix('un', 'UNIQUE', [{ column: 5 }]),
      ix('kp', 'INDEX', [{ column: 3, length: 3 }]),
    ],
    ...over,
  });
}

function caps(over: Partial<EngineCapabilities> = {}): EngineCapabilities {
  return {
    transactions: true, xa: true, savepoints: true, blobs: true, autoIncrement: true, indexes: true, indexAlgorithms: ['BTREE'], defaultIndexAlgorithm: 'BTREE',
    nullableIndexColumns: true, foreignKeys: true, fulltext: false, spatial: false, geometry: true, partitioning: false, nullableColumns: true, checkRepair: false,
    lockGranularity: 'row', temporaryTables: true, clusteredScan: true, maxKeys: 64, maxKeyParts: 16, maxKeyLength: 3072, ...over,
  };
}

function leafOf(d: TableDef, c: EngineCapabilities = caps()): Leaf {
  const opened = { kind: 'base', def: d, handler: {}, engine: { capabilities: c } } as unknown as OpenedTable;
  const src: Source = {
    index: 0, alias: 't', schema: 'db', orgTable: 't', base: 0, tableDef: d, opened, hidden: new Set(), merged: new Map(), nullable: false,
    columns: d.columns.map((x) => ({ name: x.name, type: INT, def: x })),
  };
  return newLeaf(src);
}

/** An access path reading `index` with its first `eq` parts bound. */
function withAccess(leaf: Leaf, index: string, eq: number, inList = false): Leaf {
  const k: CompiledExpr = { eval: () => 1n, type: INT, constant: true };
  const index_ = leaf.src.tableDef!.indexes.find((i) => i.name === index)!;
  leaf.access = inList ? { index: index_, eq: [], keyTypes: [INT], inList: [k] } : { index: index_, eq: Array.from({ length: eq }, () => k), keyTypes: Array.from({ length: eq }, () => INT) };
  return leaf;
}

const asc = (col: number): OrderColumn => ({ col, desc: false });
const desc = (col: number): OrderColumn => ({ col, desc: true });

describe('planner: an index that gives the ORDER BY', () => {
  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'ORDER BY the primary key, either way: the primary key read forwards or backwards, no ties, with or without LIMIT'), () => {
    expect(chooseOrderedRead(leafOf(def()), [asc(0)], true)).toMatchObject({ order: { index: { name: 'PRIMARY' }, reverse: false, prefix: 0 }, total: true });
    expect(chooseOrderedRead(leafOf(def()), [desc(0)], true)).toMatchObject({ order: { index: { name: 'PRIMARY' }, reverse: true }, total: true });
    expect(chooseOrderedRead(leafOf(def()), [desc(0)], false)).toMatchObject({ order: { index: { name: 'PRIMARY' }, reverse: true }, total: true });
    // Whatever follows a unique column cannot matter, even an expression (null) or another direction.
    expect(chooseOrderedRead(leafOf(def()), [asc(0), desc(1), null], true)).toMatchObject({ order: { index: { name: 'PRIMARY' } }, total: true });
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'a secondary index gives its order only under a LIMIT; rows that may tie are sorted with the clustering key'), () => {
    expect(chooseOrderedRead(leafOf(def()), [asc(1)], false)).toBeNull();
    const c = chooseOrderedRead(leafOf(def()), [desc(1)], true)!;
    expect(c).toMatchObject({ order: { index: { name: 'ka' }, reverse: true }, total: false, given: 1, tieBreak: [{ col: 0, desc: false }] });
    // kab is (a, b DESC): ORDER BY a, b DESC forwards, a DESC, b backwards; a, b gives a only.
    expect(chooseOrderedRead(leafOf(def()), [asc(1), desc(2)], true)).toMatchObject({ order: { index: { name: 'kab' }, reverse: false }, given: 2 });
    expect(chooseOrderedRead(leafOf(def()), [desc(1), asc(2)], true)).toMatchObject({ order: { index: { name: 'kab' }, reverse: true }, given: 2 });
    expect(chooseOrderedRead(leafOf(def()), [asc(1), asc(2)], true)).toMatchObject({ total: false, given: 1 });
    // A UNIQUE index of a NOT NULL column has no ties; one of a nullable column may (NULLs).
    expect(chooseOrderedRead(leafOf(def()), [asc(4)], true)).toMatchObject({ order: { index: { name: 'uu' } }, total: true });
    expect(chooseOrderedRead(leafOf(def()), [asc(5)], true)).toMatchObject({ order: { index: { name: 'un' } }, total: false });
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'an engine whose scan does not follow the clustering key sorts rows that may tie; rows that cannot tie still stream'), () => {
    const memoryLike = caps({ clusteredScan: false });
    expect(chooseOrderedRead(leafOf(def(), memoryLike), [asc(1)], true)).toBeNull();
    expect(chooseOrderedRead(leafOf(def(), memoryLike), [asc(4)], true)).toMatchObject({ total: true });
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'what no index gives is sorted: text columns, prefix parts, HASH indexes, non-columns, IN lists, another index than the access path'), () => {
    expect(orderSafeColumn(def().columns[3]!)).toBe(false);
    expect(chooseOrderedRead(leafOf(def()), [asc(3)], true)).toBeNull();
    expect(chooseOrderedRead(leafOf(def()), [null, asc(0)], true)).toBeNull();
    const hashPk = def({ indexes: [ix('PRIMARY', 'PRIMARY', [{ column: 0 }], 'HASH')] });
    expect(chooseOrderedRead(leafOf(hashPk, caps({ indexAlgorithms: ['BTREE', 'HASH'] })), [asc(0)], true)).toBeNull();
    expect(indexGivesOrder(def(), def().indexes.find((i) => i.name === 'kp')!, 0, [asc(3)])).toBeNull();
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'ka', 0, true), [asc(1)], true)).toBeNull();
    // An access path on ka: ORDER BY id is not its order, and no other index is read instead.
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'ka', 1), [asc(0)], true)).toBeNull();
    // Mixed directions on a primary key of two ascending parts.
    const two = def({ indexes: [ix('PRIMARY', 'PRIMARY', [{ column: 0 }, { column: 2 }])] });
    expect(chooseOrderedRead(leafOf(two), [asc(0), desc(2)], false)).toBeNull();
    expect(chooseOrderedRead(leafOf(two), [desc(0), desc(2)], false)).toMatchObject({ order: { reverse: true }, total: true });
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'an equality on the leading parts: the next part orders the read, the bound columns are constant'), () => {
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'kab', 1), [asc(2)], true)).toMatchObject({ order: { index: { name: 'kab' }, reverse: true, prefix: 1 }, given: 1 });
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'kab', 1), [asc(1), desc(2), asc(1)], true)).toMatchObject({ order: { reverse: false, prefix: 1 }, given: 3 });
    // Only the bound column: nothing to gain over the sort.
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'kab', 1), [asc(1)], true)).toBeNull();
    // An equality read of a whole unique key returns one row: any ORDER BY holds.
    expect(chooseOrderedRead(withAccess(leafOf(def()), 'PRIMARY', 1), [desc(1), asc(3)], true)).toMatchObject({ total: true, order: { prefix: 1 } });
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'the plan: no sort when nothing ties; else the ORDER BY followed by the clustering key, stopping on the items the index gives'), () => {
    const order = { exprs: [{ eval: () => null, type: INT }] as CompiledExpr[], desc: [true], collations: [undefined] };
    const total = leafOf(def());
    expect(planOrderedRead(total, order, [desc(0)], true)).toMatchObject({ total: true, sort: null });
    expect(total.order).toMatchObject({ index: { name: 'PRIMARY' }, reverse: true });
    const ties = leafOf(def());
    const p = planOrderedRead(ties, order, [desc(1)], true)!;
    expect(p).toMatchObject({ total: false, given: 1, sort: { desc: [true, false] } });
    expect(p.sort!.exprs[1]!.eval([7n, 1n, 2n, null, 3n, null], {} as never)).toBe(7n);
    expect(planOrderedRead(leafOf(def()), order, [asc(3)], true)).toBeNull();
  });
});

describe('output stage over rows that arrive in order', () => {
  const plan = { desc: [false, false], collations: [undefined, undefined] };
  const feed = (out: OutputStage, keys: [number, number][]): number => {
    let n = 0;
    for (const [k, id] of keys) {
      if (out.done) break;
      n++;
      out.accept([BigInt(id)], [BigInt(k), BigInt(id)] as Value[]);
    }
    return n;
  };

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'unit', 'reading stops at the first row past the rows the LIMIT keeps, not inside a run of ties'), () => {
    const out = new OutputStage(0, 2, plan, false, null, 1);
    // keys 1, 2, 2, 2, 3, 4: the LIMIT's second row ties with two more; the 3 ends the read.
    expect(feed(out, [[1, 10], [2, 30], [2, 20], [2, 40], [3, 5], [4, 1]])).toBe(5);
    expect(out.done).toBe(true);
    expect([...out.finish(newMeter(), true)].filter((x) => Array.isArray(x))).toEqual([[10n], [20n]]);
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-039'], 'unit', 'with an OFFSET the kept rows include the skipped ones; SQL_CALC_FOUND_ROWS reads on to count'), () => {
    const out = new OutputStage(2, 1, plan, false, null, 1);
    expect(feed(out, [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]])).toBe(4);
    const counting = new OutputStage(0, 1, plan, true, null, 1);
    expect(feed(counting, [[1, 1], [2, 2], [3, 3]])).toBe(3);
    expect(counting.found).toBe(3);
  });
});

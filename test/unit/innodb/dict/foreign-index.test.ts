/**
 * How a foreign key finds rows in an InnoDB table: which index it searches, the records an index
 * search offers (entries of older versions included), the collation-aware key comparison, and
 * the record a failed search reports.
 */
import { describe, expect, it } from 'vitest';
import type { IndexDef } from '../../../../src/kernel/table-def.js';
import type { Row } from '../../../../src/kernel/value.js';
import { hashKey } from '../../../../src/storage/keys.js';
import { candidates, closestRecord, keyAccess, keyOf, rowHasKey, scanAccess } from '../../../../src/storage/innodb/dict/foreign-index.js';
import { InnodbTable, type ClusterRec } from '../../../../src/storage/innodb/index/innodb-table.js';
import type { TrxRecord } from '../../../../src/storage/innodb/trx/read-view.js';
import { req } from '../../../helpers/req.js';
import { column, tableDef } from '../../../helpers/table-def.js';

const committed: TrxRecord = { id: 1n, commitSeq: 1 };

function idx(name: string, kind: IndexDef['kind'], cols: number[], lengths: (number | undefined)[] = []): IndexDef {
  return { name, kind, algorithm: 'BTREE', parts: cols.map((column, i) => (lengths[i] === undefined ? { column } : { column, length: lengths[i]! })), comment: '', visible: true };
}

/** id INT PK, a INT, b VARCHAR (case-insensitive), c INT; KEY ab (a, b), KEY cp (c(…)) */
function table(indexes: IndexDef[]): InnodbTable {
  return new InnodbTable(
    tableDef({
      engine: 'InnoDB',
      columns: [
        column('id', { nullable: false }),
        column('a'),
        column('b', { type: { name: 'VARCHAR', length: 10 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' }),
        column('c', { type: { name: 'VARCHAR', length: 10 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' }),
      ],
      indexes,
    }),
  );
}

function add(t: InnodbTable, row: Row): ClusterRec {
  const key = t.clusterKey(row, null);
  return t.addRecord(key, hashKey(key), null, { row, trx: committed, deleted: false, prev: null });
}

describe('foreign key access paths', () => {
  const all = [idx('PRIMARY', 'PRIMARY', [0]), idx('ab', 'INDEX', [1, 2]), idx('cp', 'INDEX', [3], [3]), idx('ft', 'FULLTEXT', [2])];

  it(req(['INNODB-FK-102'], 'unit', 'the first index led by the key columns serves it; a secondary index counts with the primary key appended on the parent side only'), () => {
    const t = table(all);
    expect(keyAccess(t, [0], true)?.indexName).toBe('PRIMARY');
    expect(keyAccess(t, [1], false)?.indexName).toBe('ab');
    expect(keyAccess(t, [1, 2], false)).toMatchObject({ indexName: 'ab', searched: 2 });
    expect(keyAccess(t, [1, 2, 0], true)).toMatchObject({ indexName: 'ab', searched: 2 });
    expect(keyAccess(t, [1, 2, 0], false)).toBeNull();
    // Order matters, prefixes and FULLTEXT do not serve.
    expect(keyAccess(t, [2, 1], true)).toBeNull();
    expect(keyAccess(t, [3], true)).toBeNull();
    expect(keyAccess(t, [2], true)).toBeNull();
    expect(scanAccess(t, [3])).toMatchObject({ index: null, indexName: 'PRIMARY', searched: 0 });
  });

  it(req(['INNODB-FK-108', 'INNODB-FK-110'], 'unit', 'an index search offers every record an entry of which has the key; the newest version decides under the column collation'), () => {
    const t = table(all);
    const r1 = add(t, [1n, 5n, 'Ab', 'x']);
    add(t, [2n, 5n, 'zz', 'x']);
    const r3 = add(t, [3n, 6n, 'ab', 'x']);
    // r3 moves away from (6, 'ab'): its old entry stays until purge, so it is still a candidate.
    t.pushVersion(r3, { row: [3n, 5n, 'AB', 'x'], trx: committed, deleted: false, prev: null });
    const a = keyAccess(t, [1, 2], true)!;
    const key = keyOf(a, [5n, 'ab']);
    const found = candidates(a, [5n, 'ab']);
    expect(found.map((r) => r.slot).sort()).toEqual([r1.slot, r3.slot].sort());
    expect(found.filter((r) => rowHasKey(a, r.head.row, key)).map((r) => r.slot).sort()).toEqual([r1.slot, r3.slot].sort());
    expect(candidates(a, [6n, 'ab']).map((r) => rowHasKey(a, r.head.row, keyOf(a, [6n, 'ab'])))).toEqual([false]);
    // A key over columns no index leads is answered by scanning.
    expect(candidates(scanAccess(t, [3]), ['X'])).toHaveLength(3);
  });

  it(req(['INNODB-FK-108'], 'unit', 'a failed search reports the first record at or after the key, else the last, else none'), () => {
    const t = table(all);
    const a = keyAccess(t, [0], true)!;
    expect(closestRecord(a, [4n])).toBeNull();
    add(t, [1n, null, null, null]);
    const r7 = add(t, [7n, null, null, null]);
    expect(closestRecord(a, [4n])).toBe(r7);
    expect(closestRecord(a, [9n])).toBe(r7);
  });
});

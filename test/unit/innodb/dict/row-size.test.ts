/**
 * Row sizes: the server's declared size (65,535 limit) and InnoDB's worst-case record per index
 * (half-page limit). Expected sizes are summed by hand in each test.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import {
  clusteredIndexLayout,
  clusteredKey,
  declaredRowSize,
  indexLayouts,
  indexRecordSize,
  secondaryIndexLayout,
  serverPackLength,
} from '../../../../src/storage/innodb/dict/row-size.js';
import { col, cols, key, table } from './table-fixtures.js';

const DYN16 = { compact: true, pageSize: 16384 };

describe('declared row size (server, 65,535)', () => {
  it(req(['INNODB-LIMIT-012'], 'unit', 'VARCHAR(65533) NOT NULL latin1 is exactly 65535; nullable adds a null-bit byte'), () => {
    expect(declaredRowSize(table([col('a', 'VARCHAR', { length: 65533, charset: 'latin1', notNull: true })]), 'DEFAULT')).toBe(65533 + 2);
    expect(declaredRowSize(table([col('a', 'VARCHAR', { length: 65533, charset: 'latin1' })]), 'DEFAULT')).toBe(65533 + 2 + 1);
  });

  it(req(['INNODB-LIMIT-012'], 'unit', 'two VARCHAR(32766) latin1: 2 x (32766 + 2) + a null byte'), () => {
    const t = table([col('a', 'VARCHAR', { length: 32766, charset: 'latin1' }), col('b', 'VARCHAR', { length: 32766, charset: 'latin1' })]);
    expect(declaredRowSize(t, 'DEFAULT')).toBe(2 * 32768 + 1);
  });

  it(req(['INNODB-LIMIT-012'], 'unit', 'VARCHAR length bytes: 1 up to 255 bytes of data, 2 above, counting the charset maximum'), () => {
    expect(serverPackLength(col('a', 'VARCHAR', { length: 255, charset: 'latin1' }))).toBe(256);
    expect(serverPackLength(col('a', 'VARCHAR', { length: 256, charset: 'latin1' }))).toBe(258);
    expect(serverPackLength(col('a', 'VARCHAR', { length: 64, charset: 'utf8mb4' }))).toBe(256 + 2);
    expect(serverPackLength(col('a', 'VARCHAR', { length: 63, charset: 'utf8mb4' }))).toBe(252 + 1);
    expect(serverPackLength(col('a', 'CHAR', { length: 10, charset: 'utf8mb4' }))).toBe(40);
    expect(serverPackLength(col('a', 'CHAR', { length: 10, charset: 'latin1' }))).toBe(10);
  });

  it(req(['INNODB-LIMIT-012'], 'unit', 'BLOB and TEXT count 9 to 12 bytes (length bytes plus an 8-byte pointer), JSON 12'), () => {
    expect(['TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB'].map((t) => serverPackLength(col('b', t as 'BLOB')))).toEqual([9, 10, 11, 12]);
    expect(['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT'].map((t) => serverPackLength(col('b', t as 'TEXT')))).toEqual([9, 10, 11, 12]);
    expect(serverPackLength(col('j', 'JSON'))).toBe(12);
  });

  it(req(['INNODB-LIMIT-012'], 'unit', 'a table without VARCHAR or BLOB is not packed: one more bit for the deleted flag'), () => {
    const ints = (n: number, notNull: boolean) => table(cols(n, (c) => col(c, 'INT', { notNull })));
    expect(declaredRowSize(ints(3, true), 'DEFAULT')).toBe(1 + 12); // the deleted bit alone takes a byte
    expect(declaredRowSize(ints(7, false), 'DEFAULT')).toBe(1 + 28); // 7 null bits + 1
    expect(declaredRowSize(ints(8, false), 'DEFAULT')).toBe(2 + 32); // 8 null bits + 1
    expect(declaredRowSize(ints(3, true), 'DYNAMIC')).toBe(12); // explicit DYNAMIC packs the record
    const v = table([col('a', 'VARCHAR', { length: 10, charset: 'latin1', notNull: true })]);
    expect(declaredRowSize(v, 'DEFAULT')).toBe(11);
    expect(declaredRowSize(v, 'FIXED')).toBe(12); // FIXED keeps VARCHAR from packing
  });

  it(req(['INNODB-LIMIT-012'], 'unit', 'virtual generated columns count toward the declared size'), () => {
    const t = table([col('a', 'INT', { notNull: true }), col('v', 'CHAR', { length: 100, charset: 'latin1', notNull: true, generated: false })]);
    expect(declaredRowSize(t, 'DYNAMIC')).toBe(4 + 100);
  });
});

describe('InnoDB worst-case record size (half a page)', () => {
  const chars = (n: number, charset = 'latin1') => cols(n, (c) => col(c, 'CHAR', { length: 255, charset }));

  it(req(['INNODB-LIMIT-009'], 'unit', '31 CHAR(255) latin1 fit at 16 KB, 32 reach 8126'), () => {
    // header 5 + null bitmap (31 nullable -> 4) + row id 6 + trx id 6 + roll ptr 7 + 31 x 255
    const ok = indexRecordSize(clusteredIndexLayout(table(chars(31)), true), DYN16);
    expect(ok).toEqual({ fits: true, size: 5 + 4 + 19 + 31 * 255, limit: 8126 });
    const bad = indexRecordSize(clusteredIndexLayout(table(chars(32)), true), DYN16);
    expect(bad).toEqual({ fits: false, size: 5 + 4 + 19 + 32 * 255, limit: 8126, field: 'c32' });
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'at 64 KB the limit is 16383: 64 CHAR(255) fit, 65 do not'), () => {
    const f64 = { compact: true, pageSize: 65536 };
    expect(indexRecordSize(clusteredIndexLayout(table(chars(64)), true), f64)).toMatchObject({ fits: true, size: 5 + 8 + 19 + 64 * 255 });
    expect(indexRecordSize(clusteredIndexLayout(table(chars(65)), true), f64)).toMatchObject({ fits: false, limit: 16383 });
  });

  it(req(['INNODB-LIMIT-009', 'INNODB-LIMIT-011'], 'unit', 'long variable columns count 40 bytes + 1 (they can go off-page), in DYNAMIC and COMPACT alike'), () => {
    const t = table(cols(10, (c) => col(c, 'VARCHAR', { length: 2000, charset: 'latin1' })));
    const expected = 5 + 2 + 19 + 10 * (40 + 1);
    expect(indexRecordSize(clusteredIndexLayout(t, true), DYN16)).toEqual({ fits: true, size: expected, limit: 8126 });
    // TEXT columns count 41 each too: 196 of them fit (8085 bytes), the 197th reaches 8126.
    const many = (n: number) => table(cols(n, (c) => col(c, 'TEXT')));
    const hdr = (n: number) => 5 + Math.ceil(n / 8) + 19;
    expect(indexRecordSize(clusteredIndexLayout(many(196), true), DYN16)).toMatchObject({ fits: true, size: hdr(196) + 196 * 41 });
    expect(indexRecordSize(clusteredIndexLayout(many(197), true), DYN16).fits).toBe(false);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'short variable columns count their full length plus a length byte'), () => {
    const t = table([col('a', 'VARCHAR', { length: 40, charset: 'latin1', notNull: true }), col('b', 'VARCHAR', { length: 41, charset: 'latin1', notNull: true })]);
    expect(indexRecordSize(clusteredIndexLayout(t, true), DYN16).size).toBe(5 + 0 + 19 + (40 + 1) + (40 + 1));
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'CHAR in utf8mb4 is variable-length in COMPACT (41 bytes), fixed but over 768 in REDUNDANT (40)'), () => {
    const t = table([col('a', 'CHAR', { length: 255, notNull: true })]);
    expect(indexRecordSize(clusteredIndexLayout(t, true), DYN16).size).toBe(5 + 19 + 41);
    // REDUNDANT: header 6 + 2 offset bytes per field (4 fields) + system columns + 40.
    expect(indexRecordSize(clusteredIndexLayout(t, false), { compact: false, pageSize: 16384 })).toEqual({ fits: true, size: 6 + 8 + 19 + 40, limit: 8123 });
    const small = table([col('a', 'CHAR', { length: 100, notNull: true })]);
    expect(indexRecordSize(clusteredIndexLayout(small, false), { compact: false, pageSize: 16384 }).size).toBe(6 + 8 + 19 + 400);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'the clustered key comes first, the primary key replaces DB_ROW_ID, a prefix key column is stored again whole'), () => {
    const t = table([col('id', 'INT'), col('t', 'TEXT'), col('n', 'INT')], [key('PRIMARY', 'PRIMARY', [0])]);
    expect(clusteredIndexLayout(t, true).fields.map((f) => f.name)).toEqual(['id', 'DB_TRX_ID', 'DB_ROLL_PTR', 't', 'n']);
    const p = table([col('t', 'TEXT'), col('n', 'INT')], [key('PRIMARY', 'PRIMARY', [[0, 10]])]);
    const l = clusteredIndexLayout(p, true);
    expect(l.fields.map((f) => [f.name, f.prefixLen])).toEqual([['t', 40], ['DB_TRX_ID', 0], ['DB_ROLL_PTR', 0], ['t', 0], ['n', 0]]);
    expect(l.nUniqueInTree).toBe(1);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'the first UNIQUE key of NOT NULL whole columns is the clustered key; otherwise GEN_CLUST_INDEX'), () => {
    const a = col('a', 'INT', { notNull: true });
    const b = col('b', 'INT');
    expect(clusteredKey(table([a, b], [key('UNIQUE', 'ua', [0])]))?.name).toBe('ua');
    expect(clusteredKey(table([col('a', 'INT'), b], [key('UNIQUE', 'ua', [0])]))).toBeUndefined();
    expect(clusteredKey(table([col('s', 'VARCHAR', { length: 10, notNull: true })], [key('UNIQUE', 'us', [[0, 3]])]))).toBeUndefined();
    expect(clusteredIndexLayout(table([col('a', 'INT')]), true).name).toBe('GEN_CLUST_INDEX');
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'a secondary record holds its key, then the clustered key columns it lacks'), () => {
    const t = table([col('id', 'INT'), col('a', 'VARCHAR', { length: 10 }), col('b', 'INT')], [key('PRIMARY', 'PRIMARY', [0]), key('INDEX', 'k', [1, 0])]);
    expect(secondaryIndexLayout(t, t.indexes[1]!, true).fields.map((f) => f.name)).toEqual(['a', 'id']);
    const t2 = table([col('id', 'INT'), col('a', 'VARCHAR', { length: 10 })], [key('PRIMARY', 'PRIMARY', [0]), key('INDEX', 'k', [1])]);
    expect(secondaryIndexLayout(t2, t2.indexes[1]!, true).fields.map((f) => f.name)).toEqual(['a', 'id']);
    const t3 = table([col('a', 'INT')], [key('INDEX', 'k', [0])]);
    expect(secondaryIndexLayout(t3, t3.indexes[0]!, true).fields.map((f) => f.name)).toEqual(['a', 'DB_ROW_ID']);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'FULLTEXT adds the 8-byte FTS_DOC_ID to the clustered record and is itself not checked'), () => {
    const t = table([col('a', 'TEXT')], [key('FULLTEXT', 'ft', [0])]);
    expect(clusteredIndexLayout(t, true).fields.map((f) => f.name)).toEqual(['DB_ROW_ID', 'DB_TRX_ID', 'DB_ROLL_PTR', 'a', 'FTS_DOC_ID']);
    expect(indexLayouts(t, true).map((l) => l.name)).toEqual(['GEN_CLUST_INDEX']);
  });

  it(req(['INNODB-LIMIT-102'], 'unit', 'compressed 1 KB pages: the node-pointer half limit, as in mysql-test innodb_zip index_large_prefix'), () => {
    // (a1 INT, a2 TEXT NOT NULL) latin1 KEY_BLOCK_SIZE=1; page_rec_max 898, node pointers 449.
    const mk = (parts: Parameters<typeof key>[2]) => {
      const t = table([col('a1', 'INT'), col('a2', 'TEXT', { charset: 'latin1', notNull: true })], [key('INDEX', 'i', parts)]);
      return indexRecordSize(secondaryIndexLayout(t, t.indexes[0]!, true), { compact: true, pageSize: 16384, zipSize: 1024 });
    };
    expect(mk([[1, 436]]).fits).toBe(false);
    expect(mk([[1, 434]])).toEqual({ fits: true, size: 2 + 436 + 6, limit: 898 });
    expect(mk([0, [1, 430]]).fits).toBe(false);
    expect(mk([0, [1, 428]]).fits).toBe(true);
    const at = (kb: number, prefix: number) => {
      const t = table([col('a1', 'INT'), col('a2', 'TEXT', { charset: 'latin1', notNull: true })], [key('INDEX', 'i', [[1, prefix]])]);
      return indexRecordSize(secondaryIndexLayout(t, t.indexes[0]!, true), { compact: true, pageSize: 16384, zipSize: kb * 1024 }).fits;
    };
    expect([at(2, 948), at(2, 946), at(4, 1972), at(4, 1970)]).toEqual([false, true, false, true]);
  });
});

/**
 * validateInnodbTable: the error MySQL 8.0 gives for each limit of 15.22/15.23 (number, SQLSTATE,
 * exact text), the order in which the checks run, and the row format decided from
 * innodb_default_row_format, ROW_FORMAT, KEY_BLOCK_SIZE and the page size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { SqlError } from '../../../../src/kernel/errors.js';
import type { ColumnDef, IndexDef, TableDef } from '../../../../src/kernel/table-def.js';
import {
  InnodbDdlError,
  checkKeyLimits,
  rowSizeTooLargeError,
  validateInnodbTable,
  type InnodbValidationEnv,
} from '../../../../src/storage/innodb/dict/validate-table.js';
import { col, cols, key, table, type PartSpec } from './table-fixtures.js';

const ENV: InnodbValidationEnv = { pageSize: 16384, strictMode: true, defaultRowFormat: 'DYNAMIC' };

interface Failure {
  errno: number;
  sqlState: string;
  message: string;
  before?: { code: number; message: string }[];
}

function failure(def: TableDef, env: Partial<InnodbValidationEnv> = {}): Failure {
  try {
    validateInnodbTable(def, { ...ENV, ...env });
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    const f: Failure = { errno: e.errno, sqlState: e.sqlState, message: e.message };
    if (e instanceof InnodbDdlError) f.before = [...e.warningsBefore];
    return f;
  }
  throw new Error('expected an error');
}

const ok = (def: TableDef, env: Partial<InnodbValidationEnv> = {}) => validateInnodbTable(def, { ...ENV, ...env });

const TOO_LONG = (n: number): Failure => ({ errno: 1071, sqlState: '42000', message: `Specified key was too long; max key length is ${n} bytes` });
const TOO_MANY_COLUMNS: Failure = { errno: 1117, sqlState: 'HY000', message: 'Too many columns' };
const ROW_65535: Failure = {
  errno: 1118,
  sqlState: '42000',
  message: 'Row size too large. The maximum row size for the used table type, not counting BLOBs, is 65535. This includes storage overhead, check the manual. You have to change some columns to TEXT or BLOBs',
};
const ROW_8126_DYNAMIC: Failure = {
  errno: 1118,
  sqlState: '42000',
  message: 'Row size too large (> 8126). Changing some columns to TEXT or BLOB may help. In current row format, BLOB prefix of 0 bytes is stored inline.',
};

/** One utf8mb4 TEXT column `c` with a key on the given prefix, plus table options. */
function prefixTable(prefix: number, options: Record<string, string> = {}, charset = 'utf8mb4'): TableDef {
  return table([col('c', 'TEXT', { charset })], [key('INDEX', 'k', [[0, prefix]])], { options });
}

/** One VARCHAR column indexed whole. */
function fullColumnTable(length: number, options: Record<string, string> = {}): TableDef {
  return table([col('c', 'VARCHAR', { length })], [key('INDEX', 'k', [0])], { options });
}

describe('columns (INNODB-LIMIT-001)', () => {
  it(req(['INNODB-LIMIT-001'], 'unit', '1017 columns are accepted, 1018 give 1117 Too many columns'), () => {
    expect(ok(table(cols(1017, (c) => col(c, 'INT')))).rowFormat).toBe('DYNAMIC');
    expect(failure(table(cols(1018, (c) => col(c, 'INT'))))).toEqual(TOO_MANY_COLUMNS);
  });

  it(req(['INNODB-LIMIT-001'], 'unit', 'virtual generated columns count: 1016 columns + 2 VIRTUAL is too many'), () => {
    const c = [...cols(1016, (n) => col(n, 'INT')), col('v1', 'INT', { generated: false }), col('v2', 'INT', { generated: false })];
    expect(failure(table(c))).toEqual(TOO_MANY_COLUMNS);
  });
});

describe('keys (INNODB-LIMIT-002/003/004/006/007/008)', () => {
  const secondaries = (n: number, pk: boolean): TableDef => {
    const c = [col('id', 'INT'), ...cols(n, (x) => col(x, 'INT'))];
    const k: IndexDef[] = pk ? [key('PRIMARY', 'PRIMARY', [0])] : [];
    for (let i = 1; i <= n; i++) k.push(key('INDEX', `k${i}`, [i]));
    return table(c, k);
  };

  it(req(['INNODB-LIMIT-002'], 'unit', 'the PRIMARY KEY counts toward 64 keys: PK + 63 secondary ok, PK + 64 is 1069; 64 without a PK ok'), () => {
    expect(ok(secondaries(63, true)).warnings).toEqual([]);
    expect(failure(secondaries(64, true))).toEqual({ errno: 1069, sqlState: '42000', message: 'Too many keys specified; max 64 keys allowed' });
    expect(ok(secondaries(64, false)).warnings).toEqual([]);
    expect(failure(secondaries(65, false)).errno).toBe(1069);
  });

  it(req(['INNODB-LIMIT-008'], 'unit', '16 key parts ok, 17 give exactly 1070 (42000) Too many key parts specified; max 16 parts allowed'), () => {
    const mk = (n: number) => table(cols(n, (c) => col(c, 'INT')), [key('INDEX', 'k', Array.from({ length: n }, (_, i) => i))]);
    expect(ok(mk(16)).warnings).toEqual([]);
    expect(failure(mk(17))).toEqual({ errno: 1070, sqlState: '42000', message: 'Too many key parts specified; max 16 parts allowed' });
  });

  it(req(['INNODB-LIMIT-003'], 'unit', 'DYNAMIC 16 KB: a utf8mb4 prefix of 768 characters (3072 bytes) ok, 769 is 1071 ... 3072 bytes'), () => {
    expect(ok(prefixTable(768)).rowFormat).toBe('DYNAMIC');
    expect(failure(prefixTable(769))).toEqual(TOO_LONG(3072));
    expect(ok(prefixTable(768, { ROW_FORMAT: 'COMPRESSED' })).rowFormat).toBe('COMPRESSED');
    expect(failure(prefixTable(769, { ROW_FORMAT: 'COMPRESSED' }))).toEqual(TOO_LONG(3072));
  });

  it(req(['INNODB-LIMIT-004'], 'unit', 'ROW_FORMAT=COMPACT or REDUNDANT written: utf8mb4 prefix 191 ok, 192 is 1071 ... 767 bytes'), () => {
    for (const rf of ['COMPACT', 'REDUNDANT', 'compact']) {
      expect(ok(prefixTable(191, { ROW_FORMAT: rf })).rowFormat).toBe(rf.toUpperCase());
      expect(failure(prefixTable(192, { ROW_FORMAT: rf }))).toEqual(TOO_LONG(767));
    }
  });

  it(req(['INNODB-LIMIT-004'], 'unit', 'COMPACT from innodb_default_row_format: the server allows 3072, InnoDB gives 1709 ... 767 bytes.'), () => {
    expect(ok(prefixTable(191), { defaultRowFormat: 'COMPACT' }).rowFormat).toBe('COMPACT');
    expect(failure(prefixTable(192), { defaultRowFormat: 'COMPACT' })).toEqual({
      errno: 1709,
      sqlState: 'HY000',
      message: 'Index column size too large. The maximum column size is 767 bytes.',
    });
    expect(failure(prefixTable(192), { defaultRowFormat: 'REDUNDANT' }).errno).toBe(1709);
    // Beyond 3072 the server's check comes first.
    expect(failure(prefixTable(769), { defaultRowFormat: 'COMPACT' })).toEqual(TOO_LONG(3072));
  });

  it(req(['INNODB-LIMIT-006'], 'unit', 'the key limit follows the page size: 1536 at 8 KB, 768 at 4 KB, 3072 at 32 and 64 KB'), () => {
    expect(ok(fullColumnTable(384), { pageSize: 8192 }).warnings).toEqual([]);
    expect(failure(fullColumnTable(385), { pageSize: 8192 })).toEqual(TOO_LONG(1536));
    expect(ok(fullColumnTable(192), { pageSize: 4096 }).warnings).toEqual([]);
    expect(failure(fullColumnTable(193), { pageSize: 4096 })).toEqual(TOO_LONG(768));
    for (const pageSize of [32768, 65536]) {
      expect(ok(fullColumnTable(768), { pageSize }).warnings).toEqual([]);
      expect(failure(fullColumnTable(769), { pageSize })).toEqual(TOO_LONG(3072));
    }
    // A TEXT prefix at 4 KB is clamped to the key limit as well.
    expect(failure(prefixTable(193), { pageSize: 4096 })).toEqual(TOO_LONG(768));
  });

  it(req(['INNODB-LIMIT-007'], 'unit', 'whole-column keys have the same limits as prefixes'), () => {
    expect(ok(fullColumnTable(768)).warnings).toEqual([]);
    expect(failure(fullColumnTable(769))).toEqual(TOO_LONG(3072));
    expect(failure(fullColumnTable(192, { ROW_FORMAT: 'COMPACT' }))).toEqual(TOO_LONG(767));
  });

  it(req(['INNODB-LIMIT-003'], 'unit', 'the whole key counts: INT + 3068 latin1 bytes ok, + 3069 too long (mysql-test index_large_prefix)'), () => {
    const mk = (n: number) => table([col('a1', 'INT'), col('a2', 'TEXT', { charset: 'latin1' })], [key('INDEX', 'k', [0, [1, n]])]);
    expect(ok(mk(3068)).warnings).toEqual([]);
    expect(failure(mk(3069))).toEqual(TOO_LONG(3072));
  });

  it(req(['INNODB-LIMIT-003'], 'unit', 'a BLOB/TEXT prefix is also bounded by its type: TINYBLOB(300) names 255'), () => {
    expect(failure(table([col('b', 'TINYBLOB')], [key('UNIQUE', 'u', [[0, 300]])]))).toEqual(TOO_LONG(255));
  });

  it(req(['INNODB-LIMIT-004', 'INNODB-LIMIT-003'], 'unit', 'order: within a key the per-column limit comes before the whole-key limit'), () => {
    const t = table(cols(4, (c) => col(c, 'TEXT', { charset: 'latin1' })), [key('INDEX', 'k', [[0, 800], [1, 800], [2, 800], [3, 800]])], { options: { ROW_FORMAT: 'COMPACT' } });
    expect(failure(t)).toEqual(TOO_LONG(767));
    expect(() => checkKeyLimits(t, 16384)).toThrow('max key length is 767 bytes');
  });

  it(req(['INNODB-LIMIT-003'], 'unit', 'FULLTEXT keys count but have no length limit'), () => {
    expect(ok(table([col('a', 'TEXT'), col('id', 'INT')], [key('PRIMARY', 'PRIMARY', [1]), key('FULLTEXT', 'ft', [0])])).warnings).toEqual([]);
  });
});

describe('row size (INNODB-LIMIT-009, INNODB-LIMIT-012)', () => {
  const chars = (n: number) => cols(n, (c) => col(c, 'CHAR', { length: 255, charset: 'latin1' }));

  it(req(['INNODB-LIMIT-012'], 'unit', 'VARCHAR(65533) NOT NULL latin1 ok; nullable, or two VARCHAR(32766), give 1118 ... 65535'), () => {
    expect(ok(table([col('a', 'VARCHAR', { length: 65533, charset: 'latin1', notNull: true })])).warnings).toEqual([]);
    expect(failure(table([col('a', 'VARCHAR', { length: 65533, charset: 'latin1' })]))).toEqual(ROW_65535);
    expect(failure(table([col('a', 'VARCHAR', { length: 32766, charset: 'latin1' }), col('b', 'VARCHAR', { length: 32766, charset: 'latin1' })]))).toEqual(ROW_65535);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'innodb_strict_mode: 31 CHAR(255) latin1 (7905 bytes) ok, 32 give InnoDB 1118 (> 8126)'), () => {
    expect(ok(table(chars(31))).warnings).toEqual([]);
    expect(failure(table(chars(32)))).toEqual(ROW_8126_DYNAMIC);
    expect(failure(table(chars(33)))).toEqual(ROW_8126_DYNAMIC);
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'COMPACT and REDUNDANT name the 768-byte inline prefix; REDUNDANT halves a smaller free space (8123)'), () => {
    expect(failure(table(chars(32), [], { options: { ROW_FORMAT: 'COMPACT' } }))).toEqual({
      errno: 1118,
      sqlState: '42000',
      message: 'Row size too large (> 8126). Changing some columns to TEXT or BLOB or using ROW_FORMAT=DYNAMIC or ROW_FORMAT=COMPRESSED may help. In current row format, BLOB prefix of 768 bytes is stored inline.',
    });
    expect(failure(table(chars(32), [], { options: { ROW_FORMAT: 'REDUNDANT' } })).message).toBe(
      'Row size too large (> 8123). Changing some columns to TEXT or BLOB or using ROW_FORMAT=DYNAMIC or ROW_FORMAT=COMPRESSED may help. In current row format, BLOB prefix of 768 bytes is stored inline.',
    );
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'without innodb_strict_mode the table is created with warning 139'), () => {
    const r = ok(table(chars(32)), { strictMode: false });
    expect(r).toEqual({
      rowFormat: 'DYNAMIC',
      warnings: [{ code: 139, message: 'Row size too large (> 8126). Changing some columns to TEXT or BLOB may help. In current row format, BLOB prefix of 0 bytes is stored inline.' }],
    });
  });

  it(req(['INNODB-LIMIT-009'], 'unit', 'page sizes: 4 KB limit 1982, 64 KB limit 16383 (64 CHAR(255) ok, 65 not)'), () => {
    expect(ok(table(chars(7)), { pageSize: 4096 }).warnings).toEqual([]);
    expect(failure(table(chars(8)), { pageSize: 4096 }).message).toContain('(> 1982)');
    expect(ok(table(chars(64)), { pageSize: 65536 }).warnings).toEqual([]);
    expect(failure(table(chars(65)), { pageSize: 65536 }).message).toContain('(> 16383)');
    expect(rowSizeTooLargeError(32768, 'DYNAMIC').message).toContain('(> 16318)');
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'long VARCHARs that can go off-page do not make a DYNAMIC or COMPACT table too wide'), () => {
    const t = (rf: string) => table(cols(10, (c) => col(c, 'VARCHAR', { length: 2000, charset: 'latin1' })), [], { options: { ROW_FORMAT: rf } });
    expect(ok(t('DYNAMIC')).warnings).toEqual([]);
    expect(ok(t('COMPACT')).warnings).toEqual([]);
  });

  it(req(['INNODB-LIMIT-102'], 'unit', 'in-place ALTER reports the server template with 8126 (mysql-test index_large_prefix, KEY_BLOCK_SIZE=1)'), () => {
    const t = table([col('a1', 'INT'), col('a2', 'TEXT', { charset: 'latin1', notNull: true })], [key('INDEX', 'idx3', [[1, 436]])], { options: { KEY_BLOCK_SIZE: '1' } });
    expect(failure(t, { statement: 'ALTER' })).toEqual({
      errno: 1118,
      sqlState: '42000',
      message: 'Row size too large. The maximum row size for the used table type, not counting BLOBs, is 8126. This includes storage overhead, check the manual. You have to change some columns to TEXT or BLOBs',
    });
    const fits = table([col('a1', 'INT'), col('a2', 'TEXT', { charset: 'latin1', notNull: true })], [key('INDEX', 'idx4', [[1, 434]])], { options: { KEY_BLOCK_SIZE: '1' } });
    expect(ok(fits)).toEqual({ rowFormat: 'COMPRESSED', zipSize: 1024, warnings: [] });
  });
});

describe('restrictions (INNODB-RESTR-001, INNODB-RESTR-004, INNODB-RESTR-101)', () => {
  it(req(['INNODB-RESTR-001'], 'unit', 'DB_ROW_ID, DB_TRX_ID, DB_ROLL_PTR in any lettercase give 1166 echoing the name as written'), () => {
    for (const name of ['db_row_id', 'DB_ROW_ID', 'Db_Row_Id', 'db_trx_id', 'DB_TRX_ID', 'dB_tRx_Id', 'db_roll_ptr', 'DB_ROLL_PTR', 'Db_Roll_Ptr']) {
      expect(failure(table([col('c1', 'INT'), col(name, 'INT')]))).toEqual({ errno: 1166, sqlState: '42000', message: `Incorrect column name '${name}'` });
    }
    expect(ok(table([col('db_row_ids', 'INT'), col('row_id', 'INT')])).warnings).toEqual([]);
  });

  it(req(['INNODB-RESTR-101'], 'unit', 'an index may not be called GEN_CLUST_INDEX (1280)'), () => {
    expect(failure(table([col('a', 'INT')], [key('INDEX', 'gen_clust_index', [0])]))).toEqual({
      errno: 1280,
      sqlState: '42000',
      message: "Incorrect index name 'GEN_CLUST_INDEX'",
    });
  });

  const compressed = (options: Record<string, string>, temporary = false) => table([col('id', 'INT'), col('a', 'TEXT')], [], { options, temporary });
  const COMPRESSED_OPTIONS: Record<string, string>[] = [{ ROW_FORMAT: 'COMPRESSED' }, { ROW_FORMAT: 'COMPRESSED', KEY_BLOCK_SIZE: '4' }, { KEY_BLOCK_SIZE: '4' }];
  const PAGE_WARNING = { code: 1478, message: 'InnoDB: Cannot create a COMPRESSED table when innodb_page_size > 16k.' };

  it(req(['INNODB-RESTR-004'], 'unit', 'strict mode, 32/64 KB pages: CREATE ... COMPRESSED is 1031 after warning 1478 (mysql-test innodb_64k)'), () => {
    for (const pageSize of [32768, 65536]) {
      for (const options of COMPRESSED_OPTIONS) {
        expect(failure(compressed(options), { pageSize })).toEqual({
          errno: 1031,
          sqlState: 'HY000',
          message: "Table storage engine for 't1' doesn't have this option",
          before: [PAGE_WARNING],
        });
      }
    }
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'strict mode, in-place ALTER: 1478 naming ROW_TYPE or KEY_BLOCK_SIZE'), () => {
    const env = { pageSize: 65536, statement: 'ALTER' as const };
    expect(failure(compressed({ ROW_FORMAT: 'COMPRESSED' }), env)).toEqual({
      errno: 1478,
      sqlState: 'HY000',
      message: "Table storage engine 'InnoDB' does not support the create option 'ROW_TYPE'",
      before: [PAGE_WARNING],
    });
    expect(failure(compressed({ ROW_FORMAT: 'COMPRESSED', KEY_BLOCK_SIZE: '4' }), env).message).toBe(
      "Table storage engine 'InnoDB' does not support the create option 'KEY_BLOCK_SIZE'",
    );
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'without strict mode, COMPRESSED above 16 KB is DYNAMIC with a warning'), () => {
    for (const options of COMPRESSED_OPTIONS) {
      expect(ok(compressed(options), { pageSize: 65536, strictMode: false })).toEqual({
        rowFormat: 'DYNAMIC',
        warnings: [{ code: 1478, message: 'InnoDB: Cannot create a COMPRESSED table when innodb_page_size > 16k. Assuming ROW_FORMAT=DYNAMIC.' }],
      });
    }
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'at 16 KB and below COMPRESSED is kept: half a page by default, else KEY_BLOCK_SIZE'), () => {
    expect(ok(compressed({ ROW_FORMAT: 'COMPRESSED' }))).toEqual({ rowFormat: 'COMPRESSED', zipSize: 8192, warnings: [] });
    expect(ok(compressed({ KEY_BLOCK_SIZE: '4' }))).toEqual({ rowFormat: 'COMPRESSED', zipSize: 4096, warnings: [] });
    expect(ok(compressed({ ROW_FORMAT: 'COMPRESSED' }), { pageSize: 8192 })).toEqual({ rowFormat: 'COMPRESSED', zipSize: 4096, warnings: [] });
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'other KEY_BLOCK_SIZE and ROW_FORMAT problems, strict and not'), () => {
    const c1031 = { errno: 1031, sqlState: 'HY000', message: "Table storage engine for 't1' doesn't have this option" };
    expect(failure(compressed({ KEY_BLOCK_SIZE: '3' }))).toEqual({ ...c1031, before: [{ code: 1478, message: 'InnoDB: invalid KEY_BLOCK_SIZE = 3. Valid values are [1, 2, 4, 8, 16]' }] });
    expect(failure(compressed({ KEY_BLOCK_SIZE: '16' }), { pageSize: 8192 })).toEqual({ ...c1031, before: [{ code: 1478, message: 'InnoDB: KEY_BLOCK_SIZE=16 cannot be larger than 8.' }] });
    expect(failure(compressed({ ROW_FORMAT: 'DYNAMIC', KEY_BLOCK_SIZE: '8' }))).toEqual({ ...c1031, before: [{ code: 1478, message: 'InnoDB: cannot specify DYNAMIC with KEY_BLOCK_SIZE.' }] });
    expect(failure(compressed({ ROW_FORMAT: 'FIXED' }))).toEqual({ ...c1031, before: [{ code: 1478, message: 'InnoDB: invalid ROW_FORMAT specifier.' }] });

    const lax = { strictMode: false };
    expect(ok(compressed({ KEY_BLOCK_SIZE: '3' }), lax)).toEqual({ rowFormat: 'DYNAMIC', warnings: [{ code: 1478, message: 'InnoDB: ignoring KEY_BLOCK_SIZE=3.' }] });
    expect(ok(compressed({ ROW_FORMAT: 'COMPACT', KEY_BLOCK_SIZE: '8' }), lax)).toEqual({
      rowFormat: 'COMPACT',
      warnings: [{ code: 1478, message: 'InnoDB: ignoring KEY_BLOCK_SIZE=8 as ROW_FORMAT is not COMPRESSED.' }],
    });
    expect(ok(compressed({ ROW_FORMAT: 'FIXED' }), lax)).toEqual({ rowFormat: 'DYNAMIC', warnings: [{ code: 1478, message: 'InnoDB: assuming ROW_FORMAT=DYNAMIC.' }] });
  });

  it(req(['INNODB-RESTR-004'], 'unit', 'a COMPRESSED temporary table: 3500 in strict mode, DYNAMIC with warnings otherwise'), () => {
    expect(failure(compressed({ ROW_FORMAT: 'COMPRESSED' }, true))).toEqual({
      errno: 3500,
      sqlState: 'HY000',
      message: 'CREATE TEMPORARY TABLE is not allowed with ROW_FORMAT=COMPRESSED or KEY_BLOCK_SIZE.',
    });
    expect(ok(compressed({ ROW_FORMAT: 'COMPRESSED' }, true), { strictMode: false })).toEqual({
      rowFormat: 'DYNAMIC',
      warnings: [
        { code: 1478, message: 'InnoDB: COMPRESSED is ignored for TEMPORARY TABLE.' },
        { code: 1478, message: 'InnoDB: assuming ROW_FORMAT=DYNAMIC.' },
      ],
    });
  });

  it(req(['INNODB-LIMIT-004'], 'unit', 'the row format: ROW_FORMAT as written, else innodb_default_row_format'), () => {
    const t = (options: Record<string, string>) => table([col('a', 'INT')], [], { options });
    expect(ok(t({}), { defaultRowFormat: 'COMPACT' }).rowFormat).toBe('COMPACT');
    expect(ok(t({ ROW_FORMAT: 'DEFAULT' }), { defaultRowFormat: 'REDUNDANT' }).rowFormat).toBe('REDUNDANT');
    expect(ok(t({ ROW_FORMAT: 'dynamic' }), { defaultRowFormat: 'COMPACT' }).rowFormat).toBe('DYNAMIC');
  });
});

describe('order of the checks (MySQL server first, then InnoDB)', () => {
  it(req(['INNODB-LIMIT-101', 'INNODB-LIMIT-001'], 'unit', 'above 4096 columns 1117 comes before key errors; at 1018 columns key errors come first'), () => {
    const withLongKey = (n: number) => table(cols(n, (c) => col(c, 'INT')), [key('INDEX', 'k', Array.from({ length: 17 }, (_, i) => i))]);
    expect(failure(withLongKey(4097))).toEqual(TOO_MANY_COLUMNS);
    expect(failure(withLongKey(1018)).errno).toBe(1070);
  });

  it(req(['INNODB-LIMIT-012', 'INNODB-LIMIT-001'], 'unit', 'the 65,535 check (server) precedes the 1017-column check (InnoDB)'), () => {
    expect(failure(table(cols(1018, (c) => col(c, 'CHAR', { length: 255, charset: 'latin1' }))))).toEqual(ROW_65535);
  });

  it(req(['INNODB-LIMIT-008', 'INNODB-LIMIT-012'], 'unit', 'key errors precede the 65,535 check'), () => {
    const c: ColumnDef[] = [...cols(17, (n) => col(n, 'INT')), col('big', 'VARCHAR', { length: 65533, charset: 'latin1' })];
    const parts: PartSpec[] = Array.from({ length: 17 }, (_, i) => i);
    expect(failure(table(c, [key('INDEX', 'k', parts)])).errno).toBe(1070);
  });

  it(req(['INNODB-RESTR-001', 'INNODB-LIMIT-009', 'INNODB-RESTR-004'], 'unit', 'create options, then reserved names, then per-index checks'), () => {
    const wide = [col('db_row_id', 'INT'), ...cols(32, (c) => col(c, 'CHAR', { length: 255, charset: 'latin1' }))];
    expect(failure(table(wide)).errno).toBe(1166);
    expect(failure(table(wide, [], { options: { ROW_FORMAT: 'COMPRESSED' } }), { pageSize: 32768 }).errno).toBe(1031);
    expect(failure(table([...cols(1017, (c) => col(c, 'INT')), col('DB_TRX_ID', 'INT')])).errno).toBe(1117);
  });

  it(req(['INNODB-RESTR-001'], 'unit', 'warnings of the non-strict option fallback come with a later error'), () => {
    const t = table([col('db_trx_id', 'INT')], [], { options: { ROW_FORMAT: 'FIXED' } });
    expect(failure(t, { strictMode: false })).toEqual({
      errno: 1166,
      sqlState: '42000',
      message: "Incorrect column name 'db_trx_id'",
      before: [{ code: 1478, message: 'InnoDB: assuming ROW_FORMAT=DYNAMIC.' }],
    });
  });
});

describe('robustness', () => {
  const TYPES = ['INT', 'BIGINT', 'DECIMAL', 'CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'TEXT', 'BLOB', 'DATETIME', 'ENUM', 'JSON'] as const;
  const column = fc.record({
    type: fc.constantFrom(...TYPES),
    length: fc.integer({ min: 1, max: 20000 }),
    charset: fc.constantFrom('latin1', 'utf8mb4', 'utf8mb3'),
    notNull: fc.boolean(),
    name: fc.constantFrom('a', 'b', 'db_row_id', 'x', 'y'),
  });
  const tableArb = fc.record({
    columns: fc.array(column, { minLength: 1, maxLength: 40 }),
    keys: fc.array(fc.record({ kind: fc.constantFrom('PRIMARY', 'UNIQUE', 'INDEX', 'FULLTEXT') as fc.Arbitrary<IndexDef['kind']>, parts: fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), prefix: fc.option(fc.integer({ min: 1, max: 5000 })) }), { maxLength: 70 }),
    rowFormat: fc.constantFrom(undefined, 'DYNAMIC', 'COMPACT', 'REDUNDANT', 'COMPRESSED', 'FIXED', 'DEFAULT'),
    kbs: fc.constantFrom(undefined, '1', '2', '3', '8', '16'),
    pageSize: fc.constantFrom(4096, 8192, 16384, 32768, 65536),
    strict: fc.boolean(),
    temporary: fc.boolean(),
  });

  it(req(['INNODB-LIMIT-009', 'INNODB-LIMIT-012'], 'unit', 'random definitions either pass with a known row format or fail with a SqlError'), () => {
    fc.assert(
      fc.property(tableArb, (t) => {
        const columns = t.columns.map((c, i) => {
          const type = c.type;
          const length = type === 'CHAR' || type === 'BINARY' ? Math.min(c.length, 255) : type === 'DECIMAL' ? Math.min(c.length, 65) : c.length;
          const opts = type === 'ENUM' ? { values: ['x', 'y'], notNull: c.notNull } : { length, notNull: c.notNull, charset: c.charset };
          return col(`${c.name}${i === 0 ? '' : i}`, type, opts);
        });
        const indexes = t.keys.map((k, i) =>
          key(k.kind, k.kind === 'PRIMARY' ? 'PRIMARY' : `k${i}`, k.parts.map((p) => {
            const pos = p % columns.length;
            return k.prefix !== null && k.kind !== 'FULLTEXT' ? ([pos, k.prefix] as [number, number]) : pos;
          })),
        );
        const options: Record<string, string> = {};
        if (t.rowFormat) options['ROW_FORMAT'] = t.rowFormat;
        if (t.kbs) options['KEY_BLOCK_SIZE'] = t.kbs;
        const def = table(columns, indexes, { options, temporary: t.temporary });
        try {
          const r = validateInnodbTable(def, { pageSize: t.pageSize, strictMode: t.strict, defaultRowFormat: 'DYNAMIC' });
          expect(['DYNAMIC', 'COMPACT', 'REDUNDANT', 'COMPRESSED']).toContain(r.rowFormat);
          if (r.rowFormat === 'COMPRESSED') expect(t.pageSize).toBeLessThanOrEqual(16384);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * InnoDB's rule for the column types a foreign key may connect: storage classes, not SQL types.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnDef } from '../../../../src/kernel/table-def.js';
import type { ColumnType } from '../../../../src/kernel/column-type.js';
import { innodbForeignKeyColumnsCompatible } from '../../../../src/storage/innodb/dict/fk-column-compat.js';
import { req } from '../../../helpers/req.js';
import { column } from '../../../helpers/table-def.js';

function col(type: ColumnType, collation?: string): ColumnDef {
  const c = column('c', { type });
  if (collation) {
    c.charset = collation.split('_')[0]!;
    c.collation = collation;
  }
  return c;
}

const INT = col({ name: 'INT' });
const UINT = col({ name: 'INT', unsigned: true });
const text = (name: ColumnType['name'], collation: string, length?: number): ColumnDef => col(length === undefined ? { name } : { name, length }, collation);

describe('foreign key column compatibility (InnoDB)', () => {
  it(req(['INNODB-FK-103'], 'unit', 'integers need the same size and signedness; display width does not matter'), () => {
    expect(innodbForeignKeyColumnsCompatible(INT, col({ name: 'INT', length: 11 }), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(INT, UINT, true)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(INT, col({ name: 'BIGINT' }), true)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'SMALLINT' }), col({ name: 'MEDIUMINT' }), true)).toBe(false);
    // YEAR is an unsigned byte, DATE a signed 3-byte integer, ENUM an unsigned 1- or 2-byte one.
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'YEAR' }), col({ name: 'TINYINT', unsigned: true }), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'DATE' }), col({ name: 'MEDIUMINT' }), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'ENUM', values: ['a', 'b'] }), col({ name: 'TINYINT', unsigned: true }), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'ENUM', values: Array.from({ length: 300 }, (_, i) => `v${i}`) }), col({ name: 'SMALLINT', unsigned: true }), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'SET', values: ['a'] }), col({ name: 'ENUM', values: ['a'] }), true)).toBe(true);
  });

  it(req(['INNODB-FK-103'], 'unit', 'non-binary strings need the same collation (unless charsets are not checked); lengths and CHAR/VARCHAR/TEXT do not matter'), () => {
    const v = text('VARCHAR', 'utf8mb4_0900_ai_ci', 10);
    expect(innodbForeignKeyColumnsCompatible(v, text('CHAR', 'utf8mb4_0900_ai_ci', 200), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(v, text('TEXT', 'utf8mb4_0900_ai_ci'), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(v, text('VARCHAR', 'utf8mb4_bin', 10), true)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(v, text('VARCHAR', 'latin1_swedish_ci', 10), true)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(v, text('VARCHAR', 'latin1_swedish_ci', 10), false)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(v, INT, false)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(v, col({ name: 'VARBINARY', length: 10 }), true)).toBe(false);
  });

  it(req(['INNODB-FK-103'], 'unit', 'byte strings match each other, and DECIMAL, BIT, TIME, DATETIME, TIMESTAMP and JSON are byte strings to InnoDB'), () => {
    const bytes: ColumnType[] = [
      { name: 'BINARY', length: 4 },
      { name: 'VARBINARY', length: 40 },
      { name: 'BLOB' },
      { name: 'DECIMAL', length: 10, scale: 2 },
      { name: 'BIT', length: 3 },
      { name: 'TIME' },
      { name: 'DATETIME', scale: 3 },
      { name: 'TIMESTAMP' },
      { name: 'JSON' },
    ];
    for (const a of bytes) for (const b of bytes) expect(innodbForeignKeyColumnsCompatible(col(a), col(b), true)).toBe(true);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'CHAR', length: 3 }, 'binary'), col({ name: 'BINARY', length: 3 }), true)).toBe(true);
    for (const other of [INT, col({ name: 'FLOAT' }), col({ name: 'DOUBLE' }), col({ name: 'GEOMETRY' }), col({ name: 'DATE' })]) {
      expect(innodbForeignKeyColumnsCompatible(col({ name: 'DECIMAL', length: 5 }), other, true)).toBe(false);
    }
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'FLOAT' }), col({ name: 'DOUBLE' }), true)).toBe(false);
    expect(innodbForeignKeyColumnsCompatible(col({ name: 'DOUBLE' }), col({ name: 'DOUBLE', length: 10, scale: 2 }), true)).toBe(true);
  });
});

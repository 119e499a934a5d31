/**
 * Column type families through SQL: CREATE TABLE ... ENGINE=X with each family the engine's
 * capabilities allow, values written and read back (engines that store rows), and MySQL's
 * error for a family the engine cannot hold.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engines.html
 * @req CORE-ENG-020
 */
import { describe, expect } from 'vitest';
import type { EngineCapabilities } from '../../../src/storage/handler.js';
import { capabilitiesOf, title, type EngineDescriptor, type ScenarioKey } from '../descriptor.js';
import { columnsFor, createTable, fails, ok, rows, sqlSkip, tableOptions } from '../harness/sql.js';
import { scenario } from './common.js';
import type { SqlEnv } from './sql-env.js';

interface Family {
  family: string;
  columns: string;
  values: string;
  /** The SELECT list that reads the values back, and what mysql2 returns for it. */
  select: string;
  expect: Record<string, unknown>;
  /** What the engine must declare to hold the family; refused otherwise with `refusal`. */
  needs?: (c: EngineCapabilities) => boolean;
  refusal?: (c: EngineCapabilities) => { errno: number; message: string } | string;
  /** The scenario group of the refusal, for the engine's own requirement IDs. */
  refusalKey?: ScenarioKey;
}

const BLOB_REFUSAL = { errno: 1163, message: "The used table type doesn't support BLOB/TEXT columns" };

export const FAMILIES: readonly Family[] = [
  {
    family: 'integers',
    columns: 'a TINYINT, b SMALLINT UNSIGNED, c MEDIUMINT, d INT, e BIGINT, f BIGINT UNSIGNED',
    values: '(-128, 65535, -8388608, 2147483647, -9223372036854775808, 18446744073709551615)',
    select: 'a, b, c, d, e, f',
    expect: { a: -128, b: 65535, c: -8388608, d: 2147483647, e: '-9223372036854775808', f: '18446744073709551615' },
  },
  {
    family: 'fixed and floating point',
    columns: 'a DECIMAL(12,3), b FLOAT, c DOUBLE',
    values: '(-123456789.125, 1.5, 2.5e-10)',
    select: 'a, b, c',
    expect: { a: '-123456789.125', b: 1.5, c: 2.5e-10 },
  },
  {
    family: 'BIT',
    columns: 'a BIT(10)',
    values: "(b'1010100101')",
    // BIT travels as its bytes, big-endian (b'1010100101' = 0x02A5).
    select: 'a',
    expect: { a: Buffer.from([0x02, 0xa5]) },
  },
  {
    family: 'date and time',
    columns: 'a DATE, b TIME, c DATETIME(3), d TIMESTAMP, e YEAR',
    values: "('2024-02-29', '-12:34:56', '2024-02-29 23:59:59.125', '2024-02-29 10:00:00', 2024)",
    select: 'a, b, c, d, e',
    expect: { a: '2024-02-29', b: '-12:34:56', c: '2024-02-29 23:59:59.125', d: '2024-02-29 10:00:00', e: 2024 },
  },
  {
    family: 'character and binary strings',
    columns: 'a CHAR(5), b VARCHAR(20), c BINARY(3), d VARBINARY(5)',
    values: "('ab', 'h\u00e9llo w\u00f6rld', 'xy', x'00ff10')",
    select: 'a, b, HEX(c) AS c, HEX(d) AS d',
    expect: { a: 'ab', b: 'h\u00e9llo w\u00f6rld', c: '787900', d: '00FF10' },
  },
  {
    family: 'ENUM and SET',
    columns: "a ENUM('x','y','z'), b SET('p','q','r')",
    values: "('y', 'r,p')",
    select: 'a, b',
    expect: { a: 'y', b: 'p,r' },
  },
  {
    family: 'BLOB and TEXT',
    columns: 'a TINYTEXT, b TEXT, c MEDIUMBLOB, d LONGTEXT',
    values: "('t', REPEAT('x', 3000), x'DEADBEEF', 'long')",
    select: 'a, LENGTH(b) AS b, HEX(c) AS c, d',
    // LENGTH() is a BIGINT: a string under bigNumberStrings.
    expect: { a: 't', b: '3000', c: 'DEADBEEF', d: 'long' },
    needs: (c) => c.blobs,
    refusal: () => BLOB_REFUSAL,
    refusalKey: 'refuseBlob',
  },
  {
    family: 'JSON',
    columns: 'a JSON',
    values: '(\'{"k": [1, "two"]}\')',
    select: 'a',
    expect: { a: { k: [1, 'two'] } },
    needs: (c) => c.blobs,
    refusal: () => BLOB_REFUSAL,
    refusalKey: 'refuseBlob',
  },
  {
    family: 'GEOMETRY',
    columns: 'a GEOMETRY',
    values: '(NULL)',
    select: 'a',
    expect: { a: null },
    needs: (c) => c.geometry,
    // Without blob support the column is refused as a BLOB (ENGINE-CHOOSE-009); an engine with
    // blobs but no geometry (CSV, EXAMPLE) is refused with 1178.
    refusal: (c) => (c.blobs ? { errno: 1178, message: "The storage engine for the table doesn't support GEOMETRY" } : BLOB_REFUSAL),
    refusalKey: 'refuseGeometry',
  },
];

function familyScenario(d: EngineDescriptor, env: SqlEnv, f: Family, i: number): void {
  const caps = capabilitiesOf(d);
  const accepted = f.needs ? f.needs(caps) : true;
  const refusal = accepted ? null : f.refusal!(caps);
  const skip = sqlSkip(d) ?? (typeof refusal === 'string' ? refusal : null);
  let outcome: string;
  const rb = d.rows;
  if (accepted) outcome = rb.kind === 'stored' ? 'values read back unchanged' : rb.kind === 'discarded' ? 'accepted; INSERT succeeds, SELECT is empty' : `accepted; INSERT fails with ${rb.errno}, SELECT is empty`;
  else outcome = typeof refusal === 'string' ? 'refused' : `refused with ${refusal!.errno}`;
  const key = accepted ? 'sqlTypes' : (f.refusalKey ?? 'sqlTypes');
  scenario(skip, title(d, key, ['CORE-ENG-020'], 'wire', `${f.family}: ${outcome}`), async () => {
    const c = env.conn;
    const table = `types${i}`;
    const columns = columnsFor(caps.nullableColumns, f.columns);
    if (!accepted) {
      const r = refusal as { errno: number; message: string };
      const create = `CREATE TABLE ${table} (${columns}) ENGINE=${d.name} ${await tableOptions(d, table, columns)}`;
      expect(await fails(c, create, r.errno)).toBe(r.message);
      return;
    }
    await createTable(c, d, table, columns);
    const show = await rows(c, `SHOW CREATE TABLE ${table}`);
    expect(String(show[0]!['Create Table'])).toContain(`ENGINE=${d.name}`);
    if (rb.kind === 'stored') {
      await ok(c, `INSERT INTO ${table} VALUES ${f.values}`);
      expect(await rows(c, `SELECT ${f.select} FROM ${table}`)).toEqual([f.expect]);
    } else if (rb.kind === 'discarded') {
      expect((await ok(c, `INSERT INTO ${table} VALUES ${f.values}`)).affectedRows).toBe(1);
      expect(await rows(c, `SELECT ${f.select} FROM ${table}`)).toEqual([]);
    } else {
      await fails(c, `INSERT INTO ${table} VALUES ${f.values}`, rb.errno);
      expect(await rows(c, `SELECT ${f.select} FROM ${table}`)).toEqual([]);
    }
    await ok(c, `DROP TABLE ${table}`);
  });
}

export function sqlTypeScenarios(d: EngineDescriptor, env: SqlEnv): void {
  describe('column type families through SQL', () => {
    FAMILIES.forEach((f, i) => familyScenario(d, env, f, i));
  });
}

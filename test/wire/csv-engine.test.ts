/**
 * The CSV storage engine over the wire (mysql2), with the table's files read and written by the
 * test: the manual's worked examples (16.4 and 16.4.1) byte for byte, the `.CSM` metafile at its
 * offsets, external edits seen after FLUSH TABLES, CHECK / REPAIR of a damaged file, the
 * engine's refusals, and FLUSH TABLES against sessions that use the table.
 *
 * The `.CSV` files are read with a small parser written here (independent of the engine's
 * codec): fields split at commas outside quotes, backslash escapes inside quotes.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { queryError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
const DB = 'csvdb';

const file = (table: string, ext: 'CSV' | 'CSM' | 'CSN'): string => join(srv.datadir, DB, `${table}.${ext}`);

async function rows(conn: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function plain(conn: mysql.Connection, sql: string): Promise<Record<string, unknown>[]> {
  return (await rows(conn, sql)).map((r) => ({ ...r }));
}

/** The result rows of CHECK / REPAIR TABLE as [Table, Op, Msg_type, Msg_text]. */
async function admin(conn: mysql.Connection, sql: string): Promise<string[][]> {
  return (await rows(conn, sql)).map((r) => [r['Table'], r['Op'], r['Msg_type'], r['Msg_text']].map(String));
}

/**
 * An independent reader of the engine's file format: one record per LF-terminated line; a field
 * in double quotes may hold `\"`, `\\`, `\n`, `\r`; other fields end at the next comma.
 * Returns each field's bytes.
 */
function parseCsv(data: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  let i = 0;
  while (i < data.length) {
    const record: Buffer[] = [];
    for (;;) {
      const field: number[] = [];
      if (data[i] === 0x22) {
        i++;
        while (data[i] !== 0x22) {
          if (i >= data.length) throw new Error('unterminated quote');
          if (data[i] === 0x5c) {
            const n = data[i + 1]!;
            field.push(n === 0x6e ? 0x0a : n === 0x72 ? 0x0d : n);
            i += 2;
          } else field.push(data[i++]!);
        }
        i++;
      } else {
        while (i < data.length && data[i] !== 0x2c && data[i] !== 0x0a) field.push(data[i++]!);
      }
      record.push(Buffer.from(field));
      if (data[i] === 0x2c) {
        i++;
        continue;
      }
      if (data[i] !== 0x0a) throw new Error(`expected LF at ${i}`);
      i++;
      break;
    }
    out.push(record);
  }
  return out;
}

const text = (records: Buffer[][]): string[][] => records.map((r) => r.map((f) => f.toString('utf8')));

/** The `.CSM` fields at their offsets: header, version, row count, reserved, dirty flag. */
function csm(table: string): { size: number; header: number; version: number; rows: bigint; reserved: bigint[]; dirty: number } {
  const b = readFileSync(file(table, 'CSM'));
  return {
    size: b.length,
    header: b[0]!,
    version: b[1]!,
    rows: b.readBigUInt64LE(2),
    reserved: [b.readBigUInt64LE(10), b.readBigUInt64LE(18), b.readBigUInt64LE(26)],
    dirty: b[34]!,
  };
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query(`CREATE DATABASE ${DB}`);
  await c.query(`USE ${DB}`);
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('CSV: the engine is built in', () => {
  it(req(['CSV-002'], 'wire', 'SHOW ENGINES and information_schema.ENGINES list CSV as usable, without transactions, XA or savepoints'), async () => {
    const engines = (await plain(c, 'SHOW ENGINES')).filter((r) => r['Engine'] === 'CSV');
    expect(engines).toEqual([{ Engine: 'CSV', Support: 'YES', Comment: 'CSV storage engine', Transactions: 'NO', XA: 'NO', Savepoints: 'NO' }]);
    const plugin = await plain(c, "SELECT PLUGIN_STATUS, PLUGIN_TYPE, PLUGIN_LIBRARY FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'CSV'");
    expect(plugin).toEqual([{ PLUGIN_STATUS: 'ACTIVE', PLUGIN_TYPE: 'STORAGE ENGINE', PLUGIN_LIBRARY: null }]);
  });
});

describe('CSV: the manual example (16.4)', () => {
  it(req(['CSV-001', 'CSV-004', 'CSV-005', 'CSV-006', 'CSV-007'], 'wire', 'CREATE TABLE test ... ENGINE=CSV makes test.CSV (empty) and test.CSM; two rows go in as `1,"record one"` lines; SELECT returns them in order; the .CSM counts them'), async () => {
    await c.query('CREATE TABLE test (i INT NOT NULL, c CHAR(10) NOT NULL) ENGINE = CSV');
    expect(readFileSync(file('test', 'CSV')).length).toBe(0);
    expect(csm('test')).toEqual({ size: 35, header: 0xfe, version: 1, rows: 0n, reserved: [0n, 0n, 0n], dirty: 0 });

    const [ins] = await c.query<mysql.ResultSetHeader>("INSERT INTO test VALUES(1,'record one'),(2,'record two')");
    expect(ins.affectedRows).toBe(2);
    expect(ins.info).toBe('Records: 2  Duplicates: 0  Warnings: 0');
    expect(await plain(c, 'SELECT * FROM test')).toEqual([
      { i: 1, c: 'record one' },
      { i: 2, c: 'record two' },
    ]);

    // Numbers bare, strings quoted; built here from the expected text, not by the engine.
    const data = readFileSync(file('test', 'CSV'));
    expect(data.toString('latin1')).toBe('1,"record one"\n2,"record two"\n');
    expect(text(parseCsv(data))).toEqual([
      ['1', 'record one'],
      ['2', 'record two'],
    ]);
    // While the table is open for writing, the metafile is marked dirty; FLUSH TABLES closes it.
    expect(csm('test').dirty).toBe(1);
    await c.query('FLUSH TABLES');
    expect(csm('test')).toEqual({ size: 35, header: 0xfe, version: 1, rows: 2n, reserved: [0n, 0n, 0n], dirty: 0 });
    await c.query('DROP TABLE test');
    expect(existsSync(file('test', 'CSV'))).toBe(false);
    expect(existsSync(file('test', 'CSM'))).toBe(false);
  });

  it(req(['CSV-007', 'CSV-009'], 'wire', 'the manual\'s own quoted form `"1","record one"` written from outside is read after FLUSH TABLES, as are CRLF and CR line ends and unquoted strings'), async () => {
    await c.query('CREATE TABLE ext (i INT NOT NULL, c CHAR(10) NOT NULL) ENGINE=CSV');
    await c.query("INSERT INTO ext VALUES (9, 'old')");
    await c.query('FLUSH TABLES ext');
    writeFileSync(file('ext', 'CSV'), '"1","record one"\n"2","record two"\n');
    await c.query('FLUSH TABLES');
    expect(await plain(c, 'SELECT * FROM ext')).toEqual([
      { i: 1, c: 'record one' },
      { i: 2, c: 'record two' },
    ]);
    // The table is open now: an edit is not seen until FLUSH TABLES closes it.
    writeFileSync(file('ext', 'CSV'), '1,"x"\r\n2,y\n"3","z"\r4,"w"\n');
    expect(await plain(c, 'SELECT i FROM ext')).toEqual([{ i: 1 }, { i: 2 }]);
    await c.query('FLUSH TABLES ext');
    expect(await plain(c, 'SELECT * FROM ext')).toEqual([
      { i: 1, c: 'x' },
      { i: 2, c: 'y' },
      { i: 3, c: 'z' },
      { i: 4, c: 'w' },
    ]);
    await c.query('DROP TABLE ext');
  });
});

describe('CSV: the file format', () => {
  it(req(['CSV-008'], 'wire', 'quotes, commas, backslashes, LF and CR in strings, binary bytes and TEXT NOT NULL round-trip; the file escapes them with a backslash'), async () => {
    await c.query('CREATE TABLE esc (id INT NOT NULL, s VARCHAR(40) NOT NULL, b VARBINARY(8) NOT NULL, t TEXT NOT NULL, d DECIMAL(6,2) NOT NULL, dt DATETIME NOT NULL) ENGINE=CSV');
    const s = 'a"b,c\\d\ne\rf';
    await c.query('INSERT INTO esc VALUES (?, ?, ?, ?, ?, ?)', [1, s, Buffer.from([0x00, 0x22, 0x2c, 0x0a, 0xff]), 'x,y', '-12.50', '2024-02-29 10:11:12']);
    const got = await plain(c, 'SELECT id, s, HEX(b) AS b, t, d, dt FROM esc');
    expect(got).toEqual([{ id: 1, s, b: '00222C0AFF', t: 'x,y', d: '-12.50', dt: new Date(2024, 1, 29, 10, 11, 12) }]);
    const data = readFileSync(file('esc', 'CSV'));
    expect(data).toEqual(
      Buffer.concat([
        Buffer.from('1,"a\\"b,c\\\\d\\ne\\rf","', 'latin1'),
        Buffer.from([0x00, 0x5c, 0x22, 0x2c, 0x5c, 0x6e, 0xff]),
        Buffer.from('","x,y",-12.50,"2024-02-29 10:11:12"\n', 'latin1'),
      ]),
    );
    const parsed = parseCsv(data);
    expect(parsed[0]![1]!.toString('utf8')).toBe(s);
    expect(parsed[0]![2]).toEqual(Buffer.from([0x00, 0x22, 0x2c, 0x0a, 0xff]));
    await c.query('DROP TABLE esc');
  });

  it(req(['CSV-011'], 'wire', 'UPDATE and DELETE rewrite the file (updated rows first, as MySQL writes them), leaving no .CSN; DELETE without WHERE and TRUNCATE empty it'), async () => {
    await c.query('CREATE TABLE rw (id INT NOT NULL, v CHAR(5) NOT NULL) ENGINE=CSV');
    await c.query("INSERT INTO rw VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d')");
    const [u] = await c.query<mysql.ResultSetHeader>("UPDATE rw SET v = 'B' WHERE id = 2");
    expect(u.affectedRows).toBe(1);
    expect(readFileSync(file('rw', 'CSV'), 'latin1')).toBe('2,"B"\n1,"a"\n3,"c"\n4,"d"\n');
    const [d] = await c.query<mysql.ResultSetHeader>('DELETE FROM rw WHERE id IN (1, 4)');
    expect(d.affectedRows).toBe(2);
    expect(readFileSync(file('rw', 'CSV'), 'latin1')).toBe('2,"B"\n3,"c"\n');
    expect(existsSync(file('rw', 'CSN'))).toBe(false);
    expect(await plain(c, 'SELECT * FROM rw ORDER BY id')).toEqual([
      { id: 2, v: 'B' },
      { id: 3, v: 'c' },
    ]);
    await c.query('FLUSH TABLES rw');
    expect(csm('rw').rows).toBe(2n);
    await c.query('DELETE FROM rw');
    expect(readFileSync(file('rw', 'CSV')).length).toBe(0);
    await c.query("INSERT INTO rw VALUES (5,'e')");
    await c.query('TRUNCATE TABLE rw');
    expect(readFileSync(file('rw', 'CSV')).length).toBe(0);
    expect(await plain(c, 'SELECT COUNT(*) AS n FROM rw')).toEqual([{ n: 0 }]);
    await c.query('FLUSH TABLES rw');
    expect(csm('rw')).toMatchObject({ rows: 0n, dirty: 0 });
    await c.query('DROP TABLE rw');
  });

  it(req(['CSV-013'], 'wire', 'no transactions: ROLLBACK keeps the rows and warns 1196'), async () => {
    await c.query('CREATE TABLE ntx (id INT NOT NULL) ENGINE=CSV');
    await c.query('START TRANSACTION');
    await c.query('INSERT INTO ntx VALUES (1)');
    await c.query('ROLLBACK');
    const w = await plain(c, 'SHOW WARNINGS');
    expect(w).toEqual([{ Level: 'Warning', Code: 1196, Message: "Some non-transactional changed tables couldn't be rolled back" }]);
    expect(await plain(c, 'SELECT id FROM ntx')).toEqual([{ id: 1 }]);
    expect(readFileSync(file('ntx', 'CSV'), 'latin1')).toBe('1\n');
    await c.query('DROP TABLE ntx');
  });

  it(req(['CSV-005'], 'wire', 'SHOW TABLE STATUS and information_schema.TABLES report the engine, the row count and the data file size'), async () => {
    await c.query('CREATE TABLE st (id INT NOT NULL, v VARCHAR(10) NOT NULL) ENGINE=CSV');
    await c.query("INSERT INTO st VALUES (1,'abc'),(22,'de'),(333,'f')");
    const size = readFileSync(file('st', 'CSV')).length;
    expect(size).toBe('1,"abc"\n22,"de"\n333,"f"\n'.length);
    const s = (await rows(c, "SHOW TABLE STATUS LIKE 'st'"))[0]!;
    expect([s['Engine'], Number(s['Rows']), Number(s['Data_length']), Number(s['Avg_row_length'])]).toEqual(['CSV', 3, size, Math.floor(size / 3)]);
    const t = (await rows(c, `SELECT ENGINE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = 'st'`))[0]!;
    expect([t['ENGINE'], Number(t['TABLE_ROWS'])]).toEqual(['CSV', 3]);
    await c.query('DROP TABLE st');
  });

  it(req(['CSV-001', 'CSV-004'], 'wire', 'ALTER TABLE ... ENGINE=CSV of a MEMORY table keeps its rows, now in t.CSV; RENAME TABLE moves the files; ALTER ... ADD COLUMN copies CSV to CSV; DROP DATABASE removes the files'), async () => {
    await c.query('CREATE TABLE mem (id INT NOT NULL, v VARCHAR(10) NOT NULL) ENGINE=MEMORY');
    await c.query("INSERT INTO mem VALUES (1,'one'),(2,'two')");
    await c.query('ALTER TABLE mem ENGINE=CSV');
    expect(await plain(c, 'SELECT * FROM mem ORDER BY id')).toEqual([
      { id: 1, v: 'one' },
      { id: 2, v: 'two' },
    ]);
    expect(readFileSync(file('mem', 'CSV'), 'latin1')).toBe('1,"one"\n2,"two"\n');
    await c.query('RENAME TABLE mem TO moved');
    expect(existsSync(file('mem', 'CSV'))).toBe(false);
    expect(readFileSync(file('moved', 'CSV'), 'latin1')).toBe('1,"one"\n2,"two"\n');
    expect(await plain(c, 'SELECT COUNT(*) AS n FROM moved')).toEqual([{ n: 2 }]);
    // An ALTER that copies a CSV table into a new CSV table.
    await c.query('ALTER TABLE moved ADD COLUMN n INT NOT NULL DEFAULT 7');
    expect(readFileSync(file('moved', 'CSV'), 'latin1')).toBe('1,"one",7\n2,"two",7\n');
    await c.query('DROP TABLE moved');
    // DROP DATABASE removes the files of its CSV tables with the directory.
    await c.query('CREATE DATABASE csvgone');
    await c.query('CREATE TABLE csvgone.t (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO csvgone.t VALUES (1)');
    expect(existsSync(join(srv.datadir, 'csvgone', 't.CSV'))).toBe(true);
    await c.query('DROP DATABASE csvgone');
    expect(existsSync(join(srv.datadir, 'csvgone'))).toBe(false);
  });
});

describe('CSV: checking and repairing (16.4.1)', () => {
  it(req(['CSV-030', 'CSV-031', 'CSV-032', 'CSV-033'], 'wire', 'the manual\'s CHECK / REPAIR: OK on a sound table; a damaged line gives 1194 on SELECT and Corrupt on CHECK; REPAIR keeps only the rows before it, even valid rows after it are lost'), async () => {
    await c.query('CREATE TABLE csvtest (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO csvtest VALUES (1),(2),(3),(4)');
    expect(await admin(c, 'CHECK TABLE csvtest')).toEqual([[`${DB}.csvtest`, 'check', 'status', 'OK']]);
    await c.query('FLUSH TABLES csvtest');
    writeFileSync(file('csvtest', 'CSV'), '1\n2\nBAD"\n4\n');
    await c.query('FLUSH TABLES csvtest');

    const e = await queryError(c, 'SELECT * FROM csvtest');
    expect(e).toEqual({ errno: 1194, message: "Table 'csvtest' is marked as crashed and should be repaired" });
    expect(await admin(c, 'CHECK TABLE csvtest')).toEqual([[`${DB}.csvtest`, 'check', 'error', 'Corrupt']]);
    // Marked crashed: every read fails until REPAIR, and the metafile says so.
    expect((await queryError(c, 'SELECT COUNT(*) FROM csvtest')).errno).toBe(1194);
    expect((await queryError(c, 'INSERT INTO csvtest VALUES (5)')).errno).toBe(1194);
    expect(csm('csvtest').dirty).toBe(1);

    expect(await admin(c, 'REPAIR TABLE csvtest')).toEqual([[`${DB}.csvtest`, 'repair', 'status', 'OK']]);
    expect(await plain(c, 'SELECT i FROM csvtest')).toEqual([{ i: 1 }, { i: 2 }]);
    expect(readFileSync(file('csvtest', 'CSV'), 'latin1')).toBe('1\n2\n');
    expect(existsSync(file('csvtest', 'CSN'))).toBe(false);
    expect(await admin(c, 'CHECK TABLE csvtest')).toEqual([[`${DB}.csvtest`, 'check', 'status', 'OK']]);
    await c.query('FLUSH TABLES csvtest');
    expect(csm('csvtest')).toMatchObject({ rows: 2n, dirty: 0 });
    await c.query('DROP TABLE csvtest');
  });

  it(req(['CSV-031', 'CSV-032'], 'wire', 'a row with too few fields, an unterminated quote, and a row count different from the .CSM are corrupt; REPAIR stops at the first bad row'), async () => {
    await c.query('CREATE TABLE few (a INT NOT NULL, b INT NOT NULL, c VARCHAR(5) NOT NULL, d INT NOT NULL) ENGINE=CSV');
    await c.query("INSERT INTO few VALUES (1,100,'ORCL',1),(2,101,'IBM',2)");
    await c.query('FLUSH TABLES few');
    writeFileSync(file('few', 'CSV'), '1,100,"ORCL",1\n"1","101","IBM"\n3,102,"X",3\n');
    await c.query('FLUSH TABLES few');
    expect(await admin(c, 'CHECK TABLE few')).toEqual([[`${DB}.few`, 'check', 'error', 'Corrupt']]);
    expect(await admin(c, 'REPAIR TABLE few')).toEqual([[`${DB}.few`, 'repair', 'status', 'OK']]);
    expect(await plain(c, 'SELECT * FROM few')).toEqual([{ a: 1, b: 100, c: 'ORCL', d: 1 }]);

    await c.query('CREATE TABLE q (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO q VALUES (1),(2),(3)');
    await c.query('FLUSH TABLES q');
    // The last line has no line end: no row; two rows read while the .CSM counts three.
    writeFileSync(file('q', 'CSV'), '"1"\n"4"\n"3');
    await c.query('FLUSH TABLES q');
    expect(await plain(c, 'SELECT i FROM q')).toEqual([{ i: 1 }, { i: 4 }]);
    expect(await admin(c, 'CHECK TABLE q')).toEqual([[`${DB}.q`, 'check', 'error', 'Corrupt']]);
    expect(await admin(c, 'REPAIR TABLE q')).toEqual([[`${DB}.q`, 'repair', 'status', 'OK']]);
    expect(readFileSync(file('q', 'CSV'), 'latin1')).toBe('1\n4\n');
    expect(await admin(c, 'CHECK TABLE q')).toEqual([[`${DB}.q`, 'check', 'status', 'OK']]);
    await c.query('DROP TABLE few, q');
  });

  it(req(['CSV-009', 'CSV-032'], 'wire', 'numbers written from outside with fractions or exponents are rounded into INT columns; REPAIR stops at a field with letters and lists the warning "Data truncated for column \'a\' at row 5"'), async () => {
    await c.query('CREATE TABLE num (a INT NOT NULL, b INT NOT NULL) ENGINE=CSV');
    await c.query('FLUSH TABLES num');
    writeFileSync(file('num', 'CSV'), '2, 5E-1\n-3E1, .4\n-15E-1, -.5\n7, -8.5\n3x, 1\n8, 8\n');
    await c.query('FLUSH TABLES num');
    expect(await admin(c, 'REPAIR TABLE num')).toEqual([
      [`${DB}.num`, 'repair', 'Warning', "Data truncated for column 'a' at row 5"],
      [`${DB}.num`, 'repair', 'status', 'OK'],
    ]);
    expect(await plain(c, 'SELECT a, b FROM num')).toEqual([
      { a: 2, b: 1 },
      { a: -30, b: 0 },
      { a: -2, b: -1 },
      { a: 7, b: -9 },
    ]);
    expect(readFileSync(file('num', 'CSV'), 'latin1')).toBe('2,1\n-30,0\n-2,-1\n7,-9\n');
    expect(await admin(c, 'CHECK TABLE num')).toEqual([[`${DB}.num`, 'check', 'status', 'OK']]);
    await c.query('DROP TABLE num');
  });

  it(req(['CSV-034', 'CSV-031'], 'wire', 'a missing .CSM makes the next open repair the table: the rows read and a new .CSM with their count; removed while open, CHECK reports Corrupt'), async () => {
    await c.query('CREATE TABLE nometa (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO nometa VALUES (7),(8)');
    await c.query('FLUSH TABLES nometa');
    rmSync(file('nometa', 'CSM'));
    await c.query('FLUSH TABLES nometa');
    expect(await plain(c, 'SELECT i FROM nometa')).toEqual([{ i: 7 }, { i: 8 }]);
    expect(csm('nometa')).toMatchObject({ size: 35, header: 0xfe, rows: 2n });
    expect(await admin(c, 'CHECK TABLE nometa')).toEqual([[`${DB}.nometa`, 'check', 'status', 'OK']]);
    // The metafile removed while the table is open: CHECK reports it (and marks the table crashed).
    rmSync(file('nometa', 'CSM'));
    expect(await admin(c, 'CHECK TABLE nometa')).toEqual([[`${DB}.nometa`, 'check', 'error', 'Corrupt']]);
    expect((await queryError(c, 'SELECT * FROM nometa')).errno).toBe(1194);
    expect(csm('nometa')).toMatchObject({ rows: 2n, dirty: 1 });
    // Reopened: a dirty metafile makes the open repair the table.
    await c.query('FLUSH TABLES nometa');
    expect(await plain(c, 'SELECT i FROM nometa')).toEqual([{ i: 7 }, { i: 8 }]);
    expect(csm('nometa')).toMatchObject({ rows: 2n, dirty: 0 });
    await c.query('DROP TABLE nometa');
  });

  it(req(['CSV-010'], 'wire', 'a data file removed while the table is closed: error 13 (EE_STAT) Can\'t get stat at every access until an (empty) file is put back'), async () => {
    await c.query('CREATE TABLE gone (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO gone VALUES (1)');
    await c.query('FLUSH TABLES gone');
    rmSync(file('gone', 'CSV'));
    const stat = { errno: 13, message: `Can't get stat of './${DB}/gone.CSV' (OS errno 2 - No such file or directory)` };
    expect(await queryError(c, 'SELECT * FROM gone')).toEqual(stat);
    expect(await queryError(c, 'SELECT * FROM gone')).toEqual(stat);
    expect(existsSync(file('gone', 'CSV'))).toBe(false);
    writeFileSync(file('gone', 'CSV'), '');
    expect(await plain(c, 'SELECT * FROM gone')).toEqual([]);
    await c.query('DROP TABLE gone');
  });
});

describe('CSV: limitations (16.4.2)', () => {
  const refused = async (sql: string, errno: number, message: string): Promise<void> => {
    expect(await queryError(c, sql)).toEqual({ errno, message });
    expect(await plain(c, "SHOW TABLES LIKE 'bad'")).toEqual([]);
  };

  it(req(['CSV-050'], 'wire', 'no indexes: KEY, PRIMARY KEY, UNIQUE are 1069 "max 0 keys allowed"'), async () => {
    for (const def of ['i INT NOT NULL, KEY (i)', 'i INT NOT NULL PRIMARY KEY', 'i INT NOT NULL, UNIQUE (i)']) {
      await refused(`CREATE TABLE bad (${def}) ENGINE=CSV`, 1069, 'Too many keys specified; max 0 keys allowed');
    }
    await c.query('CREATE TABLE noidx (i INT NOT NULL) ENGINE=CSV');
    expect((await queryError(c, 'CREATE INDEX k ON noidx (i)')).errno).toBe(1069);
    await c.query('DROP TABLE noidx');
  });

  it(req(['CSV-051'], 'wire', 'no partitioning: 1178'), async () => {
    await refused('CREATE TABLE bad (i INT NOT NULL) ENGINE=CSV PARTITION BY HASH (i) PARTITIONS 2', 1178, "The storage engine for the table doesn't support native partitioning");
  });

  it(req(['CSV-052'], 'wire', 'every column NOT NULL: a nullable column, DEFAULT NULL, or ALTER of a nullable InnoDB table to CSV is 1178'), async () => {
    const msg = "The storage engine for the table doesn't support nullable columns";
    await refused('CREATE TABLE bad (a INT) ENGINE=CSV', 1178, msg);
    await refused('CREATE TABLE bad (a INT NOT NULL, b VARCHAR(3) DEFAULT NULL) ENGINE=CSV', 1178, msg);
    await c.query('CREATE TABLE inno (a INT) ENGINE=InnoDB');
    expect(await queryError(c, 'ALTER TABLE inno ENGINE=CSV')).toEqual({ errno: 1178, message: msg });
    await c.query('ALTER TABLE inno MODIFY a INT NOT NULL, ENGINE=CSV');
    expect((await rows(c, "SHOW TABLE STATUS LIKE 'inno'"))[0]!['Engine']).toBe('CSV');
    await c.query('DROP TABLE inno');
  });

  it(req(['CSV-013'], 'wire', 'AUTO_INCREMENT is 1164'), async () => {
    await refused('CREATE TABLE bad (i INT NOT NULL AUTO_INCREMENT) ENGINE=CSV', 1164, "The used table type doesn't support AUTO_INCREMENT columns");
  });

  it(req(['CSV-053'], 'wire', 'CREATE TEMPORARY TABLE ... ENGINE=CSV is 1478'), async () => {
    expect(await queryError(c, 'CREATE TEMPORARY TABLE bad (i INT NOT NULL) ENGINE=CSV')).toEqual({ errno: 1478, message: "Table storage engine 'CSV' does not support the create option 'TEMPORARY'" });
  });

  it(req(['CSV-054'], 'wire', 'BLOB and TEXT NOT NULL are accepted; GEOMETRY is 1178'), async () => {
    await c.query('CREATE TABLE lob (b BLOB NOT NULL, t LONGTEXT NOT NULL) ENGINE=CSV');
    await c.query("INSERT INTO lob VALUES (x'0102', REPEAT('z', 5000))");
    expect(await plain(c, 'SELECT HEX(b) AS b, LENGTH(t) AS n FROM lob')).toEqual([{ b: '0102', n: 5000 }]);
    await c.query('DROP TABLE lob');
    await refused('CREATE TABLE bad (g GEOMETRY NOT NULL) ENGINE=CSV', 1178, "The storage engine for the table doesn't support GEOMETRY");
  });
});

describe('CSV: FLUSH TABLES and sessions using the table', () => {
  it(req(['CSV-014', 'CSV-009'], 'wire', 'FLUSH TABLES t waits while another session holds LOCK TABLES t READ (a table level lock wait), then closes the table: an edit of t.CSV made meanwhile is read afterwards'), async () => {
    await c.query('CREATE TABLE fl (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO fl VALUES (1)');
    const a = await srv.connect({ database: DB });
    const b = await srv.connect({ database: DB });
    try {
      await a.query('LOCK TABLES fl READ');
      let done = false;
      const flushing = b.query('FLUSH TABLES fl').then(() => {
        done = true;
      });
      // B waits on the table's metadata lock (visible in the process list).
      for (let i = 0; i < 100; i++) {
        const st = (await plain(c, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${(b as unknown as { threadId: number }).threadId}`))[0];
        if (st && /Waiting for table/.test(String(st['STATE']))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const state = (await plain(c, `SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = ${(b as unknown as { threadId: number }).threadId}`))[0]!;
      expect(state).toEqual({ STATE: 'Waiting for table level lock', INFO: 'FLUSH TABLES fl' });
      expect(done).toBe(false);
      // The locking session still reads the table as it had it.
      expect(await plain(a, 'SELECT i FROM fl')).toEqual([{ i: 1 }]);
      writeFileSync(file('fl', 'CSV'), '1\n2\n3\n');
      await a.query('UNLOCK TABLES');
      await flushing;
      expect(await plain(a, 'SELECT i FROM fl')).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    } finally {
      await a.end();
      await b.end();
    }
    await c.query('DROP TABLE fl');
  });

  it(req(['CSV-014'], 'wire', 'FLUSH TABLES waits for a running SELECT on the table to end, but not for an idle transaction that read it earlier'), async () => {
    await c.query('CREATE TABLE busy (i INT NOT NULL) ENGINE=CSV');
    await c.query('INSERT INTO busy VALUES (1)');
    const a = await srv.connect({ database: DB });
    const b = await srv.connect({ database: DB });
    const idOf = (conn: mysql.Connection): number => (conn as unknown as { threadId: number }).threadId;
    const stateOf = async (conn: mysql.Connection): Promise<string> =>
      String((await plain(c, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${idOf(conn)}`))[0]?.['STATE'] ?? '');
    const until = async (conn: mysql.Connection, want: RegExp): Promise<string> => {
      for (let i = 0; i < 200; i++) {
        const st = await stateOf(conn);
        if (want.test(st)) return st;
        await new Promise((r) => setTimeout(r, 10));
      }
      return stateOf(conn);
    };
    try {
      const order: string[] = [];
      const reading = a.query('SELECT i, SLEEP(2) AS s FROM busy').then(([r]) => {
        order.push('select');
        return r;
      });
      // A is inside its SELECT (sleeping on its row) once the process list shows its query.
      for (let i = 0; i < 200; i++) {
        const info = (await plain(c, `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${idOf(a)}`))[0]?.['INFO'];
        if (info === 'SELECT i, SLEEP(2) AS s FROM busy') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const flushing = b.query('FLUSH TABLES busy').then(() => order.push('flush'));
      expect(await until(b, /Waiting/)).toBe('Waiting for table level lock');
      await Promise.all([reading, flushing]);
      expect(order).toEqual(['select', 'flush']);

      // An open transaction that read the table holds no table lock between statements.
      await a.query('START TRANSACTION');
      expect(await plain(a, 'SELECT i FROM busy')).toEqual([{ i: 1 }]);
      writeFileSync(file('busy', 'CSV'), '5\n');
      await b.query('SET SESSION lock_wait_timeout = 1');
      await b.query('FLUSH TABLES busy');
      expect(await plain(a, 'SELECT i FROM busy')).toEqual([{ i: 5 }]);
      await a.query('COMMIT');
    } finally {
      await a.end();
      await b.end();
    }
    await c.query('DROP TABLE busy');
  });

  it(req(['CSV-014'], 'wire', 'FLUSH TABLES blocked by another session ends with 1205 after lock_wait_timeout; under the session\'s own LOCK TABLES it needs a WRITE lock (1099, 1100)'), async () => {
    await c.query('CREATE TABLE fw (i INT NOT NULL) ENGINE=CSV');
    await c.query('CREATE TABLE other (i INT NOT NULL) ENGINE=CSV');
    const a = await srv.connect({ database: DB });
    const b = await srv.connect({ database: DB });
    try {
      await a.query('LOCK TABLES fw READ');
      await b.query('SET SESSION lock_wait_timeout = 1');
      expect(await queryError(b, 'FLUSH TABLES fw')).toEqual({ errno: 1205, message: 'Lock wait timeout exceeded; try restarting transaction' });
      // Under its own LOCK TABLES: a READ-locked table cannot be flushed, an unlocked one neither.
      expect(await queryError(a, 'FLUSH TABLES fw')).toEqual({ errno: 1099, message: "Table 'fw' was locked with a READ lock and can't be updated" });
      expect(await queryError(a, 'FLUSH TABLES other')).toEqual({ errno: 1100, message: "Table 'other' was not locked with LOCK TABLES" });
      await a.query('UNLOCK TABLES');
      await a.query('LOCK TABLES fw WRITE');
      await a.query('INSERT INTO fw VALUES (1)');
      await a.query('FLUSH TABLES fw');
      expect(csm('fw')).toMatchObject({ rows: 1n, dirty: 0 });
      expect(await plain(a, 'SELECT i FROM fw')).toEqual([{ i: 1 }]);
      await a.query('UNLOCK TABLES');
      // Nobody uses the table: FLUSH TABLES goes through at once.
      await b.query('FLUSH TABLES fw, other');
    } finally {
      await a.end();
      await b.end();
    }
    await c.query('DROP TABLE fw, other');
  });
});

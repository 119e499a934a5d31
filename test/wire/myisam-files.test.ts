/**
 * MyISAM over the wire: the .MYD/.MYI files and their header (read here with plain fs at the
 * offsets of the inventory's Appendix A, independently of the engine's codec), row formats and
 * their choice, space reuse, BLOB/TEXT, keys and their limits, AUTO_INCREMENT (also per prefix
 * group), non-transactional ROLLBACK.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const file = (t: string, ext: 'MYD' | 'MYI'): string => join(srv.datadir, 'mi', `${t}.${ext}`);

/** The state fields of a .MYI at Appendix A's offsets (big-endian). */
function myiState(t: string): { magic: string; openCount: number; flags: number; records: bigint; deleted: bigint; keyFileLength: bigint; dataFileLength: bigint } {
  const b = readFileSync(file(t, 'MYI'));
  return {
    magic: b.subarray(0, 4).toString('hex'),
    openCount: b.readUInt16BE(24),
    flags: b[26]!,
    records: b.readBigUInt64BE(28),
    deleted: b.readBigUInt64BE(36),
    keyFileLength: b.readBigUInt64BE(60),
    dataFileLength: b.readBigUInt64BE(68),
  };
}

async function rows(sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql, params);
  return r;
}

async function status(t: string): Promise<mysql.RowDataPacket> {
  return (await rows(`SHOW TABLE STATUS LIKE '${t}'`))[0]!;
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE mi');
  await c.query('USE mi');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('MyISAM files and header', () => {
  it(req(['MYISAM-004', 'MYISAM-002'], 'wire', 'SHOW ENGINES lists MyISAM with Support YES while InnoDB stays DEFAULT; tables need ENGINE=MyISAM'), async () => {
    const e = await rows("SELECT ENGINE, SUPPORT, TRANSACTIONS, XA, SAVEPOINTS FROM information_schema.ENGINES WHERE ENGINE IN ('MyISAM','InnoDB') ORDER BY ENGINE");
    expect(e.map((r) => Object.values(r))).toEqual([
      ['InnoDB', 'DEFAULT', 'YES', 'YES', 'YES'],
      ['MyISAM', 'YES', 'NO', 'NO', 'NO'],
    ]);
    await c.query('CREATE TABLE plain (a INT)');
    expect((await status('plain'))['Engine']).toBe('InnoDB');
    await c.query('CREATE TABLE lower_case (a INT) ENGINE=myisam');
    expect((await status('lower_case'))['Engine']).toBe('MyISAM');
  });

  it(req(['MYISAM-003', 'MYISAM-130', 'MYISAM-131', 'MYISAM-132', 'MYISAM-133', 'MYISAM-135', 'MYISAM-120'], 'wire', 'a table is t.MYD + t.MYI; the header counts rows and the open counter rises on the first write and drops at FLUSH TABLES'), async () => {
    await c.query('CREATE TABLE f (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=MyISAM');
    expect(existsSync(file('f', 'MYD'))).toBe(true);
    expect(existsSync(file('f', 'MYI'))).toBe(true);
    let s = myiState('f');
    expect(s.magic).toBe('fefe0701');
    expect(s.openCount).toBe(0);
    expect(s.records).toBe(0n);
    await c.query('INSERT INTO f VALUES (1, 10), (2, 20), (3, 30)');
    s = myiState('f');
    expect(s.openCount).toBe(1);
    expect(s.flags & 0x01).toBe(1); // changed
    expect(s.records).toBe(3n);
    expect(s.dataFileLength).toBe(BigInt(statSync(file('f', 'MYD')).size));
    await c.query('INSERT INTO f VALUES (4, 40)');
    expect(myiState('f').openCount).toBe(1);
    await c.query('FLUSH TABLES');
    s = myiState('f');
    expect(s.openCount).toBe(0);
    expect(s.records).toBe(4n);
    expect(s.keyFileLength).toBe(BigInt(statSync(file('f', 'MYI')).size));
    // A close without a write since leaves the counter at 0 (never below).
    await rows('SELECT * FROM f');
    await c.query('FLUSH TABLES f');
    expect(myiState('f').openCount).toBe(0);
    await c.query('DELETE FROM f WHERE id = 4');
    expect(myiState('f').deleted).toBe(1n);
    const st = await status('f');
    expect(Number(st['Index_length'])).toBe(statSync(file('f', 'MYI')).size);
    // Update_time comes from the data file, Check_time from the last CHECK TABLE.
    expect(st['Update_time']).not.toBeNull();
    expect(st['Check_time']).toBeNull();
    await c.query('CHECK TABLE f');
    expect((await status('f'))['Check_time']).not.toBeNull();
    const is = await rows("SELECT UPDATE_TIME, CHECK_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mi' AND TABLE_NAME = 'f'");
    expect(is[0]!['UPDATE_TIME']).not.toBeNull();
    expect(is[0]!['CHECK_TIME']).not.toBeNull();
  });

  it(req(['MYISAM-003'], 'wire', 'RENAME TABLE moves both files and DROP TABLE removes them'), async () => {
    await c.query('CREATE TABLE r1 (a INT) ENGINE=MyISAM');
    await c.query('INSERT INTO r1 VALUES (7)');
    await c.query('RENAME TABLE r1 TO r2');
    expect(existsSync(file('r1', 'MYD'))).toBe(false);
    expect(existsSync(file('r2', 'MYD'))).toBe(true);
    expect(await rows('SELECT a FROM r2')).toEqual([{ a: 7 }]);
    await c.query('DROP TABLE r2');
    expect(existsSync(file('r2', 'MYD'))).toBe(false);
    expect(existsSync(file('r2', 'MYI'))).toBe(false);
  });
});

describe('MyISAM row formats', () => {
  it(req(['MYISAM-080', 'MYISAM-081', 'MYISAM-085', 'MYISAM-088', 'MYISAM-100', 'MYISAM-031'], 'wire', 'the format: Fixed without variable-length columns, Dynamic with VARCHAR/BLOB, ROW_FORMAT forces it except that BLOB stays Dynamic'), async () => {
    const cases: [string, string][] = [
      ['fx1 (a INT, b CHAR(10))', 'Fixed'],
      ['dy1 (a INT, b VARCHAR(10))', 'Dynamic'],
      ['dy2 (a INT, b TEXT)', 'Dynamic'],
      ['fx2 (a INT, b VARCHAR(10)) ROW_FORMAT=FIXED', 'Fixed'],
      ['dy3 (a INT) ROW_FORMAT=DYNAMIC', 'Dynamic'],
      ['dy4 (a INT, b BLOB) ROW_FORMAT=FIXED', 'Dynamic'],
    ];
    for (const [ddl, fmt] of cases) {
      await c.query(`CREATE TABLE ${ddl} ENGINE=MyISAM`);
      const name = ddl.split(' ')[0]!;
      expect((await status(name))['Row_format'], ddl).toBe(fmt);
      const is = await rows('SELECT ROW_FORMAT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', ['mi', name]);
      expect(is[0]!['ROW_FORMAT']).toBe(fmt);
    }
  });

  it(req(['MYISAM-086', 'MYISAM-089', 'MYISAM-090', 'MYISAM-007'], 'wire', 'static rows: row N at N x record length, CHAR padded with spaces, BINARY with 0x00'), async () => {
    await c.query('CREATE TABLE st (id INT NOT NULL, c CHAR(8), b BINARY(4)) ENGINE=MyISAM');
    await c.query("INSERT INTO st VALUES (1, 'ab', 'x'), (2, NULL, NULL), (3, 'cdef', 'yz')");
    const st = await status('st');
    const reclen = Number(st['Avg_row_length']);
    const data = readFileSync(file('st', 'MYD'));
    expect(data.length).toBe(3 * reclen);
    expect(Number(st['Data_length'])).toBe(3 * reclen);
    for (let n = 0; n < 3; n++) expect(data[n * reclen], `status byte of row ${n}`).toBe(1);
    const rec0 = data.subarray(0, reclen);
    const at = rec0.indexOf(Buffer.from('ab'));
    expect(at).toBeGreaterThan(0);
    expect(rec0.subarray(at + 2, at + 8).toString('latin1')).toBe('      ');
    const bx = rec0.indexOf(Buffer.from('x'), at + 8);
    expect([...rec0.subarray(bx + 1, bx + 4)]).toEqual([0, 0, 0]);
    // The id 1 is stored little-endian.
    expect(rec0.indexOf(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]))).toBeGreaterThan(0);
    expect(await rows('SELECT id, c, HEX(b) AS b FROM st ORDER BY id')).toEqual([
      { id: 1, c: 'ab', b: '78000000' },
      { id: 2, c: null, b: null },
      { id: 3, c: 'cdef', b: '797A0000' },
    ]);
  });

  it(req(['MYISAM-020', 'MYISAM-021', 'MYISAM-092'], 'wire', 'deleted rows leave Data_free that later inserts reuse, in both formats'), async () => {
    for (const [t, ddl] of [
      ['rf', 'id INT NOT NULL PRIMARY KEY, c CHAR(20)'],
      ['rd', 'id INT NOT NULL PRIMARY KEY, c VARCHAR(200)'],
    ] as const) {
      await c.query(`CREATE TABLE ${t} (${ddl}) ENGINE=MyISAM`);
      for (let i = 1; i <= 10; i++) await c.query(`INSERT INTO ${t} VALUES (?, ?)`, [i, 'x'.repeat(15)]);
      const full = await status(t);
      expect(Number(full['Data_free'])).toBe(0);
      await c.query(`DELETE FROM ${t} WHERE id IN (3, 4)`);
      const holes = await status(t);
      expect(Number(holes['Data_free'])).toBeGreaterThan(0);
      expect(Number(holes['Data_length'])).toBe(Number(full['Data_length']));
      await c.query(`INSERT INTO ${t} VALUES (11, ?), (12, ?)`, ['y'.repeat(15), 'z'.repeat(15)]);
      const reused = await status(t);
      expect(Number(reused['Data_free']), t).toBe(0);
      expect(Number(reused['Data_length']), t).toBe(Number(full['Data_length']));
      expect(Number(reused['Rows'])).toBe(10);
      // Static rows: the new rows sit in the holes, so a scan meets them where rows 3 and 4 were.
      if (t === 'rf') expect((await rows(`SELECT id FROM ${t}`)).map((r) => r['id'])).toEqual([1, 2, 12, 11, 5, 6, 7, 8, 9, 10]);
    }
  });

  it(req(['MYISAM-023', 'MYISAM-030', 'MYISAM-101'], 'wire', 'BLOB and TEXT columns store large values and can be indexed by prefix'), async () => {
    await c.query('CREATE TABLE bl (id INT NOT NULL PRIMARY KEY, t MEDIUMTEXT, b LONGBLOB, KEY tk (t(10))) ENGINE=MyISAM');
    const big = 'é'.repeat(40000);
    const bin = Buffer.alloc(200000, 7);
    await c.query('INSERT INTO bl VALUES (1, ?, ?), (2, ?, NULL)', [big, bin, 'short']);
    const r = await rows('SELECT id, CHAR_LENGTH(t) AS n, LENGTH(b) AS lb FROM bl WHERE t LIKE ? ORDER BY id', ['éé%']);
    expect(r).toEqual([{ id: 1, n: 40000, lb: 200000 }]);
    await c.query('UPDATE bl SET t = ? WHERE id = 2', ['x'.repeat(5000)]);
    await c.query('FLUSH TABLES bl');
    expect((await rows('SELECT id, CHAR_LENGTH(t) AS n FROM bl ORDER BY id')).map((x) => x['n'])).toEqual([40000, 5000]);
    expect((await rows("SHOW INDEX FROM bl WHERE Key_name = 'tk'"))[0]!['Sub_part']).toBe(10);
  });
});

describe('MyISAM keys', () => {
  it(req(['MYISAM-011', 'MYISAM-012', 'MYISAM-013', 'MYISAM-006'], 'wire', 'limits: 64 keys (1069), 16 parts (1070), 1000 bytes (1071); PARTITION BY fails with 1178'), async () => {
    const cols = Array.from({ length: 65 }, (_, i) => `c${i} INT`).join(', ');
    const keys = Array.from({ length: 65 }, (_, i) => `KEY (c${i})`).join(', ');
    expect(await errorOf(c.query(`CREATE TABLE k65 (${cols}, ${keys}) ENGINE=MyISAM`))).toEqual({ errno: 1069, sqlState: '42000', message: 'Too many keys specified; max 64 keys allowed' });
    const keys64 = Array.from({ length: 64 }, (_, i) => `KEY (c${i})`).join(', ');
    await c.query(`CREATE TABLE k64 (${cols}, ${keys64}) ENGINE=MyISAM`);
    const parts = Array.from({ length: 17 }, (_, i) => `c${i}`).join(', ');
    expect(await errorOf(c.query(`CREATE TABLE p17 (${cols}, KEY (${parts})) ENGINE=MyISAM`))).toEqual({ errno: 1070, sqlState: '42000', message: 'Too many key parts specified; max 16 parts allowed' });
    expect((await errorOf(c.query('CREATE TABLE long1 (a VARCHAR(300) CHARACTER SET utf8mb4, UNIQUE KEY (a)) ENGINE=MyISAM'))).errno).toBe(1071);
    expect((await errorOf(c.query('CREATE TABLE long1 (a VARCHAR(300) CHARACTER SET utf8mb4, UNIQUE KEY (a)) ENGINE=MyISAM'))).message).toBe('Specified key was too long; max key length is 1000 bytes');
    await c.query('CREATE TABLE long2 (a VARCHAR(250) CHARACTER SET utf8mb4, UNIQUE KEY (a)) ENGINE=MyISAM');
    expect(await errorOf(c.query('CREATE TABLE pt (a INT) ENGINE=MyISAM PARTITION BY HASH (a) PARTITIONS 2'))).toEqual({
      errno: 1178,
      sqlState: '42000',
      message: "The storage engine for the table doesn't support native partitioning",
    });
    expect((await rows("SHOW TABLES LIKE 'pt'")).length).toBe(0);
  });

  it(req(['MYISAM-002', 'MYISAM-070'], 'wire', 'keys are B-trees: USING HASH becomes BTREE; FULLTEXT and SPATIAL are refused with MySQL\'s errors'), async () => {
    await c.query('CREATE TABLE hk (a INT, KEY ka (a) USING HASH) ENGINE=MyISAM');
    expect((await rows("SHOW INDEX FROM hk WHERE Key_name = 'ka'"))[0]!['Index_type']).toBe('BTREE');
    expect((await errorOf(c.query('CREATE TABLE ft (a TEXT, FULLTEXT KEY (a)) ENGINE=MyISAM'))).errno).toBe(1214);
    expect((await errorOf(c.query('CREATE TABLE sp (g GEOMETRY NOT NULL SRID 0, SPATIAL KEY (g)) ENGINE=MyISAM'))).errno).toBe(1464);
  });

  it(req(['MYISAM-024', 'MYISAM-025'], 'wire', 'key columns may hold NULL (a UNIQUE key takes several) and columns keep their own character sets'), async () => {
    await c.query('CREATE TABLE nk (a INT NULL, b VARCHAR(10) CHARACTER SET latin1, d VARCHAR(10) CHARACTER SET utf8mb4, UNIQUE KEY (a), KEY (b)) ENGINE=MyISAM');
    await c.query("INSERT INTO nk VALUES (NULL, 'x', 'ü'), (NULL, 'y', '€'), (1, NULL, NULL)");
    expect((await errorOf(c.query("INSERT INTO nk VALUES (1, 'z', 'z')"))).errno).toBe(1062);
    expect((await rows('SELECT COUNT(*) AS n FROM nk WHERE a IS NULL'))[0]!['n']).toBe(2);
    expect((await rows('SELECT d FROM nk WHERE b = ?', ['y']))[0]!['d']).toBe('€');
    const cs = await rows("SELECT COLUMN_NAME, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='mi' AND TABLE_NAME='nk' AND COLUMN_NAME IN ('b','d') ORDER BY COLUMN_NAME");
    expect(cs.map((r) => r['CHARACTER_SET_NAME'])).toEqual(['latin1', 'utf8mb4']);
  });
});

describe('MyISAM AUTO_INCREMENT and transactions', () => {
  it(req(['MYISAM-016', 'MYISAM-017', 'MYISAM-019'], 'wire', 'the counter is never reused at the top, follows UPDATE, and ALTER TABLE ... AUTO_INCREMENT moves it'), async () => {
    await c.query('CREATE TABLE ai (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=MyISAM');
    await c.query('INSERT INTO ai (v) VALUES (1), (2), (3)');
    await c.query('DELETE FROM ai WHERE id = 3');
    const [r] = await c.query<mysql.ResultSetHeader>('INSERT INTO ai (v) VALUES (4)');
    expect(r.insertId).toBe(4);
    await c.query('UPDATE ai SET id = 50 WHERE id = 4');
    const [r2] = await c.query<mysql.ResultSetHeader>('INSERT INTO ai (v) VALUES (5)');
    expect(r2.insertId).toBe(51);
    await c.query('ALTER TABLE ai AUTO_INCREMENT = 100');
    const [r3] = await c.query<mysql.ResultSetHeader>('INSERT INTO ai (v) VALUES (6)');
    expect(r3.insertId).toBe(100);
    await c.query('FLUSH TABLES ai');
    expect(Number((await status('ai'))['Auto_increment'])).toBe(101);
  });

  it(req(['MYISAM-018'], 'wire', "an AUTO_INCREMENT column after other key parts numbers each prefix group from MAX+1 (the manual's animals table)"), async () => {
    await c.query(`CREATE TABLE animals (
      grp ENUM('fish','mammal','bird') NOT NULL,
      id MEDIUMINT NOT NULL AUTO_INCREMENT,
      name CHAR(30) NOT NULL,
      PRIMARY KEY (grp, id)) ENGINE=MyISAM`);
    await c.query("INSERT INTO animals (grp,name) VALUES ('mammal','dog'),('mammal','cat'),('bird','penguin'),('fish','lax'),('mammal','whale'),('bird','ostrich')");
    expect((await rows('SELECT grp, id, name FROM animals ORDER BY grp, id')).map((r) => [r['grp'], r['id'], r['name']])).toEqual([
      ['fish', 1, 'lax'],
      ['mammal', 1, 'dog'],
      ['mammal', 2, 'cat'],
      ['mammal', 3, 'whale'],
      ['bird', 1, 'penguin'],
      ['bird', 2, 'ostrich'],
    ]);
    // The largest value of a group is reused after it is deleted.
    await c.query("DELETE FROM animals WHERE grp = 'mammal' AND id = 3");
    await c.query("INSERT INTO animals (grp, name) VALUES ('mammal', 'seal')");
    expect((await rows("SELECT id FROM animals WHERE name = 'seal'"))[0]!['id']).toBe(3);
  });

  it(req(['MYISAM-002'], 'wire', 'no transactions: ROLLBACK keeps the rows and warns 1196'), async () => {
    await c.query('CREATE TABLE nt (a INT) ENGINE=MyISAM');
    await c.query('START TRANSACTION');
    await c.query('INSERT INTO nt VALUES (1), (2)');
    await c.query('ROLLBACK');
    const w = await rows('SHOW WARNINGS');
    expect(w.map((x) => [x['Code'], x['Message']])).toEqual([[1196, "Some non-transactional changed tables couldn't be rolled back"]]);
    expect((await rows('SELECT COUNT(*) AS n FROM nt'))[0]!['n']).toBe(2);
  });
});

/**
 * The MEMORY engine over the wire (mysql2): auto-increment, sharing, temporary tables, the
 * max_heap_table_size cap, slot reuse, limits, restart behaviour.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as err } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

/** Insert rows 100 at a time until 1114; returns the number of rows that fit. */
async function fillUntilFull(conn: mysql.Connection, table: string, start = 0): Promise<number> {
  let n = start;
  for (let batch = 0; batch < 10_000; batch++) {
    const vals = Array.from({ length: 100 }, (_, i) => `(${n + i})`).join(',');
    try {
      await conn.query(`INSERT INTO ${table} (id) VALUES ${vals}`);
      n += 100;
    } catch (e) {
      expect((e as { errno: number }).errno).toBe(1114);
      // the statement stopped at the first row that did not fit; rows before it stay (no transactions)
      const [r] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number(r[0]!['n']);
    }
  }
  throw new Error('never full');
}

async function status(conn: mysql.Connection, table: string): Promise<mysql.RowDataPacket> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(`SHOW TABLE STATUS LIKE '${table}'`);
  return r[0]!;
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE m');
  await c.query('USE m');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('MEMORY over the wire', () => {
  it(req(['MEMORY-034'], 'wire', 'AUTO_INCREMENT gives 1, 2, 3 and LAST_INSERT_ID follows'), async () => {
    await c.query('CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=MEMORY');
    await c.query('INSERT INTO ai (v) VALUES (10)');
    await c.query('INSERT INTO ai (v) VALUES (20)');
    const [r] = await c.query<mysql.ResultSetHeader>('INSERT INTO ai (id, v) VALUES (NULL, 30)');
    expect(r.insertId).toBe(3);
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT id FROM ai ORDER BY id');
    expect(rows.map((x) => x['id'])).toEqual([1, 2, 3]);
  });

  it(req(['MEMORY-035', 'MEMORY-121'], 'wire', 'base tables are shared; TEMPORARY tables are private and vanish on disconnect'), async () => {
    const other = await srv.connect({ database: 'm' });
    await c.query('CREATE TABLE shared (i INT) ENGINE=MEMORY');
    await c.query('INSERT INTO shared VALUES (1)');
    const [r] = await other.query<mysql.RowDataPacket[]>('SELECT i FROM shared');
    expect(r.length).toBe(1);
    await other.query('CREATE TEMPORARY TABLE tt (i INT) ENGINE=MEMORY');
    await other.query('INSERT INTO tt VALUES (5)');
    const [mine] = await other.query<mysql.RowDataPacket[]>('SELECT i FROM tt');
    expect(mine).toEqual([{ i: 5 }]);
    const [sc] = await other.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE tt');
    expect(String(sc[0]!['Create Table'])).toMatch(/^CREATE TEMPORARY TABLE `tt`[\s\S]*ENGINE=MEMORY/);
    expect((await err(c.query('SELECT * FROM tt'))).errno).toBe(1146);
    const [t] = await other.query<mysql.RowDataPacket[]>('SHOW TABLES');
    expect(t.map((x) => Object.values(x)[0])).not.toContain('tt');
    // A second temporary table of the same session, in an engine that keeps a file per table in
    // the data directory: its file is the outside sign that the session's temporary tables were
    // dropped when it ended (MEMORY tables leave no file to look at).
    await other.query('CREATE TEMPORARY TABLE tt_file (i INT) ENGINE=ARCHIVE');
    const tempFiles = (): string[] => readdirSync(srv.datadir).filter((f) => f.startsWith('#sql'));
    expect(tempFiles()).toHaveLength(1);
    const [[{ id }]] = await other.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id') as unknown as [[{ id: number }]];
    await other.end();
    // The server ends a session after its client went: wait until the processlist no longer
    // lists it (the temporary tables are dropped before the session leaves the list).
    for (let i = 0; ; i++) {
      const [pl] = await c.query<mysql.RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
      if (pl.length === 0) break;
      if (i > 200) throw new Error(`connection ${id} never left the processlist`);
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(tempFiles()).toEqual([]);
    const third = await srv.connect({ database: 'm' });
    expect((await err(third.query('SELECT * FROM tt'))).errno).toBe(1146);
    expect((await err(third.query('SELECT * FROM tt_file'))).errno).toBe(1146);
    await third.end();
  });

  it(req(['ENGINE-SET-005'], 'wire', 'default_tmp_storage_engine applies to CREATE TEMPORARY TABLE (session and global value), not to base tables'), async () => {
    // The defaults are InnoDB for both: every value used here differs from them.
    const [d] = await c.query<mysql.RowDataPacket[]>('SELECT @@default_storage_engine AS p, @@default_tmp_storage_engine AS t');
    expect(d[0]).toEqual({ p: 'InnoDB', t: 'InnoDB' });
    const engineOf = async (conn: mysql.Connection, table: string): Promise<string> => {
      const [r] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
      return /\) ENGINE=(\w+)/.exec(String(r[0]!['Create Table']))?.[1] ?? 'none';
    };
    await c.query('SET SESSION default_tmp_storage_engine = MyISAM');
    await c.query('CREATE TEMPORARY TABLE tmp1 (i INT)');
    await c.query('CREATE TABLE base1 (i INT)');
    expect([await engineOf(c, 'tmp1'), await engineOf(c, 'base1')]).toEqual(['MyISAM', 'InnoDB']);
    await c.query('SET SESSION default_tmp_storage_engine = MEMORY');
    await c.query('CREATE TEMPORARY TABLE tmp2 (i INT)');
    expect(await engineOf(c, 'tmp2')).toBe('MEMORY');
    // An explicit ENGINE= wins over the variable.
    await c.query('CREATE TEMPORARY TABLE tmp3 (i INT) ENGINE=MyISAM');
    expect(await engineOf(c, 'tmp3')).toBe('MyISAM');
    // The global value is the default of sessions that start later.
    await c.query('SET GLOBAL default_tmp_storage_engine = MyISAM');
    try {
      const later = await srv.connect({ database: 'm' });
      await later.query('CREATE TEMPORARY TABLE tmp4 (i INT)');
      expect(await engineOf(later, 'tmp4')).toBe('MyISAM');
      await later.end();
    } finally {
      await c.query('SET GLOBAL default_tmp_storage_engine = DEFAULT');
    }
    await c.query('DROP TEMPORARY TABLE tmp1, tmp2, tmp3');
    await c.query('DROP TABLE base1');
    await c.query('SET SESSION default_tmp_storage_engine = DEFAULT');
  });

  it(req(['MEMORY-042', 'MEMORY-043', 'MEMORY-102', 'MEMORY-070'], 'wire', 'max_heap_table_size caps the table at CREATE; TRUNCATE takes the new value'), async () => {
    await c.query('SET SESSION max_heap_table_size = 65536');
    await c.query('CREATE TABLE cap (id INT, UNIQUE(id)) ENGINE=MEMORY');
    const r1 = await fillUntilFull(c, 'cap');
    expect(r1).toBeGreaterThan(65536 / 24 * 0.9);
    expect(r1).toBeLessThan(65536 / 24 * 1.1);
    await c.query('SET SESSION max_heap_table_size = 1048576');
    expect((await err(c.query('INSERT INTO cap VALUES (99999999)'))).errno).toBe(1114);
    await c.query('TRUNCATE TABLE cap');
    const r2 = await fillUntilFull(c, 'cap');
    expect(r2).toBeGreaterThan(15 * r1);
    const [e] = await c.query<mysql.RowDataPacket[]>("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA='m' AND TABLE_NAME='cap'");
    expect(e[0]!['ENGINE']).toBe('MEMORY');
    await c.query('DROP TABLE cap');
    await c.query('SET SESSION max_heap_table_size = DEFAULT');
  });

  it(req(['MEMORY-031', 'MEMORY-101'], 'wire', 'Data_length stays after a partial DELETE, shrinks after ALTER ... ENGINE=MEMORY'), async () => {
    await c.query('CREATE TABLE reuse (id INT, KEY(id)) ENGINE=MEMORY');
    const vals = Array.from({ length: 200 }, (_, i) => `(${i})`).join(',');
    await c.query(`INSERT INTO reuse VALUES ${vals}`);
    const full = Number((await status(c, 'reuse'))['Data_length']);
    await c.query('DELETE FROM reuse WHERE id < 100');
    expect(Number((await status(c, 'reuse'))['Data_length'])).toBe(full);
    await c.query(`INSERT INTO reuse VALUES ${Array.from({ length: 100 }, (_, i) => `(${1000 + i})`).join(',')}`);
    expect(Number((await status(c, 'reuse'))['Data_length'])).toBe(full);
    await c.query('DELETE FROM reuse WHERE id >= 1000');
    await c.query('ALTER TABLE reuse ENGINE=MEMORY');
    expect(Number((await status(c, 'reuse'))['Data_length'])).toBeLessThan(full);
  });

  it(req(['MEMORY-051', 'MEMORY-031', 'MEMORY-002', 'ENGINE-CHOOSE-008'], 'wire', 'key limits 1069/1070/1071, AUTO_INCREMENT must lead a key (1075), FULLTEXT 1214'), async () => {
    const cols = Array.from({ length: 17 }, (_, i) => `c${i} INT`).join(', ');
    const keys65 = Array.from({ length: 65 }, (_, i) => `KEY k${i} (c${i % 17})`).join(', ');
    expect((await err(c.query(`CREATE TABLE lim (${cols}, ${keys65}) ENGINE=MEMORY`))).errno).toBe(1069);
    const parts17 = Array.from({ length: 17 }, (_, i) => `c${i}`).join(', ');
    expect((await err(c.query(`CREATE TABLE lim (${cols}, KEY (${parts17})) ENGINE=MEMORY`))).errno).toBe(1070);
    const e = await err(c.query('CREATE TABLE lim (a CHAR(255), b CHAR(255), c CHAR(255), d CHAR(255), KEY(a,b,c,d)) ENGINE=MEMORY'));
    expect(e.errno).toBe(1071);
    expect(e.sqlMessage).toBe('Specified key was too long; max key length is 3072 bytes');
    await c.query('CREATE TABLE lim (a VARCHAR(768), KEY(a)) ENGINE=MEMORY');
    await c.query('DROP TABLE lim');
    expect((await err(c.query('CREATE TABLE ak (a INT, b INT AUTO_INCREMENT, KEY(a, b)) ENGINE=MEMORY'))).errno).toBe(1075);
    expect((await err(c.query('CREATE TABLE ft (a VARCHAR(10), FULLTEXT(a)) ENGINE=MEMORY'))).errno).toBe(1214);
  });

  it(req(['ENGINE-SET-007'], 'wire', 'a failing engine conversion leaves the table unchanged'), async () => {
    await c.query('CREATE TABLE conv (i INT, KEY USING BTREE (i)) ENGINE=MEMORY');
    await c.query('INSERT INTO conv VALUES (1),(2)');
    const [before] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE conv');
    expect((await err(c.query('ALTER TABLE conv ADD COLUMN t TEXT'))).errno).toBe(1163);
    expect((await err(c.query('ALTER TABLE conv ENGINE=NOSUCH'))).errno).toBe(1286);
    const [after] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE conv');
    expect(after[0]!['Create Table']).toBe(before[0]!['Create Table']);
    const [n] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM conv');
    expect(Number(n[0]!['n'])).toBe(2);
  });

  it(req(['MEMORY-050', 'ENGINE-LIST-006'], 'wire', 'information_schema agrees with SHOW INDEX and SHOW ENGINES'), async () => {
    await c.query('CREATE TABLE lookup (id INT, INDEX USING HASH (id), v INT, INDEX USING BTREE (v)) ENGINE=MEMORY');
    const [st] = await c.query<mysql.RowDataPacket[]>("SELECT INDEX_NAME, INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='m' AND TABLE_NAME='lookup' ORDER BY INDEX_NAME");
    expect(st.map((r) => [r['INDEX_NAME'], r['INDEX_TYPE']])).toEqual([['id', 'HASH'], ['v', 'BTREE']]);
    const [a] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINES');
    const [b] = await c.query<mysql.RowDataPacket[]>('SELECT * FROM information_schema.ENGINES');
    const norm = (rows: mysql.RowDataPacket[]): string[] => rows.map((r) => Object.values(r).join('|')).sort();
    expect(norm(b)).toEqual(norm(a));
  });
});

describe('MEMORY storage details', () => {
  it(req(['MEMORY-032'], 'wire', 'rows are fixed length: short and long VARCHAR values use the same Data_length'), async () => {
    await c.query('CREATE TABLE v1 (s VARCHAR(200)) ENGINE=MEMORY');
    await c.query('CREATE TABLE v2 (s VARCHAR(200)) ENGINE=MEMORY');
    const short = Array.from({ length: 50 }, () => "('a')").join(',');
    const long = Array.from({ length: 50 }, () => `('${'x'.repeat(200)}')`).join(',');
    await c.query(`INSERT INTO v1 VALUES ${short}`);
    await c.query(`INSERT INTO v2 VALUES ${long}`);
    expect(Number((await status(c, 'v1'))['Data_length'])).toBe(Number((await status(c, 'v2'))['Data_length']));
  });

  it(req(['MEMORY-104'], 'wire', 'MAX_ROWS cannot raise the cap but a smaller MAX_ROWS limits the rows'), async () => {
    await c.query('SET SESSION max_heap_table_size = 65536');
    await c.query('CREATE TABLE mr1 (id INT, UNIQUE(id)) ENGINE=MEMORY MAX_ROWS=10000000');
    const r1 = await fillUntilFull(c, 'mr1');
    expect(r1).toBeLessThan(3000);
    await c.query('CREATE TABLE mr2 (id INT, UNIQUE(id)) ENGINE=MEMORY MAX_ROWS=250');
    expect(await fillUntilFull(c, 'mr2')).toBe(250);
    const [st] = await c.query<mysql.RowDataPacket[]>("SHOW TABLE STATUS LIKE 'mr2'");
    expect(st[0]!['Create_options']).toBe('max_rows=250');
    await c.query('SET SESSION max_heap_table_size = DEFAULT');
  });

  it(req(['MEMORY-030', 'ENGINE-SET-013', 'ENGINE-SET-014'], 'wire', 'no files in the (@-encoded) schema directory'), async () => {
    await c.query('CREATE DATABASE `a-b`');
    await c.query('CREATE TABLE `a-b`.`x-y` (i INT) ENGINE=MEMORY');
    await c.query('INSERT INTO `a-b`.`x-y` VALUES (1)');
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(readdirSync(join(srv.datadir, 'a@002db'))).toEqual([]);
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT i FROM `a-b`.`x-y`');
    expect(r.length).toBe(1);
  });

  it(req(['ENGINE-CHOOSE-007'], 'wire', 'a FOREIGN KEY clause on MEMORY is accepted and ignored'), async () => {
    await c.query('CREATE TABLE par (id INT PRIMARY KEY) ENGINE=MEMORY');
    await c.query('CREATE TABLE chi (pid INT, FOREIGN KEY (pid) REFERENCES par(id)) ENGINE=MEMORY');
    await c.query('INSERT INTO chi VALUES (42)');
    const [r] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE chi');
    expect(String(r[0]!['Create Table'])).not.toContain('FOREIGN KEY');
    const [rc] = await c.query<mysql.RowDataPacket[]>("SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='m'");
    expect(rc).toEqual([]);
  });
});

describe('MEMORY as a non-transactional engine', () => {
  it(req(['ENGINE-CHOOSE-016', 'MEMORY-002'], 'wire', 'ROLLBACK leaves MEMORY rows in place with warning 1196'), async () => {
    await c.query('CREATE TABLE ntx (i INT) ENGINE=MEMORY');
    await c.query('START TRANSACTION');
    await c.query('INSERT INTO ntx VALUES (1)');
    await c.query('ROLLBACK');
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((r) => r['Code'])).toEqual([1196]);
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM ntx');
    expect(Number(r[0]!['n'])).toBe(1);
  });

  it(req(['PLUGGABLE-001'], 'wire', 'a generic DML script runs unchanged on MEMORY tables (HASH and BTREE keys)'), async () => {
    for (const using of ['HASH', 'BTREE']) {
      const t = `gen_${using.toLowerCase()}`;
      await c.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, g VARCHAR(5), n INT, KEY USING ${using} (g)) ENGINE=MEMORY`);
      await c.query(`INSERT INTO ${t} VALUES (1,'a',10),(2,'b',20),(3,'a',30),(4,'c',40)`);
      await c.query(`UPDATE ${t} SET n = n + 1 WHERE g = 'a'`);
      await c.query(`DELETE FROM ${t} WHERE id = 4`);
      const [r] = await c.query<mysql.RowDataPacket[]>(`SELECT g, SUM(n) AS s FROM ${t} WHERE id > 0 GROUP BY g ORDER BY g`);
      expect(r.map((x) => [x['g'], Number(x['s'])])).toEqual([['a', 42], ['b', 20]]);
      const [j] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${t} x JOIN gen_hash y ON x.id = y.id`);
      expect(Number(j[0]!['n'])).toBe(3);
    }
    await c.query('DROP TABLE gen_hash, gen_btree');
  });
});

describe('MEMORY across restarts', () => {
  it(req(['MEMORY-001', 'MEMORY-041', 'MEMORY-044'], 'wire', 'after a restart the table exists, is empty, and uses the global cap'), async () => {
    const { datadir } = await initializedDatadir();
    const options = { 'max-heap-table-size': 1048576 };
    let s = await startTestServer({ datadir, options });
    let conn = await s.connect();
    await conn.query('CREATE DATABASE r');
    await conn.query('SET SESSION max_heap_table_size = 65536');
    await conn.query('CREATE TABLE r.cap (id INT, UNIQUE(id)) ENGINE=MEMORY');
    const r1 = await fillUntilFull(conn, 'r.cap');
    await conn.end();
    await s.stop();
    s = await startTestServer({ datadir, options });
    conn = await s.connect();
    const [t] = await conn.query<mysql.RowDataPacket[]>('SHOW TABLES FROM r');
    expect(t.map((x) => Object.values(x)[0])).toEqual(['cap']);
    const [n] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM r.cap');
    expect(Number(n[0]!['n'])).toBe(0);
    const r2 = await fillUntilFull(conn, 'r.cap');
    expect(r2).toBeGreaterThan(10 * r1);
    await conn.end();
    await s.stop();
  }, 120_000);
});

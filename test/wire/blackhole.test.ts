/**
 * The BLACKHOLE engine over the wire (mysql2): writes accepted and discarded, empty reads, the
 * indexes it accepts and their limits, no partitioning, its SHOW ENGINES row, AUTO_INCREMENT
 * without a counter, ROLLBACK's warning, no files, and the rows reaching the server's row-change
 * observers (the input of the binary log a BLACKHOLE relay exists for).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/blackhole-storage-engine.html
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import type { ChangeOrigin, RowChange } from '../../src/exec/write/row-change.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
const changes: { origin: ChangeOrigin; change: RowChange }[] = [];
let detach: () => void = () => undefined;

async function q(sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function exec(sql: string): Promise<mysql.ResultSetHeader> {
  const [r] = await c.query<mysql.ResultSetHeader>(sql);
  return r;
}

async function warnings(): Promise<[number, string][]> {
  return (await q('SHOW WARNINGS')).map((w) => [Number(w['Code']), String(w['Message'])]);
}

beforeAll(async () => {
  srv = await startTestServer();
  detach = srv.server.rowChanges.add({ rowChanged: (origin, change) => changes.push({ origin, change }) });
  c = await srv.connect({ supportBigNumbers: true });
  await c.query('CREATE DATABASE bh');
  await c.query('USE bh');
}, 60_000);

afterAll(async () => {
  detach();
  await c?.end();
  await srv?.stop();
});

describe('BLACKHOLE over the wire', () => {
  it(req(['BLACKHOLE-001'], 'wire', "the manual's example: two rows inserted report 2 affected (Records: 2), SELECT returns nothing; UPDATE and DELETE match no row"), async () => {
    await exec('CREATE TABLE test (i INT, c CHAR(10)) ENGINE = BLACKHOLE');
    const r = await exec("INSERT INTO test VALUES (1, 'record one'), (2, 'record two')");
    expect([r.affectedRows, r.info]).toEqual([2, 'Records: 2  Duplicates: 0  Warnings: 0']);
    expect(await q('SELECT * FROM test')).toEqual([]);
    expect(await q('SELECT COUNT(*) AS n FROM test')).toEqual([{ n: 0 }]);
    const u = await exec("UPDATE test SET c = 'x'");
    expect([u.affectedRows, u.changedRows, u.info]).toEqual([0, 0, 'Rows matched: 0  Changed: 0  Warnings: 0']);
    expect((await exec('DELETE FROM test WHERE i = 1')).affectedRows).toBe(0);
    // A join with a table that has rows finds no partner in the BLACKHOLE table.
    await exec('CREATE TABLE real_rows (i INT) ENGINE=MEMORY');
    await exec('INSERT INTO real_rows VALUES (1), (2)');
    expect(await q('SELECT r.i FROM real_rows r JOIN test t ON t.i = r.i')).toEqual([]);
    expect(await q('SELECT r.i, t.c FROM real_rows r LEFT JOIN test t ON t.i = r.i ORDER BY r.i')).toEqual([
      { i: 1, c: null },
      { i: 2, c: null },
    ]);
    // INSERT ... SELECT counts the rows it read from the other table.
    expect((await exec('INSERT INTO test (i) SELECT i FROM real_rows')).affectedRows).toBe(2);
    await exec('TRUNCATE TABLE test');
    expect(await q('SELECT * FROM test')).toEqual([]);
  });

  it(req(['BLACKHOLE-003'], 'wire', 'no file belongs to a BLACKHOLE table: the schema directory stays as it was through CREATE, INSERT, ALTER and DROP; the definition is in the dictionary'), async () => {
    await exec('CREATE DATABASE bhfiles');
    const dir = join(srv.datadir, 'bhfiles');
    const before = readdirSync(dir).sort();
    await exec('CREATE TABLE bhfiles.t (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=BLACKHOLE');
    await exec("INSERT INTO bhfiles.t VALUES (1, 'a')");
    await exec('ALTER TABLE bhfiles.t ADD COLUMN w INT');
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(await q("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'bhfiles' AND TABLE_NAME = 't'")).toEqual([{ ENGINE: 'BLACKHOLE' }]);
    await exec('DROP TABLE bhfiles.t');
    expect(readdirSync(dir).sort()).toEqual(before);
    await exec('DROP DATABASE bhfiles');
  });

  it(req(['BLACKHOLE-004'], 'wire', 'PRIMARY, UNIQUE, plain, FULLTEXT and SPATIAL keys are all accepted and listed by SHOW INDEX; USING HASH becomes BTREE; a UNIQUE key never reports a duplicate'), async () => {
    await exec(
      'CREATE TABLE keyed (id INT NOT NULL, u INT, k INT, body TEXT, g GEOMETRY NOT NULL SRID 0, ' +
        'PRIMARY KEY (id), UNIQUE KEY uq (u), KEY kk (k) USING HASH, FULLTEXT KEY ft (body), SPATIAL KEY sp (g)) ENGINE=BLACKHOLE',
    );
    const idx = (await q('SHOW INDEX FROM keyed')).map((r) => [r['Key_name'], r['Non_unique'], r['Index_type']]);
    expect(idx).toEqual([
      ['PRIMARY', 0, 'BTREE'],
      ['uq', 0, 'BTREE'],
      ['kk', 1, 'BTREE'],
      ['ft', 1, 'FULLTEXT'],
      ['sp', 1, 'SPATIAL'],
    ]);
    // POINT(1 1) in MySQL's internal geometry format: SRID 0, then little-endian WKB.
    const point = "X'000000000101000000000000000000F03F000000000000F03F'";
    const r = await exec(`INSERT INTO keyed VALUES (1, 1, 1, 'a', ${point}), (1, 1, 1, 'a', ${point})`);
    expect(r.affectedRows).toBe(2);
    expect(await q('SELECT id FROM keyed WHERE id = 1')).toEqual([]);
    expect(await q('SELECT id FROM keyed WHERE u BETWEEN 0 AND 5')).toEqual([]);
  });

  it(req(['BLACKHOLE-005'], 'wire', 'keys up to 3072 bytes are accepted (64 keys, 16 parts); one byte more is 1071, a 65th key 1069, a 17th part 1070'), async () => {
    await exec('CREATE TABLE k3072 (a VARCHAR(3072) CHARACTER SET latin1, KEY (a)) ENGINE=BLACKHOLE');
    let e = await failureOf(c.query('CREATE TABLE k3073 (a VARCHAR(3073) CHARACTER SET latin1, UNIQUE KEY (a)) ENGINE=BLACKHOLE'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1071, '42000', 'Specified key was too long; max key length is 3072 bytes']);
    const cols = Array.from({ length: 17 }, (_, i) => `c${i} INT`).join(', ');
    const keys64 = Array.from({ length: 64 }, (_, i) => `KEY (c${i % 17})`).join(', ');
    await exec(`CREATE TABLE k64 (${cols}, ${keys64}) ENGINE=BLACKHOLE`);
    e = await failureOf(c.query(`CREATE TABLE k65 (${cols}, ${keys64}, KEY (c0)) ENGINE=BLACKHOLE`));
    expect([e.errno, e.sqlMessage]).toEqual([1069, 'Too many keys specified; max 64 keys allowed']);
    const parts16 = Array.from({ length: 16 }, (_, i) => `c${i}`).join(', ');
    await exec(`CREATE TABLE p16 (${cols}, KEY (${parts16})) ENGINE=BLACKHOLE`);
    e = await failureOf(c.query(`CREATE TABLE p17 (${cols}, KEY (${parts16}, c16)) ENGINE=BLACKHOLE`));
    expect([e.errno, e.sqlMessage]).toEqual([1070, 'Too many key parts specified; max 16 parts allowed']);
  });

  it(req(['BLACKHOLE-006'], 'wire', 'PARTITION BY on a BLACKHOLE table fails with 1178 and creates nothing'), async () => {
    const e = await failureOf(c.query('CREATE TABLE parted (i INT) ENGINE=BLACKHOLE PARTITION BY HASH(i) PARTITIONS 2'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1178, '42000', "The storage engine for the table doesn't support native partitioning"]);
    expect(await q("SHOW TABLES LIKE 'parted'")).toEqual([]);
  });

  it(req(['BLACKHOLE-007', 'BLACKHOLE-016'], 'wire', "SHOW ENGINES and information_schema.ENGINES list BLACKHOLE as YES with MySQL's comment and NO, NO, NO for Transactions, XA, Savepoints"), async () => {
    const row = (await q('SHOW ENGINES')).find((r) => r['Engine'] === 'BLACKHOLE');
    expect(row).toEqual({
      Engine: 'BLACKHOLE',
      Support: 'YES',
      Comment: '/dev/null storage engine (anything you write to it disappears)',
      Transactions: 'NO',
      XA: 'NO',
      Savepoints: 'NO',
    });
    expect(await q("SELECT * FROM information_schema.ENGINES WHERE ENGINE = 'BLACKHOLE'")).toEqual([
      { ENGINE: 'BLACKHOLE', SUPPORT: 'YES', COMMENT: '/dev/null storage engine (anything you write to it disappears)', TRANSACTIONS: 'NO', XA: 'NO', SAVEPOINTS: 'NO' },
    ]);
    expect(await q("SELECT PLUGIN_STATUS, PLUGIN_TYPE, PLUGIN_LIBRARY FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'BLACKHOLE'")).toEqual([
      { PLUGIN_STATUS: 'ACTIVE', PLUGIN_TYPE: 'STORAGE ENGINE', PLUGIN_LIBRARY: null },
    ]);
  });

  it(req(['BLACKHOLE-030'], 'wire', 'no AUTO_INCREMENT counter: every statement generates from 1 again (within one statement values count up); LAST_INSERT_ID follows'), async () => {
    await exec('CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=BLACKHOLE');
    expect((await exec('INSERT INTO ai (v) VALUES (1)')).insertId).toBe(1);
    expect((await exec('INSERT INTO ai (v) VALUES (2)')).insertId).toBe(1);
    expect(await q('SELECT LAST_INSERT_ID() AS id')).toEqual([{ id: 1 }]);
    const multi = await exec('INSERT INTO ai VALUES (NULL, 1), (NULL, 2), (NULL, 3)');
    expect([multi.affectedRows, multi.insertId]).toEqual([3, 1]);
    // An explicit value first does not move the statement's sequence: the next generated one is 1.
    expect((await exec('INSERT INTO ai VALUES (11, 0), (NULL, 0), (NULL, 0)')).insertId).toBe(1);
    expect(await q('SELECT LAST_INSERT_ID() AS id')).toEqual([{ id: 1 }]);
    // ... but after a generated value, an explicit one moves it as usual: 1, 11, then 12.
    changes.length = 0;
    await exec('INSERT INTO ai VALUES (NULL, 0), (11, 0), (NULL, 0)');
    expect(changes.map((x) => (x.change.kind === 'insert' ? x.change.after[0] : null))).toEqual([1n, 11n, 12n]);
    const st = (await q("SHOW TABLE STATUS LIKE 'ai'"))[0]!;
    expect([st['Engine'], st['Rows'], st['Data_length'], st['Auto_increment'], st['Row_format']]).toEqual(['BLACKHOLE', 0, 0, 1, 'Fixed']);
  });

  it(req(['BLACKHOLE-017'], 'wire', "rows written to a BLACKHOLE table reach the server's row-change observers (the binary log's input) as non-transactional DML; UPDATE and DELETE report none"), async () => {
    await exec('CREATE TABLE relay (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=BLACKHOLE');
    const [idRow] = await c.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    const conn = Number(idRow[0]!['id']);
    changes.length = 0;
    await exec("INSERT INTO relay VALUES (1, 'a'), (2, 'b')");
    await exec("REPLACE INTO relay VALUES (2, 'c')");
    await exec("UPDATE relay SET name = 'z'");
    await exec('DELETE FROM relay');
    const seen = changes.map(({ origin, change }) => ({
      conn: origin.connectionId,
      transactional: origin.transactional,
      purpose: origin.purpose,
      kind: change.kind,
      table: `${change.table.schema}.${change.table.name}`,
      after: change.kind === 'insert' ? change.after : undefined,
    }));
    const st = (await q("SHOW TABLE STATUS LIKE 'relay'"))[0]!;
    expect([st['Rows'], st['Auto_increment'], st['Row_format']]).toEqual([0, null, 'Dynamic']);
    const base = { conn, transactional: false, purpose: 'dml', kind: 'insert', table: 'bh.relay' };
    expect(seen).toEqual([
      { ...base, after: [1n, 'a'] },
      { ...base, after: [2n, 'b'] },
      { ...base, after: [2n, 'c'] },
    ]);
  });

  it(req(['BLACKHOLE-018'], 'wire', 'ROLLBACK after writing to a BLACKHOLE table warns 1196 like other non-transactional tables (A-24)'), async () => {
    await exec('CREATE TABLE tx (i INT) ENGINE=BLACKHOLE');
    await exec('START TRANSACTION');
    await exec('INSERT INTO tx VALUES (1)');
    const r = await exec('ROLLBACK');
    expect(r.warningStatus).toBe(1);
    expect(await warnings()).toEqual([[1196, "Some non-transactional changed tables couldn't be rolled back"]]);
    expect(await q('SELECT * FROM tx')).toEqual([]);
  });

  it(req(['ENGINE-SET-002', 'ENGINE-SET-004'], 'wire', 'a session whose default_storage_engine is BLACKHOLE (as on a relay replica) creates BLACKHOLE tables, shown in SHOW CREATE TABLE'), async () => {
    await exec('SET SESSION default_storage_engine = blackhole');
    expect(await q('SELECT @@SESSION.default_storage_engine AS e')).toEqual([{ e: 'BLACKHOLE' }]);
    await exec('CREATE TABLE dflt (i INT)');
    expect(String((await q('SHOW CREATE TABLE dflt'))[0]!['Create Table'])).toContain('ENGINE=BLACKHOLE');
    await exec('SET SESSION default_storage_engine = DEFAULT');
  });
});

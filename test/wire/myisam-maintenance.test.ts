/**
 * MyISAM table maintenance over the wire: CHECK TABLE (QUICK, FAST, MEDIUM, EXTENDED, CHANGED)
 * finding damage in the .MYI key pages and the .MYD rows, a table marked crashed by it, REPAIR
 * TABLE (QUICK, EXTENDED, USE_FRM) rebuilding from the rows that can be read, OPTIMIZE TABLE
 * reclaiming deleted space, ANALYZE TABLE giving SHOW INDEX its cardinalities. Damaged files
 * give MySQL's errors (1034, 1194), never a server crash.
 */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let parent: string;
let datadir: string;
let srv: TestServer;
let c: mysql.Connection;

async function restart(damage?: () => void): Promise<void> {
  await c.end();
  await srv.stop();
  damage?.();
  srv = await startTestServer({ datadir });
  c = await srv.connect({ database: 'mt' });
}

async function q(sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function msgs(sql: string): Promise<[string, string][]> {
  return (await q(sql)).map((r) => [String(r['Msg_type']), String(r['Msg_text'])]);
}

const path = (t: string, ext: string): string => join(datadir, 'mt', `${t}.${ext}`);

beforeAll(async () => {
  ({ parent, datadir } = await initializedDatadir());
  srv = await startTestServer({ datadir });
  c = await srv.connect();
  await c.query('CREATE DATABASE mt');
  await c.query('USE mt');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
  rmSync(parent, { recursive: true, force: true });
});

async function fill(t: string, ddl: string, n: number): Promise<void> {
  await c.query(`CREATE TABLE ${t} (${ddl}) ENGINE=MyISAM`);
  const vals = Array.from({ length: n }, (_, i) => `(${i + 1}, ${(i % 5) + 1}, 'row ${i + 1}')`).join(',');
  await c.query(`INSERT INTO ${t} VALUES ${vals}`);
}

describe('CHECK TABLE and REPAIR TABLE', () => {
  it(req(['MYISAM-123', 'MYISAM-005', 'MYISAM-134'], 'wire', 'CHECK TABLE with each option on a sound table; FAST and CHANGED skip a table checked and closed properly'), async () => {
    await fill('ok1', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20), KEY (k)', 30);
    for (const opt of ['', 'QUICK', 'MEDIUM', 'EXTENDED']) {
      expect(await msgs(`CHECK TABLE ok1 ${opt}`), opt).toEqual([['status', 'OK']]);
    }
    const [row] = await q('CHECK TABLE ok1');
    expect(row).toMatchObject({ Table: 'mt.ok1', Op: 'check' });
    await c.query('FLUSH TABLES ok1');
    expect(await msgs('CHECK TABLE ok1 FAST')).toEqual([['status', 'Table is already up to date']]);
    expect(await msgs('CHECK TABLE ok1 CHANGED')).toEqual([['status', 'Table is already up to date']]);
    expect(await msgs('REPAIR TABLE ok1')).toEqual([['status', 'OK']]);
    expect(await msgs('REPAIR TABLE ok1 QUICK')).toEqual([['status', 'OK']]);
    expect(await msgs('REPAIR TABLE ok1 EXTENDED')).toEqual([['status', 'OK']]);
    expect(await msgs('REPAIR TABLE ok1 USE_FRM')).toEqual([['status', 'OK']]);
    expect((await q('SELECT COUNT(*) AS n FROM ok1'))[0]!['n']).toBe(30);
  });

  it(req(['MYISAM-122', 'MYISAM-123', 'MYISAM-026'], 'wire', 'a damaged key page: CHECK TABLE reports it and marks the table crashed (1194), REPAIR TABLE rebuilds the keys'), async () => {
    await fill('kp', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20)', 40);
    await restart(() => {
      const b = readFileSync(path('kp', 'MYI'));
      // The first key page starts at the 1024-byte key start; its first entry must not share a prefix.
      expect(b.length).toBeGreaterThan(1024 + 4);
      b[1024 + 2] = 0x07;
      writeFileSync(path('kp', 'MYI'), b);
    });
    const chk = await msgs('CHECK TABLE kp');
    expect(chk[chk.length - 1]).toEqual(['error', 'Corrupt']);
    expect(chk.some(([t, m]) => t === 'error' && /^Key 1: /.test(m))).toBe(true);
    expect(readFileSync(path('kp', 'MYI'))[26]! & 0x02).toBe(2);
    expect(await errorOf(c.query('SELECT * FROM kp'))).toEqual({ errno: 1194, sqlState: 'HY000', message: "Table 'kp' is marked as crashed and should be repaired" });
    expect(await msgs('REPAIR TABLE kp')).toEqual([['status', 'OK']]);
    expect(await msgs('CHECK TABLE kp EXTENDED')).toEqual([['status', 'OK']]);
    expect((await q('SELECT COUNT(*) AS n, SUM(id) AS s FROM kp'))[0]).toEqual({ n: 40, s: '820' });
  });

  it(req(['MYISAM-122', 'MYISAM-123'], 'wire', 'an unreadable .MYI header (bad magic, or cut short) gives 1034; REPAIR TABLE ... USE_FRM rebuilds it from the data file'), async () => {
    await fill('hd', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20)', 15);
    await fill('hd2', 'id INT NOT NULL PRIMARY KEY, k INT, v CHAR(20)', 12);
    await restart(() => {
      const b = readFileSync(path('hd', 'MYI'));
      b.write('JUNK', 0, 'latin1');
      writeFileSync(path('hd', 'MYI'), b);
      truncateSync(path('hd2', 'MYI'), 100);
    });
    for (const t of ['hd', 'hd2']) {
      expect(await errorOf(c.query(`SELECT * FROM ${t}`))).toEqual({ errno: 1034, sqlState: 'HY000', message: `Incorrect key file for table '${t}'; try to repair it` });
      const chk = await msgs(`CHECK TABLE ${t}`);
      expect(chk[chk.length - 1]).toEqual(['error', 'Corrupt']);
      expect(await msgs(`REPAIR TABLE ${t} USE_FRM`)).toEqual([['status', 'OK']]);
      expect(await msgs(`CHECK TABLE ${t}`)).toEqual([['status', 'OK']]);
    }
    expect((await q('SELECT COUNT(*) AS n FROM hd'))[0]!['n']).toBe(15);
    expect((await q('SELECT COUNT(*) AS n FROM hd2'))[0]!['n']).toBe(12);
    expect(readFileSync(path('hd', 'MYI')).subarray(0, 4).toString('hex')).toBe('fefe0701');
  });

  it(req(['MYISAM-122', 'MYISAM-123', 'MYISAM-121'], 'wire', 'garbage in the .MYD: the table is refused with 1194, REPAIR TABLE keeps the rows it can read and says how many'), async () => {
    await fill('gd', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20)', 20);
    await fill('gf', 'id INT NOT NULL PRIMARY KEY, k INT, v CHAR(20)', 20);
    await restart(() => {
      for (const t of ['gd', 'gf']) {
        const b = readFileSync(path(t, 'MYD'));
        const mid = Math.floor(b.length / 2);
        b.fill(0xab, mid, mid + 30);
        writeFileSync(path(t, 'MYD'), b);
      }
    });
    for (const t of ['gd', 'gf']) {
      expect((await errorOf(c.query(`SELECT * FROM ${t}`))).errno, t).toBe(1194);
      const rep = await msgs(`REPAIR TABLE ${t}`);
      expect(rep[rep.length - 1]).toEqual(['status', 'OK']);
      expect(rep[0]![0]).toBe('warning');
      const m = /^Number of rows changed from 20 to (\d+)$/.exec(rep[0]![1]);
      expect(m, rep[0]![1]).not.toBeNull();
      const kept = Number(m![1]);
      expect(kept).toBeGreaterThanOrEqual(17);
      expect(kept).toBeLessThan(20);
      expect((await q(`SELECT COUNT(*) AS n FROM ${t}`))[0]!['n']).toBe(kept);
      expect(await msgs(`CHECK TABLE ${t} EXTENDED`)).toEqual([['status', 'OK']]);
    }
    // The server is still there for other work.
    expect((await q('SELECT 1 AS one'))[0]!['one']).toBe(1);
  });
});

describe('OPTIMIZE TABLE and ANALYZE TABLE', () => {
  it(req(['MYISAM-102', 'MYISAM-092', 'MYISAM-106'], 'wire', 'OPTIMIZE TABLE gives deleted space back (Data_free 0, smaller data file) and keeps the rows'), async () => {
    await fill('op', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(200)', 60);
    await c.query("UPDATE op SET v = REPEAT('x', 150) WHERE id % 3 = 0");
    await c.query('DELETE FROM op WHERE id % 2 = 0');
    const before = (await q("SHOW TABLE STATUS LIKE 'op'"))[0]!;
    expect(Number(before['Data_free'])).toBeGreaterThan(0);
    expect(await msgs('OPTIMIZE TABLE op')).toEqual([['status', 'OK']]);
    const after = (await q("SHOW TABLE STATUS LIKE 'op'"))[0]!;
    expect(Number(after['Data_free'])).toBe(0);
    expect(Number(after['Data_length'])).toBeLessThan(Number(before['Data_length']));
    expect(Number(after['Data_length'])).toBe(readFileSync(path('op', 'MYD')).length);
    expect(Number(after['Rows'])).toBe(30);
    expect((await q('SELECT SUM(id) AS s, SUM(LENGTH(v)) AS l FROM op'))[0]).toEqual({ s: '900', l: '1617' });
    expect(await msgs('OPTIMIZE TABLE op')).toEqual([['status', 'Table is already up to date']]);
  });

  it(req(['MYISAM-028'], 'wire', 'ANALYZE TABLE stores the key distribution: SHOW INDEX gives the cardinality of each key prefix'), async () => {
    await fill('an', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20), KEY kv (k, v)', 50);
    const card = async (): Promise<unknown[]> => (await q("SHOW INDEX FROM an WHERE Key_name = 'kv'")).map((r) => r['Cardinality']);
    expect(await card()).toEqual([null, null]);
    expect(await msgs('ANALYZE TABLE an')).toEqual([['status', 'OK']]);
    expect(await card()).toEqual([5, 50]);
    expect((await q("SHOW INDEX FROM an WHERE Key_name = 'PRIMARY'"))[0]!['Cardinality']).toBe(50);
    expect(await msgs('ANALYZE TABLE an')).toEqual([['status', 'Table is already up to date']]);
    const is = await q("SELECT CARDINALITY FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'mt' AND TABLE_NAME = 'an' AND INDEX_NAME = 'kv' ORDER BY SEQ_IN_INDEX");
    expect(is.map((r) => r['CARDINALITY'])).toEqual([5, 50]);
  });
});

describe('CACHE INDEX and LOAD INDEX INTO CACHE', () => {
  it(req(['MYISAM-002'], 'wire', 'MyISAM keys go to the default key cache and can be preloaded; other engines get a note, unknown caches 1284, unknown keys an error row'), async () => {
    await fill('kc', 'id INT NOT NULL PRIMARY KEY, k INT, v VARCHAR(20), KEY kk (k)', 10);
    await c.query('CREATE TABLE kci (id INT PRIMARY KEY) ENGINE=InnoDB');
    expect(await q('CACHE INDEX kc IN DEFAULT')).toEqual([{ Table: 'mt.kc', Op: 'assign_to_keycache', Msg_type: 'status', Msg_text: 'OK' }]);
    expect(await msgs('CACHE INDEX kc INDEX (kk), kci IN default')).toEqual([
      ['status', 'OK'],
      ['note', "The storage engine for the table doesn't support assign_to_keycache"],
    ]);
    expect(await errorOf(c.query('CACHE INDEX kc IN hot_cache'))).toEqual({ errno: 1284, sqlState: 'HY000', message: "Unknown key cache 'hot_cache'" });
    expect(await q('LOAD INDEX INTO CACHE kc IGNORE LEAVES')).toEqual([{ Table: 'mt.kc', Op: 'preload_keys', Msg_type: 'status', Msg_text: 'OK' }]);
    expect(await msgs('LOAD INDEX INTO CACHE kc KEY (PRIMARY, kk), kci')).toEqual([
      ['status', 'OK'],
      ['note', "The storage engine for the table doesn't support preload_keys"],
    ]);
    expect(await msgs('LOAD INDEX INTO CACHE kc INDEX (nosuch)')).toEqual([
      ['Error', "Key 'nosuch' doesn't exist in table 'kc'"],
      ['status', 'Operation failed'],
    ]);
  });
});

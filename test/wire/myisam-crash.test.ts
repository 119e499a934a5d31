/**
 * MyISAM crash safety over the wire: a server killed with SIGKILL while tables are changed
 * leaves their .MYI open counter above 0 (read here with plain fs at Appendix A's offsets);
 * no acknowledged row is lost; CHECK TABLE reports the unclean close; myisam_recover_options
 * checks and repairs on open (DEFAULT refuses to lose rows, FORCE goes ahead, BACKUP keeps a
 * copy of the data file, QUICK skips the repair of a table without holes); a table marked
 * crashed refuses use with 1194 until REPAIR TABLE.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, startTestServer, type SpawnedServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

const cleanup: string[] = [];
const running: SpawnedServer[] = [];

afterAll(() => {
  for (const s of running) s.kill('SIGKILL');
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

async function spawn(datadir: string, extra: string[] = [], database: string | null = 'cr'): Promise<{ server: SpawnedServer; conn: mysql.Connection }> {
  const server = spawnServer(['--no-defaults', `--datadir=${datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', ...extra]);
  running.push(server);
  await server.ready;
  return { server, conn: await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '', ...(database ? { database } : {}) }) };
}

async function kill9(s: { server: SpawnedServer; conn: mysql.Connection }): Promise<void> {
  s.conn.destroy();
  s.server.kill('SIGKILL');
  expect(await s.server.exited).toBe('SIGKILL');
}

function header(datadir: string, t: string): { openCount: number; flags: number; records: bigint } {
  const b = readFileSync(join(datadir, 'cr', `${t}.MYI`));
  return { openCount: b.readUInt16BE(24), flags: b[26]!, records: b.readBigUInt64BE(28) };
}

async function count(conn: mysql.Connection, t: string): Promise<number> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${t}`);
  return Number(r[0]!['n']);
}

describe('MyISAM after kill -9', () => {
  it(
    req(['MYISAM-026', 'MYISAM-130', 'MYISAM-134', 'MYISAM-136', 'MYISAM-120', 'MYISAM-060', 'MYISAM-061', 'MYISAM-062', 'MYISAM-063', 'MYISAM-064', 'MYISAM-065', 'MYISAM-050'], 'wire', 'killed while changed: header flagged, rows kept, CHECK warns, DEFAULT refuses to lose rows, BACKUP,FORCE repairs with a .BAK, QUICK only checks'),
    async () => {
      const { parent, datadir } = await initializedDatadir();
      cleanup.push(parent);
      // 1. Rows before and after FLUSH TABLES, then SIGKILL.
      let s = await spawn(datadir, [], null);
      await s.conn.query('CREATE DATABASE cr');
      await s.conn.query('USE cr');
      await s.conn.query('CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(50)) ENGINE=MyISAM');
      await s.conn.query('CREATE TABLE f (id INT NOT NULL PRIMARY KEY, c CHAR(10)) ENGINE=MyISAM');
      const vals = (from: number, to: number): string =>
        Array.from({ length: to - from + 1 }, (_, i) => `(${from + i}, 'value ${from + i}')`).join(',');
      await s.conn.query(`INSERT INTO t VALUES ${vals(1, 100)}`);
      await s.conn.query(`INSERT INTO f VALUES ${vals(1, 10)}`);
      await s.conn.query('FLUSH TABLES');
      expect(header(datadir, 't').openCount).toBe(0);
      for (let i = 101; i <= 120; i++) await s.conn.query('INSERT INTO t VALUES (?, ?)', [i, `value ${i}`]);
      await kill9(s);
      expect(header(datadir, 't')).toMatchObject({ openCount: 1, records: 120n });
      expect(header(datadir, 'f').openCount).toBe(0);

      // 2. No recovery: the table opens, nothing acknowledged is lost, CHECK TABLE reports the unclean close.
      s = await spawn(datadir);
      expect(await count(s.conn, 't')).toBe(120);
      const [ids] = await s.conn.query<mysql.RowDataPacket[]>('SELECT id FROM t ORDER BY id');
      expect(ids.map((r) => r['id'])).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      const [chk] = await s.conn.query<mysql.RowDataPacket[]>('CHECK TABLE t');
      expect(chk.map((r) => [r['Msg_type'], r['Msg_text']])).toEqual([
        ['warning', "1 client is using or hasn't closed the table properly"],
        ['status', 'OK'],
      ]);
      expect(header(datadir, 't').openCount).toBe(0);
      await s.conn.query("INSERT INTO t VALUES (121, 'value 121')");
      await s.conn.query("INSERT INTO f VALUES (11, 'value 11')");
      await kill9(s);
      expect(header(datadir, 't').openCount).toBe(1);

      // 3. Damage one row of the data file; DEFAULT will not repair at the cost of rows.
      const myd = join(datadir, 'cr', 't.MYD');
      const damaged = readFileSync(myd);
      expect(damaged[0]).toBe(1); // the first block holds a live row
      damaged[9] = 0x77; // its record's status byte
      writeFileSync(myd, damaged);
      s = await spawn(datadir, ['--myisam-recover-options=DEFAULT']);
      const [rv] = await s.conn.query<mysql.RowDataPacket[]>('SELECT @@myisam_recover_options AS v');
      expect(rv[0]!['v']).toBe('DEFAULT');
      expect(await errorOf(s.conn.query('SELECT * FROM t'))).toEqual({ errno: 1194, sqlState: 'HY000', message: "Table 't' is marked as crashed and should be repaired" });
      await s.server.waitForLine(/Couldn't repair table: cr\.t/);
      expect(s.server.lines.some((l) => l.includes("Checking table:   './cr/t'"))).toBe(true);
      await kill9(s);
      expect(header(datadir, 't').flags & 0x02).toBe(2);

      // 4. BACKUP,FORCE: a copy of the data file first, then the repair keeps every readable row.
      s = await spawn(datadir, ['--myisam-recover-options=BACKUP,FORCE']);
      expect(await count(s.conn, 't')).toBe(120);
      const [lost] = await s.conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM t WHERE id = 1');
      expect(lost[0]!['n']).toBe(0);
      await s.server.waitForLine(/Found 120 of 121 rows when repairing '\.\/cr\/t'/);
      expect(s.server.lines.some((l) => l.includes("Recovering table: './cr/t'"))).toBe(true);
      const baks = readdirSync(join(datadir, 'cr')).filter((n) => /^t-\d{14}\.BAK$/.test(n));
      expect(baks.length).toBe(1);
      expect(readFileSync(join(datadir, 'cr', baks[0]!)).equals(damaged)).toBe(true);
      expect(header(datadir, 't')).toMatchObject({ openCount: 0, records: 120n });
      expect(header(datadir, 't').flags & 0x02).toBe(0);
      // f (static, no holes) was also left open by the kill in step 2.
      await kill9(s);

      // 5. QUICK: a table without deleted rows is checked, not rebuilt.
      expect(header(datadir, 'f').openCount).toBe(1);
      s = await spawn(datadir, ['--myisam-recover-options=QUICK']);
      expect(await count(s.conn, 'f')).toBe(11);
      await s.server.waitForLine(/Checking table: {3}'\.\/cr\/f'/);
      expect(s.server.lines.some((l) => l.includes("Recovering table: './cr/f'"))).toBe(false);
      expect(header(datadir, 'f').openCount).toBe(0);
      await s.conn.end();
      s.server.kill('SIGTERM');
      await s.server.exited;
    },
    120_000,
  );
});

describe('MyISAM delayed key writes and a crash', () => {
  it(req(['MYISAM-057', 'MYISAM-042', 'MYISAM-123'], 'wire', 'with DELAY_KEY_WRITE=1 a kill -9 leaves stale key pages: CHECK TABLE reports corruption, REPAIR TABLE restores every row from the .MYD'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    let s = await spawn(datadir, [], null);
    await s.conn.query('CREATE DATABASE cr');
    await s.conn.query('CREATE TABLE cr.dk (id INT NOT NULL PRIMARY KEY, v VARCHAR(20)) ENGINE=MyISAM DELAY_KEY_WRITE=1');
    await s.conn.query("INSERT INTO cr.dk VALUES (1, 'a'), (2, 'b')");
    await s.conn.query('FLUSH TABLES');
    for (let i = 3; i <= 12; i++) await s.conn.query('INSERT INTO cr.dk VALUES (?, ?)', [i, `v${i}`]);
    await kill9(s);
    s = await spawn(datadir);
    try {
      expect(await count(s.conn, 'dk')).toBe(12);
      const [chk] = await s.conn.query<mysql.RowDataPacket[]>('CHECK TABLE dk');
      const got = chk.map((r) => [r['Msg_type'], r['Msg_text']]);
      expect(got[0]).toEqual(['warning', "1 client is using or hasn't closed the table properly"]);
      expect(got).toContainEqual(['error', 'Found 2 keys of 12']);
      expect(got[got.length - 1]).toEqual(['error', 'Corrupt']);
      const [rep] = await s.conn.query<mysql.RowDataPacket[]>('REPAIR TABLE dk');
      expect(rep.map((r) => r['Msg_text'])).toEqual(['OK']);
      expect(await count(s.conn, 'dk')).toBe(12);
      const [chk2] = await s.conn.query<mysql.RowDataPacket[]>('CHECK TABLE dk EXTENDED');
      expect(chk2.map((r) => r['Msg_text'])).toEqual(['OK']);
    } finally {
      await s.conn.end();
      s.server.kill('SIGTERM');
      await s.server.exited;
    }
  }, 60_000);
});

describe('MyISAM marked crashed', () => {
  it(req(['MYISAM-065', 'MYISAM-123', 'MYISAM-026'], 'wire', 'with recovery OFF a table whose header says crashed fails with 1194 until REPAIR TABLE'), async () => {
    let srv = await startTestServer();
    const datadir = srv.datadir;
    let c = await srv.connect();
    await c.query('CREATE DATABASE cr');
    await c.query('CREATE TABLE cr.m (id INT NOT NULL PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM');
    await c.query("INSERT INTO cr.m VALUES (1, 'a'), (2, 'b')");
    await c.end();
    // Stop the server but keep the datadir: start a second server on it.
    const stopped = srv.server.stop();
    await stopped;
    const myi = join(datadir, 'cr', 'm.MYI');
    const b = readFileSync(myi);
    expect(b.readUInt16BE(24)).toBe(0);
    b[26] = b[26]! | 0x02;
    writeFileSync(myi, b);
    srv = await startTestServer({ datadir });
    c = await srv.connect({ database: 'cr' });
    try {
      expect(await errorOf(c.query('SELECT * FROM m'))).toEqual({ errno: 1194, sqlState: 'HY000', message: "Table 'm' is marked as crashed and should be repaired" });
      expect((await errorOf(c.query("INSERT INTO m VALUES (3, 'c')"))).errno).toBe(1194);
      const [chk] = await c.query<mysql.RowDataPacket[]>('CHECK TABLE m');
      expect(chk.map((r) => r['Msg_type'])).toContain('error');
      expect(chk[chk.length - 1]).toMatchObject({ Table: 'cr.m', Op: 'check', Msg_type: 'error', Msg_text: 'Corrupt' });
      const [rep] = await c.query<mysql.RowDataPacket[]>('REPAIR TABLE m');
      expect(rep.map((r) => [r['Msg_type'], r['Msg_text']])).toEqual([['status', 'OK']]);
      const [rowsAfter] = await c.query<mysql.RowDataPacket[]>('SELECT id, v FROM m ORDER BY id');
      expect(rowsAfter).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
      ]);
      expect(readFileSync(myi)[26]! & 0x02).toBe(0);
    } finally {
      await c.end();
      await srv.stop();
      rmSync(join(datadir, '..'), { recursive: true, force: true });
    }
  });
});

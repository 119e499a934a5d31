/**
 * InnoDB crash recovery through the real server binary (needs a build: `npx tsc -p
 * tsconfig.json`): kill -9 loses no acknowledged commit and shows no uncommitted row, the
 * AUTO_INCREMENT counter survives, prepared XA transactions come back prepared, a clean
 * shutdown leaves nothing to replay, and a bounded torture run kills the server under a write
 * load from four connections.
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { ServerLab, type LabServer } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const datadir = (): Promise<string> => lab.datadir();
const start = (dir: string, extra: string[] = []): Promise<Running> => lab.start(dir, extra);
const crash = (r: Running): Promise<void> => lab.crash(r);

type Running = LabServer;

async function ids(c: mysql.Connection, sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['id']));
}

describe('InnoDB crash recovery', () => {
  it(req(['INNODB-REC-010', 'INNODB-REC-012'], 'wire', 'kill -9: committed rows survive, an open transaction leaves nothing'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100)) ENGINE=InnoDB');
    await a.conn.query("INSERT INTO t VALUES (1,'a'),(2,'b')");
    await a.conn.query("UPDATE t SET v='bb' WHERE id=2");
    const b = await a.connect();
    await b.query('BEGIN');
    await b.query("INSERT INTO t VALUES (3,'uncommitted')");
    await b.query("UPDATE t SET v='uncommitted' WHERE id=1");
    await crash(a);
    b.destroy();
    const r = await start(dir, ['--log-error-verbosity=3']);
    expect(r.server.lines.join('\n')).toMatch(/Starting crash recovery/);
    const [rows] = await r.conn.query<mysql.RowDataPacket[]>('SELECT id, v FROM t ORDER BY id');
    expect(rows.map((x) => [x['id'], x['v']])).toEqual([
      [1, 'a'],
      [2, 'bb'],
    ]);
    await crash(r);
  });

  it(req(['INNODB-REC-015'], 'wire', 'the AUTO_INCREMENT counter survives kill -9 and a clean restart'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.conn.query('INSERT INTO t(v) VALUES (0),(0),(0)');
    await a.conn.query('DELETE FROM t WHERE id=3');
    await crash(a);
    const b = await start(dir);
    const [res] = await b.conn.query<mysql.ResultSetHeader>('INSERT INTO t(v) VALUES (0)');
    expect(res.insertId).toBe(4);
    await b.conn.query('DELETE FROM t WHERE id=4');
    await b.conn.end();
    b.server.kill('SIGTERM');
    expect(await b.server.exited).toBe(0);
    const c = await start(dir);
    const [res2] = await c.conn.query<mysql.ResultSetHeader>('INSERT INTO t(v) VALUES (0)');
    expect(res2.insertId).toBe(5);
    await crash(c);
  });

  it(req(['INNODB-REC-023'], 'wire', 'an XA PREPAREd transaction survives kill -9: XA RECOVER lists it, XA COMMIT / XA ROLLBACK decide it'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB');
    const x = await a.connect();
    await x.query("XA START 'x1'");
    await x.query('INSERT INTO t VALUES (1)');
    await x.query("XA END 'x1'");
    await x.query("XA PREPARE 'x1'");
    const y = await a.connect();
    await y.query("XA START 'x2'");
    await y.query('INSERT INTO t VALUES (2)');
    await y.query("XA END 'x2'");
    await y.query("XA PREPARE 'x2'");
    await crash(a);
    x.destroy();
    y.destroy();
    const b = await start(dir);
    const [rec] = await b.conn.query<mysql.RowDataPacket[]>('XA RECOVER');
    expect(rec.map((r) => String(r['data'])).sort()).toEqual(['x1', 'x2']);
    // Prepared rows are not visible and stay locked until decided.
    expect(await ids(b.conn, 'SELECT id FROM t')).toEqual([]);
    await b.conn.query("XA COMMIT 'x1'");
    await b.conn.query("XA ROLLBACK 'x2'");
    expect(await ids(b.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1]);
    await crash(b);
    const c = await start(dir);
    expect(await ids(c.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1]);
    const [rec2] = await c.conn.query<mysql.RowDataPacket[]>('XA RECOVER');
    expect(rec2).toEqual([]);
    await crash(c);
  });

  it(req(['INNODB-REC-013', 'INNODB-BAK-005'], 'wire', 'a clean shutdown writes everything to the tablespaces: the next start applies no redo'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB');
    await a.conn.query('INSERT INTO t VALUES (1),(2),(3)');
    await a.conn.end();
    a.server.kill('SIGTERM');
    expect(await a.server.exited).toBe(0);
    const b = await start(dir, ['--log-error-verbosity=3']);
    expect(await ids(b.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1, 2, 3]);
    expect(b.server.lines.join('\n')).toMatch(/\[InnoDB\]/);
    expect(b.server.lines.join('\n')).not.toMatch(/Starting crash recovery/);
    await crash(b);
  });

  // INNODB_TORTURE_ROUNDS raises the round count for the soak run (npm run soak:innodb).
  const rounds = Number(process.env['INNODB_TORTURE_ROUNDS'] ?? 8);
  it(req(['INNODB-REC-010', 'INNODB-TORTURE-101'], 'wire', `torture: ${rounds} rounds of kill -9 under 4 writing connections lose no acknowledged commit`), async () => {
    const dir = await datadir();
    let r = await start(dir);
    await r.conn.query('CREATE TABLE acked (id INT PRIMARY KEY, w INT, n INT, pad VARCHAR(200)) ENGINE=InnoDB');
    await r.conn.query('CREATE TABLE never (id INT PRIMARY KEY) ENGINE=InnoDB');
    const acknowledged = new Set<number>();
    let next = 1;
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let round = 0; round < rounds; round++) {
      const workers = await Promise.all([r.connect(), r.connect(), r.connect(), r.connect()]);
      const open = await r.connect();
      await open.query('BEGIN');
      await open.query(`INSERT INTO never VALUES (${round})`);
      let stop = false;
      const loops = workers.map(async (c, w) => {
        while (!stop) {
          const id = next++;
          try {
            if (id % 3 === 0) {
              await c.query('BEGIN');
              await c.query('INSERT INTO acked VALUES (?,?,0,REPEAT(?,150))', [id, w, 'x']);
              await c.query('UPDATE acked SET n=n+1 WHERE id=?', [id]);
              await c.query('COMMIT');
            } else {
              await c.query('INSERT INTO acked VALUES (?,?,1,REPEAT(?,150))', [id, w, 'y']);
            }
            acknowledged.add(id);
          } catch {
            return;
          }
        }
      });
      await new Promise((res) => setTimeout(res, 100 + Math.floor(rand() * 300)));
      await crash(r);
      stop = true;
      await Promise.all(loops);
      for (const c of [...workers, open]) c.destroy();
      r = await start(dir);
      const [rows] = await r.conn.query<mysql.RowDataPacket[]>('SELECT id, n FROM acked');
      const present = new Map(rows.map((x) => [Number(x['id']), Number(x['n'])]));
      const lost = [...acknowledged].filter((id) => !present.has(id));
      expect(lost).toEqual([]);
      // Every row present is whole: its transaction's update is there too.
      expect([...present.values()].every((n) => n === 1)).toBe(true);
      expect(await ids(r.conn, 'SELECT id FROM never')).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThan(100);
    await crash(r);
  }, 60_000 + rounds * 15_000);
});

/**
 * --io-threads: with client sockets served by I/O threads, clients see the same server. Several
 * connections at once run the same statements (text and prepared, errors, a result far larger
 * than the rings between the threads, LOAD DATA LOCAL, COM_CHANGE_USER) against a server with
 * two I/O threads and one without, and get the same answers; KILL CONNECTION, a client vanishing
 * in the middle of a result, an oversized packet and TLS (which stays on the main thread) behave
 * as without I/O threads.
 *
 * @req CORE-PERF-020 CORE-PERF-021 CORE-PERF-023 CORE-PERF-024
 */
import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BIG_ROWS = 60_000;

let io: TestServer;
let plain: TestServer;

beforeAll(async () => {
  [io, plain] = await Promise.all([startTestServer({ options: { 'io-threads': 2 } }), startTestServer()]);
  for (const s of [io, plain]) {
    const c = await s.connect();
    await c.query('CREATE DATABASE w');
    await c.query('CREATE TABLE w.t (id INT PRIMARY KEY, v VARCHAR(200), n INT) ENGINE=InnoDB');
    await c.query("INSERT INTO w.t WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) SELECT i, CONCAT('row ', i), i % 7 FROM s");
    await c.query('SET GLOBAL local_infile = ON');
    await c.query("CREATE USER other@'%' IDENTIFIED BY 'pw'");
    await c.query("GRANT ALL ON w.* TO other@'%'");
    await c.end();
  }
});

afterAll(async () => {
  await Promise.all([io?.stop(), plain?.stop()]);
});

async function status(c: mysql.Connection, name: string): Promise<number> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(`SHOW GLOBAL STATUS LIKE '${name}'`);
  return Number(rows[0]?.Value ?? -1);
}

/** One session's script; returns everything the client saw. */
async function script(s: TestServer, k: number, socket: boolean): Promise<unknown[]> {
  const c = await s.connect({ database: 'w', socket, infileStreamFactory: () => Readable.from([Buffer.from(`${1000 + k}\tloaded ${k}\t${k}\n`)]) });
  const seen: unknown[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const [r] = await c.query('SELECT id, v, n FROM t WHERE id = ?', [(k * 37 + i * 11) % 500 + 1]);
      seen.push(r);
      const [p] = await c.execute('SELECT COUNT(*) AS c, SUM(n) AS s FROM t WHERE id BETWEEN ? AND ?', [i, i + 50 + k]);
      seen.push(p);
    }
    try {
      await c.query('SELECT * FROM no_such_table');
    } catch (e) {
      const err = e as { errno?: number; sqlMessage?: string };
      seen.push([err.errno, err.sqlMessage]);
    }
    const [ld] = await c.query(`LOAD DATA LOCAL INFILE 'f${k}.tsv' INTO TABLE t`);
    seen.push((ld as mysql.ResultSetHeader).affectedRows);
    // Only this session touches its loaded row.
    await c.query('BEGIN');
    const [u] = await c.execute('UPDATE t SET n = n + 1 WHERE id = ?', [1000 + k]);
    seen.push((u as mysql.ResultSetHeader).affectedRows);
    await c.query('COMMIT');
    const [mine] = await c.execute('SELECT * FROM t WHERE id = ?', [1000 + k]);
    seen.push(mine);
    await c.changeUser({ user: 'other', password: 'pw', database: 'w' });
    const [who] = await c.query('SELECT CURRENT_USER() AS u, DATABASE() AS d');
    seen.push(who);
  } finally {
    await c.end();
  }
  return seen;
}

describe('io_threads', () => {
  it(req(['CORE-PERF-020', 'CORE-PERF-024'], 'wire', '--io-threads sets a read-only io_threads; Io_threads_connections counts the moved connections'), async () => {
    const c = await io.connect();
    const p = await plain.connect();
    try {
      const [[row]] = await c.query<mysql.RowDataPacket[]>('SELECT @@io_threads AS n, @@GLOBAL.io_threads AS g');
      expect(row).toEqual({ n: 2, g: 2 });
      const [[off]] = await p.query<mysql.RowDataPacket[]>('SELECT @@io_threads AS n');
      expect(off!.n).toBe(0);
      await expect(c.query('SET GLOBAL io_threads = 1')).rejects.toMatchObject({ errno: 1238 });
      // This very connection is served by an I/O thread.
      expect(await status(c, 'Io_threads_connections')).toBeGreaterThanOrEqual(1);
      expect(await status(p, 'Io_threads_connections')).toBe(-1);
    } finally {
      await c.end();
      await p.end();
    }
  });

  it(req(['CORE-PERF-021', 'CORE-PERF-023'], 'wire', 'concurrent sessions over TCP and the Unix socket get the same answers with and without I/O threads'), async () => {
    const run = (s: TestServer): Promise<unknown[][]> => Promise.all([0, 1, 2, 3, 4, 5].map((k) => script(s, k, k % 3 === 2)));
    const [withIo, without] = await Promise.all([run(io), run(plain)]);
    expect(withIo).toEqual(without);
    // Every script saw its own LOAD DATA row and its COM_CHANGE_USER.
    for (const seen of withIo) expect(seen.at(-1)).toEqual([{ u: 'other@%', d: 'w' }]);
  });

  it(req(['CORE-PERF-023'], 'wire', 'a result far larger than the rings arrives whole, also to a client that stops reading for a while'), async () => {
    const sql = `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${BIG_ROWS}) SELECT i, REPEAT(CHAR(65 + i % 26), 120) AS pad FROM s`;
    const fetch = async (s: TestServer, slow: boolean): Promise<{ rows: number; sum: number; chars: number }> => {
      const c = await s.connect();
      try {
        await c.query('SET SESSION cte_max_recursion_depth = 1000000');
        const core = (c as unknown as { connection: { query(sql: string): { stream(): Readable } } }).connection;
        const stream = core.query(sql).stream();
        let rows = 0;
        let sum = 0;
        let chars = 0;
        for await (const row of stream as AsyncIterable<{ i: number; pad: string }>) {
          rows++;
          sum += row.i;
          chars += row.pad.length;
          // The client stalls: the server's socket fills and the I/O thread must hold back.
          if (slow && rows === 10) await new Promise((r) => setTimeout(r, 300));
        }
        return { rows, sum, chars };
      } finally {
        await c.end();
      }
    };
    const [a, b, ref] = await Promise.all([fetch(io, true), fetch(io, false), fetch(plain, false)]);
    expect(ref).toEqual({ rows: BIG_ROWS, sum: (BIG_ROWS * (BIG_ROWS + 1)) / 2, chars: BIG_ROWS * 120 });
    expect(a).toEqual(ref);
    expect(b).toEqual(ref);
  }, 60_000);

  it(req(['CORE-PERF-023'], 'wire', 'KILL CONNECTION from another session ends a session served by an I/O thread'), async () => {
    const victim = await io.connect();
    const killer = await io.connect();
    try {
      const [[{ id }]] = await victim.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      const running = victim.query('SELECT SLEEP(20)').then(
        () => 'finished',
        (e: { code?: string }) => e.code ?? 'error',
      );
      // Wait until the statement runs, then kill its connection.
      for (;;) {
        const [rows] = await killer.query<mysql.RowDataPacket[]>(`SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
        if (rows[0]?.COMMAND === 'Query') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await killer.query(`KILL CONNECTION ${id}`);
      expect(await running).not.toBe('finished');
      for (;;) {
        const [rows] = await killer.query<mysql.RowDataPacket[]>(`SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
        if (rows.length === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [[ok]] = await killer.query<mysql.RowDataPacket[]>('SELECT 1 AS one');
      expect(ok!.one).toBe(1);
    } finally {
      victim.destroy();
      await killer.end();
    }
  });

  it(req(['CORE-PERF-023'], 'wire', 'a client that disconnects in the middle of a large result ends its session; others carry on'), async () => {
    const watcher = await io.connect();
    const leaver = await io.connect();
    try {
      const [[{ id }]] = await leaver.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      await leaver.query('SET SESSION cte_max_recursion_depth = 10000000');
      const core = (leaver as unknown as { connection: { query(sql: string): { stream(): Readable } } }).connection;
      const stream = core.query('WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300000) SELECT i, REPEAT(\'x\', 200) FROM s').stream();
      let rows = 0;
      await new Promise<void>((resolve) => {
        stream.on('data', () => {
          if (++rows === 100) {
            leaver.destroy();
            resolve();
          }
        });
        stream.on('error', () => resolve());
      });
      for (;;) {
        const [rows2] = await watcher.query<mysql.RowDataPacket[]>(`SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
        if (rows2.length === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [[n]] = await watcher.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS c FROM w.t WHERE id <= 500');
      expect(Number(n!.c)).toBe(500);
    } finally {
      await watcher.end();
    }
  }, 60_000);

  it(req(['CORE-PERF-023'], 'wire', 'a packet over max_allowed_packet gets error 1153 and the connection closes, as without I/O threads'), async () => {
    const outcome = async (s: TestServer): Promise<unknown> => {
      const admin = await s.connect();
      await admin.query('SET GLOBAL max_allowed_packet = 1048576');
      const c = await s.connect();
      try {
        await c.query(`SELECT LENGTH('${'y'.repeat(2 * 1048576)}') AS n`);
        return 'answered';
      } catch (e) {
        const err = e as { errno?: number; code?: string };
        return err.errno ?? err.code;
      } finally {
        c.destroy();
        await admin.query('SET GLOBAL max_allowed_packet = DEFAULT');
        await admin.end();
      }
    };
    const [withIo, without] = await Promise.all([outcome(io), outcome(plain)]);
    expect(withIo).toBe(without);
    expect(withIo).toBe(1153);
  });

  it(req(['CORE-PERF-021'], 'wire', 'a TLS connection keeps working (it stays on the main thread)'), async () => {
    const c = await io.connect({ ssl: { rejectUnauthorized: false } });
    try {
      const [[row]] = await c.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS c FROM w.t WHERE id <= 500");
      expect(Number(row!.c)).toBe(500);
      const [[cipher]] = await c.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
      expect(String(cipher!.Value)).not.toBe('');
      const [p] = await c.execute<mysql.RowDataPacket[]>('SELECT v FROM w.t WHERE id = ?', [3]);
      expect(p).toEqual([{ v: 'row 3' }]);
    } finally {
      await c.end();
    }
  });
});

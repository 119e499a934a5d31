/**
 * The table writer seen from outside: real clients change rows, and an observer attached to the
 * running server's row-change observers sees every change, after the engine took it, in the
 * order each session made it, with the session's connection id.
 *
 * @req CORE-WRITE-001 CORE-WRITE-002
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import type { ChangeOrigin, RowChange } from '../../src/exec/write/row-change.js';
import type { Value } from '../../src/kernel/value.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

interface Seen {
  conn: number;
  transactional: boolean;
  purpose: string;
  kind: string;
  table: string;
  before?: unknown[];
  after?: unknown[];
}

/** Values as plain JSON-friendly numbers and strings, whatever the engine stores. */
function plain(row: readonly Value[] | undefined): unknown[] | undefined {
  if (!row) return undefined;
  return row.map((v) => (typeof v === 'bigint' ? Number(v) : Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

let srv: TestServer;
let seen: Seen[] = [];
let detach: () => void = () => undefined;

beforeAll(async () => {
  srv = await startTestServer();
  detach = srv.server.rowChanges.add({
    rowChanged(origin: ChangeOrigin, change: RowChange): void {
      seen.push({
        conn: origin.connectionId,
        transactional: origin.transactional,
        purpose: origin.purpose,
        kind: change.kind,
        table: `${change.table.schema}.${change.table.name}`,
        ...('before' in change ? { before: plain(change.before) } : {}),
        ...('after' in change ? { after: plain(change.after) } : {}),
      });
    },
  });
  const c = await srv.connect();
  await c.query('CREATE DATABASE w');
  await c.end();
}, 60000);

afterAll(async () => {
  detach();
  await srv?.stop();
});

async function connectionId(c: mysql.Connection): Promise<number> {
  const [r] = await c.query('SELECT CONNECTION_ID() AS id');
  return Number((r as { id: number }[])[0]!.id);
}

describe('row changes through the table writer', () => {
  it(req(['CORE-WRITE-001', 'CORE-WRITE-002'], 'wire', 'INSERT, UPDATE, DELETE, REPLACE, ON DUPLICATE KEY UPDATE, CREATE ... SELECT, ALTER copy and TRUNCATE reach the observers in order'), async () => {
    const c = await srv.connect({ database: 'w' });
    try {
      const id = await connectionId(c);
      await c.query('CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=MEMORY');
      seen = [];
      await c.query('INSERT INTO t VALUES (1, 10), (2, 20)');
      await c.query('UPDATE t SET v = v + 1 WHERE id = 2');
      await c.query('UPDATE t SET v = 11 WHERE id = 1');
      await c.query('UPDATE t SET v = 11 WHERE id = 1'); // matched but unchanged: no row change
      await c.query('DELETE FROM t WHERE id = 1');
      await c.query('REPLACE INTO t VALUES (2, 5)');
      await c.query('INSERT INTO t VALUES (2, 0) ON DUPLICATE KEY UPDATE v = v + 100');
      await c.execute('INSERT INTO t VALUES (?, ?)', [3, 30]);
      const dml = seen.map(({ kind, before, after }) => ({ kind, before, after }));
      expect(dml).toEqual([
        { kind: 'insert', after: [1, 10] },
        { kind: 'insert', after: [2, 20] },
        { kind: 'update', before: [2, 20], after: [2, 21] },
        { kind: 'update', before: [1, 10], after: [1, 11] },
        { kind: 'delete', before: [1, 11] },
        { kind: 'delete', before: [2, 21] },
        { kind: 'insert', after: [2, 5] },
        { kind: 'update', before: [2, 5], after: [2, 105] },
        { kind: 'insert', after: [3, 30] },
      ]);
      expect(new Set(seen.map((s) => `${s.conn}|${s.table}|${s.transactional}|${s.purpose}`))).toEqual(new Set([`${id}|w.t|false|dml`]));

      seen = [];
      await c.query('CREATE TABLE u ENGINE=MEMORY SELECT id, v FROM t ORDER BY id');
      expect(seen.map((s) => [s.kind, s.table, s.purpose, s.after])).toEqual([
        ['insert', 'w.u', 'dml', [2, 105]],
        ['insert', 'w.u', 'dml', [3, 30]],
      ]);

      seen = [];
      await c.query('ALTER TABLE u ADD COLUMN z INT');
      expect(seen.map((s) => [s.kind, s.purpose, s.after])).toEqual([
        ['insert', 'copy', [2, 105, null]],
        ['insert', 'copy', [3, 30, null]],
      ]);

      seen = [];
      await c.query('TRUNCATE TABLE u');
      expect(seen.map((s) => [s.kind, s.table, s.conn])).toEqual([['truncate', 'w.u', id]]);

      // Statements that fail change nothing and report nothing.
      seen = [];
      await expect(c.query('INSERT INTO t VALUES (3, 1)')).rejects.toMatchObject({ errno: 1062 });
      expect(seen).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it(req('CORE-WRITE-002', 'wire', 'sessions writing at once: each session\'s changes arrive in its own order, none lost'), async () => {
    const setup = await srv.connect({ database: 'w' });
    await setup.query('CREATE TABLE m (id INT PRIMARY KEY, who INT, n INT) ENGINE=MEMORY');
    await setup.end();
    const sessions = await Promise.all([0, 1, 2].map(() => srv.connect({ database: 'w' })));
    try {
      const ids = await Promise.all(sessions.map(connectionId));
      seen = [];
      const ROWS = 60;
      await Promise.all(
        sessions.map(async (c, who) => {
          for (let i = 0; i < ROWS; i++) {
            await c.query('INSERT INTO m VALUES (?, ?, ?)', [who * 1000 + i, who, i]);
            if (i % 3 === 0) await c.query('UPDATE m SET n = n + 1000 WHERE id = ?', [who * 1000 + i]);
          }
        }),
      );
      const [count] = await sessions[0]!.query('SELECT COUNT(*) AS c FROM m');
      expect(Number((count as { c: number }[])[0]!.c)).toBe(3 * ROWS);
      for (let who = 0; who < 3; who++) {
        const mine = seen.filter((s) => s.conn === ids[who]);
        const expected: { kind: string; after: unknown[] }[] = [];
        for (let i = 0; i < ROWS; i++) {
          expected.push({ kind: 'insert', after: [who * 1000 + i, who, i] });
          if (i % 3 === 0) expected.push({ kind: 'update', after: [who * 1000 + i, who, i + 1000] });
        }
        expect(mine.map(({ kind, after }) => ({ kind, after }))).toEqual(expected);
      }
      expect(seen.length).toBe(3 * (ROWS + ROWS / 3));
    } finally {
      await Promise.all(sessions.map((c) => c.end()));
    }
  });
});

/**
 * Statements of different connections sharing the server: a long SELECT does not stall the
 * others, KILL QUERY and max_execution_time stop it, and a big result streams to a slow reader
 * without the server holding it. Every assertion is on order and outcome, never on time.
 */
import { spawn } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { failureOf, queryError } from '../helpers/sql.js';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs } from '../helpers/peers.js';

let srv: TestServer;
let a: mysql.Connection;
let b: mysql.Connection;
let idA: number;

/** Rows of `big`: the self-join below examines BIG_ROWS² row pairs. */
const BIG_ROWS = 3000;
/** A join that examines 9 million row pairs and finds none (no index can serve its condition). */
const LONG_JOIN = 'SELECT COUNT(*) AS n FROM big x JOIN big y ON x.v + y.v = -1';
/** Rows of `s2k`: its cross join with itself is a 4-million-row result. */
const STREAM_ROWS = 2000;
/** Bounded polls for "the other connection is running its statement". */
const POLL_ATTEMPTS = 500;
const POLL_MS = 10;

async function rows(c: mysql.Connection, sql: string): Promise<Record<string, unknown>[]> {
  const [r] = await c.query(sql);
  return r as Record<string, unknown>[];
}

async function fill(c: mysql.Connection, table: string, n: number, row: (i: number) => string): Promise<void> {
  for (let start = 1; start <= n; start += 1000) {
    const values: string[] = [];
    for (let i = start; i < start + 1000 && i <= n; i++) values.push(row(i));
    await c.query(`INSERT INTO ${table} VALUES ${values.join(',')}`);
  }
}

/** Wait until connection `id` is running a statement whose text starts with `prefix`. */
async function waitRunning(observer: mysql.Connection, id: number, prefix: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS; i++) {
    const pl = await rows(observer, 'SHOW PROCESSLIST');
    if (pl.some((r) => r.Id === id && r.Command === 'Query' && String(r.Info ?? '').startsWith(prefix))) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`connection ${id} never ran ${prefix}`);
}

beforeAll(async () => {
  srv = await startTestServer();
  a = await srv.connect();
  b = await srv.connect();
  await a.query('CREATE DATABASE conc');
  for (const c of [a, b]) await c.query('USE conc');
  await a.query('CREATE TABLE big (id INT PRIMARY KEY, v INT) ENGINE=MEMORY');
  await fill(a, 'big', BIG_ROWS, (i) => `(${i}, ${i % 1000})`);
  await a.query('CREATE TABLE one (id INT) ENGINE=MEMORY');
  await a.query('INSERT INTO one VALUES (1)');
  await a.query('CREATE TABLE s2k (id INT PRIMARY KEY) ENGINE=MEMORY');
  await fill(a, 's2k', STREAM_ROWS, (i) => `(${i})`);
  idA = Number((await rows(a, 'SELECT CONNECTION_ID() AS id'))[0]!.id);
}, 120_000);
afterAll(async () => {
  await a?.end();
  await b?.end();
  await srv?.stop();
});

describe('a long statement shares the server', () => {
  it(req('CORE-CONC-001', 'wire', 'SELECT 1 and a point query on B finish while a 9-million-pair join runs on A'), async () => {
    const order: string[] = [];
    const join = a.query(LONG_JOIN).then(([r]) => {
      order.push('join');
      return r;
    });
    await waitRunning(b, idA, 'SELECT COUNT(*)');
    expect(await rows(b, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    order.push('select 1');
    expect(await rows(b, 'SELECT v FROM big WHERE id = 1234')).toEqual([{ v: 234 }]);
    order.push('point query');
    expect(await join).toEqual([{ n: 0 }]);
    expect(order).toEqual(['select 1', 'point query', 'join']);
  });
});

describe('KILL QUERY', () => {
  const longSelects: [string, string][] = [
    ['a join', LONG_JOIN],
    ['a sort (ORDER BY ... LIMIT over the pairs)', 'SELECT x.id AS i, y.id AS j FROM big x, big y ORDER BY x.v + y.v DESC, x.id LIMIT 3'],
    ['a grouping', 'SELECT x.v, COUNT(*) AS n FROM big x, big y WHERE x.id + y.id > 0 GROUP BY x.v'],
  ];
  for (const [what, sql] of longSelects) {
    it(req('CORE-CONC-003', 'wire', `ends ${what} on another connection with 1317; that connection goes on`), async () => {
      const killed = failureOf(a.query(sql));
      await waitRunning(b, idA, 'SELECT');
      await b.query(`KILL QUERY ${idA}`);
      const e = await killed;
      expect({ errno: e.errno, message: e.message }).toEqual({ errno: 1317, message: 'Query execution was interrupted' });
      expect(await rows(a, 'SELECT COUNT(*) AS n FROM one')).toEqual([{ n: 1 }]);
    });
  }

  it(req('CORE-CONC-003', 'wire', 'ends a long UPDATE with 1317 while it reads its rows; nothing is changed'), async () => {
    const before = await rows(a, 'SELECT SUM(v) AS s FROM big');
    const killed = failureOf(a.query('UPDATE big x JOIN big y ON x.v + y.v = -1 SET x.v = 0'));
    await waitRunning(b, idA, 'UPDATE');
    await b.query(`KILL QUERY ${idA}`);
    const e = await killed;
    expect({ errno: e.errno, message: e.message }).toEqual({ errno: 1317, message: 'Query execution was interrupted' });
    expect(await rows(a, 'SELECT SUM(v) AS s FROM big')).toEqual(before);
  });

  it(req('CORE-CONC-003', 'wire', 'a killed UPDATE of a MEMORY table keeps the rows it already changed, as MySQL does'), async () => {
    const n = 200_000;
    await a.query('CREATE TABLE wide (id INT PRIMARY KEY, v INT) ENGINE=MEMORY');
    await a.query('SET SESSION cte_max_recursion_depth = 1000000');
    await a.query(`INSERT INTO wide WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i, 0 FROM s`);
    const update = failureOf(a.query('UPDATE wide SET v = 1'));
    // The table lock keeps B from reading the rows mid-UPDATE; the processlist says when the
    // UPDATE has found its rows and is changing them.
    for (let i = 0; i < POLL_ATTEMPTS * 10; i++) {
      const st = await rows(b, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${idA}`);
      if (st[0]?.STATE === 'updating') break;
    }
    await b.query(`KILL QUERY ${idA}`);
    const e = await update;
    expect({ errno: e.errno, message: e.message }).toEqual({ errno: 1317, message: 'Query execution was interrupted' });
    const changed = Number((await rows(a, 'SELECT COUNT(*) AS n FROM wide WHERE v = 1'))[0]!.n);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(n);
    await a.query('DROP TABLE wide');
  });
});

describe('max_execution_time', () => {
  const TIMEOUT = { errno: 3024, message: 'Query execution was interrupted, maximum statement execution time exceeded' };

  it(req('CORE-CONC-004', 'wire', 'SET max_execution_time = 100 ends a long join and a slow read with 3024; 0 means no limit'), async () => {
    await a.query('SET max_execution_time = 100');
    try {
      expect(await queryError(a, LONG_JOIN)).toEqual(TIMEOUT);
      expect(await queryError(a, 'SELECT SLEEP(0.5) AS s FROM one')).toEqual(TIMEOUT);
      await a.query('SET max_execution_time = 0');
      expect(await rows(a, 'SELECT SLEEP(0.2) AS s FROM one')).toEqual([{ s: 0 }]);
    } finally {
      await a.query('SET max_execution_time = DEFAULT');
    }
  });

  it(req('CORE-CONC-004', 'wire', 'the MAX_EXECUTION_TIME hint limits its SELECT; the session value stays 0'), async () => {
    expect(await queryError(a, 'SELECT /*+ MAX_EXECUTION_TIME(100) */ SLEEP(0.5) AS s FROM one')).toEqual(TIMEOUT);
    expect(await rows(a, 'SELECT @@max_execution_time AS m')).toEqual([{ m: 0 }]);
    expect(await rows(a, 'SELECT /*+ MAX_EXECUTION_TIME(5000) */ COUNT(*) AS n FROM one')).toEqual([{ n: 1 }]);
  });

  it(req(['CORE-CONC-004', 'CORE-EXPR-091'], 'wire', 'a SELECT that reads no table returns SLEEP interrupted by the limit as 1, without error'), async () => {
    await a.query('SET max_execution_time = 100');
    try {
      expect(await rows(a, 'SELECT SLEEP(30) AS s')).toEqual([{ s: 1 }]);
    } finally {
      await a.query('SET max_execution_time = 0');
    }
  });

  it(req('CORE-CONC-004', 'wire', 'not applied to INSERT ... SELECT, nor to SELECT ... INTO'), async () => {
    await a.query('CREATE TABLE slept (s INT) ENGINE=MEMORY');
    await a.query('SET max_execution_time = 100');
    try {
      await a.query('INSERT INTO slept SELECT SLEEP(0.3) FROM one');
      await a.query('SELECT SLEEP(0.3) INTO @slept FROM one');
    } finally {
      await a.query('SET max_execution_time = 0');
    }
    expect(await rows(a, 'SELECT s, @slept AS v FROM slept')).toEqual([{ s: 0, v: 0 }]);
    await a.query('DROP TABLE slept');
  });
});

describe('asynchronous values in the pipeline', () => {
  it(req('CORE-EXPR-091', 'wire', 'SLEEP in the select list of a table read and of a scalar subquery is awaited, row by row'), async () => {
    expect(await rows(a, 'SELECT id, SLEEP(0.01) AS s FROM big WHERE id <= 3 ORDER BY id')).toEqual([
      { id: 1, s: 0 },
      { id: 2, s: 0 },
      { id: 3, s: 0 },
    ]);
    expect(await rows(a, 'SELECT (SELECT SLEEP(0.01)) AS s, (SELECT MAX(v) FROM big) AS m')).toEqual([{ s: 0, m: 999 }]);
  });

  it(req(['CORE-EXPR-091', 'CORE-EXEC-036'], 'wire', 'SLEEP in a WHERE condition, alone or inside a subquery, is awaited and the condition is then checked on its value'), async () => {
    expect(await rows(a, 'SELECT id FROM big WHERE SLEEP(0.01) = 0 AND id <= 3 ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await rows(a, 'SELECT id FROM big WHERE SLEEP(0) = 1 AND id <= 3')).toEqual([]);
    expect(await rows(a, 'SELECT id FROM big WHERE id IN (SELECT SLEEP(0) + 2) ORDER BY id')).toEqual([{ id: 2 }]);
    expect(await rows(a, 'SELECT 1 AS one FROM DUAL WHERE SLEEP(0) = 0')).toEqual([{ one: 1 }]);
    expect(await rows(a, 'SELECT 1 AS one FROM DUAL WHERE SLEEP(0) = 1')).toEqual([]);
  });

  it(req(['CORE-EXPR-091'], 'wire', 'where a clause cannot wait yet (HAVING, ORDER BY, GROUP BY, ON, UPDATE and DELETE ... WHERE), a value that must be awaited is refused with 1235 and nothing changes, never a wrong answer'), async () => {
    const refused = "This version of MySQL doesn't yet support 'a value that must be awaited (SLEEP, GET_LOCK, a subquery over a FEDERATED table) in this clause'";
    for (const sql of [
      'SELECT id FROM big WHERE id <= 3 HAVING SLEEP(id * 0) = 0',
      'SELECT id FROM big WHERE id <= 3 ORDER BY SLEEP(id * 0), id',
      'SELECT COUNT(*) FROM big WHERE id <= 3 GROUP BY SLEEP(id * 0)',
      'SELECT COUNT(*) FROM big a JOIN big b ON SLEEP(a.id * 0) = 0 AND a.id = b.id',
      'DELETE FROM big WHERE SLEEP(id * 0) = 1',
      'UPDATE big SET v = -1 WHERE SLEEP(id * 0) = 0',
    ]) {
      const e = await failureOf(a.query(sql));
      expect([e.errno, e.sqlMessage], sql).toEqual([1235, refused]);
    }
    expect(await rows(a, 'SELECT COUNT(*) AS n, SUM(v = -1) AS changed FROM big')).toEqual([{ n: BIG_ROWS, changed: '0' }]);
    // A CASE awaits the values it reaches (CORE-SP-030 made CASE lift awaited children).
    expect(await rows(a, 'SELECT id FROM big WHERE id <= 3 AND CASE WHEN SLEEP(id * 0) = 0 THEN 1 ELSE 0 END = 1 ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});

describe('the end of a streamed result', () => {
  it(req(['CORE-CONC-010', 'CORE-EXEC-007'], 'wire', 'a prepared SELECT ends with its rows: SHOW PROCESSLIST then shows the connection idle'), async () => {
    const [r] = await a.execute('SELECT v FROM big WHERE id = ?', [42]);
    expect(r).toEqual([{ v: 42 }]);
    const mine = (await rows(b, 'SHOW PROCESSLIST')).find((x) => x.Id === idA);
    expect({ command: mine?.Command, info: mine?.Info }).toEqual({ command: 'Sleep', info: null });
  });
});

describe('ORDER BY ... LIMIT', () => {
  it(req('CORE-CONC-011', 'wire', 'ORDER BY ... LIMIT over the big table returns what a naive sort of all its rows gives'), async () => {
    const all = (await rows(a, 'SELECT id, v FROM big')) as { id: number; v: number }[];
    const naive = all.slice().sort((x, y) => y.v - x.v || x.id - y.id);
    expect(await rows(a, 'SELECT id, v FROM big ORDER BY v DESC, id LIMIT 5, 10')).toEqual(naive.slice(5, 15));
    expect(await rows(a, 'SELECT id, v FROM big ORDER BY v DESC, id LIMIT 0')).toEqual([]);
    const byId = all.slice().sort((x, y) => (x.v % 7) - (y.v % 7) || y.id - x.id);
    expect(await rows(a, 'SELECT id, v FROM big ORDER BY v % 7, id DESC LIMIT 20')).toEqual(byId.slice(0, 20));
  });
});

/** heapUsed after a full collection: what the process really holds. */
function liveHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

describe('streaming results', () => {
  it(req('CORE-CONC-010', 'peer', 'a 2-million-row result read by mariadb --quick through a slow pipe: the server holds a small part of it'), async () => {
    requirePeer(['mariadb']);
    const outer = STREAM_ROWS / 2;
    const expected = outer * STREAM_ROWS;
    // The whole result as rows would hold at least 48 bytes a row (array header plus two slots).
    const wholeResult = expected * 48;
    const baseline = liveHeap();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, liveHeap());
    }, 200);
    const sql = `SELECT x.id, y.id FROM s2k x, s2k y WHERE x.id <= ${outer}`;
    const child = spawn('mariadb', [...cliTcpArgs(srv), '--quick', '--batch', '--skip-column-names', 'conc', '-e', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let chunks = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      // A slow reader: a pause after every few chunks; the client then stops reading its socket.
      if (++chunks % 4 === 0) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 2);
      }
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(sampler);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines).toBe(expected);
    expect(peak - baseline).toBeLessThan(wholeResult / 4);
  }, 120_000);
});

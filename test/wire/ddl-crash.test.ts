/**
 * kill -9 during DDL, through the real server binary (needs a build: `npx tsc -p tsconfig.json`).
 *
 * 1. Random kills: one connection sends a seeded random stream of CREATE / ALTER (by copy and
 *    in place) / RENAME / TRUNCATE / DROP TABLE over MEMORY and EXAMPLE tables; the server is
 *    killed with SIGKILL a few milliseconds after a statement is sent, after a random number of
 *    acknowledged ones. After a restart the schema must be exactly as after the last
 *    acknowledged statement or as after the one in flight (each table whole or absent), and
 *    every table must answer SHOW CREATE TABLE, SELECT and CHECK TABLE (MEMORY and EXAMPLE answer
 *    CHECK with the note that the engine does not support it, as MySQL does).
 * 2. Crash points: the server is started with REFMYSQL_DEBUG_CRASH_POINTS naming one point of a
 *    DDL, so it kills itself exactly there; after the restart the table is the old one for
 *    points before the dictionary commit and the new one from the commit on.
 */
import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS_ENV } from '../../src/catalog/crash-points.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, type SpawnedServer } from '../helpers/server.js';

const parents: string[] = [];
const children: SpawnedServer[] = [];
afterAll(async () => {
  for (const c of children) {
    c.kill('SIGKILL');
    await c.exited;
  }
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

async function datadir(): Promise<string> {
  const d = await initializedDatadir();
  parents.push(d.parent);
  return d.datadir;
}

async function start(dir: string, crashAt?: string): Promise<{ server: SpawnedServer; conn: mysql.Connection }> {
  const env = crashAt ? { [CRASH_POINTS_ENV]: crashAt } : {};
  const server = spawnServer(['--no-defaults', `--datadir=${dir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF'], { env });
  children.push(server);
  await server.ready;
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '' });
  return { server, conn };
}

async function stop(s: { server: SpawnedServer; conn: mysql.Connection }): Promise<void> {
  await s.conn.end();
  s.server.kill('SIGTERM');
  expect(await s.server.exited).toBe(0);
}

/** table name -> "ENGINE col,col,..." for one schema. */
type Shape = Record<string, string>;

async function shapeOf(c: mysql.Connection, schema: string): Promise<Shape> {
  const [tables] = await c.query<mysql.RowDataPacket[]>('SELECT TABLE_NAME AS n, ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [schema]);
  const [cols] = await c.query<mysql.RowDataPacket[]>('SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION', [schema]);
  const out: Shape = {};
  for (const t of tables) out[String(t['n'])] = `${String(t['e'])} ${cols.filter((x) => x['t'] === t['n']).map((x) => String(x['c'])).join(',')}`;
  return out;
}

/** Problems with a table being whole: SHOW CREATE TABLE, SELECT and CHECK TABLE must all work. */
async function wholeness(c: mysql.Connection, schema: string, table: string): Promise<string[]> {
  const problems: string[] = [];
  try {
    await c.query(`SHOW CREATE TABLE \`${schema}\`.\`${table}\``);
    await c.query(`SELECT COUNT(*) FROM \`${schema}\`.\`${table}\``);
    const [check] = await c.query<mysql.RowDataPacket[]>(`CHECK TABLE \`${schema}\`.\`${table}\``);
    const verdict = check.map((r) => `${String(r['Msg_type'])}: ${String(r['Msg_text'])}`);
    // MEMORY and EXAMPLE do not check tables; InnoDB checks and finds them OK.
    const fine = [["note: The storage engine for the table doesn't support check"], ['status: OK']];
    if (!fine.some((f) => JSON.stringify(verdict) === JSON.stringify(f))) problems.push(`${table}: CHECK TABLE ${verdict.join('; ')}`);
  } catch (err) {
    problems.push(`${table}: ${(err as Error).message}`);
  }
  return problems;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['k0', 'k1', 'k2', 'k3'];

/** Next statement of the stream for the current shape, and the shape it leads to. */
function nextStatement(shape: Shape, rnd: () => number, n: number): { sql: string; after: Shape } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const name = pick(NAMES);
  const after: Shape = { ...shape };
  const cur = shape[name];
  if (cur === undefined) {
    const engine = pick(['MEMORY', 'EXAMPLE']);
    after[name] = `${engine} id,v`;
    return { sql: `CREATE TABLE ${name} (id INT, v INT) ENGINE=${engine}`, after };
  }
  const [engine, colText] = cur.split(' ') as [string, string];
  const cols = colText.split(',');
  const free = NAMES.filter((x) => shape[x] === undefined);
  const choice = pick(['add', 'rename_col', 'truncate', 'engine', 'drop', 'rename'] as const);
  if (choice === 'add') {
    after[name] = `${engine} ${[...cols, `c${n}`].join(',')}`;
    return { sql: `ALTER TABLE ${name} ADD COLUMN c${n} INT`, after };
  }
  if (choice === 'rename_col') {
    const last = cols[cols.length - 1]!;
    after[name] = `${engine} ${[...cols.slice(0, -1), `r${n}`].join(',')}`;
    return { sql: `ALTER TABLE ${name} RENAME COLUMN ${last} TO r${n}`, after };
  }
  if (choice === 'truncate') return { sql: `TRUNCATE TABLE ${name}`, after };
  if (choice === 'engine') {
    const other = engine === 'MEMORY' ? 'EXAMPLE' : 'MEMORY';
    after[name] = `${other} ${colText}`;
    return { sql: `ALTER TABLE ${name} ENGINE=${other}`, after };
  }
  if (choice === 'rename' && free.length > 0) {
    const to = pick(free);
    delete after[name];
    after[to] = cur;
    return { sql: `RENAME TABLE ${name} TO ${to}`, after };
  }
  delete after[name];
  return { sql: `DROP TABLE ${name}`, after };
}

describe('kill -9 during DDL (server child process)', () => {
  it(req(['CORE-DICT-009', 'CORE-DICT-007', 'CORE-DICT-005'], 'wire', 'random kills during CREATE/ALTER/RENAME/TRUNCATE/DROP: every table whole or absent, the schema as after the last acknowledged DDL or the one in flight'), async () => {
    const dir = await datadir();
    const rnd = prng(20260807);
    let s = await start(dir);
    await s.conn.query("INSTALL PLUGIN EXAMPLE SONAME 'ha_example.so'");
    await s.conn.query('CREATE DATABASE crash');
    await s.conn.query('USE crash');
    let shape: Shape = {};
    let n = 0;
    for (let round = 0; round < 3; round++) {
      const acks = 4 + Math.floor(rnd() * 12);
      for (let i = 0; i < acks; i++) {
        const st = nextStatement(shape, rnd, n++);
        await s.conn.query(st.sql);
        shape = st.after;
      }
      // The statement in flight when the server dies.
      const last = nextStatement(shape, rnd, n++);
      const sent = s.conn.query(last.sql).then(() => 'ok', () => 'lost');
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 6)));
      s.server.kill('SIGKILL');
      expect(await s.server.exited).toBe('SIGKILL');
      await sent;
      s.conn.destroy();
      s = await start(dir);
      const now = await shapeOf(s.conn, 'crash');
      expect([shape, last.after]).toContainEqual(now);
      for (const t of Object.keys(now)) expect(await wholeness(s.conn, 'crash', t)).toEqual([]);
      const [leftovers] = await s.conn.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE '#sql%'");
      expect(leftovers).toEqual([]);
      shape = now;
      await s.conn.query('USE crash');
    }
    await stop(s);
  });

  it(req(['CORE-DICT-008', 'CORE-DICT-009', 'CORE-DICT-006', 'CORE-DICT-007'], 'wire', 'the server killed at named DDL crash points restarts with the old table before the commit and the new one from it on'), async () => {
    const dir = await datadir();
    // [point, statements before the DDL, the DDL, table, shape before, shape after]
    const cases: [string, string[], string, string, string | undefined, string | undefined][] = [
      ['create_table:step1.done', [], 'CREATE TABLE a1 (x INT)', 'a1', undefined, 'InnoDB x'],
      ['create_table:committed', [], 'CREATE TABLE a2 (x INT)', 'a2', undefined, 'InnoDB x'],
      ['alter_copy:step2.done', ['CREATE TABLE b1 (x INT)'], 'ALTER TABLE b1 ADD COLUMN y INT', 'b1', 'InnoDB x', 'InnoDB x,y'],
      ['alter_copy:step3.done', ['CREATE TABLE b2 (x INT)'], 'ALTER TABLE b2 ADD COLUMN y INT', 'b2', 'InnoDB x', 'InnoDB x,y'],
      ['alter_copy:committed', ['CREATE TABLE b3 (x INT)'], 'ALTER TABLE b3 ADD COLUMN y INT', 'b3', 'InnoDB x', 'InnoDB x,y'],
      ['alter_inplace:step1.done', ['CREATE TABLE c1 (x INT)'], 'ALTER TABLE c1 RENAME COLUMN x TO z', 'c1', 'InnoDB x', 'MEMORY z'],
      ['truncate_table:step2.done', ['CREATE TABLE d1 (x INT)'], 'TRUNCATE TABLE d1', 'd1', 'InnoDB x', 'InnoDB x'],
      ['drop_table:commit.logged', ['CREATE TABLE e1 (x INT)'], 'DROP TABLE e1', 'e1', 'InnoDB x', undefined],
      ['drop_table:post1.done', ['CREATE TABLE e2 (x INT)'], 'DROP TABLE e2', 'e2', 'InnoDB x', undefined],
    ];
    let s = await start(dir, cases[0]![0]);
    await s.conn.query('CREATE DATABASE cp');
    for (let i = 0; i < cases.length; i++) {
      const [point, before, ddl] = cases[i]!;
      await s.conn.query('USE cp');
      for (const sql of before) await s.conn.query(sql);
      const outcome = await s.conn.query(ddl).then(() => 'answered', (e: Error) => `lost: ${e.message}`);
      expect({ point, outcome: outcome.startsWith('lost') }).toEqual({ point, outcome: true });
      expect(await s.server.exited).toBe('SIGKILL');
      s.conn.destroy();
      // The next server (armed with the next point) first checks this one's outcome.
      s = await start(dir, cases[i + 1]?.[0]);
      const [, , , table, old, neu] = cases[i]!;
      const want = point.endsWith('committed') || point.includes(':post') ? neu : old;
      const shape = await shapeOf(s.conn, 'cp');
      expect({ point, shape: shape[table] }).toEqual({ point, shape: want });
      if (want !== undefined) expect(await wholeness(s.conn, 'cp', table)).toEqual([]);
    }
    const [leftovers] = await s.conn.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE '#sql%'");
    expect(leftovers).toEqual([]);
    await stop(s);
  });
});

/**
 * The SQL-level harness: an in-process server, mysql2 connections that return values the way
 * the scenarios compare them (dates as text, big numbers as strings), making an engine
 * available the way its descriptor says (built in, or INSTALL PLUGIN), and a database per
 * engine.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-011
 */
import type mysql from 'mysql2/promise';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import type { EngineDescriptor, SqlTableSpec } from '../descriptor.js';

/** mysql2 options every scenario connection uses. */
export const CONNECTION_OPTIONS = { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, multipleStatements: false } as const;

export type SqlRow = Record<string, unknown>;

/** Why SQL scenarios do not apply to an engine, or null when they do. */
export function sqlSkip(d: EngineDescriptor): string | null {
  return d.sql.kind === 'none' ? d.sql.reason : null;
}

/** The database an engine's SQL scenarios use. */
export function databaseOf(d: EngineDescriptor): string {
  return `ec_${d.name.toLowerCase()}`;
}

/** The server options every engine of `engines` needs, together (one server serves them all). */
export function serverOptionsOf(engines: readonly EngineDescriptor[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const d of engines) Object.assign(out, d.serverOptions ?? {});
  return out;
}

/** The second server of recipes that stand on one (FEDERATED's remote): started on first use,
 *  shared by the test file, stopped by {@link stopSqlRemote} in its afterAll. It outlives
 *  restarts of the server under test, as a real remote would. */
let remote: Promise<TestServer> | null = null;

export function sqlRemote(): Promise<TestServer> {
  remote ??= startTestServer();
  return remote;
}

export async function stopSqlRemote(): Promise<void> {
  const r = remote;
  remote = null;
  if (r) await (await r).stop();
}

/** The table options after ENGINE=X that the engine's recipe asks for ('' for most engines). */
export async function tableOptions(d: EngineDescriptor, name: string, columns = '', temporary = false): Promise<string> {
  const recipe = d.sqlTables;
  if (!recipe) return '';
  const remotePort = recipe.remote ? (await sqlRemote()).port : 0;
  return recipe.options({ name, columns, temporary, remotePort });
}

/**
 * Create a table of the engine the way its recipe says: what it stands on first (MERGE: the
 * MyISAM child; FEDERATED: the remote table), then `CREATE [TEMPORARY] TABLE name (columns)
 * ENGINE=<spelling> <options> <tail>`.
 */
export async function createTable(
  conn: mysql.Connection,
  d: EngineDescriptor,
  name: string,
  columns: string,
  opts: { temporary?: boolean; spelling?: string; tail?: string } = {},
): Promise<mysql.ResultSetHeader> {
  const temporary = opts.temporary ?? false;
  const recipe = d.sqlTables;
  let options = '';
  if (recipe) {
    const remotePort = recipe.remote ? (await sqlRemote()).port : 0;
    const spec: SqlTableSpec = { name, columns, temporary, remotePort };
    const statements = recipe.prepare(spec);
    if (recipe.remote) {
      const r = await (await sqlRemote()).connect();
      try {
        for (const sql of statements) await r.query(sql);
      } finally {
        await r.end();
      }
    } else {
      for (const sql of statements) await conn.query(sql);
    }
    options = recipe.options(spec);
  }
  const sql = `CREATE ${temporary ? 'TEMPORARY ' : ''}TABLE ${name} (${columns}) ENGINE=${opts.spelling ?? d.name}${options ? ` ${options}` : ''}${opts.tail ? ` ${opts.tail}` : ''}`;
  return ok(conn, sql);
}

/** Make the engine usable in this server (no-op for built-in engines). */
export async function enableEngine(conn: mysql.Connection, d: EngineDescriptor): Promise<void> {
  if (d.sql.kind !== 'plugin') return;
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT ENGINE FROM information_schema.ENGINES WHERE ENGINE = ? AND SUPPORT IN (?, ?)', [d.name, 'YES', 'DEFAULT']);
  if (rows.length === 0) await conn.query(d.sql.install);
}

/** Connect as root to `db` (created if missing) with the engine available. */
export async function engineConnection(srv: TestServer, d: EngineDescriptor): Promise<mysql.Connection> {
  const conn = await srv.connect({ ...CONNECTION_OPTIONS });
  await enableEngine(conn, d);
  await conn.query(`CREATE DATABASE IF NOT EXISTS ${databaseOf(d)}`);
  await conn.query(`USE ${databaseOf(d)}`);
  return conn;
}

export async function rows(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<SqlRow[]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(sql, params);
  return r.map((x) => ({ ...x }));
}

export async function ok(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<mysql.ResultSetHeader> {
  const [r] = await conn.query<mysql.ResultSetHeader>(sql, params);
  return r;
}

/** Run `sql`, which must fail with `errno`; returns the server's message. */
export async function fails(conn: mysql.Connection, sql: string, errno: number): Promise<string> {
  let failed: { errno?: number; sqlMessage?: string; message: string } | null = null;
  try {
    await conn.query(sql);
  } catch (e) {
    failed = e as { errno?: number; sqlMessage?: string; message: string };
  }
  if (!failed) throw new Error(`expected error ${errno}: ${sql}`);
  expect(failed.errno, `${sql}: ${failed.message}`).toBe(errno);
  return failed.sqlMessage ?? failed.message;
}

/** The codes of SHOW WARNINGS. */
export async function warningCodes(conn: mysql.Connection): Promise<number[]> {
  return (await rows(conn, 'SHOW WARNINGS')).map((r) => Number(r['Code']));
}

/** SELECT COUNT(*) of a table. */
export async function count(conn: mysql.Connection, table: string): Promise<number> {
  return Number((await rows(conn, `SELECT COUNT(*) AS n FROM ${table}`))[0]!['n']);
}

/** Split a column list at its top-level commas (not those inside ENUM('a','b') or DECIMAL(5,2)). */
function splitColumns(columns: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of columns) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/**
 * A column list as an engine can take it: for an engine without nullable columns (CSV) every
 * column not already NOT NULL gets NOT NULL. Other engines get the list unchanged.
 */
export function columnsFor(nullableColumns: boolean, columns: string): string {
  if (nullableColumns) return columns;
  return splitColumns(columns)
    .map((c) => (/\bNOT NULL\b/i.test(c) || /^(PRIMARY|UNIQUE|KEY|INDEX|FULLTEXT|SPATIAL|CONSTRAINT|FOREIGN|CHECK)\b/i.test(c) ? c : `${c.replace(/\s+NULL$/i, '')} NOT NULL`))
    .join(', ');
}

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
import type { TestServer } from '../../helpers/server.js';
import type { EngineDescriptor } from '../descriptor.js';

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

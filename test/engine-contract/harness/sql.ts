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

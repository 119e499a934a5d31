/**
 * Small helpers for wire tests: run a statement that must fail and keep just what MySQL's
 * error contract fixes (number and message), so every test file asserts errors the same way.
 */
import type mysql from 'mysql2/promise';

export interface QueryFailure {
  errno: number;
  message: string;
}

/** Run `sql` and return its error; throws if the statement unexpectedly succeeds. */
export async function queryError(conn: mysql.Connection, sql: string): Promise<QueryFailure> {
  try {
    await conn.query(sql);
  } catch (e) {
    const x = e as { errno: number; message: string };
    return { errno: x.errno, message: x.message };
  }
  throw new Error('expected an error: ' + sql);
}

/** What mysql2 rejects with when the server (or the client library) reports an error. */
export interface ServerError {
  errno: number;
  sqlState: string;
  sqlMessage: string;
  message: string;
  code?: string;
}

/**
 * Await `p` (a query or a connection attempt), which must fail, and return mysql2's error as it
 * is. A connection that unexpectedly opens is closed before the test is failed.
 */
export async function failureOf(p: Promise<unknown>): Promise<ServerError> {
  let result: unknown;
  try {
    result = await p;
  } catch (e) {
    return e as ServerError;
  }
  const end = (result as { end?: unknown } | null)?.end;
  if (typeof end === 'function') await (end as () => Promise<void>).call(result);
  throw new Error('unexpectedly succeeded');
}

/** Await `p`, which must fail with a server error: its number, SQLSTATE and message. */
export async function errorOf(p: Promise<unknown>): Promise<{ errno: number; sqlState: string; message: string }> {
  const e = await failureOf(p);
  return { errno: e.errno, sqlState: e.sqlState, message: e.sqlMessage };
}

/** The rows of a query, as objects keyed by column name. */
export async function queryRows(conn: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(sql);
  return r;
}

/** SHOW WARNINGS as [code, message] pairs, in order. */
export async function warningPairs(conn: mysql.Connection): Promise<[number, string][]> {
  const rows = await queryRows(conn, 'SHOW WARNINGS');
  return rows.map((r) => [r['Code'] as number, r['Message'] as string]);
}

/** The first row of a query as an array, as the text protocol delivers it. */
export async function firstRow(conn: mysql.Connection, sql: string): Promise<unknown[]> {
  const [rows] = await conn.query({ sql, rowsAsArray: true });
  return (rows as unknown[][])[0]!;
}

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

import { expect } from 'vitest';
import type { Expr, ParseOptions, SelectCore, Statement } from '../../../src/sql/ast.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { parseOne } from '../../../src/sql/parser/index.js';

/** Parse one statement of the given kind. */
export function stmt<K extends Statement['kind']>(text: string, kind: K, opts?: ParseOptions): Extract<Statement, { kind: K }> {
  const s = parseOne(text, opts);
  expect(s.kind).toBe(kind);
  return s as Extract<Statement, { kind: K }>;
}

/** The first SELECT block of a query. */
export function core(text: string, opts?: ParseOptions): SelectCore {
  const s = stmt(text, 'select', opts);
  expect(s.query.type).toBe('select_core');
  return s.query as SelectCore;
}

/** The first select-list expression of `SELECT <expr>`. */
export function expr(text: string, opts?: ParseOptions): Expr {
  return (core('SELECT ' + text, opts).items[0] as { expr: Expr }).expr;
}

/** Capture the SqlError thrown by fn. */
export function sqlErr(fn: () => unknown): SqlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SqlError);
    return e as SqlError;
  }
  throw new Error('expected an SqlError');
}

export const SYNTAX = 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use';

/** Assert a 1064 with the given near-text and line. */
export function expectSyntaxError(fn: () => unknown, near: string, line = 1): void {
  const e = sqlErr(fn);
  expect(e.errno).toBe(1064);
  expect(e.sqlState).toBe('42000');
  expect(e.message).toBe(`${SYNTAX} near '${near}' at line ${line}`);
}

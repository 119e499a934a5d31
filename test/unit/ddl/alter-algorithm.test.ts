/**
 * Which ALTER TABLE operations MySQL 8.0 does in place (or instantly) on an InnoDB table and so
 * reports as `0 rows affected`, and which it copies (reporting the copied rows). The inputs are
 * built by hand, as the ALTER executor would hand them over: the old and new definitions and,
 * for every new column, the position it came from.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../src/kernel/column-type.js';
import type { ColumnDef, IndexDef, TableDef } from '../../../src/kernel/table-def.js';
import type { AlterAction } from '../../../src/sql/ast.js';
import {
  innodbAlterAlgorithm,
  reportedAlterRows,
  type AlterAlgorithmInput,
  type AlterColumnOrigin,
} from '../../../src/exec/ddl/alter-algorithm.js';
import { req } from '../../helpers/req.js';

function col(name: string, type: ColumnType, extra: Partial<ColumnDef> = {}): ColumnDef {
  const text = ['CHAR', 'VARCHAR', 'ENUM', 'SET', 'TEXT'].includes(type.name);
  return {
    name,
    type,
    nullable: true,
    autoIncrement: false,
    comment: '',
    ...(text ? { charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' } : {}),
    ...extra,
  };
}

const pk: IndexDef = { name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true };

function table(columns: ColumnDef[], indexes: IndexDef[] = [pk], engine = 'InnoDB', temporary = false): TableDef {
  return {
    id: 1,
    schema: 'db',
    name: 't',
    engine,
    columns,
    indexes,
    charset: 'utf8mb4',
    collation: 'utf8mb4_0900_ai_ci',
    comment: '',
    options: {},
    autoIncrementStart: 1n,
    temporary,
    createTime: 0,
  };
}

const ID = col('id', { name: 'INT' }, { nullable: false });
const V10 = col('v', { name: 'VARCHAR', length: 10 });
const BASE = table([ID, V10]);

/** An ALTER that keeps every old column in place and appends `added` new ones. */
function input(next: TableDef, opts: { actions?: AlterAction[]; old?: TableDef; origins?: (number | null)[]; strict?: boolean; fk?: boolean } = {}): AlterAlgorithmInput {
  const old = opts.old ?? BASE;
  const origins = opts.origins ?? next.columns.map((_c, i) => (i < old.columns.length ? i : null));
  const columns: AlterColumnOrigin[] = next.columns.map((c, i) => ({ col: c, src: origins[i] ?? null }));
  return { actions: opts.actions ?? [], old, next, columns, strict: opts.strict ?? true, foreignKeyChecks: opts.fk ?? true };
}

const algorithmOf = (i: AlterAlgorithmInput): string => innodbAlterAlgorithm(i).algorithm;

describe('InnoDB ALTER TABLE algorithm (what MySQL 8.0 reports)', () => {
  it(req('INNODB-DDL-101', 'unit', 'adding, dropping, reordering columns and index changes are in place'), () => {
    const added = table([ID, V10, col('w', { name: 'INT' })]);
    expect(algorithmOf(input(added))).toBe('INPLACE');
    const dropped = table([ID]);
    expect(algorithmOf(input(dropped))).toBe('INPLACE');
    const first = table([col('f', { name: 'CHAR', length: 1 }), ID, V10], [{ ...pk, parts: [{ column: 1 }] }]);
    expect(algorithmOf(input(first, { origins: [null, 0, 1] }))).toBe('INPLACE');
    const reordered = table([V10, ID], [{ ...pk, parts: [{ column: 1 }] }]);
    expect(algorithmOf(input(reordered, { origins: [1, 0] }))).toBe('INPLACE');
    const indexed = table([ID, V10], [pk, { name: 'ix', kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 1 }], comment: '', visible: true }]);
    expect(algorithmOf(input(indexed))).toBe('INPLACE');
    // Adding a primary key to a table without one rebuilds in place too.
    const noPk = table([ID, V10], []);
    expect(algorithmOf(input(BASE, { old: noPk }))).toBe('INPLACE');
    expect(algorithmOf(input(BASE, { actions: [{ action: 'force' }] }))).toBe('INPLACE');
  });

  it(req('INNODB-DDL-101', 'unit', 'VARCHAR may grow in place only within the same number of length bytes'), () => {
    const v20 = table([ID, col('v', { name: 'VARCHAR', length: 20 })]);
    expect(algorithmOf(input(v20))).toBe('INPLACE');
    // 63 utf8mb4 characters are 252 bytes (one length byte); 64 are 256 bytes (two).
    const v63 = table([ID, col('v', { name: 'VARCHAR', length: 63 })]);
    const v64 = table([ID, col('v', { name: 'VARCHAR', length: 64 })]);
    expect(algorithmOf(input(v63))).toBe('INPLACE');
    expect(innodbAlterAlgorithm(input(v64))).toEqual({ algorithm: 'COPY', reason: 'length bytes of v' });
    const v5 = table([ID, col('v', { name: 'VARCHAR', length: 5 })]);
    expect(innodbAlterAlgorithm(input(v5))).toEqual({ algorithm: 'COPY', reason: 'shrinking v' });
  });

  it(req('INNODB-DDL-101', 'unit', 'data type, character set and stored-generated changes copy'), () => {
    const big = table([col('id', { name: 'BIGINT' }, { nullable: false }), V10]);
    expect(algorithmOf(input(big))).toBe('COPY');
    const unsigned = table([col('id', { name: 'INT', unsigned: true }, { nullable: false }), V10]);
    expect(algorithmOf(input(unsigned))).toBe('COPY');
    const latin = table([ID, { ...V10, charset: 'latin1', collation: 'latin1_swedish_ci' }]);
    expect(algorithmOf(input(latin))).toBe('COPY');
    const stored = table([ID, V10, col('g', { name: 'INT' }, { generated: { expr: 'id + 1', stored: true } })]);
    expect(algorithmOf(input(stored))).toBe('COPY');
    const virtual = table([ID, V10, col('g', { name: 'INT' }, { generated: { expr: 'id + 1', stored: false } })]);
    expect(algorithmOf(input(virtual))).toBe('INPLACE');
    const ai = table([{ ...ID, autoIncrement: true }, V10]);
    expect(algorithmOf(input(ai))).toBe('COPY');
  });

  it(req('INNODB-DDL-101', 'unit', 'NOT NULL is in place only in strict mode; NULL always is'), () => {
    const notNull = table([ID, { ...V10, nullable: false }]);
    expect(algorithmOf(input(notNull, { strict: true }))).toBe('INPLACE');
    expect(algorithmOf(input(notNull, { strict: false }))).toBe('COPY');
    const old = table([ID, { ...V10, nullable: false }]);
    expect(algorithmOf(input(BASE, { old, strict: false }))).toBe('INPLACE');
  });

  it(req('INNODB-DDL-101', 'unit', 'ENUM and SET members may be appended in place while the storage size holds'), () => {
    const e = (values: string[]): TableDef => table([ID, col('e', { name: 'ENUM', values })]);
    const ab = e(['a', 'b']);
    expect(algorithmOf(input(e(['a', 'b', 'c']), { old: ab }))).toBe('INPLACE');
    expect(algorithmOf(input(e(['b', 'a']), { old: ab }))).toBe('COPY');
    const many = (n: number): string[] => Array.from({ length: n }, (_v, i) => `m${i}`);
    expect(algorithmOf(input(e(many(256)), { old: e(many(255)) }))).toBe('COPY');
    const s = (values: string[]): TableDef => table([ID, col('s', { name: 'SET', values })]);
    expect(algorithmOf(input(s(many(8)), { old: s(many(7)) }))).toBe('INPLACE');
    expect(algorithmOf(input(s(many(9)), { old: s(many(8)) }))).toBe('COPY');
  });

  it(req('INNODB-DDL-101', 'unit', 'dropping the primary key alone, ORDER BY, engine changes, ALGORITHM=COPY, CHECK, foreign keys and temporary tables copy'), () => {
    expect(innodbAlterAlgorithm(input(table([ID, V10], [])))).toEqual({ algorithm: 'COPY', reason: 'dropping the primary key' });
    expect(algorithmOf(input(BASE, { actions: [{ action: 'order_by', columns: [] }] }))).toBe('COPY');
    expect(algorithmOf(input(BASE, { actions: [{ action: 'algorithm', value: 'copy' }] }))).toBe('COPY');
    expect(algorithmOf(input(BASE, { actions: [{ action: 'algorithm', value: 'INPLACE' }] }))).toBe('INPLACE');
    expect(algorithmOf(input(table([ID, V10], [pk], 'MEMORY')))).toBe('COPY');
    expect(algorithmOf(input(BASE, { old: table([ID, V10], [pk], 'InnoDB', true) }))).toBe('COPY');
    const check: AlterAction = { action: 'add_check', check: { text: 'id > 0', enforced: true } } as AlterAction;
    expect(algorithmOf(input(BASE, { actions: [check] }))).toBe('COPY');
    const fk = { action: 'add_foreign_key', fk: {} } as unknown as AlterAction;
    expect(algorithmOf(input(BASE, { actions: [fk], fk: true }))).toBe('COPY');
    expect(algorithmOf(input(BASE, { actions: [fk], fk: false }))).toBe('INPLACE');
    expect(algorithmOf(input(BASE, { actions: [{ action: 'drop_foreign_key', name: 'f' }] }))).toBe('INPLACE');
  });

  it(req(['INNODB-DDL-101', 'CORE-DDL-042'], 'unit', 'only InnoDB reports 0 rows for an in-place change; other engines report the copied rows'), () => {
    const added = table([ID, V10, col('w', { name: 'INT' })]);
    expect(reportedAlterRows(input(added), 7n)).toBe(0n);
    expect(reportedAlterRows(input(table([col('id', { name: 'BIGINT' }, { nullable: false }), V10])), 7n)).toBe(7n);
    const memOld = table([ID, V10], [pk], 'MEMORY');
    const memNew = table([ID, V10, col('w', { name: 'INT' })], [pk], 'MEMORY');
    expect(reportedAlterRows(input(memNew, { old: memOld }), 7n)).toBe(7n);
  });
});

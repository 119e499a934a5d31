/**
 * Building blocks for computed tables: column definitions in the types information_schema uses
 * (VARCHAR in utf8mb3, BIGINT UNSIGNED, DATETIME, ENUM-like VARCHARs) and a factory for
 * {@link VirtualTable}s with negative dictionary ids (they never collide with stored tables).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-introduction.html
 * @req CORE-IS-001
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { VirtualTable, VirtualTableContext } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';

let nextVirtualId = -1;

export type ColKind = 'str' | 'uint' | 'int' | 'datetime' | 'text' | 'int32' | 'uint32' | 'float';

export interface VCol {
  name: string;
  kind: ColKind;
  length?: number;
  nullable?: boolean;
  /** Fractional-second digits of a datetime column (information_schema.TRIGGERS.CREATED: 2). */
  fsp?: number;
}

export function s(name: string, length = 64, nullable = false): VCol {
  return { name, kind: 'str', length, nullable };
}
export function u(name: string, nullable = true): VCol {
  return { name, kind: 'uint', nullable };
}
export function i(name: string, nullable = true): VCol {
  return { name, kind: 'int', nullable };
}
export function dt(name: string, fsp = 0): VCol {
  return fsp > 0 ? { name, kind: 'datetime', nullable: true, fsp } : { name, kind: 'datetime', nullable: true };
}
export function t(name: string, nullable = true): VCol {
  return { name, kind: 'text', nullable };
}
/** INT / INT UNSIGNED / FLOAT columns (the InnoDB tables use MySQL's 32-bit and float types). */
export function i32(name: string, nullable = false): VCol {
  return { name, kind: 'int32', nullable };
}
export function u32(name: string, nullable = false): VCol {
  return { name, kind: 'uint32', nullable };
}
export function f(name: string, nullable = true): VCol {
  return { name, kind: 'float', nullable };
}

function columnDef(c: VCol): ColumnDef {
  const base = { name: c.name, nullable: c.nullable ?? false, autoIncrement: false, comment: '' };
  switch (c.kind) {
    case 'str':
      return { ...base, type: { name: 'VARCHAR', length: c.length ?? 64 }, charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
    case 'text':
      return { ...base, type: { name: 'LONGTEXT' }, charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
    case 'uint':
      return { ...base, type: { name: 'BIGINT', unsigned: true } };
    case 'int':
      return { ...base, type: { name: 'BIGINT' } };
    case 'datetime':
      return { ...base, type: c.fsp ? { name: 'DATETIME', scale: c.fsp } : { name: 'DATETIME' } };
    case 'int32':
      return { ...base, type: { name: 'INT' } };
    case 'uint32':
      return { ...base, type: { name: 'INT', unsigned: true } };
    case 'float':
      return { ...base, type: { name: 'FLOAT' } };
  }
}

export function virtualTable(
  schema: string,
  name: string,
  cols: VCol[],
  rows: (ctx: VirtualTableContext) => Iterable<Row>,
  engine = 'MEMORY',
): VirtualTable {
  return computedTable(schema, name, cols.map(columnDef), rows, { engine, charset: 'utf8mb3', collation: 'utf8mb3_general_ci' });
}

/**
 * A computed table from full column definitions (performance_schema's tables use MySQL's own
 * types). Every computed table takes its id from the one counter here, so ids never collide.
 */
export function computedTable(
  schema: string,
  name: string,
  columns: ColumnDef[],
  rows: (ctx: VirtualTableContext) => Iterable<Row>,
  opts: { engine: string; charset: string; collation: string },
): VirtualTable {
  const def: TableDef = {
    id: nextVirtualId--,
    schema,
    name,
    engine: opts.engine,
    columns,
    indexes: [],
    charset: opts.charset,
    collation: opts.collation,
    comment: '',
    options: {},
    autoIncrementStart: 1n,
    temporary: false,
    createTime: Date.now(),
  };
  return { def, rows };
}

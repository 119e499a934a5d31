/**
 * Column definitions of performance_schema tables, in the types MySQL 8.0 declares them with
 * (BIGINT UNSIGNED, VARCHAR in utf8mb4, ENUM('YES','NO'), TIMESTAMP(6), LONGTEXT), and the
 * factory of a computed table from them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-table-characteristics.html
 * @req CORE-PFS-001
 */
import { computedTable } from '../infoschema/define.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import type { VirtualTable, VirtualTableContext } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';

const TEXT = { charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' } as const;

function base(name: string, nullable: boolean): Pick<ColumnDef, 'name' | 'nullable' | 'autoIncrement' | 'comment'> {
  return { name, nullable, autoIncrement: false, comment: '' };
}

/** BIGINT UNSIGNED. */
export function ubig(name: string, nullable = false): ColumnDef {
  return { ...base(name, nullable), type: { name: 'BIGINT', unsigned: true } };
}
/** BIGINT (signed). */
export function big(name: string, nullable = true): ColumnDef {
  return { ...base(name, nullable), type: { name: 'BIGINT' } };
}
/** INT (signed). */
export function int(name: string, nullable = true): ColumnDef {
  return { ...base(name, nullable), type: { name: 'INT' } };
}
export function varchar(name: string, length: number, nullable = true): ColumnDef {
  return { ...base(name, nullable), type: { name: 'VARCHAR', length }, ...TEXT };
}
export function char(name: string, length: number, nullable = false): ColumnDef {
  return { ...base(name, nullable), type: { name: 'CHAR', length }, ...TEXT };
}
export function longtext(name: string, nullable = true): ColumnDef {
  return { ...base(name, nullable), type: { name: 'LONGTEXT' }, ...TEXT };
}
export function enumCol(name: string, values: string[], nullable = false): ColumnDef {
  return { ...base(name, nullable), type: { name: 'ENUM', values }, ...TEXT };
}
export function setCol(name: string, values: string[], nullable = false): ColumnDef {
  return { ...base(name, nullable), type: { name: 'SET', values }, ...TEXT };
}
export function yesNo(name: string, nullable = false): ColumnDef {
  return enumCol(name, ['YES', 'NO'], nullable);
}
export function timestamp6(name: string, nullable = false): ColumnDef {
  return { ...base(name, nullable), type: { name: 'TIMESTAMP', scale: 6 } };
}

/** A performance_schema table whose rows are computed at each read. @req CORE-PFS-001 */
export function pfsTable(name: string, columns: ColumnDef[], rows: (ctx: VirtualTableContext) => Iterable<Row>): VirtualTable {
  return computedTable('performance_schema', name, columns, rows, { engine: 'PERFORMANCE_SCHEMA', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
}

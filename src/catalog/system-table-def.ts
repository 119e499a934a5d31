/**
 * Definitions of the tables the server keeps for itself in the `mysql` schema (the data
 * dictionary's tables, the grant tables): InnoDB tables with a primary key, written out in the
 * code as MySQL's are, since they describe everything else.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/system-schema.html (5.3)
 * @req CORE-DICT-015 CORE-DICT-019
 */
import type { ColumnType } from '../kernel/column-type.js';
import type { ColumnDef, TableDef } from '../kernel/table-def.js';
import type { Value } from '../kernel/value.js';

/** A column: NOT NULL unless `nullable`; a character type takes its charset and collation from `type`. */
export function systemColumn(name: string, type: ColumnType, nullable = false, dflt?: Value): ColumnDef {
  const c: ColumnDef = { name, type, nullable, autoIncrement: false, comment: '' };
  if (dflt !== undefined) c.default = dflt;
  if (type.charset) {
    c.charset = type.charset;
    c.collation = type.collation ?? `${type.charset}_bin`;
  }
  return c;
}

export interface SystemTableShape {
  id: number;
  name: string;
  columns: ColumnDef[];
  /** Column names of the primary key. */
  primaryKey: string[];
  charset: string;
  collation: string;
  comment?: string;
}

/** `mysql.<name>`, an InnoDB table (ROW_FORMAT=DYNAMIC, STATS_PERSISTENT=0) with its primary key. */
export function systemTableDef(t: SystemTableShape): TableDef {
  const parts = t.primaryKey.map((p) => ({ column: t.columns.findIndex((c) => c.name === p) }));
  return {
    id: t.id,
    schema: 'mysql',
    name: t.name,
    engine: 'InnoDB',
    columns: t.columns,
    indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts, comment: '', visible: true }],
    charset: t.charset,
    collation: t.collation,
    comment: t.comment ?? '',
    options: { STATS_PERSISTENT: '0', ROW_FORMAT: 'DYNAMIC' },
    autoIncrementStart: 1n,
    temporary: false,
    createTime: 0,
  };
}

/**
 * Table definitions for tests that talk to the catalog or to an engine directly: every field a
 * TableDef needs, with plain defaults, so that a test spells out only what it is about.
 */
import type { ColumnDef, TableDef } from '../../src/kernel/table-def.js';

/** A column of type `type` (INT unless given), nullable, no default. */
export function column(name: string, over: Partial<ColumnDef> = {}): ColumnDef {
  return { name, type: { name: 'INT' }, nullable: true, autoIncrement: false, comment: '', ...over };
}

/** Table `db.t` (id 1) of MEMORY with one INT column `id`, unless `over` says otherwise. */
export function tableDef(over: Partial<TableDef> = {}): TableDef {
  return {
    id: 1,
    schema: 'db',
    name: 't',
    engine: 'MEMORY',
    columns: [column('id')],
    indexes: [],
    charset: 'utf8mb4',
    collation: 'utf8mb4_0900_ai_ci',
    comment: '',
    options: {},
    autoIncrementStart: 1n,
    temporary: false,
    createTime: 0,
    ...over,
  };
}

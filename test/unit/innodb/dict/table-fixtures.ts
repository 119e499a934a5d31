/**
 * Small builders of resolved table definitions for the dictionary tests: the shapes the server's
 * table builder hands to an engine (charsets resolved, PRIMARY KEY columns NOT NULL, keys in the
 * server's order), written out by hand so the tests do not depend on the SQL layer.
 */
import type { ColumnType } from '../../../../src/kernel/column-type.js';
import type { ColumnDef, IndexDef, TableDef } from '../../../../src/kernel/table-def.js';

const TEXTUAL = new Set(['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET']);

export interface ColOpts {
  length?: number;
  scale?: number;
  charset?: string;
  notNull?: boolean;
  values?: string[];
  /** A VIRTUAL (false) or STORED (true) generated column. */
  generated?: boolean;
}

/** A column; textual columns default to utf8mb4, nullable unless `notNull`. */
export function col(name: string, type: ColumnType['name'], opts: ColOpts = {}): ColumnDef {
  const t: ColumnType = { name: type };
  if (opts.length !== undefined) t.length = opts.length;
  if (opts.scale !== undefined) t.scale = opts.scale;
  if (opts.values !== undefined) t.values = opts.values;
  const c: ColumnDef = { name, type: t, nullable: opts.notNull !== true, autoIncrement: false, comment: '' };
  if (TEXTUAL.has(type)) {
    c.charset = opts.charset ?? 'utf8mb4';
    c.collation = c.charset === 'latin1' ? 'latin1_swedish_ci' : c.charset === 'utf8mb4' ? 'utf8mb4_0900_ai_ci' : `${c.charset}_general_ci`;
  }
  if (opts.generated !== undefined) c.generated = { expr: '1', stored: opts.generated };
  return c;
}

/** A key part: a column position, or [position, prefix length]. */
export type PartSpec = number | [number, number];

export function key(kind: IndexDef['kind'], name: string, parts: PartSpec[]): IndexDef {
  return {
    name,
    kind,
    algorithm: kind === 'FULLTEXT' ? 'FULLTEXT' : kind === 'SPATIAL' ? 'SPATIAL' : 'BTREE',
    parts: parts.map((p) => (typeof p === 'number' ? { column: p } : { column: p[0], length: p[1] })),
    comment: '',
    visible: true,
  };
}

export interface TableOpts {
  options?: Record<string, string>;
  temporary?: boolean;
  name?: string;
}

/** A table `t1` in schema `test` with the given columns and keys. */
export function table(columns: ColumnDef[], indexes: IndexDef[] = [], opts: TableOpts = {}): TableDef {
  // PRIMARY KEY columns are NOT NULL, as the server's builder makes them.
  for (const i of indexes) if (i.kind === 'PRIMARY') for (const p of i.parts) columns[p.column]!.nullable = false;
  return {
    id: 1,
    schema: 'test',
    name: opts.name ?? 't1',
    engine: 'InnoDB',
    columns,
    indexes,
    charset: 'utf8mb4',
    collation: 'utf8mb4_0900_ai_ci',
    comment: '',
    options: opts.options ?? {},
    autoIncrementStart: 1n,
    temporary: opts.temporary ?? false,
    createTime: 0,
  };
}

/** `n` columns c1..cn made by `make`. */
export function cols(n: number, make: (name: string) => ColumnDef): ColumnDef[] {
  return Array.from({ length: n }, (_, i) => make(`c${i + 1}`));
}

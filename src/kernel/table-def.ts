/**
 * The data dictionary's description of a table: what the catalog persists and what engines
 * receive. Engines never parse SQL; they get a resolved TableDef.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @req CORE-CAT-001
 */
import type { ColumnType } from './column-type.js';
import type { Value } from './value.js';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** Literal default, already converted to the column type; undefined = no DEFAULT clause. */
  default?: Value;
  /** Default given as an expression (CURRENT_TIMESTAMP or `(expr)`); source text, re-parsed on use. */
  defaultExpr?: string;
  onUpdateNow?: boolean;
  autoIncrement: boolean;
  comment: string;
  /** Resolved charset/collation for text columns (always set for CHAR/VARCHAR/TEXT/ENUM/SET). */
  charset?: string;
  collation?: string;
  /** Generated column: expression text and whether STORED. */
  generated?: { expr: string; stored: boolean };
  invisible?: boolean;
}

export interface IndexPart {
  /** Column position in TableDef.columns. */
  column: number;
  /** Prefix length in characters (strings) or bytes (binary strings). */
  length?: number;
  desc?: boolean;
}

export interface IndexDef {
  name: string; // 'PRIMARY' for the primary key
  kind: 'PRIMARY' | 'UNIQUE' | 'INDEX' | 'FULLTEXT' | 'SPATIAL';
  /** Index algorithm as shown by SHOW INDEX: BTREE, HASH, FULLTEXT, SPATIAL. */
  algorithm: 'BTREE' | 'HASH' | 'FULLTEXT' | 'SPATIAL' | 'RTREE';
  parts: IndexPart[];
  comment: string;
  visible: boolean;
  /** USING HASH/BTREE was written explicitly (SHOW CREATE TABLE prints it only then). */
  explicitAlgorithm?: boolean;
}

/** What a foreign key does to referencing rows when the referenced row is deleted or its key updated. */
export type ForeignKeyRule = 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'NO ACTION' | 'SET DEFAULT';

/**
 * A FOREIGN KEY constraint of a (child) table, resolved for engines that enforce foreign keys:
 * the referencing columns by position, the referenced (parent) table and its columns by name.
 * The parent is named, not pointed to: with foreign_key_checks=0 it may not exist yet, and a
 * parent that is dropped and created again is the parent again. The catalog keeps an index of
 * the children of every parent (Catalog.referencedBy).
 */
export interface ForeignKeyDef {
  name: string;
  /** Referencing columns: positions in TableDef.columns. */
  columns: number[];
  refSchema: string;
  refTable: string;
  /** Referenced columns of the parent, by name, in the order of `columns`. */
  refColumns: string[];
  onDelete: ForeignKeyRule;
  onUpdate: ForeignKeyRule;
}

export interface TableDef {
  /** Stable id assigned by the catalog (used for file names like t_<id>.sdi where needed). */
  id: number;
  schema: string;
  name: string;
  /** Canonical engine name as shown by SHOW ENGINES ('MEMORY', 'InnoDB', 'MyISAM', ...). */
  engine: string;
  columns: ColumnDef[];
  indexes: IndexDef[];
  charset: string;
  collation: string;
  comment: string;
  /** Remaining table options as written (MAX_ROWS, ROW_FORMAT, CONNECTION, UNION, ...). */
  options: Record<string, string>;
  /** Initial AUTO_INCREMENT value from the table option (default 1). */
  autoIncrementStart: bigint;
  temporary: boolean;
  /** Creation time (ms since epoch), for SHOW TABLE STATUS / information_schema.TABLES. */
  createTime: number;
  updateTime?: number;
  /** FOREIGN KEY constraints (only on engines that support foreign keys). */
  foreignKeys?: ForeignKeyDef[];
  /** CHECK constraints: expression text as written. */
  checks?: { name: string; expr: string; enforced: boolean }[];
  /** Triggers of the table, in action order (FOLLOWS / PRECEDES). @req CORE-TRG-003 */
  triggers?: TriggerDef[];
}

/** A trigger as the data dictionary keeps it (plain JSON: it is stored with its table). @req CORE-TRG-003 */
export interface TriggerDef {
  name: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** The body text as written. */
  body: string;
  /** `user`@`host`. */
  definer: string;
  sqlMode: string;
  /** Creation time, ms since the epoch (centiseconds are shown). */
  created: number;
  characterSetClient: string;
  collationConnection: string;
  databaseCollation: string;
}

export interface SchemaDef {
  name: string;
  charset: string;
  collation: string;
  readOnly?: boolean;
}

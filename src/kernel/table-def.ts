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
  /** Table-level FOREIGN KEY and CHECK definitions kept as text for SHOW CREATE TABLE. */
  foreignKeys?: { name: string; text: string }[];
  checks?: { name: string; expr: string; enforced: boolean }[];
}

export interface SchemaDef {
  name: string;
  charset: string;
  collation: string;
  readOnly?: boolean;
}

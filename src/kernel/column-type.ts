/**
 * Declared column types (what CREATE TABLE says) and the MySQL wire type codes and column
 * flags that the protocol reports for result-set columns.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * @req CORE-TYPE-002
 */

export type TypeName =
  | 'TINYINT' | 'SMALLINT' | 'MEDIUMINT' | 'INT' | 'BIGINT'
  | 'DECIMAL' | 'FLOAT' | 'DOUBLE' | 'BIT'
  | 'CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY'
  | 'TINYTEXT' | 'TEXT' | 'MEDIUMTEXT' | 'LONGTEXT'
  | 'TINYBLOB' | 'BLOB' | 'MEDIUMBLOB' | 'LONGBLOB'
  | 'ENUM' | 'SET'
  | 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP' | 'YEAR'
  | 'JSON' | 'GEOMETRY' | 'NULL';

/** A declared type. Aliases (INTEGER, BOOL, REAL, NUMERIC, ...) are normalised by the parser. */
export interface ColumnType {
  name: TypeName;
  /** Display width (integers), M (DECIMAL, FLOAT(M,D), CHAR(M), VARCHAR(M), BIT(M), BINARY(M)). */
  length?: number;
  /** D for DECIMAL/FLOAT/DOUBLE; fsp for TIME/DATETIME/TIMESTAMP. */
  scale?: number;
  unsigned?: boolean;
  zerofill?: boolean;
  /** Character set / collation for text types (resolved against table/schema defaults by the executor). */
  charset?: string;
  collation?: string;
  /** ENUM / SET members, in declaration order. */
  values?: string[];
  /** SRID for GEOMETRY columns. */
  srid?: number;
  /** Geometry subtype of a GEOMETRY column (POINT, LINESTRING, ...); absent = any geometry (CORE-GIS-001). */
  geometry?: 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON' | 'GEOMETRYCOLLECTION';
}

/** MySQL protocol column type codes (enum_field_types). */
export const MysqlType = {
  DECIMAL: 0x00,
  TINY: 0x01,
  SHORT: 0x02,
  LONG: 0x03,
  FLOAT: 0x04,
  DOUBLE: 0x05,
  NULL: 0x06,
  TIMESTAMP: 0x07,
  LONGLONG: 0x08,
  INT24: 0x09,
  DATE: 0x0a,
  TIME: 0x0b,
  DATETIME: 0x0c,
  YEAR: 0x0d,
  NEWDATE: 0x0e,
  VARCHAR: 0x0f,
  BIT: 0x10,
  JSON: 0xf5,
  NEWDECIMAL: 0xf6,
  ENUM: 0xf7,
  SET: 0xf8,
  TINY_BLOB: 0xf9,
  MEDIUM_BLOB: 0xfa,
  LONG_BLOB: 0xfb,
  BLOB: 0xfc,
  VAR_STRING: 0xfd,
  STRING: 0xfe,
  GEOMETRY: 0xff,
} as const;
export type MysqlTypeCode = (typeof MysqlType)[keyof typeof MysqlType];

/** Column definition flags (column_definition_flags). */
export const ColumnFlag = {
  NOT_NULL: 1,
  PRI_KEY: 2,
  UNIQUE_KEY: 4,
  MULTIPLE_KEY: 8,
  BLOB: 16,
  UNSIGNED: 32,
  ZEROFILL: 64,
  BINARY: 128,
  ENUM: 256,
  AUTO_INCREMENT: 512,
  TIMESTAMP: 1024,
  SET: 2048,
  NO_DEFAULT_VALUE: 4096,
  ON_UPDATE_NOW: 8192,
  /** The column is part of some index. @req CORE-DIAG-030 */
  PART_KEY: 16384,
  NUM: 32768,
} as const;

/**
 * Metadata of one result-set column as sent in a ColumnDefinition41 packet.
 * Produced by the executor, encoded by the protocol.
 */
export interface ResultColumn {
  /** Schema of the underlying table, '' for expressions. */
  schema: string;
  /** Table alias as written in the query, '' for expressions. */
  table: string;
  /** Underlying table name, '' for expressions. */
  orgTable: string;
  /** Column alias (what the client sees as the column name). */
  name: string;
  /** Underlying column name, '' for expressions. */
  orgName: string;
  /** Character set / collation id: 63 (binary) for numbers and binary strings, 255 for utf8mb4_0900_ai_ci. */
  charsetId: number;
  /** Maximum display length in bytes (column_length). */
  length: number;
  type: MysqlTypeCode;
  flags: number;
  /** Number of decimals: 0x1f for variable (e.g. DOUBLE expressions), 0..30 otherwise. */
  decimals: number;
}

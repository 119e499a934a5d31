/**
 * A column's type as InnoDB's own dictionary records it: the main type (MTYPE), the precise
 * type (PRTYPE: the MySQL field type in the low byte, flags, and the collation id in the high
 * half) and the stored length in bytes (LEN). INFORMATION_SCHEMA.INNODB_COLUMNS shows these.
 *
 * MTYPE numbers and PRTYPE flags are InnoDB's (data0type.h): 1 VARCHAR (latin1), 2 CHAR
 * (latin1), 3 FIXBINARY, 4 BINARY, 5 BLOB, 6 INT, 9 FLOAT, 10 DOUBLE, 12 VARMYSQL (other
 * character sets), 13 MYSQL, 14 GEOMETRY; flags 256 NOT NULL, 512 UNSIGNED, 1024 binary
 * comparison (numbers and binary strings), 4096 a VARCHAR whose length needs two bytes. Integers,
 * dates, ENUM, SET and YEAR are INT-like; DECIMAL, BIT and the fractional-second temporal types
 * are fixed binary.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-innodb-columns-table.html
 * @req INNODB-MON-107
 */
import { collationId, maxBytesPerChar } from '../../../kernel/charset/index.js';
import { MysqlType } from '../../../kernel/column-type.js';
import type { ColumnDef } from '../../../kernel/table-def.js';

/** InnoDB main types (MTYPE). INNODB-MON-107 */
export const DATA_VARCHAR = 1;
export const DATA_CHAR = 2;
export const DATA_FIXBINARY = 3;
export const DATA_BINARY = 4;
export const DATA_BLOB = 5;
export const DATA_INT = 6;
export const DATA_FLOAT = 9;
export const DATA_DOUBLE = 10;
export const DATA_VARMYSQL = 12;
export const DATA_MYSQL = 13;
export const DATA_GEOMETRY = 14;
/** PRTYPE flags. INNODB-MON-107 */
export const DATA_NOT_NULL = 256;
export const DATA_UNSIGNED = 512;
export const DATA_BINARY_TYPE = 1024;
export const DATA_LONG_TRUE_VARCHAR = 4096;
/** The binary pseudo-charset's collation id. */
const BINARY_COLLATION_ID = 63;
/** The latin1 collations (latin1 strings get the latin1-only main types). */
const LATIN1 = 'latin1';

export interface InnodbColumnType {
  readonly mtype: number;
  readonly prtype: number;
  readonly len: number;
}

const INT_BYTES: Record<string, [number, number]> = {
  TINYINT: [1, MysqlType.TINY],
  SMALLINT: [2, MysqlType.SHORT],
  MEDIUMINT: [3, MysqlType.INT24],
  INT: [4, MysqlType.LONG],
  BIGINT: [8, MysqlType.LONGLONG],
};

const BLOB_BYTES: Record<string, number> = { TINYTEXT: 9, TINYBLOB: 9, TEXT: 10, BLOB: 10, MEDIUMTEXT: 11, MEDIUMBLOB: 11, LONGTEXT: 12, LONGBLOB: 12, JSON: 12, GEOMETRY: 12 };

/** Bytes of a packed DECIMAL(M, D) (nine digits per four bytes). */
function decimalBytes(m: number, d: number): number {
  const dig = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
  const part = (n: number): number => Math.floor(n / 9) * 4 + dig[n % 9]!;
  return part(m - d) + part(d);
}

/** The column's MTYPE / PRTYPE / LEN. @req INNODB-MON-107 */
export function innodbColumnType(col: ColumnDef): InnodbColumnType {
  const t = col.type;
  const notNull = col.nullable ? 0 : DATA_NOT_NULL;
  const unsigned = t.unsigned ? DATA_UNSIGNED : 0;
  const fsp = t.scale ?? 0;
  const coll = col.collation ?? t.collation;
  const charset = col.charset ?? t.charset ?? 'utf8mb4';
  const binaryCs = charset === 'binary';
  const collBits = (binaryCs ? BINARY_COLLATION_ID : collationId(coll)) * 65536;
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': {
      const [len, code] = INT_BYTES[t.name]!;
      return { mtype: DATA_INT, prtype: code | DATA_BINARY_TYPE | unsigned | notNull, len };
    }
    case 'FLOAT':
      return { mtype: DATA_FLOAT, prtype: MysqlType.FLOAT | DATA_BINARY_TYPE | unsigned | notNull, len: 4 };
    case 'DOUBLE':
      return { mtype: DATA_DOUBLE, prtype: MysqlType.DOUBLE | DATA_BINARY_TYPE | unsigned | notNull, len: 8 };
    case 'DECIMAL':
      return { mtype: DATA_FIXBINARY, prtype: MysqlType.NEWDECIMAL | DATA_BINARY_TYPE | unsigned | notNull, len: decimalBytes(t.length ?? 10, t.scale ?? 0) };
    case 'BIT':
      return { mtype: DATA_FIXBINARY, prtype: MysqlType.BIT | DATA_BINARY_TYPE | DATA_UNSIGNED | notNull, len: Math.ceil((t.length ?? 1) / 8) };
    case 'DATE':
      return { mtype: DATA_INT, prtype: MysqlType.NEWDATE | DATA_BINARY_TYPE | DATA_UNSIGNED | notNull, len: 3 };
    case 'YEAR':
      return { mtype: DATA_INT, prtype: MysqlType.YEAR | DATA_BINARY_TYPE | DATA_UNSIGNED | notNull, len: 1 };
    case 'TIME':
      return { mtype: DATA_FIXBINARY, prtype: 19 | DATA_BINARY_TYPE | notNull, len: 3 + Math.ceil(fsp / 2) };
    case 'DATETIME':
      return { mtype: DATA_FIXBINARY, prtype: 18 | DATA_BINARY_TYPE | notNull, len: 5 + Math.ceil(fsp / 2) };
    case 'TIMESTAMP':
      return { mtype: DATA_FIXBINARY, prtype: 17 | DATA_BINARY_TYPE | notNull, len: 4 + Math.ceil(fsp / 2) };
    case 'ENUM':
      return { mtype: DATA_INT, prtype: MysqlType.STRING | DATA_UNSIGNED | notNull, len: (t.values?.length ?? 0) > 255 ? 2 : 1 };
    case 'SET': {
      const n = t.values?.length ?? 0;
      const len = n <= 8 ? 1 : n <= 16 ? 2 : n <= 24 ? 3 : n <= 32 ? 4 : 8;
      return { mtype: DATA_INT, prtype: MysqlType.STRING | DATA_UNSIGNED | notNull, len };
    }
    case 'CHAR': case 'BINARY': {
      const bin = binaryCs || t.name === 'BINARY';
      const len = (t.length ?? 1) * (bin ? 1 : maxBytesPerChar(charset));
      const mtype = bin ? DATA_FIXBINARY : charset === LATIN1 ? DATA_CHAR : DATA_MYSQL;
      return { mtype, prtype: MysqlType.STRING | (bin ? DATA_BINARY_TYPE | BINARY_COLLATION_ID * 65536 : collBits) | notNull, len };
    }
    case 'VARCHAR': case 'VARBINARY': {
      const bin = binaryCs || t.name === 'VARBINARY';
      const len = (t.length ?? 1) * (bin ? 1 : maxBytesPerChar(charset));
      const mtype = bin ? DATA_BINARY : charset === LATIN1 ? DATA_VARCHAR : DATA_VARMYSQL;
      const long = len > 255 ? DATA_LONG_TRUE_VARCHAR : 0;
      return { mtype, prtype: MysqlType.VARCHAR | (bin ? DATA_BINARY_TYPE | BINARY_COLLATION_ID * 65536 : collBits) | long | notNull, len };
    }
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT':
      return { mtype: DATA_BLOB, prtype: MysqlType.BLOB | collBits | notNull, len: BLOB_BYTES[t.name]! };
    case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
      return { mtype: DATA_BLOB, prtype: MysqlType.BLOB | DATA_BINARY_TYPE | BINARY_COLLATION_ID * 65536 | notNull, len: BLOB_BYTES[t.name]! };
    case 'JSON':
      return { mtype: DATA_BLOB, prtype: MysqlType.JSON | DATA_BINARY_TYPE | BINARY_COLLATION_ID * 65536 | notNull, len: BLOB_BYTES.JSON! };
    case 'GEOMETRY':
      return { mtype: DATA_GEOMETRY, prtype: MysqlType.GEOMETRY | DATA_BINARY_TYPE | BINARY_COLLATION_ID * 65536 | notNull, len: BLOB_BYTES.GEOMETRY! };
    default:
      return { mtype: DATA_BINARY, prtype: DATA_BINARY_TYPE | notNull, len: 0 };
  }
}

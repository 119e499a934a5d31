/**
 * Byte sizes of columns and key parts in MySQL's fixed record format: what a row costs in a
 * fixed-length engine (MEMORY) and how long an index key is (for the 1071 key-length limit).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-requirements.html
 * @req MEMORY-032 MEMORY-051 MEMORY-102
 */
import type { ColumnDef, IndexDef, IndexPart, TableDef } from './table-def.js';
import { maxBytesPerChar as charsetMaxBytes } from './charset/index.js';

/** Bytes per character of a column's charset (1 when it has none). */
function maxBytesPerChar(charset: string | undefined): number {
  return charset ? charsetMaxBytes(charset) : 1;
}

const DEC_LEFTOVER = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

function decimalBytes(m: number, d: number): number {
  const intg = m - d;
  const part = (digits: number): number => Math.floor(digits / 9) * 4 + DEC_LEFTOVER[digits % 9]!;
  return part(intg) + part(d);
}

function fspBytes(fsp: number): number {
  return Math.floor((fsp + 1) / 2);
}

/** Whether a column type is stored out of row in MySQL (BLOB/TEXT/JSON/GEOMETRY). */
export function isBlobLike(col: ColumnDef): boolean {
  switch (col.type.name) {
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT':
    case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
    case 'JSON': case 'GEOMETRY':
      return true;
    default:
      return false;
  }
}

export function isTextual(col: ColumnDef): boolean {
  switch (col.type.name) {
    case 'CHAR': case 'VARCHAR': case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT':
    case 'ENUM': case 'SET':
      return true;
    default:
      return false;
  }
}

/** Bytes of the column's data in the record, excluding length prefixes. */
export function dataBytes(col: ColumnDef): number {
  const t = col.type;
  const len = t.length ?? 0;
  switch (t.name) {
    case 'TINYINT': return 1;
    case 'SMALLINT': return 2;
    case 'MEDIUMINT': return 3;
    case 'INT': return 4;
    case 'BIGINT': return 8;
    case 'FLOAT': return 4;
    case 'DOUBLE': return 8;
    case 'DECIMAL': return decimalBytes(t.length ?? 10, t.scale ?? 0);
    case 'BIT': return Math.floor(((t.length ?? 1) + 7) / 8);
    case 'CHAR': return (t.length ?? 1) * maxBytesPerChar(col.charset);
    case 'VARCHAR': return len * maxBytesPerChar(col.charset);
    case 'BINARY': return t.length ?? 1;
    case 'VARBINARY': return len;
    case 'ENUM': return (t.values?.length ?? 0) > 255 ? 2 : 1;
    case 'SET': {
      const n = Math.floor(((t.values?.length ?? 0) + 7) / 8);
      return n > 4 ? 8 : n === 0 ? 1 : n;
    }
    case 'DATE': return 3;
    case 'TIME': return 3 + fspBytes(t.scale ?? 0);
    case 'DATETIME': return 5 + fspBytes(t.scale ?? 0);
    case 'TIMESTAMP': return 4 + fspBytes(t.scale ?? 0);
    case 'YEAR': return 1;
    case 'TINYBLOB': case 'TINYTEXT': return 9;
    case 'BLOB': case 'TEXT': return 10;
    case 'MEDIUMBLOB': case 'MEDIUMTEXT': return 11;
    case 'LONGBLOB': case 'LONGTEXT': case 'JSON': case 'GEOMETRY': return 12;
    default: return 0;
  }
}

/** Bytes the column takes in the fixed-length record (data plus VARCHAR length prefix). */
export function packBytes(col: ColumnDef): number {
  const d = dataBytes(col);
  if (col.type.name === 'VARCHAR' || col.type.name === 'VARBINARY') return d + (d > 255 ? 2 : 1);
  return d;
}

/** Fixed record length: null bitmap plus every column's packed size. */
export function recordLength(def: TableDef): number {
  let nullable = 0;
  let bytes = 0;
  for (const c of def.columns) {
    if (c.nullable) nullable++;
    bytes += packBytes(c);
  }
  return Math.ceil(nullable / 8) + bytes;
}

/** Bytes one key part contributes to the key length checked against the engine maximum (1071). */
export function keyPartBytes(col: ColumnDef, part: IndexPart): number {
  if (part.length !== undefined && isTextual(col)) return part.length * maxBytesPerChar(col.charset);
  if (part.length !== undefined) return part.length;
  return dataBytes(col);
}

/** Key length for the 1071 check. */
export function keyLength(def: TableDef, idx: IndexDef): number {
  let n = 0;
  for (const p of idx.parts) n += keyPartBytes(def.columns[p.column]!, p);
  return n;
}

/** Stored key length (with null flags and length prefixes), as used by the MEMORY row formula. */
export function storedKeyLength(def: TableDef, idx: IndexDef): number {
  let n = 0;
  for (const p of idx.parts) {
    const col = def.columns[p.column]!;
    n += keyPartBytes(col, p);
    if (col.nullable) n += 1;
    if (col.type.name === 'VARCHAR' || col.type.name === 'VARBINARY' || isBlobLike(col)) n += 2;
  }
  return n;
}

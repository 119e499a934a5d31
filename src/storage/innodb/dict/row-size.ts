/**
 * Row sizes of a table definition, the two ways MySQL measures them when a table is created:
 *
 * 1. The server's declared row size, the same for every engine (INNODB-LIMIT-012): a null bitmap
 *    plus each column's storage length. It must not exceed 65,535 bytes. BLOB, TEXT, JSON and
 *    GEOMETRY count only their length bytes and an 8-byte pointer (9 to 12 bytes), because their
 *    values live outside the row.
 *
 * 2. InnoDB's worst-case record size of each index (INNODB-LIMIT-009, INNODB-LIMIT-011): the
 *    largest record the index could ever have to store in a page, which must stay below about
 *    half a page. A variable-length column of the clustered index that can be longer than
 *    40 bytes may be moved off-page when a row is too long, so it is counted as 40 bytes plus
 *    one length byte in every row format: only fixed-length columns and short variable-length
 *    ones can make a table too wide. (REDUNDANT and COMPACT keep a 768-byte prefix of an
 *    off-page column inline, which can make a particular row too long at INSERT time; the
 *    CREATE-time check does not count that prefix, and neither does this one.)
 *
 * Both follow MySQL 8.0's code, not the manual's round numbers: the server formula is
 * mysql_prepare_create_table's reclength (sql/sql_table.cc), the InnoDB one is
 * dict_index_too_big_for_tree (storage/innobase/dict/dict0dict.cc), field by field.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/column-count-limit.html (8.4.7 Row Size Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @req INNODB-LIMIT-009 INNODB-LIMIT-011 INNODB-LIMIT-012 INNODB-LIMIT-102
 */
import { dataBytes, isBlobLike, keyPartBytes, packBytes } from '../../../kernel/column-size.js';
import { maxBytesPerChar } from '../../../kernel/charset/index.js';
import type { ColumnDef, IndexDef, IndexPart, TableDef } from '../../../kernel/table-def.js';
import {
  BTR_EXTERN_LOCAL_STORED_MAX_SIZE,
  DATA_ROLL_PTR_LEN,
  DATA_ROW_ID_LEN,
  DATA_TRX_ID_LEN,
  DICT_MAX_FIXED_COL_LEN,
  FTS_DOC_ID_COLUMN,
  GEN_CLUST_INDEX_NAME,
  REC_N_NEW_EXTRA_BYTES,
  REC_N_OLD_EXTRA_BYTES,
  REC_NODE_PTR_SIZE,
  maxCompressedRecordSize,
  maxRecordSize,
} from '../limits.js';

// ---------------------------------------------------------------------------------------------
// 1. The server's declared row size (INNODB-LIMIT-012)

/**
 * How a table's ROW_FORMAT option, as written, affects the server's count: an explicit DYNAMIC
 * and any VARCHAR or BLOB column make the record "packed"; FIXED keeps VARCHAR from doing so.
 * DEFAULT stands for no ROW_FORMAT at all.
 */
export type DeclaredRowType = 'DEFAULT' | 'DYNAMIC' | 'COMPACT' | 'REDUNDANT' | 'COMPRESSED' | 'FIXED';

/**
 * The bytes a column takes in the server's record (its pack length): numbers and temporal types
 * their storage size; CHAR(n) n x the charset's maximum bytes per character; VARCHAR(n) that plus
 * 1 length byte, or 2 when the byte length exceeds 255; BLOB-like types their length bytes
 * (1 to 4) plus an 8-byte pointer. Virtual generated columns count too.
 */
export function serverPackLength(col: ColumnDef): number {
  return packBytes(col);
}

/**
 * The declared row size the server compares with 65,535 (INNODB-LIMIT-012): one bit per nullable
 * column, plus one "deleted" bit when the record is not packed, rounded up to bytes, plus every
 * column's pack length. BIT columns take whole bytes in InnoDB (it does not keep BIT remainders
 * in the null bitmap, as MyISAM does).
 */
export function declaredRowSize(def: TableDef, rowType: DeclaredRowType): number {
  let packed = rowType === 'DYNAMIC';
  let nullBits = 0;
  let bytes = 0;
  for (const col of def.columns) {
    if (col.nullable) nullBits++;
    if (isBlobLike(col)) packed = true;
    if ((col.type.name === 'VARCHAR' || col.type.name === 'VARBINARY') && rowType !== 'FIXED') packed = true;
    bytes += serverPackLength(col);
  }
  if (!packed) nullBits++;
  return Math.ceil(nullBits / 8) + bytes;
}

// ---------------------------------------------------------------------------------------------
// 2. InnoDB's worst-case record size of an index (INNODB-LIMIT-009)

/** One field of an index record as the record-size check sees it. */
export interface IndexField {
  /** The column's name, or a system column's (DB_ROW_ID, DB_TRX_ID, DB_ROLL_PTR, FTS_DOC_ID). */
  name: string;
  /** The column's fixed length in this row format; 0 when it is variable-length. */
  columnFixedLen: number;
  /** Whether the index stores the field as fixed-length (long fixed columns are stored as variable). */
  storedFixed: boolean;
  /** The longest value in bytes; Infinity for BLOB, TEXT, JSON and GEOMETRY. */
  maxLen: number;
  /** Bytes of a column prefix, 0 when the whole column is indexed. */
  prefixLen: number;
  nullable: boolean;
}

/** The record layout of one index. */
export interface IndexLayout {
  name: string;
  clustered: boolean;
  fields: IndexField[];
  /** Fields that node-pointer records carry: the key of a clustered index, all fields otherwise. */
  nUniqueInTree: number;
}

/**
 * A column's fixed length in InnoDB (dict_col_get_fixed_size): numbers, temporal types, ENUM,
 * SET, BIT and BINARY always; CHAR when its charset has one byte per character, or in REDUNDANT,
 * which stores CHAR padded to the maximum. CHAR in a multi-byte charset is variable-length in the
 * COMPACT family. Every charset we support has a 1-byte minimum, so "fixed width" means maxlen 1.
 */
export function innodbFixedSize(col: ColumnDef, compact: boolean): number {
  switch (col.type.name) {
    case 'CHAR': {
      const bytes = (col.type.length ?? 1) * maxBytesPerChar(col.charset ?? 'binary');
      return maxBytesPerChar(col.charset ?? 'binary') === 1 || !compact ? bytes : 0;
    }
    case 'VARCHAR': case 'VARBINARY':
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT':
    case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
    case 'JSON': case 'GEOMETRY': case 'NULL':
      return 0;
    default:
      return dataBytes(col);
  }
}

/** The longest value of a column in bytes (dict_col_get_max_size); Infinity for large objects. */
export function innodbMaxSize(col: ColumnDef): number {
  if (isBlobLike(col)) return Infinity;
  if (col.type.name === 'CHAR') return (col.type.length ?? 1) * maxBytesPerChar(col.charset ?? 'binary');
  return dataBytes(col);
}

function columnField(col: ColumnDef, compact: boolean, prefixLen: number): IndexField {
  const columnFixedLen = innodbFixedSize(col, compact);
  // A field is stored fixed-length when its column is, unless it is longer than 768 bytes: such
  // a column may need off-page storage, whose flag lives in the length bytes.
  const fieldFixed = columnFixedLen > 0 ? (prefixLen > 0 ? Math.min(prefixLen, columnFixedLen) : columnFixedLen) : 0;
  return {
    name: col.name,
    columnFixedLen,
    storedFixed: fieldFixed > 0 && fieldFixed <= DICT_MAX_FIXED_COL_LEN,
    maxLen: innodbMaxSize(col),
    prefixLen,
    nullable: col.nullable,
  };
}

function systemField(name: string, len: number): IndexField {
  return { name, columnFixedLen: len, storedFixed: true, maxLen: len, prefixLen: 0, nullable: false };
}

/** Bytes of a key part's prefix as InnoDB stores it (0 for a whole column). */
function prefixBytes(col: ColumnDef, part: IndexPart): number {
  return part.length === undefined ? 0 : keyPartBytes(col, part);
}

/**
 * The key that becomes the clustered index: the PRIMARY KEY, else the first UNIQUE key whose
 * parts are all NOT NULL whole columns (none of them virtual); undefined when InnoDB must add its
 * own row id (GEN_CLUST_INDEX). `def.indexes` is in the server's key order.
 */
export function clusteredKey(def: TableDef): IndexDef | undefined {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (pk) return pk;
  return def.indexes.find(
    (i) =>
      i.kind === 'UNIQUE' &&
      i.parts.every((p) => {
        const c = def.columns[p.column]!;
        return !c.nullable && p.length === undefined && !(c.generated && !c.generated.stored);
      }),
  );
}

function isStored(col: ColumnDef): boolean {
  return !(col.generated && !col.generated.stored);
}

/** Whether the table gets InnoDB's hidden FTS_DOC_ID column (a FULLTEXT index and no such column). */
function addsDocId(def: TableDef): boolean {
  return def.indexes.some((i) => i.kind === 'FULLTEXT') && !def.columns.some((c) => c.name.toUpperCase() === FTS_DOC_ID_COLUMN);
}

/**
 * The clustered index record (dict_index_build_internal_clust): the key's fields (or DB_ROW_ID),
 * DB_TRX_ID, DB_ROLL_PTR, then every stored column not already there as a whole column.
 */
export function clusteredIndexLayout(def: TableDef, compact: boolean): IndexLayout {
  const key = clusteredKey(def);
  const fields: IndexField[] = [];
  const whole = new Set<number>();
  if (key) {
    for (const p of key.parts) {
      const col = def.columns[p.column]!;
      const prefix = prefixBytes(col, p);
      fields.push(columnField(col, compact, prefix));
      if (prefix === 0) whole.add(p.column);
    }
  } else {
    fields.push(systemField('DB_ROW_ID', DATA_ROW_ID_LEN));
  }
  const nUnique = fields.length;
  fields.push(systemField('DB_TRX_ID', DATA_TRX_ID_LEN), systemField('DB_ROLL_PTR', DATA_ROLL_PTR_LEN));
  def.columns.forEach((col, i) => {
    if (!whole.has(i) && isStored(col)) fields.push(columnField(col, compact, 0));
  });
  if (addsDocId(def)) fields.push(systemField(FTS_DOC_ID_COLUMN, 8));
  return { name: key ? key.name : GEN_CLUST_INDEX_NAME, clustered: true, fields, nUniqueInTree: nUnique };
}

/**
 * A secondary index record (dict_index_build_internal_non_clust): the key's fields, then the
 * clustered key's columns that the key does not already hold whole (or DB_ROW_ID).
 */
export function secondaryIndexLayout(def: TableDef, idx: IndexDef, compact: boolean): IndexLayout {
  const fields: IndexField[] = [];
  const whole = new Set<number>();
  for (const p of idx.parts) {
    const col = def.columns[p.column]!;
    const prefix = prefixBytes(col, p);
    fields.push(columnField(col, compact, prefix));
    if (prefix === 0) whole.add(p.column);
  }
  const key = clusteredKey(def);
  if (key) {
    for (const p of key.parts) {
      if (!whole.has(p.column)) fields.push(columnField(def.columns[p.column]!, compact, prefixBytes(def.columns[p.column]!, p)));
    }
  } else {
    fields.push(systemField('DB_ROW_ID', DATA_ROW_ID_LEN));
  }
  return { name: idx.name, clustered: false, fields, nUniqueInTree: fields.length };
}

/** How pages of the table are stored, for the record-size limit. */
export interface RecordFormat {
  /** COMPACT, DYNAMIC and COMPRESSED (true) or REDUNDANT (false). */
  compact: boolean;
  pageSize: number;
  /** Compressed page size in bytes for ROW_FORMAT=COMPRESSED; absent otherwise. */
  zipSize?: number;
}

/** The outcome of the record-size check of one index. */
export interface RecordSizeCheck {
  fits: boolean;
  /** Worst-case record size when the check stopped (the whole record when it fits). */
  size: number;
  /** The limit it was compared with. */
  limit: number;
  /** The field whose addition made the record too big. */
  field?: string;
}

/**
 * Whether the worst-case record of an index fits in a page (dict_index_too_big_for_tree).
 *
 * Start with the record header (5 bytes in the COMPACT family, 6 in REDUNDANT; none on a
 * compressed page, which has a 2-byte directory entry instead) and the null bitmap (COMPACT
 * family) or two offset bytes per field (REDUNDANT). Then add each field:
 *  - a fixed-length field: its column's fixed size;
 *  - a variable-length field: its longest value, or its prefix; in the clustered index a whole
 *    column longer than 40 bytes counts as 40 (it could go off-page); plus, in the COMPACT
 *    family, 1 length byte (2 when the column can exceed 255 bytes, 1 for the 40-byte case).
 * The record is too big as soon as the running size reaches the limit: half an empty page's free
 * space (see maxRecordSize), or on a compressed page what an empty compressed page can hold.
 * Records of non-leaf pages carry the first nUniqueInTree fields plus a 4-byte child pointer and
 * must stay below the node-pointer limit (the same limit, or half of it on compressed pages).
 */
export function indexRecordSize(layout: IndexLayout, fmt: RecordFormat): RecordSizeCheck {
  const compressed = fmt.zipSize !== undefined && fmt.zipSize < fmt.pageSize;
  let recMax: number;
  let ptrMax: number;
  let size: number;
  if (compressed) {
    recMax = maxCompressedRecordSize(layout.fields.length, fmt.zipSize!);
    ptrMax = Math.floor(recMax / 2);
    size = 2;
  } else {
    recMax = maxRecordSize(fmt.pageSize, fmt.compact);
    ptrMax = recMax;
    size = fmt.compact ? REC_N_NEW_EXTRA_BYTES : REC_N_OLD_EXTRA_BYTES;
  }
  if (fmt.compact) size += Math.ceil(layout.fields.filter((f) => f.nullable).length / 8);
  else size += 2 * layout.fields.length;

  for (let i = 0; i < layout.fields.length; i++) {
    const f = layout.fields[i]!;
    let fieldMax: number;
    if (f.columnFixedLen > 0 && f.storedFixed) {
      fieldMax = f.columnFixedLen;
    } else {
      fieldMax = f.maxLen;
      let lengthBytes = fieldMax < 256 ? 1 : 2;
      if (f.prefixLen > 0) {
        if (f.prefixLen < fieldMax) fieldMax = f.prefixLen;
      } else if (fieldMax > BTR_EXTERN_LOCAL_STORED_MAX_SIZE && layout.clustered) {
        fieldMax = BTR_EXTERN_LOCAL_STORED_MAX_SIZE;
        lengthBytes = 1;
      }
      if (fmt.compact) size += lengthBytes;
    }
    size += fieldMax;
    if (size >= recMax) return { fits: false, size, limit: recMax, field: f.name };
    if (i + 1 === layout.nUniqueInTree && size + REC_NODE_PTR_SIZE >= ptrMax) {
      return { fits: false, size: size + REC_NODE_PTR_SIZE, limit: ptrMax, field: f.name };
    }
  }
  return { fits: true, size, limit: recMax };
}

/**
 * The layouts of every index whose records the check covers, in the order InnoDB creates them:
 * the clustered index first, then the other keys in the server's key order. FULLTEXT indexes live
 * in auxiliary tables and SPATIAL ones store a fixed-size bounding box, so neither is checked.
 */
export function indexLayouts(def: TableDef, compact: boolean): IndexLayout[] {
  const key = clusteredKey(def);
  const out = [clusteredIndexLayout(def, compact)];
  for (const idx of def.indexes) {
    if (idx === key || idx.kind === 'FULLTEXT' || idx.kind === 'SPATIAL') continue;
    out.push(secondaryIndexLayout(def, idx, compact));
  }
  return out;
}

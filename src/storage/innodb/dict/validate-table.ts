/**
 * Checks a table definition against InnoDB's limits and restrictions before the table is created
 * or rebuilt, raising exactly the error MySQL 8.0 raises, in MySQL's order, and decides the
 * table's row format (innodb_default_row_format, ROW_FORMAT, KEY_BLOCK_SIZE, page size).
 *
 * MySQL checks a new table in two places, and this module keeps that order:
 *
 * 1. The server (mysql_prepare_create_table in sql/sql_table.cc), for every engine:
 *    more than 4096 columns (1117); more than 64 keys (1069); then key by key: more than 16 parts
 *    (1070), a column or prefix longer than the engine's per-column limit (1071: 767 bytes when
 *    ROW_FORMAT=REDUNDANT or COMPACT is written, else 3072; for BLOB/TEXT prefixes also the type's
 *    maximum length), the whole key longer than the page size allows (1071: 3072, or 1536/768 at
 *    8/4 KB pages); last, the declared row size above 65,535 bytes (1118). refmysql's generic
 *    table builder (exec/ddl/table-builder.ts) checks key count, key parts and total key length
 *    from the engine's capabilities before it calls the engine; the rest of this list is not
 *    done there, so {@link checkServerTableLimits} does it all, in the server's order, and
 *    validateInnodbTable starts with it. Repeating the three checks the builder already made
 *    cannot report anything twice (the first error ends the statement) and keeps the order right
 *    when the engine is used without that builder.
 *
 * 2. InnoDB (ha_innobase::create in storage/innobase/handler/ha_innodb.cc): more than 1017
 *    columns (1117); an index named GEN_CLUST_INDEX (1280); the create options under
 *    innodb_strict_mode (ROW_FORMAT, KEY_BLOCK_SIZE, COMPRESSED above 16 KB pages: 1031 for
 *    CREATE TABLE, 1478 for an in-place ALTER, each after warnings 1478 that say why; without
 *    strict mode the same problems are warnings and a fallback format); a column named
 *    DB_ROW_ID, DB_TRX_ID or DB_ROLL_PTR in any lettercase (1166, echoing the name as written);
 *    then index by index, clustered index first: a column or prefix over 767 bytes in a
 *    REDUNDANT/COMPACT table whose format came from innodb_default_row_format (1709), and a
 *    worst-case record that does not fit in half a page (1118 with InnoDB's own message under
 *    strict mode, warning 139 without it).
 *
 * Not modelled: sql_mode without STRICT_* letting the server shorten a too-long prefix of a
 * plain index with warning 1071 (INNODB-LIMIT-005's non-strict case; that is the server's job,
 * and here a too-long prefix is always an error), TABLESPACE=, DATA DIRECTORY and ENCRYPTION
 * options, and the warning InnoDB pushes before the GEN_CLUST_INDEX error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-restrictions-limitations.html (15.23)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_strict_mode
 * @req INNODB-LIMIT-001 INNODB-LIMIT-002 INNODB-LIMIT-003 INNODB-LIMIT-004 INNODB-LIMIT-006
 * @req INNODB-LIMIT-007 INNODB-LIMIT-008 INNODB-LIMIT-009 INNODB-LIMIT-012 INNODB-LIMIT-101
 * @req INNODB-LIMIT-102 INNODB-RESTR-001 INNODB-RESTR-004 INNODB-RESTR-101
 */
import { isBlobLike, keyPartBytes } from '../../../kernel/column-size.js';
import { ERRORS, SqlError, sqlError } from '../../../kernel/errors.js';
import type { TableDef } from '../../../kernel/table-def.js';
import {
  DICT_MAX_FIXED_COL_LEN,
  GEN_CLUST_INDEX_NAME,
  HA_ERR_TOO_BIG_ROW,
  KEY_BLOCK_SIZES,
  MAX_COLUMNS,
  MAX_COMPRESSED_PAGE_SIZE,
  MAX_DECLARED_ROW_SIZE,
  MAX_INDEXES,
  MAX_KEY_PARTS,
  MAX_LOB_BYTES,
  RESERVED_COLUMN_NAMES,
  SERVER_MAX_COLUMNS,
  defaultCompressedPageSize,
  emptyPageFreeSpace,
  maxIndexColumnLength,
  maxKeyBlockSize,
  maxKeyLength,
  maxRecordSize,
  type InnodbDefaultRowFormat,
  type InnodbRowFormat,
} from '../limits.js';
import { clusteredKey, declaredRowSize, indexLayouts, indexRecordSize, type DeclaredRowType } from './row-size.js';

/** What the check depends on besides the definition. */
export interface InnodbValidationEnv {
  /** innodb_page_size of the instance. */
  pageSize: number;
  /** innodb_strict_mode of the session. */
  strictMode: boolean;
  /** innodb_default_row_format: the format of a table created without ROW_FORMAT. */
  defaultRowFormat: InnodbDefaultRowFormat;
  /**
   * CREATE TABLE (the default; also ALTER TABLE ... ALGORITHM=COPY, which creates a table) or an
   * in-place ALTER TABLE. They word two errors differently: an invalid create option is 1031
   * for CREATE and 1478 naming the option for ALTER; a too-big row is InnoDB's own 1118 text
   * for CREATE and the server's 1118 template for ALTER.
   */
  statement?: 'CREATE' | 'ALTER';
}

/** A warning for the session's diagnostics area (level Warning). */
export interface InnodbWarning {
  code: number;
  message: string;
}

/** What a definition that passes gets. */
export interface InnodbTableValidation {
  /** The row format the table is stored in (after any fallback). */
  rowFormat: InnodbRowFormat;
  /** Compressed page size in bytes when rowFormat is COMPRESSED. */
  zipSize?: number;
  /** Warnings to add to the statement's diagnostics, in order. */
  warnings: InnodbWarning[];
}

/**
 * The error of a definition that fails, when MySQL raises warnings before it in the same
 * statement (SHOW WARNINGS lists `warningsBefore`, then the error). Errors without preceding
 * warnings are thrown as plain {@link SqlError}s.
 */
export class InnodbDdlError extends SqlError {
  readonly warningsBefore: readonly InnodbWarning[];

  constructor(error: SqlError, warningsBefore: readonly InnodbWarning[]) {
    super(error.errno, error.sqlState, error.message);
    this.warningsBefore = [...warningsBefore];
  }
}

function fail(error: SqlError, warnings: readonly InnodbWarning[]): SqlError {
  return warnings.length > 0 ? new InnodbDdlError(error, warnings) : error;
}

// ---------------------------------------------------------------------------------------------
// Table options

/** The ROW_FORMAT written in the definition; DEFAULT when there is none (or DEFAULT is written). */
export function explicitRowType(def: TableDef): DeclaredRowType {
  const v = def.options['ROW_FORMAT']?.toUpperCase();
  switch (v) {
    case 'DYNAMIC': case 'COMPACT': case 'REDUNDANT': case 'COMPRESSED': case 'FIXED':
      return v;
    default:
      return 'DEFAULT';
  }
}

/** KEY_BLOCK_SIZE in KB as written; 0 when absent. */
export function keyBlockSize(def: TableDef): number {
  const v = def.options['KEY_BLOCK_SIZE'];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

// ---------------------------------------------------------------------------------------------
// 1. The server's checks (INNODB-LIMIT-002, -003, -004, -006, -007, -008, -012, -101)

/**
 * The server's limit on one indexed column or prefix for InnoDB (max_supported_key_part_length):
 * 767 bytes when ROW_FORMAT=REDUNDANT or COMPACT is written, 3072 otherwise, including when the
 * format comes from innodb_default_row_format (InnoDB then checks 767 itself: 1709).
 */
export function serverKeyPartLimit(def: TableDef): number {
  const rt = explicitRowType(def);
  return rt === 'REDUNDANT' || rt === 'COMPACT' ? maxIndexColumnLength('COMPACT') : maxIndexColumnLength('DYNAMIC');
}

/** Longest value of each large-object type, which also bounds a prefix of it. */
const LOB_MAX_BYTES: Readonly<Record<string, number>> = {
  TINYBLOB: 255, TINYTEXT: 255,
  BLOB: 65535, TEXT: 65535,
  MEDIUMBLOB: 16777215, MEDIUMTEXT: 16777215,
  LONGBLOB: MAX_LOB_BYTES, LONGTEXT: MAX_LOB_BYTES,
};

/**
 * Key count, key parts and key lengths as the server checks them (prepare_key and
 * prepare_key_column): keys in order, within a key the part count first, then each part
 * against the per-column limit, then the whole key against the page-size limit. FULLTEXT keys
 * count toward the number of keys and parts but have no length limit; SPATIAL keys are a
 * fixed-size bounding box.
 */
export function checkKeyLimits(def: TableDef, pageSize: number): void {
  if (def.indexes.length > MAX_INDEXES) throw sqlError('ER_TOO_MANY_KEYS', MAX_INDEXES);
  const partMax = serverKeyPartLimit(def);
  const keyMax = maxKeyLength(pageSize);
  for (const idx of def.indexes) {
    if (idx.kind !== 'SPATIAL' && idx.parts.length > MAX_KEY_PARTS) throw sqlError('ER_TOO_MANY_KEY_PARTS', MAX_KEY_PARTS);
    if (idx.kind === 'FULLTEXT' || idx.kind === 'SPATIAL') continue;
    let total = 0;
    for (const part of idx.parts) {
      const col = def.columns[part.column]!;
      const len = keyPartBytes(col, part);
      if (isBlobLike(col) && part.length !== undefined) {
        // A BLOB/TEXT prefix is measured against the key limit, the column limit and the
        // type's own maximum at once, and the error names the smallest of them.
        const typeMax = LOB_MAX_BYTES[col.type.name] ?? MAX_LOB_BYTES;
        if (len > typeMax || len > keyMax || len > partMax) throw sqlError('ER_TOO_LONG_KEY', Math.min(keyMax, partMax, typeMax));
      }
      if (len > partMax) throw sqlError('ER_TOO_LONG_KEY', partMax);
      total += len;
    }
    if (total > keyMax) throw sqlError('ER_TOO_LONG_KEY', keyMax);
  }
}

/**
 * Everything the server checks before it hands a definition to the engine, in the server's order
 * (see the module comment): 1117 above 4096 columns, the key checks, 1118 above a declared row
 * size of 65,535 bytes.
 */
export function checkServerTableLimits(def: TableDef, pageSize: number): void {
  if (def.columns.length > SERVER_MAX_COLUMNS) throw sqlError('ER_TOO_MANY_FIELDS');
  checkKeyLimits(def, pageSize);
  if (declaredRowSize(def, explicitRowType(def)) > MAX_DECLARED_ROW_SIZE) throw sqlError('ER_TOO_BIG_ROWSIZE', MAX_DECLARED_ROW_SIZE);
}

// ---------------------------------------------------------------------------------------------
// 2. InnoDB's checks

function warn(warnings: InnodbWarning[], message: string): void {
  warnings.push({ code: ERRORS.ER_ILLEGAL_HA_CREATE_OPTION.code, message });
}

/**
 * Under innodb_strict_mode, refuse create options InnoDB cannot honour
 * (create_options_are_invalid): each problem is a warning 1478 saying why, and the statement
 * fails with 1031 (CREATE) or 1478 naming the last bad option (in-place ALTER). A COMPRESSED
 * temporary table is 3500 at once. INNODB-RESTR-004.
 */
function checkStrictCreateOptions(def: TableDef, env: InnodbValidationEnv, warnings: InnodbWarning[]): void {
  const rowType = explicitRowType(def);
  const kbs = keyBlockSize(def);
  let bad: string | undefined;
  if (kbs > 0) {
    if (def.temporary) throw fail(sqlError('ER_UNSUPPORT_COMPRESSED_TEMPORARY_TABLE'), warnings);
    if (KEY_BLOCK_SIZES.includes(kbs)) {
      const kbsMax = maxKeyBlockSize(env.pageSize);
      if (kbs > kbsMax) {
        warn(warnings, `InnoDB: KEY_BLOCK_SIZE=${kbs} cannot be larger than ${kbsMax}.`);
        bad = 'KEY_BLOCK_SIZE';
      }
    } else {
      warn(warnings, `InnoDB: invalid KEY_BLOCK_SIZE = ${kbs}. Valid values are [1, 2, 4, 8, 16]`);
      bad = 'KEY_BLOCK_SIZE';
    }
  }
  switch (rowType) {
    case 'COMPRESSED':
      if (def.temporary) throw fail(sqlError('ER_UNSUPPORT_COMPRESSED_TEMPORARY_TABLE'), warnings);
      break;
    case 'DYNAMIC': case 'COMPACT': case 'REDUNDANT':
      if (kbs > 0) {
        warn(warnings, `InnoDB: cannot specify ${rowType} with KEY_BLOCK_SIZE.`);
        bad = 'KEY_BLOCK_SIZE';
      }
      break;
    case 'FIXED':
      warn(warnings, 'InnoDB: invalid ROW_FORMAT specifier.');
      bad = 'ROW_TYPE';
      break;
    case 'DEFAULT':
      break;
  }
  if ((kbs > 0 || rowType === 'COMPRESSED') && env.pageSize > MAX_COMPRESSED_PAGE_SIZE) {
    warn(warnings, 'InnoDB: Cannot create a COMPRESSED table when innodb_page_size > 16k.');
    bad = kbs > 0 ? 'KEY_BLOCK_SIZE' : 'ROW_TYPE';
  }
  if (bad !== undefined) {
    const error = env.statement === 'ALTER' ? sqlError('ER_ILLEGAL_HA_CREATE_OPTION', 'InnoDB', bad) : sqlError('ER_ILLEGAL_HA', def.name);
    throw fail(error, warnings);
  }
}

/**
 * The row format InnoDB gives the table (innobase_table_flags). Without strict mode this is also
 * where a request InnoDB cannot honour becomes a warning and a fallback: an unusable
 * KEY_BLOCK_SIZE is ignored, FIXED becomes DYNAMIC, and COMPRESSED becomes DYNAMIC for temporary
 * tables and above 16 KB pages (INNODB-RESTR-004).
 */
function decideRowFormat(def: TableDef, env: InnodbValidationEnv, warnings: InnodbWarning[]): { rowFormat: InnodbRowFormat; zipSize?: number } {
  let rowType = explicitRowType(def);
  const kbs = keyBlockSize(def);
  let zipAllowed = !def.temporary;
  let zipKb = 0;
  if (kbs > 0 && def.temporary) {
    warn(warnings, 'InnoDB: KEY_BLOCK_SIZE is ignored for TEMPORARY TABLE.');
  } else if (kbs > 0) {
    if (KEY_BLOCK_SIZES.includes(kbs) && kbs <= maxKeyBlockSize(env.pageSize)) zipKb = kbs;
    else warn(warnings, `InnoDB: ignoring KEY_BLOCK_SIZE=${kbs}.`);
  }
  if (zipKb > 0 && zipAllowed) {
    if (rowType === 'DEFAULT') rowType = 'COMPRESSED';
    else if (rowType !== 'COMPRESSED') {
      warn(warnings, `InnoDB: ignoring KEY_BLOCK_SIZE=${kbs} as ROW_FORMAT is not COMPRESSED.`);
      zipAllowed = false;
    }
  } else if (rowType === 'COMPRESSED' && zipAllowed) {
    zipKb = defaultCompressedPageSize(env.pageSize) / 1024;
  }
  let rowFormat: InnodbRowFormat;
  switch (rowType) {
    case 'REDUNDANT': case 'COMPACT': case 'DYNAMIC':
      rowFormat = rowType;
      break;
    case 'COMPRESSED':
      if (def.temporary) {
        warn(warnings, 'InnoDB: COMPRESSED is ignored for TEMPORARY TABLE.');
        warn(warnings, 'InnoDB: assuming ROW_FORMAT=DYNAMIC.');
        rowFormat = 'DYNAMIC';
      } else {
        rowFormat = 'COMPRESSED';
      }
      break;
    case 'FIXED':
      warn(warnings, 'InnoDB: assuming ROW_FORMAT=DYNAMIC.');
      rowFormat = 'DYNAMIC';
      break;
    case 'DEFAULT':
      rowFormat = env.defaultRowFormat;
      break;
  }
  if (zipAllowed && zipKb > 0 && env.pageSize > MAX_COMPRESSED_PAGE_SIZE) {
    warn(warnings, 'InnoDB: Cannot create a COMPRESSED table when innodb_page_size > 16k. Assuming ROW_FORMAT=DYNAMIC.');
    zipAllowed = false;
  }
  if (!zipAllowed) zipKb = 0;
  // COMPRESSED without a compressed page size is stored exactly like DYNAMIC.
  if (rowFormat === 'COMPRESSED' && zipKb === 0) rowFormat = 'DYNAMIC';
  return rowFormat === 'COMPRESSED' ? { rowFormat, zipSize: zipKb * 1024 } : { rowFormat };
}

function isAntelope(rowFormat: InnodbRowFormat): boolean {
  return rowFormat === 'REDUNDANT' || rowFormat === 'COMPACT';
}

/**
 * Error 1118 as CREATE TABLE reports a table whose rows cannot fit in half a page
 * (INNODB-LIMIT-009), and as an INSERT reports a row that does not fit: InnoDB's own text
 * naming the limit (the 64 KB page limit 16383 included) and, for REDUNDANT and COMPACT, the
 * 768-byte inline prefix and the formats that avoid it.
 */
export function rowSizeTooLargeError(pageSize: number, rowFormat: InnodbRowFormat): SqlError {
  const antelope = isAntelope(rowFormat);
  const limit = maxRecordSize(pageSize, rowFormat !== 'REDUNDANT');
  const spec = ERRORS.ER_TOO_BIG_ROWSIZE;
  return new SqlError(
    spec.code,
    spec.sqlState,
    `Row size too large (> ${limit}). Changing some columns to TEXT or BLOB ${antelope ? 'or using ROW_FORMAT=DYNAMIC or ROW_FORMAT=COMPRESSED ' : ''}may help. In current row format, BLOB prefix of ${antelope ? DICT_MAX_FIXED_COL_LEN : 0} bytes is stored inline.`,
  );
}

/** The warning (code 139) InnoDB gives instead of that error when innodb_strict_mode is OFF. */
export function rowSizeTooLargeWarning(pageSize: number, rowFormat: InnodbRowFormat): InnodbWarning {
  const antelope = isAntelope(rowFormat);
  const freeSpace = Math.floor(emptyPageFreeSpace(pageSize, rowFormat !== 'REDUNDANT') / 2);
  return {
    code: HA_ERR_TOO_BIG_ROW,
    message: `Row size too large (> ${freeSpace}). Changing some columns to TEXT or BLOB ${antelope ? 'or using ROW_FORMAT=DYNAMIC or ROW_FORMAT=COMPRESSED ' : ''}may help. In current row format, BLOB prefix of ${antelope ? DICT_MAX_FIXED_COL_LEN : 0} bytes is stored inline.`,
  };
}

/** The row-size error of an in-place ALTER TABLE: the server's template with half an empty page. */
function alterRowSizeError(pageSize: number, rowFormat: InnodbRowFormat): SqlError {
  return sqlError('ER_TOO_BIG_ROWSIZE', Math.floor(emptyPageFreeSpace(pageSize, rowFormat !== 'REDUNDANT') / 2));
}

/**
 * Check `def` as InnoDB would at CREATE TABLE (or ALTER TABLE) and decide its row format.
 * Throws the SqlError MySQL 8.0 gives (an {@link InnodbDdlError} when warnings precede it);
 * otherwise returns the row format and the warnings to add to the statement's diagnostics.
 */
export function validateInnodbTable(def: TableDef, env: InnodbValidationEnv): InnodbTableValidation {
  checkServerTableLimits(def, env.pageSize);

  // INNODB-LIMIT-001: virtual generated columns count, being columns of the table.
  if (def.columns.length > MAX_COLUMNS) throw sqlError('ER_TOO_MANY_FIELDS');
  // INNODB-RESTR-101: the name of InnoDB's own clustered index is not available to users.
  if (def.indexes.some((i) => i.name.toUpperCase() === GEN_CLUST_INDEX_NAME)) throw sqlError('ER_WRONG_NAME_FOR_INDEX', GEN_CLUST_INDEX_NAME);

  const warnings: InnodbWarning[] = [];
  if (env.strictMode) checkStrictCreateOptions(def, env, warnings);
  const { rowFormat, zipSize } = decideRowFormat(def, env, warnings);

  // INNODB-RESTR-001: the internal column names, in any lettercase; the message keeps the user's.
  for (const col of def.columns) {
    if (RESERVED_COLUMN_NAMES.includes(col.name.toUpperCase())) throw fail(sqlError('ER_WRONG_COLUMN_NAME', col.name), warnings);
  }

  // Index by index as InnoDB creates them: the column-length limit of the format, then the
  // worst-case record against half a page (INNODB-LIMIT-004, INNODB-LIMIT-009).
  const compact = rowFormat !== 'REDUNDANT';
  const columnLimit = maxIndexColumnLength(rowFormat);
  const key = clusteredKey(def);
  const order = key ? [key, ...def.indexes.filter((i) => i !== key)] : [...def.indexes];
  const layouts = new Map(indexLayouts(def, compact).map((l) => [l.name, l]));
  const checkRecord = (name: string): void => {
    const layout = layouts.get(name);
    if (!layout) return;
    const r = indexRecordSize(layout, { compact, pageSize: env.pageSize, ...(zipSize !== undefined ? { zipSize } : {}) });
    if (r.fits) return;
    if (env.strictMode) {
      throw fail(env.statement === 'ALTER' ? alterRowSizeError(env.pageSize, rowFormat) : rowSizeTooLargeError(env.pageSize, rowFormat), warnings);
    }
    warnings.push(rowSizeTooLargeWarning(env.pageSize, rowFormat));
  };
  if (!key) checkRecord(GEN_CLUST_INDEX_NAME);
  for (const idx of order) {
    if (idx.kind === 'FULLTEXT' || idx.kind === 'SPATIAL') continue;
    for (const part of idx.parts) {
      if (keyPartBytes(def.columns[part.column]!, part) > columnLimit) {
        throw fail(sqlError('ER_INDEX_COLUMN_TOO_LONG', columnLimit), warnings);
      }
    }
    checkRecord(idx.name);
  }
  return zipSize !== undefined ? { rowFormat, zipSize, warnings } : { rowFormat, warnings };
}

/**
 * From CREATE TABLE syntax to a checked TableDef: column types with resolved charsets and
 * collations, defaults converted to the column type, implicit NOT NULL for primary key columns,
 * index naming and ordering, and every definition error MySQL reports (1060, 1061, 1067, 1068,
 * 1072, 1075, 1101, 1113, 1170, 1171, ...). Engine-specific restrictions are checked by
 * {@link checkEngineRestrictions} so that ALTER TABLE ... ENGINE= reuses them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table.html
 * @req CORE-DDL-002 CORE-DDL-003 CORE-DDL-004 CORE-DDL-005 CORE-DDL-006 CORE-DDL-007 CORE-DDL-010 CORE-DDL-011 CORE-DDL-044
 * @req MEMORY-031 MEMORY-033 MEMORY-051 ENGINE-CHOOSE-008 ENGINE-CHOOSE-009 ENGINE-CHOOSE-010
 */
import { isBlobLike, isTextual, keyLength } from '../../kernel/column-size.js';
import { maxBytesPerChar, resolveCharset } from '../../catalog/charset-info.js';
import { MAX_COLUMN_COMMENT_LENGTH, MAX_TABLE_COMMENT_LENGTH } from '../../catalog/limits.js';
import { checkColumnName, checkIndexName } from '../../catalog/names.js';
import type { ColumnDef, IndexDef, IndexPart, TableDef } from '../../kernel/table-def.js';
import type { ColumnDefinition, Expr, IndexDefinition } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { DECIMAL_MAX_PRECISION, DECIMAL_MAX_SCALE } from '../../sql/types/limits.js';
import { BIT_MAX_WIDTH } from './limits.js';
import type { StorageEngine, ValidationEnv } from '../../storage/handler.js';
import { convertDefault, literalValue } from './default-value.js';
import type { Value } from '../../kernel/value.js';
import { requireSrs } from '../../sql/gis/srs.js';

/** Inputs the builder needs besides the syntax. */
export interface BuildContext {
  /** Table-level charset/collation already resolved (table option, else schema default). */
  tableCharset: { charset: string; collation: string };
  engine: StorageEngine;
  sqlMode: ReadonlySet<string>;
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB']);

/** Source text of an expression default, as SHOW CREATE TABLE prints it. */
export function exprDefaultText(e: Expr, text?: string): string {
  if (text !== undefined) return text;
  if (e.type === 'func') {
    const args = e.args.map((a) => exprDefaultText(a)).join(',');
    return `${e.name.toLowerCase()}(${args})`;
  }
  if (e.type === 'literal') return typeof e.value === 'string' ? `'${e.value.replace(/'/g, "''")}'` : String(e.value);
  return '?';
}

function isNowFunc(e: Expr): { fsp: number } | undefined {
  if (e.type !== 'func') return undefined;
  const n = e.name.toUpperCase();
  if (!['CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP'].includes(n)) return undefined;
  const a = e.args[0];
  const fsp = a && a.type === 'literal' ? Number(a.value) : 0;
  return { fsp };
}

/** What the parser records for the BINARY attribute of a text type (`VARCHAR(10) BINARY`). */
const BINARY_ATTRIBUTE_COLLATION = '_bin';

/**
 * The BINARY attribute names the binary collation of the column's character set (its own, else
 * the table's): `VARCHAR(10) BINARY` in a utf8mb4 table is utf8mb4_bin. @req CORE-SQL-027
 */
function binaryCollationOf(charset: string | undefined, table: { charset: string; collation: string }): { charset: string; collation: string } {
  const cs = resolveCharset(charset, undefined, table).charset;
  if (cs === 'binary') return { charset: 'binary', collation: 'binary' };
  return resolveCharset(cs, `${cs}_bin`, table);
}

/**
 * Resolve one column definition (without key-derived changes).
 * @req CORE-DDL-002 CORE-DDL-010 CORE-DDL-011
 */
export function buildColumn(c: ColumnDefinition, ctx: BuildContext): ColumnDef {
  checkColumnName(c.name);
  const type = { ...c.dataType };
  // ENUM and SET members lose their trailing spaces in the definition, as in MySQL. @req CORE-DET-006
  if ((type.name === 'ENUM' || type.name === 'SET') && type.values) type.values = type.values.map((v) => v.replace(/ +$/, ''));
  const col: ColumnDef = {
    name: c.name,
    type,
    nullable: c.notNull !== true,
    autoIncrement: c.autoIncrement === true,
    comment: c.comment ?? '',
  };
  if ([...col.comment].length > MAX_COLUMN_COMMENT_LENGTH) {
    throw sqlError('ER_TOO_LONG_FIELD_COMMENT', c.name, MAX_COLUMN_COMMENT_LENGTH);
  }
  // Character set and collation for text types: column clause, else the table's.
  const textual = ['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET'].includes(type.name);
  if (textual) {
    const cs = c.charset ?? type.charset;
    const co = c.collation ?? type.collation;
    const r = co === BINARY_ATTRIBUTE_COLLATION ? binaryCollationOf(cs, ctx.tableCharset) : resolveCharset(cs, co, ctx.tableCharset);
    if (r.charset === 'binary') {
      // CHAR(n) CHARACTER SET binary is BINARY(n), and so on
      const map: Record<string, ColumnDef['type']['name']> = {
        CHAR: 'BINARY', VARCHAR: 'VARBINARY', TINYTEXT: 'TINYBLOB', TEXT: 'BLOB', MEDIUMTEXT: 'MEDIUMBLOB', LONGTEXT: 'LONGBLOB',
      };
      const to = map[type.name];
      if (to) type.name = to;
    } else {
      col.charset = r.charset;
      col.collation = r.collation;
    }
    delete type.charset;
    delete type.collation;
  }
  if (type.name === 'CHAR' && type.length === undefined) type.length = 1;
  if (type.name === 'BINARY' && type.length === undefined) type.length = 1;
  if (type.name === 'VARCHAR' && col.charset) {
    const max = Math.floor(65535 / maxBytesPerChar(col.charset));
    if ((type.length ?? 0) > max) throw sqlError('ER_TOO_BIG_FIELDLENGTH', c.name, max);
  }
  if (type.name === 'CHAR' && (type.length ?? 0) > 255) throw sqlError('ER_TOO_BIG_FIELDLENGTH', c.name, 255);
  if (type.name === 'BINARY' && (type.length ?? 0) > 255) throw sqlError('ER_TOO_BIG_FIELDLENGTH', c.name, 255);
  if (type.name === 'VARBINARY' && (type.length ?? 0) > 65535) throw sqlError('ER_TOO_BIG_FIELDLENGTH', c.name, 65535);
  if (type.name === 'DECIMAL') {
    if (type.length === undefined) type.length = 10;
    if (type.scale === undefined) type.scale = 0;
    // In MySQL's order: the scale, then the precision, then M >= D. @req CORE-DDL-044
    if (type.scale > DECIMAL_MAX_SCALE) throw sqlError('ER_TOO_BIG_SCALE', type.scale, c.name, DECIMAL_MAX_SCALE);
    if (type.length > DECIMAL_MAX_PRECISION) throw sqlError('ER_TOO_BIG_PRECISION', type.length, c.name, DECIMAL_MAX_PRECISION);
    if (type.length < type.scale) throw sqlError('ER_M_BIGGER_THAN_D', c.name);
  }
  if (type.name === 'BIT' && (type.length ?? 1) > BIT_MAX_WIDTH) throw sqlError('ER_TOO_BIG_DISPLAYWIDTH', c.name, BIT_MAX_WIDTH); // @req CORE-DDL-044
  if (type.zerofill) type.unsigned = true;

  if (col.autoIncrement && !(INTEGER_TYPES.has(type.name) || type.name === 'FLOAT' || type.name === 'DOUBLE')) {
    throw sqlError('ER_WRONG_FIELD_SPEC', c.name);
  }
  if (c.invisible) col.invisible = true;
  if (c.generated) col.generated = { expr: c.generated.text, stored: c.generated.stored };

  if (c.onUpdateNow) {
    if (type.name !== 'TIMESTAMP' && type.name !== 'DATETIME') throw sqlError('ER_INVALID_ON_UPDATE', c.name);
    col.onUpdateNow = true;
  }

  if (c.default !== undefined) {
    const now = isNowFunc(c.default);
    if (c.defaultIsExpr) {
      col.defaultExpr = `(${exprDefaultText(c.default, c.defaultText)})`; // as written; shown normalised (CORE-CHECK-031)
    } else if (now) {
      if (type.name !== 'TIMESTAMP' && type.name !== 'DATETIME') throw sqlError('ER_INVALID_DEFAULT', c.name);
      if (now.fsp !== (type.scale ?? 0)) throw sqlError('ER_INVALID_DEFAULT', c.name);
      col.defaultExpr = now.fsp > 0 ? `CURRENT_TIMESTAMP(${now.fsp})` : 'CURRENT_TIMESTAMP';
    } else {
      const v = literalValue(c.default);
      if (v === undefined) throw sqlError('ER_INVALID_DEFAULT', c.name);
      if (isBlobLike(col) && v !== null) throw sqlError('ER_BLOB_CANT_HAVE_DEFAULT', c.name);
      if (col.autoIncrement) throw sqlError('ER_INVALID_DEFAULT', c.name);
      const converted = convertDefault(col, v);
      if (
        converted !== null &&
        typeof converted === 'object' &&
        'kind' in converted &&
        (converted.kind === 'DATE' || converted.kind === 'DATETIME' || converted.kind === 'TIMESTAMP')
      ) {
        const zeroDate = converted.year === 0 && converted.month === 0 && converted.day === 0;
        const zeroPart = converted.month === 0 || converted.day === 0;
        const strict = ctx.sqlMode.has('STRICT_TRANS_TABLES') || ctx.sqlMode.has('STRICT_ALL_TABLES');
        if (strict && ((zeroDate && ctx.sqlMode.has('NO_ZERO_DATE')) || (!zeroDate && zeroPart && ctx.sqlMode.has('NO_ZERO_IN_DATE')))) {
          throw sqlError('ER_INVALID_DEFAULT', c.name);
        }
      }
      col.default = converted;
    }
  }
  return col;
}

function partsOf(def: IndexDefinition, columns: ColumnDef[]): IndexPart[] {
  const parts: IndexPart[] = [];
  const seen = new Set<number>();
  for (const ic of def.columns) {
    if (ic.column === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'functional key parts');
    const pos = columns.findIndex((c) => c.name.toLowerCase() === ic.column!.toLowerCase());
    if (pos < 0) throw sqlError('ER_KEY_COLUMN_DOES_NOT_EXITS', ic.column);
    if (seen.has(pos)) throw sqlError('ER_DUP_FIELDNAME', columns[pos]!.name);
    seen.add(pos);
    const part: IndexPart = { column: pos };
    const col = columns[pos]!;
    if (ic.length !== undefined) {
      const textLike = isTextual(col) || BINARY_TYPES.has(col.type.name);
      if (!textLike || col.type.name === 'ENUM' || col.type.name === 'SET') throw sqlError('ER_WRONG_SUB_KEY');
      if (col.type.length !== undefined && !isBlobLike(col) && ic.length > col.type.length) throw sqlError('ER_WRONG_SUB_KEY');
      // A prefix as long as the whole column is no prefix at all
      if (!(col.type.length !== undefined && !isBlobLike(col) && ic.length === col.type.length)) part.length = ic.length;
    } else if (isBlobLike(col) && def.kind !== 'FULLTEXT' && def.kind !== 'SPATIAL') {
      if (col.type.name === 'JSON') throw sqlError('ER_JSON_USED_AS_KEY', col.name);
      throw sqlError('ER_BLOB_KEY_WITHOUT_LENGTH', col.name);
    }
    if (ic.desc) part.desc = true;
    parts.push(part);
  }
  return parts;
}

/** MySQL orders keys: PRIMARY, UNIQUE over NOT NULL columns, other UNIQUE, plain, FULLTEXT/SPATIAL. */
function keyRank(idx: IndexDef, columns: ColumnDef[]): number {
  if (idx.kind === 'PRIMARY') return 0;
  if (idx.kind === 'UNIQUE') return idx.parts.every((p) => !columns[p.column]!.nullable && p.length === undefined) ? 1 : 2;
  if (idx.kind === 'INDEX') return 3;
  return 4;
}

export function sortIndexes(indexes: IndexDef[], columns: ColumnDef[]): IndexDef[] {
  return indexes
    .map((idx, i) => ({ idx, i }))
    .sort((a, b) => keyRank(a.idx, columns) - keyRank(b.idx, columns) || a.i - b.i)
    .map((x) => x.idx);
}

/** Pick a free name for an unnamed key: the first column's name, then name_2, name_3 ... */
export function generateIndexName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base) && base.toUpperCase() !== 'PRIMARY') return base;
  for (let i = 2; i < 1000; i++) {
    const n = `${base}_${i}`;
    if (!taken(n)) return n;
  }
  return `${base}_${Date.now()}`;
}

/**
 * Add one index definition to a table's index list, naming it and checking 1061/1068/1280.
 * Primary key columns become NOT NULL (1171 if declared NULL explicitly).
 * @req CORE-DDL-004 CORE-DDL-005
 */
export function addIndex(
  indexes: IndexDef[],
  columns: ColumnDef[],
  def: IndexDefinition,
  engine: StorageEngine,
  explicitNull: ReadonlySet<number>,
): IndexDef {
  const parts = partsOf(def, columns);
  const taken = (n: string): boolean => indexes.some((i) => i.name.toLowerCase() === n.toLowerCase());
  let name: string;
  if (def.kind === 'PRIMARY') {
    if (indexes.some((i) => i.kind === 'PRIMARY')) throw sqlError('ER_MULTIPLE_PRI_KEY');
    name = 'PRIMARY';
    for (const p of parts) {
      // NULL or DEFAULT NULL written on a primary key column cannot be honoured
      if (explicitNull.has(p.column) || columns[p.column]!.default === null) throw sqlError('ER_PRIMARY_CANT_HAVE_NULL');
      columns[p.column]!.nullable = false;
    }
  } else {
    if (def.name !== undefined) {
      checkIndexName(def.name);
      if (def.name.toUpperCase() === 'PRIMARY') throw sqlError('ER_WRONG_NAME_FOR_INDEX', def.name);
      if (taken(def.name)) throw sqlError('ER_DUP_KEYNAME', def.name);
      name = def.name;
    } else {
      name = generateIndexName(columns[parts[0]!.column]!.name, taken);
    }
  }
  let algorithm: IndexDef['algorithm'];
  if (def.kind === 'FULLTEXT') algorithm = 'FULLTEXT';
  else if (def.kind === 'SPATIAL') algorithm = 'SPATIAL';
  else if (def.using && def.using !== 'RTREE' && engine.capabilities.indexAlgorithms.includes(def.using)) algorithm = def.using;
  else algorithm = engine.capabilities.defaultIndexAlgorithm;
  const idx: IndexDef = {
    name,
    kind: def.kind,
    algorithm,
    parts,
    comment: def.comment ?? '',
    visible: def.invisible !== true,
  };
  if (def.using) idx.explicitAlgorithm = true;
  indexes.push(idx);
  return idx;
}

/**
 * The rules a table definition must satisfy for its engine: BLOB/TEXT (1163), FULLTEXT (1214),
 * SPATIAL (1464), key count/parts/length (1069/1070/1071), AUTO_INCREMENT as a leading key
 * part (1075), NULLable index columns, partitioning (1178).
 * @req MEMORY-031 MEMORY-033 MEMORY-051 MEMORY-015 ENGINE-SET-007 ENGINE-CHOOSE-008 ENGINE-CHOOSE-009 ENGINE-CHOOSE-010
 */
export function checkEngineRestrictions(def: TableDef, engine: StorageEngine, partitioned = false, env?: ValidationEnv): void {
  const caps = engine.capabilities;
  // An engine whose handlerton refuses temporary tables (CSV): 1478. @req CSV-053
  if (def.temporary && !caps.temporaryTables) throw sqlError('ER_ILLEGAL_HA_CREATE_OPTION', engine.name, 'TEMPORARY');
  if (partitioned && !caps.partitioning) throw sqlError('ER_CHECK_NOT_IMPLEMENTED', 'native partitioning');
  if (def.columns.length === 0) throw sqlError('ER_TABLE_MUST_HAVE_COLUMNS');
  if (!caps.blobs && def.columns.some((c) => isBlobLike(c))) throw sqlError('ER_TABLE_CANT_HANDLE_BLOB');
  // An engine that holds BLOBs but not spatial values (CSV, EXAMPLE): 1178. @req CSV-054
  if (!caps.geometry && def.columns.some((c) => c.type.name === 'GEOMETRY')) throw sqlError('ER_CHECK_NOT_IMPLEMENTED', 'GEOMETRY');
  // A column's SRID must name a known spatial reference system (3548), and only a geometry
  // column may have one (1221). @req CORE-GIS-006
  for (const c of def.columns) {
    if (c.type.srid === undefined) continue;
    if (c.type.name !== 'GEOMETRY') throw sqlError('ER_WRONG_USAGE', 'SRID', 'non-geometry column');
    requireSrs(c.type.srid);
  }
  const ai = def.columns.filter((c) => c.autoIncrement);
  if (ai.length > 1) throw sqlError('ER_WRONG_AUTO_KEY');
  if (ai.length === 1) {
    if (!caps.autoIncrement) throw sqlError('ER_TABLE_CANT_HANDLE_AUTO_INCREMENT');
    const pos = def.columns.indexOf(ai[0]!);
    const leads = def.indexes.some((i) => i.parts[0]?.column === pos && i.kind !== 'FULLTEXT' && i.kind !== 'SPATIAL');
    const anyPart = def.indexes.some((i) => i.parts.some((p) => p.column === pos));
    // MyISAM and MERGE number a later key part per group of the leading ones (MYISAM-018).
    const ok = engine.name === 'MyISAM' || engine.name === 'MRG_MYISAM' ? anyPart : leads;
    if (!ok) throw sqlError('ER_WRONG_AUTO_KEY');
  }
  for (const idx of def.indexes) {
    if (idx.kind === 'FULLTEXT' && !caps.fulltext) throw sqlError('ER_TABLE_CANT_HANDLE_FT');
    if (idx.kind === 'SPATIAL' && !caps.spatial) throw sqlError('ER_TABLE_CANT_HANDLE_SPKEYS');
  }
  if (def.indexes.length > 0 && !caps.indexes) throw sqlError('ER_TOO_MANY_KEYS', caps.maxKeys);
  if (def.indexes.length > caps.maxKeys) throw sqlError('ER_TOO_MANY_KEYS', caps.maxKeys);
  for (const idx of def.indexes) {
    if (idx.parts.length > caps.maxKeyParts) throw sqlError('ER_TOO_MANY_KEY_PARTS', caps.maxKeyParts);
    if (idx.kind === 'FULLTEXT' || idx.kind === 'SPATIAL') continue;
    if (keyLength(def, idx) > caps.maxKeyLength) throw sqlError('ER_TOO_LONG_KEY', caps.maxKeyLength);
    const nullPart = idx.parts.find((p) => def.columns[p.column]!.nullable);
    if (!caps.nullableIndexColumns && nullPart) throw sqlError('ER_NULL_COLUMN_IN_INDEX', def.columns[nullPart.column]!.name);
  }
  if (!caps.nullableColumns) {
    const c = def.columns.find((x) => x.nullable);
    if (c) throw sqlError('ER_CHECK_NOT_IMPLEMENTED', 'nullable columns');
  }
  engine.validate?.(def, env);
}

/** The session as an engine's validation sees it. */
export function validationEnv(session: { sysvar(name: string): Value; warnRaw(level: 'Warning', code: number, message: string): void }, statement: 'CREATE' | 'ALTER'): ValidationEnv {
  return { sessionVar: (n) => session.sysvar(n), statement, warn: (code, message) => session.warnRaw('Warning', code, message) };
}

/** Table comment length check (1628). */
export function checkTableComment(name: string, comment: string): void {
  if ([...comment].length > MAX_TABLE_COMMENT_LENGTH) throw sqlError('ER_TOO_LONG_TABLE_COMMENT', name, MAX_TABLE_COMMENT_LENGTH);
}

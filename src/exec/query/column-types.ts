/**
 * Static types of table columns as seen by expressions, and result-set column metadata
 * (ColumnDefinition41 fields) for select-list items.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
 * @req CORE-EXEC-031
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import { collationId, maxBytesPerChar, charsetOf } from '../../kernel/charset/index.js';
import type { ExprType } from '../../sql/eval/index.js';
import { ColumnFlag, MysqlType, type ColumnType, type ResultColumn } from '../../kernel/column-type.js';

const INT_WIDTH: Record<string, [number, number]> = {
  TINYINT: [4, 3],
  SMALLINT: [6, 5],
  MEDIUMINT: [9, 8],
  INT: [11, 10],
  BIGINT: [20, 20],
};

const MYSQL_TYPE: Record<string, number> = {
  TINYINT: MysqlType.TINY,
  SMALLINT: MysqlType.SHORT,
  MEDIUMINT: MysqlType.INT24,
  INT: MysqlType.LONG,
  BIGINT: MysqlType.LONGLONG,
  DECIMAL: MysqlType.NEWDECIMAL,
  FLOAT: MysqlType.FLOAT,
  DOUBLE: MysqlType.DOUBLE,
  BIT: MysqlType.BIT,
  CHAR: MysqlType.STRING,
  BINARY: MysqlType.STRING,
  VARCHAR: MysqlType.VAR_STRING,
  VARBINARY: MysqlType.VAR_STRING,
  TINYTEXT: MysqlType.BLOB,
  TEXT: MysqlType.BLOB,
  MEDIUMTEXT: MysqlType.BLOB,
  LONGTEXT: MysqlType.BLOB,
  TINYBLOB: MysqlType.BLOB,
  BLOB: MysqlType.BLOB,
  MEDIUMBLOB: MysqlType.BLOB,
  LONGBLOB: MysqlType.BLOB,
  ENUM: MysqlType.STRING,
  SET: MysqlType.STRING,
  DATE: MysqlType.DATE,
  TIME: MysqlType.TIME,
  DATETIME: MysqlType.DATETIME,
  TIMESTAMP: MysqlType.TIMESTAMP,
  YEAR: MysqlType.YEAR,
  JSON: MysqlType.JSON,
  GEOMETRY: MysqlType.GEOMETRY,
  NULL: MysqlType.NULL,
};

const BLOB_CHARS: Record<string, number> = {
  TINYTEXT: 255,
  TEXT: 65535,
  MEDIUMTEXT: 16777215,
  LONGTEXT: 4294967295,
  TINYBLOB: 255,
  BLOB: 65535,
  MEDIUMBLOB: 16777215,
  LONGBLOB: 4294967295,
};

/** The expression type of a value read from a column. @req CORE-EXEC-031 */
export function exprTypeOfColumn(col: ColumnDef): ExprType {
  return exprTypeOfDeclared(col.type, col.nullable, col.collation ?? col.type.collation);
}

export function exprTypeOfDeclared(t: ColumnType, nullable: boolean, collation?: string): ExprType {
  const mysqlType = MYSQL_TYPE[t.name] ?? MysqlType.VAR_STRING;
  // Each type is built as one object literal: a spread followed by new properties costs about a
  // microsecond per property in this V8 (measured), and this runs for every column of every
  // table a statement compiles. CORE-PERF-046
  switch (t.name) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'BIGINT': {
      const w = INT_WIDTH[t.name]!;
      return { nullable, mysqlType, kind: 'int', unsigned: !!t.unsigned, length: t.zerofill && t.length ? t.length : t.unsigned ? w[1] : w[0], decimals: 0 };
    }
    case 'YEAR':
      return { nullable, mysqlType, kind: 'int', unsigned: true, length: 4, decimals: 0 };
    case 'BIT':
      return { nullable, mysqlType, kind: 'string', binary: true, collation: 'binary', length: t.length ?? 1, decimals: 0 };
    case 'DECIMAL': {
      const m = t.length ?? 10;
      const d = t.scale ?? 0;
      return { nullable, mysqlType, kind: 'decimal', unsigned: !!t.unsigned, length: m + (d > 0 ? 1 : 0) + (t.unsigned ? 0 : 1), decimals: d };
    }
    case 'FLOAT':
      return { nullable, mysqlType, kind: 'double', unsigned: !!t.unsigned, length: t.length ?? 12, decimals: t.scale ?? 31 };
    case 'DOUBLE':
      return { nullable, mysqlType, kind: 'double', unsigned: !!t.unsigned, length: t.length ?? 22, decimals: t.scale ?? 31 };
    case 'DATE':
      return { nullable, mysqlType, kind: 'temporal', temporal: 'DATE', length: 10, decimals: 0 };
    case 'TIME': {
      const f = t.scale ?? 0;
      return { nullable, mysqlType, kind: 'temporal', temporal: 'TIME', length: 10 + (f ? f + 1 : 0), decimals: f };
    }
    case 'DATETIME':
    case 'TIMESTAMP': {
      const f = t.scale ?? 0;
      return { nullable, mysqlType, kind: 'temporal', temporal: t.name, length: 19 + (f ? f + 1 : 0), decimals: f };
    }
    case 'JSON':
      return { nullable, mysqlType, kind: 'json', collation: 'utf8mb4_bin', length: 4294967295, decimals: 0 };
    case 'BINARY':
    case 'VARBINARY':
      return { nullable, mysqlType, kind: 'string', binary: true, collation: 'binary', length: t.length ?? 1, decimals: 0 };
    case 'TINYBLOB':
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
      return { nullable, mysqlType, kind: 'string', binary: true, collation: 'binary', length: BLOB_CHARS[t.name]!, decimals: 0, flags: ColumnFlag.BLOB };
    case 'TINYTEXT':
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      return { nullable, mysqlType, kind: 'string', collation: collation ?? 'utf8mb4_0900_ai_ci', length: BLOB_CHARS[t.name]!, decimals: 0, flags: ColumnFlag.BLOB };
    case 'ENUM':
    case 'SET': {
      const vals = t.values ?? [];
      const len = t.name === 'ENUM' ? Math.max(0, ...vals.map((v) => [...v].length)) : vals.reduce((n, v) => n + [...v].length, 0) + Math.max(0, vals.length - 1);
      return {
        nullable, mysqlType, kind: 'string', collation: collation ?? 'utf8mb4_0900_ai_ci', length: len, decimals: 0,
        flags: t.name === 'ENUM' ? ColumnFlag.ENUM : ColumnFlag.SET,
        enumMembers: vals, enumSet: t.name === 'SET',
      };
    }
    case 'NULL':
      return { nullable, mysqlType, kind: 'null', length: 0, decimals: 0 };
    default:
      return { nullable, mysqlType, kind: 'string', collation: collation ?? 'utf8mb4_0900_ai_ci', length: t.length ?? 1, decimals: 0 };
  }
}

function defaultMysqlType(t: ExprType): number {
  switch (t.kind) {
    case 'int':
      return t.length > 11 ? MysqlType.LONGLONG : MysqlType.LONGLONG;
    case 'decimal':
      return MysqlType.NEWDECIMAL;
    case 'double':
      return MysqlType.DOUBLE;
    case 'temporal':
      return t.temporal === 'DATE' ? MysqlType.DATE : t.temporal === 'TIME' ? MysqlType.TIME : t.temporal === 'TIMESTAMP' ? MysqlType.TIMESTAMP : MysqlType.DATETIME;
    case 'json':
      return MysqlType.JSON;
    case 'null':
      return MysqlType.NULL;
    default:
      return t.length > 65535 / 4 ? MysqlType.BLOB : MysqlType.VAR_STRING;
  }
}

export interface ColumnOrigin {
  schema: string;
  table: string;
  orgTable: string;
  orgName: string;
  def?: ColumnDef;
  tableDef?: TableDef;
}

/** Key flags of a column from the table's indexes. */
function keyFlags(col: ColumnDef, table: TableDef): number {
  const pos = table.columns.indexOf(col);
  if (pos < 0) return 0;
  let f = 0;
  for (const ix of table.indexes) {
    const at = ix.parts.findIndex((p) => p.column === pos);
    if (at < 0) continue;
    f |= ColumnFlag.PART_KEY;
    if (ix.kind === 'PRIMARY') f |= ColumnFlag.PRI_KEY;
    else if (ix.kind === 'UNIQUE' && ix.parts.length === 1) f |= ColumnFlag.UNIQUE_KEY;
    else if (at === 0) f |= ColumnFlag.MULTIPLE_KEY;
  }
  return f;
}

/** Result-set metadata for a select-list item. @req CORE-EXEC-031 */
export function resultColumnOf(t: ExprType, name: string, origin?: ColumnOrigin): ResultColumn {
  const type = (t.mysqlType ?? defaultMysqlType(t)) as ResultColumn['type'];
  const isText = (t.kind === 'string' || t.kind === 'json') && !t.binary;
  const collation = isText ? (t.collation ?? 'utf8mb4_0900_ai_ci') : 'binary';
  const charsetId = isText ? collationId(collation) : 63;
  let length = t.length;
  if (isText && t.kind !== 'json') {
    const mb = maxBytesPerChar(charsetOf(collation));
    length = Math.min(t.length * mb, 4294967295);
  }
  let flags = t.flags ?? 0;
  if (!t.nullable) flags |= ColumnFlag.NOT_NULL;
  if (t.unsigned) flags |= ColumnFlag.UNSIGNED;
  const numeric = t.kind === 'int' || t.kind === 'decimal' || t.kind === 'double';
  // BINARY marks binary-collated values: every non-text expression, NULL included, but not a
  // table's numeric columns (MySQL's field objects for numbers carry no charset flag). @req CORE-DIAG-031
  if (!isText && !(numeric && origin?.def)) flags |= ColumnFlag.BINARY;
  if (numeric || t.kind === 'null') flags |= ColumnFlag.NUM;
  if (origin?.def) {
    const d = origin.def;
    // A YEAR column is sent as zero-filled (flags UNSIGNED | ZEROFILL, length 4): year 0 reads 0000. @req CORE-DET-005
    if (d.type.zerofill || d.type.name === 'YEAR') flags |= ColumnFlag.ZEROFILL;
    if (d.autoIncrement) flags |= ColumnFlag.AUTO_INCREMENT;
    if (d.type.name === 'TIMESTAMP') flags |= ColumnFlag.TIMESTAMP;
    if (d.onUpdateNow) flags |= ColumnFlag.ON_UPDATE_NOW;
    if (!d.nullable && d.default === undefined && d.defaultExpr === undefined && !d.autoIncrement) flags |= ColumnFlag.NO_DEFAULT_VALUE;
    if (origin.tableDef) flags |= keyFlags(d, origin.tableDef);
  }
  // A string expression's decimals are 31 (MySQL's "not fixed"); a string column's are 0. @req CORE-DIAG-031
  const decimals = t.kind === 'string' ? (origin?.def || type === MysqlType.ENUM || type === MysqlType.SET ? 0 : 31) : t.kind === 'json' || t.kind === 'int' ? 0 : t.kind === 'null' ? 0 : t.decimals;
  return {
    schema: origin?.schema ?? '',
    table: origin?.table ?? '',
    orgTable: origin?.orgTable ?? '',
    name,
    orgName: origin?.orgName ?? '',
    charsetId,
    length,
    type,
    flags,
    decimals,
  };
}

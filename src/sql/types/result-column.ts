/**
 * From static types to protocol column metadata: the ColumnDefinition41 fields MySQL sends for
 * an expression or a table column (type code, length in bytes, charset id, flags, decimals).
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
 * @req CORE-TYPE-060 CORE-TYPE-061
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import { charsetOf, collationId, findCollation, maxBytesPerChar } from '../../kernel/charset/index.js';
import type { ExprType } from '../eval/types.js';
import { ColumnFlag, MysqlType, type MysqlTypeCode, type ResultColumn } from '../../kernel/column-type.js';
import { NOT_FIXED_DEC } from './limits.js';

const INT_WIDTH: Record<string, number> = { TINYINT: 4, SMALLINT: 6, MEDIUMINT: 9, INT: 11, BIGINT: 20 };
const INT_CODE: Record<string, MysqlTypeCode> = {
  TINYINT: MysqlType.TINY, SMALLINT: MysqlType.SHORT, MEDIUMINT: MysqlType.INT24, INT: MysqlType.LONG, BIGINT: MysqlType.LONGLONG,
};
const BLOB_LEN: Record<string, number> = {
  TINYTEXT: 255, TEXT: 65535, MEDIUMTEXT: 16777215, LONGTEXT: 4294967295,
  TINYBLOB: 255, BLOB: 65535, MEDIUMBLOB: 16777215, LONGBLOB: 4294967295,
};

/** Default MysqlType code for an expression type. */
export function mysqlTypeOf(t: ExprType): MysqlTypeCode {
  if (t.mysqlType !== undefined) return t.mysqlType as MysqlTypeCode;
  switch (t.kind) {
    case 'int':
      return MysqlType.LONGLONG;
    case 'decimal':
      return MysqlType.NEWDECIMAL;
    case 'double':
      return MysqlType.DOUBLE;
    case 'json':
      return MysqlType.JSON;
    case 'null':
      return MysqlType.NULL;
    case 'temporal':
      return t.temporal === 'DATE' ? MysqlType.DATE : t.temporal === 'TIME' ? MysqlType.TIME : t.temporal === 'TIMESTAMP' ? MysqlType.TIMESTAMP : MysqlType.DATETIME;
    default:
      return t.length > 65535 / 4 && !t.binary ? MysqlType.BLOB : MysqlType.VAR_STRING;
  }
}

/**
 * Result-set metadata for an expression (or a column, when `extra` names its table).
 * Length is in bytes: characters times the charset's maximum bytes per character.
 * @req CORE-TYPE-060
 */
export function resultColumnFromType(
  type: ExprType,
  name: string,
  extra: { schema?: string; table?: string; orgTable?: string; orgName?: string; flags?: number } = {},
): ResultColumn {
  const code = mysqlTypeOf(type);
  let flags = (extra.flags ?? 0) | (type.flags ?? 0);
  if (!type.nullable) flags |= ColumnFlag.NOT_NULL;
  if (type.unsigned) flags |= ColumnFlag.UNSIGNED;
  let charsetId = 63;
  let length = type.length;
  const isString = type.kind === 'string' || type.kind === 'json';
  if (isString && !type.binary) {
    const coll = type.collation ?? 'utf8mb4_0900_ai_ci';
    charsetId = type.kind === 'json' ? 63 : collationId(coll);
    if (type.kind !== 'json') length = Math.min(4294967295, type.length * maxBytesPerChar(charsetOf(coll)));
  } else if (type.kind === 'int' || type.kind === 'decimal' || type.kind === 'double') {
    flags |= ColumnFlag.NUM;
    if (type.binary !== false) flags |= ColumnFlag.BINARY;
  } else if (type.kind === 'temporal' || type.binary) {
    flags |= ColumnFlag.BINARY;
  }
  if (code === MysqlType.BLOB || code === MysqlType.TINY_BLOB || code === MysqlType.MEDIUM_BLOB || code === MysqlType.LONG_BLOB) flags |= ColumnFlag.BLOB;
  if (code === MysqlType.JSON) {
    flags |= ColumnFlag.BLOB | ColumnFlag.BINARY;
    length = 4294967295;
  }
  let decimals = type.decimals;
  if (type.kind === 'string' || type.kind === 'json') decimals = NOT_FIXED_DEC;
  if (type.kind === 'int' || (type.kind === 'temporal' && type.temporal === 'DATE')) decimals = 0;
  if (type.kind === 'null') {
    decimals = 0;
    flags |= ColumnFlag.BINARY;
  }
  return {
    schema: extra.schema ?? '',
    table: extra.table ?? '',
    orgTable: extra.orgTable ?? '',
    name,
    orgName: extra.orgName ?? '',
    charsetId,
    length,
    type: code,
    flags,
    decimals,
  };
}

/**
 * Static type of a table column: what a column reference evaluates to.
 * @req CORE-TYPE-061
 */
export function columnDefType(col: ColumnDef): ExprType {
  const t = col.type;
  const nullable = col.nullable;
  const collation = col.collation ?? t.collation ?? 'utf8mb4_0900_ai_ci';
  let flags = 0;
  if (t.zerofill) flags |= ColumnFlag.ZEROFILL | ColumnFlag.UNSIGNED;
  if (col.autoIncrement) flags |= ColumnFlag.AUTO_INCREMENT;
  if (col.onUpdateNow) flags |= ColumnFlag.ON_UPDATE_NOW;
  if (col.default === undefined && !col.defaultExpr && !col.autoIncrement && !col.nullable) flags |= ColumnFlag.NO_DEFAULT_VALUE;
  const unsigned = !!(t.unsigned || t.zerofill);
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': {
      let len = t.length ?? INT_WIDTH[t.name]!;
      if (t.length === undefined && unsigned && t.name !== 'BIGINT') len--;
      return { kind: 'int', unsigned, length: len, decimals: 0, nullable, mysqlType: INT_CODE[t.name], flags };
    }
    case 'YEAR':
      return { kind: 'int', unsigned: true, length: 4, decimals: 0, nullable, mysqlType: MysqlType.YEAR, flags: flags | ColumnFlag.ZEROFILL };
    case 'BIT':
      return { kind: 'int', unsigned: true, length: t.length ?? 1, decimals: 0, nullable, mysqlType: MysqlType.BIT, flags };
    case 'DECIMAL': {
      const p = t.length ?? 10, s = t.scale ?? 0;
      return { kind: 'decimal', unsigned, length: p + (s > 0 ? 1 : 0) + (unsigned ? 0 : 1), decimals: s, nullable, mysqlType: MysqlType.NEWDECIMAL, flags };
    }
    case 'FLOAT':
      return { kind: 'double', unsigned, length: t.length ?? 12, decimals: t.scale ?? NOT_FIXED_DEC, nullable, mysqlType: MysqlType.FLOAT, flags };
    case 'DOUBLE':
      return { kind: 'double', unsigned, length: t.length ?? 22, decimals: t.scale ?? NOT_FIXED_DEC, nullable, mysqlType: MysqlType.DOUBLE, flags };
    case 'DATE':
      return { kind: 'temporal', temporal: 'DATE', length: 10, decimals: 0, nullable, mysqlType: MysqlType.DATE, flags };
    case 'TIME': {
      const fsp = t.scale ?? 0;
      return { kind: 'temporal', temporal: 'TIME', length: 10 + (fsp ? fsp + 1 : 0), decimals: fsp, nullable, mysqlType: MysqlType.TIME, flags };
    }
    case 'DATETIME': case 'TIMESTAMP': {
      const fsp = t.scale ?? 0;
      const f = t.name === 'TIMESTAMP' ? flags | ColumnFlag.TIMESTAMP : flags;
      return { kind: 'temporal', temporal: t.name, length: 19 + (fsp ? fsp + 1 : 0), decimals: fsp, nullable, mysqlType: t.name === 'TIMESTAMP' ? MysqlType.TIMESTAMP : MysqlType.DATETIME, flags: f };
    }
    case 'CHAR':
      return { kind: 'string', collation, length: t.length ?? 1, decimals: 0, nullable, mysqlType: MysqlType.STRING, flags };
    case 'VARCHAR':
      return { kind: 'string', collation, length: t.length ?? 255, decimals: 0, nullable, mysqlType: MysqlType.VAR_STRING, flags };
    case 'BINARY':
      return { kind: 'string', binary: true, collation: 'binary', length: t.length ?? 1, decimals: 0, nullable, mysqlType: MysqlType.STRING, flags: flags | ColumnFlag.BINARY };
    case 'VARBINARY':
      return { kind: 'string', binary: true, collation: 'binary', length: t.length ?? 255, decimals: 0, nullable, mysqlType: MysqlType.VAR_STRING, flags: flags | ColumnFlag.BINARY };
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT': {
      const mb = maxBytesPerChar(charsetOf(collation));
      return { kind: 'string', collation, length: Math.floor(BLOB_LEN[t.name]! / mb), decimals: 0, nullable, mysqlType: MysqlType.BLOB, flags: flags | ColumnFlag.BLOB };
    }
    case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
      return { kind: 'string', binary: true, collation: 'binary', length: BLOB_LEN[t.name]!, decimals: 0, nullable, mysqlType: MysqlType.BLOB, flags: flags | ColumnFlag.BLOB | ColumnFlag.BINARY };
    case 'ENUM': {
      const len = Math.max(0, ...(t.values ?? []).map((v) => [...v].length));
      return { kind: 'string', collation, length: len, decimals: 0, nullable, mysqlType: MysqlType.STRING, flags: flags | ColumnFlag.ENUM };
    }
    case 'SET': {
      const vals = t.values ?? [];
      const len = vals.reduce((n, v) => n + [...v].length, 0) + Math.max(0, vals.length - 1);
      return { kind: 'string', collation, length: len, decimals: 0, nullable, mysqlType: MysqlType.STRING, flags: flags | ColumnFlag.SET };
    }
    case 'JSON':
      return { kind: 'json', collation: 'utf8mb4_bin', length: 4294967295, decimals: 0, nullable, mysqlType: MysqlType.JSON, flags: flags | ColumnFlag.BLOB | ColumnFlag.BINARY };
    case 'GEOMETRY':
      return { kind: 'string', binary: true, collation: 'binary', length: 4294967295, decimals: 0, nullable, mysqlType: MysqlType.GEOMETRY, flags: flags | ColumnFlag.BLOB | ColumnFlag.BINARY };
    default:
      return { kind: 'null', length: 0, decimals: 0, nullable: true };
  }
}

/** Whether a collation is known (for callers validating COLLATE clauses). */
export function isKnownCollation(name: string): boolean {
  return findCollation(name) !== undefined;
}

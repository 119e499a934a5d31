/**
 * Data type syntax in column definitions. Synonyms are normalised here so that the rest of
 * the server sees one spelling per type: INTEGER -> INT, BOOL/BOOLEAN -> TINYINT(1),
 * REAL/DOUBLE PRECISION/FLOAT8 -> DOUBLE, NUMERIC/DEC/FIXED -> DECIMAL, NCHAR/NATIONAL CHAR ->
 * CHAR with utf8mb3, CHAR VARYING -> VARCHAR, LONG VARCHAR -> MEDIUMTEXT, SERIAL -> BIGINT
 * UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE, FLOAT(p) -> FLOAT or DOUBLE by precision.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/other-vendor-data-types.html
 * @req CORE-SQL-020
 */
import type { ColumnType, TypeName } from '../../kernel/column-type.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';

export interface ParsedType {
  type: ColumnType;
  /** SERIAL implies NOT NULL AUTO_INCREMENT UNIQUE on the column. */
  serial?: boolean;
}

/** A character set name (identifier, string, or BINARY). */
export function parseCharsetName(p: Cursor): string {
  const t = p.peek();
  if (t.type === Tok.IDENT && (t.upper === 'BINARY' || t.upper === 'DEFAULT')) {
    p.next();
    return t.value.toLowerCase();
  }
  return p.identOrString().toLowerCase();
}

/** A collation name. */
export function parseCollationName(p: Cursor): string {
  const t = p.peek();
  if (t.type === Tok.IDENT && t.upper === 'BINARY') {
    p.next();
    return 'binary';
  }
  return p.identOrString().toLowerCase();
}

function optWidth(p: Cursor, type: ColumnType): void {
  if (p.isOp('(')) {
    p.next();
    type.length = p.integer();
    p.expectOp(')');
  }
}

function optPrecision(p: Cursor, type: ColumnType, scaleRequired: boolean): void {
  if (p.isOp('(')) {
    p.next();
    type.length = p.integer();
    if (p.acceptOp(',')) type.scale = p.integer();
    else if (scaleRequired) throw p.error();
    p.expectOp(')');
  }
}

function numericAttrs(p: Cursor, type: ColumnType): void {
  for (;;) {
    if (p.acceptKw('UNSIGNED')) type.unsigned = true;
    else if (p.acceptKw('SIGNED')) {
      /* default */
    } else if (p.acceptKw('ZEROFILL')) {
      type.zerofill = true;
      type.unsigned = true;
    } else return;
  }
}

/** `[BINARY] [CHARACTER SET cs | CHARSET cs | ASCII | UNICODE | BYTE] [COLLATE co]` after text types. */
function stringAttrs(p: Cursor, type: ColumnType): void {
  // One character set (CHARACTER SET, ASCII, UNICODE or BYTE) and one BINARY, in either order;
  // BYTE takes no BINARY. A repeated one is a syntax error, as in MySQL. @req CORE-GRAM-005
  let charset = false;
  let binary = false;
  let byte = false;
  const once = (isCharset: boolean): void => {
    if (isCharset ? charset : binary) throw p.error();
    if (isCharset) charset = true;
    else binary = true;
    if (byte && binary) throw p.error();
  };
  for (;;) {
    if (p.isKw('CHARACTER') && p.isKw('SET', 1)) {
      once(true);
      p.next();
      p.next();
      type.charset = parseCharsetName(p);
    } else if (p.isKw('CHARSET')) {
      once(true);
      p.next();
      type.charset = parseCharsetName(p);
    } else if (p.isKw('ASCII') || p.isKw('UNICODE') || p.isKw('BYTE')) {
      const w = p.peek().upper;
      if (w === 'BYTE') byte = true;
      once(true);
      p.next();
      type.charset = w === 'ASCII' ? 'latin1' : w === 'UNICODE' ? 'ucs2' : 'binary';
    } else if (p.isKw('BINARY')) {
      once(false);
      p.next();
      type.collation = type.collation ?? '_bin';
    } else if (p.acceptKw('COLLATE')) type.collation = parseCollationName(p);
    else return;
  }
}

const INT_TYPES: Record<string, TypeName> = {
  TINYINT: 'TINYINT', INT1: 'TINYINT', SMALLINT: 'SMALLINT', INT2: 'SMALLINT', MEDIUMINT: 'MEDIUMINT',
  MIDDLEINT: 'MEDIUMINT', INT3: 'MEDIUMINT', INT: 'INT', INTEGER: 'INT', INT4: 'INT', BIGINT: 'BIGINT', INT8: 'BIGINT',
};

const SIMPLE_TEXT: Record<string, TypeName> = {
  TINYTEXT: 'TINYTEXT', MEDIUMTEXT: 'MEDIUMTEXT', LONGTEXT: 'LONGTEXT', TINYBLOB: 'TINYBLOB',
  MEDIUMBLOB: 'MEDIUMBLOB', LONGBLOB: 'LONGBLOB',
};

const GEOMETRY_TYPES: ReadonlySet<string> = new Set([
  'GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON',
  'GEOMETRYCOLLECTION', 'GEOMCOLLECTION',
]);

/** Parse a column data type. @req CORE-SQL-020 */
export function parseDataType(p: Cursor, realAsFloat = false): ParsedType {
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  p.next();
  const u = t.upper;
  const intName = INT_TYPES[u];
  if (intName !== undefined) {
    const type: ColumnType = { name: intName };
    optWidth(p, type);
    numericAttrs(p, type);
    return { type };
  }
  const simple = SIMPLE_TEXT[u];
  if (simple !== undefined) {
    const type: ColumnType = { name: simple };
    if (!simple.endsWith('BLOB')) stringAttrs(p, type);
    return { type };
  }
  if (GEOMETRY_TYPES.has(u)) {
    // the subtype is kept so that SHOW CREATE TABLE prints it and stores check the class @req CORE-GIS-001
    if (u === 'GEOMETRY') return { type: { name: 'GEOMETRY' } };
    return { type: { name: 'GEOMETRY', geometry: u === 'GEOMCOLLECTION' ? 'GEOMETRYCOLLECTION' : (u as NonNullable<ColumnType['geometry']>) } };
  }
  switch (u) {
    case 'BOOL':
    case 'BOOLEAN':
      return { type: { name: 'TINYINT', length: 1 } };
    case 'SERIAL':
      return { type: { name: 'BIGINT', unsigned: true }, serial: true };
    case 'BIT': {
      const type: ColumnType = { name: 'BIT' };
      optWidth(p, type);
      return { type };
    }
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC':
    case 'FIXED': {
      const type: ColumnType = { name: 'DECIMAL' };
      optPrecision(p, type, false);
      numericAttrs(p, type);
      return { type };
    }
    case 'FLOAT':
    case 'FLOAT4': {
      const type: ColumnType = { name: 'FLOAT' };
      if (p.isOp('(')) {
        p.next();
        const m = p.integer();
        if (p.acceptOp(',')) {
          type.length = m;
          type.scale = p.integer();
        } else if (m > 24) type.name = 'DOUBLE';
        p.expectOp(')');
      }
      numericAttrs(p, type);
      return { type };
    }
    case 'DOUBLE':
    case 'FLOAT8':
    case 'REAL': {
      if (u === 'DOUBLE') p.acceptKw('PRECISION');
      const type: ColumnType = { name: u === 'REAL' && realAsFloat ? 'FLOAT' : 'DOUBLE' };
      optPrecision(p, type, true);
      numericAttrs(p, type);
      return { type };
    }
    case 'CHAR':
    case 'CHARACTER':
    case 'NCHAR':
    case 'NATIONAL':
    case 'NVARCHAR':
    case 'VARCHAR':
    case 'VARCHARACTER':
      return parseCharType(p, u);
    case 'BINARY':
    case 'VARBINARY': {
      const type: ColumnType = { name: u };
      if (u === 'VARBINARY') {
        p.expectOp('(');
        type.length = p.integer();
        p.expectOp(')');
      } else optWidth(p, type);
      return { type };
    }
    case 'TEXT':
    case 'BLOB': {
      const type: ColumnType = { name: u };
      optWidth(p, type);
      if (u === 'TEXT') stringAttrs(p, type);
      return { type };
    }
    case 'LONG': {
      if (p.acceptKw('VARBINARY')) return { type: { name: 'MEDIUMBLOB' } };
      if (!p.acceptKw('VARCHAR')) p.acceptKw('VARCHARACTER');
      const type: ColumnType = { name: 'MEDIUMTEXT' };
      stringAttrs(p, type);
      return { type };
    }
    case 'ENUM':
    case 'SET': {
      p.expectOp('(');
      const values = [p.string()];
      while (p.acceptOp(',')) values.push(p.string());
      p.expectOp(')');
      const type: ColumnType = { name: u, values };
      stringAttrs(p, type);
      return { type };
    }
    case 'DATE':
    case 'JSON':
      return { type: { name: u } };
    case 'YEAR': {
      const type: ColumnType = { name: 'YEAR' };
      optWidth(p, type);
      numericAttrs(p, type);
      return { type };
    }
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP': {
      const type: ColumnType = { name: u };
      if (p.isOp('(')) {
        p.next();
        type.scale = p.integer();
        p.expectOp(')');
      }
      return { type };
    }
    default:
      throw p.error(t);
  }
}

/** CHAR / VARCHAR and their national / VARYING spellings. */
function parseCharType(p: Cursor, u: string): ParsedType {
  let national = u === 'NCHAR' || u === 'NVARCHAR';
  let word = u;
  if (u === 'NATIONAL') {
    national = true;
    const n = p.next();
    if (n.type !== Tok.IDENT || !['CHAR', 'CHARACTER', 'VARCHAR', 'VARCHARACTER'].includes(n.upper)) throw p.error(n);
    word = n.upper;
  }
  let varying = word === 'VARCHAR' || word === 'VARCHARACTER' || word === 'NVARCHAR';
  if (!varying && (word === 'CHAR' || word === 'CHARACTER' || word === 'NCHAR')) {
    if (p.acceptKw('VARYING')) varying = true;
    else if (word === 'NCHAR' && p.acceptKw('VARCHAR')) varying = true;
  }
  const type: ColumnType = { name: varying ? 'VARCHAR' : 'CHAR' };
  if (varying) {
    p.expectOp('(');
    type.length = p.integer();
    p.expectOp(')');
  } else optWidth(p, type);
  if (national) type.charset = 'utf8mb3';
  stringAttrs(p, type);
  return { type };
}

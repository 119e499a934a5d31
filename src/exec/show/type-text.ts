/**
 * How MySQL 8.0 spells a column's type and default in SHOW CREATE TABLE, SHOW COLUMNS and
 * information_schema.COLUMNS.COLUMN_TYPE: lower case, no integer display widths (8.0.19+)
 * except `tinyint(1)` and ZEROFILL columns, `unsigned`/`zerofill` suffixes, quoted ENUM/SET
 * members, fractional-second precision only when non-zero.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-table.html
 * @req CORE-SHOW-003
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import { formatDouble } from '../../sql/types/format.js';
import { normaliseExprText } from '../../sql/print/normalise.js';

const DEFAULT_WIDTH: Record<string, [number, number]> = {
  TINYINT: [4, 3],
  SMALLINT: [6, 5],
  MEDIUMINT: [9, 8],
  INT: [11, 10],
  BIGINT: [20, 20],
};

export function quoteString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/** `int unsigned`, `varchar(20)`, `decimal(10,2)`, `enum('a','b')` ... */
export function columnTypeText(col: ColumnDef): string {
  const t = col.type;
  const name = t.name.toLowerCase();
  let s: string;
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': {
      if (t.zerofill) {
        const w = t.length ?? DEFAULT_WIDTH[t.name]![1];
        s = `${name}(${w})`;
      } else if (t.name === 'TINYINT' && t.length === 1) s = 'tinyint(1)';
      else s = name;
      break;
    }
    case 'DECIMAL':
      s = `decimal(${t.length ?? 10},${t.scale ?? 0})`;
      break;
    case 'FLOAT': case 'DOUBLE':
      s = t.length !== undefined && t.scale !== undefined ? `${name}(${t.length},${t.scale})` : name;
      break;
    case 'BIT':
      s = `bit(${t.length ?? 1})`;
      break;
    case 'CHAR': case 'BINARY':
      s = `${name}(${t.length ?? 1})`;
      break;
    case 'VARCHAR': case 'VARBINARY':
      s = `${name}(${t.length ?? 0})`;
      break;
    case 'ENUM': case 'SET':
      s = `${name}(${(t.values ?? []).map(quoteString).join(',')})`;
      break;
    case 'TIME': case 'DATETIME': case 'TIMESTAMP':
      s = t.scale ? `${name}(${t.scale})` : name;
      break;
    case 'GEOMETRY':
      // MySQL 8.0 spells a GEOMETRYCOLLECTION column `geomcollection` @req CORE-GIS-001
      s = t.geometry === undefined ? 'geometry' : t.geometry === 'GEOMETRYCOLLECTION' ? 'geomcollection' : t.geometry.toLowerCase();
      break;
    default:
      s = name;
  }
  if (t.unsigned && ['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE'].includes(t.name)) s += ' unsigned';
  if (t.zerofill) s += ' zerofill';
  return s;
}

/** A stored value as the text SHOW COLUMNS prints in `Default` (no quotes). */
export function defaultValueText(v: Value, col: ColumnDef): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) {
    if (col.type.name === 'BIT') return "b'" + BigInt('0x' + (v.toString('hex') || '0')).toString(2) + "'";
    return v.toString('latin1');
  }
  if (typeof v === 'bigint') {
    if (col.type.name === 'BIT') return "b'" + v.toString(2) + "'";
    return v.toString();
  }
  if (typeof v === 'number') return formatDouble(v);
  if (v instanceof Decimal || v instanceof Temporal) return v.toString();
  return v;
}

/** The DEFAULT clause of SHOW CREATE TABLE, or '' when none is printed. */
/**
 * An expression default as SHOW CREATE TABLE shows it: `(expr)` with the expression in MySQL's
 * printed form; CURRENT_TIMESTAMP[(n)] as it is. @req CORE-CHECK-031
 */
export function defaultExprText(stored: string): string {
  return stored.startsWith('(') && stored.endsWith(')') ? `(${normaliseExprText(stored.slice(1, -1))})` : stored;
}

export function defaultClause(col: ColumnDef): string {
  if (col.defaultExpr !== undefined) return ` DEFAULT ${defaultExprText(col.defaultExpr)}`;
  if (col.default === undefined) {
    if (col.nullable && !col.autoIncrement && !isBlobish(col)) return ' DEFAULT NULL';
    return '';
  }
  const v = col.default;
  if (v === null) return ' DEFAULT NULL';
  if (col.type.name === 'BIT') return ` DEFAULT ${defaultValueText(v, col)}`;
  if (Buffer.isBuffer(v)) return ` DEFAULT 0x${v.toString('hex')}`;
  return ` DEFAULT ${quoteString(defaultValueText(v, col) ?? '')}`;
}

function isBlobish(col: ColumnDef): boolean {
  return ['TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON'].includes(col.type.name);
}

/**
 * The SQL FEDERATED sends and the rows it gets back: identifiers quoted with backticks, values as
 * literals (strings escaped with backslashes as MySQL's FEDERATED does, binary values as hex,
 * temporal values as quoted text), text-protocol fields decoded into the local column's value
 * type, and the WHERE clauses of index reads and of the UPDATE/DELETE of one row.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-description.html (16.8.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-usagenotes.html (16.8.3)
 * @req FEDERATED-012 FEDERATED-074 FEDERATED-076
 */
import type { ColumnDef, IndexDef, TableDef } from '../../kernel/table-def.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import type { IndexRead } from '../handler.js';

/** `name` quoted as an identifier. */
export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A string literal with backslash escapes (the remote is assumed not to run NO_BACKSLASH_ESCAPES, as MySQL's FEDERATED assumes). */
export function quoteString(text: string): string {
  let out = "'";
  for (const ch of text) {
    switch (ch) {
      case '\0': out += '\\0'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\x1a': out += '\\Z'; break;
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      default: out += ch;
    }
  }
  return out + "'";
}

/** A value as an SQL literal the remote reads back as the same value. */
export function literal(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'NULL';
    // Enough digits to read back the same double; exponent form is valid MySQL.
    return String(v);
  }
  if (typeof v === 'string') return quoteString(v);
  if (Buffer.isBuffer(v)) return v.length === 0 ? "''" : `X'${v.toString('hex')}'`;
  if (v instanceof Decimal) return v.toString();
  if (v instanceof Temporal) return quoteString(v.toString());
  return quoteString(String(v));
}

function isBinaryType(c: ColumnDef): boolean {
  const n = c.type.name;
  return n === 'BINARY' || n === 'VARBINARY' || n === 'TINYBLOB' || n === 'BLOB' || n === 'MEDIUMBLOB' || n === 'LONGBLOB' || n === 'BIT' || n === 'GEOMETRY';
}

/** Parse `YYYY-MM-DD[ hh:mm:ss[.ffffff]]` or `[-]hhh:mm:ss[.ffffff]` into a Temporal of `kind`. */
function parseTemporal(text: string, kind: 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP', fsp: number): Temporal | null {
  if (kind === 'TIME') {
    const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
    if (!m) return null;
    const micro = m[5] ? Number(m[5].padEnd(6, '0')) : 0;
    return new Temporal('TIME', 0, 0, 0, Number(m[2]), Number(m[3]), Number(m[4]), micro, fsp, m[1] === '-');
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
  if (!m) return null;
  const micro = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  return new Temporal(kind, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), micro, kind === 'DATE' ? 0 : fsp);
}

/**
 * A text-protocol field as the local column's value. The definitions must match (FEDERATED-032);
 * where they do not, a number that is not an integer is truncated, and a temporal value that
 * does not parse is kept as its text.
 * @req FEDERATED-012 FEDERATED-032
 */
export function decodeField(raw: Buffer | null, c: ColumnDef): Value {
  if (raw === null) return null;
  if (isBinaryType(c)) return Buffer.from(raw);
  const text = raw.toString('utf8');
  switch (c.type.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': case 'YEAR': {
      if (/^-?\d+$/.test(text)) return BigInt(text);
      const n = Number(text);
      return Number.isFinite(n) ? BigInt(Math.trunc(n)) : null;
    }
    case 'FLOAT': case 'DOUBLE':
      return Number(text);
    case 'DECIMAL':
      return Decimal.parse(text);
    case 'DATE': case 'TIME': case 'DATETIME': case 'TIMESTAMP':
      return parseTemporal(text, c.type.name, c.type.scale ?? 0) ?? text;
    default:
      return text;
  }
}

/** The remote column list of a table (all columns, in local order). */
export function columnList(def: TableDef): string {
  return def.columns.map((c) => quoteIdent(c.name)).join(', ');
}

/** `col` or `LEFT(col, n)` for a prefix key part. */
function keyExpr(def: TableDef, part: { column: number; length?: number }): string {
  const name = quoteIdent(def.columns[part.column]!.name);
  return part.length !== undefined ? `LEFT(${name}, ${part.length})` : name;
}

type Op = '=' | '>' | '>=' | '<' | '<=';

/** `expr op v` with NULL ordered before every value (as indexes order it). */
function compare(expr: string, op: Op, v: Value): string {
  if (v === null) {
    switch (op) {
      case '=': return `${expr} IS NULL`;
      case '>': return `${expr} IS NOT NULL`;
      case '>=': return '1=1';
      case '<': return '1=0';
      case '<=': return `${expr} IS NULL`;
    }
  }
  const lit = literal(v);
  if (op === '<' || op === '<=') return `(${expr} ${op} ${lit} OR ${expr} IS NULL)`;
  return `${expr} ${op} ${lit}`;
}

/** One bound of a range over key parts, as a lexicographic condition in the index's order. */
function boundCondition(def: TableDef, index: IndexDef, key: readonly Value[], inclusive: boolean, lower: boolean): string {
  const n = Math.min(key.length, index.parts.length);
  if (n === 0) return '1=1';
  const alternatives: string[] = [];
  for (let i = 0; i < n; i++) {
    const terms: string[] = [];
    for (let j = 0; j < i; j++) terms.push(compare(keyExpr(def, index.parts[j]!), '=', key[j] ?? null));
    const part = index.parts[i]!;
    // In index order a lower bound means "after": on a DESC part that is a smaller value.
    const after = lower !== !!part.desc;
    const strict: Op = after ? '>' : '<';
    const op: Op = i === n - 1 && inclusive ? (strict === '>' ? '>=' : '<=') : strict;
    terms.push(compare(keyExpr(def, part), op, key[i] ?? null));
    alternatives.push(terms.join(' AND '));
  }
  return alternatives.length === 1 ? alternatives[0]! : alternatives.map((a) => `(${a})`).join(' OR ');
}

/**
 * The WHERE condition and ORDER BY of an index read: equality on the key's prefix, or the two
 * bounds of a range; rows come back in the index's order (reversed for a reverse range).
 * @req FEDERATED-033 FEDERATED-074
 */
export function indexReadClauses(def: TableDef, index: IndexDef, read: IndexRead): { where: string; orderBy: string } {
  let where: string;
  let reverse = false;
  if (read.kind === 'eq') {
    const n = Math.min(read.key.length, index.parts.length);
    const terms: string[] = [];
    for (let i = 0; i < n; i++) terms.push(compare(keyExpr(def, index.parts[i]!), '=', read.key[i] ?? null));
    where = terms.length ? terms.join(' AND ') : '1=1';
  } else {
    const terms: string[] = [];
    if (read.low) terms.push(`(${boundCondition(def, index, read.low.key, read.low.inclusive, true)})`);
    if (read.high) terms.push(`(${boundCondition(def, index, read.high.key, read.high.inclusive, false)})`);
    where = terms.length ? terms.join(' AND ') : '1=1';
    reverse = !!read.reverse;
  }
  const orderBy = index.parts
    .map((p) => `${keyExpr(def, p)} ${!!p.desc !== reverse ? 'DESC' : 'ASC'}`)
    .join(', ');
  return { where, orderBy };
}

/** `c1 = v1 AND c2 IS NULL ...` over every column of a row: how FEDERATED finds the row it read. @req FEDERATED-076 */
export function rowCondition(def: TableDef, row: Row): string {
  return def.columns.map((c, i) => compare(quoteIdent(c.name), '=', row[i] ?? null)).join(' AND ');
}

/** `(v1, v2, ...)` for an INSERT. */
export function valuesTuple(row: Row): string {
  return '(' + row.map((v) => literal(v)).join(', ') + ')';
}

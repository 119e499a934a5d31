/**
 * Column DEFAULT clauses: a literal default is converted to the column's type once, at CREATE
 * time; a value that does not fit the column is error 1067. CURRENT_TIMESTAMP and `(expr)`
 * defaults are kept as text and evaluated per row by the executor.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html
 * @req CORE-DDL-010 CORE-DDL-011
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Expr } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { toBigInt, toDecimal, toDouble, toStringValue, toTemporal } from '../../sql/types/convert.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';

const INT_RANGE: Record<string, [bigint, bigint, bigint]> = {
  // signed min, signed max, unsigned max
  TINYINT: [-128n, 127n, 255n],
  SMALLINT: [-32768n, 32767n, 65535n],
  MEDIUMINT: [-8388608n, 8388607n, 16777215n],
  INT: [-2147483648n, 2147483647n, 4294967295n],
  BIGINT: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
};

/** Value of a literal expression, or undefined when the expression is not a literal. */
export function literalValue(e: Expr): Value | undefined {
  if (e.type === 'unary' && (e.op === '-' || e.op === '+')) {
    const inner = literalValue(e.operand);
    if (inner === undefined || inner === null) return inner;
    if (e.op === '+') return inner;
    if (typeof inner === 'bigint') return -inner;
    if (typeof inner === 'number') return -inner;
    if (inner instanceof Decimal) return new Decimal(-inner.unscaled, inner.scale);
    return undefined;
  }
  if (e.type !== 'literal') return undefined;
  switch (e.kind) {
    case 'null':
      return null;
    case 'int':
      return BigInt(String(e.value));
    case 'decimal':
      return Decimal.parse(String(e.value)) ?? undefined;
    case 'float':
      return Number(e.value);
    case 'bool':
      return e.value === true || e.value === 'TRUE' || e.value === '1' ? 1n : 0n;
    case 'hex':
    case 'bit':
      return Buffer.isBuffer(e.value) ? e.value : Buffer.from(String(e.value));
    case 'string':
      return Buffer.isBuffer(e.value) ? e.value : String(e.value ?? '');
    case 'date':
    case 'time':
    case 'timestamp':
      return String(e.value);
  }
}

function charLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Convert a literal default to the column type; throws 1067 when it does not fit.
 * @req CORE-DDL-010
 */
export function convertDefault(col: ColumnDef, v: Value): Value {
  const bad = (): never => {
    throw sqlError('ER_INVALID_DEFAULT', col.name);
  };
  if (v === null) {
    if (!col.nullable) bad();
    return null;
  }
  const t = col.type;
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': {
      if (typeof v === 'string' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) bad();
      let n: bigint | null;
      if (typeof v === 'number' || v instanceof Decimal || typeof v === 'string') {
        const d = toDouble(v);
        if (d === null) bad();
        n = BigInt(Math.round(d!));
      } else n = toBigInt(v);
      if (n === null) return bad();
      const [min, max, umax] = INT_RANGE[t.name]!;
      if (t.unsigned ? n < 0n || n > umax : n < min || n > max) bad();
      return n;
    }
    case 'YEAR': {
      const n = toBigInt(v);
      if (n === null) return bad();
      if (n === 0n) return 0n;
      if (n >= 1 && n <= 69) return 2000n + n;
      if (n >= 70 && n <= 99) return 1900n + n;
      if (n < 1901n || n > 2155n) bad();
      return n;
    }
    case 'FLOAT': case 'DOUBLE': {
      if (typeof v === 'string' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) bad();
      const d = toDouble(v);
      if (d === null || !Number.isFinite(d)) return bad();
      return t.name === 'FLOAT' && t.length === undefined ? Math.fround(d) : d;
    }
    case 'DECIMAL': {
      if (typeof v === 'string' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) bad();
      const d = toDecimal(v);
      if (d === null) return bad();
      const m = t.length ?? 10;
      const scale = t.scale ?? 0;
      // rescale (round half away from zero) and check the integer digits
      let u = d.unscaled;
      if (d.scale > scale) {
        const f = 10n ** BigInt(d.scale - scale);
        const q = u / f;
        const r = u % f;
        u = q + ((r < 0n ? -r : r) * 2n >= f ? (u < 0n ? -1n : 1n) : 0n);
      } else u = u * 10n ** BigInt(scale - d.scale);
      const digits = (u < 0n ? -u : u).toString().length;
      if (digits > m && u !== 0n) bad();
      if (t.unsigned && u < 0n) bad();
      return new Decimal(u, scale);
    }
    case 'BIT': {
      if (Buffer.isBuffer(v)) return v;
      const n = toBigInt(v);
      if (n === null || n < 0n || n >= 1n << BigInt(t.length ?? 1)) return bad();
      return n;
    }
    case 'CHAR': case 'VARCHAR': case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT': {
      const s = toStringValue(v) ?? '';
      if (t.length !== undefined && charLen(s) > t.length) bad();
      return t.name === 'CHAR' ? s.replace(/ +$/, '') : s;
    }
    case 'BINARY': case 'VARBINARY': case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB': {
      const b = Buffer.isBuffer(v) ? v : Buffer.from(toStringValue(v) ?? '', 'utf8');
      if (t.length !== undefined && b.length > t.length) bad();
      if (t.name === 'BINARY' && t.length !== undefined && b.length < t.length) {
        return Buffer.concat([b, Buffer.alloc(t.length - b.length)]);
      }
      return b;
    }
    case 'ENUM': {
      const vals = t.values ?? [];
      if (typeof v === 'bigint') {
        if (v < 1n || v > BigInt(vals.length)) bad();
        return vals[Number(v) - 1]!;
      }
      const s = toStringValue(v) ?? '';
      const hit = vals.find((x) => x.toLowerCase() === s.replace(/ +$/, '').toLowerCase());
      if (hit === undefined) bad();
      return hit!;
    }
    case 'SET': {
      const vals = t.values ?? [];
      const s = toStringValue(v) ?? '';
      if (s === '') return '';
      const parts = s.split(',');
      const out: string[] = [];
      for (const p of parts) {
        const hit = vals.find((x) => x.toLowerCase() === p.toLowerCase());
        if (hit === undefined) bad();
        if (!out.includes(hit!)) out.push(hit!);
      }
      return vals.filter((x) => out.includes(x)).join(',');
    }
    case 'DATE': case 'DATETIME': case 'TIMESTAMP': case 'TIME': {
      const kind = t.name;
      let warned = false;
      const tv = v instanceof Temporal ? v : toTemporal(v, kind, { warn: () => { warned = true; } });
      if (tv === null || warned) return bad();
      const fsp = t.scale ?? 0;
      return new Temporal(tv.kind, tv.year, tv.month, tv.day, tv.hour, tv.minute, tv.second, fsp === 0 ? 0 : tv.micro, fsp, tv.negative);
    }
    default:
      return v;
  }
}

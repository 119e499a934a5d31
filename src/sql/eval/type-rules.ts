/**
 * Static typing helpers: constructors for common expression types, MySQL's aggregation of
 * types for CASE/IF/COALESCE/UNION-like contexts, collation derivation, and coercion of values
 * to an aggregated type.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/type-conversion.html
 * @req CORE-EXPR-002 CORE-EXPR-003
 */
import { DEFAULT_COLLATION } from '../../kernel/charset/index.js';
import { MysqlType } from '../../kernel/column-type.js';
import { toBigInt, toDecimal, toDouble, toStringValue, toTemporal } from '../types/convert.js';
import { rescale } from '../types/decimal-math.js';
import { NOT_FIXED_DEC } from '../types/limits.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import type { ExprType } from './types.js';
import { aggregateCollations, dtOf } from './collation-derivation.js';

export function intType(length = 21, nullable = true, unsigned = false): ExprType {
  return { kind: 'int', length, decimals: 0, nullable, unsigned };
}
/** Result type of a predicate (comparison, logic, IS, LIKE...): an integer 0/1 that JSON sees as a boolean. */
export function boolType(nullable = true): ExprType {
  return { kind: 'int', length: 1, decimals: 0, nullable, unsigned: false, boolean: true };
}
export function doubleType(nullable = true, decimals = NOT_FIXED_DEC, length = 23): ExprType {
  return { kind: 'double', length, decimals, nullable };
}
export function decimalType(precision: number, scale: number, nullable = true): ExprType {
  return { kind: 'decimal', length: precision + (scale > 0 ? 1 : 0) + 1, decimals: scale, nullable };
}
export function stringType(length: number, nullable = true, collation: string = DEFAULT_COLLATION): ExprType {
  return collation === 'binary'
    ? { kind: 'string', binary: true, collation: 'binary', length, decimals: NOT_FIXED_DEC, nullable }
    : { kind: 'string', collation, length, decimals: NOT_FIXED_DEC, nullable };
}
/**
 * {@link stringType} with a coercibility, built as one literal (`{ ...stringType(), coercibility }`
 * costs about a microsecond in this V8: a property added after a spread is slow). @req CORE-PERF-046
 */
export function stringTypeWith(length: number, nullable: boolean, collation: string, coercibility: number): ExprType {
  return collation === 'binary'
    ? { kind: 'string', binary: true, collation: 'binary', length, decimals: NOT_FIXED_DEC, nullable, coercibility }
    : { kind: 'string', collation, length, decimals: NOT_FIXED_DEC, nullable, coercibility };
}
export function temporalType(kind: 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP', fsp = 0, nullable = true): ExprType {
  const base = kind === 'DATE' ? 10 : kind === 'TIME' ? 10 : 19;
  return { kind: 'temporal', temporal: kind, length: base + (fsp && kind !== 'DATE' ? fsp + 1 : 0), decimals: kind === 'DATE' ? 0 : fsp, nullable };
}
export const NULL_TYPE: ExprType = { kind: 'null', length: 0, decimals: 0, nullable: true, mysqlType: MysqlType.NULL };
export function jsonType(nullable = true): ExprType {
  return { kind: 'json', collation: 'utf8mb4_bin', length: 4294967295, decimals: NOT_FIXED_DEC, nullable, mysqlType: MysqlType.JSON };
}

/** Precision (digits) of a decimal/int type. */
export function precisionOf(t: ExprType): number {
  if (t.kind === 'int') return Math.max(1, t.length - (t.unsigned ? 0 : 1));
  if (t.kind === 'decimal') return Math.max(1, t.length - (t.decimals > 0 ? 1 : 0) - 1);
  return 17;
}

/**
 * Collation for an operation on two strings, by MySQL's derivation rules (collation-derivation.ts).
 * With `op`, an illegal mix throws 1267 (a comparison); without, the best-effort collation is
 * returned. @req CORE-CS-061
 */
export function pickCollation(a: ExprType, b: ExprType, op?: string): string {
  const ca = a.binary ? 'binary' : a.collation ?? DEFAULT_COLLATION;
  const cb = b.binary ? 'binary' : b.collation ?? DEFAULT_COLLATION;
  if (ca === cb) return ca;
  return aggregateCollations([dtOf(a), dtOf(b)], op === undefined ? { comparison: true } : { comparison: true, op }).collation;
}

/**
 * The type that a set of alternatives (CASE branches, IF, COALESCE, GREATEST...) aggregates to.
 * @req CORE-EXPR-002
 */
export function aggregateTypes(types: ExprType[]): ExprType {
  const t = aggregateStatic(types);
  if (types.some((x) => x.dynamic)) t.dynamic = true;
  return t;
}

function aggregateStatic(types: ExprType[]): ExprType {
  const real = types.filter((t) => t.kind !== 'null');
  const nullable = types.some((t) => t.nullable);
  if (real.length === 0) return { ...NULL_TYPE };
  const kinds = new Set(real.map((t) => t.kind));
  const maxLen = Math.max(...real.map((t) => t.length));
  if (kinds.size === 1) {
    const k = real[0]!.kind;
    if (k === 'int') {
      const unsigned = real.every((t) => t.unsigned);
      return { kind: 'int', unsigned, length: maxLen, decimals: 0, nullable };
    }
    if (k === 'decimal') {
      const scale = Math.max(...real.map((t) => t.decimals));
      const ip = Math.max(...real.map((t) => precisionOf(t) - t.decimals));
      return decimalType(Math.min(65, ip + scale), scale, nullable);
    }
    if (k === 'double') return doubleType(nullable, Math.max(...real.map((t) => t.decimals)));
    if (k === 'json') return jsonType(nullable);
    if (k === 'temporal') {
      const tk = new Set(real.map((t) => t.temporal));
      const fsp = Math.max(...real.map((t) => t.decimals));
      if (tk.size === 1) return temporalType(real[0]!.temporal!, fsp, nullable);
      if (!tk.has('TIME')) return temporalType('DATETIME', fsp, nullable);
      return stringType(Math.max(maxLen, 26), nullable);
    }
    let coll = real[0]!;
    for (const t of real.slice(1)) coll = { ...coll, collation: pickCollation(coll, t), binary: coll.binary || t.binary };
    const out = stringType(maxLen, nullable, coll.binary ? 'binary' : coll.collation ?? DEFAULT_COLLATION);
    // the alternatives' derivation carries over (COALESCE(col, '') is as strong as col) @req CORE-CS-061
    if (k === 'string') {
      const dt = aggregateCollations(real.map(dtOf), { comparison: false });
      out.coercibility = dt.derivation;
      if (dt.ascii) out.ascii = true;
    }
    return out;
  }
  const numeric = real.every((t) => t.kind === 'int' || t.kind === 'decimal' || t.kind === 'double');
  if (numeric) {
    if (kinds.has('double')) return doubleType(nullable);
    const scale = Math.max(...real.map((t) => t.decimals));
    const ip = Math.max(...real.map((t) => precisionOf(t) - (t.kind === 'decimal' ? t.decimals : 0)));
    return decimalType(Math.min(65, ip + scale), scale, nullable);
  }
  const strs = real.filter((t) => t.kind === 'string');
  const binary = strs.some((t) => t.binary);
  const coll = strs.length ? strs.reduce((a, b) => ({ ...a, collation: pickCollation(a, b) })).collation ?? DEFAULT_COLLATION : DEFAULT_COLLATION;
  return stringType(Math.max(maxLen, 23), nullable, binary ? 'binary' : coll);
}

/** Convert a value to the representation of an aggregated type. @req CORE-EXPR-003 */
export function coerceToType(v: Value, t: ExprType): Value {
  if (v === null || t.dynamic) return v;
  switch (t.kind) {
    case 'string':
      if (typeof v === 'string') return t.binary ? Buffer.from(v, 'utf8') : v;
      if (Buffer.isBuffer(v)) return v;
      return t.binary ? Buffer.from(toStringValue(v)!, 'utf8') : toStringValue(v);
    case 'double':
      return typeof v === 'number' ? v : toDouble(v);
    case 'decimal': {
      if (v instanceof Decimal) return v.scale === t.decimals ? v : rescale(v, Math.max(v.scale, t.decimals)) ;
      const d = toDecimal(v);
      return d && d.scale < t.decimals ? rescale(d, t.decimals) : d;
    }
    case 'int':
      return typeof v === 'bigint' ? v : toBigInt(v);
    case 'temporal':
      if (v instanceof Temporal && v.kind === t.temporal) return v;
      return toTemporal(v, t.temporal ?? 'DATETIME');
    default:
      return v;
  }
}

/**
 * A runtime for folding constants at compile time (argument-dependent result types such as
 * ROUND(x, 2) or STR_TO_DATE with a literal format): warnings are dropped, nothing is strict.
 */
export const COMPILE_TIME_RUNTIME: import('./types.js').Runtime = {
  params: [],
  sqlMode: new Set<string>(),
  now: new Date(0),
  timeZone: '+00:00',
  warn: () => undefined,
  userVar: () => null,
  setUserVar: () => undefined,
  sysVar: () => null,
  info: {
    database: () => null, user: () => '', currentUser: () => '', connectionId: () => 0, lastInsertId: () => 0n,
    setLastInsertId: () => undefined, foundRows: () => 0n, rowCount: () => 0n, version: () => '', currentRole: () => 'NONE',
  },
  isInterrupted: () => false,
};

/** Value of a constant expression at compile time, or undefined when it cannot be folded. */
export function foldConstant(c: { eval: (row: Value[], rt: import('./types.js').Runtime) => Value; constant?: boolean }): Value | undefined {
  if (!c.constant) return undefined;
  try {
    return c.eval([], COMPILE_TIME_RUNTIME);
  } catch {
    return undefined;
  }
}

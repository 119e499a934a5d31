/**
 * Building blocks for function families: NULL-propagating wrappers and argument accessors in
 * string / integer / double context.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/functions.html
 * @req CORE-EXPR-004
 */
import { toBigInt, toDouble, toStringValue } from '../../types/convert.js';
import type { Row, Value } from '../../../kernel/value.js';
import { DEFAULT_COLLATION } from '../../../kernel/charset/index.js';
import { stringType } from '../type-rules.js';
import { aggregateCollations, dtOf } from '../collation-derivation.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { toNumeric } from './arithmetic.js';

export type Impl = (vals: Value[], rt: Runtime) => Value;

/** All arguments evaluated; any NULL gives NULL; otherwise `f(values)`. */
export function strict(args: CompiledExpr[], type: ExprType, f: Impl): CompiledExpr {
  const n = args.length;
  const constant = args.every((a) => a.constant) && n > 0;
  if (n === 1) {
    const a = args[0]!.eval;
    return { type, constant, eval: (row, rt) => { const v = a(row, rt); return v === null ? null : f([v], rt); } };
  }
  if (n === 2) {
    const a = args[0]!.eval, b = args[1]!.eval;
    return {
      type, constant,
      eval: (row, rt) => {
        const x = a(row, rt);
        if (x === null) return null;
        const y = b(row, rt);
        return y === null ? null : f([x, y], rt);
      },
    };
  }
  const evs = args.map((x) => x.eval);
  return {
    type, constant,
    eval: (row, rt) => {
      const vals: Value[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = evs[i]!(row, rt);
        if (v === null) return null;
        vals[i] = v;
      }
      return f(vals, rt);
    },
  };
}

/** All arguments evaluated and passed through, NULLs included. */
export function lenient(args: CompiledExpr[], type: ExprType, f: Impl): CompiledExpr {
  const evs = args.map((x) => x.eval);
  const n = evs.length;
  return {
    type,
    eval: (row: Row, rt: Runtime) => {
      const vals: Value[] = new Array(n);
      for (let i = 0; i < n; i++) vals[i] = evs[i]!(row, rt);
      return f(vals, rt);
    },
  };
}

/** Text of a value for string functions (binary strings as latin1 so bytes map 1:1). */
export function s(v: Value): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return toStringValue(v) ?? '';
}

export function i(v: Value, rt: Runtime): bigint {
  return typeof v === 'bigint' ? v : toBigInt(Buffer.isBuffer(v) ? v.toString('latin1') : v, rt) ?? 0n;
}

/** Integer argument as a JS number clamped to a safe range. */
export function n(v: Value, rt: Runtime): number {
  const b = i(v, rt);
  return b > 9007199254740991n ? 9007199254740991 : b < -9007199254740991n ? -9007199254740991 : Number(b);
}

export function d(v: Value, rt: Runtime, hex = false): number {
  if (typeof v === 'number') return v;
  if (hex && Buffer.isBuffer(v)) return Number(toNumeric(v, rt, true));
  return toDouble(v, rt) ?? 0;
}

/** Result type of a string function over these arguments. */
export function strResult(args: CompiledExpr[], length: number, nullable?: boolean): ExprType {
  const strs = args.filter((a) => a.type.kind === 'string' || a.type.kind === 'json');
  const binary = strs.some((a) => a.type.binary && !a.type.hexNumber) || (strs.length > 0 && strs.every((a) => a.type.binary));
  // The result's collation, coercibility and repertoire follow MySQL's derivation rules. @req CORE-CS-061
  const dt = strs.length ? aggregateCollations(strs.map((a) => dtOf(a.type)), { comparison: false }) : undefined;
  const coll = dt && dt.collation !== 'binary' ? dt.collation : strs[0]?.type.collation ?? DEFAULT_COLLATION;
  const t = stringType(Math.min(length, 4294967295), nullable ?? args.some((a) => a.type.nullable), binary || dt?.collation === 'binary' ? 'binary' : coll);
  if (dt) {
    t.coercibility = dt.derivation;
    if (dt.ascii) t.ascii = true;
  }
  return t;
}

/** Wrap a string result according to the result type (binary -> Buffer via latin1). */
export function out(type: ExprType): (x: string) => Value {
  return type.binary ? (x) => Buffer.from(x, 'latin1') : (x) => x;
}

/** Text in binary-result context: strings become their UTF-8 bytes as latin1 code units. */
export function sb(v: Value): string {
  if (typeof v === 'string') return /^[\x00-\x7f]*$/.test(v) ? v : Buffer.from(v, 'utf8').toString('latin1');
  return s(v);
}

/** Pick the text accessor matching the result type. */
export function textOf(type: ExprType): (v: Value) => string {
  return type.binary ? sb : s;
}

const SURROGATE = /[\ud800-\udfff]/;
/** Characters of a string as an array only when surrogate pairs require it. */
export function hasSurrogates(x: string): boolean {
  return SURROGATE.test(x);
}
export function cpLength(x: string): number {
  return hasSurrogates(x) ? [...x].length : x.length;
}
/** Substring by code points: start 0-based, len count. */
export function cpSlice(x: string, start: number, len = Infinity): string {
  if (!hasSurrogates(x)) return x.substr(start, len === Infinity ? undefined : len);
  return [...x].slice(start, len === Infinity ? undefined : start + len).join('');
}

/**
 * Numeric functions: ABS, CEIL/CEILING, FLOOR, ROUND, TRUNCATE, MOD, POW/POWER, SQRT, EXP,
 * LN, LOG, LOG2, LOG10, PI, trigonometry, RAND, SIGN, GREATEST, LEAST, CONV, BIN, OCT, CRC32.
 * ROUND/TRUNCATE are exact on DECIMAL and integers (half away from zero); on doubles ROUND
 * rounds half to even like the C library MySQL uses.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mathematical-functions.html
 * @req CORE-EXPR-013 CORE-EXPR-014 CORE-EXPR-015
 */
import { sqlError } from '../../../kernel/errors.js';
import { compareValues } from '../../types/compare.js';
import { toBigInt, toDecimal } from '../../types/convert.js';
import { decRound, decTruncate, pow10, rescale } from '../../types/decimal-math.js';
import { BIGINT_MIN } from '../../types/limits.js';
import { Decimal, type Row, type Value } from '../../../kernel/value.js';
import { COMPILE_TIME_RUNTIME, foldConstant, aggregateTypes, coerceToType, decimalType, doubleType, intType, stringType, precisionOf } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { arith, arithmeticType, toNumeric, type Num } from './arithmetic.js';
import { d, n, s, strict } from './helpers.js';
import { makeComparator } from '../compile.js';
import { defineFunction } from './registry.js';

function kindOf(t: ExprType): 'int' | 'decimal' | 'double' {
  if (t.kind === 'int' || (t.kind === 'string' && t.hexNumber)) return 'int';
  if (t.kind === 'decimal') return 'decimal';
  if (t.kind === 'temporal') return t.decimals ? 'decimal' : 'int';
  return 'double';
}

function numArg(a: CompiledExpr): (v: Value, rt: Runtime) => Num {
  const hex = !!a.type.hexNumber;
  return (v, rt) => toNumeric(v, rt, hex)!;
}

defineFunction('ABS', 1, 1, (args) => {
  const t = args[0]!.type;
  const k = kindOf(t);
  const type: ExprType = k === 'int' ? intType(t.length, t.nullable, !!t.unsigned) : k === 'decimal' ? { ...t, kind: 'decimal' } : doubleType(t.nullable);
  const num = numArg(args[0]!);
  return strict(args, type, ([v], rt) => {
    const x = num(v!, rt);
    if (typeof x === 'bigint') {
      if (x === BIGINT_MIN) throw sqlError('ER_DATA_OUT_OF_RANGE', 'BIGINT', `abs(${x})`);
      return x < 0n ? -x : x;
    }
    if (typeof x === 'number') return Math.abs(x);
    return x.unscaled < 0n ? new Decimal(-x.unscaled, x.scale) : x;
  });
});

function ceilFloor(up: boolean) {
  return (args: CompiledExpr[]) => {
    const t = args[0]!.type;
    const k = kindOf(t);
    const type: ExprType = k === 'double' ? doubleType(t.nullable) : k === 'int' ? intType(t.length, t.nullable, !!t.unsigned) : precisionOf(t) - t.decimals <= 18 ? intType(precisionOf(t) - t.decimals + 1, t.nullable) : decimalType(precisionOf(t) - t.decimals + 1, 0, t.nullable);
    const num = numArg(args[0]!);
    return strict(args, type, ([v], rt) => {
      const x = num(v!, rt);
      if (typeof x === 'bigint') return x;
      if (typeof x === 'number') return up ? Math.ceil(x) : Math.floor(x);
      const p = pow10(x.scale);
      let q = x.unscaled / p;
      const r = x.unscaled % p;
      if (r !== 0n) {
        if (up && x.unscaled > 0n) q += 1n;
        if (!up && x.unscaled < 0n) q -= 1n;
      }
      return type.kind === 'int' ? q : new Decimal(q, 0);
    });
  };
}
defineFunction(['CEIL', 'CEILING'], 1, 1, ceilFloor(true));
defineFunction('FLOOR', 1, 1, ceilFloor(false));

/** Round half to even for doubles (rint), matching MySQL's double ROUND. */
function roundDouble(x: number, dec: number): number {
  if (dec < -308) return 0;
  if (dec > 308) return x;
  const f = 10 ** Math.abs(dec);
  const y = dec >= 0 ? x * f : x / f;
  if (!Number.isFinite(y)) return x;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5) r = 2 * Math.round(y / 2);
  return dec >= 0 ? r / f : r * f;
}

function roundOrTruncate(trunc: boolean) {
  return (args: CompiledExpr[]) => {
    const t = args[0]!.type;
    const k = kindOf(t);
    const folded = args.length > 1 ? foldConstant(args[1]!) : 0n;
    const constD = folded === undefined ? undefined : Math.max(-400, Math.min(400, Number(toBigInt(folded) ?? 0n)));
    let type: ExprType;
    if (k === 'int') type = intType(t.length, t.nullable, !!t.unsigned);
    else if (k === 'double') type = doubleType(true, constD !== undefined ? Math.max(0, Math.min(30, constD)) : 31);
    else {
      const sc = constD !== undefined ? Math.max(0, Math.min(30, constD)) : t.decimals;
      type = decimalType(Math.min(65, precisionOf(t) - t.decimals + sc + 1), sc, true);
    }
    const num = numArg(args[0]!);
    return strict(args, type, (vals, rt) => {
      const x = num(vals[0]!, rt);
      // beyond these bounds the result no longer changes (or is 0); clamping keeps bigint work small
      const dd = Math.max(-400, Math.min(400, vals.length > 1 ? n(vals[1]!, rt) : 0));
      if (typeof x === 'number') {
        if (trunc) {
          if (dd < -308) return 0;
          const f = 10 ** Math.abs(dd);
          if (!Number.isFinite(x * f)) return x;
          return dd >= 0 ? Math.trunc(x * f) / f : Math.trunc(x / f) * f;
        }
        return roundDouble(x, dd);
      }
      const dx = typeof x === 'bigint' ? new Decimal(x, 0) : x;
      const r = trunc ? decTruncate(dx, dd) : decRound(dx, dd);
      if (type.kind === 'int') return r.scale === 0 ? r.unscaled : rescale(r, 0).unscaled;
      return type.kind === 'decimal' && r.scale < type.decimals ? rescale(r, type.decimals) : r;
    });
  };
}
defineFunction('ROUND', 1, 2, roundOrTruncate(false));
defineFunction('TRUNCATE', 2, 2, roundOrTruncate(true));

defineFunction('MOD', 2, 2, (args, ctx) => {
  const type = arithmeticType('MOD', args[0]!.type, args[1]!.type);
  const a = numArg(args[0]!), b = numArg(args[1]!);
  const text = ctx.text();
  return strict(args, type, ([x, y], rt) => arith('MOD', a(x!, rt), b(y!, rt), type, rt, text));
});

function dbl(name: string | string[], f: (x: number) => number, domain?: (x: number) => boolean, warnInvalid = false) {
  defineFunction(name, 1, 1, (args, ctx) => {
    const hex = !!args[0]!.type.hexNumber;
    return strict(args, doubleType(true), ([v], rt) => {
      const x = d(v!, rt, hex);
      if (domain && !domain(x)) {
        if (warnInvalid) rt.warn('Warning', 'ER_INVALID_ARGUMENT_FOR_LOGARITHM');
        return null;
      }
      const r = f(x);
      // An infinite result (EXP(1000), COT(0)) is an overflow error, not a value. @req CORE-EXEC-077
      if (r === Infinity || r === -Infinity) throw sqlError('ER_DATA_OUT_OF_RANGE', 'DOUBLE', ctx.text());
      return Number.isNaN(r) ? null : r;
    });
  });
}
dbl('SQRT', Math.sqrt, (x) => x >= 0);
dbl('EXP', Math.exp);
dbl('LN', Math.log, (x) => x > 0, true);
dbl('LOG2', Math.log2, (x) => x > 0, true);
dbl('LOG10', Math.log10, (x) => x > 0, true);
dbl('SIN', Math.sin);
dbl('COS', Math.cos);
dbl('TAN', Math.tan);
dbl('ASIN', Math.asin, (x) => x >= -1 && x <= 1);
dbl('ACOS', Math.acos, (x) => x >= -1 && x <= 1);
dbl('COT', (x) => 1 / Math.tan(x));
dbl('DEGREES', (x) => (x * 180) / Math.PI);
dbl('RADIANS', (x) => (x * Math.PI) / 180);
defineFunction('ATAN', 1, 2, (args) => strict(args, doubleType(true), (v, rt) => (v.length > 1 ? Math.atan2(d(v[0]!, rt), d(v[1]!, rt)) : Math.atan(d(v[0]!, rt)))));
defineFunction('ATAN2', 2, 2, (args) => strict(args, doubleType(true), (v, rt) => Math.atan2(d(v[0]!, rt), d(v[1]!, rt))));
defineFunction('LOG', 1, 2, (args) =>
  strict(args, doubleType(true), (v, rt) => {
    if (v.length === 1) {
      const x = d(v[0]!, rt);
      if (x <= 0) {
        rt.warn('Warning', 'ER_INVALID_ARGUMENT_FOR_LOGARITHM');
        return null;
      }
      return Math.log(x);
    }
    const b = d(v[0]!, rt), x = d(v[1]!, rt);
    if (x <= 0 || b <= 0 || b === 1) {
      rt.warn('Warning', 'ER_INVALID_ARGUMENT_FOR_LOGARITHM');
      return null;
    }
    return Math.log(x) / Math.log(b);
  }),
);
defineFunction(['POW', 'POWER'], 2, 2, (args, ctx) =>
  strict(args, doubleType(true), ([a, b], rt) => {
    const r = Math.pow(d(a!, rt), d(b!, rt));
    if (!Number.isFinite(r)) throw sqlError('ER_DATA_OUT_OF_RANGE', 'DOUBLE', ctx.text());
    return Number.isNaN(r) ? null : r;
  }),
);
defineFunction('PI', 0, 0, () => ({ type: doubleType(false, 6, 8), eval: () => Math.PI, constant: true }));
defineFunction('SIGN', 1, 1, (args) => {
  const num = numArg(args[0]!);
  return strict(args, intType(2, true), ([v], rt) => {
    const x = num(v!, rt);
    if (typeof x === 'bigint') return x > 0n ? 1n : x < 0n ? -1n : 0n;
    if (typeof x === 'number') return x > 0 ? 1n : x < 0 ? -1n : 0n;
    return x.unscaled > 0n ? 1n : x.unscaled < 0n ? -1n : 0n;
  });
});

/** MySQL's RAND(seed) generator (my_rnd) so that seeded sequences match the server. */
class MyRnd {
  private s1: number;
  private s2: number;
  private static readonly MAX = 0x3fffffff;
  constructor(seed1: number, seed2: number) {
    this.s1 = seed1 % MyRnd.MAX;
    this.s2 = seed2 % MyRnd.MAX;
  }
  next(): number {
    this.s1 = (this.s1 * 3 + this.s2) % MyRnd.MAX;
    this.s2 = (this.s1 + this.s2 + 33) % MyRnd.MAX;
    return this.s1 / MyRnd.MAX;
  }
}
defineFunction('RAND', 0, 1, (args) => {
  if (args.length === 0) return { type: doubleType(false), eval: () => Math.random() };
  const seedE = args[0]!.eval;
  let gen: MyRnd | null = null;
  let lastSeed: bigint | null = null;
  const constSeed = !!args[0]!.constant;
  return {
    type: doubleType(false),
    eval: (row, rt) => {
      const sv = seedE(row, rt);
      const seed = sv === null ? 0n : BigInt.asUintN(32, BigInt(n(sv, rt)));
      if (!gen || (!constSeed && seed !== lastSeed)) {
        const x = Number(seed);
        gen = new MyRnd((x * 0x10001 + 55555555) >>> 0, (x * 0x10000001) >>> 0);
        lastSeed = seed;
      }
      return gen.next();
    },
  };
});

function greatestLeast(greatest: boolean) {
  return (args: CompiledExpr[]): CompiledExpr => {
    const type = aggregateTypes(args.map((a) => a.type));
    type.nullable = true;
    const evs = args.map((a) => a.eval);
    const allStr = args.every((a) => a.type.kind === 'string');
    const cmp = makeComparator(type, type);
    const numericCtx = !allStr && (type.kind === 'int' || type.kind === 'decimal' || type.kind === 'double');
    return {
      type,
      eval: (row: Row, rt: Runtime): Value => {
        let best: Value = null;
        for (let k = 0; k < evs.length; k++) {
          let v = evs[k]!(row, rt);
          if (v === null) return null;
              v = numericCtx || type.kind === 'temporal' ? coerceToType(typeof v === 'string' && numericCtx ? toNumeric(v, rt) : v, type) : v;
          if (best === null) best = v;
          else {
            const c = type.kind === 'string' ? cmp(v, best, rt) : compareValues(v, best, { collation: type.collation, rt });
            if (c !== null && (greatest ? c > 0 : c < 0)) best = v;
          }
        }
        return coerceToType(best, type);
      },
    };
  };
}
defineFunction('GREATEST', 2, Infinity, greatestLeast(true));
defineFunction('LEAST', 2, Infinity, greatestLeast(false));

/** CONV(N, from_base, to_base): negative to_base means signed output. */
export function conv(text: string, from: number, to: number): string | null {
  const fb = Math.abs(from), tb = Math.abs(to);
  if (fb < 2 || fb > 36 || tb < 2 || tb > 36) return null;
  let t = text.trim().toLowerCase();
  let neg = false;
  if (t.startsWith('-')) {
    neg = true;
    t = t.slice(1);
  }
  let v = 0n;
  const B = BigInt(fb);
  for (const ch of t) {
    const dgt = parseInt(ch, 36);
    if (Number.isNaN(dgt) || dgt >= fb) break;
    v = v * B + BigInt(dgt);
    if (v > 18446744073709551615n) {
      v = 18446744073709551615n;
    }
  }
  if (neg) v = from < 0 ? -v : BigInt.asUintN(64, -v);
  if (to < 0) {
    const sv = BigInt.asIntN(64, v);
    return (sv < 0n ? '-' + (-sv).toString(tb) : sv.toString(tb)).toUpperCase();
  }
  return BigInt.asUintN(64, v).toString(tb).toUpperCase();
}
defineFunction('CONV', 3, 3, (args) =>
  strict(args, stringType(64, true), ([x, f, t], rt) => {
    const text = typeof x === 'bigint' ? x.toString() : Buffer.isBuffer(x) && args[0]!.type.hexNumber ? String(toNumeric(x, rt, true)) : s(x!);
    return conv(text, n(f!, rt), n(t!, rt));
  }),
);
function radix(base: number) {
  return (args: CompiledExpr[]) =>
    strict(args, stringType(64, true), ([x], rt) => {
      const v = toNumeric(x!, rt, !!args[0]!.type.hexNumber)!;
      const b = typeof v === 'bigint' ? v : typeof v === 'number' ? (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n) : v.unscaled / pow10(v.scale);
      return BigInt.asUintN(64, b).toString(base).toUpperCase();
    });
}
defineFunction('BIN', 1, 1, radix(2));
defineFunction('OCT', 1, 1, radix(8));

export { toDecimal };

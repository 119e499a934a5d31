/**
 * Arithmetic operators (+ - * / DIV MOD %, unary minus) with MySQL's result types: integer
 * operands give BIGINT (overflow raises 1690), exact operands give DECIMAL, anything involving a
 * double or a string gives DOUBLE; `/` on exact operands gives DECIMAL with
 * div_precision_increment extra digits; division by zero gives NULL and warning 1365.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/arithmetic-functions.html
 * @req CORE-EXPR-010 CORE-EXPR-011 CORE-EXPR-012
 */
import { sqlError } from '../../../kernel/errors.js';
import { stringToDouble, temporalToNumberText } from '../../types/convert.js';
import { decAdd, decDiv, decMul, decSub, decToBigInt, pow10, rescale, truncateTo } from '../../types/decimal-math.js';
import { BIGINT_MAX, BIGINT_MIN, DIV_PRECISION_INCREMENT, NOT_FIXED_DEC, UBIGINT_MAX } from '../../types/limits.js';
import { Decimal, Temporal, type Value } from '../../../kernel/value.js';
import { decimalType, doubleType, intType, NULL_TYPE, precisionOf } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';

export type Num = bigint | number | Decimal;

/** A value in numeric context. Hex literals act as unsigned integers. */
export function toNumeric(v: Value, rt: Runtime, hex = false): Num | null {
  if (v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal) return v;
  if (typeof v === 'string') return stringToDouble(v, rt);
  if (v instanceof Temporal) {
    const t = temporalToNumberText(v);
    return t.includes('.') ? Decimal.parse(t)! : BigInt(t);
  }
  if (hex) return v.length === 0 ? 0n : BigInt.asUintN(64, BigInt('0x' + v.toString('hex')));
  return stringToDouble(v.toString('latin1'), rt);
}

/** Static kind an operand contributes to arithmetic. */
function numKind(t: ExprType): 'int' | 'decimal' | 'double' | 'null' {
  switch (t.kind) {
    case 'int':
      return 'int';
    case 'decimal':
      return 'decimal';
    case 'temporal':
      return t.decimals > 0 ? 'decimal' : 'int';
    case 'null':
      return 'null';
    case 'string':
      return t.hexNumber ? 'int' : 'double';
    default:
      return 'double';
  }
}

function asDecimal(v: bigint | Decimal): Decimal {
  return typeof v === 'bigint' ? new Decimal(v, 0) : v;
}
function asDouble(v: Num): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.toNumber();
}

/** Division by zero: NULL plus warning 1365 (an error for strict INSERT/UPDATE). @req CORE-EXPR-012 */
export function divisionByZero(rt: Runtime): null {
  if (rt.sqlMode.has('ERROR_FOR_DIVISION_BY_ZERO')) { // @req CORE-MODE-009
    if (rt.strictDml && (rt.sqlMode.has('STRICT_TRANS_TABLES') || rt.sqlMode.has('STRICT_ALL_TABLES'))) throw sqlError('ER_DIVISION_BY_ZERO');
    rt.warn('Warning', 'ER_DIVISION_BY_ZERO');
  }
  return null;
}

function checkInt(r: bigint, unsigned: boolean, text: string): bigint {
  if (unsigned) {
    if (r < 0n || r > UBIGINT_MAX) throw sqlError('ER_DATA_OUT_OF_RANGE', 'BIGINT UNSIGNED', text);
  } else if (r < BIGINT_MIN || r > BIGINT_MAX) throw sqlError('ER_DATA_OUT_OF_RANGE', 'BIGINT', text);
  return r;
}

function checkDouble(r: number, text: string): number {
  if (!Number.isFinite(r)) throw sqlError('ER_DATA_OUT_OF_RANGE', 'DOUBLE', text);
  return r;
}

function checkDecimal(d: Decimal, text: string): Decimal {
  const a = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  if (a >= pow10(65 + d.scale)) throw sqlError('ER_DATA_OUT_OF_RANGE', 'DECIMAL', text);
  return d;
}

type Op = '+' | '-' | '*' | '/' | 'DIV' | '%' | 'MOD';

/** Static result type of an arithmetic operator. */
export function arithmeticType(op: Op, a: ExprType, b: ExprType, divIncrement = DIV_PRECISION_INCREMENT): ExprType {
  const ka = numKind(a), kb = numKind(b);
  const nullable = a.nullable || b.nullable || op === '/' || op === 'DIV' || op === '%' || op === 'MOD';
  if (ka === 'null' || kb === 'null') return { ...NULL_TYPE, kind: op === 'DIV' ? 'int' : 'double', nullable: true } as ExprType;
  if (op === 'DIV') return intType(Math.max(precisionOf(a), 1) + 1, nullable, !!(a.unsigned || b.unsigned));
  if (ka === 'double' || kb === 'double') return doubleType(nullable);
  const sa = ka === 'decimal' ? a.decimals : 0, sb = kb === 'decimal' ? b.decimals : 0;
  const pa = precisionOf(a), pb = precisionOf(b);
  if (op === '/') {
    const scale = Math.min(30, sa + divIncrement);
    return decimalType(Math.min(65, pa - sa + sb + scale), scale, nullable);
  }
  if (ka === 'int' && kb === 'int') {
    const unsigned = op === '%' || op === 'MOD' ? !!a.unsigned : !!(a.unsigned || b.unsigned);
    const len = op === '*' ? a.length + b.length : Math.max(a.length, b.length) + 1;
    return intType(Math.min(len, 21), nullable, unsigned);
  }
  if (op === '*') return decimalType(Math.min(65, pa + pb), Math.min(30, sa + sb), nullable);
  const scale = Math.max(sa, sb);
  return decimalType(Math.min(65, Math.max(pa - sa, pb - sb) + scale + (op === '+' || op === '-' ? 1 : 0)), scale, nullable);
}

/** Evaluate `a op b` on numeric operands (no NULLs). */
export function arith(op: Op, a: Num, b: Num, type: ExprType, rt: Runtime, text: string): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint' && op !== '/') {
    const unsigned = !!type.unsigned;
    switch (op) {
      case '+':
        return checkInt(a + b, unsigned, text);
      case '-':
        // NO_UNSIGNED_SUBTRACTION makes unsigned differences signed
        return checkInt(a - b, unsigned && !rt.sqlMode.has('NO_UNSIGNED_SUBTRACTION'), text); // @req CORE-MODE-018
      case '*':
        return checkInt(a * b, unsigned, text);
      case 'DIV':
        if (b === 0n) return divisionByZero(rt);
        return checkInt(a / b, unsigned, text);
      default:
        if (b === 0n) return divisionByZero(rt);
        return a % b;
    }
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asDouble(a), y = asDouble(b);
    switch (op) {
      case '+':
        return checkDouble(x + y, text);
      case '-':
        return checkDouble(x - y, text);
      case '*':
        return checkDouble(x * y, text);
      case '/':
        if (y === 0) return divisionByZero(rt);
        return checkDouble(x / y, text);
      case 'DIV': {
        if (y === 0) return divisionByZero(rt);
        const q = Math.trunc(x / y);
        if (!Number.isFinite(q) || q > 9.223372036854776e18 || q < -9.223372036854776e18) throw sqlError('ER_DATA_OUT_OF_RANGE', 'BIGINT', text);
        return BigInt(q);
      }
      default:
        if (y === 0) return divisionByZero(rt);
        return x % y;
    }
  }
  const x = asDecimal(a), y = asDecimal(b as bigint | Decimal);
  switch (op) {
    case '+':
      return checkDecimal(decAdd(x, y), text);
    case '-':
      return checkDecimal(decSub(x, y), text);
    case '*': {
      const r = decMul(x, y);
      return checkDecimal(r.scale > 30 ? rescale(r, 30) : r, text);
    }
    case '/': {
      const scale = type.kind === 'decimal' ? type.decimals : Math.min(30, x.scale + (rt.settings?.divPrecisionIncrement ?? DIV_PRECISION_INCREMENT));
      const r = decDiv(x, y, scale);
      return r === null ? divisionByZero(rt) : checkDecimal(r, text);
    }
    case 'DIV': {
      if (y.unscaled === 0n) return divisionByZero(rt);
      const q = truncateTo(decDiv(x, y, 1 + Math.max(x.scale, y.scale))!, 0).unscaled;
      return checkInt(q, !!type.unsigned, text);
    }
    default: {
      if (y.unscaled === 0n) return divisionByZero(rt);
      const s = Math.max(x.scale, y.scale);
      const ux = rescale(x, s).unscaled, uy = rescale(y, s).unscaled;
      return new Decimal(ux % uy, s);
    }
  }
}

/** Compile `l op r`. @req CORE-EXPR-010 */
export function compileArithmetic(op: Op, l: CompiledExpr, r: CompiledExpr, text: string): CompiledExpr {
  const type = arithmeticType(op, l.type, r.type);
  const le = l.eval, re = r.eval;
  const lh = !!l.type.hexNumber, rh = !!r.type.hexNumber;
  const realOp: Op = op === '%' ? 'MOD' : op;
  const constant = !!(l.constant && r.constant);
  // Fast path: both sides statically integers (columns, literals).
  if (l.type.kind === 'int' && r.type.kind === 'int' && !l.type.dynamic && !r.type.dynamic && (op === '+' || op === '-')) {
    const unsigned = !!type.unsigned;
    return {
      type,
      constant,
      eval: (row, rt) => {
        const a = le(row, rt);
        if (a === null) return null;
        const b = re(row, rt);
        if (b === null) return null;
        if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(op === '+' ? a + b : a - b, unsigned && (op === '+' || !rt.sqlMode.has('NO_UNSIGNED_SUBTRACTION')), text);
        return arith(realOp, toNumeric(a, rt)!, toNumeric(b, rt)!, type, rt, text);
      },
    };
  }
  const wantDecimalDiv = op === '/' && type.kind === 'decimal';
  if (l.type.dynamic || r.type.dynamic) {
    // parameter / variable operands: the result representation follows the runtime values
    const dynType: ExprType = { ...type, dynamic: true };
    return {
      type: dynType,
      constant,
      eval: (row, rt) => {
        const av = le(row, rt);
        if (av === null) return null;
        const bv = re(row, rt);
        if (bv === null) return null;
        return arith(realOp, toNumeric(av, rt, lh)!, toNumeric(bv, rt, rh)!, dynType.kind === 'decimal' ? { ...dynType, kind: 'double' } : dynType, rt, text);
      },
    };
  }
  return {
    type,
    constant,
    eval: (row, rt) => {
      const av = le(row, rt);
      if (av === null) return null;
      const bv = re(row, rt);
      if (bv === null) return null;
      let a = toNumeric(av, rt, lh)!, b = toNumeric(bv, rt, rh)!;
      if (op === '/' && typeof a === 'bigint' && typeof b === 'bigint' && !wantDecimalDiv) {
        a = Number(a);
      }
      const res = arith(realOp, a, b, type, rt, text);
      if (type.kind === 'double' && typeof res === 'bigint') return Number(res);
      return res;
    },
  };
}

/** Unary minus. */
export function compileNegate(x: CompiledExpr, text: string): CompiledExpr {
  const t = x.type;
  const k = numKind(t);
  const type: ExprType = k === 'int' ? intType(t.length + 1, t.nullable) : k === 'decimal' ? { ...t, kind: 'decimal', unsigned: false } : k === 'null' ? { ...NULL_TYPE } : doubleType(t.nullable, t.kind === 'double' ? t.decimals : NOT_FIXED_DEC);
  const fe = x.eval;
  const hex = !!t.hexNumber;
  return {
    type,
    constant: x.constant,
    eval: (row, rt) => {
      const v = toNumeric(fe(row, rt), rt, hex);
      if (v === null) return null;
      if (typeof v === 'bigint') {
        const r = -v;
        if (r < BIGINT_MIN) throw sqlError('ER_DATA_OUT_OF_RANGE', 'BIGINT', text);
        if (r > BIGINT_MAX) return new Decimal(r, 0);
        return r;
      }
      if (typeof v === 'number') return -v;
      return new Decimal(-v.unscaled, v.scale);
    },
  };
}

export { decToBigInt };

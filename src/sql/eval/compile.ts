/**
 * The expression compiler: turns an AST expression into a closure over (row, runtime). Name
 * resolution, function lookup and type dispatch happen here, once per statement, so evaluation
 * per row is a direct call chain.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/expressions.html
 * @req CORE-EXPR-001 CORE-EXPR-005 CORE-EXPR-006 CORE-EXPR-007
 */
import type { BinaryExpr, Expr, FuncCall, LiteralExpr } from '../ast.js';
import { sqlError } from '../../kernel/errors.js';
import { charLength, charsetOf, compareStrings, decode, DEFAULT_COLLATION, encode, findCollation, foldForMatch, getCollation, isCaseInsensitive, maxBytesPerChar, resolveCharsetCollation } from '../../kernel/charset/index.js';
import { MysqlType } from '../../kernel/column-type.js';
import { compareValues } from '../types/compare.js';
import { toBigInt, toBoolean, toStringValue } from '../types/convert.js';
import { BIGINT_MAX, UBIGINT_MAX } from '../types/limits.js';
import { parseDatetime, parseTime } from '../types/temporal.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import { compileArithmetic, compileNegate } from './functions/arithmetic.js';
import { compileCast } from './functions/cast.js';
import { compileDateArith } from './functions/datetime.js';
import { compileJsonPathOp } from './functions/json.js';
import { FUNCTIONS, type FnContext } from './functions/registry.js';
import { likeMatcher, regexpMatcher } from './functions/pattern.js';
import './functions/all.js';
import { asyncExpr } from './async-expr.js';
import { bytesOf, charsetOfType, convertCharset } from './charset-convert.js';
import { exprText } from './expr-text.js';
import { aggregateCollations, checkConstantConversion, dtOf } from './collation-derivation.js';
import { foldConstant, COMPILE_TIME_RUNTIME, boolType, aggregateTypes, coerceToType, intType, NULL_TYPE, pickCollation, stringTypeWith, temporalType, decimalType, doubleType } from './type-rules.js';
import type { CompiledExpr, CompileScope, ExprType, Runtime, StoredFunctionBinding } from './types.js';

const TRUE = 1n;
const FALSE = 0n;

function constant(v: Value, type: ExprType): CompiledExpr {
  return { eval: () => v, type, constant: true };
}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

/**
 * The text of an introduced literal's bytes in its character set. Bytes that are not a valid
 * sequence of a multi-byte character set are refused with 1300, quoting them from the first bad
 * byte, as MySQL does. @req CORE-CS-058
 */
export function introducedText(b: Buffer, charset: string): string {
  const text = decode(b, charset);
  if (maxBytesPerChar(charset) <= 1 || encode(text, charset).equals(b)) return text;
  let good = 0;
  for (let k = 1; k <= b.length; k++) {
    const part = b.subarray(good, k);
    if (encode(decode(part, charset), charset).equals(part) && !decode(part, charset).includes('\ufffd')) good = k;
    else if (k - good >= maxBytesPerChar(charset)) break;
  }
  throw sqlError('ER_INVALID_CHARACTER_STRING', charset, b.subarray(good).toString('hex').toUpperCase());
}

/** CAST(x AS CHAR) without CHARACTER SET takes collation_connection (when the session set it). @req CORE-CS-065 */
function castTarget(e: Extract<Expr, { type: 'cast' }>): Extract<Expr, { type: 'cast' }>['target'] {
  const t = e.target;
  if ((t.name === 'CHAR' || t.name === 'VARCHAR') && !t.charset && !t.collation && e.connCollation && e.targetKeyword.toUpperCase() === 'CHAR') return { ...t, collation: e.connCollation };
  return t;
}

/** Static type and value of a literal. @req CORE-EXPR-005 */
export function literalType(e: LiteralExpr): { value: Value; type: ExprType } {
  switch (e.kind) {
    case 'null':
      return { value: null, type: { ...NULL_TYPE } };
    case 'bool':
      return { value: e.value ? 1n : 0n, type: boolType(false) };
    case 'int': {
      const v = BigInt(String(e.value));
      const digits = String(e.value).replace(/^[+-]/, '').length;
      if (v > UBIGINT_MAX) {
        const d = Decimal.parse(String(e.value))!;
        return { value: d, type: decimalType(digits, 0, false) };
      }
      return { value: v, type: { ...intType(digits + (v < 0n ? 1 : 0), false, v > BIGINT_MAX), length: digits + (v < 0n ? 1 : 0) } };
    }
    case 'decimal': {
      const d = Decimal.parse(String(e.value))!;
      const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
      return { value: d, type: decimalType(Math.min(65, Math.max(digits, d.scale + 1)), d.scale, false) };
    }
    case 'float': {
      const n = Number(e.value);
      return { value: n, type: doubleType(false, 31, String(e.value).length) };
    }
    case 'string': {
      let coll = e.collation ?? (e.charset ? resolveCharsetCollation(e.charset, undefined).collation : e.connCollation ?? DEFAULT_COLLATION);
      if (e.charset && e.charset.toLowerCase() === 'binary') coll = 'binary';
      if (coll === 'binary') {
        const b = Buffer.isBuffer(e.value) ? e.value : e.clientCharset ? encode(String(e.value ?? ''), e.clientCharset) : Buffer.from(String(e.value ?? ''), 'utf8');
        return { value: b, type: stringTypeWith(b.length, false, 'binary', 4) };
      }
      let s = Buffer.isBuffer(e.value) ? e.value.toString('utf8') : String(e.value ?? '');
      // An introducer names the character set of the literal's bytes as the client sent them. @req CORE-CS-056
      if (e.charset && e.clientCharset) s = introducedText(encode(s, e.clientCharset), charsetOf(coll));
      // Without one, the text converts from character_set_client to character_set_connection
      // (characters the latter lacks become '?'). @req CORE-CS-052
      else if (!e.charset && e.connCollation && e.clientCharset && charsetOf(coll) !== e.clientCharset && !isAscii(s)) s = decode(encode(s, charsetOf(coll)), charsetOf(coll));
      const type: ExprType = stringTypeWith(charLength(s), false, coll, e.collation ? 0 : 4);
      if (isAscii(s)) type.ascii = true;
      return { value: s, type };
    }
    case 'hex':
    case 'bit': {
      const b = Buffer.isBuffer(e.value) ? e.value : Buffer.from(String(e.value ?? ''), 'latin1');
      // With an introducer a hex or bit literal is a string in that character set. @req CORE-CS-057
      if (e.charset && e.charset.toLowerCase() !== 'binary') {
        const coll = e.collation ?? resolveCharsetCollation(e.charset, undefined).collation;
        const s = introducedText(b, charsetOf(coll));
        const type: ExprType = stringTypeWith(charLength(s), false, coll, e.collation ? 0 : 4);
        if (isAscii(s)) type.ascii = true;
        return { value: s, type };
      }
      if (e.charset) return { value: b, type: stringTypeWith(b.length, false, 'binary', 4) };
      const type = stringTypeWith(b.length, false, 'binary', 4);
      type.hexNumber = true;
      return { value: b, type };
    }
    case 'date': {
      // A DATE literal is a date only; TIME'..' a time only; TIMESTAMP'..' a date and a time
      // (a clamped or trailing-garbage value is refused too). @req CORE-EXEC-075
      const p = parseDatetime(String(e.value), 'DATE');
      if (!p || p.truncated || p.shape === 'datetime') throw sqlError('ER_WRONG_VALUE', 'DATE', String(e.value));
      return { value: p.value, type: temporalType('DATE', 0, false) };
    }
    case 'time': {
      const p = parseTime(String(e.value));
      if (!p || p.truncated || p.shape === 'datetime') throw sqlError('ER_WRONG_VALUE', 'TIME', String(e.value));
      return { value: p.value, type: temporalType('TIME', p.value.fsp, false) };
    }
    case 'timestamp': {
      const p = parseDatetime(String(e.value), 'DATETIME');
      if (!p || p.truncated || p.shape === 'date') throw sqlError('ER_WRONG_VALUE', 'DATETIME', String(e.value));
      return { value: p.value, type: temporalType('DATETIME', p.value.fsp, false) };
    }
  }
}

/**
 * A literal's value and type where it is compiled: an unintroduced string literal takes the
 * connection collation (SET NAMES / collation_connection).
 * @req CORE-CS-052
 */
export function literalInScope(expr: LiteralExpr, collationConnection: string | undefined): { value: Value; type: ExprType } {
  const r = literalType(expr);
  if (expr.kind === 'string' && !expr.charset && !expr.collation && collationConnection && r.type.collation !== 'binary') {
    r.type.collation = collationConnection;
  }
  return r;
}

/** The result type family of a system variable (the server's registry answers; unknown -> undefined). */
export type SysvarKindLookup = (name: string) => 'signed' | 'unsigned' | 'double' | 'string' | undefined;
let sysvarKindLookup: SysvarKindLookup | undefined;

/** Register how `@@name` is typed at compile time (the executor installs the registry's answer). @req CORE-EXPR-001 */
export function setSysvarKindLookup(fn: SysvarKindLookup | undefined): void {
  sysvarKindLookup = fn;
}

function sysvarAsInt(v: Value): Value {
  if (typeof v === 'bigint' || v === null) return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  const t = String(v).trim().toUpperCase();
  if (t === 'ON' || t === 'TRUE') return 1n;
  if (t === 'OFF' || t === 'FALSE') return 0n;
  return /^-?\d+$/.test(t) ? BigInt(t) : v;
}

function sysvarAsDouble(v: Value): Value {
  if (typeof v === 'number' || v === null) return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(String(v));
  return Number.isFinite(n) ? n : v;
}

const DYNAMIC: ExprType = { kind: 'string', collation: DEFAULT_COLLATION, length: 255, decimals: 31, nullable: true, dynamic: true, coercibility: 4 };

/** Build an equality/ordering comparator specialised on the operand types. */
export function makeComparator(a: ExprType, b: ExprType, op?: string): (x: Value, y: Value, rt: Runtime) => number | null {
  if (a.kind === 'int' && b.kind === 'int' && !a.dynamic && !b.dynamic) {
    return (x, y) => {
      if (x === null || y === null) return null;
      if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
      return compareValues(x, y);
    };
  }
  if ((a.kind === 'string' || a.kind === 'json') && (b.kind === 'string' || b.kind === 'json') && !a.dynamic && !b.dynamic) {
    const coll = pickCollation(a, b, op);
    return (x, y) => {
      if (x === null || y === null) return null;
      if (typeof x === 'string' && typeof y === 'string') return compareStrings(x, y, coll);
      return compareValues(x, y, { collation: coll });
    };
  }
  const hexA = a.hexNumber && (b.kind === 'int' || b.kind === 'decimal' || b.kind === 'double');
  const hexB = b.hexNumber && (a.kind === 'int' || a.kind === 'decimal' || a.kind === 'double');
  const coll = a.kind === 'string' && b.kind === 'string' ? pickCollation(a, b, a.dynamic || b.dynamic ? undefined : op) : a.kind === 'string' ? a.collation : b.collation;
  // Temporal column against a constant string: the string is parsed as a temporal by compareValues.
  return (x, y, rt) => {
    if (x === null || y === null) return null;
    if (hexA && Buffer.isBuffer(x)) x = x.length ? BigInt('0x' + x.toString('hex')) : 0n;
    if (hexB && Buffer.isBuffer(y)) y = y.length ? BigInt('0x' + y.toString('hex')) : 0n;
    return compareValues(x, y, { collation: coll ?? DEFAULT_COLLATION, rt });
  };
}

const CMP_OPS = new Set(['=', '<=>', '<>', '!=', '<', '<=', '>', '>=']);

function cmpResult(op: string, c: number): boolean {
  switch (op) {
    case '=':
    case '<=>':
      return c === 0;
    case '<>':
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Compile a list of expressions, wrapping in an async evaluator when any is async. */
function anyAsync(list: CompiledExpr[]): boolean {
  for (const c of list) if (c.async) return true;
  return false;
}

/**
 * Wrap a node whose children include async expressions: the async children are awaited first
 * (in order), their results parked, and the synchronous node is evaluated over the parked values.
 */
/** Thrown by a placeholder of an asynchronous child whose value is not known yet. */
class AwaitChild {
  constructor(readonly index: number) {}
}

/**
 * An expression over children some of which must be awaited: the synchronous expression runs
 * over placeholders, and a placeholder read before its value is known stops it, the child is
 * awaited and the expression runs again. So only the children the expression really reads are
 * evaluated: IF / CASE / COALESCE / AND / OR keep their short-circuit over SLEEP or a stored
 * function (whose side effects must not happen in a branch not taken). @req CORE-EXPR-091 CORE-SP-030
 */
function liftAsync(children: CompiledExpr[], build: (children: CompiledExpr[]) => CompiledExpr): CompiledExpr {
  if (!anyAsync(children)) return build(children);
  const parked: Value[] = new Array(children.length).fill(null);
  const known: boolean[] = new Array(children.length).fill(false);
  const proxies = children.map((c, i): CompiledExpr =>
    c.async
      ? {
          type: c.type,
          eval: () => {
            if (!known[i]) throw new AwaitChild(i);
            return parked[i]!;
          },
        }
      : c,
  );
  const inner = build(proxies);
  const evalAsync = async (row: Row, rt: Runtime): Promise<Value> => {
    known.fill(false);
    // Bounded: each round makes one more child known.
    for (let round = 0; round <= children.length; round++) {
      try {
        return inner.async && inner.evalAsync ? await inner.evalAsync(row, rt) : inner.eval(row, rt);
      } catch (e) {
        if (!(e instanceof AwaitChild)) throw e;
        parked[e.index] = await children[e.index]!.evalAsync!(row, rt);
        known[e.index] = true;
      }
    }
    throw new Error('liftAsync: no progress');
  };
  return asyncExpr(inner.type, evalAsync);
}

function compileRowCompare(op: string, l: CompiledExpr[], r: CompiledExpr[]): CompiledExpr {
  if (l.length !== r.length) throw sqlError('ER_OPERAND_COLUMNS', l.length);
  const cmps = l.map((x, i) => makeComparator(x.type, r[i]!.type, op));
  const n = l.length;
  return {
    type: boolType(true),
    eval: (row, rt) => {
      let sawNull = false;
      for (let i = 0; i < n; i++) {
        const c = cmps[i]!(l[i]!.eval(row, rt), r[i]!.eval(row, rt), rt);
        if (c === null) {
          if (op === '<=>') return FALSE;
          sawNull = true;
          if (op === '=' || op === '<>' || op === '!=') continue;
          return null;
        }
        if (c !== 0) {
          if (op === '=' || op === '<=>') return FALSE;
          if (op === '<>' || op === '!=') return TRUE;
          return cmpResult(op, c) ? TRUE : FALSE;
        }
      }
      if (sawNull) return null;
      return cmpResult(op, 0) ? TRUE : FALSE;
    },
  };
}

/** A constant string compared in another character set must convert without loss (1267). @req CORE-CS-064 */
function checkComparedConstants(op: string, l: CompiledExpr, r: CompiledExpr): void {
  if (l.type.kind !== 'string' || r.type.kind !== 'string' || l.type.dynamic || r.type.dynamic) return;
  const dl = dtOf(l.type), dr = dtOf(r.type);
  if (dl.collation === dr.collation) return;
  const to = aggregateCollations([dl, dr], { comparison: true, op });
  if (l.constant) checkConstantConversion(foldConstant(l), dl, to, [dl, dr], op);
  if (r.constant) checkConstantConversion(foldConstant(r), dr, to, [dl, dr], op);
}

function compileComparison(op: string, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  checkComparedConstants(op, l, r);
  const cmp = makeComparator(l.type, r.type, op);
  const le = l.eval, re = r.eval;
  const nullSafe = op === '<=>';
  const type = boolType(!nullSafe && (l.type.nullable || r.type.nullable));
  const constant = !!(l.constant && r.constant);
  if (nullSafe) {
    return {
      type, constant,
      eval: (row, rt) => {
        const a = le(row, rt), b = re(row, rt);
        if (a === null || b === null) return a === b ? TRUE : FALSE;
        return cmp(a, b, rt) === 0 ? TRUE : FALSE;
      },
    };
  }
  // Specialised closures for the hot operators.
  if (op === '=') {
    return {
      type, constant,
      eval: (row, rt) => {
        const c = cmp(le(row, rt), re(row, rt), rt);
        return c === null ? null : c === 0 ? TRUE : FALSE;
      },
    };
  }
  return {
    type, constant,
    eval: (row, rt) => {
      const c = cmp(le(row, rt), re(row, rt), rt);
      return c === null ? null : cmpResult(op, c) ? TRUE : FALSE;
    },
  };
}

function truth(c: CompiledExpr): (row: Row, rt: Runtime) => boolean | null {
  const f = c.eval;
  if (c.type.kind === 'int' && !c.type.dynamic) {
    return (row, rt) => {
      const v = f(row, rt);
      return v === null ? null : typeof v === 'bigint' ? v !== 0n : toBoolean(v, rt);
    };
  }
  return (row, rt) => toBoolean(f(row, rt), rt);
}

function compileLogical(op: string, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const a = truth(l), b = truth(r);
  const type = boolType(l.type.nullable || r.type.nullable);
  const constant = !!(l.constant && r.constant);
  if (op === 'AND' || op === '&&') {
    return {
      type, constant,
      eval: (row, rt) => {
        const x = a(row, rt);
        if (x === false) return FALSE;
        const y = b(row, rt);
        if (y === false) return FALSE;
        return x === null || y === null ? null : TRUE;
      },
    };
  }
  if (op === 'OR' || op === '||') {
    return {
      type, constant,
      eval: (row, rt) => {
        const x = a(row, rt);
        if (x === true) return TRUE;
        const y = b(row, rt);
        if (y === true) return TRUE;
        return x === null || y === null ? null : FALSE;
      },
    };
  }
  return {
    type, constant,
    eval: (row, rt) => {
      const x = a(row, rt);
      if (x === null) return null;
      const y = b(row, rt);
      if (y === null) return null;
      return x !== y ? TRUE : FALSE;
    },
  };
}

function bitOperand(v: Value, rt: Runtime, hex: boolean): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (Buffer.isBuffer(v) && hex) return v.length ? BigInt.asUintN(64, BigInt('0x' + v.toString('hex'))) : 0n;
  if (typeof v === 'number') return BigInt.asUintN(64, toBigInt(v, rt)!);
  return BigInt.asUintN(64, toBigInt(v, rt)!);
}

function compileBitOp(op: string, l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const le = l.eval, re = r.eval;
  const lh = !!l.type.hexNumber, rh = !!r.type.hexNumber;
  return {
    type: intType(21, l.type.nullable || r.type.nullable, true),
    constant: !!(l.constant && r.constant),
    eval: (row, rt) => {
      const a = bitOperand(le(row, rt), rt, lh);
      if (a === null) return null;
      const b = bitOperand(re(row, rt), rt, rh);
      if (b === null) return null;
      switch (op) {
        case '&':
          return a & b;
        case '|':
          return a | b;
        case '^':
          return a ^ b;
        case '<<':
          return b >= 64n ? 0n : BigInt.asUintN(64, a << b);
        default:
          return b >= 64n ? 0n : a >> b;
      }
    },
  };
}

/** Scope wrapper used for error text: MySQL names the current database in 1305. */
function unknownFunction(call: FuncCall, scope: CompileScope): never {
  const db = call.schema ?? scope.database?.() ?? null;
  throw sqlError('ER_SP_DOES_NOT_EXIST', 'FUNCTION', db ? `${db}.${call.name.toLowerCase()}` : call.name.toLowerCase());
}

function compileFunc(call: FuncCall, scope: CompileScope): CompiledExpr {
  if (call.stored) return compileStoredCall(call, call.stored, scope);
  if (call.schema) unknownFunction(call, scope);
  // GROUPING reads the ROLLUP level of the row, which only a grouped block knows. @req CORE-FN-040
  if (call.name.toUpperCase() === 'GROUPING') {
    if (!scope.grouping) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
    return scope.grouping(call.args);
  }
  const def = FUNCTIONS.get(call.name.toUpperCase());
  if (!def) unknownFunction(call, scope);
  if (call.args.length < def.min || call.args.length > def.max) throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', call.name.toUpperCase());
  const ctx: FnContext = {
    call,
    scope,
    compile: (e) => compileExpr(e, scope),
    text: () => exprText(call),
  };
  if (def.raw) return def.compile([], ctx);
  const args = call.args.map((a) => (a.type === 'interval' ? compileExpr(a.value, scope) : compileExpr(a, scope)));
  const conn = call.connCollation;
  if (conn === undefined || conn === DEFAULT_COLLATION) return liftAsync(args, (xs) => def.compile(xs, ctx));
  return liftAsync(args, (xs) => numericStringCollation(def.compile(xs, ctx), xs, conn));
}

/**
 * A string result made only of numbers (CONCAT(1,2)) is a string of the connection: MySQL resets
 * a numeric-only collation to collation_connection, coercible and ASCII. @req CORE-FN-044
 */
function numericStringCollation(c: CompiledExpr, args: CompiledExpr[], conn: string): CompiledExpr {
  const t = c.type;
  if (t.kind !== 'string' || t.binary || t.dynamic || t.collation !== DEFAULT_COLLATION) return c;
  if (t.coercibility !== undefined && t.coercibility !== 4) return c;
  if (args.length === 0 || args.some((a) => a.type.kind === 'string' || a.type.kind === 'json' || a.type.dynamic)) return c;
  if (!args.some((a) => a.type.kind === 'int' || a.type.kind === 'decimal' || a.type.kind === 'double' || a.type.kind === 'temporal')) return c;
  return { ...c, type: { ...t, collation: conn, coercibility: 4, ascii: true } };
}

/**
 * A stored function bound by the executor: its arguments are evaluated, then the function body
 * runs (awaited, so it is an asynchronous expression). @req CORE-SP-030
 */
function compileStoredCall(call: FuncCall, binding: StoredFunctionBinding, scope: CompileScope): CompiledExpr {
  const args = call.args.map((a) => compileExpr(a, scope));
  return asyncExpr(binding.type, async (row, rt) => {
    const values: Value[] = [];
    for (const a of args) values.push(a.async && a.evalAsync ? await a.evalAsync(row, rt) : a.eval(row, rt));
    return binding.invoke(values, rt);
  });
}

/** Compile IN (list). */
function compileIn(e: Extract<Expr, { type: 'in' }>, scope: CompileScope): CompiledExpr {
  const not = e.not;
  if (e.expr.type === 'row') {
    const left = e.expr.items.map((x) => compileExpr(x, scope));
    const rows = (e.list ?? []).map((item) => {
      if (item.type !== 'row') throw sqlError('ER_OPERAND_COLUMNS', left.length);
      return compileRowCompare('=', left, item.items.map((x) => compileExpr(x, scope)));
    });
    return {
      type: boolType(true),
      eval: (row, rt) => {
        let sawNull = false;
        for (const r of rows) {
          const v = r.eval(row, rt);
          if (v === TRUE) return not ? FALSE : TRUE;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : not ? TRUE : FALSE;
      },
    };
  }
  const x = compileExpr(e.expr, scope);
  const items = (e.list ?? []).map((i) => compileExpr(i, scope));
  const cmps = items.map((i) => makeComparator(x.type, i.type, 'in'));
  const xe = x.eval;
  const n = items.length;
  // Constant integer list against an integer expression: a Set lookup.
  if (x.type.kind === 'int' && !x.type.dynamic && items.every((i) => i.constant && i.type.kind === 'int')) {
    const vals = items.map((i) => i.eval([], COMPILE_TIME_RUNTIME));
    const hasNull = vals.some((v) => v === null);
    const set = new Set(vals.filter((v): v is bigint => typeof v === 'bigint'));
    return {
      type: boolType(true),
      eval: (row, rt) => {
        const v = xe(row, rt);
        if (v === null) return null;
        if (typeof v === 'bigint' && set.has(v)) return not ? FALSE : TRUE;
        if (typeof v !== 'bigint') {
          for (let i = 0; i < n; i++) if (cmps[i]!(v, vals[i]!, rt) === 0) return not ? FALSE : TRUE;
        }
        return hasNull ? null : not ? TRUE : FALSE;
      },
    };
  }
  return {
    type: boolType(true),
    eval: (row, rt) => {
      const v = xe(row, rt);
      if (v === null) return null;
      let sawNull = false;
      for (let i = 0; i < n; i++) {
        const c = cmps[i]!(v, items[i]!.eval(row, rt), rt);
        if (c === 0) return not ? FALSE : TRUE;
        if (c === null) sawNull = true;
      }
      return sawNull ? null : not ? TRUE : FALSE;
    },
  };
}

function compileCase(e: Extract<Expr, { type: 'case' }>, scope: CompileScope): CompiledExpr {
  // Children in one list (operand, WHEN/THEN pairs, ELSE), so that awaited ones (SLEEP, stored
  // functions) are evaluated only when the CASE reaches them.
  const parts: CompiledExpr[] = [];
  if (e.operand) parts.push(compileExpr(e.operand, scope));
  for (const w of e.whens) parts.push(compileExpr(w.when, scope), compileExpr(w.then, scope));
  if (e.else) parts.push(compileExpr(e.else, scope));
  return liftAsync(parts, (xs) => buildCase(e, xs));
}

function buildCase(e: Extract<Expr, { type: 'case' }>, xs: CompiledExpr[]): CompiledExpr {
  let k = 0;
  const operand = e.operand ? xs[k++]! : undefined;
  const whens = e.whens.map(() => ({ when: xs[k++]!, then: xs[k++]! }));
  const els = e.else ? xs[k++]! : undefined;
  const type = aggregateTypes([...whens.map((w) => w.then.type), els ? els.type : { ...NULL_TYPE }]);
  if (!els) type.nullable = true;
  const n = whens.length;
  if (operand) {
    const cmps = whens.map((w) => makeComparator(operand.type, w.when.type));
    return {
      type,
      eval: (row, rt) => {
        const v = operand.eval(row, rt);
        if (v !== null) {
          for (let i = 0; i < n; i++) if (cmps[i]!(v, whens[i]!.when.eval(row, rt), rt) === 0) return coerceToType(whens[i]!.then.eval(row, rt), type);
        }
        return els ? coerceToType(els.eval(row, rt), type) : null;
      },
    };
  }
  const conds = whens.map((w) => truth(w.when));
  return {
    type,
    eval: (row, rt) => {
      for (let i = 0; i < n; i++) if (conds[i]!(row, rt) === true) return coerceToType(whens[i]!.then.eval(row, rt), type);
      return els ? coerceToType(els.eval(row, rt), type) : null;
    },
  };
}

function compileBinary(e: BinaryExpr, scope: CompileScope): CompiledExpr {
  const op = e.op;
  if (e.quantifier && !scope.subquery) throw sqlError('ER_NOT_SUPPORTED_YET', 'subqueries here');
  if ((op === '+' || op === '-') && (e.right.type === 'interval' || e.left.type === 'interval')) {
    return compileDateArith(e, (x) => compileExpr(x, scope));
  }
  if (CMP_OPS.has(op) && (e.left.type === 'row' || e.right.type === 'row')) {
    const l = e.left.type === 'row' ? e.left.items.map((x) => compileExpr(x, scope)) : [compileExpr(e.left, scope)];
    const r = e.right.type === 'row' ? e.right.items.map((x) => compileExpr(x, scope)) : [compileExpr(e.right, scope)];
    if (l.length !== r.length) throw sqlError('ER_OPERAND_COLUMNS', l.length);
    return compileRowCompare(op, l, r);
  }
  if (op === '->' || op === '->>') return compileJsonPathOp(op, compileExpr(e.left, scope), compileExpr(e.right, scope));
  if (op === ':=') {
    if (e.left.type !== 'uservar') throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', ':=', 1);
    const name = e.left.name;
    const v = compileExpr(e.right, scope);
    return liftAsync([v], ([x]) => ({ type: { ...x!.type, dynamic: true }, eval: (row, rt) => { const val = x!.eval(row, rt); rt.setUserVar(name, val); return val; } }));
  }
  const l = compileExpr(e.left, scope);
  const r = compileExpr(e.right, scope);
  return liftAsync([l, r], ([a, b]) => compileBinaryOn(e, op, a!, b!, scope));
}

/**
 * An ENUM/SET column read as a number: the 1-based member index (0 for the '' error value) or
 * the SET bit mask. Other expressions are returned unchanged.
 * @req CORE-EXPR-001
 */
export function enumAsNumber(c: CompiledExpr): CompiledExpr {
  const members = c.type.enumMembers;
  if (!c.enumColumn || !members) return c;
  const isSet = !!c.type.enumSet;
  const folded = members.map((m) => m.toLowerCase());
  const index = (s: string): number => {
    const i = members.indexOf(s);
    return i >= 0 ? i : folded.indexOf(s.toLowerCase());
  };
  const f = c.eval;
  const toNum = (v: Value): Value => {
    if (v === null || typeof v === 'bigint' || typeof v === 'number') return v;
    const text = Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : String(v);
    if (!isSet) return BigInt(index(text) + 1);
    let mask = 0n;
    if (text !== '') for (const part of text.split(',')) { const i = index(part); if (i >= 0) mask |= 1n << BigInt(i); }
    return mask;
  };
  const type: ExprType = { kind: 'int', length: isSet ? 20 : 5, decimals: 0, nullable: c.type.nullable, mysqlType: MysqlType.LONGLONG };
  const out: CompiledExpr = { type, eval: (row, rt) => toNum(f(row, rt)) };
  if (c.constant) out.constant = true;
  return out;
}

function isNumericType(t: ExprType): boolean {
  return (t.kind === 'int' || t.kind === 'decimal' || t.kind === 'double') && !t.dynamic && !t.hexNumber;
}

function compileBinaryOn(e: BinaryExpr, op: BinaryExpr['op'], l: CompiledExpr, r: CompiledExpr, scope: CompileScope): CompiledExpr {
  switch (op) {
    case '+': case '-': case '*': case '/': case 'DIV': case '%': case 'MOD':
      return compileArithmetic(op, enumAsNumber(l), enumAsNumber(r), exprText(e));
    case '=': case '<=>': case '<>': case '!=': case '<': case '<=': case '>': case '>=':
      // ENUM/SET against a number compares the index / bit mask.
      if (l.enumColumn && isNumericType(r.type)) return compileComparison(op, enumAsNumber(l), r);
      if (r.enumColumn && isNumericType(l.type)) return compileComparison(op, l, enumAsNumber(r));
      return compileComparison(op, l, r);
    case '||':
      if (scope.sqlMode?.has('PIPES_AS_CONCAT')) {
        const f = FUNCTIONS.get('CONCAT')!;
        return f.compile([l, r], { call: { type: 'func', name: 'CONCAT', args: [e.left, e.right] }, scope, compile: (x) => compileExpr(x, scope), text: () => exprText(e) });
      }
      return compileLogical(op, l, r);
    case 'AND': case '&&': case 'OR': case 'XOR':
      return compileLogical(op, l, r);
    case '&': case '|': case '^': case '<<': case '>>':
      return compileBitOp(op, enumAsNumber(l), enumAsNumber(r));
    case 'REGEXP': case 'NOT REGEXP': {
      const m = regexpMatcher(l, r, undefined);
      const not = op === 'NOT REGEXP';
      return { type: boolType(true), eval: (row, rt) => { const v = m(row, rt); return v === null ? null : v !== not ? TRUE : FALSE; } };
    }
    case 'SOUNDS LIKE': {
      const sx = FUNCTIONS.get('SOUNDEX')!;
      const ctx: FnContext = { call: { type: 'func', name: 'SOUNDEX', args: [] }, scope, compile: (x) => compileExpr(x, scope), text: () => 'soundex' };
      return compileComparison('=', sx.compile([l], ctx), sx.compile([r], ctx));
    }
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', `operator ${op}`);
  }
}

/**
 * Compile an expression against a scope.
 * @req CORE-EXPR-001
 */
export function compileExpr(expr: Expr, scope: CompileScope): CompiledExpr {
  switch (expr.type) {
    case 'literal': {
      const { value, type } = literalInScope(expr, scope.collationConnection);
      return constant(value, type);
    }
    case 'column': {
      const { slot, type } = scope.resolveColumn(expr);
      // Object.assign, not a spread with a property added after it (about a microsecond in this V8).
      const c: CompiledExpr = { eval: (row) => row[slot]!, type: Object.assign({}, type, { coercibility: type.coercibility ?? 2 }) };
      if (type.enumMembers) c.enumColumn = true;
      // PAD_CHAR_TO_FULL_LENGTH: a CHAR(n) column reads back padded with spaces to n characters
      // (stored values lose their trailing spaces). @req CORE-MODE-012
      if (scope.sqlMode?.has('PAD_CHAR_TO_FULL_LENGTH') && type.mysqlType === MysqlType.STRING && type.kind === 'string' && !type.binary && !type.enumMembers) {
        const width = type.length;
        c.eval = (row) => {
          const v = row[slot]!;
          if (typeof v !== 'string') return v;
          const chars = [...v].length;
          return chars < width ? v + ' '.repeat(width - chars) : v;
        };
      }
      return c;
    }
    case 'param': {
      const i = expr.index;
      // A literal the statement cache lifted: typed as that literal, its value bound per run. @req CORE-PERF-012
      if (expr.lifted) return { eval: (_row, rt) => rt.params[i] ?? null, type: literalInScope(expr.lifted, scope.collationConnection).type };
      // a bound string takes collation_connection @req CORE-CS-052
      return { eval: (_row, rt) => rt.params[i] ?? null, type: expr.connCollation && expr.connCollation !== DEFAULT_COLLATION ? { ...DYNAMIC, collation: expr.connCollation } : DYNAMIC };
    }
    case 'uservar': {
      const name = expr.name;
      return { eval: (_row, rt) => rt.userVar(name), type: { ...DYNAMIC, coercibility: 2 } };
    }
    case 'sysvar': {
      const { name, scope: sc } = expr;
      const kind = sysvarKindLookup?.(name);
      if (kind === 'signed' || kind === 'unsigned') {
        // Integer and boolean variables are BIGINT [UNSIGNED] in a result set (@@port, @@autocommit).
        const type: ExprType = { kind: 'int', unsigned: kind === 'unsigned', length: kind === 'unsigned' ? 20 : 21, decimals: 0, nullable: true, mysqlType: MysqlType.LONGLONG };
        return { eval: (_row, rt) => sysvarAsInt(rt.sysVar(name, sc)), type };
      }
      if (kind === 'double') {
        // Shown with six decimals, as MySQL types DOUBLE variables (@@long_query_time 10.000000). @req CORE-LOG-010
        const type: ExprType = { kind: 'double', length: 21, decimals: 6, nullable: true, mysqlType: MysqlType.DOUBLE };
        return { eval: (_row, rt) => sysvarAsDouble(rt.sysVar(name, sc)), type };
      }
      return { eval: (_row, rt) => rt.sysVar(name, sc), type: { ...DYNAMIC, coercibility: 3 } };
    }
    case 'unary': {
      const x = compileExpr(expr.operand, scope);
      return liftAsync([x], ([c]) => compileUnary(expr.op, c!, exprText(expr)));
    }
    case 'binary':
      return compileBinary(expr, scope);
    case 'func':
      return compileFunc(expr, scope);
    case 'aggregate': {
      if (expr.over) {
        if (!scope.window) throw sqlError('ER_NOT_SUPPORTED_YET', 'window functions');
        const w = scope.window(expr);
        return { eval: (row) => row[w.slot]!, type: w.type };
      }
      if (!scope.aggregate) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
      const { slot, type } = scope.aggregate(expr);
      return { eval: (row) => row[slot]!, type };
    }
    case 'window': {
      if (!scope.window) throw sqlError('ER_NOT_SUPPORTED_YET', 'window functions');
      const { slot, type } = scope.window(expr);
      return { eval: (row) => row[slot]!, type };
    }
    case 'case':
      return compileCase(expr, scope);
    case 'cast':
      return liftAsync([compileExpr(expr.expr, scope)], ([x]) => compileCast(x!, castTarget(expr), expr.targetKeyword, exprText(expr)));
    case 'convert_using': {
      const x = compileExpr(expr.expr, scope);
      const cs = expr.charset.toLowerCase();
      const { collation } = resolveCharsetCollation(cs, undefined);
      const fe = x.eval;
      const from = charsetOfType(x.type), to = charsetOf(collation);
      // @req CORE-CS-065
      return {
        type: stringTypeWith(x.type.length, x.type.nullable, collation, 2),
        eval: (row, rt) => {
          const v = fe(row, rt);
          return v === null ? null : convertCharset(v, from, to);
        },
      };
    }
    case 'collate': {
      const x = compileExpr(expr.expr, scope);
      const co = getCollation(expr.collation);
      const t = x.type;
      if (t.kind === 'string' && !t.dynamic && !t.binary && t.collation && findCollation(t.collation)?.charset !== co.charset) {
        throw sqlError('ER_COLLATION_CHARSET_MISMATCH', co.name, findCollation(t.collation)?.charset ?? 'utf8mb4');
      }
      const fe = x.eval;
      const toStr = t.kind !== 'string' || t.dynamic;
      return {
        type: stringTypeWith(t.length, t.nullable, co.name, 0),
        constant: x.constant,
        eval: toStr ? (row, rt) => { const v = fe(row, rt); return v === null || typeof v === 'string' ? v : Buffer.isBuffer(v) && co.name === 'binary' ? v : toStringValue(v); } : fe,
      };
    }
    case 'in': {
      if (expr.subquery) {
        if (!scope.subquery) throw sqlError('ER_NOT_SUPPORTED_YET', 'subqueries here');
        return scope.subquery(expr);
      }
      return compileIn(expr, scope);
    }
    case 'between': {
      const x = compileExpr(expr.expr, scope), lo = compileExpr(expr.low, scope), hi = compileExpr(expr.high, scope);
      // BETWEEN settles one collation over its three operands (1270 when it cannot). @req CORE-CS-063
      if ([x, lo, hi].every((o) => o.type.kind === 'string' && !o.type.dynamic)) aggregateCollations([x, lo, hi].map((o) => dtOf(o.type)), { comparison: true, op: 'between' });
      const c1 = makeComparator(x.type, lo.type, 'between'), c2 = makeComparator(x.type, hi.type, 'between');
      const not = expr.not;
      return {
        type: boolType(true),
        eval: (row, rt) => {
          const v = x.eval(row, rt);
          if (v === null) return null;
          const a = c1(v, lo.eval(row, rt), rt);
          const b = c2(v, hi.eval(row, rt), rt);
          const ge = a === null ? null : a >= 0;
          const le = b === null ? null : b <= 0;
          if (ge === false || le === false) return not ? TRUE : FALSE;
          if (ge === null || le === null) return null;
          return not ? FALSE : TRUE;
        },
      };
    }
    case 'like': {
      const x = compileExpr(expr.expr, scope), p = compileExpr(expr.pattern, scope);
      const esc = expr.escape ? compileExpr(expr.escape, scope) : undefined;
      const m = likeMatcher(x, p, esc);
      const not = expr.not;
      return { type: boolType(true), eval: (row, rt) => { const v = m(row, rt); return v === null ? null : v !== not ? TRUE : FALSE; } };
    }
    case 'is': {
      const { test, not } = expr;
      return liftAsync([compileExpr(expr.expr, scope)], ([c]) => {
        const g = c!.eval;
        const t2 = truth(c!);
        return {
          type: boolType(false),
          eval: (row, rt) => {
            let r: boolean;
            if (test === 'NULL') r = g(row, rt) === null;
            else {
              const b = t2(row, rt);
              r = test === 'TRUE' ? b === true : test === 'FALSE' ? b === false : b === null;
            }
            return r !== not ? TRUE : FALSE;
          },
        };
      });
    }
    case 'exists':
    case 'subquery':
      if (!scope.subquery) throw sqlError('ER_NOT_SUPPORTED_YET', 'subqueries here');
      return scope.subquery(expr);
    case 'row':
      if (expr.items.length === 1) return compileExpr(expr.items[0]!, scope);
      throw sqlError('ER_OPERAND_COLUMNS', 1);
    case 'interval':
      throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', 'INTERVAL', 1);
    case 'default':
      if (!scope.defaultOf) throw sqlError('ER_NOT_SUPPORTED_YET', 'DEFAULT here');
      return scope.defaultOf(expr.column, expr.table);
    case 'values_ref':
      if (!scope.valuesRef) return constant(null, { ...NULL_TYPE });
      return scope.valuesRef(expr.column);
    case 'match':
      throw sqlError('ER_NOT_SUPPORTED_YET', 'MATCH ... AGAINST');
  }
}

function compileUnary(op: string, x: CompiledExpr, text: string): CompiledExpr {
  const f = x.eval;
  switch (op) {
    case '-':
      return compileNegate(enumAsNumber(x), text);
    case '+':
      return x;
    case 'NOT':
    case '!': {
      const t = truth(x);
      return { type: boolType(x.type.nullable), constant: x.constant, eval: (row, rt) => { const b = t(row, rt); return b === null ? null : b ? FALSE : TRUE; } };
    }
    case '~': {
      const hex = !!x.type.hexNumber;
      return { type: intType(21, x.type.nullable, true), constant: x.constant, eval: (row, rt) => { const v = bitOperand(f(row, rt), rt, hex); return v === null ? null : BigInt.asUintN(64, ~v); } };
    }
    default: {
      // BINARY expr: cast to a binary string (the bytes of its character set) @req CORE-CS-066
      const from = charsetOfType(x.type);
      return {
        type: stringTypeWith(x.type.length, x.type.nullable, 'binary', 0),
        constant: x.constant,
        eval: (row, rt) => {
          const v = f(row, rt);
          return v === null ? null : bytesOf(v, from);
        },
      };
    }
  }
}

/** Evaluate an expression that needs no row (LIMIT values, SET values, defaults). */
export function evalConstant(expr: Expr, rt: Runtime, scope?: Partial<CompileScope>): Value {
  const sc: CompileScope = {
    resolveColumn: (ref) => {
      throw sqlError('ER_BAD_FIELD_ERROR', ref.name, 'field list');
    },
    ...scope,
  };
  return compileExpr(expr, sc).eval([], rt);
}

export { isCaseInsensitive, foldForMatch, Temporal, MysqlType };

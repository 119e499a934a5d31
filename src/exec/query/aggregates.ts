/**
 * Aggregate functions computed by the executor while it groups rows: COUNT, SUM, AVG, MIN,
 * MAX, GROUP_CONCAT, BIT_AND/OR/XOR, the standard deviation and variance family, ANY_VALUE.
 * The result of each aggregate is stored in a slot of the group's row, where compiled
 * expressions read it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html
 * @req CORE-EXEC-033
 */
import type { AggregateCall } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { CompiledExpr, ExprType, Runtime } from '../../sql/eval/index.js';
import { sqlToJson } from '../../sql/eval/functions/json.js';
import { toStringValue } from '../../sql/types/convert.js';
import { jsonToText, JsonObject, type JsonValue } from '../../sql/types/json.js';
import { Decimal, type Row, type Value } from '../../kernel/value.js';
import { compareValues, tupleKey } from './compare.js';

export interface AggSpec {
  call: AggregateCall;
  args: CompiledExpr[];
  order: { expr: CompiledExpr; desc: boolean }[];
  slot: number;
  type: ExprType;
}

export interface AggState {
  add(row: Row, rt: Runtime): void;
  result(rt: Runtime): Value;
}

function toDec(v: Value): Decimal | null {
  if (v === null) return null;
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (typeof v === 'number') return Decimal.parse(String(v));
  const s = Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
  const m = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)/.exec(s);
  return m ? Decimal.parse(m[0]) : new Decimal(0n, 0);
}

function decAdd(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return new Decimal(a.unscaled + b.unscaled, a.scale);
  if (a.scale < b.scale) return new Decimal(a.unscaled * 10n ** BigInt(b.scale - a.scale) + b.unscaled, b.scale);
  return new Decimal(a.unscaled + b.unscaled * 10n ** BigInt(a.scale - b.scale), a.scale);
}

function toNum(v: Value): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  const n = parseFloat(Buffer.isBuffer(v) ? v.toString('latin1') : String(v));
  return Number.isFinite(n) ? n : 0;
}

function rescaleDiv(sum: Decimal, count: bigint, scale: number): Decimal {
  // round half away from zero to `scale` digits
  const shift = scale - sum.scale;
  let num = sum.unscaled * 10n ** BigInt(Math.max(0, shift) + 1);
  const den = count * 10n ** BigInt(Math.max(0, -shift));
  let q = num / den;
  const neg = q < 0n;
  if (neg) q = -q;
  q = (q + 5n) / 10n;
  if (neg) q = -q;
  num = q;
  return new Decimal(num, scale);
}

/** Result type of an aggregate given its argument type. */
export function aggregateType(call: AggregateCall, argType: ExprType | undefined, groupConcatMaxLen: number): ExprType {
  const nullable = true;
  switch (call.name) {
    case 'COUNT':
      return { kind: 'int', length: 21, decimals: 0, nullable: false };
    case 'SUM':
      if (argType && (argType.kind === 'double' || argType.kind === 'string' || argType.kind === 'temporal' || argType.kind === 'json'))
        return { kind: 'double', length: 23, decimals: 31, nullable };
      return { kind: 'decimal', length: Math.min(65, (argType?.length ?? 20) + 22) , decimals: argType?.kind === 'decimal' ? argType.decimals : 0, nullable };
    case 'AVG':
      if (argType && (argType.kind === 'double' || argType.kind === 'string' || argType.kind === 'temporal' || argType.kind === 'json'))
        return { kind: 'double', length: 23, decimals: 31, nullable };
      return { kind: 'decimal', length: Math.min(65, (argType?.length ?? 20) + 4), decimals: Math.min(30, (argType?.kind === 'decimal' ? argType.decimals : 0) + 4), nullable };
    case 'MIN':
    case 'MAX':
    case 'ANY_VALUE':
      return argType ? { ...argType, nullable: true } : { kind: 'null', length: 0, decimals: 0, nullable };
    case 'GROUP_CONCAT':
      return { kind: 'string', collation: argType?.collation ?? 'utf8mb4_0900_ai_ci', length: groupConcatMaxLen, decimals: 0, nullable, binary: !!argType?.binary };
    case 'BIT_AND':
    case 'BIT_OR':
    case 'BIT_XOR':
      return { kind: 'int', unsigned: true, length: 21, decimals: 0, nullable: false };
    case 'JSON_ARRAYAGG':
    case 'JSON_OBJECTAGG':
      return { kind: 'json', length: 4294967295, decimals: 0, nullable };
    default:
      return { kind: 'double', length: 23, decimals: 31, nullable };
  }
}

/** Create the running state of one aggregate for one group. @req CORE-EXEC-033 */
export function createAggState(spec: AggSpec, groupConcatMaxLen: number): AggState {
  const { call, args } = spec;
  const distinct = call.distinct ? new Set<string>() : null;
  const collations = args.map((a) => a.type.collation);
  /** Evaluate the arguments; null when any is NULL (most aggregates skip such rows). */
  const argValues = (row: Row, rt: Runtime): Value[] | null => {
    const vals: Value[] = [];
    for (const a of args) {
      const v = a.eval(row, rt);
      if (v === null) return null;
      vals.push(v);
    }
    if (distinct) {
      const k = tupleKey(vals, collations);
      if (distinct.has(k)) return null;
      distinct.add(k);
    }
    return vals;
  };
  switch (call.name) {
    case 'COUNT': {
      let n = 0n;
      if (call.star) return { add: () => void n++, result: () => n };
      return {
        add(row, rt) {
          if (argValues(row, rt) !== null) n++;
        },
        result: () => n,
      };
    }
    case 'SUM':
    case 'AVG': {
      const asDouble = spec.type.kind === 'double';
      let dsum = 0;
      let xsum: Decimal = new Decimal(0n, 0);
      let n = 0n;
      return {
        add(row, rt) {
          const v = argValues(row, rt);
          if (v === null) return;
          n++;
          if (asDouble) dsum += toNum(v[0]!) ?? 0;
          else xsum = decAdd(xsum, toDec(v[0]!)!);
        },
        result() {
          if (n === 0n) return null;
          if (call.name === 'SUM') return asDouble ? dsum : xsum;
          if (asDouble) return dsum / Number(n);
          return rescaleDiv(xsum, n, spec.type.decimals);
        },
      };
    }
    case 'MIN':
    case 'MAX':
    case 'ANY_VALUE': {
      let best: Value = null;
      let has = false;
      const coll = collations[0];
      const sign = call.name === 'MIN' ? -1 : 1;
      return {
        add(row, rt) {
          const v = argValues(row, rt);
          if (v === null) return;
          if (!has) {
            best = v[0]!;
            has = true;
            return;
          }
          if (call.name === 'ANY_VALUE') return;
          if (compareValues(v[0]!, best, coll) * sign > 0) best = v[0]!;
        },
        result: () => best,
      };
    }
    case 'GROUP_CONCAT': {
      const items: { vals: Value[]; keys: Value[] }[] = [];
      const sep = call.separator ?? ',';
      return {
        add(row, rt) {
          const v = argValues(row, rt);
          if (v === null) return;
          items.push({ vals: v, keys: spec.order.map((o) => o.expr.eval(row, rt)) });
        },
        result(rt) {
          if (items.length === 0) return null;
          if (spec.order.length) {
            items.sort((a, b) => {
              for (let i = 0; i < spec.order.length; i++) {
                const c = compareValues(a.keys[i]!, b.keys[i]!, spec.order[i]!.expr.type.collation);
                if (c !== 0) return spec.order[i]!.desc ? -c : c;
              }
              return 0;
            });
          }
          // Append row by row: the 1260 warning names the row whose text crossed the limit,
          // counted in concatenation order, as MySQL does.
          let s = '';
          for (let i = 0; i < items.length; i++) {
            s += (i ? sep : '') + items[i]!.vals.map((x) => (Buffer.isBuffer(x) ? x.toString('latin1') : String(x))).join('');
            if (s.length > groupConcatMaxLen) {
              rt.warn('Warning', 'ER_CUT_VALUE_GROUP_CONCAT', i + 1);
              return s.slice(0, groupConcatMaxLen);
            }
          }
          return s;
        },
      };
    }
    case 'BIT_AND':
    case 'BIT_OR':
    case 'BIT_XOR': {
      const mask = (1n << 64n) - 1n;
      let acc = call.name === 'BIT_AND' ? mask : 0n;
      return {
        add(row, rt) {
          const v = argValues(row, rt);
          if (v === null) return;
          const x = v[0]!;
          let b = typeof x === 'bigint' ? x : BigInt(Math.trunc(toNum(x) ?? 0));
          b &= mask;
          acc = call.name === 'BIT_AND' ? acc & b : call.name === 'BIT_OR' ? acc | b : acc ^ b;
        },
        result: () => acc,
      };
    }
    case 'STD':
    case 'STDDEV':
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VARIANCE':
    case 'VAR_POP':
    case 'VAR_SAMP': {
      let n = 0;
      let mean = 0;
      let m2 = 0;
      return {
        add(row, rt) {
          const v = argValues(row, rt);
          if (v === null) return;
          const x = toNum(v[0]!) ?? 0;
          n++;
          const d = x - mean;
          mean += d / n;
          m2 += d * (x - mean);
        },
        result() {
          if (n === 0) return null;
          const samp = call.name === 'STDDEV_SAMP' || call.name === 'VAR_SAMP';
          if (samp && n < 2) return null;
          const variance = m2 / (samp ? n - 1 : n);
          return call.name.startsWith('VAR') ? variance : Math.sqrt(variance);
        },
      };
    }
    // The JSON aggregates build JSON values with the same conversions and printer as the JSON
    // functions, so numbers, JSON-typed arguments and key order (shorter keys first; the last
    // duplicate wins) come out as MySQL prints them.
    case 'JSON_ARRAYAGG': {
      const arr: JsonValue[] = [];
      return {
        add(row, rt) {
          arr.push(sqlToJson(args[0]!.eval(row, rt), args[0]!.type, 'json_arrayagg', 1));
        },
        result: () => (arr.length ? jsonToText(arr) : null),
      };
    }
    case 'JSON_OBJECTAGG': {
      const obj = new JsonObject();
      let any = false;
      return {
        add(row, rt) {
          const k = args[0]!.eval(row, rt);
          if (k === null) throw sqlError('ER_JSON_DOCUMENT_NULL_KEY');
          any = true;
          obj.map.set(toStringValue(k)!, sqlToJson(args[1]!.eval(row, rt), args[1]!.type, 'json_objectagg', 2));
        },
        result: () => (any ? jsonToText(obj) : null),
      };
    }
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', call.name);
  }
}


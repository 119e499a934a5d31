/**
 * Aggregate accumulators: COUNT, COUNT(DISTINCT), SUM, AVG, MIN, MAX, GROUP_CONCAT,
 * BIT_AND/OR/XOR, the STD/VARIANCE family, ANY_VALUE, JSON_ARRAYAGG, JSON_OBJECTAGG.
 * SUM/AVG of exact inputs are exact DECIMAL (AVG adds div_precision_increment digits);
 * of inexact inputs DOUBLE. MIN/MAX compare under the argument's collation.
 *
 * `add(values)` receives the evaluated arguments followed, for GROUP_CONCAT ... ORDER BY, by
 * the evaluated ORDER BY keys.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html
 * @req CORE-EXPR-080 CORE-EXPR-081 CORE-EXPR-082
 */
import type { AggregateCall } from '../ast.js';
import { sortKey } from '../charset/index.js';
import { sqlError } from '../errors.js';
import { compareValues } from '../types/compare.js';
import { toBigInt, toDecimal, toDouble, toStringValue } from '../types/convert.js';
import { decAdd, decDiv } from '../types/decimal-math.js';
import { jsonToText, JsonObject, type JsonValue } from '../types/json.js';
import { DIV_PRECISION_INCREMENT, GROUP_CONCAT_MAX_LEN, UBIGINT_MAX } from '../types/limits.js';
import { Decimal, Temporal, type Value } from '../types/value.js';
import { sqlToJson } from './functions/json.js';
import { decimalType, doubleType, intType, jsonType, precisionOf, stringType } from './type-rules.js';
import type { ExprType, Runtime } from './types.js';

export interface Aggregate {
  add(values: Value[]): void;
  result(): Value;
  type: ExprType;
  /** Back to the empty state for the next group. */
  reset(): void;
}

function exact(t: ExprType | undefined): boolean {
  return !!t && (t.kind === 'int' || t.kind === 'decimal' || (t.kind === 'string' && !!t.hexNumber));
}

/** A hashable key of a value list for DISTINCT (collation-aware for strings). */
export function distinctKey(vals: Value[], types: ExprType[]): string {
  let k = '';
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i]!;
    const t = types[i];
    if (typeof v === 'string') k += 's' + sortKey(v, t?.collation ?? 'utf8mb4_0900_ai_ci');
    else if (Buffer.isBuffer(v)) k += 'b' + v.toString('latin1');
    else if (v instanceof Decimal) k += 'n' + normNum(v.toString());
    else if (typeof v === 'bigint') k += 'n' + v.toString();
    else if (typeof v === 'number') k += 'n' + normNum(String(v));
    else if (v instanceof Temporal) k += 't' + v.toString();
    else k += 'z';
    k += '\u0000';
  }
  return k;
}
function normNum(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * Create an accumulator for one aggregate call.
 * @req CORE-EXPR-080
 */
export function createAggregate(call: AggregateCall, argTypes: ExprType[], rt: Runtime): Aggregate {
  const t0 = argTypes[0];
  const distinct = !!call.distinct;
  let seen = new Set<string>();
  const isNew = (vals: Value[]): boolean => {
    if (!distinct) return true;
    const k = distinctKey(vals, argTypes);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  const baseReset = () => {
    seen = new Set();
  };
  const divInc = rt.settings?.divPrecisionIncrement ?? DIV_PRECISION_INCREMENT;

  switch (call.name) {
    case 'COUNT': {
      let c = 0n;
      const n = call.star ? 0 : call.args.length;
      return {
        type: intType(21, false),
        add(vals) {
          for (let i = 0; i < n; i++) if (vals[i] === null) return;
          if (isNew(vals.slice(0, n))) c++;
        },
        result: () => c,
        reset() { c = 0n; baseReset(); },
      };
    }
    case 'SUM':
    case 'AVG': {
      const isAvg = call.name === 'AVG';
      const ex = exact(t0);
      const scale = t0?.kind === 'decimal' ? t0.decimals : 0;
      const type: ExprType = ex
        ? isAvg ? decimalType(Math.min(65, precisionOf(t0!) + divInc), Math.min(30, scale + divInc)) : decimalType(Math.min(65, precisionOf(t0!) + 22), scale)
        : doubleType(true);
      let dsum = new Decimal(0n, scale), fsum = 0, count = 0n;
      return {
        type,
        add(vals) {
          const v = vals[0]!;
          if (v === null || !isNew([v])) return;
          count++;
          if (ex) dsum = decAdd(dsum, toDecimal(Buffer.isBuffer(v) ? BigInt('0x' + (v.toString('hex') || '0')) : v, rt)!);
          else fsum += toDouble(v, rt)!;
        },
        result() {
          if (count === 0n) return null;
          if (!isAvg) return ex ? dsum : fsum;
          if (ex) return decDiv(dsum, new Decimal(count, 0), type.decimals);
          return fsum / Number(count);
        },
        reset() { dsum = new Decimal(0n, scale); fsum = 0; count = 0n; baseReset(); },
      };
    }
    case 'MIN':
    case 'MAX':
    case 'ANY_VALUE': {
      const want = call.name === 'MIN' ? -1 : 1;
      let best: Value = null;
      let has = false;
      const type: ExprType = t0 ? { ...t0, nullable: true } : stringType(0);
      return {
        type,
        add(vals) {
          const v = vals[0]!;
          if (v === null) return;
          if (!has) {
            best = v;
            has = true;
            return;
          }
          if (call.name === 'ANY_VALUE') return;
          const c = compareValues(v, best, { collation: t0?.collation, type: t0 });
          if (c !== null && c * want > 0) best = v;
        },
        result: () => best,
        reset() { best = null; has = false; },
      };
    }
    case 'BIT_AND':
    case 'BIT_OR':
    case 'BIT_XOR': {
      const init = call.name === 'BIT_AND' ? UBIGINT_MAX : 0n;
      let acc = init;
      return {
        type: intType(21, false, true),
        add(vals) {
          const v = vals[0]!;
          if (v === null) return;
          const b = Buffer.isBuffer(v) && t0?.hexNumber ? BigInt('0x' + (v.toString('hex') || '0')) : BigInt.asUintN(64, toBigInt(v, rt)!);
          acc = call.name === 'BIT_AND' ? acc & b : call.name === 'BIT_OR' ? acc | b : acc ^ b;
        },
        result: () => acc,
        reset() { acc = init; },
      };
    }
    case 'STD': case 'STDDEV': case 'STDDEV_POP': case 'STDDEV_SAMP': case 'VARIANCE': case 'VAR_POP': case 'VAR_SAMP': {
      // Welford's online algorithm for numerical stability
      let count = 0, mean = 0, m2 = 0;
      const sample = call.name.endsWith('SAMP');
      const sqrt = call.name.startsWith('STD');
      return {
        type: doubleType(true),
        add(vals) {
          const v = vals[0]!;
          if (v === null || !isNew([v])) return;
          const x = toDouble(v, rt)!;
          count++;
          const d = x - mean;
          mean += d / count;
          m2 += d * (x - mean);
        },
        result() {
          if (count === 0 || (sample && count === 1)) return null;
          const variance = m2 / (sample ? count - 1 : count);
          return sqrt ? Math.sqrt(variance) : variance;
        },
        reset() { count = 0; mean = 0; m2 = 0; baseReset(); },
      };
    }
    case 'GROUP_CONCAT': {
      const nArgs = call.args.length;
      const order = call.orderBy ?? [];
      const sep = call.separator ?? ',';
      const maxLen = rt.settings?.groupConcatMaxLen ?? GROUP_CONCAT_MAX_LEN;
      const binary = argTypes.slice(0, nArgs).some((t) => t.binary);
      const type = stringType(Math.min(maxLen, 65535), true, binary ? 'binary' : t0?.collation ?? 'utf8mb4_0900_ai_ci');
      let items: { text: string; keys: Value[] }[] = [];
      let rows = 0;
      return {
        type,
        add(vals) {
          const args = vals.slice(0, nArgs);
          if (args.some((v) => v === null)) return;
          if (!isNew(args)) return;
          rows++;
          items.push({ text: args.map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : toStringValue(v))).join(''), keys: vals.slice(nArgs) });
        },
        result() {
          if (items.length === 0) return null;
          if (order.length) {
            items.sort((a, b) => {
              for (let i = 0; i < order.length; i++) {
                const c = compareValues(a.keys[i] ?? null, b.keys[i] ?? null, { collation: argTypes[nArgs + i]?.collation }) ?? (a.keys[i] === null ? (b.keys[i] === null ? 0 : -1) : 1);
                if (c !== 0) return order[i]!.desc ? -c : c;
              }
              return 0;
            });
          }
          let out = '';
          let cut = false;
          for (let i = 0; i < items.length; i++) {
            const piece = (i ? sep : '') + items[i]!.text;
            if (out.length + piece.length > maxLen) {
              out = (out + piece).slice(0, maxLen);
              cut = true;
              rt.warn('Warning', 'ER_CUT_VALUE_GROUP_CONCAT', i + 1);
              break;
            }
            out += piece;
          }
          void cut;
          void rows;
          return binary ? Buffer.from(out, 'latin1') : out;
        },
        reset() { items = []; rows = 0; baseReset(); },
      };
    }
    case 'JSON_ARRAYAGG': {
      let arr: JsonValue[] = [];
      let any = false;
      return {
        type: jsonType(true),
        add(vals) {
          any = true;
          arr.push(sqlToJson(vals[0]!, t0!, 'json_arrayagg', 1));
        },
        result: () => (any ? jsonToText(arr) : null),
        reset() { arr = []; any = false; },
      };
    }
    case 'JSON_OBJECTAGG': {
      let obj = new JsonObject();
      let any = false;
      return {
        type: jsonType(true),
        add(vals) {
          if (vals[0] === null) throw sqlError('ER_JSON_DOCUMENT_NULL_KEY');
          any = true;
          obj.map.set(toStringValue(vals[0]!)!, sqlToJson(vals[1]!, argTypes[1]!, 'json_objectagg', 2));
        },
        result: () => (any ? jsonToText(obj) : null),
        reset() { obj = new JsonObject(); any = false; },
      };
    }
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', call.name);
  }
}

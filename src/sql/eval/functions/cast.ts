/**
 * CAST(expr AS type) / CONVERT(expr, type) to every target: SIGNED, UNSIGNED, CHAR[(n)],
 * BINARY[(n)], DATE, TIME, DATETIME, DECIMAL(m,d), DOUBLE, FLOAT, JSON, YEAR.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/cast-functions.html
 * @req CORE-EXPR-060
 */
import { bytesOf, charsetOfType, convertCharset } from '../charset-convert.js';
import { charLength, charsetOf, resolveCharsetCollation } from '../../../kernel/charset/index.js';
import { sqlError } from '../../../kernel/errors.js';
import type { ColumnType } from '../../../kernel/column-type.js';
import { MysqlType } from '../../../kernel/column-type.js';
import { toBigInt, toBuffer, toDecimal, toDouble, toStringValue, toTemporal } from '../../types/convert.js';
import { decMaxFor, decRound, decCompare, decNeg } from '../../types/decimal-math.js';
import { roundTemporal } from '../../types/store.js';
import { Decimal, Temporal, type Value } from '../../../kernel/value.js';
import { decimalType, doubleType, intType, jsonType, stringType, temporalType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { toJsonText } from './json.js';
import { toNumeric } from './arithmetic.js';

function sliceChars(s: string, n: number): string {
  let i = 0, count = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

/** Compile a CAST. @req CORE-EXPR-060 */
export function compileCast(x: CompiledExpr, target: ColumnType, keyword: string, text: string): CompiledExpr {
  const fe = x.eval;
  const nullable = x.type.nullable;
  const hex = !!x.type.hexNumber;
  const kw = keyword.toUpperCase();
  const constant = x.constant;
  const mk = (type: ExprType, f: (v: Value, rt: Runtime) => Value): CompiledExpr => ({
    type, constant,
    eval: (row, rt) => {
      const v = fe(row, rt);
      return v === null ? null : f(v, rt);
    },
  });
  switch (target.name) {
    case 'BIGINT': case 'INT': case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': {
      const unsigned = !!target.unsigned || kw === 'UNSIGNED';
      return mk(intType(unsigned ? 20 : 21, nullable, unsigned), (v, rt) => {
        if (hex && Buffer.isBuffer(v)) return toNumeric(v, rt, true);
        if (unsigned) {
          if (typeof v === 'number' && v >= 9.223372036854776e18) return toBigInt(v, rt, true);
          if (v instanceof Decimal && v.unscaled > 0n) return toBigInt(v, rt, true);
          if (typeof v === 'string' || Buffer.isBuffer(v)) {
            const s = typeof v === 'string' ? v : v.toString('latin1');
            if (!/^\s*-/.test(s)) return toBigInt(s, rt, true);
          }
          return BigInt.asUintN(64, toBigInt(v, rt)!);
        }
        if (typeof v === 'bigint') return BigInt.asIntN(64, v);
        return toBigInt(v, rt);
      });
    }
    case 'CHAR': case 'VARCHAR': {
      const { collation } = resolveCharsetCollation(target.charset, target.collation);
      const n = target.length;
      const binary = collation === 'binary';
      const from = charsetOfType(x.type), to = charsetOf(collation);
      return mk({ ...stringType(n ?? Math.max(x.type.length, 1), nullable, collation), coercibility: 2 }, (v, rt) => {
        if (binary && n === undefined) return bytesOf(v as Exclude<Value, null>, from);
        // @req CORE-CS-065
        let s = toStringValue(from === to || binary ? v : convertCharset(v as Exclude<Value, null>, from, to))!;
        if (n !== undefined && charLength(s) > n) {
          rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', `CHAR(${n})`, s);
          s = sliceChars(s, n);
        }
        return binary ? Buffer.from(s, 'utf8') : s;
      });
    }
    case 'BINARY': case 'VARBINARY': {
      const n = target.length;
      const from = charsetOfType(x.type);
      return mk({ ...stringType(n ?? x.type.length, nullable, 'binary'), coercibility: 2 }, (v, rt) => {
        // @req CORE-CS-066
        let b = typeof v === 'string' ? bytesOf(v, from) : toBuffer(v)!;
        if (n !== undefined) {
          if (b.length > n) {
            rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', `BINARY(${n})`, b.toString('utf8'));
            b = b.subarray(0, n);
          } else if (b.length < n) b = Buffer.concat([b, Buffer.alloc(n - b.length)]);
        }
        return b;
      });
    }
    case 'DATE':
      return mk(temporalType('DATE', 0, true), (v, rt) => toTemporal(v, 'DATE', rt, rt.now, rt.timeZone));
    case 'TIME': {
      const fsp = target.scale ?? 0;
      return mk(temporalType('TIME', fsp, true), (v, rt) => {
        const t = toTemporal(v, 'TIME', rt, rt.now, rt.timeZone);
        return t && roundTemporal(t, fsp);
      });
    }
    case 'DATETIME': case 'TIMESTAMP': {
      const fsp = target.scale ?? 0;
      return mk(temporalType('DATETIME', fsp, true), (v, rt) => {
        const t = toTemporal(v, 'DATETIME', rt, rt.now, rt.timeZone);
        return t && roundTemporal(t, fsp);
      });
    }
    case 'DECIMAL': {
      const p = target.length ?? 10, s = target.scale ?? 0;
      if (p > 65) throw sqlError('ER_TOO_BIG_PRECISION', p, text, 65);
      if (s > 30) throw sqlError('ER_TOO_BIG_SCALE', s, text, 30);
      if (s > p) throw sqlError('ER_M_BIGGER_THAN_D', '');
      const max = decMaxFor(p, s);
      return mk(decimalType(p, s, nullable), (v, rt) => {
        let d = toDecimal(hex && Buffer.isBuffer(v) ? toNumeric(v, rt, true) : v, rt)!;
        d = decRound(d, s);
        if (d.scale < s) d = new Decimal(d.unscaled * 10n ** BigInt(s - d.scale), s);
        if (decCompare(d, max) > 0) {
          rt.warn('Warning', 'ER_WARN_DATA_OUT_OF_RANGE', text, 1);
          return max;
        }
        if (decCompare(d, decNeg(max)) < 0) {
          rt.warn('Warning', 'ER_WARN_DATA_OUT_OF_RANGE', text, 1);
          return decNeg(max);
        }
        return d;
      });
    }
    case 'DOUBLE':
      return mk(doubleType(nullable), (v, rt) => toDouble(hex && Buffer.isBuffer(v) ? toNumeric(v, rt, true) : v, rt));
    case 'FLOAT':
      return mk({ ...doubleType(nullable), mysqlType: MysqlType.FLOAT, length: 12 }, (v, rt) => Math.fround(toDouble(v, rt)!));
    case 'JSON':
      return mk(jsonType(nullable), (v) => toJsonText(v, x.type, 'cast_as_json', 1));
    case 'YEAR':
      return mk({ ...intType(4, true, true), mysqlType: MysqlType.YEAR }, (v, rt) => {
        if (v instanceof Temporal) return BigInt(v.year);
        const n = toBigInt(v, rt)!;
        if (n === 0n && typeof v === 'string' && /^\s*0\s*$/.test(v) === false) return 2000n;
        if (n >= 1 && n <= 69) return 2000n + n;
        if (n >= 70 && n <= 99) return 1900n + n;
        if (n === 0n || (n >= 1901n && n <= 2155n)) return n;
        rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'YEAR', toStringValue(v));
        return null;
      });
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', `CAST to ${target.name}`);
  }
}

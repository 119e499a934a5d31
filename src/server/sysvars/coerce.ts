/**
 * Turning a SET right-hand side (or an option string) into a variable's stored value, with
 * MySQL's type rules: wrong kinds of value give 1232, unacceptable values of the right kind
 * give 1231, and out-of-range integers are clamped (and rounded to the block size) with
 * warning 1292 rather than refused.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-variable.html
 * @req CORE-SYSVAR-003 CORE-SYSVAR-004 CORE-SYSVAR-005 CORE-SYSVAR-006
 */
import { diagnostic, sqlError, type Diagnostic } from '../../kernel/errors.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import type { SysVarDef, SysVarType } from './types.js';

/** How a value is shown in error messages ('NULL' for NULL, like MySQL). */
export function valueForMessage(v: Value): string {
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Decimal) return v.toString();
  if (v instanceof Temporal) return String(v);
  return String(v);
}

function isStringy(v: Value): v is string | Buffer {
  return typeof v === 'string' || Buffer.isBuffer(v);
}

function asText(v: string | Buffer): string {
  return typeof v === 'string' ? v : v.toString('utf8');
}

/**
 * Boolean variables take 0/1 or ON/OFF/TRUE/FALSE (any case). Stored as 0n/1n.
 * @req CORE-SYSVAR-003
 */
function coerceBoolean(def: SysVarDef, v: Value): Value {
  if (typeof v === 'bigint') {
    if (v === 0n || v === 1n) return v;
    throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, v.toString());
  }
  if (isStringy(v)) {
    const t = asText(v).trim().toUpperCase();
    if (t === 'ON' || t === 'TRUE') return 1n;
    if (t === 'OFF' || t === 'FALSE') return 0n;
    throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, asText(v));
  }
  if (v === null) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, 'NULL');
  throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
}

/**
 * Integers: clamp to [min, max] and round down to the block size; any change is reported as
 * warning 1292 naming the value as written.
 * @req CORE-SYSVAR-004
 */
function coerceInteger(def: SysVarDef, t: Extract<SysVarType, { kind: 'integer' }>, v: Value, warnings: Diagnostic[]): Value {
  if (typeof v !== 'bigint') throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
  let n = v;
  if (n > t.max) n = t.max;
  if (t.blockSize !== undefined && t.blockSize > 1n && n > 0n) n = (n / t.blockSize) * t.blockSize;
  if (n < t.min) n = t.min;
  if (n !== v) warnings.push(diagnostic('Warning', 'ER_TRUNCATED_WRONG_VALUE', def.name, v.toString()));
  return n;
}

function coerceDouble(def: SysVarDef, t: Extract<SysVarType, { kind: 'double' }>, v: Value, warnings: Diagnostic[]): Value {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (v instanceof Decimal) n = v.toNumber();
  else throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
  if (Number.isNaN(n)) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, 'NaN');
  const orig = n;
  if (n > t.max) n = t.max;
  if (n < t.min) n = t.min;
  if (n !== orig) warnings.push(diagnostic('Warning', 'ER_TRUNCATED_WRONG_VALUE', def.name, valueForMessage(v)));
  return n;
}

function coerceEnum(def: SysVarDef, t: Extract<SysVarType, { kind: 'enum' }>, v: Value): Value {
  if (typeof v === 'bigint') {
    if (v >= 0n && v < BigInt(t.values.length)) return t.values[Number(v)]!;
    throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, v.toString());
  }
  if (isStringy(v)) {
    const text = asText(v);
    const found = t.values.find((x) => x.toUpperCase() === text.trim().toUpperCase());
    if (found === undefined) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, text);
    return found;
  }
  if (v === null) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, 'NULL');
  throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
}

/** Parse a SET-typed value into a bit mask; combination names set their members too. */
export function setMaskOf(def: SysVarDef, t: Extract<SysVarType, { kind: 'set' }>, v: Value): bigint {
  if (typeof v === 'bigint') {
    const limit = 1n << BigInt(t.values.length);
    if (v < 0n || v >= limit) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, v.toString());
    for (let i = 0; i < t.values.length; i++) {
      if ((v >> BigInt(i)) & 1n && t.values[i]!.startsWith('NOT_USED')) {
        throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, v.toString());
      }
    }
    return expandCombinations(t, v);
  }
  if (!isStringy(v)) {
    if (v === null) throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, 'NULL');
    throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
  }
  const text = asText(v);
  let mask = 0n;
  for (const raw of text.split(',')) {
    const item = raw.trim().toUpperCase();
    if (item === '') continue;
    const idx = t.values.findIndex((x) => x.toUpperCase() === item);
    if (idx < 0 || t.values[idx]!.startsWith('NOT_USED')) {
      // MySQL names the first offending element in the message.
      throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, raw.trim());
    }
    mask |= 1n << BigInt(idx);
  }
  return expandCombinations(t, mask);
}

function expandCombinations(t: Extract<SysVarType, { kind: 'set' }>, mask: bigint): bigint {
  if (!t.combinations) return mask;
  let out = mask;
  for (const [combo, members] of Object.entries(t.combinations)) {
    const idx = t.values.indexOf(combo);
    if (idx < 0 || !((mask >> BigInt(idx)) & 1n)) continue;
    for (const m of members) {
      const mi = t.values.indexOf(m);
      if (mi >= 0) out |= 1n << BigInt(mi);
    }
  }
  return out;
}

/** The canonical text of a SET mask: member names in bit order, comma separated. */
export function setTextOf(t: Extract<SysVarType, { kind: 'set' }>, mask: bigint): string {
  const names: string[] = [];
  for (let i = 0; i < t.values.length; i++) if ((mask >> BigInt(i)) & 1n) names.push(t.values[i]!);
  return names.join(',');
}

function coerceString(def: SysVarDef, v: Value): Value {
  if (v === null) {
    if (def.nullable) return null;
    throw sqlError('ER_WRONG_VALUE_FOR_VAR', def.name, 'NULL');
  }
  if (isStringy(v)) return asText(v);
  throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
}

/**
 * Coerce `v` to `def`'s type; throws 1231/1232, pushes 1292 warnings for clamped values.
 * @req CORE-SYSVAR-003 CORE-SYSVAR-004 CORE-SYSVAR-005 CORE-SYSVAR-006
 */
export function coerceValue(def: SysVarDef, v: Value, warnings: Diagnostic[]): Value {
  const t = def.type;
  switch (t.kind) {
    case 'boolean':
      return coerceBoolean(def, v);
    case 'integer':
      return coerceInteger(def, t, v, warnings);
    case 'double':
      return coerceDouble(def, t, v, warnings);
    case 'enum':
      return coerceEnum(def, t, v);
    case 'set':
      return setTextOf(t, setMaskOf(def, t, v));
    case 'string':
    case 'filename':
      return coerceString(def, v);
  }
}

/**
 * Options and option files give every value as text; turn that text into the Value a SET
 * would have received (numbers for numeric variables, with K/M/G suffixes as mysqld allows).
 * @req CORE-SRV-003
 */
export function optionTextToValue(def: SysVarDef, text: string): Value {
  const t = def.type;
  if (t.kind === 'integer') {
    const m = /^\s*(-?\d+)\s*([kKmMgGtTpPeE]?)\s*$/.exec(text);
    if (!m) throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
    const mult: Record<string, bigint> = { '': 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n, P: 1n << 50n, E: 1n << 60n };
    return BigInt(m[1]!) * mult[m[2]!.toUpperCase()]!;
  }
  if (t.kind === 'double') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw sqlError('ER_WRONG_TYPE_FOR_VAR', def.name);
    return n;
  }
  if (t.kind === 'boolean' || t.kind === 'enum' || t.kind === 'set') {
    if (/^\s*\d+\s*$/.test(text) && t.kind !== 'set') return BigInt(text.trim());
    return text;
  }
  return text;
}

/** The SHOW VARIABLES text of a stored value. */
export function displayValue(def: SysVarDef, v: Value): string {
  if (v === null) return '';
  if (def.type.kind === 'boolean') return v === 0n || v === 0 ? 'OFF' : 'ON';
  if (def.type.kind === 'double' && typeof v === 'number') return v.toFixed(6);
  return valueForMessage(v);
}

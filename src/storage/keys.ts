/**
 * Index keys shared by engines: how a column value becomes a key part that compares and hashes
 * the way the column's collation says. Case- and accent-insensitive collations compare folded
 * text; PAD SPACE collations ignore trailing spaces; binary strings compare bytes.
 *
 * The folding here is an approximation of the UCA weights (NFD + strip combining marks +
 * case folding), good enough for uniqueness and ordering of ordinary text.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-collation-effect.html
 * @req CORE-DDL-040
 */
import { sortKey } from '../kernel/charset/index.js';
import { isTextual } from '../kernel/column-size.js';
import type { IndexDef, TableDef } from '../kernel/table-def.js';
import { Decimal, Temporal, type Value } from '../kernel/value.js';

/** How to fold one key part; derived once per index from the column definitions. */
export interface KeyPartSpec {
  /** Collation of a text column, undefined for non-text. */
  collation?: string;
  /** Prefix length in characters (text) or bytes (binary). */
  prefix?: number;
  desc?: boolean;
}

/** How each part of `idx` folds: the column's collation for text, the prefix, DESC. */
export function indexKeySpecs(def: TableDef, idx: IndexDef): KeyPartSpec[] {
  return idx.parts.map((p) => {
    const col = def.columns[p.column]!;
    const s: KeyPartSpec = {};
    if (isTextual(col)) s.collation = col.collation ?? 'utf8mb4_0900_ai_ci';
    if (p.length !== undefined) s.prefix = p.length;
    if (p.desc) s.desc = true;
    return s;
  });
}

/** Text of a key value as MySQL prints it in the 1062 message. */
export function keyValueText(v: Value): string {
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (v instanceof Decimal || v instanceof Temporal) return v.toString();
  return String(v);
}

/** Return a function mapping a string to its comparison form under `collation`. */
export function stringFolder(collation: string | undefined): (s: string) => string {
  const c = collation ?? 'binary';
  return (s: string): string => sortKey(s, c);
}

/** A normalised key part: comparable and hashable. */
export type KeyPart = null | bigint | number | string | Buffer | { t: number[] };

function temporalKey(t: Temporal): { t: number[] } {
  const sign = t.negative ? -1 : 1;
  return { t: [t.year, t.month, t.day, sign * t.hour, sign * t.minute, sign * t.second, sign * t.micro] };
}

/** Integers are held as JS numbers when exact (fast comparisons), as bigint otherwise. */
function intKey(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Convert a stored value into its key form under `spec`. */
export function keyPart(v: Value, spec: KeyPartSpec): KeyPart {
  if (v === null) return null;
  if (typeof v === 'bigint') return intKey(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    let s = v;
    if (spec.prefix !== undefined) s = [...s].slice(0, spec.prefix).join('');
    return stringFolder(spec.collation)(s);
  }
  if (Buffer.isBuffer(v)) {
    return spec.prefix !== undefined ? v.subarray(0, spec.prefix) : v;
  }
  if (v instanceof Decimal) {
    // integral decimals compare like integers; others as doubles (adequate for keys of one column type)
    const f = 10n ** BigInt(v.scale);
    if (v.scale === 0 || v.unscaled % f === 0n) return intKey(v.unscaled / f);
    return v.toNumber();
  }
  return temporalKey(v);
}

function rank(k: KeyPart): number {
  if (k === null) return 0;
  const t = typeof k;
  if (t === 'number' || t === 'bigint') return 1;
  if (t === 'string') return 2;
  if (Buffer.isBuffer(k)) return 3;
  return 4;
}

function compareNumeric(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // mixed: compare exactly when the number is an integer, else approximately
  if (typeof a === 'number' && !Number.isInteger(a)) return a < Number(b) ? -1 : a > Number(b) ? 1 : 0;
  if (typeof b === 'number' && !Number.isInteger(b)) return Number(a) < b ? -1 : Number(a) > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Total order on key parts: NULL first, then by value. */
export function compareKeyPart(a: KeyPart, b: KeyPart): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === null || b === null) return 0;
  if (ra === 1) return compareNumeric(a as number | bigint, b as number | bigint);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  const ta = (a as { t: number[] }).t;
  const tb = (b as { t: number[] }).t;
  for (let i = 0; i < ta.length; i++) {
    const d = ta[i]! - tb[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Compare key tuples over the shorter length (prefix comparison when one is shorter). */
export function compareKeys(a: readonly KeyPart[], b: readonly KeyPart[], specs: readonly KeyPartSpec[]): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const c = compareKeyPart(a[i]!, b[i]!);
    if (c !== 0) return specs[i]?.desc ? -c : c;
  }
  return 0;
}

/**
 * {@link compareKeys} of `head` followed by `tail` against `b`, without building the joined
 * tuple (a secondary index entry is its key followed by its clustering key). @req CORE-PERF-046
 */
export function compareJoinedKey(head: readonly KeyPart[], tail: readonly KeyPart[] | undefined, b: readonly KeyPart[], specs: readonly KeyPartSpec[]): number {
  const total = head.length + (tail?.length ?? 0);
  const n = total < b.length ? total : b.length;
  for (let i = 0; i < n; i++) {
    const c = compareKeyPart(i < head.length ? head[i]! : tail![i - head.length]!, b[i]!);
    if (c !== 0) return specs[i]?.desc ? -c : c;
  }
  return 0;
}

/** A string that is equal for equal keys: the hash-table key. */
export function hashKey(parts: readonly KeyPart[]): string {
  let s = '';
  for (const p of parts) {
    if (p === null) s += 'N|';
    else if (typeof p === 'bigint') s += 'i' + p.toString() + '|';
    else if (typeof p === 'number') s += (Number.isInteger(p) ? 'i' + (p === 0 ? '0' : String(p)) : 'd' + String(p)) + '|';
    else if (typeof p === 'string') s += 's' + p.length + ':' + p;
    else if (Buffer.isBuffer(p)) s += 'b' + p.toString('hex') + '|';
    else s += 't' + p.t.join(',') + '|';
  }
  return s;
}

export function hasNull(parts: readonly KeyPart[]): boolean {
  return parts.some((p) => p === null);
}

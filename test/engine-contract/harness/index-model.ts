/**
 * A reference for what an index read returns, written from the contract's description of
 * `IndexRead` rather than from any engine: keys compare part by part over the bound's length
 * (a prefix), NULL before every value, integers by value, text case-insensitively (the test
 * data is ASCII under utf8mb4_0900_ai_ci), and a DESC part in reverse: bounds and `reverse`
 * follow the index's own order, as MySQL's handler key ranges do. Used to check engines'
 * index reads and estimates.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-indexes.html
 * @req CORE-ENG-009 CORE-ENG-010
 */
import type { IndexDef } from '../../../src/kernel/table-def.js';
import type { Row, Value } from '../../../src/kernel/value.js';
import type { IndexRead } from '../../../src/storage/handler.js';

function part(v: Value): number | bigint | string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  return String(v);
}

function comparePart(a: Value, b: Value): number {
  const x = part(a);
  const y = part(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'string' || typeof y === 'string') {
    const s = String(x);
    const t = String(y);
    return s < t ? -1 : s > t ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compare a row's key with a (possibly shorter) bound, over the bound's parts only, in the
 *  index's order (`desc[i]` reverses part i). */
export function compareKey(key: readonly Value[], bound: readonly Value[], desc: readonly boolean[] = []): number {
  for (let i = 0; i < bound.length && i < key.length; i++) {
    const c = comparePart(key[i]!, bound[i]!);
    if (c !== 0) return desc[i] ? -c : c;
  }
  return 0;
}

function descOf(idx: IndexDef): boolean[] {
  return idx.parts.map((p) => p.desc === true);
}

export function keyOf(idx: IndexDef, row: Row): Value[] {
  return idx.parts.map((p) => row[p.column] ?? null);
}

/** Whether a row's key is selected by an index read. */
export function selects(read: IndexRead, key: readonly Value[], desc: readonly boolean[] = []): boolean {
  if (read.kind === 'eq') return compareKey(key, read.key) === 0;
  if (read.low) {
    const c = compareKey(key, read.low.key, desc);
    if (c < 0 || (c === 0 && !read.low.inclusive)) return false;
  }
  if (read.high) {
    const c = compareKey(key, read.high.key, desc);
    if (c > 0 || (c === 0 && !read.high.inclusive)) return false;
  }
  return true;
}

/** The rows an index read returns (order not considered). */
export function expectedRows(idx: IndexDef, read: IndexRead, rows: readonly Row[]): Row[] {
  const desc = descOf(idx);
  return rows.filter((r) => selects(read, keyOf(idx, r), desc));
}

/** Whether rows come in key order (ascending, or descending for a reverse range). */
export function inKeyOrder(idx: IndexDef, rows: readonly Row[], reverse: boolean): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = keyOf(idx, rows[i - 1]!);
    const b = keyOf(idx, rows[i]!);
    const c = compareKey(a, b, descOf(idx));
    if (reverse ? c < 0 : c > 0) return false;
  }
  return true;
}

/** A varied set of reads over a (k INT, name VARCHAR) key and its one-part prefix. */
export function sampleReads(parts: number): { label: string; read: IndexRead }[] {
  const out: { label: string; read: IndexRead }[] = [
    { label: 'eq k=2', read: { kind: 'eq', key: [2n] } },
    { label: 'eq k=NULL', read: { kind: 'eq', key: [null] } },
    { label: 'eq k=99 (none)', read: { kind: 'eq', key: [99n] } },
    { label: '2 <= k <= 3', read: { kind: 'range', low: { key: [2n], inclusive: true }, high: { key: [3n], inclusive: true } } },
    { label: '2 < k < 4', read: { kind: 'range', low: { key: [2n], inclusive: false }, high: { key: [4n], inclusive: false } } },
    { label: 'k >= 3', read: { kind: 'range', low: { key: [3n], inclusive: true } } },
    { label: 'k < 2 (NULL first)', read: { kind: 'range', high: { key: [2n], inclusive: false } } },
    { label: 'k > NULL (NOT NULL)', read: { kind: 'range', low: { key: [null], inclusive: false } } },
    { label: 'whole index', read: { kind: 'range' } },
    { label: '2 <= k <= 4 reverse', read: { kind: 'range', low: { key: [2n], inclusive: true }, high: { key: [4n], inclusive: true }, reverse: true } },
    { label: 'k <= 3 reverse', read: { kind: 'range', high: { key: [3n], inclusive: true }, reverse: true } },
  ];
  if (parts >= 2) {
    out.push(
      { label: 'eq (2, n7)', read: { kind: 'eq', key: [2n, 'n7'] } },
      { label: 'eq (2, N7) case-insensitive', read: { kind: 'eq', key: [2n, 'N7'] } },
      { label: 'eq (NULL, n10)', read: { kind: 'eq', key: [null, 'n10'] } },
      { label: '(2, n2) <= key < (3, n3)', read: { kind: 'range', low: { key: [2n, 'n2'], inclusive: true }, high: { key: [3n, 'n3'], inclusive: false } } },
      { label: '(1, n6) < key <= (2, n17) reverse', read: { kind: 'range', low: { key: [1n, 'n6'], inclusive: false }, high: { key: [2n, 'n17'], inclusive: true }, reverse: true } },
    );
  }
  return out;
}

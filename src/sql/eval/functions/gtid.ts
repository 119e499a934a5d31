/**
 * GTID_SUBSET(set1, set2) and GTID_SUBTRACT(set1, set2) on GTID set texts
 * ("uuid:1-5:7,uuid2:3"): parsed into per-source interval lists, compared or subtracted, and
 * printed in MySQL's normal form (sources in UUID order, merged intervals, ",\n" between
 * sources). Malformed text is error 1772.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gtid-functions.html
 * @req CORE-FN-016
 */
import { sqlError } from '../../../kernel/errors.js';
import { intType, stringType } from '../type-rules.js';
import type { CompiledExpr } from '../types.js';
import { s, strict } from './helpers.js';
import { defineFunction } from './registry.js';

/** Largest transaction number a GTID may carry (2^63 - 1); intervals end before 2^63. */
const GNO_MAX = (1n << 63n) - 1n;

/** A GTID set: for each source UUID, sorted disjoint inclusive intervals. */
export type GtidSet = Map<string, [bigint, bigint][]>;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function normUuid(u: string): string {
  const h = u.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function addInterval(list: [bigint, bigint][], a: bigint, b: bigint): [bigint, bigint][] {
  const all = [...list, [a, b] as [bigint, bigint]].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [x, y] of all) {
    const last = out[out.length - 1];
    if (last && x <= last[1] + 1n) last[1] = y > last[1] ? y : last[1];
    else out.push([x, y]);
  }
  return out;
}

/** Parse a GTID set text; 1772 when malformed. @req CORE-FN-016 */
export function parseGtidSet(text: string): GtidSet {
  const set: GtidSet = new Map();
  const t = text.trim();
  if (t === '') return set;
  for (const raw of t.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const pieces = part.split(':').map((x) => x.trim());
    const uuid = pieces.shift()!;
    if (!UUID.test(uuid) || pieces.length === 0) throw sqlError('ER_MALFORMED_GTID_SET_SPECIFICATION', text);
    const key = normUuid(uuid);
    let list = set.get(key) ?? [];
    for (const iv of pieces) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(iv);
      if (!m) throw sqlError('ER_MALFORMED_GTID_SET_SPECIFICATION', text);
      const a = BigInt(m[1]!), b = m[2] !== undefined ? BigInt(m[2]) : a;
      if (a < 1n || b < a || b > GNO_MAX) throw sqlError('ER_MALFORMED_GTID_SET_SPECIFICATION', text);
      list = addInterval(list, a, b);
    }
    set.set(key, list);
  }
  return set;
}

/** MySQL's text of a set. @req CORE-FN-016 */
export function gtidSetText(set: GtidSet): string {
  return [...set.keys()]
    .sort()
    .filter((k) => set.get(k)!.length > 0)
    .map((k) => `${k}:${set.get(k)!.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(':')}`)
    .join(',\n');
}

/** Every GTID of `a` is in `b`. */
export function gtidSubset(a: GtidSet, b: GtidSet): boolean {
  for (const [k, list] of a) {
    const other = b.get(k) ?? [];
    for (const [x, y] of list) if (!other.some(([p, q]) => p <= x && y <= q)) return false;
  }
  return true;
}

/** The GTIDs of `a` that are not in `b`. */
export function gtidSubtract(a: GtidSet, b: GtidSet): GtidSet {
  const out: GtidSet = new Map();
  for (const [k, list] of a) {
    let rest = list.map(([x, y]) => [x, y] as [bigint, bigint]);
    for (const [p, q] of b.get(k) ?? []) {
      const next: [bigint, bigint][] = [];
      for (const [x, y] of rest) {
        if (q < x || p > y) next.push([x, y]);
        else {
          if (x < p) next.push([x, p - 1n]);
          if (q < y) next.push([q + 1n, y]);
        }
      }
      rest = next;
    }
    if (rest.length) out.set(k, rest);
  }
  return out;
}

/** @req CORE-FN-016 */
defineFunction('GTID_SUBSET', 2, 2, (args): CompiledExpr =>
  strict(args, intType(1, true), ([a, b]) => (gtidSubset(parseGtidSet(s(a!)), parseGtidSet(s(b!))) ? 1n : 0n)),
);
/** @req CORE-FN-016 */
defineFunction('GTID_SUBTRACT', 2, 2, (args): CompiledExpr =>
  strict(args, stringType(Math.max(args[0]!.type.length, 1), true, 'utf8mb3_general_ci'), ([a, b]) => gtidSetText(gtidSubtract(parseGtidSet(s(a!)), parseGtidSet(s(b!))))),
);

/**
 * Window functions: ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD,
 * FIRST_VALUE, LAST_VALUE, NTH_VALUE and aggregates with OVER (...). They are computed over
 * the rows of a query block after grouping and HAVING, and stored in row slots that the
 * select list and ORDER BY read. Frames are the defaults (whole partition without ORDER BY,
 * RANGE UNBOUNDED PRECEDING .. CURRENT ROW with it); explicit frame clauses are not
 * interpreted.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/window-functions.html
 * @req CORE-EXEC-042
 */
import type { AggregateCall, WindowFuncCall } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { CompiledExpr, ExprType, Runtime } from '../../sql/eval/index.js';
import type { Row, Value } from '../../kernel/value.js';
import { createAggState, type AggSpec } from './aggregates.js';
import { compareValues, tupleKey } from './compare.js';

export interface WindowSpec {
  call: WindowFuncCall | AggregateCall;
  slot: number;
  type: ExprType;
  partition: CompiledExpr[];
  order: { expr: CompiledExpr; desc: boolean }[];
  args: CompiledExpr[];
  /** For aggregates used as window functions. */
  agg?: AggSpec;
}

export function windowType(name: string, args: CompiledExpr[]): ExprType {
  switch (name) {
    case 'ROW_NUMBER':
    case 'RANK':
    case 'DENSE_RANK':
    case 'NTILE':
      return { kind: 'int', unsigned: true, length: 21, decimals: 0, nullable: false };
    case 'PERCENT_RANK':
    case 'CUME_DIST':
      return { kind: 'double', length: 23, decimals: 31, nullable: false };
    case 'LAG':
    case 'LEAD':
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
    case 'NTH_VALUE':
      if (!args[0]) throw sqlError('ER_WRONG_ARGUMENTS', name);
      return { ...args[0].type, nullable: true };
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', `window function ${name}`);
  }
}

function intArg(c: CompiledExpr | undefined, rt: Runtime, dflt: number): number {
  if (!c) return dflt;
  const v = c.eval([], rt);
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : dflt;
}

/** Compute every window function for `rows`, writing results into their slots. @req CORE-EXEC-042 */
export function computeWindows(specs: WindowSpec[], rows: Row[], rt: Runtime, groupConcatMaxLen: number): void {
  for (const w of specs) {
    const n = rows.length;
    const pkeys = rows.map((r) => tupleKey(w.partition.map((p) => p.eval(r, rt)), w.partition.map((p) => p.type.collation)));
    const okeys = rows.map((r) => w.order.map((o) => o.expr.eval(r, rt)));
    const idx = rows.map((_, i) => i);
    const cmpOrder = (a: number, b: number): number => {
      for (let i = 0; i < w.order.length; i++) {
        const c = compareValues(okeys[a]![i]!, okeys[b]![i]!, w.order[i]!.expr.type.collation);
        if (c !== 0) return w.order[i]!.desc ? -c : c;
      }
      return 0;
    };
    idx.sort((a, b) => (pkeys[a]! < pkeys[b]! ? -1 : pkeys[a]! > pkeys[b]! ? 1 : cmpOrder(a, b) || a - b));
    let start = 0;
    while (start < n) {
      let end = start;
      while (end < n && pkeys[idx[end]!] === pkeys[idx[start]!]) end++;
      computePartition(w, idx.slice(start, end), rows, cmpOrder, rt, groupConcatMaxLen);
      start = end;
    }
  }
}

function computePartition(
  w: WindowSpec,
  part: number[],
  rows: Row[],
  cmpOrder: (a: number, b: number) => number,
  rt: Runtime,
  groupConcatMaxLen: number,
): void {
  const size = part.length;
  const name = w.call.name;
  // Peer groups: rows with equal ORDER BY keys.
  const peerEnd: number[] = new Array<number>(size);
  for (let i = size - 1; i >= 0; i--) {
    peerEnd[i] = i + 1 < size && cmpOrder(part[i]!, part[i + 1]!) === 0 ? peerEnd[i + 1]! : i + 1;
  }
  const set = (i: number, v: Value) => {
    rows[part[i]!]![w.slot] = v;
  };
  if (w.agg) {
    const hasOrder = w.order.length > 0;
    if (!hasOrder) {
      const st = createAggState(w.agg, groupConcatMaxLen);
      for (const i of part) st.add(rows[i]!, rt);
      const v = st.result(rt);
      for (let i = 0; i < size; i++) set(i, v);
      return;
    }
    const st = createAggState(w.agg, groupConcatMaxLen);
    let i = 0;
    while (i < size) {
      const e = peerEnd[i]!;
      for (let j = i; j < e; j++) st.add(rows[part[j]!]!, rt);
      const v = st.result(rt);
      for (let j = i; j < e; j++) set(j, v);
      i = e;
    }
    return;
  }
  switch (name) {
    case 'ROW_NUMBER':
      for (let i = 0; i < size; i++) set(i, BigInt(i + 1));
      return;
    case 'RANK':
    case 'DENSE_RANK':
    case 'PERCENT_RANK': {
      let rank = 1;
      let dense = 1;
      for (let i = 0; i < size; i++) {
        if (i > 0 && cmpOrder(part[i - 1]!, part[i]!) !== 0) {
          rank = i + 1;
          dense++;
        }
        if (name === 'RANK') set(i, BigInt(rank));
        else if (name === 'DENSE_RANK') set(i, BigInt(dense));
        else set(i, size > 1 ? (rank - 1) / (size - 1) : 0);
      }
      return;
    }
    case 'CUME_DIST':
      for (let i = 0; i < size; i++) set(i, peerEnd[i]! / size);
      return;
    case 'NTILE': {
      const buckets = Math.max(1, intArg(w.args[0], rt, 1));
      const base = Math.floor(size / buckets);
      const extra = size % buckets;
      let i = 0;
      for (let b = 1; b <= buckets && i < size; b++) {
        const cnt = base + (b <= extra ? 1 : 0);
        for (let k = 0; k < cnt && i < size; k++) set(i++, BigInt(b));
      }
      return;
    }
    case 'LAG':
    case 'LEAD': {
      const off = intArg(w.args[1], rt, 1);
      for (let i = 0; i < size; i++) {
        const j = name === 'LAG' ? i - off : i + off;
        if (j >= 0 && j < size) set(i, w.args[0]!.eval(rows[part[j]!]!, rt));
        else set(i, w.args[2] ? w.args[2].eval(rows[part[i]!]!, rt) : null);
      }
      return;
    }
    case 'FIRST_VALUE':
      for (let i = 0; i < size; i++) set(i, w.args[0]!.eval(rows[part[0]!]!, rt));
      return;
    case 'LAST_VALUE':
      for (let i = 0; i < size; i++) {
        const last = w.order.length ? peerEnd[i]! - 1 : size - 1;
        set(i, w.args[0]!.eval(rows[part[last]!]!, rt));
      }
      return;
    case 'NTH_VALUE': {
      const nth = intArg(w.args[1], rt, 1);
      for (let i = 0; i < size; i++) {
        const frameEnd = w.order.length ? peerEnd[i]! : size;
        set(i, nth >= 1 && nth <= frameEnd ? w.args[0]!.eval(rows[part[nth - 1]!]!, rt) : null);
      }
      return;
    }
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', `window function ${name}`);
  }
}

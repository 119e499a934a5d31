/**
 * Access-path choice: for each table of a join, an index read from the equality, range and IN
 * conditions on an index prefix whose other side is known when the table is read (constants,
 * parameters, tables read earlier); a full scan otherwise.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/where-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/range-optimization.html
 * @req CORE-EXEC-032 CORE-EXEC-043
 */
import type { IndexDef } from '../../../kernel/table-def.js';
import type { Expr } from '../../../sql/ast.js';
import { walkExpr } from '../../../sql/walk.js';
import { compileExpr, type CompiledExpr, type ExprType } from '../../../sql/eval/index.js';
import type { Scope, Source } from '../scope.js';
import type { AccessPath, Leaf, TreeNode } from './types.js';
import { noteConditionSource } from './condition-source.js';

/** A condition `column op expression` on one column of the leaf's table. */
interface Cond {
  col: number;
  op: string;
  other: Expr;
}

const FLIP: Record<string, string> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Functions whose value changes between calls or has effects: never a key. */
const VOLATILE = new Set(['RAND', 'UUID', 'SLEEP', 'NOW', 'SYSDATE', 'UUID_SHORT', 'LAST_INSERT_ID', 'GET_LOCK', 'RELEASE_LOCK', 'NEXTVAL']);

/** Pick an index read for each leaf of the tree, in execution order. @req CORE-EXEC-032 */
export function planAccess(node: TreeNode, scope: Scope, bound: Set<number>): void {
  if (node.kind === 'join') {
    planAccess(node.left, scope, bound);
    planAccess(node.right, scope, bound);
    return;
  }
  const src = node.src;
  const available = new Set(bound);
  bound.add(src.index);
  const opened = src.opened;
  if (!opened || opened.kind !== 'base' || !opened.engine.capabilities.indexes) return;
  const conds = comparisons(node, scope, available);
  const inCands = inLists(node, scope, available);
  if (conds.length === 0 && inCands.length === 0) return;
  if (conds.length === 0) {
    planInList(node, scope, inCands);
    return;
  }
  const best = bestIndex(src, conds);
  if (best) node.access = accessFor(src, scope, conds, best);
}

/** Comparisons and BETWEEN of a column of this leaf with an expression of bound tables. */
function comparisons(leaf: Leaf, scope: Scope, available: Set<number>): Cond[] {
  const src = leaf.src;
  const conds: Cond[] = [];
  const push = (l: Expr, r: Expr, op: string) => {
    if (l.type !== 'column' || l.name === '*') return;
    const hit = scope.lookup(l);
    if (!hit || hit === 'ambiguous' || !('source' in hit) || hit.source !== src) return;
    if (!dependsOnlyOn(r, scope, available)) return;
    if (!keyComparable(hit.type, r, scope)) return;
    conds.push({ col: hit.slot - src.base, op, other: r });
  };
  for (const cand of leaf.candidates) {
    const e = cand.expr;
    if (e.type === 'binary' && !e.quantifier && FLIP[e.op] !== undefined) {
      push(e.left, e.right, e.op);
      push(e.right, e.left, FLIP[e.op]!);
    } else if (e.type === 'between' && !e.not) {
      push(e.expr, e.low, '>=');
      push(e.expr, e.high, '<=');
    }
  }
  return conds;
}

/** Whether an expression is a number as the planner can tell without compiling it: a numeric
 *  literal (signed or not) or a numeric column. */
function numericOperand(e: Expr, scope: Scope): boolean {
  if (e.type === 'literal') return e.kind === 'int' || e.kind === 'decimal' || e.kind === 'float';
  // A literal the statement cache lifted into a marker is still that literal. @req CORE-PERF-012
  if (e.type === 'param' && e.lifted) return numericOperand(e.lifted, scope);
  if (e.type === 'unary' && (e.op === '-' || e.op === '+')) return numericOperand(e.operand, scope);
  if (e.type === 'column') {
    const r = scope.lookup(e);
    return r !== null && r !== 'ambiguous' && (r.type.kind === 'int' || r.type.kind === 'decimal' || r.type.kind === 'double');
  }
  return false;
}

/**
 * Whether comparing the column with `other` compares in the column's own type, so that the
 * column's index order answers it. A string column compared with a number compares as numbers
 * ('000001' = 1 and '1x' = 1 are true), which no index on the string can find: such a
 * comparison is left to the row filter, as MySQL does. @req CORE-EXEC-072
 */
function keyComparable(column: ExprType, other: Expr, scope: Scope): boolean {
  if (column.kind !== 'string') return true;
  return !numericOperand(other, scope);
}

/** `col IN (list)` where every list element is known before the table is read. */
function inLists(leaf: Leaf, scope: Scope, available: Set<number>): { col: number; list: Expr[] }[] {
  const src = leaf.src;
  const out: { col: number; list: Expr[] }[] = [];
  for (const cand of leaf.candidates) {
    const e = cand.expr;
    if (e.type !== 'in' || e.not || !e.list || e.expr.type !== 'column') continue;
    const hit = scope.lookup(e.expr);
    if (!hit || hit === 'ambiguous' || !('source' in hit) || hit.source !== src) continue;
    if (!e.list.every((x) => dependsOnlyOn(x, scope, available) && keyComparable(hit.type, x, scope))) continue;
    out.push({ col: hit.slot - src.base, list: e.list });
  }
  return out;
}

/** `col IN (constants)` over an index on that column: one equality read per distinct value. */
function planInList(leaf: Leaf, scope: Scope, inCands: { col: number; list: Expr[] }[]): void {
  const src = leaf.src;
  for (const ic of inCands) {
    const ix = src.tableDef!.indexes.find(
      (x) => (x.visible || x.kind === 'PRIMARY') && x.parts[0]?.column === ic.col && x.parts[0]?.length === undefined && (x.parts.length === 1 || x.algorithm === 'BTREE'),
    );
    if (!ix) continue;
    const saved = scope.clause;
    leaf.access = { index: ix, eq: [], keyTypes: [src.columns[ic.col]!.type], inList: ic.list.map((x) => noted(compileExpr(x, scope), x)) };
    scope.clause = saved;
    return;
  }
}

interface Choice {
  ix: IndexDef;
  eqCount: number;
  range: boolean;
  score: number;
}

/** The index with the best score: unique full-key equality, then longer equality prefixes. */
function bestIndex(src: Source, conds: Cond[]): Choice | null {
  let best: Choice | null = null;
  for (const ix of src.tableDef!.indexes) {
    if (!ix.visible && ix.kind !== 'PRIMARY') continue;
    if (ix.algorithm === 'FULLTEXT' || ix.algorithm === 'SPATIAL' || ix.algorithm === 'RTREE') continue;
    if (ix.parts.some((p) => p.length !== undefined)) continue;
    let eqCount = 0;
    for (const p of ix.parts) {
      if (conds.some((c) => c.col === p.column && c.op === '=')) eqCount++;
      else break;
    }
    const hash = ix.algorithm === 'HASH';
    const full = eqCount === ix.parts.length;
    let range = false;
    if (!full) {
      const next = ix.parts[eqCount];
      if (next && conds.some((c) => c.col === next.column && c.op !== '=')) range = true;
      // A HASH index serves a range only on its last, integer part (as a run of equality reads).
      if (hash && (eqCount !== ix.parts.length - 1 || src.columns[next!.column]!.type.kind !== 'int' || !hasBothBounds(conds, next!.column))) range = false;
    }
    if (hash && !full && !range) continue;
    if (eqCount === 0 && !range) continue;
    const unique = (ix.kind === 'PRIMARY' || ix.kind === 'UNIQUE') && full;
    const score = (unique ? 1000 : 0) + eqCount * 10 + (range ? 5 : 0) + (ix.kind === 'PRIMARY' ? 1 : 0);
    if (!best || score > best.score) best = { ix, eqCount, range, score };
  }
  return best;
}

function accessFor(src: Source, scope: Scope, conds: Cond[], best: Choice): AccessPath {
  const ix = best.ix;
  const eq: CompiledExpr[] = [];
  const keyTypes: ExprType[] = [];
  const saved = scope.clause;
  for (let i = 0; i < best.eqCount; i++) {
    const col = ix.parts[i]!.column;
    const c = conds.find((x) => x.col === col && x.op === '=')!;
    eq.push(noted(compileExpr(c.other, scope), c.other));
    keyTypes.push(src.columns[col]!.type);
  }
  const access: AccessPath = { index: ix, eq, keyTypes };
  if (best.range) {
    const part = ix.parts[best.eqCount]!;
    const col = part.column;
    keyTypes.push(src.columns[col]!.type);
    // Bounds follow the index's order: on a DESC part the larger values are read first, so a
    // lower limit on the value is the index's upper bound and the other way round.
    const fromBelow = part.desc ? 'high' : 'low';
    const fromAbove = part.desc ? 'low' : 'high';
    for (const c of conds) {
      if (c.col !== col || c.op === '=') continue;
      const ce = noted(compileExpr(c.other, scope), c.other);
      if ((c.op === '>' || c.op === '>=') && !access[fromBelow]) access[fromBelow] = { expr: ce, inclusive: c.op === '>=' };
      if ((c.op === '<' || c.op === '<=') && !access[fromAbove]) access[fromAbove] = { expr: ce, inclusive: c.op === '<=' };
    }
  }
  scope.clause = saved;
  return access;
}

/** A key expression, with its syntax kept for EXPLAIN. @req CORE-EXPLAIN-006 */
function noted(ce: CompiledExpr, e: Expr): CompiledExpr {
  noteConditionSource(ce, e);
  return ce;
}

function hasBothBounds(conds: Cond[], col: number): boolean {
  return conds.some((c) => c.col === col && (c.op === '>' || c.op === '>=')) && conds.some((c) => c.col === col && (c.op === '<' || c.op === '<='));
}

/** Whether an expression reads only constants, parameters and `available` tables. */
export function dependsOnlyOn(e: Expr, scope: Scope, available: Set<number>): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (!ok) return false;
    switch (x.type) {
      case 'column': {
        const r = scope.lookup(x);
        // null: maybe an outer reference; such conditions are left to filters
        if (r === null || r === 'ambiguous' || !('source' in r) || !r.source || !available.has(r.source.index)) ok = false;
        return false;
      }
      case 'subquery':
      case 'exists':
      case 'aggregate':
      case 'window':
      case 'match':
      case 'default':
      case 'values_ref':
        ok = false;
        return false;
      case 'in':
        if (x.subquery) ok = false;
        return ok;
      case 'func':
        if (VOLATILE.has(x.name)) ok = false;
        return ok;
      case 'binary':
        if (x.op === ':=') ok = false;
        return ok;
      default:
        return true;
    }
  });
  return ok;
}

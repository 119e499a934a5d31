/**
 * EXPLAIN FORMAT=TREE: the plan as MySQL 8.0's iterator tree, one line per operator, children
 * indented by four spaces under `-> `: the tables' accesses (`Table scan on t1`, `Index lookup
 * on t1 using k (a=1)`, `Single-row index lookup ...`, `Index range scan ... over (...)`,
 * `Index scan ...`), `Filter: (...)` where conditions are checked, `Nested loop inner join` /
 * `Nested loop left join`, aggregation, `Sort: ...`, deduplication and `Limit: n row(s)`;
 * derived tables under `Materialize`, set operations, and the block's subqueries as
 * `Select #n (subquery in condition|projection)`. Each line carries our estimate
 * `(cost=... rows=...)`; under EXPLAIN ANALYZE also the counters the executor kept
 * `(actual time=first..last rows=r loops=n)` (run/probe.ts), or `(never executed)`.
 *
 * The tree is built from the plan the executor runs (plan/types.ts), so every line is an
 * operator that runs and every counter belongs to one.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html
 * @req CORE-EXPLAIN-005 CORE-EXPLAIN-006 CORE-EXPLAIN-008
 */
import type { Expr, OrderItem } from '../../../sql/ast.js';
import type { CompiledExpr, Runtime } from '../../../sql/eval/index.js';
import type { Value } from '../../../kernel/value.js';
import { Decimal, Temporal } from '../../../kernel/value.js';
import { conditionSource } from '../plan/condition-source.js';
import type { BlockProbe, CompiledQuery, JoinNode, Leaf, QueryShape, TreeNode } from '../plan/types.js';
import type { Probe } from '../run/probe.js';
import { limitsOf } from '../run/output.js';
import { conjunction, estimateBlock, estimateQueryRows, type BlockEstimate, type TableEstimate } from './model.js';
import { treeNumber } from './numbers.js';
import { conditionText, scopeResolver, type ColumnResolver } from './text.js';
import { ROW_EVALUATE_COST, ROW_READ_COST } from './limits.js';

/** What an operator actually did (EXPLAIN ANALYZE). */
export interface Actual {
  rows: number;
  loops: number;
  firstMs: number;
  lastMs: number;
}

/** One operator of the tree. */
export interface TreeLine {
  label: string;
  cost?: number;
  rows?: number;
  actual?: () => Actual | null;
  /** Not an operator (a subquery's heading): no estimate, no counters. */
  header?: boolean;
  children: TreeLine[];
}

/** Select numbers in the order EXPLAIN shows blocks. */
export class SelectNumbers {
  private next = 1;
  private readonly ids = new Map<CompiledQuery, number>();
  of(q: CompiledQuery): number {
    let id = this.ids.get(q);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(q, id);
    }
    return id;
  }
}

function fromProbe(p: Probe | undefined, rows?: (p: Probe) => number): (() => Actual | null) | undefined {
  if (!p) return undefined;
  return () => ({ rows: rows ? rows(p) : p.rows, loops: p.loops, firstMs: p.firstMs, lastMs: p.lastMs });
}

/** Counters under a different row count, with the loops and times of `p`. */
function withRows(p: Probe | undefined, rows: (p: Probe) => number): (() => Actual | null) | undefined {
  return fromProbe(p, rows);
}

/** A literal value as EXPLAIN prints it in a key or range. */
function valueText(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (v instanceof Decimal) return v.toString();
  if (v instanceof Temporal) return `'${v.toString()}'`;
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** A key expression: its value when constant, else its text. */
function keyText(ce: CompiledExpr, rt: Runtime, resolve: ColumnResolver): string {
  const e = conditionSource(ce);
  if (ce.constant || !e) {
    try {
      return valueText(ce.eval([], rt));
    } catch {
      /* a value that needs the row: fall back to its text */
    }
  }
  return e ? conditionText(e, 'tree', resolve) : '?';
}

function quoteName(n: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(n) ? n : '`' + n.replace(/`/g, '``') + '`';
}

/** The access line of a leaf. @req CORE-EXPLAIN-006 */
function accessLine(t: TableEstimate, rt: Runtime, resolve: ColumnResolver, numbers: SelectNumbers): TreeLine {
  const leaf = t.leaf;
  const src = leaf.src;
  const name = quoteName(src.alias);
  const cost = t.examined * (ROW_READ_COST + ROW_EVALUATE_COST);
  const actualRows = (p: Probe): number => (leaf.filters.length ? p.examined : p.rows);
  const actual = withRows(leaf.probe, actualRows);
  const line = (label: string, children: TreeLine[] = []): TreeLine => ({ label, cost, rows: t.examined, actual, children });
  const d = src.derived;
  if (d) {
    if (!d.query) return line(`Table scan on ${name}`);
    const body = queryLines(d.query, rt, numbers);
    return line(`Table scan on ${name}`, [{ label: 'Materialize', actual: body.actual, children: [body] }]);
  }
  const a = leaf.access;
  const def = src.tableDef;
  const colName = (i: number): string => quoteName(def ? def.columns[i]!.name : String(i));
  const reverse = leaf.order?.reverse ? ' (reverse)' : '';
  if (!a) {
    if (t.row.type === 'index' && leaf.order) return line(`Index scan on ${name} using ${quoteName(leaf.order.index.name)}${reverse}`);
    return line(`Table scan on ${name}`);
  }
  const ix = quoteName(a.index.name);
  const parts = a.index.parts;
  if (a.inList) {
    const c = colName(parts[0]!.column);
    return line(`Index range scan on ${name} using ${ix} over ${a.inList.map((x) => `(${c} = ${keyText(x, rt, resolve)})`).join(' OR ')}`);
  }
  const eqText = a.eq.map((x, i) => `${colName(parts[i]!.column)}=${keyText(x, rt, resolve)}`);
  if (a.low || a.high) {
    const c = colName(parts[a.eq.length]!.column);
    const pre = a.eq.map((x, i) => `${colName(parts[i]!.column)} = ${keyText(x, rt, resolve)} AND `).join('');
    const lo = a.low ? `${keyText(a.low.expr, rt, resolve)} ${a.low.inclusive ? '<=' : '<'} ` : '';
    const hi = a.high ? ` ${a.high.inclusive ? '<=' : '<'} ${keyText(a.high.expr, rt, resolve)}` : '';
    return line(`Index range scan on ${name} using ${ix} over (${pre}${lo}${c}${hi})${reverse}`);
  }
  if (t.row.type === 'const' || t.row.type === 'eq_ref') return line(`Single-row index lookup on ${name} using ${ix} (${eqText.join(', ')})`);
  return line(`Index lookup on ${name} using ${ix} (${eqText.join(', ')})${reverse}`);
}

/** A leaf: its access, under a Filter when conditions are checked on its rows. */
function leafLines(t: TableEstimate, rt: Runtime, resolve: ColumnResolver, numbers: SelectNumbers): TreeLine {
  const access = accessLine(t, rt, resolve, numbers);
  if (!t.attached) return access;
  return { label: `Filter: ${conditionText(t.attached, 'tree', resolve)}`, cost: access.cost, rows: t.examined * (t.filtered / 100), actual: fromProbe(t.leaf.probe), children: [access] };
}

/** The join tree of a block. @req CORE-EXPLAIN-006 */
function joinLines(n: TreeNode, byLeaf: Map<Leaf, TableEstimate>, rt: Runtime, resolve: ColumnResolver, numbers: SelectNumbers): TreeLine {
  if (n.kind === 'leaf') return leafLines(byLeaf.get(n)!, rt, resolve, numbers);
  const j: JoinNode = n;
  const left = joinLines(j.left, byLeaf, rt, resolve, numbers);
  let right = joinLines(j.right, byLeaf, rt, resolve, numbers);
  const on = j.on ? conditionSource(j.on) : undefined;
  if (on) {
    const onProbe = j.probe;
    right = {
      label: `Filter: ${conditionText(on, 'tree', resolve)}`,
      rows: right.rows,
      cost: right.cost,
      actual: onProbe ? () => ({ rows: onProbe.passed, loops: right.actual?.()?.loops ?? 0, firstMs: 0, lastMs: 0 }) : undefined,
      children: [right],
    };
  }
  const leaves = [...byLeaf.values()];
  const lastOfRight = lastLeafEstimate(j.right, byLeaf) ?? leaves[leaves.length - 1];
  return {
    label: j.outer ? 'Nested loop left join' : 'Nested loop inner join',
    cost: lastOfRight?.prefixCost,
    rows: lastOfRight?.produced,
    actual: fromProbe(j.probe),
    children: [left, right],
  };
}

function lastLeafEstimate(n: TreeNode, byLeaf: Map<Leaf, TableEstimate>): TableEstimate | undefined {
  return n.kind === 'leaf' ? byLeaf.get(n) : lastLeafEstimate(n.right, byLeaf);
}

function orderText(items: OrderItem[] | undefined, resolve: ColumnResolver): string {
  return (items ?? []).map((o) => conditionText(o.expr, 'tree', resolve) + (o.desc ? ' DESC' : '')).join(', ');
}

function exprList(list: Expr[] | undefined, resolve: ColumnResolver): string {
  return (list ?? []).map((e) => conditionText(e, 'tree', resolve)).join(', ');
}

/** Aggregate calls of a select list and HAVING, for `Aggregate: ...`. */
function aggregateText(items: { expr: Expr }[], having: Expr | undefined, resolve: ColumnResolver): string {
  const out: string[] = [];
  const walk = (e: Expr | undefined): void => {
    if (!e || typeof e !== 'object') return;
    if (e.type === 'aggregate') {
      const t = conditionText(e, 'tree', resolve);
      if (!out.includes(t)) out.push(t);
      return;
    }
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) for (const x of v) walk(x as Expr);
      else if (v && typeof v === 'object' && 'type' in v) walk(v as Expr);
    }
  };
  for (const it of items) walk(it.expr);
  walk(having);
  return out.join(', ');
}

/** A query block: join, conditions, grouping, HAVING, DISTINCT, ORDER BY, LIMIT, subqueries. */
function blockLines(shape: Extract<QueryShape, { kind: 'block' }>, q: CompiledQuery, rt: Runtime, numbers: SelectNumbers): TreeLine {
  numbers.of(q);
  const p = shape.plan;
  const core = shape.core;
  const est: BlockEstimate = estimateBlock(shape, rt);
  const resolve = scopeResolver(p.scope);
  const bp: BlockProbe | undefined = p.probe;
  const byLeaf = new Map(est.tables.map((t) => [t.leaf, t]));
  let node: TreeLine;
  if (!p.tree) {
    node = core.where !== undefined && p.topFilters.length === 0
      ? { label: 'Zero rows (Impossible WHERE)', cost: 0, rows: 0, children: [] }
      : { label: 'Rows fetched before execution', cost: 0, rows: 1, children: [], actual: fromProbe(bp?.joined) };
  } else node = joinLines(p.tree, byLeaf, rt, resolve, numbers);
  const top = conjunction(p.topFilters);
  if (top) node = { label: `Filter: ${conditionText(top, 'tree', resolve)}`, cost: est.joinCost, rows: est.joined, actual: fromProbe(bp?.joined), children: [node] };
  if (p.group) {
    if (p.group.exprs.length) {
      const agg: TreeLine = { label: `Aggregate using temporary table`, actual: fromProbe(bp?.grouped), children: [node] };
      node = { label: 'Table scan on <temporary>', actual: fromProbe(bp?.grouped), children: [agg] };
      if (p.group.rollup) node.label = `Group aggregate with rollup: ${aggregateText(core.items, core.having, resolve)}`;
    } else node = { label: `Aggregate: ${aggregateText(core.items, core.having, resolve) || 'count(0)'}`, cost: est.joinCost, rows: 1, actual: fromProbe(bp?.grouped), children: [node] };
  }
  if (core.having) {
    const h = bp?.having;
    const o = bp?.out;
    node = { label: `Filter: ${conditionText(core.having, 'tree', resolve)}`, actual: h && o ? () => ({ rows: h.passed, loops: o.loops, firstMs: o.firstMs, lastMs: o.lastMs }) : undefined, children: [node] };
  }
  if (p.windows.length) node = { label: 'Window aggregate with buffering', children: [node] };
  const outLoops = bp?.out;
  if (p.distinct) {
    const dedup: TreeLine = { label: 'Temporary table with deduplication', actual: outLoops ? () => ({ rows: bp!.found, loops: outLoops.loops, firstMs: outLoops.firstMs, lastMs: outLoops.lastMs }) : undefined, children: [node] };
    node = { label: 'Table scan on <temporary>', actual: dedup.actual, children: [dedup] };
  }
  const { offset, count } = limitsOf(p.limit, rt);
  const sorted = p.order !== null && !(p.orderedRead?.total);
  if (sorted) {
    const chunk = count >= 0 ? `, limit input to ${offset + count} row(s) per chunk` : '';
    const keep = count >= 0 ? offset + count : -1;
    node = {
      label: `Sort: ${orderText(core.orderBy, resolve)}${chunk}`,
      cost: est.cost,
      rows: est.out,
      actual: outLoops ? () => ({ rows: keep >= 0 ? Math.min(bp!.found, keep * Math.max(1, outLoops.loops)) : bp!.found, loops: outLoops.loops, firstMs: outLoops.firstMs, lastMs: outLoops.lastMs }) : undefined,
      children: [node],
    };
  }
  if (p.limit) node = { label: offset > 0 ? `Limit/Offset: ${count}/${offset} row(s)` : `Limit: ${count} row(s)`, actual: fromProbe(bp?.out), children: [node] };
  for (const s of shape.subqueries) {
    const id = numbers.of(s.query);
    // A subquery that reads nothing of the outer row runs once per execution (its rows are kept).
    const dep = s.query.correlated ? '; dependent' : '; run only once';
    node.children.push({ label: `Select #${id} (subquery in ${s.where}${dep})`, header: true, children: [queryLines(s.query, rt, numbers)] });
  }
  return node;
}

/** Lines of any compiled query. */
export function queryLines(q: CompiledQuery, rt: Runtime, numbers: SelectNumbers): TreeLine {
  const s = q.shape;
  if (!s) return { label: '<not executable by iterator executor>', children: [] };
  if (s.kind === 'block') return blockLines(s, q, rt, numbers);
  if (s.kind === 'values') return { label: `Rows fetched before execution`, cost: 0, rows: s.rows, children: [] };
  const sp = s.plan;
  const parts = [queryLines(sp.left, rt, numbers), queryLines(sp.right, rt, numbers)];
  const rows = estimateQueryRows(q, rt);
  let node: TreeLine;
  if (sp.op === 'UNION' && sp.all) node = { label: 'Append', rows, children: parts.map((c) => ({ label: 'Stream results', actual: c.actual, children: [c] })) };
  else {
    const what = sp.op.toLowerCase();
    const mat: TreeLine = { label: `${sp.op === 'UNION' ? 'Union' : sp.op === 'EXCEPT' ? 'Except' : 'Intersect'} materialize with deduplication`, children: parts };
    node = { label: `Table scan on <${what} temporary>`, rows, children: [mat] };
  }
  const { offset, count } = limitsOf(sp.limit, rt);
  const actual = fromProbe(sp.probe);
  // The counters are those of the whole operation: every line of it shows them.
  const mark = (l: TreeLine): void => {
    l.actual ??= actual;
    for (const c of l.children) if (!parts.includes(c)) mark(c);
  };
  if (sp.order) node = { label: 'Sort: ' + sp.order.exprs.map((_, i) => `${i + 1}${sp.order!.desc[i] ? ' DESC' : ''}`).join(', '), children: [node] };
  if (sp.limit) node = { label: offset > 0 ? `Limit/Offset: ${count}/${offset} row(s)` : `Limit: ${count} row(s)`, children: [node] };
  mark(node);
  return node;
}

/** `(actual time=f..l rows=r loops=n)`; times and rows are per loop, as MySQL prints them. */
function actualText(a: Actual | null): string {
  if (!a || a.loops === 0) return ' (never executed)';
  const n = a.loops;
  return ` (actual time=${treeNumber(a.firstMs / n)}..${treeNumber(a.lastMs / n)} rows=${treeNumber(a.rows / n)} loops=${n})`;
}

/** The text of a tree: each line `-> label  (cost=c rows=r)[ (actual ...)]`, indented 4 per level. */
export function renderTree(root: TreeLine, analyze: boolean): string {
  const out: string[] = [];
  const walk = (l: TreeLine, depth: number): void => {
    let s = ' '.repeat(depth * 4) + '-> ' + l.label;
    if (l.rows !== undefined) s += `  (cost=${treeNumber(l.cost ?? 0)} rows=${treeNumber(l.rows)})`;
    if (analyze && !l.header) s += actualText(l.actual ? l.actual() : null);
    out.push(s);
    for (const c of l.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out.join('\n') + '\n';
}

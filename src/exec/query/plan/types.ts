/**
 * The plan of a query as the compiler leaves it and the executor runs it: the join tree of a
 * query block (leaves read one table each, through an access path), the parts of a block
 * (filters, select list, grouping, windows, ordering, limit), and a compiled query: a function
 * that starts one execution as a generator of rows and pauses.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-CONC-001
 */
import type { IndexDef } from '../../../kernel/table-def.js';
import type { Expr, SelectCore } from '../../../sql/ast.js';
import type { CompiledExpr, ExprType, Runtime } from '../../../sql/eval/index.js';
import type { CursorOptions, EngineContext, IndexRead, RowRef } from '../../../storage/handler.js';
import type { Row, Value } from '../../../kernel/value.js';
import type { ColumnOrigin } from '../column-types.js';
import type { AggSpec } from '../aggregates.js';
import type { WindowSpec } from '../windows.js';
import type { OuterRef, Scope, Source } from '../scope.js';
import type { Meter, RowGen } from '../run/pause.js';
import type { Probe } from '../run/probe.js';
import type { SetOpPlan } from '../run/set-op.js';

/** How a leaf reads its table: an index and the key expressions the conditions give. */
export interface AccessPath {
  index: IndexDef;
  /** Key expressions for an equality prefix. */
  eq: CompiledExpr[];
  /** Types of the key columns. */
  keyTypes: ExprType[];
  /** Range on the column after the equality prefix. */
  low?: { expr: CompiledExpr; inclusive: boolean };
  high?: { expr: CompiledExpr; inclusive: boolean };
  /** `col IN (...)`: equality reads on the first index part, one per distinct value. */
  inList?: CompiledExpr[];
}

export interface Leaf {
  kind: 'leaf';
  src: Source;
  filters: CompiledExpr[];
  access: AccessPath | null;
  /** Conjuncts that may serve as access conditions (AST + the source order they depend on). */
  candidates: { expr: Expr; deps: Set<number> }[];
  /** Cursor options when the pipeline may wait, and when it may not (a subquery). */
  reads: { wait: CursorOptions; sync: CursorOptions };
  /** Read once per execution of its block (the outermost table of a block that runs once): a
   *  derived table here streams instead of being materialised. */
  once: boolean;
  /** Read in the order of an index, because that order gives the block's ORDER BY (plan/order.ts);
   *  null: the engine's natural order or the access path's. */
  order: LeafOrder | null;
  /** EXPLAIN ANALYZE only: the leaf's counters (run/probe.ts). Absent on every other plan. */
  probe?: Probe;
}

/**
 * An index whose order a leaf reads in: its access path's index, or (without one) an index read
 * whole. `reverse`: from its last entry to its first. `prefix`: how many leading parts the access
 * path binds by equality; the ORDER BY holds only while the read keeps that prefix fixed.
 */
export interface LeafOrder {
  index: IndexDef;
  reverse: boolean;
  prefix: number;
}

/**
 * A block whose first table is read in ORDER BY order (plan/order.ts). `total`: no two rows
 * the read returns can tie on the ORDER BY, so the sort is skipped and the block stops reading
 * at its LIMIT. Otherwise `sort` is the ORDER BY followed by the clustering key (the order a scan
 * and a stable sort give to ties), and the block stops reading once a row sorts after every row
 * the LIMIT keeps on the first `given` items (those the index order gives).
 */
export interface OrderedRead {
  leaf: Leaf;
  total: boolean;
  sort: OrderPlan | null;
  given: number;
}

export interface JoinNode {
  kind: 'join';
  outer: boolean;
  left: TreeNode;
  right: TreeNode;
  on: CompiledExpr | null;
  onAst: Expr | null;
  /** Sources of the right (inner) side, for NULL extension. */
  rightSources: Source[];
  /** EXPLAIN ANALYZE only: the join's counters (run/probe.ts). */
  probe?: Probe;
}

export type TreeNode = Leaf | JoinNode;

/** Rows of a FROM-clause query (derived table, view, CTE) as a leaf reads them. */
export interface DerivedRows {
  /** The query; null for the reference of a recursive CTE to itself. */
  query: CompiledQuery | null;
  /** The rows of the previous iteration, for a recursive CTE's reference to itself. */
  working?: { rows: Row[] };
  /** Materialised rows per execution (an uncorrelated query read more than once). */
  cache: WeakMap<Runtime, Row[]>;
  /** Whether it may stream when its leaf is read once (not a CTE referenced twice). */
  streamable: boolean;
}

/** State of one execution of a block: the row buffer and the current row reference per table. */
export interface ExecState {
  row: Row;
  refs: (RowRef | null)[];
  rt: Runtime;
  ctxs: (EngineContext | null)[];
  /** Whether cursors may answer with promises (false inside expression subqueries). */
  canWait: boolean;
  meter: Meter;
  /** A fill buffer per source, reused by its cursors. */
  batches: (RowRef[] | null)[];
  /** Select-list items a WITH ROLLUP row shows as NULL (set by the grouping stage). */
  nulled: Set<number> | null;
  /** The read of the block's first table, worked out before it opens (an ordered read, whose
   *  keys decide whether the ORDER BY order holds): used once, by the first open of that leaf. */
  firstRead: { leaf: Leaf; how: BaseRead | null } | null;
}

/** How a base table is read one time: a scan, one index read, equality reads of a list of keys,
 *  or a run of equality reads over an integer range of a HASH index. */
export type BaseRead =
  | { kind: 'scan' }
  | { kind: 'read'; read: IndexRead }
  | { kind: 'keys'; keys: Value[][] }
  | { kind: 'hash'; prefix: Value[]; from: bigint; to: bigint };

/** One output column of a compiled query. */
export interface OutColumn {
  name: string;
  type: ExprType;
  origin?: ColumnOrigin;
}

/** Counters an execution reports to its caller. */
export interface RunStats {
  /** Rows before LIMIT (SQL_CALC_FOUND_ROWS / FOUND_ROWS()). */
  found: number;
}

export interface CompiledQuery {
  columns: OutColumn[];
  /**
   * Start one execution with the outer row (correlated blocks read it through outer-reference
   * slots). `canWait`: whether its cursors may answer with promises.
   */
  run(outer: Row, rt: Runtime, canWait: boolean, stats?: RunStats): RowGen;
  correlated: boolean;
  /** Running it may have to wait: a select-list value or a WHERE condition is asynchronous
   *  (SLEEP), or it reads a table whose engine always waits (FEDERATED). A subquery that does
   *  is an asynchronous expression. */
  hasAsync?: boolean;
  /** Traditional EXPLAIN rows of this block. */
  explain?: (rt: Runtime) => ExplainRow[];
  /** What EXPLAIN FORMAT=JSON / TREE and EXPLAIN ANALYZE describe (src/exec/query/explain/). */
  shape?: QueryShape;
}

/**
 * The plan of a compiled query as EXPLAIN sees it: a query block, a set operation over two
 * queries, or a VALUES list. `core` is the block's syntax (ORDER BY / GROUP BY items are printed
 * from it); `subqueries` are the expression subqueries compiled in the block.
 * @req CORE-EXPLAIN-003 CORE-EXPLAIN-006
 */
export type QueryShape =
  | { kind: 'block'; plan: BlockPlan; core: SelectCore; subqueries: SubqueryShape[] }
  | { kind: 'setop'; plan: SetOpPlan }
  | { kind: 'values'; rows: number };

/** An expression subquery of a block: where it appears and the compiled query. */
export interface SubqueryShape {
  query: CompiledQuery;
  /** 'condition' (WHERE / ON / HAVING) or 'projection' (the select list, ORDER BY). */
  where: 'condition' | 'projection';
}

export interface ExplainRow {
  table: string | null;
  type: string | null;
  possibleKeys: string | null;
  key: string | null;
  keyLen: string | null;
  ref: string | null;
  rows: number | null;
  extra: string | null;
}

export interface LimitPlan {
  count: CompiledExpr;
  offset: CompiledExpr | null;
}

export interface OrderPlan {
  exprs: CompiledExpr[];
  desc: boolean[];
  collations: (string | undefined)[];
}

export interface GroupPlan {
  exprs: CompiledExpr[];
  collations: (string | undefined)[];
  rollup: boolean;
  /** WITH ROLLUP: per group expression, the slot it reads (plain columns). */
  rollupSlots: (number | null)[];
  /** WITH ROLLUP: per group expression, the select-list items equal to it. */
  rollupItems: number[][];
  /** WITH ROLLUP and GROUPING(): the slot that holds each row's ROLLUP level (keys kept). */
  levelSlot: number | null;
}

/** A compiled query block, as run/block.ts executes it. */
export interface BlockPlan {
  scope: Scope;
  sources: Source[];
  tree: TreeNode | null;
  /** WHERE conjuncts that could not be pushed to a leaf. */
  topFilters: CompiledExpr[];
  outerRefs: OuterRef[];
  items: CompiledExpr[];
  itemSlots: number[];
  itemCollations: (string | undefined)[];
  asyncItems: boolean;
  /** Some WHERE condition left at the top is asynchronous. */
  asyncFilters: boolean;
  /** Aggregation happens (GROUP BY, or aggregates in the select list / HAVING / ORDER BY). */
  group: GroupPlan | null;
  aggSpecs: AggSpec[];
  having: CompiledExpr | null;
  windows: WindowSpec[];
  order: OrderPlan | null;
  /** The first table's rows arrive in ORDER BY order (null: they are sorted). */
  orderedRead: OrderedRead | null;
  limit: LimitPlan | null;
  distinct: boolean;
  calcFound: boolean;
  groupConcatMaxLen: number;
  /** EXPLAIN ANALYZE only: the block's counters (run/probe.ts). */
  probe?: BlockProbe;
}

/** Counters of one query block's stages under EXPLAIN ANALYZE. */
export interface BlockProbe {
  /** Rows out of the block (after DISTINCT, ORDER BY, LIMIT); loops: executions. */
  out: Probe;
  /** Rows out of the join (after the WHERE conditions left at the top). */
  joined: Probe;
  /** Groups out of the aggregation. */
  grouped: Probe;
  /** HAVING: its passes (the condition is wrapped by countPasses). */
  having: Probe;
  /** Rows that passed DISTINCT before OFFSET / LIMIT, summed over executions. */
  found: number;
}

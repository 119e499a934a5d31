/**
 * The query engine: compiles a SELECT (blocks, set operations, CTEs, derived tables,
 * subqueries) into closures over a row buffer, then runs it synchronously.
 *
 * Compilation is separated from execution so that a prepared statement compiles once and
 * runs many times. Tables are opened before compilation (opening may be asynchronous);
 * execution is synchronous because engines read through synchronous iterators and compiled
 * expressions (including subqueries) evaluate synchronously.
 *
 * Execution of a block: nested-loop joins over the FROM tree (using an index when a condition
 * gives an equality or range on an index prefix), WHERE conjuncts pushed to the innermost
 * table they need, then grouping and aggregates, HAVING, the select list, DISTINCT,
 * ORDER BY, LIMIT.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-032 CORE-EXEC-033 CORE-EXEC-034 CORE-EXEC-035 CORE-EXEC-036 CORE-EXEC-037 CORE-EXEC-038 CORE-EXEC-039 CORE-EXEC-040 CORE-EXEC-062 CORE-EXEC-063 CORE-EXEC-067
 */
import type { IndexDef } from '../../kernel/table-def.js';
import { rejectLimitInQuantified } from '../rewrite.js';
import type {
  AggregateCall,
  ColumnRef,
  CommonTableExpr,
  ExistsExpr,
  Expr,
  InExpr,
  OrderItem,
  QueryExpr,
  SelectCore,
  SelectStatement,
  SetOperation,
  SubqueryExpr,
  TableRef,
  WindowFuncCall,
} from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { compileExpr, enumAsNumber, type CompiledExpr, type ExprType, type Runtime } from '../../sql/eval/index.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import type { CursorOptions, EngineContext, IndexRead, RowCursor, RowRef } from '../../storage/handler.js';
import type { OpenedTable } from '../../catalog/catalog-api.js';
import { tableKey, type OpenedTables } from '../statement/open-tables.js';
import { collectTablesOfQuery } from '../statement/statement-tables.js';
import { walkExpr } from '../../sql/walk.js';
import { canSeeSchema, canSeeTable, type SecurityContext } from '../../accounts/privileges.js';
import type { Session } from '../session.js';
import { CTE_MAX_RECURSION_DEPTH, INTERRUPT_CHECK_INTERVAL, MAX_JOIN_TABLES } from '../limits.js';
import { checkTableLock } from '../locks/lock-tables.js';
import { aggregateType, createAggState, type AggSpec, type AggState } from './aggregates.js';
import { exprTypeOfColumn, resultColumnOf, type ColumnOrigin } from './column-types.js';
import { compareValues, tupleKey, valueKey } from './compare.js';
import { Scope, type Source } from './scope.js';
import { computeWindows, windowType, type WindowSpec } from './windows.js';

// ---------------------------------------------------------------------------------------------
// Compile environment
// ---------------------------------------------------------------------------------------------

interface CteBinding {
  def: CommonTableExpr;
  recursive: boolean;
  /** Compiled once (non-recursive) and materialised once per execution. */
  compiled?: CompiledQuery;
  /** While compiling the recursive part: rows of the previous iteration. */
  working?: { rows: Row[] };
  columns?: { name: string; type: ExprType }[];
  /** Materialisation cache per runtime. */
  cache: WeakMap<Runtime, Row[]>;
  compiling?: boolean;
}

export interface CompileEnv {
  session: Session;
  tables: OpenedTables;
  ctes: Map<string, CteBinding>[];
  /** Statement is a top-level locking read (FOR UPDATE/SHARE) - unused by MEMORY. */
  forUpdate?: boolean;
  groupConcatMaxLen: number;
  /** Every stored table source compiled, for column privilege checks. */
  baseSources?: Source[];
}

/** One output column of a compiled query. */
export interface OutColumn {
  name: string;
  type: ExprType;
  origin?: ColumnOrigin;
}

export interface CompiledQuery {
  columns: OutColumn[];
  /** Run with the outer row (correlated blocks read it through outer-reference slots). */
  run(outer: Row, rt: Runtime, limitHint?: number): Row[];
  correlated: boolean;
  /** Row count before LIMIT of the last run (FOUND_ROWS()). */
  foundRows?: () => number;
  /** Some select-list value may be a Promise (SLEEP); the caller awaits them. */
  hasAsync?: boolean;
  /** Traditional EXPLAIN rows of this block. */
  explain?: (rt: Runtime) => ExplainRow[];
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

const KEY_BYTES: Record<string, number> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8, DATE: 3, TIME: 3, DATETIME: 5, TIMESTAMP: 4, YEAR: 1, FLOAT: 4, DOUBLE: 8 };

function keyLength(src: Source, ix: IndexDef, parts: number): string {
  let n = 0;
  for (let i = 0; i < parts; i++) {
    const col = src.tableDef!.columns[ix.parts[i]!.column]!;
    const t = col.type;
    let b = KEY_BYTES[t.name];
    if (b === undefined) {
      if (t.name === 'CHAR' || t.name === 'BINARY') b = (t.length ?? 1) * (t.name === 'CHAR' ? 4 : 1);
      else if (t.name === 'VARCHAR' || t.name === 'VARBINARY') b = (t.length ?? 1) * (t.name === 'VARCHAR' ? 4 : 1) + 2;
      else if (t.name === 'DECIMAL') b = Math.ceil((t.length ?? 10) / 2) + 1;
      else b = 8;
    }
    n += b + (col.nullable ? 1 : 0);
  }
  return String(n);
}

function containsAggregate(e: Expr | undefined): boolean {
  if (!e) return false;
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'aggregate' && !x.over) {
      found = true;
      return false;
    }
    return !found;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Decimal) return v.unscaled !== 0n;
  if (typeof v === 'string') {
    const n = parseFloat(v);
    return Number.isFinite(n) && n !== 0;
  }
  if (Buffer.isBuffer(v)) {
    const n = parseFloat(v.toString('latin1'));
    return Number.isFinite(n) && n !== 0;
  }
  if (v instanceof Temporal) return true;
  return false;
}

function splitConjuncts(e: Expr | undefined, out: Expr[]): Expr[] {
  if (!e) return out;
  if (e.type === 'binary' && (e.op === 'AND' || e.op === '&&')) {
    splitConjuncts(e.left, out);
    splitConjuncts(e.right, out);
  } else out.push(e);
  return out;
}

function literalInt(e: Expr): number | null {
  if (e.type === 'literal' && e.kind === 'int' && typeof e.value === 'string') return Number(e.value);
  return null;
}

/** Evaluate a LIMIT/OFFSET operand (literal, `?` or a variable). */
function limitValue(c: CompiledExpr | null, rt: Runtime): number {
  if (!c) return -1;
  const v = c.eval([], rt);
  if (v === null) return 0;
  const n = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : BigInt(Math.trunc(Number(String(v)) || 0));
  if (n < 0n) return 0;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

function mergeTypes(a: ExprType, b: ExprType): ExprType {
  const nullable = a.nullable || b.nullable;
  if (a.kind === 'null') return { ...b, nullable: true };
  if (b.kind === 'null') return { ...a, nullable: true };
  if (a.kind === b.kind) {
    const t: ExprType = { ...a, nullable, length: Math.max(a.length, b.length), decimals: Math.max(a.decimals, b.decimals) };
    if (a.mysqlType !== b.mysqlType) delete t.mysqlType;
    if (a.kind === 'temporal' && a.temporal !== b.temporal) {
      t.temporal = 'DATETIME';
      delete t.mysqlType;
    }
    delete t.flags;
    return t;
  }
  const numeric = (k: string) => k === 'int' || k === 'decimal' || k === 'double';
  if (numeric(a.kind) && numeric(b.kind)) {
    const kind = a.kind === 'double' || b.kind === 'double' ? 'double' : 'decimal';
    return { kind, nullable, length: Math.max(a.length, b.length) + 2, decimals: kind === 'double' ? 31 : Math.max(a.decimals, b.decimals) };
  }
  return { kind: 'string', collation: a.collation ?? b.collation ?? 'utf8mb4_0900_ai_ci', binary: !!(a.binary && b.binary), nullable, length: Math.max(a.length, b.length), decimals: 0 };
}

/** Convert a key value to the class an index on `colType` stores, or undefined when no row can match. */
function keyValueFor(v: Value, t: ExprType): Value | undefined {
  if (v === null) return null;
  switch (t.kind) {
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
      if (v instanceof Decimal) return v.scale === 0 ? v.unscaled : undefined;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim());
      return undefined;
    case 'string':
      if (t.binary) return Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v, 'utf8') : undefined;
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint') return v.toString();
      return undefined;
    case 'decimal':
      if (v instanceof Decimal) return v;
      if (typeof v === 'bigint') return new Decimal(v, 0);
      return undefined;
    case 'temporal':
      return v instanceof Temporal && v.kind === t.temporal ? v : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Join tree
// ---------------------------------------------------------------------------------------------

interface AccessPath {
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

interface Leaf {
  kind: 'leaf';
  src: Source;
  filters: CompiledExpr[];
  access: AccessPath | null;
  /** Conjuncts that may serve as access conditions (AST + the source order they depend on). */
  candidates: { expr: Expr; deps: Set<number> }[];
}

interface JoinNode {
  kind: 'join';
  outer: boolean;
  left: TreeNode;
  right: TreeNode;
  on: CompiledExpr | null;
  onAst: Expr | null;
  /** Sources of the right (inner) side, for NULL extension. */
  rightSources: Source[];
}

type TreeNode = Leaf | JoinNode;

/** State of one execution of a block: the row buffer and the current row reference per table. */
export interface ExecState {
  row: Row;
  refs: (RowRef | null)[];
  rt: Runtime;
  ctxs: (EngineContext | null)[];
  counter: number;
}

// ---------------------------------------------------------------------------------------------
// The compiler
// ---------------------------------------------------------------------------------------------

export class QueryCompiler {
  constructor(readonly env: CompileEnv) {}

  get session(): Session {
    return this.env.session;
  }

  /** Compile a full SELECT statement (WITH + query expression). */
  compileSelect(stmt: SelectStatement, outer: Scope | null): CompiledQuery {
    if (stmt.with) {
      const frame = new Map<string, CteBinding>();
      for (const c of stmt.with.ctes) {
        const key = c.name.toLowerCase();
        if (frame.has(key)) throw sqlError('ER_NONUNIQ_TABLE', c.name);
        frame.set(key, { def: c, recursive: stmt.with.recursive, cache: new WeakMap() });
      }
      this.env.ctes.push(frame);
      try {
        return this.compileQueryExpr(stmt.query, outer);
      } finally {
        this.env.ctes.pop();
      }
    }
    return this.compileQueryExpr(stmt.query, outer);
  }

  compileQueryExpr(q: QueryExpr, outer: Scope | null): CompiledQuery {
    if (q.type === 'set_op') return this.compileSetOp(q, outer);
    return this.compileCore(q, outer);
  }

  // -------------------------------------------------------------------------------------------
  // Set operations
  // -------------------------------------------------------------------------------------------

  private compileSetOp(q: SetOperation, outer: Scope | null): CompiledQuery {
    const left = this.compileQueryExpr(q.left, outer);
    const right = this.compileQueryExpr(q.right, outer);
    if (left.columns.length !== right.columns.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
    const columns: OutColumn[] = left.columns.map((c, i) => ({ name: c.name, type: mergeTypes(c.type, right.columns[i]!.type) }));
    const collations = columns.map((c) => c.type.collation);
    const order = this.compileResultOrder(q.orderBy, columns);
    const limit = this.compileLimit(q.limit);
    const op = q.op;
    const all = q.all;
    return {
      columns,
      correlated: left.correlated || right.correlated,
      run: (outerRow, rt) => {
        const l = left.run(outerRow, rt);
        const r = right.run(outerRow, rt);
        let rows: Row[];
        if (op === 'UNION') {
          rows = l.concat(r);
          if (!all) rows = dedupe(rows, collations);
        } else {
          const rk = new Map<string, number>();
          for (const row of r) {
            const k = tupleKey(row, collations);
            rk.set(k, (rk.get(k) ?? 0) + 1);
          }
          rows = [];
          const seen = new Set<string>();
          for (const row of l) {
            const k = tupleKey(row, collations);
            const inRight = (rk.get(k) ?? 0) > 0;
            if (op === 'INTERSECT' ? !inRight : inRight) {
              if (all && op === 'EXCEPT') rk.set(k, rk.get(k)! - 1);
              continue;
            }
            if (all && op === 'INTERSECT') rk.set(k, rk.get(k)! - 1);
            if (!all) {
              if (seen.has(k)) continue;
              seen.add(k);
            }
            rows.push(row);
          }
        }
        if (order) sortRows(rows, order.keys(rows, rt), order.desc, order.collations);
        const off = limit ? (limit.offset ? limitValue(limit.offset, rt) : 0) : 0;
        const cnt = limit ? limitValue(limit.count, rt) : -1;
        if (off > 0 || cnt >= 0) rows = rows.slice(off, cnt >= 0 ? off + cnt : undefined);
        return rows;
      },
    };
  }

  /** ORDER BY over a result (set operations): ordinals and result column names. */
  private compileResultOrder(orderBy: OrderItem[] | undefined, columns: OutColumn[]) {
    if (!orderBy || orderBy.length === 0) return null;
    const src: Source = {
      index: 0,
      alias: '',
      schema: '',
      orgTable: '',
      columns: columns.map((c) => ({ name: c.name, type: c.type })),
      base: 0,
      hidden: new Set(),
      merged: new Map(),
      nullable: false,
    };
    const scope = new Scope([src], null, {}, this.session.schema);
    scope.clause = 'order clause';
    const exprs: CompiledExpr[] = [];
    for (const o of orderBy) {
      const ord = literalInt(o.expr);
      if (ord !== null) {
        if (ord < 1 || ord > columns.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'order clause');
        const type = columns[ord - 1]!.type;
        exprs.push(enumAsNumber({ eval: (row) => row[ord - 1]!, type, ...(type.enumMembers ? { enumColumn: true } : {}) }));
      } else {
        const e = o.expr.type === 'column' ? { ...o.expr, table: undefined, schema: undefined } : o.expr;
        exprs.push(enumAsNumber(compileExpr(e as Expr, scope)));
      }
    }
    return {
      desc: orderBy.map((o) => o.desc),
      collations: exprs.map((e) => e.type.collation),
      keys: (rows: Row[], rt: Runtime) => rows.map((r) => exprs.map((e) => e.eval(r, rt))),
    };
  }

  private compileLimit(l: SelectCore['limit']): { count: CompiledExpr; offset: CompiledExpr | null } | null {
    if (!l) return null;
    const scope = new Scope([], null, {}, this.session.schema);
    return {
      count: compileExpr(l.count, scope),
      offset: l.offset ? compileExpr(l.offset, scope) : null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // FROM
  // -------------------------------------------------------------------------------------------

  private findCte(name: string): CteBinding | undefined {
    const key = name.toLowerCase();
    for (let i = this.env.ctes.length - 1; i >= 0; i--) {
      const b = this.env.ctes[i]!.get(key);
      if (b) return b;
    }
    return undefined;
  }

  /** Build sources (slots) and the join tree for a FROM list. */
  buildFrom(from: TableRef[], sources: Source[], outer: Scope | null): TreeNode | null {
    let tree: TreeNode | null = null;
    for (const ref of from) {
      if (ref.type === 'dual') continue;
      const node = this.buildRef(ref, sources, false, outer);
      tree = tree ? { kind: 'join', outer: false, left: tree, right: node, on: null, onAst: null, rightSources: [] } : node;
    }
    if (sources.length > MAX_JOIN_TABLES) throw sqlError('ER_TOO_MANY_TABLES', MAX_JOIN_TABLES);
    const seen = new Set<string>();
    for (const s of sources) {
      const k = s.alias.toLowerCase() + '\u0000' + (s.produce ? '' : s.schema.toLowerCase());
      if (seen.has(k)) throw sqlError('ER_NONUNIQ_TABLE', s.alias);
      seen.add(k);
    }
    return tree;
  }

  private nextBase(sources: Source[]): number {
    const last = sources[sources.length - 1];
    return last ? last.base + last.columns.length : 0;
  }

  private buildRef(ref: TableRef, sources: Source[], nullable: boolean, outer: Scope | null): TreeNode {
    switch (ref.type) {
      case 'table':
        return this.leafFor(this.tableSource(ref.table.schema, ref.table.name, ref.alias, sources, nullable, outer));
      case 'derived': {
        if (!ref.alias) throw sqlError('ER_DERIVED_MUST_HAVE_ALIAS');
        const q = this.compileSelect(ref.query, ref.lateral ? outer : null);
        const names = ref.columnAliases ?? q.columns.map((c) => c.name);
        if (names.length !== q.columns.length) throw sqlError('ER_VIEW_WRONG_LIST');
        checkDistinctNames(names);
        const cache = new WeakMap<Runtime, Row[]>();
        const src: Source = {
          index: sources.length,
          alias: ref.alias,
          schema: '',
          orgTable: ref.alias,
          columns: q.columns.map((c, i) => ({ name: names[i]!, type: c.type })),
          base: this.nextBase(sources),
          hidden: new Set(),
          merged: new Map(),
          nullable,
          produce: (o, rt) => {
            if (q.correlated) return q.run(o, rt);
            let rows = cache.get(rt);
            if (!rows) cache.set(rt, (rows = q.run(o, rt)));
            return rows;
          },
        };
        sources.push(src);
        return this.leafFor(src);
      }
      case 'join':
        return this.buildJoin(ref, sources, nullable, outer);
      case 'dual':
        throw sqlError('ER_NO_TABLES_USED');
    }
  }

  private leafFor(src: Source): Leaf {
    return { kind: 'leaf', src, filters: [], access: null, candidates: [] };
  }

  private buildJoin(ref: Extract<TableRef, { type: 'join' }>, sources: Source[], nullable: boolean, outer: Scope | null): TreeNode {
    let kind = ref.kind;
    const natural = kind.startsWith('NATURAL');
    if (kind === 'NATURAL') kind = 'INNER';
    if (kind === 'NATURAL LEFT') kind = 'LEFT';
    if (kind === 'NATURAL RIGHT') kind = 'RIGHT';
    const startLeft = sources.length;
    const left = this.buildRef(ref.left, sources, nullable || kind === 'RIGHT', outer);
    const startRight = sources.length;
    const right = this.buildRef(ref.right, sources, nullable || kind === 'LEFT', outer);
    const leftSources = sources.slice(startLeft, startRight);
    const rightSources = sources.slice(startRight);
    let onAst: Expr | null = ref.on ?? null;
    // USING / NATURAL: equality on the common columns; the merged column shows once.
    let usingCols: string[] | undefined = ref.using;
    if (natural) {
      usingCols = [];
      for (const ls of leftSources) {
        for (let i = 0; i < ls.columns.length; i++) {
          if (ls.hidden.has(i)) continue;
          const n = ls.columns[i]!.name;
          if (rightSources.some((rs) => rs.columns.some((c, j) => !rs.hidden.has(j) && c.name.toLowerCase() === n.toLowerCase()))) usingCols.push(n);
        }
      }
    }
    if (usingCols && usingCols.length) {
      const findCol = (list: Source[], name: string, side: string): { s: Source; i: number } => {
        for (const s of list) {
          const i = s.columns.findIndex((c, j) => !s.hidden.has(j) && c.name.toLowerCase() === name.toLowerCase());
          if (i >= 0) return { s, i };
        }
        throw sqlError('ER_BAD_FIELD_ERROR', name, side);
      };
      const conds: Expr[] = [];
      for (const name of usingCols) {
        const l = findCol(leftSources, name, 'from clause');
        const r = findCol(rightSources, name, 'from clause');
        conds.push({
          type: 'binary',
          op: '=',
          left: { type: 'column', table: l.s.alias, name: l.s.columns[l.i]!.name },
          right: { type: 'column', table: r.s.alias, name: r.s.columns[r.i]!.name },
        });
        // For RIGHT joins the right table's column is the visible one.
        if (kind === 'RIGHT') {
          l.s.hidden.add(l.i);
          l.s.merged.set(l.i, r.s.base + r.i);
          r.s.merged.set(r.i, r.s.base + r.i);
        } else {
          r.s.hidden.add(r.i);
          r.s.merged.set(r.i, l.s.base + l.i);
        }
      }
      for (const c of conds) onAst = onAst ? { type: 'binary', op: 'AND', left: onAst, right: c } : c;
    }
    if (kind === 'RIGHT') {
      // Execute as a LEFT join with the operands swapped; slots keep their textual layout.
      return { kind: 'join', outer: true, left: right, right: left, on: null, onAst, rightSources: leftSources };
    }
    return { kind: 'join', outer: kind === 'LEFT', left, right, on: null, onAst, rightSources: kind === 'LEFT' ? rightSources : [] };
  }

  private tableSource(schemaName: string | undefined, name: string, alias: string | undefined, sources: Source[], nullable: boolean, outer: Scope | null): Source {
    if (schemaName === undefined) {
      const cte = this.findCte(name);
      if (cte) return this.cteSource(cte, alias ?? name, sources, nullable, outer);
    }
    const schema = schemaName ?? this.session.schema;
    if (schema === null) throw sqlError('ER_NO_DB_ERROR');
    const opened = this.env.tables.get(tableKey(schema, name));
    if (!opened) throw sqlError('ER_NO_SUCH_TABLE', schema, name);
    if (opened.kind === 'view') return this.viewSource(opened, alias ?? name, sources, nullable);
    if (!opened.def.temporary) checkTableLock(this.session, opened.def.schema, opened.def.name, alias, false);
    const def = opened.def;
    const src: Source = {
      used: new Set<string>(),
      index: sources.length,
      alias: alias ?? name,
      schema: def.schema,
      orgTable: def.name,
      columns: def.columns.map((c) => ({ name: c.name, type: { ...exprTypeOfColumn(c), nullable: c.nullable || nullable }, def: c })),
      base: this.nextBase(sources),
      tableDef: def,
      opened,
      hidden: new Set(def.columns.flatMap((c, i) => (c.invisible ? [i] : []))),
      merged: new Map(),
      nullable,
    };
    sources.push(src);
    this.env.baseSources?.push(src);
    return src;
  }

  private viewSource(view: Extract<OpenedTable, { kind: 'view' }>, alias: string, sources: Source[], nullable: boolean): Source {
    // Unqualified names inside the view refer to the view's schema.
    const q = this.compileSelect(qualify(view.query, view.def.schema), null);
    const names = view.columns ?? q.columns.map((c) => c.name);
    const cache = new WeakMap<Runtime, Row[]>();
    const src: Source = {
      index: sources.length,
      alias,
      schema: view.def.schema,
      orgTable: view.def.name,
      columns: q.columns.map((c, i) => ({ name: names[i] ?? c.name, type: c.type })),
      base: this.nextBase(sources),
      hidden: new Set(),
      merged: new Map(),
      nullable,
      produce: (o, rt) => {
        let rows = cache.get(rt);
        if (!rows) cache.set(rt, (rows = q.run(o, rt)));
        return rows;
      },
    };
    sources.push(src);
    return src;
  }

  private cteSource(cte: CteBinding, alias: string, sources: Source[], nullable: boolean, _outer: Scope | null): Source {
    const base = this.nextBase(sources);
    if (cte.working) {
      // A recursive reference from inside the CTE's own recursive part.
      const w = cte.working;
      const src: Source = {
        index: sources.length,
        alias,
        schema: '',
        orgTable: cte.def.name,
        columns: cte.columns!.map((c) => ({ name: c.name, type: c.type })),
        base,
        hidden: new Set(),
        merged: new Map(),
        nullable,
        produce: () => w.rows,
      };
      sources.push(src);
      return src;
    }
    if (!cte.compiled) {
      if (cte.compiling) throw sqlError('ER_NO_SUCH_TABLE', this.session.schema ?? '', cte.def.name);
      cte.compiling = true;
      try {
        cte.compiled = cte.recursive ? this.compileRecursiveCte(cte) : this.compileSelect(cte.def.query, null);
      } finally {
        cte.compiling = false;
      }
      if (cte.def.columns && cte.def.columns.length !== cte.compiled.columns.length) {
        throw sqlError('ER_VIEW_WRONG_LIST');
      }
    }
    const q = cte.compiled;
    const names = cte.def.columns ?? q.columns.map((c) => c.name);
    checkDistinctNames(names);
    const src: Source = {
      index: sources.length,
      alias,
      schema: '',
      orgTable: cte.def.name,
      columns: q.columns.map((c, i) => ({ name: names[i]!, type: c.type })),
      base,
      hidden: new Set(),
      merged: new Map(),
      nullable,
      produce: (o, rt) => {
        let rows = cte.cache.get(rt);
        if (!rows) cte.cache.set(rt, (rows = q.run(o, rt)));
        return rows;
      },
    };
    sources.push(src);
    return src;
  }

  /** WITH RECURSIVE: anchor blocks, then the recursive blocks iterated until no new rows. */
  private compileRecursiveCte(cte: CteBinding): CompiledQuery {
    const q = cte.def.query.query;
    const refersToSelf = (qq: QueryExpr): boolean => {
      const out: { schema?: string; name: string }[] = [];
      collectTablesOfQuery(qq, out);
      return out.some((t) => t.schema === undefined && t.name.toLowerCase() === cte.def.name.toLowerCase());
    };
    if (q.type !== 'set_op' || q.op !== 'UNION' || !refersToSelf(q)) {
      return this.compileSelect(cte.def.query, null);
    }
    // Flatten the UNION chain into anchor and recursive parts.
    const parts: { q: QueryExpr; all: boolean }[] = [];
    const flatten = (x: QueryExpr, all: boolean) => {
      if (x.type === 'set_op' && x.op === 'UNION' && !x.orderBy && !x.limit) {
        flatten(x.left, x.all);
        parts.push({ q: x.right, all: x.all });
      } else parts.push({ q: x, all });
    };
    flatten(q, q.all);
    const anchors = parts.filter((p) => !refersToSelf(p.q));
    const recursive = parts.filter((p) => refersToSelf(p.q));
    const distinct = parts.some((p) => !p.all);
    const anchorCompiled = anchors.map((p) => this.compileQueryExpr(p.q, null));
    if (anchorCompiled.length === 0) throw sqlError('ER_NOT_SUPPORTED_YET', 'recursive CTE without a non-recursive part');
    const first = anchorCompiled[0]!;
    const names = cte.def.columns ?? first.columns.map((c) => c.name);
    cte.columns = first.columns.map((c, i) => ({ name: names[i]!, type: { ...c.type, nullable: true } }));
    const working = { rows: [] as Row[] };
    cte.working = working;
    let recCompiled: CompiledQuery[];
    try {
      recCompiled = recursive.map((p) => this.compileQueryExpr(p.q, null));
    } finally {
      delete cte.working;
    }
    for (const c of [...anchorCompiled, ...recCompiled]) {
      if (c.columns.length !== first.columns.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
    }
    const collations = first.columns.map((c) => c.type.collation);
    const session = this.session;
    return {
      columns: cte.columns.map((c) => ({ name: c.name, type: c.type })),
      correlated: false,
      run: (outerRow, rt) => {
        const seen = new Set<string>();
        const result: Row[] = [];
        const add = (rows: Row[], into: Row[]) => {
          for (const r of rows) {
            if (distinct) {
              const k = tupleKey(r, collations);
              if (seen.has(k)) continue;
              seen.add(k);
            }
            into.push(r);
            result.push(r);
          }
        };
        let fresh: Row[] = [];
        for (const a of anchorCompiled) add(a.run(outerRow, rt), fresh);
        const maxDepth = Number(session.sysvar('cte_max_recursion_depth') ?? CTE_MAX_RECURSION_DEPTH);
        let depth = 0;
        while (fresh.length > 0) {
          if (++depth > maxDepth) throw sqlError('ER_CTE_MAX_RECURSION_DEPTH', depth);
          if (rt.isInterrupted()) throw sqlError('ER_QUERY_INTERRUPTED');
          working.rows = fresh;
          const next: Row[] = [];
          for (const r of recCompiled) add(r.run(outerRow, rt), next);
          fresh = next;
        }
        working.rows = [];
        return result;
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // A query block
  // -------------------------------------------------------------------------------------------

  compileCore(c: SelectCore, outer: Scope | null): CompiledQuery {
    if (c.valuesRows) return this.compileValues(c, outer);
    const sources: Source[] = [];
    const tree = this.buildFrom(c.from, sources, outer);
    const aggSpecs: AggSpec[] = [];
    const grouped = !!(c.groupBy && c.groupBy.length) || c.items.some((i) => containsAggregate(i.expr)) || containsAggregate(c.having) || (c.orderBy ?? []).some((o) => containsAggregate(o.expr));
    const winSpecs: WindowSpec[] = [];
    const scope: Scope = new Scope(sources, outer, {
      aggregate: (sc, call) => this.compileAggregate(sc, call, aggSpecs, grouped),
      subquery: (sc, e) => this.compileSubquery(sc, e),
      window: (sc, call) => this.compileWindow(sc, call, c, winSpecs),
    }, this.session.schema);
    scope.sqlMode = this.session.sqlMode();

    // Select list with * expanded.
    interface Item { expr: Expr; name: string; origin?: ColumnOrigin; alias?: string; compiled?: CompiledExpr; slot: number }
    const items: Item[] = [];
    for (const it of c.items) {
      const e = it.expr;
      if (e.type === 'column' && e.name === '*') {
        let any = false;
        for (const s of sources) {
          if (e.table !== undefined && !(s.alias.toLowerCase() === e.table.toLowerCase() && (e.schema === undefined || s.schema.toLowerCase() === e.schema.toLowerCase()))) continue;
          any = true;
          s.columns.forEach((col, i) => {
            if (e.table === undefined && s.hidden.has(i)) return;
            if (s.tableDef?.columns[i]?.invisible) return;
            const origin: ColumnOrigin = { schema: s.schema, table: s.alias, orgTable: s.orgTable, orgName: col.name };
            if (col.def) origin.def = col.def;
            if (s.tableDef) origin.tableDef = s.tableDef;
            items.push({ expr: { type: 'column', table: s.alias, name: col.name }, name: col.name, origin, slot: -1 });
          });
        }
        if (!any) {
          if (e.table !== undefined) throw sqlError('ER_BAD_TABLE_ERROR', e.table);
          throw sqlError('ER_NO_TABLES_USED');
        }
        continue;
      }
      const item: Item = { expr: e, name: it.alias ?? (e.type === 'column' ? e.name : literalColumnName(e) ?? it.text), slot: -1 };
      if (it.alias !== undefined) item.alias = it.alias;
      items.push(item);
    }
    for (const it of items) it.slot = scope.alloc();

    // ON conditions and WHERE.
    const fullGroup = this.session.sqlMode().has('ONLY_FULL_GROUP_BY');
    if (tree) this.compileOn(tree, scope);
    scope.clause = 'where clause';
    const whereConjuncts = splitConjuncts(c.where, []);
    const allInner = tree ? isAllInner(tree) : true;
    const topFilters: CompiledExpr[] = [];
    for (const w of whereConjuncts) {
      if (containsAggregate(w)) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
      scope.touched = new Set();
      const ce = compileExpr(w, scope);
      const deps = scope.touched;
      scope.touched = null;
      if (tree && allInner && !deps.has(-1)) {
        const leaf = deepestLeaf(tree, deps);
        if (leaf) {
          leaf.filters.push(ce);
          leaf.candidates.push({ expr: w, deps });
          continue;
        }
      }
      if (tree && !allInner && !deps.has(-1)) {
        // Still usable to narrow index reads on the leaf (the condition is re-checked at the top).
        const leaf = deepestLeaf(tree, deps);
        if (leaf) leaf.candidates.push({ expr: w, deps });
      }
      topFilters.push(ce);
    }
    if (tree) this.planAccess(tree, scope, new Set());

    // Aliases for GROUP BY / HAVING / ORDER BY.
    const itemTypes: ExprType[] = [];
    const compileItem = (idx: number) => {
      const it = items[idx]!;
      if (it.compiled) return;
      const saved = scope.clause;
      const savedMode = scope.aliasMode;
      const savedBare = scope.bareColumns;
      scope.clause = 'field list';
      scope.aliasMode = 'none';
      scope.bareColumns = null;
      try {
        it.compiled = compileExpr(it.expr, scope);
      } finally {
        scope.clause = saved;
        scope.aliasMode = savedMode;
        scope.bareColumns = savedBare;
      }
      itemTypes[idx] = it.compiled.type;
    };
    scope.aliases = items
      .map((it, i) => ({ it, i }))
      .filter((x) => x.it.alias !== undefined)
      .map(({ it, i }) => ({
        name: it.alias!,
        slot: it.slot,
        get type() {
          compileItem(i);
          return items[i]!.compiled!.type;
        },
        compile: () => compileItem(i),
      }));

    // GROUP BY.
    const groupExprs: CompiledExpr[] = [];
    const groupAsts: Expr[] = [];
    const groupSlots = new Set<number>();
    const groupedSources = new Set<number>();
    if (c.groupBy) {
      scope.clause = 'group statement';
      scope.aliasMode = 'last';
      for (const g of c.groupBy) {
        const ord = literalInt(g);
        if (ord !== null) {
          if (ord < 1 || ord > items.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'group statement');
          if (containsAggregate(items[ord - 1]!.expr)) throw sqlError('ER_WRONG_GROUP_FIELD', items[ord - 1]!.name);
          scope.aliasMode = 'none';
          const ce = compileExpr(items[ord - 1]!.expr, scope);
          scope.aliasMode = 'last';
          groupExprs.push(ce);
          groupAsts.push(items[ord - 1]!.expr);
          noteGroupColumn(items[ord - 1]!.expr, scope, groupSlots);
          continue;
        }
        if (containsAggregate(g)) throw sqlError('ER_WRONG_GROUP_FIELD', exprName(g));
        // A bare name that is not a column but is an alias groups by the aliased expression.
        if (g.type === 'column' && g.table === undefined) {
          const r = scope.lookup(g);
          const alias = r === null ? items.find((it) => it.alias !== undefined && it.alias.toLowerCase() === g.name.toLowerCase()) : undefined;
          if (alias) {
            if (containsAggregate(alias.expr)) throw sqlError('ER_WRONG_GROUP_FIELD', alias.alias);
            scope.aliasMode = 'none';
            groupExprs.push(compileExpr(alias.expr, scope));
            groupAsts.push(alias.expr);
            scope.aliasMode = 'last';
            noteGroupColumn(alias.expr, scope, groupSlots);
            continue;
          }
        }
        groupExprs.push(compileExpr(g, scope));
        groupAsts.push(g);
        noteGroupColumn(g, scope, groupSlots);
      }
      scope.aliasMode = 'none';
      // Functional dependency: grouping by a table's primary key (or NOT NULL unique key) determines its other columns.
      for (const s of sources) {
        const def = s.tableDef;
        if (!def) continue;
        for (const ix of def.indexes) {
          if (ix.kind !== 'PRIMARY' && ix.kind !== 'UNIQUE') continue;
          if (ix.parts.every((p) => groupSlots.has(s.base + p.column) && !def.columns[p.column]!.nullable)) groupedSources.add(s.index);
        }
      }
    }

    // Select list.
    const checkFullGroup = grouped && fullGroup;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.compiled) {
        // compiled early through an alias reference; still check it
      }
      scope.clause = 'field list';
      scope.aliasMode = 'none';
      if (checkFullGroup) scope.bareColumns = [];
      if (!it.compiled) {
        it.compiled = compileExpr(it.expr, scope);
        itemTypes[i] = it.compiled.type;
      } else if (checkFullGroup) {
        compileExpr(it.expr, scope);
      }
      if (checkFullGroup) {
        const bad = scope.bareColumns!.find((b) => !groupSlots.has(b.slot) && !groupedSources.has(b.source.index) && !isGroupExpr(it.expr, c.groupBy));
        scope.bareColumns = null;
        if (bad) {
          const colName = `${bad.source.schema ? bad.source.schema + '.' : ''}${bad.source.alias}.${bad.column.name}`;
          if (!c.groupBy || c.groupBy.length === 0) throw sqlError('ER_MIX_OF_GROUP_FUNC_AND_FIELDS', i + 1, colName);
          throw sqlError('ER_WRONG_FIELD_WITH_GROUP', i + 1, 'SELECT list', colName);
        }
      }
      if (it.expr.type === 'column' && it.expr.name !== '*' && !it.origin) {
        const r = scope.lookup(it.expr);
        if (r && r !== 'ambiguous' && 'source' in r && r.source && r.column) {
          const s = r.source;
          const origin: ColumnOrigin = { schema: s.schema, table: s.alias, orgTable: s.orgTable, orgName: r.column.name };
          if (r.column.def) origin.def = r.column.def;
          if (s.tableDef) origin.tableDef = s.tableDef;
          it.origin = origin;
        }
      }
    }

    // HAVING.
    let having: CompiledExpr | null = null;
    if (c.having) {
      scope.clause = 'having clause';
      scope.aliasMode = 'first';
      having = compileExpr(c.having, scope);
      scope.aliasMode = 'none';
    }

    // ORDER BY.
    const orderExprs: CompiledExpr[] = [];
    const orderDesc: boolean[] = [];
    for (const o of c.orderBy ?? []) {
      scope.clause = 'order clause';
      const ord = literalInt(o.expr);
      if (ord !== null) {
        if (ord < 1 || ord > items.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'order clause');
        const slot = items[ord - 1]!.slot;
        const compiled = items[ord - 1]!.compiled!;
        const type = compiled.type;
        // ENUM/SET columns sort by member index, not by text. @req CORE-EXEC-067
        orderExprs.push(enumAsNumber({ eval: (row) => row[slot]!, type, ...(compiled.enumColumn ? { enumColumn: true } : {}) }));
      } else {
        scope.aliasMode = 'first';
        if (checkFullGroup) scope.bareColumns = [];
        orderExprs.push(enumAsNumber(compileExpr(o.expr, scope)));
        if (checkFullGroup) {
          const bad = scope.bareColumns!.find((b) => !groupSlots.has(b.slot) && !groupedSources.has(b.source.index) && !isGroupExpr(o.expr, c.groupBy));
          scope.bareColumns = null;
          if (bad) {
            const colName = `${bad.source.schema ? bad.source.schema + '.' : ''}${bad.source.alias}.${bad.column.name}`;
            throw sqlError('ER_WRONG_FIELD_WITH_GROUP', orderExprs.length, 'ORDER BY clause', colName);
          }
        }
        scope.aliasMode = 'none';
      }
      orderDesc.push(o.desc);
    }
    const orderCollations = orderExprs.map((e) => e.type.collation);
    const limit = this.compileLimit(c.limit);
    const calcFound = !!c.modifiers?.some((m) => m.toUpperCase() === 'SQL_CALC_FOUND_ROWS');

    const columns: OutColumn[] = items.map((it) => {
      const oc: OutColumn = { name: it.name, type: it.compiled!.type };
      if (it.origin) oc.origin = it.origin;
      return oc;
    });
    const itemExprs = items.map((it) => it.compiled!);
    // WITH ROLLUP: per group expression, the slot it reads (plain columns) and the items equal to it.
    const rollup = !!c.withRollup && groupAsts.length > 0;
    const rollupSlots: (number | null)[] = groupAsts.map((g) => {
      if (g.type !== 'column') return null;
      const r = scope.lookup(g);
      return r && r !== 'ambiguous' ? r.slot : null;
    });
    const rollupItems: number[][] = groupAsts.map((g) => {
      const key = JSON.stringify(g);
      return items.flatMap((it, i) => (JSON.stringify(it.expr) === key || (it.alias !== undefined && g.type === 'column' && g.table === undefined && it.alias.toLowerCase() === g.name.toLowerCase()) ? [i] : []));
    });
    const itemSlots = items.map((it) => it.slot);
    const nItems = items.length;
    const distinct = c.distinct;
    const itemCollations = itemExprs.map((e) => e.type.collation);
    const outerRefs = scope.outerRefs;
    const correlated = outerRefs.length > 0 || sources.some((s) => s.produce !== undefined && false);
    const session = this.session;
    const groupConcatMaxLen = this.env.groupConcatMaxLen;
    let lastFound = 0;
    const asyncItems = itemExprs.some((e) => e.async);
    const hasWindows = winSpecs.length > 0;

    const run = (outerRow: Row, rt: Runtime, _limitHint?: number): Row[] => {
      const width = scope.width;
      const row: Row = new Array<Value>(width).fill(null);
      for (const r of outerRefs) row[r.innerSlot] = outerRow[r.outerSlot] ?? null;
      const st: ExecState = { row, refs: new Array(sources.length).fill(null), rt, ctxs: new Array(sources.length).fill(null), counter: 0 };
      const offset = limit ? (limit.offset ? limitValue(limit.offset, rt) : 0) : 0;
      const count = limit ? limitValue(limit.count, rt) : -1;
      const out: Row[] = [];
      const keys: Value[][] = [];
      const seen = distinct ? new Set<string>() : null;
      // Without ORDER BY / grouping / calc-found-rows we can stop as soon as the LIMIT is reached.
      const stopAt = !grouped && !hasWindows && orderExprs.length === 0 && !calcFound && count >= 0 ? offset + count : -1;

      const pending: { r: Row; nulled: Set<number> | undefined }[] = [];
      let windowPass = false;
      const emit = (r: Row, nulled?: Set<number>): boolean => {
        // items into their slots (aliases in HAVING/ORDER BY read them)
        const o = new Array<Value>(nItems);
        for (let i = 0; i < nItems; i++) {
          const v = nulled?.has(i) ? null : itemExprs[i]!.eval(r, rt);
          o[i] = v;
          r[itemSlots[i]!] = v;
        }
        if (!windowPass && having && !truthy(having.eval(r, rt))) return true;
        if (hasWindows && !windowPass) {
          // Window functions need every row first; finish these rows after computing them.
          pending.push({ r: r === row ? r.slice() : r, nulled });
          return true;
        }
        if (seen) {
          const k = tupleKey(o, itemCollations);
          if (seen.has(k)) return true;
          seen.add(k);
        }
        out.push(o);
        if (orderExprs.length) {
          const kv = new Array<Value>(orderExprs.length);
          for (let i = 0; i < orderExprs.length; i++) kv[i] = orderExprs[i]!.eval(r, rt);
          keys.push(kv);
        }
        return stopAt < 0 || out.length < stopAt;
      };

      if (!grouped) {
        if (!tree) {
          let pass = true;
          for (const f of topFilters) if (!truthy(f.eval(row, rt))) pass = false;
          if (pass) emit(row);
        } else {
          runTree(tree, st, () => {
            for (let i = 0; i < topFilters.length; i++) if (!truthy(topFilters[i]!.eval(row, rt))) return true;
            return emit(row);
          });
        }
      } else {
        const groups = new Map<string, { rep: Row; aggs: AggState[] }>();
        const order: { rep: Row; aggs: AggState[] }[] = [];
        const nGroup = groupExprs.length;
        const groupCollations = groupExprs.map((g) => g.type.collation);
        const gv = new Array<Value>(nGroup);
        const levels: Map<string, { rep: Row; aggs: AggState[] }>[] = rollup ? groupExprs.map(() => new Map()) : [];
        const accumulate = () => {
          for (let i = 0; i < topFilters.length; i++) if (!truthy(topFilters[i]!.eval(row, rt))) return true;
          for (let i = 0; i < nGroup; i++) gv[i] = groupExprs[i]!.eval(row, rt);
          const k = nGroup ? tupleKey(gv, groupCollations) : '';
          let g = groups.get(k);
          if (!g) {
            g = { rep: row.slice(), aggs: aggSpecs.map((a) => createAggState(a, groupConcatMaxLen)) };
            groups.set(k, g);
            order.push(g);
          }
          for (const a of g.aggs) a.add(row, rt);
          if (rollup) {
            for (let l = 0; l < nGroup; l++) {
              const pk = tupleKey(gv.slice(0, l), groupCollations);
              let p = levels[l]!.get(pk);
              if (!p) levels[l]!.set(pk, (p = { rep: row.slice(), aggs: aggSpecs.map((a) => createAggState(a, groupConcatMaxLen)) }));
              for (const a of p.aggs) a.add(row, rt);
            }
          }
          return true;
        };
        if (!tree) accumulate();
        else runTree(tree, st, accumulate);
        if (order.length === 0 && nGroup === 0) {
          // Aggregates over no rows still produce one row (COUNT 0, others NULL).
          const rep = new Array<Value>(width).fill(null);
          for (const r of outerRefs) rep[r.innerSlot] = outerRow[r.outerSlot] ?? null;
          order.push({ rep, aggs: aggSpecs.map((a) => createAggState(a, groupConcatMaxLen)) });
        }
        if (nGroup > 0 && (orderExprs.length === 0 || rollup)) {
          // MySQL 8.0 no longer sorts by GROUP BY implicitly, but grouping by an index returns
          // groups in key order; sort by the group key for stable, predictable output.
          const gk = order.map((g) => groupExprs.map((e) => e.eval(g.rep, rt)));
          const idx = order.map((_, i) => i);
          idx.sort((a, b) => {
            for (let i = 0; i < nGroup; i++) {
              const cmp = compareValues(gk[a]![i]!, gk[b]![i]!, groupCollations[i]);
              if (cmp !== 0) return cmp;
            }
            return 0;
          });
          const sorted = idx.map((i) => order[i]!);
          order.length = 0;
          order.push(...sorted);
        }
        const keyOf = rollup ? order.map((g) => groupExprs.map((e) => e.eval(g.rep, rt))) : [];
        for (let gi = 0; gi < order.length; gi++) {
          const g = order[gi]!;
          const r = g.rep;
          for (let i = 0; i < aggSpecs.length; i++) r[aggSpecs[i]!.slot] = g.aggs[i]!.result(rt);
          emit(r);
          if (!rollup) continue;
          // Super-aggregate rows for every prefix that ends with this group.
          const cur = keyOf[gi]!;
          const next = keyOf[gi + 1];
          for (let l = nGroup - 1; l >= 0; l--) {
            if (next && tupleKey(next.slice(0, l), groupCollations) === tupleKey(cur.slice(0, l), groupCollations)) break;
            const p = levels[l]!.get(tupleKey(cur.slice(0, l), groupCollations));
            if (!p) continue;
            const rr = p.rep.slice();
            const nulled = new Set<number>();
            for (let j = l; j < nGroup; j++) {
              const sl = rollupSlots[j];
              if (sl !== null && sl !== undefined) rr[sl] = null;
              for (const it of rollupItems[j]!) nulled.add(it);
            }
            for (let i = 0; i < aggSpecs.length; i++) rr[aggSpecs[i]!.slot] = p.aggs[i]!.result(rt);
            emit(rr, nulled);
          }
        }
      }

      if (hasWindows) {
        computeWindows(winSpecs, pending.map((p) => p.r), rt, groupConcatMaxLen);
        windowPass = true;
        for (const p of pending) emit(p.r, p.nulled);
      }
      let rows = out;
      if (orderExprs.length) rows = sortRows(rows, keys, orderDesc, orderCollations);
      lastFound = rows.length;
      if (offset > 0 || count >= 0) rows = rows.slice(offset, count >= 0 ? offset + count : undefined);
      void session;
      return rows;
    };

    const compiled: CompiledQuery = { columns, run, correlated };
    compiled.explain = (rt: Runtime): ExplainRow[] => {
      const extras: string[] = [];
      if (grouped && groupExprs.length) extras.push('Using temporary');
      if (orderExprs.length) extras.push('Using filesort');
      if (!tree) return [{ table: null, type: null, possibleKeys: null, key: null, keyLen: null, ref: null, rows: null, extra: c.where ? 'Impossible WHERE' : 'No tables used' }];
      return leavesOf(tree).map((leaf, i) => {
        const src = leaf.src;
        const a = leaf.access;
        const opened = src.opened;
        let rows: number | null = null;
        if (opened?.kind === 'base') {
          try {
            rows = opened.handler.stats(sessionOf(rt).engineContext(opened.def.engine)).rows;
          } catch {
            rows = null;
          }
        }
        const filtered = leaf.filters.length > 0 || (i === leavesOf(tree).length - 1 && topFilters.length > 0);
        const ex = [filtered ? 'Using where' : null, ...(i === 0 ? extras : [])].filter((x): x is string => x !== null);
        if (!a) return { table: src.alias, type: 'ALL', possibleKeys: null, key: null, keyLen: null, ref: null, rows, extra: ex.length ? ex.join('; ') : null };
        const unique = (a.index.kind === 'PRIMARY' || a.index.kind === 'UNIQUE') && a.eq.length === a.index.parts.length;
        const constant = a.eq.every((e) => e.constant);
        // Conditions fully answered by a unique lookup leave nothing to filter.
        if (unique && !a.inList && !a.low && !a.high && leaf.filters.length <= a.eq.length && ex[0] === 'Using where') ex.shift();
        const type = a.inList || a.low || a.high ? 'range' : unique ? (constant && leavesOf(tree).length === 1 ? 'const' : 'eq_ref') : 'ref';
        const parts = a.inList ? 1 : a.eq.length + (a.low || a.high ? 1 : 0);
        return {
          table: src.alias,
          type,
          possibleKeys: a.index.name,
          key: a.index.name,
          keyLen: src.tableDef ? keyLength(src, a.index, parts) : null,
          ref: type === 'range' ? null : a.eq.map((e) => (e.constant ? 'const' : 'func')).join(','),
          rows: unique && type !== 'range' ? 1 : rows,
          extra: ex.length ? ex.join('; ') : null,
        };
      });
    };
    if (calcFound) compiled.foundRows = () => lastFound;
    else compiled.foundRows = () => lastFound;
    if (asyncItems) compiled.hasAsync = true;
    return compiled;
  }

  /**
   * The FROM/WHERE part of an UPDATE or DELETE: a scope over the tables and a runner that calls
   * back for each qualifying combination with the row buffer and the current row references.
   */
  compileScan(from: TableRef[], where: Expr | undefined): {
    scope: Scope;
    sources: Source[];
    /** Whether some table is read through an index (sql_safe_updates). */
    keyUsed: boolean;
    run(rt: Runtime, cb: (st: ExecState) => boolean): void;
  } {
    const sources: Source[] = [];
    const tree = this.buildFrom(from, sources, null);
    const scope: Scope = new Scope(sources, null, { subquery: (sc, e) => this.compileSubquery(sc, e) }, this.session.schema);
    scope.sqlMode = this.session.sqlMode();
    if (tree) this.compileOn(tree, scope);
    scope.clause = 'where clause';
    const allInner = tree ? isAllInner(tree) : true;
    const topFilters: CompiledExpr[] = [];
    for (const w of splitConjuncts(where, [])) {
      if (containsAggregate(w)) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
      scope.touched = new Set();
      const ce = compileExpr(w, scope);
      const deps = scope.touched;
      scope.touched = null;
      const leaf = tree && !deps.has(-1) ? deepestLeaf(tree, deps) : null;
      if (leaf) {
        leaf.candidates.push({ expr: w, deps });
        if (allInner) {
          leaf.filters.push(ce);
          continue;
        }
      }
      topFilters.push(ce);
    }
    if (tree) this.planAccess(tree, scope, new Set());
    return {
      scope,
      sources,
      keyUsed: tree ? leavesOf(tree).some((l) => l.access !== null) : false,
      run: (rt, cb) => {
        const row: Row = new Array<Value>(scope.width).fill(null);
        const st: ExecState = { row, refs: new Array(sources.length).fill(null), rt, ctxs: new Array(sources.length).fill(null), counter: 0 };
        if (!tree) return;
        runTree(tree, st, () => {
          for (let i = 0; i < topFilters.length; i++) if (!truthy(topFilters[i]!.eval(row, rt))) return true;
          return cb(st);
        });
      },
    };
  }

  /** `VALUES ROW(...), ROW(...)` as a query. */
  private compileValues(c: SelectCore, outer: Scope | null): CompiledQuery {
    const rowsAst = c.valuesRows!;
    const scope = new Scope([], outer, { subquery: (sc, e) => this.compileSubquery(sc, e) }, this.session.schema);
    const compiled = rowsAst.map((r) => r.map((e) => compileExpr(e, scope)));
    const n = compiled[0]?.length ?? 0;
    for (const r of compiled) if (r.length !== n) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', 1);
    const columns: OutColumn[] = [];
    for (let i = 0; i < n; i++) {
      let t = compiled[0]![i]!.type;
      for (const r of compiled) t = mergeTypes(t, r[i]!.type);
      columns.push({ name: `column_${i}`, type: t });
    }
    const order = this.compileResultOrder(c.orderBy, columns);
    const limit = this.compileLimit(c.limit);
    return {
      columns,
      correlated: scope.outerRefs.length > 0,
      run: (outerRow, rt) => {
        const buf: Row = new Array<Value>(scope.width).fill(null);
        for (const r of scope.outerRefs) buf[r.innerSlot] = outerRow[r.outerSlot] ?? null;
        let rows = compiled.map((r) => r.map((e) => e.eval(buf, rt)));
        if (order) sortRows(rows, order.keys(rows, rt), order.desc, order.collations);
        const off = limit ? (limit.offset ? limitValue(limit.offset, rt) : 0) : 0;
        const cnt = limit ? limitValue(limit.count, rt) : -1;
        if (off > 0 || cnt >= 0) rows = rows.slice(off, cnt >= 0 ? off + cnt : undefined);
        return rows;
      },
    };
  }

  private compileOn(node: TreeNode, scope: Scope): void {
    if (node.kind === 'leaf') return;
    this.compileOn(node.left, scope);
    this.compileOn(node.right, scope);
    if (node.onAst) {
      scope.clause = 'on clause';
      if (containsAggregate(node.onAst)) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
      const conj = splitConjuncts(node.onAst, []);
      const rightLeaves = leavesOf(node.right);
      const safe = new Set(safeLeavesOf(node.right));
      const rest: CompiledExpr[] = [];
      for (const c of conj) {
        scope.touched = new Set();
        const ce = compileExpr(c, scope);
        const deps = scope.touched;
        scope.touched = null;
        // A condition that only needs the inner side's last table (and earlier ones) can narrow its reads.
        const rightIdx = new Set(rightLeaves.map((l) => l.src.index));
        const innerDeps = new Set([...deps].filter((d) => rightIdx.has(d)));
        const leaf = deps.has(-1) ? null : deepestLeafIn(rightLeaves, innerDeps);
        if (leaf) {
          leaf.candidates.push({ expr: c, deps });
          // Filtering that table's rows early is equivalent to checking the condition here only
          // when no nested outer join lies between (it would NULL-extend the filtered rows).
          if (safe.has(leaf)) {
            leaf.filters.push(ce);
            continue;
          }
        }
        rest.push(ce);
      }
      if (rest.length === 1) node.on = rest[0]!;
      else if (rest.length > 1) {
        const list = rest;
        node.on = { eval: (row, rt) => (list.every((x) => truthy(x.eval(row, rt))) ? 1n : 0n), type: { kind: 'int', length: 1, decimals: 0, nullable: true } };
      }
    }
  }

  /** Pick an index read for each table from equality / range conditions on an index prefix. */
  private planAccess(node: TreeNode, scope: Scope, bound: Set<number>): void {
    if (node.kind === 'join') {
      this.planAccess(node.left, scope, bound);
      this.planAccess(node.right, scope, bound);
      return;
    }
    const src = node.src;
    const available = new Set(bound);
    bound.add(src.index);
    const opened = src.opened;
    if (!opened || opened.kind !== 'base' || !opened.engine.capabilities.indexes) return;
    const def = opened.def;
    // Candidate conditions: column-of-this-table op expression-of-bound-tables.
    interface Cond { col: number; op: string; other: Expr }
    const conds: Cond[] = [];
    for (const cand of node.candidates) {
      const e = cand.expr;
      const pushCmp = (l: Expr, r: Expr, op: string) => {
        if (l.type !== 'column' || l.name === '*') return;
        const hit = scope.lookup(l);
        if (!hit || hit === 'ambiguous' || !('source' in hit) || hit.source !== src) return;
        const col = hit.slot - src.base;
        if (!this.dependsOnlyOn(r, scope, available)) return;
        conds.push({ col, op, other: r });
      };
      if (e.type === 'binary' && !e.quantifier && ['=', '<', '<=', '>', '>='].includes(e.op)) {
        const flip: Record<string, string> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
        const op = e.op;
        pushCmp(e.left, e.right, op);
        pushCmp(e.right, e.left, flip[e.op]!);
      } else if (e.type === 'between' && !e.not) {
        pushCmp(e.expr, e.low, '>=');
        pushCmp(e.expr, e.high, '<=');
      }
    }
    // `col IN (constants)` over a one-column index: one equality read per distinct value.
    const inCands: { col: number; list: Expr[] }[] = [];
    for (const cand of node.candidates) {
      const e = cand.expr;
      if (e.type !== 'in' || e.not || !e.list || e.expr.type !== 'column') continue;
      const hit = scope.lookup(e.expr);
      if (!hit || hit === 'ambiguous' || !('source' in hit) || hit.source !== src) continue;
      if (!e.list.every((x) => this.dependsOnlyOn(x, scope, available))) continue;
      inCands.push({ col: hit.slot - src.base, list: e.list });
    }
    if (conds.length === 0 && inCands.length === 0) return;
    if (conds.length === 0) {
      for (const ic of inCands) {
        const ix = def.indexes.find(
          (x) => (x.visible || x.kind === 'PRIMARY') && x.parts[0]?.column === ic.col && x.parts[0]?.length === undefined && (x.parts.length === 1 || x.algorithm === 'BTREE'),
        );
        if (!ix) continue;
        const saved = scope.clause;
        node.access = { index: ix, eq: [], keyTypes: [src.columns[ic.col]!.type], inList: ic.list.map((x) => compileExpr(x, scope)) };
        scope.clause = saved;
        return;
      }
      return;
    }
    let best: { ix: IndexDef; eqCount: number; range: boolean; score: number } | null = null;
    for (const ix of def.indexes) {
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
    if (!best) return;
    const ix = best.ix;
    const eq: CompiledExpr[] = [];
    const keyTypes: ExprType[] = [];
    const saved = scope.clause;
    for (let i = 0; i < best.eqCount; i++) {
      const col = ix.parts[i]!.column;
      const c = conds.find((x) => x.col === col && x.op === '=')!;
      eq.push(compileExpr(c.other, scope));
      keyTypes.push(src.columns[col]!.type);
    }
    const access: AccessPath = { index: ix, eq, keyTypes };
    if (best.range) {
      const col = ix.parts[best.eqCount]!.column;
      keyTypes.push(src.columns[col]!.type);
      for (const c of conds) {
        if (c.col !== col || c.op === '=') continue;
        const ce = compileExpr(c.other, scope);
        if ((c.op === '>' || c.op === '>=') && !access.low) access.low = { expr: ce, inclusive: c.op === '>=' };
        if ((c.op === '<' || c.op === '<=') && !access.high) access.high = { expr: ce, inclusive: c.op === '<=' };
      }
    }
    scope.clause = saved;
    node.access = access;
  }

  /** Whether an expression reads only constants, parameters, outer references and `available` tables. */
  private dependsOnlyOn(e: Expr, scope: Scope, available: Set<number>): boolean {
    let ok = true;
    walkExpr(e, (x) => {
      if (!ok) return false;
      switch (x.type) {
        case 'column': {
          const r = scope.lookup(x);
          if (r === null) {
            ok = false; // maybe an outer reference; keep it simple
            return false;
          }
          if (r === 'ambiguous' || !('source' in r) || !r.source || !available.has(r.source.index)) ok = false;
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
          if (['RAND', 'UUID', 'SLEEP', 'NOW', 'SYSDATE', 'UUID_SHORT', 'LAST_INSERT_ID', 'GET_LOCK', 'RELEASE_LOCK', 'NEXTVAL'].includes(x.name)) ok = false;
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

  // -------------------------------------------------------------------------------------------
  // Aggregates and subqueries
  // -------------------------------------------------------------------------------------------

  private compileAggregate(scope: Scope, call: AggregateCall, specs: AggSpec[], grouped: boolean): { slot: number; type: ExprType } {
    if (call.over) throw sqlError('ER_NOT_SUPPORTED_YET', 'window functions');
    if (!grouped || scope.insideAggregate > 0 || scope.clause === 'where clause' || scope.clause === 'on clause' || scope.clause === 'group statement') {
      throw sqlError('ER_INVALID_GROUP_FUNC_USE');
    }
    scope.insideAggregate++;
    const savedMode = scope.aliasMode;
    scope.aliasMode = 'none';
    let args: CompiledExpr[];
    let order: { expr: CompiledExpr; desc: boolean }[];
    try {
      args = call.args.map((a) => compileExpr(a, scope));
      order = (call.orderBy ?? []).map((o) => ({ expr: compileExpr(o.expr, scope), desc: o.desc }));
    } finally {
      scope.insideAggregate--;
      scope.aliasMode = savedMode;
    }
    if ((call.name === 'COUNT' && !call.star && args.length === 0) || (call.name !== 'COUNT' && call.name !== 'GROUP_CONCAT' && call.name !== 'JSON_OBJECTAGG' && args.length !== 1)) {
      if (!(call.name === 'COUNT' && call.distinct)) throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', call.name, 1);
    }
    const type = aggregateType(call, args[0]?.type, this.env.groupConcatMaxLen);
    const slot = scope.alloc();
    specs.push({ call, args, order, slot, type });
    return { slot, type };
  }

  private compileWindow(scope: Scope, call: WindowFuncCall | AggregateCall, core: SelectCore, specs: WindowSpec[]): { slot: number; type: ExprType } {
    let spec = call.over!;
    if (spec.name !== undefined) {
      const named = core.windows?.find((w) => w.name.toLowerCase() === spec.name!.toLowerCase());
      if (!named) throw sqlError('ER_WINDOW_NO_SUCH_WINDOW', spec.name);
      spec = { ...named.spec, ...Object.fromEntries(Object.entries(spec).filter(([k, v]) => k !== 'name' && v !== undefined)) };
    }
    const savedClause = scope.clause;
    const savedMode = scope.aliasMode;
    scope.aliasMode = 'none';
    let partition: CompiledExpr[];
    let order: { expr: CompiledExpr; desc: boolean }[];
    let args: CompiledExpr[];
    try {
      scope.clause = 'field list';
      partition = (spec.partitionBy ?? []).map((e) => compileExpr(e, scope));
      order = (spec.orderBy ?? []).map((o) => ({ expr: compileExpr(o.expr, scope), desc: o.desc }));
      scope.insideAggregate++;
      try {
        args = call.args.map((a) => compileExpr(a, scope));
      } finally {
        scope.insideAggregate--;
      }
    } finally {
      scope.clause = savedClause;
      scope.aliasMode = savedMode;
    }
    const slot = scope.alloc();
    let type: ExprType;
    const w: WindowSpec = { call, slot, type: { kind: 'null', length: 0, decimals: 0, nullable: true }, partition, order, args };
    if (call.type === 'aggregate') {
      type = aggregateType(call, args[0]?.type, this.env.groupConcatMaxLen);
      w.agg = { call, args, order: [], slot, type };
    } else type = windowType(call.name, args);
    w.type = type;
    specs.push(w);
    return { slot, type };
  }

  compileSubquery(scope: Scope, e: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr {
    const stmt = e.type === 'subquery' ? e.query : e.type === 'exists' ? e.subquery : e.subquery!;
    if (e.type === 'in') rejectLimitInQuantified(stmt);
    const q = this.compileSelect(stmt, scope);
    const cache = new WeakMap<Runtime, Row[]>();
    const rowsOf = (row: Row, rt: Runtime, limit?: number): Row[] => {
      if (q.correlated) return q.run(row, rt, limit);
      let r = cache.get(rt);
      if (!r) cache.set(rt, (r = q.run(row, rt)));
      return r;
    };
    const intType: ExprType = { kind: 'int', length: 1, decimals: 0, nullable: false };
    if (e.type === 'exists') {
      const not = e.not;
      return { eval: (row, rt) => ((rowsOf(row, rt, 1).length > 0) !== not ? 1n : 0n), type: intType };
    }
    if (e.type === 'subquery') {
      if (q.columns.length !== 1) {
        // A row subquery: only meaningful in row comparisons, which the evaluator handles via RowExpr.
        throw sqlError('ER_OPERAND_COLUMNS', 1);
      }
      return {
        eval: (row, rt) => {
          const rows = rowsOf(row, rt, 2);
          if (rows.length > 1) throw sqlError('ER_SUBQUERY_NO_1_ROW');
          return rows.length ? rows[0]![0]! : null;
        },
        type: { ...q.columns[0]!.type, nullable: true },
      };
    }
    // IN (SELECT ...)
    const leftExprs = e.expr.type === 'row' ? e.expr.items.map((x) => compileExpr(x, scope)) : [compileExpr(e.expr, scope)];
    if (leftExprs.length !== q.columns.length) throw sqlError('ER_OPERAND_COLUMNS', leftExprs.length);
    const not = e.not;
    const colls = q.columns.map((c, i) => c.type.collation ?? leftExprs[i]!.type.collation);
    const n = leftExprs.length;
    return {
      eval: (row, rt) => {
        const rows = rowsOf(row, rt);
        if (rows.length === 0) return not ? 1n : 0n;
        const lv = leftExprs.map((x) => x.eval(row, rt));
        let sawNull = lv.some((v) => v === null);
        if (!sawNull) {
          for (const r of rows) {
            let eq = true;
            let rowNull = false;
            for (let i = 0; i < n; i++) {
              const rv = r[i]!;
              if (rv === null) {
                rowNull = true;
                eq = false;
                continue;
              }
              if (compareValues(lv[i]!, rv, colls[i]) !== 0) {
                eq = false;
                break;
              }
            }
            if (eq && !rowNull) return not ? 0n : 1n;
            if (rowNull) sawNull = true;
          }
        }
        if (sawNull) return null;
        return not ? 1n : 0n;
      },
      type: { ...intType, nullable: true },
    };
  }
}

/** A copy of a view's query whose unqualified table names are qualified with `schema`. */
function qualify(stmt: SelectStatement, schema: string): SelectStatement {
  const clone = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) return v.map(clone);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = clone(x);
    return o;
  };
  const copy = clone(stmt) as SelectStatement;
  const ctes = new Set((copy.with?.ctes ?? []).map((c) => c.name.toLowerCase()));
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const o = n as Record<string, unknown>;
    if (o.type === 'table' && o.table && typeof o.table === 'object') {
      const t = o.table as { schema?: string; name: string };
      if (t.schema === undefined && !ctes.has(t.name.toLowerCase())) t.schema = schema;
    }
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(copy);
  return copy;
}

/** Derived tables and CTEs need distinct column names (1060). */
function checkDistinctNames(names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) throw sqlError('ER_DUP_FIELDNAME', n);
    seen.add(k);
  }
}

function exprName(e: Expr): string {
  if (e.type === 'aggregate') return e.name;
  return e.type;
}

function noteGroupColumn(e: Expr, scope: Scope, slots: Set<number>): void {
  if (e.type !== 'column') return;
  const r = scope.lookup(e);
  if (r && r !== 'ambiguous') slots.add(r.slot);
}

/** A select-list expression that is itself one of the GROUP BY expressions (compared structurally). */
function isGroupExpr(e: Expr, groupBy: Expr[] | undefined): boolean {
  if (!groupBy) return false;
  const s = JSON.stringify(e);
  return groupBy.some((g) => JSON.stringify(g) === s);
}

function isAllInner(n: TreeNode): boolean {
  if (n.kind === 'leaf') return true;
  return !n.outer && isAllInner(n.left) && isAllInner(n.right);
}

/** Leaves not on the inner side of an outer join inside `n`. */
function safeLeavesOf(n: TreeNode): Leaf[] {
  if (n.kind === 'leaf') return [n];
  return n.outer ? safeLeavesOf(n.left) : [...safeLeavesOf(n.left), ...safeLeavesOf(n.right)];
}

function leavesOf(n: TreeNode): Leaf[] {
  if (n.kind === 'leaf') return [n];
  return [...leavesOf(n.left), ...leavesOf(n.right)];
}

/** Execution order of leaves (left before right). */
function deepestLeaf(tree: TreeNode, deps: Set<number>): Leaf | null {
  return deepestLeafIn(leavesOf(tree), deps);
}

function deepestLeafIn(leaves: Leaf[], deps: Set<number>): Leaf | null {
  if (leaves.length === 0) return null;
  if (deps.size === 0) return leaves[0]!;
  // The first leaf (in execution order) after which every dependency is bound.
  const need = new Set(deps);
  for (const l of leaves) {
    need.delete(l.src.index);
    if (need.size === 0) return l;
  }
  return null;
}

function sortRows(rows: Row[], keys: Value[][], desc: boolean[], collations: (string | undefined)[]): Row[] {
  const idx = rows.map((_, i) => i);
  const n = desc.length;
  idx.sort((a, b) => {
    const ka = keys[a]!;
    const kb = keys[b]!;
    for (let i = 0; i < n; i++) {
      const c = compareValues(ka[i]!, kb[i]!, collations[i]);
      if (c !== 0) return desc[i] ? -c : c;
    }
    return a - b;
  });
  const out = idx.map((i) => rows[i]!);
  for (let i = 0; i < out.length; i++) rows[i] = out[i]!;
  return rows;
}

function dedupe(rows: Row[], collations: (string | undefined)[]): Row[] {
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const r of rows) {
    const k = tupleKey(r, collations);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running the join tree
// ---------------------------------------------------------------------------------------------

/** The executor's runtimes carry their session (see makeRuntime). */
export function sessionOf(rt: Runtime): Session {
  return (rt as Runtime & { session: Session }).session;
}

function engineCtx(st: ExecState, src: Source): EngineContext {
  let c = st.ctxs[src.index];
  if (!c) {
    const opened = src.opened!;
    c = sessionOf(st.rt).engineContext(opened.def.engine);
    st.ctxs[src.index] = c;
  }
  return c;
}

/** Candidate rows for a leaf: index read when its key is computable, else a scan. */
function leafRows(leaf: Leaf, st: ExecState): Iterable<RowRef> | Iterable<Row> | null {
  const src = leaf.src;
  const opened = src.opened;
  if (src.produce) return src.produce(st.row, st.rt);
  if (!opened) return null;
  if (opened.kind === 'virtual') {
    return opened.table.rows(virtualCtx(sessionOf(st.rt)));
  }
  if (opened.kind !== 'base') return null;
  const ctx = engineCtx(st, src);
  const a = leaf.access;
  if (a?.inList) {
    const t = a.keyTypes[0]!;
    const seen = new Set<string>();
    const keys: Value[] = [];
    let possible = true;
    for (const e of a.inList) {
      const v = keyValueFor(e.eval(st.row, st.rt), t);
      if (v === null) continue;
      if (v === undefined) {
        possible = false;
        break;
      }
      const k = valueKey(v, t.collation);
      if (seen.has(k)) continue;
      seen.add(k);
      keys.push(v);
    }
    if (possible) return inListReads(opened.handler, ctx, a.index.name, keys);
    return cursorRows(opened.handler.scan(ctx, READ_OPTIONS));
  }
  if (a) {
    const key: Value[] = [];
    let possible = true;
    for (let i = 0; i < a.eq.length; i++) {
      const v = keyValueFor(a.eq[i]!.eval(st.row, st.rt), a.keyTypes[i]!);
      if (v === undefined) {
        possible = false;
        break;
      }
      if (v === null) return [];
      key.push(v);
    }
    if (possible) {
      if (!a.low && !a.high) return cursorRows(opened.handler.indexRead(ctx, a.index.name, { kind: 'eq', key }, READ_OPTIONS));
      const t = a.keyTypes[a.eq.length]!;
      const read: Extract<IndexRead, { kind: 'range' }> = { kind: 'range' };
      let ok = true;
      if (a.low) {
        const v = keyValueFor(a.low.expr.eval(st.row, st.rt), t);
        if (v === null) return [];
        if (v === undefined) ok = false;
        else read.low = { key: [...key, v], inclusive: a.low.inclusive };
      } else if (key.length) read.low = { key, inclusive: true };
      if (a.high) {
        const v = keyValueFor(a.high.expr.eval(st.row, st.rt), t);
        if (v === null) return [];
        if (v === undefined) ok = false;
        else read.high = { key: [...key, v], inclusive: a.high.inclusive };
      } else if (key.length) read.high = { key, inclusive: true };
      if (ok && a.index.algorithm === 'HASH') return hashRange(opened.handler, ctx, a.index.name, read, key);
      if (ok) return cursorRows(opened.handler.indexRead(ctx, a.index.name, read, READ_OPTIONS));
      if (key.length) return cursorRows(opened.handler.indexRead(ctx, a.index.name, { kind: 'eq', key }, READ_OPTIONS));
    }
  }
  return cursorRows(opened.handler.scan(ctx, READ_OPTIONS));
}

/** Plain reads: consistent, and the synchronous executor cannot wait. */
const READ_OPTIONS: CursorOptions = { lock: 'consistent', canWait: false };

/** The rows of a cursor, read in batches; engines answer this executor synchronously. */
function* cursorRows(cursor: RowCursor): Iterable<RowRef> {
  const batch: RowRef[] = [];
  try {
    for (;;) {
      batch.length = 0;
      const n = cursor.fill(batch, 64);
      if (typeof n !== 'number') throw new Error('storage engine returned a promise to a cursor that cannot wait');
      if (n === 0) return;
      yield* batch;
    }
  } finally {
    cursor.close();
  }
}

/** Largest integer range a HASH index answers by equality reads instead of a scan. */
const HASH_RANGE_MAX = 4096;

function hasBothBounds(conds: { col: number; op: string }[], col: number): boolean {
  return conds.some((c) => c.col === col && (c.op === '>' || c.op === '>=')) && conds.some((c) => c.col === col && (c.op === '<' || c.op === '<='));
}

/** An integer range over a HASH index as a run of equality reads (or a scan when too wide). */
function* hashRange(
  handler: import('../../storage/handler.js').TableHandler,
  ctx: EngineContext,
  index: string,
  read: Extract<IndexRead, { kind: 'range' }>,
  prefix: Value[],
): Iterable<RowRef> {
  const lo = read.low?.key[prefix.length];
  const hi = read.high?.key[prefix.length];
  if (typeof lo !== 'bigint' || typeof hi !== 'bigint' || hi - lo > BigInt(HASH_RANGE_MAX)) {
    yield* cursorRows(handler.scan(ctx, READ_OPTIONS));
    return;
  }
  const from = read.low!.inclusive ? lo : lo + 1n;
  const to = read.high!.inclusive ? hi : hi - 1n;
  for (let k = from; k <= to; k++) yield* cursorRows(handler.indexRead(ctx, index, { kind: 'eq', key: [...prefix, k] }, READ_OPTIONS));
}

function* inListReads(handler: import('../../storage/handler.js').TableHandler, ctx: EngineContext, index: string, keys: Value[]): Iterable<RowRef> {
  for (const k of keys) yield* cursorRows(handler.indexRead(ctx, index, { kind: 'eq', key: [k] }, READ_OPTIONS));
}

export function virtualCtx(session: Session) {
  return {
    connectionId: session.connectionId,
    user: session.user,
    host: session.host,
    schema: session.schema,
    sessionVar: (n: string) => session.sysvar(n),
    canSee: (schema: string, table?: string) => {
      const acc = session.deps.accounts as { securityContext?: (s: Session) => SecurityContext };
      if (!acc.securityContext) return true;
      const ctx = acc.securityContext(session);
      return table === undefined ? canSeeSchema(ctx, schema) : canSeeTable(ctx, schema, table);
    },
  };
}

function runLeaf(leaf: Leaf, st: ExecState, cb: () => boolean): boolean {
  const rows = leafRows(leaf, st);
  if (rows === null) return true;
  const src = leaf.src;
  const base = src.base;
  const n = src.columns.length;
  const row = st.row;
  const filters = leaf.filters;
  const nf = filters.length;
  const rt = st.rt;
  const isRef = !!src.opened && src.opened.kind === 'base';
  for (const item of rows as Iterable<RowRef | Row>) {
    if ((++st.counter & (INTERRUPT_CHECK_INTERVAL - 1)) === 0 && rt.isInterrupted()) throw sqlError('ER_QUERY_INTERRUPTED');
    let values: Row;
    if (isRef) {
      const ref = item as RowRef;
      values = ref.row;
      st.refs[src.index] = ref;
    } else values = item as Row;
    for (let i = 0; i < n; i++) row[base + i] = values[i] ?? null;
    let pass = true;
    for (let i = 0; i < nf; i++) {
      if (!truthy(filters[i]!.eval(row, rt))) {
        pass = false;
        break;
      }
    }
    if (!pass) continue;
    if (!cb()) return false;
  }
  return true;
}

function nullExtend(sources: Source[], st: ExecState): void {
  for (const s of sources) {
    for (let i = 0; i < s.columns.length; i++) st.row[s.base + i] = null;
    st.refs[s.index] = null;
  }
}

export function runTree(node: TreeNode, st: ExecState, cb: () => boolean): boolean {
  if (node.kind === 'leaf') return runLeaf(node, st, cb);
  const on = node.on;
  if (!node.outer) {
    return runTree(node.left, st, () =>
      runTree(node.right, st, () => {
        if (on && !truthy(on.eval(st.row, st.rt))) return true;
        return cb();
      }),
    );
  }
  return runTree(node.left, st, () => {
    let matched = false;
    const cont = runTree(node.right, st, () => {
      if (on && !truthy(on.eval(st.row, st.rt))) return true;
      matched = true;
      return cb();
    });
    if (!cont) return false;
    if (!matched) {
      nullExtend(node.rightSources, st);
      return cb();
    }
    return true;
  });
}

/** Result-set metadata of compiled columns. */
export function resultColumns(cols: OutColumn[]): ResultColumn[] {
  return cols.map((c) => resultColumnOf(c.type, c.name, c.origin));
}

export type { TreeNode, Leaf };
export { valueKey };

/**
 * MySQL names an unaliased string-literal column by the string's value (`SELECT 'hello'` is
 * column `hello`, `_utf8mb4'x'` is `x`); numbers, NULL, hex and temporal literals keep their
 * source text. undefined when the expression is not such a literal.
 * @req CORE-EXEC-062
 */
function literalColumnName(e: Expr): string | undefined {
  if (e.type !== 'literal' || e.kind !== 'string') return undefined;
  if (typeof e.value === 'string') return e.value;
  if (Buffer.isBuffer(e.value)) return e.value.toString('latin1');
  return undefined;
}


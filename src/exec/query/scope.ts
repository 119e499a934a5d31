/**
 * Name resolution for one query block: the tables of its FROM clause laid out side by side in
 * one row buffer ("slots"), select-list aliases, aggregates, and references to enclosing
 * query blocks (correlated subqueries). Implements the evaluator's CompileScope.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifier-qualifiers.html
 * @req CORE-EXEC-032
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { AggregateCall, ColumnRef, ExistsExpr, Expr, InExpr, SubqueryExpr, WindowFuncCall } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type ExprType } from '../../sql/eval/index.js';
import { parseExpression } from '../../sql/parser/index.js';
import { implicitDefault } from '../../sql/types/index.js';
import type { OpenedTable } from '../../catalog/catalog-api.js';
import type { DerivedRows, SubqueryShape } from './plan/types.js';
import type { JsonTablePlan } from './json-table.js';

/** The pseudo-column that names the row-id key. @req CORE-DET-004 */
const ROWID_NAME = '_rowid';
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

/** The column `_rowid` stands for in `def`, if any. @req CORE-DET-004 */
export function rowidColumn(def: TableDef): string | undefined {
  const single = (k: TableDef['indexes'][number]): string | undefined => {
    if (k.parts.length !== 1 || k.parts[0]!.length !== undefined) return undefined;
    const c = def.columns[k.parts[0]!.column];
    return c && INTEGER_TYPES.has(c.type.name) && !c.nullable ? c.name : undefined;
  };
  const pk = def.indexes.find((k) => k.kind === 'PRIMARY');
  if (pk) return single(pk);
  const uk = def.indexes.find((k) => k.kind === 'UNIQUE' && k.parts.every((p) => def.columns[p.column] && !def.columns[p.column]!.nullable));
  return uk ? single(uk) : undefined;
}

export interface SourceColumn {
  name: string;
  type: ExprType;
  def?: ColumnDef;
}

/** One table of a FROM clause. */
export interface Source {
  index: number;
  /** Name the query uses for it (alias or table name). */
  alias: string;
  schema: string;
  orgTable: string;
  columns: SourceColumn[];
  /** First slot of this table's columns in the row buffer. */
  base: number;
  tableDef?: TableDef;
  opened?: OpenedTable;
  /** For a derived table, view or CTE: the query whose rows the source reads. */
  derived?: DerivedRows;
  /** For JSON_TABLE: its column layout, row producer and document expression. @req CORE-FN-033 */
  jsonTable?: JsonTablePlan;
  /** Columns hidden from `*` because a USING / NATURAL join merged them into the left table. */
  hidden: Set<number>;
  /** For a column merged by USING/NATURAL: the slot unqualified references use. */
  merged: Map<number, number>;
  /** Inner side of an outer join (its columns may be NULL-extended). */
  nullable: boolean;
  /** Names of the columns the statement reads (column privilege checks). */
  used?: Set<string>;
}

export type Clause = 'field list' | 'where clause' | 'on clause' | 'group statement' | 'having clause' | 'order clause';

export interface AliasSlot {
  name: string;
  slot: number;
  type: ExprType;
  compile: () => void;
  /** Whether the aliased item is the one being compiled or a later one (a forward reference). */
  forward?: () => boolean;
}

export interface ScopeHooks {
  aggregate?(scope: Scope, call: AggregateCall): { slot: number; type: ExprType };
  subquery?(scope: Scope, expr: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr;
  window?(scope: Scope, call: WindowFuncCall | AggregateCall): { slot: number; type: ExprType };
  grouping?(scope: Scope, args: Expr[]): CompiledExpr;
}

/** A pair (slot in the outer row, slot in this block's row) for a correlated reference. */
export interface OuterRef {
  outerSlot: number;
  innerSlot: number;
}

function sameName(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

export class Scope implements CompileScope {
  clause: Clause = 'field list';
  /** Expression subqueries compiled in this block, for EXPLAIN (compile/subquery.ts). */
  readonly subqueries: SubqueryShape[] = [];
  /** Next free slot. */
  width: number;
  readonly outerRefs: OuterRef[] = [];
  /** Aliases of the select list (for HAVING / ORDER BY / GROUP BY references). */
  aliases: AliasSlot[] = [];
  /** Where aliases are tried: before columns (ORDER BY, HAVING), after (GROUP BY), never (WHERE). */
  aliasMode: 'first' | 'last' | 'none' = 'none';
  /** Set by aggregate compilation: column references inside an aggregate's arguments. */
  insideAggregate = 0;
  /** Sources touched since the last reset (dependency analysis for pushdown and access paths). */
  touched: Set<number> | null = null;
  /** Slots of plain columns referenced outside aggregates (ONLY_FULL_GROUP_BY). */
  bareColumns: { slot: number; source: Source; column: SourceColumn }[] | null = null;
  sqlMode?: ReadonlySet<string>;
  /** In HAVING, whether a table column (by slot) may be named outside an aggregate: it must be
   *  a select-list column or a GROUP BY column (set by the block compiler). */
  havingColumnAllowed?: (slot: number) => boolean;
  /** Set while a subquery of this block looks a name up here (outer reference). */
  private fromSubquery = false;

  constructor(
    readonly sources: Source[],
    readonly outer: Scope | null,
    readonly hooks: ScopeHooks,
    readonly schemaName: string | null,
  ) {
    let w = 0;
    for (const s of sources) w = Math.max(w, s.base + s.columns.length);
    this.width = w;
  }

  alloc(): number {
    return this.width++;
  }

  database(): string | null {
    return this.schemaName;
  }

  /** Find a column without side effects other than outer-reference allocation. */
  lookup(ref: ColumnRef): { slot: number; type: ExprType; source?: Source; column?: SourceColumn } | null | 'ambiguous' {
    if (ref.table === undefined && this.aliasMode === 'first') {
      const a = this.findAlias(ref.name);
      if (a) return a;
    }
    let found: { slot: number; type: ExprType; source: Source; column: SourceColumn } | null = null;
    for (const s of this.sources) {
      if (ref.table !== undefined) {
        if (!sameName(s.alias, ref.table)) continue;
        if (ref.schema !== undefined && !sameName(s.schema, ref.schema)) continue;
      }
      for (let i = 0; i < s.columns.length; i++) {
        const c = s.columns[i]!;
        if (!sameName(c.name, ref.name)) continue;
        if (ref.table === undefined && s.hidden.has(i)) continue;
        const slot = ref.table === undefined ? (s.merged.get(i) ?? s.base + i) : s.base + i;
        if (found && found.slot !== slot) return 'ambiguous';
        found = { slot, type: c.type, source: s, column: c };
      }
    }
    if (found) return found;
    if (sameName(ref.name, ROWID_NAME)) {
      const r = this.lookupRowid(ref);
      if (r) return r;
    }
    if (ref.table === undefined && this.aliasMode === 'last') {
      const a = this.findAlias(ref.name);
      if (a) return a;
    }
    return null;
  }

  /** `_rowid` names the table's single-column integer primary key (or the first single-column
   *  integer UNIQUE NOT NULL key, which MySQL promotes when there is none). @req CORE-DET-004 */
  private lookupRowid(ref: ColumnRef): { slot: number; type: ExprType; source: Source; column: SourceColumn } | null | 'ambiguous' {
    let found: { slot: number; type: ExprType; source: Source; column: SourceColumn } | null = null;
    for (const s of this.sources) {
      if (ref.table !== undefined && !sameName(s.alias, ref.table)) continue;
      if (ref.schema !== undefined && !sameName(s.schema, ref.schema)) continue;
      const col = s.tableDef ? rowidColumn(s.tableDef) : undefined;
      if (col === undefined) continue;
      const i = s.columns.findIndex((c) => sameName(c.name, col));
      if (i < 0) continue;
      if (found) return 'ambiguous';
      const c = s.columns[i]!;
      found = { slot: s.base + i, type: c.type, source: s, column: c };
    }
    return found;
  }

  private findAlias(name: string): { slot: number; type: ExprType } | null {
    let hit: AliasSlot | null = null;
    for (const a of this.aliases) {
      if (sameName(a.name, name)) {
        hit = a;
        break;
      }
    }
    if (!hit) return null;
    // From a subquery of the select list, only items before the current one can be named. @req CORE-EXEC-074
    if (this.fromSubquery && hit.forward?.() === true) throw sqlError('ER_ILLEGAL_REFERENCE', name, 'forward reference in item list');
    hit.compile();
    return { slot: hit.slot, type: hit.type };
  }

  /** Resolve through enclosing blocks; allocates an outer-reference slot here. */
  private lookupOuter(ref: ColumnRef): { slot: number; type: ExprType } | null {
    const o = this.outer;
    if (!o) return null;
    const saved = o.aliasMode;
    // A subquery in the select list, GROUP BY, HAVING or ORDER BY of the enclosing block also
    // sees that block's select-list aliases, after its tables' columns; one in WHERE or ON does
    // not (the aliases are not defined yet there). @req CORE-EXEC-074
    o.aliasMode = o.clause === 'where clause' || o.clause === 'on clause' ? 'none' : 'last';
    o.fromSubquery = true;
    let r: ReturnType<Scope['lookup']>;
    try {
      r = o.lookup(ref);
    } finally {
      o.aliasMode = saved;
      o.fromSubquery = false;
    }
    let hit: { slot: number; type: ExprType } | null = null;
    if (r === 'ambiguous') throw sqlError('ER_NON_UNIQ_ERROR', ref.name, this.clause);
    if (r) {
      hit = r;
      // The enclosing block depends on this table now (pushdown must wait for it).
      if ('source' in r && r.source) {
        o.touched?.add(r.source.index);
        if (r.column) r.source.used?.add(r.column.name);
      }
    } else {
      hit = o.lookupOuter(ref);
      if (hit) o.touched?.add(-1);
    }
    if (!hit) return null;
    const existing = this.outerRefs.find((x) => x.outerSlot === hit!.slot);
    if (existing) return { slot: existing.innerSlot, type: hit.type };
    const innerSlot = this.alloc();
    this.outerRefs.push({ outerSlot: hit.slot, innerSlot });
    return { slot: innerSlot, type: hit.type };
  }

  resolveColumn(ref: ColumnRef): { slot: number; type: ExprType } {
    if (ref.name === '*') throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', '*', 1);
    let r = this.lookup(ref);
    if (r === 'ambiguous') throw sqlError('ER_NON_UNIQ_ERROR', ref.name, this.clause);
    // HAVING names the select list and the GROUP BY columns; another column of the FROM tables
    // is only reachable inside an aggregate. @req CORE-EXEC-076
    if (r && this.clause === 'having clause' && this.insideAggregate === 0 && 'source' in r && r.source && this.havingColumnAllowed?.(r.slot) === false) r = null;
    if (r) {
      if ('source' in r && r.source) {
        this.touched?.add(r.source.index);
        if (r.column) r.source.used?.add(r.column.name);
        if (this.insideAggregate === 0 && r.column) this.bareColumns?.push({ slot: r.slot, source: r.source, column: r.column });
      }
      return { slot: r.slot, type: r.type };
    }
    const o = this.lookupOuter(ref);
    if (o) {
      this.touched?.add(-1);
      return o;
    }
    const name = [ref.schema, ref.table, ref.name].filter((x) => x !== undefined).join('.');
    throw sqlError('ER_BAD_FIELD_ERROR', name, this.clause);
  }

  aggregate(call: AggregateCall): { slot: number; type: ExprType } {
    if (!this.hooks.aggregate) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
    return this.hooks.aggregate(this, call);
  }

  window(call: WindowFuncCall | AggregateCall): { slot: number; type: ExprType } {
    if (!this.hooks.window || (this.clause !== 'field list' && this.clause !== 'order clause')) {
      throw sqlError('ER_WINDOW_INVALID_WINDOW_FUNC_USE', call.name.toLowerCase());
    }
    return this.hooks.window(this, call);
  }

  /**
   * DEFAULT(col) in an expression: the column's literal default, its expression default
   * (evaluated per row), NULL for a nullable column without one; a NOT NULL column without a
   * default is 1364 when the statement compiles, as in MySQL. @req CORE-FN-041
   */
  defaultOf(column: string | undefined, table?: string): CompiledExpr {
    if (column === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'DEFAULT here');
    const saved = this.aliasMode;
    this.aliasMode = 'none';
    let r: ReturnType<Scope['lookup']>;
    try {
      r = this.lookup(table !== undefined ? { type: 'column', table, name: column } : { type: 'column', name: column });
    } finally {
      this.aliasMode = saved;
    }
    const shown = table !== undefined ? `${table}.${column}` : column;
    if (r === 'ambiguous') throw sqlError('ER_NON_UNIQ_ERROR', shown, this.clause);
    if (r === null) throw sqlError('ER_BAD_FIELD_ERROR', shown, this.clause);
    const def = r.source?.tableDef;
    const col = def?.columns.find((c) => sameName(c.name, r.column?.name ?? column));
    if (!col) throw sqlError('ER_NOT_SUPPORTED_YET', 'DEFAULT of a column that is not a base table column');
    const type: ExprType = { ...r.type, nullable: true };
    if (col.defaultExpr !== undefined) {
      const expr = compileExpr(parseExpression(col.defaultExpr), { resolveColumn: (ref) => { throw sqlError('ER_BAD_FIELD_ERROR', ref.name, 'field list'); } });
      return { type, eval: (_row, rt) => expr.eval([], rt) };
    }
    if (col.default !== undefined) {
      const v = col.default;
      return { type, constant: true, eval: () => v };
    }
    if (col.nullable) return { type, constant: true, eval: () => null };
    // An AUTO_INCREMENT column's default is its type's zero (MariaDB 10.11 agrees).
    if (!col.autoIncrement) throw sqlError('ER_NO_DEFAULT_FOR_FIELD', col.name);
    const zero = implicitDefault(col);
    return { type, constant: true, eval: () => zero };
  }

  /** GROUPING(...): only where a grouped block's rows are read (select list, HAVING, ORDER BY),
   *  never inside an aggregate's arguments. @req CORE-FN-040 */
  grouping(args: Expr[]): CompiledExpr {
    const c = this.clause;
    if (!this.hooks.grouping || this.insideAggregate > 0 || c === 'where clause' || c === 'on clause' || c === 'group statement') throw sqlError('ER_INVALID_GROUP_FUNC_USE');
    return this.hooks.grouping(this, args);
  }

  subquery(expr: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr {
    if (!this.hooks.subquery) throw sqlError('ER_NOT_SUPPORTED_YET', 'subqueries here');
    return this.hooks.subquery(this, expr);
  }
}

/**
 * The query compiler: turns a parsed SELECT (blocks, set operations, CTEs, derived tables,
 * subqueries) into a plan whose compiled expressions read a row buffer, and whose `run` starts
 * an execution as a generator (src/exec/query/run/). Tables are opened before compilation;
 * compilation is separate from execution so that a prepared statement compiles once.
 *
 * The pieces live in their own modules: FROM and joins (from.ts), CTEs (cte.ts), a query block
 * (block.ts with select-list.ts, group-by.ts, order-by.ts), set operations and VALUES
 * (set-op.ts), aggregates and windows (aggregate.ts), subqueries (subquery.ts), and the row
 * selection of UPDATE and DELETE (dml-scan.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-036 CORE-EXEC-037 CORE-EXEC-040
 */
import type { CommonTableExpr, Expr, ExistsExpr, InExpr, QueryExpr, SelectCore, SelectStatement, SubqueryExpr, TableRef } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import type { CompiledExpr, ExprType, Runtime } from '../../../sql/eval/index.js';
import type { Row } from '../../../kernel/value.js';
import type { OpenedTables } from '../../statement/open-tables.js';
import { collectTablesOfSelect } from '../../statement/statement-tables.js';
import type { Session } from '../../session.js';
import type { Scope, Source } from '../scope.js';
import type { CompiledQuery, TreeNode } from '../plan/types.js';
import { compileBlock } from './block.js';
import { compileDmlScan, type DmlScan } from './dml-scan.js';
import { buildFrom } from './from.js';
import { compileSetOp } from './set-op.js';
import { compileSubquery } from './subquery.js';

export interface CteBinding {
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
  /** How many times the statement names it: a CTE read once may stream. */
  refs: number;
}

export interface CompileEnv {
  session: Session;
  tables: OpenedTables;
  ctes: Map<string, CteBinding>[];
  groupConcatMaxLen: number;
  /** Every stored table source compiled, for column privilege checks. */
  baseSources?: Source[];
  /** Above 0 while compiling a query that may run more than once per statement (an
   *  expression subquery, a LATERAL derived table, the recursive part of a CTE): its derived
   *  tables are materialised once per statement rather than streamed each time. */
  reentrant: number;
}

export class QueryCompiler {
  constructor(readonly env: CompileEnv) {}

  get session(): Session {
    return this.env.session;
  }

  /** Compile a full SELECT statement (WITH + query expression). */
  compileSelect(stmt: SelectStatement, outer: Scope | null): CompiledQuery {
    if (!stmt.with) return this.compileQueryExpr(stmt.query, outer);
    const frame = new Map<string, CteBinding>();
    const named: { schema?: string; name: string }[] = [];
    collectTablesOfSelect(stmt, named);
    for (const c of stmt.with.ctes) {
      const key = c.name.toLowerCase();
      if (frame.has(key)) throw sqlError('ER_NONUNIQ_TABLE', c.name);
      const refs = named.filter((t) => t.schema === undefined && t.name.toLowerCase() === key).length;
      frame.set(key, { def: c, recursive: stmt.with.recursive, cache: new WeakMap(), refs });
    }
    this.env.ctes.push(frame);
    try {
      return this.compileQueryExpr(stmt.query, outer);
    } finally {
      this.env.ctes.pop();
    }
  }

  compileQueryExpr(q: QueryExpr, outer: Scope | null): CompiledQuery {
    if (q.type === 'set_op') return compileSetOp(this, q, outer);
    return this.compileCore(q, outer);
  }

  /** One query block. */
  compileCore(c: SelectCore, outer: Scope | null): CompiledQuery {
    return compileBlock(this, c, outer);
  }

  compileSubquery(scope: Scope, e: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr {
    return compileSubquery(this, scope, e);
  }

  /** The FROM/WHERE part of an UPDATE or DELETE. */
  compileScan(from: TableRef[], where: Expr | undefined): DmlScan {
    return compileDmlScan(this, from, where);
  }

  /** Build sources (slots) and the join tree for a FROM list. */
  buildFrom(from: TableRef[], sources: Source[], outer: Scope | null): TreeNode | null {
    return buildFrom(this, from, sources, outer);
  }

  findCte(name: string): CteBinding | undefined {
    const key = name.toLowerCase();
    for (let i = this.env.ctes.length - 1; i >= 0; i--) {
      const b = this.env.ctes[i]!.get(key);
      if (b) return b;
    }
    return undefined;
  }

  /** Compile a query that may run more than once per statement. */
  reentrantly<T>(f: () => T): T {
    this.env.reentrant++;
    try {
      return f();
    } finally {
      this.env.reentrant--;
    }
  }
}

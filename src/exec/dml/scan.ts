/**
 * The row-selection half of UPDATE and DELETE: open and compile the tables and WHERE clause,
 * then collect the qualifying rows (with ORDER BY and LIMIT) before anything is changed, so a
 * statement never sees its own changes; an ORDER BY an index gives is read in that order and
 * stops at the LIMIT (plan/order.ts). The rows are read through the executor's pausing
 * pipeline (a long scan can be killed and lets other sessions run); the target tables' rows are
 * read with an exclusive lock, the others with a consistent read.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @req CORE-EXEC-055 CORE-CONC-003 INNODB-LOCK-309
 */
import type { Expr, LimitClause, OrderItem, TableRef } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompiledExpr, type Runtime } from '../../sql/eval/index.js';
import type { Row } from '../../kernel/value.js';
import type { RowRef } from '../../storage/handler.js';
import type { Session } from '../session.js';
import { QueryCompiler } from '../query/compile/compiler.js';
import { collectTablesOfExpr, collectTablesOfRef } from '../statement/statement-tables.js';
import { openStatementTables, tableKey, type OpenedTables } from '../statement/open-tables.js';
import type { Scope, Source } from '../query/scope.js';
import { compileEnv } from '../query/select.js';
import type { Pacer } from '../query/run/pacer.js';
import { Sorter } from '../query/run/sort.js';
import type { OrderPlan } from '../query/plan/types.js';
import { drive } from '../query/run/stream.js';

export interface Match {
  refs: (RowRef | null)[];
  row: Row;
}

export interface PreparedScan {
  scope: Scope;
  sources: Source[];
  tables: OpenedTables;
  compiler: QueryCompiler;
  /** A table the statement changes: its rows are read with an exclusive lock. */
  target(source: Source): void;
  collect(rt: Runtime, pacer: Pacer): Promise<Match[]>;
}

/** sql_safe_updates: UPDATE/DELETE must use a key or a LIMIT (1175). @req CORE-EXEC-055 */
export function checkSafeUpdates(session: Session, keyUsed: boolean, hasLimit: boolean): void {
  const v = session.sysvar('sql_safe_updates');
  const on = v !== null && (typeof v === 'string' ? v.toUpperCase() === 'ON' || v === '1' : Number(v) !== 0);
  if (on && !keyUsed && !hasLimit) {
    throw sqlError('ER_UPDATE_WITHOUT_KEY_IN_SAFE_MODE', ' To disable safe mode, toggle the option in Preferences -> SQL Editor and reconnect.');
  }
}

function limitOf(c: CompiledExpr | null, rt: Runtime): number {
  if (!c) return -1;
  const v = c.eval([], rt);
  if (v === null) return 0;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

/** @req CORE-EXEC-055 */
export async function prepareScan(
  session: Session,
  from: TableRef[],
  where: Expr | undefined,
  orderBy: OrderItem[] | undefined,
  limit: LimitClause | undefined,
  extraExprs: Expr[],
  targetNames: { schema: string; name: string }[],
): Promise<PreparedScan> {
  const refs: { schema?: string; name: string }[] = [];
  for (const f of from) collectTablesOfRef(f, refs);
  const subRefs: { schema?: string; name: string }[] = [];
  collectTablesOfExpr(where, subRefs);
  for (const e of extraExprs) collectTablesOfExpr(e, subRefs);
  const tables: OpenedTables = new Map();
  const opening = openStatementTables(session, [...refs, ...subRefs], tables);
  if (opening) await opening;
  // A subquery may not read a table the statement modifies (1093).
  for (const t of subRefs) {
    const schema = t.schema ?? session.schema ?? '';
    for (const target of targetNames) {
      if (tableKey(schema, t.name) === tableKey(target.schema, target.name)) throw sqlError('ER_UPDATE_TABLE_USED', t.name);
    }
  }
  const compiler = new QueryCompiler(compileEnv(session, tables));
  const scan = compiler.compileScan(from, where);
  const scope = scan.scope;
  const order: { expr: CompiledExpr; desc: boolean }[] = [];
  scope.clause = 'order clause';
  for (const o of orderBy ?? []) order.push({ expr: compileExpr(o.expr, scope), desc: o.desc });
  scope.clause = 'field list';
  const sortPlan: OrderPlan = { exprs: order.map((o) => o.expr), desc: order.map((o) => o.desc), collations: order.map((o) => o.expr.type.collation) };
  // An index that gives the ORDER BY: the rows are read in that order and the read stops at the
  // LIMIT, so only the rows up to there are locked. @req INNODB-LOCK-309
  const ordered = order.length ? scan.orderBy(sortPlan, orderBy!, limit !== undefined) : null;
  const limitScope = new (scope.constructor as typeof Scope)([], null, {}, session.schema);
  const count = limit ? compileExpr(limit.count, limitScope) : null;
  checkSafeUpdates(session, scan.keyUsed, limit !== undefined);
  return {
    scope,
    sources: scan.sources,
    tables,
    compiler,
    target: (source) => scan.lock(source, 'exclusive'),
    async collect(rt, pacer) {
      const n = limitOf(count, rt);
      if (n === 0) return [];
      const { st, rows, inOrder } = scan.open(rt, true);
      const matches: Match[] = [];
      // Rows in ORDER BY order with no ties need no sort; with ties they are sorted with the
      // clustering key after the ORDER BY, and the read ends at the first row past the LIMIT.
      const sort = inOrder ? ordered!.sort : order.length ? sortPlan : null;
      const given = inOrder ? ordered!.given : 0;
      // ORDER BY ... LIMIT keeps only the first n matches in order.
      const sorter = sort ? new Sorter<Match>(n, sort.desc, sort.collations) : null;
      await drive(rows, pacer, () => {
        const m: Match = { refs: st.refs.slice(), row: st.row.slice() };
        if (sorter) {
          const key = sort!.exprs.map((e) => e.eval(st.row, rt));
          if (given > 0 && sorter.full && sorter.sortsAfterKept(key, given)) return false;
          sorter.push(m, key);
          return true;
        }
        matches.push(m);
        return n < 0 || matches.length < n;
      });
      return sorter ? sorter.result() : matches;
    },
  };
}

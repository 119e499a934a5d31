/**
 * A compile scope for statements without tables that may still contain subqueries
 * (SET @a = (SELECT ...), DO (SELECT ...), LIMIT of a prepared statement).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/subqueries.html
 * @req CORE-EXEC-036
 */
import type { Expr } from '../../sql/ast.js';
import type { CompileScope, Runtime } from '../../sql/eval/index.js';
import type { Session } from '../session.js';
import { QueryCompiler } from './compile/compiler.js';
import { collectTablesOfExpr } from '../statement/statement-tables.js';
import { openStatementTables, type OpenedTables } from '../statement/open-tables.js';
import { Scope } from './scope.js';
import { compileEnv } from './select.js';

/** Open the tables the expressions' subqueries read and return a scope that compiles them. */
export async function subqueryScopeFor(session: Session, exprs: Expr[]): Promise<CompileScope> {
  const refs: { schema?: string; name: string }[] = [];
  for (const e of exprs) collectTablesOfExpr(e, refs);
  const tables: OpenedTables = new Map();
  const opening = openStatementTables(session, refs, tables);
  if (opening) await opening;
  const compiler = new QueryCompiler(compileEnv(session, tables));
  return new Scope([], null, { subquery: (sc, e) => compiler.compileSubquery(sc, e) }, session.schema);
}

/** @deprecated synchronous form without subquery support; kept for callers that have no subqueries. */
export function subqueryScope(session: Session, _rt: Runtime): CompileScope {
  return new Scope([], null, {}, session.schema);
}

/**
 * EXPLAIN of a statement: the format comes from FORMAT = ... or, without it, from the
 * explain_format variable (TRADITIONAL, JSON or TREE; MySQL 8.0.32 and later); the formats are
 * in explain/ (traditional.ts, json.ts, tree.ts), EXPLAIN ANALYZE (explain/analyze.ts) runs the
 * query with counters and prints the tree with them, EXPLAIN ... FOR CONNECTION
 * (explain/connection.ts) explains another connection's statement, and explain/dml.ts the
 * statements that change rows.
 *
 * EXPLAIN ANALYZE prints only the tree: FORMAT=JSON or FORMAT=TRADITIONAL with it, or
 * explain_format=JSON without a FORMAT, is 1235, as in MySQL 8.0. It explains queries (SELECT,
 * TABLE, VALUES); ANALYZE of INSERT / REPLACE / UPDATE / DELETE is 1235 here.
 *
 * The traditional and JSON formats of a query's EXPLAIN, and of a single-table UPDATE or DELETE,
 * are followed by Note 1003 with the rewritten statement (explain/rewritten.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXEC-043 CORE-EXPLAIN-001 CORE-EXPLAIN-002 CORE-EXPLAIN-003 CORE-EXPLAIN-005 CORE-EXPLAIN-007 CORE-EXPLAIN-008 CORE-EXPLAIN-011 CORE-DIAG-020
 */
import type { ExplainStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import type { Row } from '../../kernel/value.js';
import type { OkResult, RowsResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { checkStatementPrivileges } from '../privileges.js';
import { makeRuntime } from './runtime.js';
import { planSelect } from './select.js';
import { pacerFor } from './run/pacer.js';
import { drive } from './run/stream.js';
import { instrument } from './explain/analyze.js';
import { statementOfConnection } from './explain/connection.js';
import { explainDml } from './explain/dml.js';
import { explainJson } from './explain/json.js';
import { TRADITIONAL_COLUMNS, traditionalRows } from './explain/traditional.js';
import { queryLines, renderTree, SelectNumbers } from './explain/tree.js';
import { rewrittenDml, rewrittenQuery, type RewriteContext } from './explain/rewritten.js';

/** The one column of FORMAT=JSON and FORMAT=TREE: `EXPLAIN`, text in the system character set. */
const EXPLAIN_COLUMN: ResultColumn[] = [
  { schema: '', table: '', orgTable: '', name: 'EXPLAIN', orgName: '', charsetId: 33, length: 234, type: MysqlType.VAR_STRING as ResultColumn['type'], flags: 0, decimals: 0 },
];

/** The format of an EXPLAIN: its FORMAT option, else explain_format. @req CORE-EXPLAIN-002 */
function formatOf(session: Session, stmt: ExplainStatement): string {
  if (stmt.format !== undefined) return stmt.format;
  const v = String(session.sysvar('explain_format') ?? 'TRADITIONAL').toUpperCase();
  return v === 'DEFAULT' ? 'TRADITIONAL' : v;
}

/** @req CORE-EXEC-043 CORE-EXPLAIN-001 */
export async function executeExplain(session: Session, stmt: ExplainStatement): Promise<RowsResult | OkResult> {
  if (stmt.forConnection !== undefined) {
    const other = statementOfConnection(session, stmt);
    if (!other) return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    const saved = session.schema;
    session.schema = other.schema;
    try {
      checkStatementPrivileges(session, other.explain.statement);
      return await explainStatement(session, other.explain, true);
    } finally {
      session.schema = saved;
    }
  }
  return explainStatement(session, stmt);
}

/** The code of EXPLAIN's note (MySQL's ER_YES, given with the query's text). */
const NOTE_REWRITTEN_QUERY = 1003;

async function explainStatement(session: Session, stmt: ExplainStatement, forConnection = false): Promise<RowsResult> {
  const format = formatOf(session, stmt);
  const inner = stmt.statement;
  if (stmt.analyze) {
    // Only the tree: explain_format=TRADITIONAL (the default) still gives it; an explicit
    // other format, or explain_format=JSON without FORMAT, is 1235. @req CORE-EXPLAIN-009
    if (format === 'JSON' || (stmt.format !== undefined && format !== 'TREE')) throw sqlError('ER_NOT_SUPPORTED_YET', `EXPLAIN ANALYZE with ${format} format`);
    if (inner.kind !== 'select') throw sqlError('ER_NOT_SUPPORTED_YET', 'EXPLAIN ANALYZE on this query');
    return { kind: 'rows', columns: EXPLAIN_COLUMN, rows: [[await analyze(session, inner)]] };
  }
  if (inner.kind === 'insert' || inner.kind === 'update' || inner.kind === 'delete') {
    const rows = await explainDml(session, inner, format);
    if (!forConnection && format !== 'TREE' && inner.kind !== 'insert' && !rows.some((r) => r[4] === 'const' || r[4] === 'system')) {
      const text = rewrittenDml(inner, rewriteContext(session));
      if (text !== null) session.warnRaw('Note', NOTE_REWRITTEN_QUERY, text);
    }
    return { kind: 'rows', columns: format === 'TRADITIONAL' ? TRADITIONAL_COLUMNS : EXPLAIN_COLUMN, rows };
  }
  if (inner.kind !== 'select') throw sqlError('ER_NOT_SUPPORTED_YET', 'this EXPLAIN form');
  const plan = await planSelect(session, inner);
  const rt = makeRuntime(session, []);
  if (format === 'TREE') return { kind: 'rows', columns: EXPLAIN_COLUMN, rows: [[renderTree(queryLines(plan.compiled, rt, new SelectNumbers()), false)]] };
  const rows: Row[] = traditionalRows(plan.compiled, rt);
  if (!forConnection) noteRewrittenQuery(session, inner, rows);
  if (format === 'JSON') return { kind: 'rows', columns: EXPLAIN_COLUMN, rows: [[explainJson(plan.compiled, rt)]] };
  return { kind: 'rows', columns: TRADITIONAL_COLUMNS, rows };
}

/**
 * Note 1003 with the rewritten query. A constant table (type const or system) has its columns
 * replaced by their values in MySQL's text, which is not reproduced: no note then.
 * @req CORE-DIAG-020
 */
function noteRewrittenQuery(session: Session, select: Extract<ExplainStatement['statement'], { kind: 'select' }>, rows: readonly Row[]): void {
  if (rows.some((r) => r[4] === 'const' || r[4] === 'system')) return;
  const text = rewrittenQuery(select, rewriteContext(session));
  if (text !== null) session.warnRaw('Note', NOTE_REWRITTEN_QUERY, text);
}

/** The catalog as the rewritten-query printer sees it: the session's tables, temporary ones first. */
function rewriteContext(session: Session): RewriteContext {
  const catalog = session.deps.catalog;
  return {
    schema: session.schema ?? '',
    baseColumns: (schema, table) => catalog.getTable?.(schema, table, session)?.columns,
  };
}

/**
 * Run the query with counters, its rows thrown away, then print the tree with them. The run is
 * paced and killable like any query (KILL QUERY, max_execution_time).
 * @req CORE-EXPLAIN-008
 */
async function analyze(session: Session, select: Extract<ExplainStatement['statement'], { kind: 'select' }>): Promise<string> {
  const plan = await planSelect(session, select);
  instrument(plan.compiled);
  const rt = makeRuntime(session, []);
  await drive(plan.compiled.run([], rt, true), pacerFor(session), () => true);
  return renderTree(queryLines(plan.compiled, rt, new SelectNumbers()), true);
}

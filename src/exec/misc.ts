/**
 * Small utility statements: DO, KILL, SQL-level PREPARE / EXECUTE / DEALLOCATE PREPARE, FLUSH.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-prepared-statements.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html
 * @req CORE-EXEC-008 CORE-EXEC-012 CORE-EXEC-019 CORE-EXEC-020 CORE-LOG-021
 */
import type { DeallocateStatement, DoStatement, ExecuteStatement, FlushStatement, KillStatement, PrepareStatement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import type { TableDef } from '../kernel/table-def.js';
import type { OkResult, StatementResult } from '../kernel/protocol-port.js';
import type { Session } from './session.js';
import { evalConstExpr, makeRuntime } from './query/runtime.js';
import { subqueryScopeFor } from './query/subquery-scope.js';
import { killSession } from './server-context.js';
import { executeStatement } from './dispatch.js';
import { executeFlushWithReadLock } from './locks/global-read-lock.js';
import { executeFlushForExport } from './locks/flush-for-export.js';
import { flushTables } from './locks/flush-tables.js';
import { flushLogs } from './logs/flush-logs.js';

function done(info?: string): OkResult {
  const r: OkResult = { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
  if (info !== undefined) r.info = info;
  return r;
}

/** DO expr, ...: evaluate and discard. @req CORE-EXEC-019 */
export async function executeDo(session: Session, stmt: DoStatement, params: Value[]): Promise<OkResult> {
  const rt = makeRuntime(session, params);
  const scope = await subqueryScopeFor(session, stmt.exprs);
  for (const e of stmt.exprs) await evalConstExpr(session, e, rt, scope);
  return done();
}

/** KILL [CONNECTION | QUERY] id. @req CORE-EXEC-008 CORE-EXEC-012 */
export async function executeKill(session: Session, stmt: KillStatement, params: Value[]): Promise<OkResult> {
  const rt = makeRuntime(session, params);
  const v = await evalConstExpr(session, stmt.id, rt);
  const id = Number(typeof v === 'bigint' || typeof v === 'number' ? v : Number(v));
  if (!Number.isFinite(id)) throw sqlError('ER_NO_SUCH_THREAD', String(v));
  if (id === session.connectionId) {
    if (stmt.target === 'QUERY') throw sqlError('ER_QUERY_INTERRUPTED');
    session.kill();
    return done();
  }
  killSession(session, id, stmt.target);
  return done();
}

/** PREPARE name FROM 'text' | @var. @req CORE-EXEC-020 */
export async function executePrepareSql(session: Session, stmt: PrepareStatement): Promise<OkResult> {
  const rt = makeRuntime(session, []);
  const src = await evalConstExpr(session, stmt.source, rt);
  const text = src === null ? 'NULL' : Buffer.isBuffer(src) ? src.toString('utf8') : String(src);
  await session.prepareNamed(stmt.name, text);
  return done('Statement prepared');
}

/** EXECUTE name [USING @a, ...]. @req CORE-EXEC-020 */
export async function executeExecuteSql(session: Session, stmt: ExecuteStatement): Promise<StatementResult> {
  const ps = session.sqlPrepared.get(stmt.name.toLowerCase());
  if (!ps) throw sqlError('ER_UNKNOWN_STMT_HANDLER', stmt.name.length, stmt.name, 'EXECUTE');
  if (stmt.using.length !== ps.info.paramCount) throw sqlError('ER_WRONG_ARGUMENTS', 'EXECUTE');
  const params: Value[] = stmt.using.map((u) => {
    const v = session.userVars.get(u.name.toLowerCase());
    return v === undefined ? null : v;
  });
  return executeStatement(session, ps.stmt, params);
}

/** DEALLOCATE PREPARE name. @req CORE-EXEC-020 */
export async function executeDeallocateSql(session: Session, stmt: DeallocateStatement): Promise<OkResult> {
  session.deallocateNamed(stmt.name);
  return done();
}

/** FLUSH ...: privileges go to the accounts subsystem; WITH READ LOCK to the lock subsystem;
 *  TABLES closes open table handlers (flush-tables.ts), which writes what engines buffer
 *  (ARCHIVE's compression buffer, the CSV metafile); LOGS, GENERAL LOGS and SLOW LOGS reopen
 *  the query log files (flush-logs.ts); STATUS zeroes the status counters; HOSTS empties the
 *  host cache. */
export async function executeFlush(session: Session, stmt: FlushStatement): Promise<StatementResult> {
  // FLUSH TABLES [t, ...] WITH READ LOCK belongs to the lock subsystem. @req CORE-LOCK-004
  if (stmt.what.includes('TABLES WITH READ LOCK')) return executeFlushWithReadLock(session, stmt);
  // FLUSH TABLES ... FOR EXPORT: read locks plus the engines' export files. @req INNODB-BAK-101
  if (stmt.what.includes('TABLES FOR EXPORT')) return executeFlushForExport(session, stmt);
  // FLUSH TABLES [t, ...]: close the tables' open handlers. @req CSV-014 ARCHIVE-044 MYISAM-133
  if (stmt.what.includes('TABLES')) {
    // The log tables are closed too; the logger opens them again at its next write.
    if (stmt.tables === undefined) session.deps.queryLog?.releaseTables();
    await flushTables(session, stmt.tables);
  }
  // @req CORE-LOG-021
  flushLogs(session, stmt);
  if (stmt.what.includes('STATUS')) session.deps.flushStatus?.(session);
  if (stmt.what.includes('HOSTS')) session.deps.flushHosts?.();
  if (stmt.what.includes('PRIVILEGES') && session.deps.accounts.execute) {
    await session.deps.accounts.execute(session, stmt);
    // FLUSH PRIVILEGES also re-reads mysql.servers, as MySQL does. @req FEDERATED-052
    await session.deps.foreignServers?.reload();
  }
  return done();
}

/**
 * Statement dispatch: clear the diagnostics area, check privileges, route each statement to
 * the subsystem that executes it (queries and DML here, DDL/SHOW to the DDL subsystem,
 * account management to accounts), and turn unimplemented statements into a clear error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-TXN-005 CORE-TXN-006 CORE-TXN-022 CORE-EXEC-002 CORE-EXEC-009 CORE-EXEC-013 CORE-EXEC-060 CORE-EXEC-061 CORE-EXEC-065 CORE-EXEC-066 CORE-EXEC-068 CORE-EXEC-070
 */
import { pushDeprecations } from './deprecations.js';
import { annotateLiterals, literalCharsetSettings } from './literal-charset.js';
import type { Statement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { ResultColumn } from '../kernel/column-type.js';
import type { Value } from '../kernel/value.js';
import type { OkResult, StatementResult } from '../kernel/protocol-port.js';
import type { Session } from './session.js';
import { checkStatementPrivileges } from './privileges.js';
import { rewriteStatement } from './rewrite.js';
import { executeSessionShow, isSessionShow } from './session-show.js';
import { executeExplain } from './query/explain.js';
import { executeSelect, describeSelect } from './query/select.js';
import { executeInsert } from './dml/insert.js';
import { executeUpdate } from './dml/update.js';
import { executeDelete } from './dml/delete.js';
import { executeLoadData } from './load/load-data.js';
import { executeSet, executeSetNames, executeSetTransaction } from './set.js';
import {
  executeStartTransaction,
  executeCommit,
  executeRollback,
  executeSavepoint,
  executeReleaseSavepoint,
} from './txn/statements.js';
import { executeXa } from './txn/xa-statements.js';
import { executeLockTables, executeUnlockTables } from './locks/lock-tables.js';
import { lockStatementTables, needsStatementLocks } from './statement/statement-locks.js';
import { executeAlterServer, executeCreateServer, executeDropServer } from './server-statements.js';
import { executeAlterEvent, executeCreateEvent, executeDropEvent } from './events/ddl.js';
import { executeDo, executeKill, executePrepareSql, executeExecuteSql, executeDeallocateSql, executeFlush } from './misc.js';
import { executePerfSchemaTruncate, executePerfSchemaUpdate, isPerfSchemaTruncate, isPerfSchemaUpdate } from './perfschema/writes.js';
import { LOG_TABLE_GUARDED, guardLogTables } from './logs/log-table-guard.js';
import { executeHelp } from './help/help.js';
import { executeAlterRoutine, executeCreateRoutine, executeDropRoutine } from './routines/ddl.js';
import { executeCall } from './routines/call.js';
import { executeCompound } from './routines/compound.js';
import { bindStoredFunctions } from './routines/functions.js';
import { showCreateRoutine } from './routines/show.js';
import { executeCreateTrigger, executeDropTrigger } from './triggers/ddl.js';

export function ok(affectedRows = 0n, lastInsertId = 0n, info?: string): OkResult {
  const r: OkResult = { kind: 'ok', affectedRows, lastInsertId };
  if (info !== undefined) r.info = info;
  return r;
}

/** Statements after which the diagnostics area is kept (they read it). */
function keepsDiagnostics(stmt: Statement): boolean {
  if (stmt.kind === 'compound') return stmt.body.t === 'get_diagnostics'; // @req CORE-SP-016
  return stmt.kind === 'show' && (stmt.what === 'WARNINGS' || stmt.what === 'ERRORS' || stmt.what === 'COUNT WARNINGS' || stmt.what === 'COUNT ERRORS');
}

function sysvarOn(v: Value): boolean {
  if (v === null) return true;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
  return Number(v) !== 0;
}

/** Statement kinds that commit the current transaction before they run. */
const IMPLICIT_COMMIT = new Set<Statement['kind']>([
  'create_table', 'alter_table', 'drop_table', 'rename_table', 'truncate', 'create_index', 'drop_index',
  'create_database', 'alter_database', 'drop_database', 'create_view', 'drop_view',
  'create_user', 'alter_user', 'drop_user', 'rename_user', 'create_role', 'drop_role', 'grant', 'grant_role',
  'revoke', 'revoke_role', 'set_password', 'install_plugin', 'uninstall_plugin', 'lock_tables', 'flush',
  'table_maintenance', 'set_default_role', 'create_server', 'alter_server', 'drop_server',
  'create_event', 'alter_event', 'drop_event',
  'create_routine', 'alter_routine', 'drop_routine',
  'create_trigger', 'drop_trigger',
]);

const WRITES = new Set<Statement['kind']>(['insert', 'update', 'delete', 'load_data']);

/** @req CORE-EXEC-002 */
export async function executeStatement(session: Session, stmt: Statement, params: Value[]): Promise<StatementResult> {
  // @@warning_count / @@error_count describe the previous statement.
  session.publishDiagnosticCounts();
  if (!keepsDiagnostics(stmt)) {
    session.diagnostics.clear();
    const limit = Number(session.sysvar('max_error_count') ?? 1024);
    session.diagnostics.limit = Number.isFinite(limit) && limit >= 0 ? limit : 1024;
    session.diagnostics.suppressNotes = !sysvarOn(session.sysvar('sql_notes'));
    // Deprecated syntax warns before the statement runs, as MySQL's parser does. @req CORE-DIAG-001
    pushDeprecations(session, stmt);
  } else {
    session.readsDiagnostics = true;
  }
  rewriteStatement(stmt);
  annotateLiterals(stmt, literalCharsetSettings((n) => session.sysvar(n)));
  // Calls of stored functions are bound before the statement compiles. @req CORE-SP-030
  if (stmt.kind !== 'create_routine') bindStoredFunctions(session, stmt);
  checkStatementPrivileges(session, stmt);
  // mysql.general_log / mysql.slow_log take no writes or locks from statements. @req CORE-LOG-022
  if (LOG_TABLE_GUARDED.has(stmt.kind)) guardLogTables(stmt, session.schema, session.deps.queryLog);
  if (WRITES.has(stmt.kind) && session.txn.readOnlyNow()) {
    throw sqlError('ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION');
  }
  const commits = IMPLICIT_COMMIT.has(stmt.kind) && !(stmt.kind === 'create_table' && stmt.temporary) && !(stmt.kind === 'drop_table' && stmt.temporary);
  // Refused inside an XA transaction (1399); otherwise the open transaction commits first, and
  // its locks go with it.
  if (commits) await session.implicitCommit();
  // START TRANSACTION ends the previous transaction, and with it that transaction's locks.
  if (stmt.kind === 'start_transaction' && session.txn.inTransaction()) await session.implicitCommit();
  // A DML statement's tables are locked together before it runs. @req CORE-MDL-007
  if (needsStatementLocks(stmt)) await lockStatementTables(session, stmt);
  // A SELECT goes straight to the executor: one promise fewer on the hottest path.
  const r = stmt.kind === 'select' ? await executeSelect(session, stmt, params) : await route(session, stmt, params);
  // DDL commits what it did in transactional engines, too (LOCK TABLES only commits before).
  if (commits && stmt.kind !== 'lock_tables') await session.implicitCommit();
  if (r.kind === 'ok') {
    // ROW_COUNT(): affected rows for DML, -1 for statements that return rows, 0 otherwise.
    session.rowCount = WRITES.has(stmt.kind) ? r.affectedRows : 0n;
  } else {
    session.rowCount = -1n;
  }
  return r;
}

async function route(session: Session, stmt: Statement, params: Value[]): Promise<StatementResult> {
  const d = session.deps.delegates;
  switch (stmt.kind) {
    case 'select':
      return executeSelect(session, stmt, params);
    case 'insert':
      return executeInsert(session, stmt, params);
    case 'update':
      // UPDATE of performance_schema's setup tables and threads. @req CORE-PFS-043
      if (isPerfSchemaUpdate(session, stmt)) return executePerfSchemaUpdate(session, stmt);
      return executeUpdate(session, stmt, params);
    case 'delete':
      return executeDelete(session, stmt, params);
    case 'load_data':
      return executeLoadData(session, stmt);
    case 'set':
      return executeSet(session, stmt, params);
    case 'set_names':
      return executeSetNames(session, stmt);
    case 'set_transaction':
      return executeSetTransaction(session, stmt);
    case 'use':
      await session.useSchema(stmt.schema);
      return ok();
    case 'start_transaction':
      return executeStartTransaction(session, stmt);
    case 'commit':
      return executeCommit(session, stmt);
    case 'rollback':
      return executeRollback(session, stmt);
    case 'savepoint':
      return executeSavepoint(session, stmt);
    case 'release_savepoint':
      return executeReleaseSavepoint(session, stmt);
    case 'xa':
      return executeXa(session, stmt);
    case 'lock_tables':
      return executeLockTables(session, stmt);
    case 'unlock_tables':
      return executeUnlockTables(session);
    case 'kill':
      return executeKill(session, stmt, params);
    case 'do':
      return executeDo(session, stmt, params);
    case 'prepare':
      return executePrepareSql(session, stmt);
    case 'execute':
      return executeExecuteSql(session, stmt);
    case 'deallocate':
      return executeDeallocateSql(session, stmt);
    case 'shutdown':
      // The error log names the user who asked. @req CORE-EXEC-070
      session.deps.shutdown?.(session.user);
      return ok();
    case 'flush':
      return executeFlush(session, stmt);
    case 'show':
      if (isSessionShow(stmt)) return executeSessionShow(session, stmt);
      if (stmt.what === 'CREATE PROCEDURE' || stmt.what === 'CREATE FUNCTION') return showCreateRoutine(session, stmt);
      // Account SHOWs belong to the accounts subsystem.
      if ((stmt.what === 'GRANTS' || stmt.what === 'CREATE USER') && session.deps.accounts.execute) return session.deps.accounts.execute(session, stmt);
      if (d?.executeShow) return d.executeShow(session, stmt);
      break;
    case 'explain':
      // Every explainable statement and FOR CONNECTION. @req CORE-EXPLAIN-001
      return executeExplain(session, stmt);
    case 'describe':
      if (d?.executeShow) return d.executeShow(session, stmt);
      break;
    case 'truncate':
      // TRUNCATE of performance_schema's event and summary tables. @req CORE-PFS-025
      if (isPerfSchemaTruncate(session, stmt.table)) return executePerfSchemaTruncate(session, stmt.table);
      if (d?.executeDdl) return d.executeDdl(session, stmt);
      break;
    case 'create_table':
    case 'alter_table':
    case 'drop_table':
    case 'rename_table':
    case 'create_index':
    case 'drop_index':
      if (d?.executeDdl) return d.executeDdl(session, stmt);
      break;
    case 'drop_database':
      if (d?.executeDdl) {
        const r = await d.executeDdl(session, stmt);
        // Dropping the default schema leaves the session without one (DATABASE() is NULL). @req CORE-EXEC-068
        if (session.schema !== null && session.schema.toLowerCase() === stmt.name.toLowerCase()) session.schema = null;
        return r;
      }
      break;
    case 'create_database':
    case 'alter_database':
    case 'create_view':
    case 'drop_view':
    case 'table_maintenance':
    case 'install_plugin':
    case 'uninstall_plugin':
      if (d?.executeDdl) return d.executeDdl(session, stmt);
      break;
    case 'create_user':
    case 'alter_user':
    case 'drop_user':
    case 'rename_user':
    case 'create_role':
    case 'drop_role':
    case 'grant':
    case 'grant_role':
    case 'revoke':
    case 'revoke_role':
    case 'set_password':
    case 'set_role':
    case 'set_default_role':
      if (session.deps.accounts.execute) return session.deps.accounts.execute(session, stmt);
      break;
    case 'create_event':
      return executeCreateEvent(session, stmt);
    case 'alter_event':
      return executeAlterEvent(session, stmt);
    case 'drop_event':
      return executeDropEvent(session, stmt);
    case 'create_server':
      return executeCreateServer(session, stmt);
    case 'alter_server':
      return executeAlterServer(session, stmt);
    case 'drop_server':
      return executeDropServer(session, stmt);
    case 'create_routine':
      return executeCreateRoutine(session, stmt);
    case 'drop_routine':
      return executeDropRoutine(session, stmt);
    case 'alter_routine':
      return executeAlterRoutine(session, stmt);
    case 'create_trigger':
      return executeCreateTrigger(session, stmt);
    case 'drop_trigger':
      return executeDropTrigger(session, stmt);
    case 'call':
      return executeCall(session, stmt, params);
    case 'compound':
      return executeCompound(session, stmt);
    case 'empty':
      // A query of comments only. @req CORE-EXEC-066
      return ok();
    case 'other':
      if (stmt.head === 'RESET PERSIST') return executeResetPersist(session, stmt.rest);
      // @req CORE-LOG-030
      if (stmt.head === 'HELP') return executeHelp(session, stmt);
      if ((stmt.head === 'START GROUP_REPLICATION' || stmt.head === 'STOP GROUP_REPLICATION') && session.deps.groupReplication) {
        // The plugin checks SUPER / GROUP_REPLICATION_ADMIN itself, as the server does for these.
        await session.deps.groupReplication.execute(stmt.head, {
          hasPrivilege: (priv) => session.deps.accounts.hasGlobal(session, priv),
          warn: (d) => session.diagnostics.push(d),
          lockedOrInTransaction: session.locks.lockedTables !== null || session.txn.explicit,
        });
        return ok();
      }
      break;
    default:
      break;
  }
  throw sqlError('ER_NOT_SUPPORTED_YET', statementLabel(stmt));
}

/**
 * RESET PERSIST [[IF EXISTS] name]: forget persisted settings (mysqld-auto.cnf). Needs
 * SYSTEM_VARIABLES_ADMIN (or SUPER), as SET PERSIST does.
 * @req CORE-EXEC-061
 */
function executeResetPersist(session: Session, rest: string): StatementResult {
  const m = /^\s*(IF\s+EXISTS\s+)?(?:`((?:[^`]|``)+)`|([A-Za-z0-9_$.]+))?\s*;?\s*$/i.exec(rest);
  if (!m) throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', rest.trim(), 1);
  if (!session.deps.accounts.hasGlobal(session, 'SYSTEM_VARIABLES_ADMIN') && !session.deps.accounts.hasGlobal(session, 'SUPER')) {
    throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or SYSTEM_VARIABLES_ADMIN');
  }
  const name = m[2] !== undefined ? m[2].replace(/``/g, '`') : m[3];
  if (name === undefined && m[1]) throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', '', 1);
  for (const w of session.deps.sysvars.resetPersist(name, !!m[1])) session.diagnostics.push(w);
  return ok();
}

function statementLabel(stmt: Statement): string {
  if (stmt.kind === 'other') return stmt.head;
  return stmt.kind.replace(/_/g, ' ').toUpperCase();
}

/** Result metadata of a statement without running it (COM_STMT_PREPARE). */
export async function describeStatement(session: Session, stmt: Statement): Promise<ResultColumn[]> {
  if (stmt.kind === 'select') {
    annotateLiterals(stmt, literalCharsetSettings((n) => session.sysvar(n)));
    bindStoredFunctions(session, stmt);
    return describeSelect(session, stmt);
  }
  return [];
}

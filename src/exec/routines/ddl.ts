/**
 * CREATE / ALTER / DROP PROCEDURE and FUNCTION: checks (database, privileges, DEFINER,
 * existence, the binary-log rule for functions), the dictionary entry (body kept as sent, with
 * the session's sql_mode, character set and collation at creation), and the automatic
 * EXECUTE / ALTER ROUTINE grant to the creator.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-procedure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-procedure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-procedure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-programs-logging.html
 * @req CORE-SP-001 CORE-SP-003 CORE-SP-004 CORE-SP-032 CORE-SP-052
 */
import type { StoredProgramDef } from '../../catalog/dictionary-store.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import { sqlError } from '../../kernel/errors.js';
import type { AlterRoutineStatement, CreateRoutineStatement, DropRoutineStatement, SpStatement } from '../../sql/routine-ast.js';
import type { Session } from '../session.js';
import { quoteIdentifier as quoteName } from '../../sql/print/expr-print.js';

function ok(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** 'YYYY-MM-DD hh:mm:ss' of now (server time). */
export function nowText(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function sysvarOn(session: Session, name: string): boolean {
  const v = session.sysvar(name);
  if (v === null) return false;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
  return Number(v) !== 0;
}

function schemaOf(session: Session, explicit: string | undefined): string {
  const db = explicit ?? session.schema;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR');
  const s = session.deps.catalog.getSchema?.(db);
  if (!s) throw sqlError('ER_BAD_DB_ERROR', db);
  return s.name;
}

/** @req CORE-SP-001 CORE-SP-004 CORE-SP-032 */
export async function executeCreateRoutine(session: Session, stmt: CreateRoutineStatement): Promise<OkResult> {
  const cat = session.deps.catalog;
  if (!cat.putProgram || !cat.getProgram) throw sqlError('ER_NOT_SUPPORTED_YET', `CREATE ${stmt.routine}`);
  const db = schemaOf(session, stmt.schema);
  session.deps.accounts.checkTable(session, 'CREATE ROUTINE', db, '');
  const me = { user: session.account.user, host: session.account.host };
  const definer = stmt.definer ?? me;
  if ((definer.user !== me.user || definer.host !== me.host) && !session.deps.accounts.hasGlobal(session, 'SET_USER_ID') && !session.deps.accounts.hasGlobal(session, 'SUPER')) {
    throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or SET_USER_ID');
  }
  if (cat.getProgram(db, stmt.routine, stmt.name)) {
    if (stmt.ifNotExists) {
      session.warn('Note', 'ER_SP_ALREADY_EXISTS', stmt.routine, stmt.name);
      return ok();
    }
    throw sqlError('ER_SP_ALREADY_EXISTS', stmt.routine, stmt.name);
  }
  checkSystemVariables(session, stmt.body);
  const c = stmt.characteristics;
  const dataAccess = c.dataAccess ?? 'CONTAINS SQL';
  const deterministic = c.deterministic ?? false;
  // With binary logging on, a function must declare itself safe for statement-based logging
  // unless log_bin_trust_function_creators is set (or the creator has SUPER). @req CORE-SP-032
  if (stmt.routine === 'FUNCTION' && sysvarOn(session, 'log_bin') && !sysvarOn(session, 'log_bin_trust_function_creators')) {
    if (!deterministic && dataAccess !== 'NO SQL' && dataAccess !== 'READS SQL DATA') throw sqlError('ER_BINLOG_UNSAFE_ROUTINE');
  }
  const schema = cat.getSchema?.(db);
  const now = nowText();
  const def: StoredProgramDef = {
    type: stmt.routine,
    schema: db,
    name: stmt.name,
    definer: `${quoteName(definer.user)}@${quoteName(definer.host)}`,
    paramList: stmt.paramText,
    returns: stmt.returnsText,
    body: stmt.bodyText,
    deterministic,
    dataAccess,
    security: c.security ?? 'DEFINER',
    comment: c.comment ?? '',
    sqlMode: String(session.sysvar('sql_mode') ?? ''),
    characterSetClient: String(session.sysvar('character_set_client') ?? 'utf8mb4'),
    collationConnection: String(session.sysvar('collation_connection') ?? 'utf8mb4_0900_ai_ci'),
    databaseCollation: schema?.collation ?? 'utf8mb4_0900_ai_ci',
    created: now,
    modified: now,
  };
  await cat.putProgram(def);
  // automatic_sp_privileges: the creator may execute and alter what it created. @req CORE-SP-052
  if (sysvarOn(session, 'automatic_sp_privileges')) {
    await session.deps.accounts.grantRoutineToCreator?.(session, db, stmt.name, stmt.routine);
  }
  return ok();
}

/** SET of a name that is neither a local variable nor a system variable fails at CREATE (1193). */
function checkSystemVariables(session: Session, s: SpStatement): void {
  switch (s.t) {
    case 'sql':
      if (s.stmt.kind === 'set') {
        for (const a of s.stmt.assignments) {
          if (a.target.type === 'sysvar' && !session.deps.sysvars.lookup(a.target.name)) throw sqlError('ER_UNKNOWN_SYSTEM_VARIABLE', a.target.name);
        }
      }
      return;
    case 'block':
      s.handlers.forEach((h) => checkSystemVariables(session, h.body));
      s.body.forEach((x) => checkSystemVariables(session, x));
      return;
    case 'if':
      s.branches.forEach((b) => b.body.forEach((x) => checkSystemVariables(session, x)));
      s.else?.forEach((x) => checkSystemVariables(session, x));
      return;
    case 'case':
      s.whens.forEach((w) => w.body.forEach((x) => checkSystemVariables(session, x)));
      s.else?.forEach((x) => checkSystemVariables(session, x));
      return;
    case 'loop':
    case 'while':
    case 'repeat':
      s.body.forEach((x) => checkSystemVariables(session, x));
      return;
    default:
      return;
  }
}

/** @req CORE-SP-003 */
export async function executeDropRoutine(session: Session, stmt: DropRoutineStatement): Promise<OkResult> {
  const cat = session.deps.catalog;
  if (!cat.dropProgram || !cat.getProgram) throw sqlError('ER_NOT_SUPPORTED_YET', `DROP ${stmt.routine}`);
  const db = stmt.schema ?? session.schema;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR');
  const def = cat.getProgram(db, stmt.routine, stmt.name);
  if (!def) {
    if (stmt.ifExists) {
      session.warn('Note', 'ER_SP_DOES_NOT_EXIST', stmt.routine, `${db}.${stmt.name}`);
      return ok();
    }
    throw sqlError('ER_SP_DOES_NOT_EXIST', stmt.routine, `${db}.${stmt.name}`);
  }
  session.deps.accounts.checkRoutine?.(session, 'ALTER ROUTINE', def.schema, def.name, stmt.routine);
  await cat.dropProgram(def.schema, def.type, def.name);
  if (sysvarOn(session, 'automatic_sp_privileges')) await session.deps.accounts.revokeRoutineGrants?.(def.schema, def.name, stmt.routine);
  return ok();
}

/** @req CORE-SP-003 */
export async function executeAlterRoutine(session: Session, stmt: AlterRoutineStatement): Promise<OkResult> {
  const cat = session.deps.catalog;
  if (!cat.putProgram || !cat.getProgram) throw sqlError('ER_NOT_SUPPORTED_YET', `ALTER ${stmt.routine}`);
  const db = stmt.schema ?? session.schema;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR');
  const def = cat.getProgram(db, stmt.routine, stmt.name);
  if (!def) throw sqlError('ER_SP_DOES_NOT_EXIST', stmt.routine, `${db}.${stmt.name}`);
  session.deps.accounts.checkRoutine?.(session, 'ALTER ROUTINE', def.schema, def.name, stmt.routine);
  const c = stmt.characteristics;
  const next: StoredProgramDef = { ...def, modified: nowText() };
  if (c.comment !== undefined) next.comment = c.comment;
  if (c.dataAccess !== undefined) next.dataAccess = c.dataAccess;
  if (c.security !== undefined) next.security = c.security;
  await cat.putProgram(next);
  return ok();
}

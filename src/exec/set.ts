/**
 * SET statements: system variables (with scope and privilege rules), user variables,
 * SET NAMES / CHARACTER SET, and SET TRANSACTION. Validation of system variable values is the
 * registry's job; this module evaluates the right-hand side, checks privileges and applies the
 * side effects the executor owns (autocommit=1 commits, transaction characteristics).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-variable.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-transaction.html
 * @req CORE-EXEC-015 CORE-EXEC-016 CORE-EXEC-017 CORE-EXEC-018
 */
import type { Expr, SetNamesStatement, SetStatement, SetTransactionStatement } from '../sql/ast.js';
import { sqlError, type Diagnostic } from '../kernel/errors.js';
import { findCharset, isClientCharset, resolveCharsetCollation } from '../kernel/charset/index.js';
import { Decimal, Temporal } from '../kernel/value.js';
import { SET_DEFAULT, type SetValue } from '../server/sysvars/index.js';
import type { Value } from '../kernel/value.js';
import type { OkResult } from '../kernel/protocol-port.js';
import type { Session } from './session.js';
import { requireGlobal } from './privileges.js';
import { evalConstExpr, makeRuntime } from './query/runtime.js';
import { subqueryScopeFor } from './query/subquery-scope.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** The right-hand side of `SET var = ON` / `= TRADITIONAL`: a bare word means that word. */
function bareWord(e: Expr): string | null {
  if (e.type === 'column' && e.table === undefined && e.schema === undefined && e.name !== '*') return e.name;
  return null;
}

/** @req CORE-EXEC-015 CORE-EXEC-016 */
export async function executeSet(session: Session, stmt: SetStatement, params: Value[]): Promise<OkResult> {
  const rt = makeRuntime(session, params);
  const scope = await subqueryScopeFor(session, stmt.assignments.map((a) => a.value));
  // Evaluate every right-hand side first, then assign, as MySQL does for a multi-assignment SET.
  const values: (Value | { default: true })[] = [];
  for (const a of stmt.assignments) {
    if (a.value.type === 'default' && a.value.column === undefined) {
      if (a.target.type === 'uservar') throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', 'DEFAULT', 1);
      values.push({ default: true });
      continue;
    }
    const word = a.target.type === 'sysvar' ? bareWord(a.value) : null;
    if (word !== null) values.push(word);
    else values.push(await evalConstExpr(session, a.value, rt, scope));
  }
  for (let i = 0; i < stmt.assignments.length; i++) {
    const a = stmt.assignments[i]!;
    const v = values[i]!;
    if (a.target.type === 'uservar') {
      session.userVars.set(a.target.name.toLowerCase(), v as Value);
      continue;
    }
    await setSystemVariable(session, a.target.name, a.target.scope, v);
  }
  return done();
}

function isTruthy(v: Value | { default: true }): boolean | null {
  if (v === null || typeof v === 'object' && v !== null && 'default' in v) return null;
  if (typeof v === 'string') {
    const u = v.toUpperCase();
    if (u === 'ON' || u === '1' || u === 'TRUE') return true;
    if (u === 'OFF' || u === '0' || u === 'FALSE') return false;
    return null;
  }
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  return null;
}

/** @req CORE-EXEC-016 CORE-EXEC-017 */
export async function setSystemVariable(
  session: Session,
  rawName: string,
  scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only',
  v: Value | { default: true },
): Promise<void> {
  const name = rawName.toLowerCase();
  if (scope === 'global' || scope === 'persist' || scope === 'persist_only') {
    requireGlobal(session, 'SUPER or SYSTEM_VARIABLES_ADMIN', 'SYSTEM_VARIABLES_ADMIN', 'SUPER');
  }
  const isSession = scope === 'default' || scope === 'session';
  const wasAutocommit = session.autocommit();
  // Switching autocommit on commits implicitly: refused inside an XA transaction (1399), the
  // variable unchanged. @req CORE-TXN-024
  if (isSession && name === 'autocommit' && !wasAutocommit && isTruthy(v) !== false) session.txn.checkImplicitCommit();
  assignVar(session, name, scope, v);
  if (isSession && name === 'autocommit') {
    const now = isTruthy(v) ?? session.autocommit();
    // Switching autocommit from 0 to 1 commits the open transaction.
    if (now && !wasAutocommit) await session.txn.implicitCommit();
  }
}

/** Route one assignment to the registry by scope and keep its warnings. */
function assignVar(
  session: Session,
  name: string,
  scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only',
  v: Value | { default: true },
): void {
  const value: SetValue = v !== null && typeof v === 'object' && 'default' in v && !(v instanceof Decimal) && !(v instanceof Temporal) && !Buffer.isBuffer(v) ? SET_DEFAULT : (v as Value);
  const ctx = { user: session.user, host: session.host };
  const reg = session.deps.sysvars;
  let warnings: Diagnostic[];
  if (scope === 'global') warnings = reg.setGlobal(name, value, ctx);
  else if (scope === 'persist') warnings = reg.persist(name, value, ctx, false);
  else if (scope === 'persist_only') warnings = reg.persist(name, value, ctx, true);
  else warnings = session.sessionVars.set(name, value, ctx);
  for (const w of warnings) session.diagnostics.push(w);
}


/** The character set SET NAMES / SET CHARACTER SET names: 1115 when unknown, 1231 when not a client character set. */
function namesCharset(session: Session, name: string): string {
  const cs = name === 'DEFAULT' ? String(session.deps.sysvars.global('character_set_client') ?? 'utf8mb4') : name;
  const info = findCharset(cs);
  if (!info) throw sqlError('ER_UNKNOWN_CHARACTER_SET', cs);
  if (!isClientCharset(info.name)) throw sqlError('ER_WRONG_VALUE_FOR_VAR', 'character_set_client', info.name);
  return info.name;
}

/** SET NAMES cs [COLLATE co] / SET CHARACTER SET cs. @req CORE-EXEC-018 CORE-CS-050 CORE-CS-051 */
export async function executeSetNames(session: Session, stmt: SetNamesStatement): Promise<OkResult> {
  if (stmt.characterSetForm) {
    const cs = namesCharset(session, stmt.charset);
    assignVar(session, 'character_set_client', 'session', cs);
    assignVar(session, 'character_set_results', 'session', cs);
    assignVar(session, 'character_set_connection', 'session', session.sysvar('character_set_database'));
    assignVar(session, 'collation_connection', 'session', session.sysvar('collation_database'));
    return done();
  }
  const cs = namesCharset(session, stmt.charset);
  // The collation must belong to the character set (1253), checked before anything changes.
  const collation = stmt.collation !== undefined ? resolveCharsetCollation(cs, stmt.collation).collation : undefined;
  assignVar(session, 'character_set_client', 'session', cs);
  assignVar(session, 'character_set_results', 'session', cs);
  assignVar(session, 'character_set_connection', 'session', cs);
  if (collation !== undefined) assignVar(session, 'collation_connection', 'session', collation);
  return done();
}

/** SET [GLOBAL|SESSION] TRANSACTION ... @req CORE-EXEC-017 */
export async function executeSetTransaction(session: Session, stmt: SetTransactionStatement): Promise<OkResult> {
  const iso = stmt.isolation?.replace(' ', '-');
  const ro = stmt.accessMode === undefined ? undefined : stmt.accessMode === 'READ ONLY' ? 'ON' : 'OFF';
  if (stmt.scope === 'next') {
    if (session.txn.inTransaction()) throw sqlError('ER_CANT_CHANGE_TX_CHARACTERISTICS');
    if (iso !== undefined) session.txn.next.isolation = iso;
    if (ro !== undefined) session.txn.next.readOnly = ro === 'ON';
    return done();
  }
  const scope = stmt.scope === 'global' ? 'global' : 'session';
  if (scope === 'global') requireGlobal(session, 'SUPER or SYSTEM_VARIABLES_ADMIN', 'SYSTEM_VARIABLES_ADMIN', 'SUPER');
  if (iso !== undefined) assignVar(session, 'transaction_isolation', scope, iso);
  if (ro !== undefined) assignVar(session, 'transaction_read_only', scope, ro);
  return done();
}

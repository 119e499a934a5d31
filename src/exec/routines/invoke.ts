/**
 * Running a stored routine: resolving its name, the EXECUTE privilege, the security context
 * (SQL SECURITY DEFINER runs with the definer's privileges and CURRENT_USER(), the invoker's
 * USER()), the recursion limits (max_sp_recursion_depth for procedures, none for functions),
 * and the frame the interpreter runs on.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-objects-security.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-programs-defining.html
 * @req CORE-SP-030 CORE-SP-042 CORE-SP-050 CORE-SP-051
 */
import type { StoredProgramDef } from '../../catalog/dictionary-store.js';
import type { AuthAccount } from '../../kernel/protocol-port.js';
import type { Value } from '../../kernel/value.js';
import { sqlError } from '../../kernel/errors.js';
import type { Session } from '../session.js';
import { runningPrograms, type ProgramContext } from './interpreter.js';
import { loadRoutine, type LoadedRoutine } from './program.js';
import { MAX_PROGRAM_NESTING, MAX_SP_RECURSION_DEPTH_LIMIT } from './limits.js';

/** Find a routine by (optional) schema and name: 1046 without a database, 1305 when absent. */
export function findRoutine(session: Session, type: 'PROCEDURE' | 'FUNCTION', schema: string | undefined, name: string): StoredProgramDef {
  const db = schema ?? session.schema;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR');
  const def = session.deps.catalog.getProgram?.(db, type, name);
  if (!def) throw sqlError('ER_SP_DOES_NOT_EXIST', type, `${db}.${name}`);
  return def;
}

/** `user`@`host` of a definer string. */
export function parseDefiner(definer: string): { user: string; host: string } {
  const m = /^`((?:[^`]|``)*)`@`((?:[^`]|``)*)`$/.exec(definer);
  if (!m) return { user: definer, host: '%' };
  return { user: m[1]!.replace(/``/g, '`'), host: m[2]!.replace(/``/g, '`') };
}

/**
 * Run `f` under the routine's security context: the definer's account for SQL SECURITY
 * DEFINER, the caller's otherwise; the default database is the routine's for the duration.
 * @req CORE-SP-051
 */
export async function withRoutineContext<T>(session: Session, def: StoredProgramDef, f: () => Promise<T>): Promise<T> {
  const savedAccount = session.account;
  const savedRoles = session.activeRoles;
  const savedSchema = session.schema;
  if (def.security === 'DEFINER') {
    const d = parseDefiner(def.definer);
    const account: AuthAccount = { ...savedAccount, user: d.user, host: d.host };
    session.account = account;
    session.activeRoles = [];
  }
  session.schema = def.schema;
  try {
    return await f();
  } finally {
    session.account = savedAccount;
    session.activeRoles = savedRoles;
    // A routine's USE of another database does not outlive it, as in MySQL.
    session.schema = savedSchema;
  }
}

/** EXECUTE on the routine (the caller's privileges). @req CORE-SP-050 */
export function checkExecute(session: Session, def: StoredProgramDef): void {
  session.deps.accounts.checkRoutine?.(session, 'EXECUTE', def.schema, def.name, def.type as 'PROCEDURE' | 'FUNCTION');
}

/**
 * Refuse a call that would recurse past the limits: a procedure deeper than
 * max_sp_recursion_depth (1456), a function that is already running (1424).
 * @req CORE-SP-042
 */
export function checkRecursion(session: Session, def: StoredProgramDef): void {
  const stack = runningPrograms(session);
  if (stack.length >= MAX_PROGRAM_NESTING) throw sqlError('ER_SP_RECURSION_LIMIT', MAX_SP_RECURSION_DEPTH_LIMIT, def.name);
  const key = `${def.schema}.${def.name}`.toLowerCase();
  let same = 0;
  for (const c of stack) if (c.kind === def.type && c.name.toLowerCase() === key) same++;
  if (same === 0) return;
  if (def.type === 'FUNCTION') throw sqlError('ER_SP_NO_RECURSION');
  const limit = Math.min(MAX_SP_RECURSION_DEPTH_LIMIT, Number(session.sysvar('max_sp_recursion_depth') ?? 0));
  if (same > limit) throw sqlError('ER_SP_RECURSION_LIMIT', limit, def.name);
}

/** A fresh frame for a routine. */
export function newContext(session: Session, routine: LoadedRoutine, sink: ProgramContext['sink'], subStatements: boolean): ProgramContext {
  const values: Value[] = new Array<Value>(routine.slotTypes.length).fill(null);
  return {
    session,
    kind: routine.def.type,
    name: `${routine.def.schema}.${routine.def.name}`,
    values,
    slotTypes: routine.slotTypes,
    slotNames: routine.slotNames,
    cursors: new Array(routine.cursors).fill(undefined),
    sink,
    subStatements,
    handling: [],
  };
}

export { loadRoutine };

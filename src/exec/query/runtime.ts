/**
 * The per-statement runtime that compiled expressions evaluate against (parameters, user
 * and system variables, information functions, warnings), and helpers to evaluate
 * expressions that do not read any table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/user-variables.html
 * @req CORE-EXEC-015 CORE-EXEC-016 CORE-EXEC-070 CORE-PERF-042
 */
import type { Expr } from '../../sql/ast.js';
import { sqlError, type ErrorName } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type Runtime, type RuntimeInfo } from '../../sql/eval/index.js';
import type { Value } from '../../kernel/value.js';
import type { Session } from '../session.js';
import { currentRoleText, userText } from '../../accounts/identity.js';
import { NEVER_ABORTED, type WaitSignal } from '../../kernel/wait-signal.js';
import { newMeter, type Meter } from './run/pause.js';
import { loadFileForFunction } from '../load/files.js';

/** The runtime of one statement as the executor builds it: its session and the count of rows it
 *  examines (where its pipeline pauses). */
export interface ExecRuntime extends Runtime {
  session: Session;
  meter: Meter;
}

/**
 * The runtime of one statement execution. Its methods live on the prototype and the session's
 * information functions and lock access are built once per session, so a statement allocates one
 * object here instead of a closure per method (a point SELECT makes one runtime per execution).
 * CORE-PERF-042
 */
class StatementRuntime implements ExecRuntime {
  readonly signal: WaitSignal;
  readonly sqlMode: ReadonlySet<string>;
  readonly now = new Date();
  readonly timeZone: string;
  readonly info: RuntimeInfo;
  locks?: NonNullable<Runtime['locks']>;

  constructor(
    readonly session: Session,
    readonly meter: Meter,
    public params: Value[],
  ) {
    this.signal = session.statementControl()?.signal ?? NEVER_ABORTED;
    this.sqlMode = session.sqlMode();
    this.timeZone = String(session.sysvar('time_zone') ?? 'SYSTEM');
    const per = perSession(session);
    this.info = per.info;
    // GET_LOCK and friends use the server's lock manager through the session. @req CORE-LOCK-010
    if (per.locks) this.locks = per.locks;
  }

  warn(level: 'Note' | 'Warning' | 'Error', name: ErrorName, ...args: unknown[]): void {
    this.session.warn(level, name, ...args);
  }

  userVar(name: string): Value {
    const v = this.session.userVars.get(name.toLowerCase());
    return v === undefined ? null : v;
  }

  setUserVar(name: string, v: Value): void {
    this.session.userVars.set(name.toLowerCase(), v);
  }

  sysVar(name: string, scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only'): Value {
    return this.session.sessionVars.getScoped(name, scope === 'global' || scope === 'session' ? scope : 'default');
  }

  isInterrupted(): boolean {
    return this.session.isInterrupted();
  }

  loadFile(name: string): Buffer | null {
    return loadFileForFunction(this.session, name);
  }
}

interface PerSession {
  info: RuntimeInfo;
  locks: NonNullable<Runtime['locks']> | null;
}

/** What every runtime of a session shares (it reads the session when called, so it never goes stale). */
const perSessionParts = new WeakMap<Session, PerSession>();

function perSession(session: Session): PerSession {
  let p = perSessionParts.get(session);
  if (p !== undefined) return p;
  const info: RuntimeInfo = {
    database: () => session.schema,
    user: () => userText(session.user, session.host),
    currentUser: () => `${session.account.user}@${session.account.host}`,
    connectionId: () => session.connectionId,
    lastInsertId: () => session.lastInsertId,
    setLastInsertId: (v: bigint) => {
      session.lastInsertId = v;
    },
    foundRows: () => session.foundRows,
    rowCount: () => session.rowCount,
    version: () => session.deps.version,
    currentRole: () => currentRoleText(session.activeRoles),
  };
  let locks: PerSession['locks'] = null;
  if (session.locks.enabled) {
    const l = session.locks;
    locks = {
      get: (name, timeoutSec) => l.getUserLock(name, timeoutSec),
      release: (name) => l.releaseUserLock(name),
      usedBy: (name) => l.userLockHolder(name),
      releaseAll: () => l.releaseAllUserLocks(),
    };
  }
  p = { info, locks };
  perSessionParts.set(session, p);
  return p;
}

/** Build the runtime for one statement execution. */
export function makeRuntime(session: Session, params: Value[]): ExecRuntime {
  const meter = newMeter();
  // The slow log sums the rows every runtime of the statement examined. @req CORE-LOG-011
  if (session.slowMeasure !== null) session.slowMeasure.meters.push(meter);
  const rt = new StatementRuntime(session, meter, params);
  // ROWS_EXAMINED of the statement's performance_schema event sums its runtimes' meters. @req CORE-PFS-012
  session.pfs.meters.push(rt.meter);
  return rt;
}

/** A scope with no tables: any column reference is unknown. */
export function noTableScope(session: Session, clause = 'field list', extra?: Partial<CompileScope>): CompileScope {
  return {
    resolveColumn(ref) {
      const name = [ref.schema, ref.table, ref.name].filter((x) => x !== undefined).join('.');
      throw sqlError('ER_BAD_FIELD_ERROR', name, clause);
    },
    database: () => session.schema,
    sqlMode: session.sqlMode(),
    ...extra,
  };
}

/** Evaluate a compiled expression, awaiting it when it is asynchronous (SLEEP). */
export async function evalCompiled(c: CompiledExpr, row: Value[], rt: Runtime): Promise<Value> {
  if (c.async && c.evalAsync) return c.evalAsync(row, rt);
  return c.eval(row, rt);
}

/** Evaluate an expression that reads no table (SET, DO, LIMIT, KILL). */
export async function evalConstExpr(session: Session, expr: Expr, rt: Runtime, scope?: CompileScope): Promise<Value> {
  const c = compileExpr(expr, scope ?? noTableScope(session));
  return evalCompiled(c, [], rt);
}

/**
 * CALL: run a stored procedure. The result sets its statements produce reach the client one
 * after the other, each flagged SERVER_MORE_RESULTS_EXISTS and followed by the CALL's own OK;
 * the procedure waits while the client reads each one (a result channel between the running
 * procedure and the protocol), so result sets stream. A client without CLIENT_MULTI_RESULTS
 * gets 1312 when the procedure produces a result set. OUT and INOUT arguments write back to
 * user variables (or the caller's local variables); through COM_STMT_EXECUTE, `?` arguments
 * come back as one more result set flagged SERVER_PS_OUT_PARAMS.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/call.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_multi_resultset.html
 * @req CORE-SP-020 CORE-SP-021 CORE-SP-023 CORE-SP-024
 */
import type { CallStatement } from '../../sql/routine-ast.js';
import type { Expr } from '../../sql/ast.js';
import type { OkResult, RowsResult, StatementResult } from '../../kernel/protocol-port.js';
import type { Value } from '../../kernel/value.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { storeValue } from '../../sql/types/store.js';
import { compileExpr } from '../../sql/eval/index.js';
import type { Session } from '../session.js';
import { evalCompiled, makeRuntime } from '../query/runtime.js';
import { subqueryScopeFor } from '../query/subquery-scope.js';
import { exprTypeOfColumn, resultColumnOf } from '../query/column-types.js';
import { assignLocal, currentProgram, runBody, type ProgramContext } from './interpreter.js';
import { bindStoredFunctions } from './functions.js';
import { checkExecute, checkRecursion, findRoutine, loadRoutine, newContext, withRoutineContext } from './invoke.js';
import type { LoadedRoutine } from './program.js';

const CLIENT_MULTI_RESULTS = 1 << 17;
const CLIENT_PS_MULTI_RESULTS = 1 << 18;

/** Hands result sets from the running procedure to the consumer, one at a time. */
class ResultChannel {
  private waiting: ((r: StatementResult | SqlError) => void) | null = null;
  private ready: (StatementResult | SqlError)[] = [];
  private resume: ((abandon: boolean) => void) | null = null;

  /** The procedure produced a result set: hand it over and wait until it was read. */
  emit(r: RowsResult): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.resume = (abandon) => {
        if (abandon) reject(sqlError('ER_QUERY_INTERRUPTED'));
        else resolve();
      };
      this.deliver({ ...r, continuation: (abandon?: boolean) => this.next(abandon === true) });
    });
  }

  finish(r: StatementResult | SqlError): void {
    this.deliver(r);
  }

  private deliver(r: StatementResult | SqlError): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(r);
    } else this.ready.push(r);
  }

  /** The next result (the first one, or the one after the result just read). */
  next(abandon = false): Promise<StatementResult> {
    const resume = this.resume;
    this.resume = null;
    const p = new Promise<StatementResult>((resolve, reject) => {
      const take = (r: StatementResult | SqlError): void => (r instanceof SqlError ? reject(r) : resolve(r));
      const queued = this.ready.shift();
      if (queued !== undefined) take(queued);
      else this.waiting = take;
    });
    resume?.(abandon);
    return p;
  }
}

/** The caller's side of an OUT / INOUT argument. */
type OutTarget = { kind: 'user'; name: string } | { kind: 'local'; ctx: ProgramContext; slot: number } | { kind: 'param'; index: number };

function outTarget(arg: Expr, caller: ProgramContext | undefined): OutTarget | null {
  if (arg.type === 'uservar') return { kind: 'user', name: arg.name };
  if (arg.type === 'param') {
    if (arg.local !== undefined && caller) return { kind: 'local', ctx: caller, slot: arg.index };
    if (arg.local === undefined) return { kind: 'param', index: arg.index };
  }
  return null;
}

/**
 * CALL p(args): at top level a result channel carries its result sets to the client; from a
 * stored program, the caller's sink does.
 * @req CORE-SP-020 CORE-SP-021
 */
export async function executeCall(session: Session, stmt: CallStatement, params: Value[]): Promise<StatementResult> {
  const def = findRoutine(session, 'PROCEDURE', stmt.schema, stmt.name);
  checkExecute(session, def);
  const routine = loadRoutine(def);
  if (stmt.args.length !== routine.params.length) {
    throw sqlError('ER_SP_WRONG_NO_OF_ARGS', 'PROCEDURE', `${def.schema}.${def.name}`, routine.params.length, stmt.args.length);
  }
  checkRecursion(session, def);
  const caller = currentProgram(session);
  // Arguments: IN and INOUT values now, in the caller's context.
  const targets: (OutTarget | null)[] = [];
  routine.params.forEach((p, i) => {
    if (p.mode === 'IN') targets.push(null);
    else {
      const t = outTarget(stmt.args[i] as Expr, caller);
      if (!t) throw sqlError('ER_SP_NOT_VAR_ARG', i + 1, `${def.schema}.${def.name}`);
      targets.push(t);
    }
  });
  for (const a of stmt.args) bindStoredFunctions(session, a);
  const scope = await subqueryScopeFor(session, stmt.args);
  const rt = makeRuntime(session, params);
  const top = caller === undefined;
  const sinkOf = (channel: ResultChannel | null): ProgramContext['sink'] => {
    if (!top) return caller.sink;
    const caps = session.conn.clientCapabilities ?? CLIENT_MULTI_RESULTS;
    if ((caps & CLIENT_MULTI_RESULTS) === 0 && (caps & CLIENT_PS_MULTI_RESULTS) === 0) return null;
    return channel ? (r) => channel.emit(r) : null;
  };
  const channel = top ? new ResultChannel() : null;
  const ctx = newContext(session, routine, sinkOf(channel), top ? true : caller.subStatements);
  for (let i = 0; i < routine.params.length; i++) {
    const p = routine.params[i]!;
    if (p.mode === 'OUT') continue;
    const v = await evalCompiled(compileExpr(stmt.args[i] as Expr, scope), [], rt);
    ctx.values[i] = v === null ? null : storeValue(v, routine.slotTypes[i]!, rt, 1);
  }
  const run = async (): Promise<OkResult> => {
    await withRoutineContext(session, def, () => runBody(ctx, routine.body));
    return writeBack(session, routine.params.map((p) => p.mode), targets, ctx, params);
  };
  if (!channel) return run();
  run().then(
    (ok) => {
      const out = outParamsResult(session, routine, targets, ctx);
      if (out) {
        // The OUT parameters of a prepared CALL, then the OK. @req CORE-SP-023
        void channel.emit(out).then(() => channel.finish(ok), (e: unknown) => channel.finish(e instanceof SqlError ? e : sqlError('ER_QUERY_INTERRUPTED')));
      } else channel.finish(ok);
    },
    (e: unknown) => channel.finish(e instanceof SqlError ? e : sqlError('ER_UNKNOWN_ERROR')),
  );
  return channel.next();
}

/** OUT / INOUT values go back to the caller's variables. @req CORE-SP-024 */
function writeBack(session: Session, modes: string[], targets: (OutTarget | null)[], ctx: ProgramContext, params: Value[]): OkResult {
  const affected = ctx.lastAffected ?? 0n;
  targets.forEach((t, i) => {
    if (!t || modes[i] === 'IN') return;
    const v = ctx.values[i] ?? null;
    if (t.kind === 'user') session.userVars.set(t.name.toLowerCase(), v);
    else if (t.kind === 'local') assignLocal(t.ctx, t.slot, v);
    else params[t.index] = v;
  });
  // The CALL reports the affected rows of the procedure's last statement. @req CORE-SP-020
  return { kind: 'ok', affectedRows: affected, lastInsertId: 0n };
}

/** Through COM_STMT_EXECUTE, the `?` OUT / INOUT arguments as a one-row result set. */
function outParamsResult(session: Session, routine: LoadedRoutine, targets: (OutTarget | null)[], ctx: ProgramContext): RowsResult | null {
  if (session.command !== 'Execute') return null;
  const cols: ResultColumn[] = [];
  const row: Value[] = [];
  targets.forEach((t, i) => {
    if (!t || t.kind !== 'param') return;
    const col = routine.slotTypes[i]!;
    cols.push(resultColumnOf(exprTypeOfColumn(col), routine.params[i]!.name));
    row.push(ctx.values[i] ?? null);
  });
  if (cols.length === 0) return null;
  return { kind: 'rows', columns: cols, rows: [row], outParams: true };
}

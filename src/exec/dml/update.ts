/**
 * UPDATE, single- and multiple-table: assignments evaluated left to right (later assignments
 * see earlier new values), value conversion under the SQL mode, ORDER BY / LIMIT, and the
 * `Rows matched / Changed` accounting (affected rows count only rows that really changed).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @req CORE-EXEC-055 CORE-EXEC-056 CORE-EXEC-058 CORE-EXEC-064 CORE-CONC-003 CORE-CHECK-003
 */
import type { UpdateStatement } from '../../sql/ast.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompiledExpr, type Runtime } from '../../sql/eval/index.js';
import type { Row, Value } from '../../kernel/value.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { makeRuntime } from '../query/runtime.js';
import type { Scope, Source } from '../query/scope.js';
import type { MaybePromise, RowId } from '../../storage/handler.js';
import { checkTableLock } from '../locks/lock-tables.js';
import { compileGenerated, convertForColumn, isPromise, missingValue, finishRow, lazyRelaxed, rowPause, rowRuntime, sameStored, targetOf, updateRow, type WriteTarget } from './common.js';
import { pacerFor } from '../query/run/pacer.js';
import { prepareScan, type Match } from './scan.js';
import { downgradeCheckViolation } from '../check/enforce.js';

interface Assign {
  source: Source;
  col: number;
  slot: number;
  expr: CompiledExpr;
}

/** A table with an assigned column. */
interface Target {
  source: Source;
  target: WriteTarget;
  generated: ReturnType<typeof compileGenerated>;
}

/** One execution's state while rows change. */
interface Run {
  session: Session;
  stmt: UpdateStatement;
  assigns: Assign[];
  targets: Map<number, Target>;
  targetList: [number, Target][];
  rt: Runtime;
  relaxed: () => Runtime;
  /** NOW() for ON UPDATE CURRENT_TIMESTAMP columns. */
  now: CompiledExpr;
  /** Row handles already updated, per target (a join can meet a row twice). */
  done: Map<number, Set<string>>;
  matched: number;
  changed: number;
}

/** @req CORE-EXEC-055 */
export async function executeUpdate(session: Session, stmt: UpdateStatement, params: Value[]): Promise<OkResult> {
  // A multiple-table UPDATE takes neither ORDER BY nor LIMIT (1221). @req CORE-EXEC-055
  if (stmt.tables.length > 1 || stmt.tables[0]?.type !== 'table') {
    if (stmt.orderBy?.length) throw sqlError('ER_WRONG_USAGE', 'UPDATE', 'ORDER BY');
    if (stmt.limit) throw sqlError('ER_WRONG_USAGE', 'UPDATE', 'LIMIT');
  }
  const targetNames = stmt.tables.flatMap((t) => (t.type === 'table' ? [{ schema: t.table.schema ?? session.schema ?? '', name: t.table.name }] : []));
  const scan = await prepareScan(session, stmt.tables, stmt.where, stmt.orderBy, stmt.limit, stmt.set.map((a) => a.value), stmt.tables.length === 1 ? targetNames : []);
  const rt = makeRuntime(session, params);
  // Strict UPDATE without IGNORE: division by zero is error 1365 (ERROR_FOR_DIVISION_BY_ZERO). @req CORE-EXEC-064
  rt.strictDml = !stmt.ignore;
  const assigns = compileAssignments(scan.scope, stmt);
  const targets = openTargets(session, assigns);
  const now = compileExpr({ type: 'func', name: 'NOW', args: [] }, scan.scope);
  const run: Run = { session, stmt, assigns, targets, targetList: [...targets], rt, relaxed: lazyRelaxed(rt), now, done: new Map(), matched: 0, changed: 0 };
  for (const t of targets.values()) scan.target(t.source);
  const pacer = pacerFor(session);
  session.stage = 'Searching rows for update';
  const matches = await scan.collect(rt, pacer);
  session.stage = 'updating';
  let rowNumber = 0;
  for (const m of matches) {
    rowNumber++;
    const pause = rowPause(pacer, rowNumber);
    if (pause) await pause;
    const write = updateMatch(run, m, rowNumber);
    if (write) await write;
  }
  return {
    kind: 'ok',
    // CLIENT_FOUND_ROWS: the client asked for matched rows instead of changed rows.
    affectedRows: BigInt(session.clientFoundRows() ? run.matched : run.changed),
    lastInsertId: 0n,
    info: `Rows matched: ${run.matched}  Changed: ${run.changed}  Warnings: ${session.diagnostics.warningCount()}`,
  };
}

/** SET col = expr, ...: each assignment's column and compiled value. */
function compileAssignments(scope: Scope, stmt: UpdateStatement): Assign[] {
  scope.clause = 'field list';
  const assigns: Assign[] = [];
  for (const a of stmt.set) {
    const r = scope.lookup(a.column);
    if (r === 'ambiguous') throw sqlError('ER_NON_UNIQ_ERROR', a.column.name, 'field list');
    if (!r || !('source' in r) || !r.source) {
      const name = [a.column.table, a.column.name].filter((x) => x !== undefined).join('.');
      throw sqlError('ER_BAD_FIELD_ERROR', name, 'field list');
    }
    const source = r.source;
    const col = r.slot - source.base;
    const def = source.tableDef;
    if (!def || !source.opened || source.opened.kind !== 'base') throw sqlError('ER_NON_UPDATABLE_TABLE', source.alias, 'UPDATE');
    const isDefault = a.value.type === 'default' && a.value.column === undefined;
    if (def.columns[col]?.generated && !isDefault) {
      throw sqlError('ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN', def.columns[col]!.name, def.name);
    }
    let expr: CompiledExpr;
    if (isDefault) {
      const c = def.columns[col]!;
      expr = { eval: (_row, rrt) => missingValue(c, rrt, false), type: r.type };
    } else expr = compileExpr(a.value, scope);
    assigns.push({ source, col, slot: r.slot, expr });
  }
  return assigns;
}

/** Targets: every table with an assigned column, opened for writing. */
function openTargets(session: Session, assigns: Assign[]): Map<number, Target> {
  const targets = new Map<number, Target>();
  for (const a of assigns) {
    if (targets.has(a.source.index)) continue;
    const opened = a.source.opened;
    if (!opened || opened.kind !== 'base') throw sqlError('ER_NON_UPDATABLE_TABLE', a.source.alias, 'UPDATE');
    if (['information_schema', 'performance_schema'].includes(opened.def.schema.toLowerCase())) {
      throw sqlError('ER_DBACCESS_DENIED_ERROR', session.account.user, session.account.host, opened.def.schema.toLowerCase());
    }
    if (!opened.def.temporary) checkTableLock(session, opened.def.schema, opened.def.name, a.source.alias !== opened.def.name ? a.source.alias : undefined, true);
    targets.set(a.source.index, { source: a.source, target: targetOf(session, opened.def, opened.handler, opened.engine), generated: compileGenerated(opened.def) });
  }
  return targets;
}

/**
 * One qualifying row combination: new values left to right, then each target row changed.
 * Synchronous unless an engine answers a write with a promise.
 */
function updateMatch(run: Run, m: Match, rowNumber: number): Promise<void> | null {
  const buf = m.row;
  const first = run.targetList[0]?.[1];
  const rowRt = first ? rowRuntime(run.rt, run.relaxed, first.target, rowNumber, run.stmt.ignore) : run.rt;
  for (let k = 0; k < run.assigns.length; k++) {
    const a = run.assigns[k]!;
    if (!m.refs[a.source.index]) continue; // NULL-extended side of an outer join
    // A value that must be awaited (a stored function): the rest of this row goes async. @req CORE-SP-030
    if (a.expr.async && a.expr.evalAsync) return updateMatchAsync(run, m, rowRt, rowNumber, k);
    const def = a.source.tableDef!;
    buf[a.slot] = convertForColumn(a.expr.eval(buf, rowRt), def.columns[a.col]!, def, rowRt, rowNumber, { update: true, ignore: run.stmt.ignore });
  }
  return updateTargets(run, m, rowRt, rowNumber, 0);
}

/** {@link updateMatch} from assignment `from` on, awaiting asynchronous values. */
async function updateMatchAsync(run: Run, m: Match, rowRt: Runtime, rowNumber: number, from: number): Promise<void> {
  const buf = m.row;
  for (let k = from; k < run.assigns.length; k++) {
    const a = run.assigns[k]!;
    if (!m.refs[a.source.index]) continue;
    const def = a.source.tableDef!;
    const v = a.expr.async && a.expr.evalAsync ? await a.expr.evalAsync(buf, rowRt) : a.expr.eval(buf, rowRt);
    buf[a.slot] = convertForColumn(v, def.columns[a.col]!, def, rowRt, rowNumber, { update: true, ignore: run.stmt.ignore });
  }
  await updateTargets(run, m, rowRt, rowNumber, 0);
}

/** Change the target rows of a match from target `from` on. */
function updateTargets(run: Run, m: Match, rowRt: Runtime, rowNumber: number, from: number): Promise<void> | null {
  for (let i = from; i < run.targetList.length; i++) {
    const [idx, t] = run.targetList[i]!;
    const ref = m.refs[idx];
    if (!ref || !firstVisit(run.done, idx, ref.id)) continue;
    run.matched++;
    const next = newRow(run, t, m.row, ref.row, rowRt, rowNumber);
    if (!next) continue;
    const w = writeRow(run, t, ref.id, ref.row, next);
    if (typeof w !== 'boolean') {
      return w.then((ok) => {
        if (ok && !t.target.writer.lastUpdateUnchanged) run.changed++;
        return updateTargets(run, m, rowRt, rowNumber, i + 1);
      }).then(() => undefined);
    }
    if (w && !t.target.writer.lastUpdateUnchanged) run.changed++;
  }
  return null;
}

function firstVisit(done: Map<number, Set<string>>, idx: number, id: RowId): boolean {
  let seen = done.get(idx);
  if (!seen) done.set(idx, (seen = new Set()));
  const key = typeof id === 'bigint' ? 'b' + id.toString() : String(id);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** The target's new row, or null when nothing changes (ON UPDATE and generated columns filled). */
function newRow(run: Run, t: Target, buf: Row, old: Row, rowRt: Runtime, rowNumber: number): Row | null {
  const def = t.source.tableDef!;
  const base = t.source.base;
  const next: Row = buf.slice(base, base + def.columns.length);
  let diff = false;
  for (let i = 0; i < def.columns.length; i++) if (!sameStored(old[i]!, next[i]!)) diff = true;
  // An unchanged row still goes to the writer when UPDATE triggers may change it. @req CORE-TRG-004
  if (!diff) {
    if (!t.target.writer.firesOn('UPDATE')) return null;
    finishRow(def, next, t.generated, rowRt, rowNumber);
    return next;
  }
  for (let i = 0; i < def.columns.length; i++) {
    const c = def.columns[i]!;
    if (c.onUpdateNow && !run.assigns.some((a) => a.source === t.source && a.col === i)) {
      next[i] = convertForColumn(run.now.eval([], rowRt), c, def, rowRt, rowNumber, { update: true });
    }
  }
  finishRow(def, next, t.generated, rowRt, rowNumber);
  return next;
}

/** Change one row; false when UPDATE IGNORE skipped it as a duplicate key (a warning). */
function writeRow(run: Run, t: Target, id: RowId, old: Row, next: Row): boolean | Promise<boolean> {
  let w: MaybePromise<void>;
  try {
    w = updateRow(t.target, id, old, next);
  } catch (e) {
    return skipDuplicate(run, e);
  }
  if (isPromise(w)) return w.then(() => true, (e: unknown) => skipDuplicate(run, e));
  return true;
}

function skipDuplicate(run: Run, e: unknown): false {
  // UPDATE IGNORE skips a row whose new values violate a CHECK constraint (warning 3819). @req CORE-CHECK-003
  if (run.stmt.ignore && downgradeCheckViolation((l, n, m) => run.session.warnRaw(l, n, m), e)) return false;
  if (run.stmt.ignore && e instanceof Error && 'errno' in e && (e as { errno: number }).errno === 1062) {
    run.session.warn('Warning', 'ER_DUP_ENTRY', ...dupArgs(e.message));
    return false;
  }
  // IGNORE turns a foreign key failure into a warning; the engine has undone the row (INNODB-FK-108).
  if (run.stmt.ignore && e instanceof SqlError && (e.errno === 1451 || e.errno === 1452)) {
    run.session.warnRaw('Warning', e.errno, e.message);
    return false;
  }
  throw e;
}

function dupArgs(message: string): [string, string] {
  const m = /^Duplicate entry '(.*)' for key '(.*)'$/s.exec(message);
  return m ? [m[1]!, m[2]!] : [message, ''];
}

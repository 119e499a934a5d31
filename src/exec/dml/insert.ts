/**
 * INSERT and REPLACE: VALUES / SET / SELECT sources, column lists, DEFAULT, AUTO_INCREMENT,
 * IGNORE, ON DUPLICATE KEY UPDATE (with VALUES() and row aliases), and the affected-rows and
 * info-string accounting clients rely on.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert-on-duplicate.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/replace.html
 * @req CORE-EXEC-050 CORE-EXEC-051 CORE-EXEC-052 CORE-EXEC-053 CORE-EXEC-054 CORE-EXEC-056 CORE-EXEC-057 CORE-EXEC-058 CORE-EXEC-064 CORE-CONC-003 CORE-EXPR-091 CORE-CHECK-003
 */
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import type { ColumnRef, Expr, InsertStatement } from '../../sql/ast.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type ExprType, type Runtime } from '../../sql/eval/index.js';
import type { Row, Value } from '../../kernel/value.js';
import { type MaybePromise, type RowId, type RowRef } from '../../storage/handler.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { exprTypeOfColumn } from '../query/column-types.js';
import { makeRuntime } from '../query/runtime.js';
import { subqueryScopeFor } from '../query/subquery-scope.js';
import { runSelect } from '../query/select.js';
import {
  compileGenerated,
  convertForColumn,
  finishRow,
  insertInfo,
  missingValue,
  openForWrite,
  lazyRelaxed,
  rowRuntime,
  sameStored,
  type WriteTarget,
  deleteRow,
  insertRow,
  isPromise,
  rowPause,
  updateRow,
} from './common.js';
import { pacerFor } from '../query/run/pacer.js';
import { implicitDefault } from '../../sql/types/index.js';
import { downgradeCheckViolation } from '../check/enforce.js';

const MISSING = Symbol('missing');

function columnIndexes(target: WriteTarget, names: string[] | undefined): number[] {
  const cols = target.def.columns;
  if (!names) return cols.map((c, i) => (c.invisible ? -1 : i)).filter((i) => i >= 0);
  const out: number[] = [];
  for (const n of names) {
    const i = cols.findIndex((c) => c.name.toLowerCase() === n.toLowerCase());
    if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', n, 'field list');
    if (out.includes(i)) throw sqlError('ER_FIELD_SPECIFIED_TWICE', cols[i]!.name);
    out.push(i);
  }
  return out;
}

type Conflict = { ref: RowRef; index: IndexDef } | null;

/** Errors that end the statement: a lock wait that failed, KILL, max_execution_time. */
const STATEMENT_ENDING = new Set([1205, 1213, 1317, 3024, 3572]);

/**
 * Find the existing row that conflicts with `row` on a unique key, locking it for the change
 * (a row-locking engine may make this wait).
 */
function findConflict(target: WriteTarget, row: Row): MaybePromise<Conflict> {
  const keys = target.def.indexes.filter((ix) => ix.kind === 'PRIMARY' || ix.kind === 'UNIQUE');
  const step = (i: number): MaybePromise<Conflict> => {
    for (; i < keys.length; i++) {
      const ix = keys[i]!;
      const key = ix.parts.map((p) => row[p.column] ?? null);
      if (key.some((v) => v === null)) continue;
      const out: RowRef[] = [];
      let n: MaybePromise<number>;
      const cursor = target.handler.indexRead(target.ctx, ix.name, { kind: 'eq', key }, { lock: 'exclusive', canWait: true });
      try {
        n = cursor.fill(out, 1);
      } catch (e) {
        cursor.close();
        if (e instanceof SqlError && STATEMENT_ENDING.has(e.errno)) throw e;
        continue;
      }
      if (isPromise(n)) {
        const at = i;
        return n.then(
          () => {
            cursor.close();
            return out.length > 0 ? { ref: out[0]!, index: ix } : step(at + 1);
          },
          (e: unknown) => {
            cursor.close();
            throw e;
          },
        );
      }
      cursor.close();
      if (out.length > 0) return { ref: out[0]!, index: ix };
    }
    return null;
  };
  return step(0);
}

/** A listed column's value for one row; a promise when its expression waits (SLEEP, GET_LOCK). */
type Producer = (row: Row, rowRt: Runtime) => Value | typeof MISSING | Promise<Value>;

/** The producer of a bare DEFAULT: the column's default is filled in later. */
const DEFAULT_PRODUCER: Producer = () => MISSING;

/** The rows an INSERT writes: per row, a value producer per listed column. */
interface RowSources {
  colIdx: number[];
  rows: Producer[][];
  multiRow: boolean;
  /** The `Records: n  Duplicates: n  Warnings: n` info string is sent. */
  infoWanted: boolean;
}

/** One execution's state while rows are inserted. */
interface InsertRun {
  session: Session;
  stmt: InsertStatement;
  target: WriteTarget;
  rt: Runtime;
  relaxed: () => Runtime;
  rowScope: CompileScope;
  src: RowSources;
  listed: boolean[];
  generated: ReturnType<typeof compileGenerated>;
  dupAssign: { col: number; expr: CompiledExpr }[] | null;
  autoCol: number;
  affected: bigint;
  duplicates: number;
  firstGenerated: bigint | null;
  lastExplicit: bigint | null;
}

/**
 * Rows another statement supplies instead of VALUES / SET / SELECT (LOAD DATA): the columns they
 * fill and, per row, one value producer per column, built over the statement's row scope (so
 * SET expressions read the row being built); the supplier writes the info string.
 * @req CORE-LOAD-001
 */
export interface InsertFeed {
  columns: string[];
  rows(rowScope: CompileScope): ((row: Row, rowRt: Runtime) => Value | Promise<Value>)[][];
  info(records: number, duplicates: number, affected: bigint, warnings: number): string;
  /** Called after row `rowNumber` (1-based) was written or skipped. */
  rowDone?(rowNumber: number, rowRt: Runtime): void;
}

/** @req CORE-EXEC-050 */
export async function executeInsert(session: Session, stmt: InsertStatement, params: Value[], feed?: InsertFeed): Promise<OkResult> {
  const target = await openForWrite(session, stmt.table);
  const def = target.def;
  const rt = makeRuntime(session, params);
  // Strict INSERT/REPLACE without IGNORE: division by zero is error 1365 (ERROR_FOR_DIVISION_BY_ZERO). @req CORE-EXEC-064
  rt.strictDml = !stmt.ignore;
  const rowScope = await rowScopeOf(session, stmt, def, rt);
  const src = feed ? { colIdx: columnIndexes(target, feed.columns), rows: feed.rows(rowScope), multiRow: true, infoWanted: true } : await rowSources(session, stmt, target, rowScope, params, rt);
  const listed = new Array<boolean>(def.columns.length).fill(false);
  for (const i of src.colIdx) listed[i] = true;
  checkGeneratedTargets(def, src, rt);
  const run: InsertRun = {
    session, stmt, target, rt, relaxed: lazyRelaxed(rt), rowScope, src, listed,
    generated: compileGenerated(def),
    dupAssign: stmt.onDuplicate ? compileOnDuplicate(session, stmt, def, rowScope, rt) : null,
    autoCol: def.columns.findIndex((c) => c.autoIncrement),
    affected: 0n, duplicates: 0, firstGenerated: null, lastExplicit: null,
  };
  const pacer = pacerFor(session);
  let rowNumber = 0;
  // The engine hears of the statement's rows and of their end, also after an error (MySQL's
  // start_bulk_insert / end_bulk_insert): ARCHIVE makes a bulk insert visible only at its end,
  // FEDERATED sends the rows as one multi-row INSERT, told how duplicates are treated. ON
  // DUPLICATE KEY UPDATE needs each row's answer, so its rows go one by one.
  // @req ARCHIVE-045 FEDERATED-083
  const { handler, ctx } = target;
  const bulk = !stmt.onDuplicate && handler.startBulkInsert !== undefined;
  if (bulk) {
    const started = handler.startBulkInsert!(ctx, stmt.select ? null : src.rows.length, stmt.replace ? 'replace' : stmt.ignore ? 'ignore' : 'insert');
    if (isPromise(started)) await started;
  }
  try {
    for (const producers of src.rows) {
      rowNumber++;
      const pause = rowPause(pacer, rowNumber);
      if (pause) await pause;
      const rowRt = rowRuntime(rt, run.relaxed, target, rowNumber, stmt.ignore);
      const built = buildRow(run, producers, rowRt, rowNumber);
      const row = isPromise(built) ? await built : built;
      const write = insertOne(run, row, rowRt, rowNumber, 0);
      if (write) await write;
      feed?.rowDone?.(rowNumber, rowRt);
    }
  } catch (e) {
    // The rows accepted before the failure are still written (a non-transactional engine keeps them).
    if (bulk) await Promise.resolve(handler.endBulkInsert?.(ctx)).catch(() => undefined);
    throw e;
  }
  if (bulk) {
    const ended = handler.endBulkInsert?.(ctx);
    if (isPromise(ended)) await ended;
  }
  if (run.firstGenerated !== null) session.lastInsertId = run.firstGenerated;
  const insertId = run.firstGenerated ?? run.lastExplicit ?? 0n;
  const ok: OkResult = { kind: 'ok', affectedRows: run.affected, lastInsertId: insertId < 0n ? 0n : insertId };
  if (src.infoWanted) ok.info = feed ? feed.info(src.rows.length, run.duplicates, run.affected, session.diagnostics.warningCount()) : insertInfo(src.rows.length, run.duplicates, session.diagnostics.warningCount());
  return ok;
}

/** Value expressions see the row being built (`INSERT ... VALUES (1, a + 1)`), and may hold subqueries. */
async function rowScopeOf(session: Session, stmt: InsertStatement, def: TableDef, rt: Runtime): Promise<CompileScope> {
  const extraExprs: Expr[] = [];
  for (const r of stmt.values ?? []) extraExprs.push(...r);
  for (const a of stmt.set ?? []) extraExprs.push(a.value);
  for (const a of stmt.onDuplicate ?? []) extraExprs.push(a.value);
  const subScope = await subqueryScopeFor(session, extraExprs);
  return {
    resolveColumn(ref: ColumnRef) {
      if (ref.table !== undefined && ref.table.toLowerCase() !== def.name.toLowerCase()) throw sqlError('ER_BAD_FIELD_ERROR', `${ref.table}.${ref.name}`, 'field list');
      const i = def.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
      if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', ref.table ? `${ref.table}.${ref.name}` : ref.name, 'field list');
      return { slot: i, type: exprTypeOfColumn(def.columns[i]!) };
    },
    defaultOf(column) {
      if (column === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'DEFAULT here');
      const col = def.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
      if (!col) throw sqlError('ER_BAD_FIELD_ERROR', column, 'field list');
      return { eval: (_r, rrt) => missingValue(col, rrt, false), type: exprTypeOfColumn(col) };
    },
    subquery: subScope.subquery!.bind(subScope),
    database: () => session.schema,
    sqlMode: rt.sqlMode,
  };
}

/**
 * The rows to insert: SET, VALUES, or a SELECT (read through the pausing pipeline and held
 * until the inserts begin, so a statement never reads its own rows).
 */
async function rowSources(session: Session, stmt: InsertStatement, target: WriteTarget, rowScope: CompileScope, params: Value[], rt: Runtime): Promise<RowSources> {
  const producerFor = (e: Expr): Producer => {
    if (e.type === 'default' && e.column === undefined) return DEFAULT_PRODUCER;
    const c = compileExpr(e, rowScope);
    // An asynchronous expression is evaluated through evalAsync (its eval is not a value). @req CORE-EXPR-091
    const evalAsync = c.async ? c.evalAsync : undefined;
    if (evalAsync) return (row, rowRt) => evalAsync(row, rowRt);
    return (row, rowRt) => c.eval(row, rowRt);
  };
  if (stmt.set) {
    const colIdx = columnIndexes(target, stmt.set.map((a) => a.column.name));
    return { colIdx, rows: [stmt.set.map((a) => producerFor(a.value))], multiRow: false, infoWanted: false };
  }
  const colIdx = columnIndexes(target, stmt.columns);
  if (stmt.select) {
    const res = await runSelect(session, stmt.select, params, rt);
    if (res.columns.length !== colIdx.length) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', 1);
    return { colIdx, rows: res.rows.map((r) => r.map((v) => () => v)), multiRow: true, infoWanted: true };
  }
  const rows = stmt.values ?? [];
  rows.forEach((r, i) => {
    if (r.length !== colIdx.length && !(r.length === 0 && !stmt.columns)) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', i + 1);
  });
  return { colIdx, rows: rows.map((r) => (r.length === 0 ? [] : r.map((e) => producerFor(e)))), multiRow: rows.length > 1, infoWanted: rows.length > 1 };
}

/** Only DEFAULT may be written into a generated column (3105). */
function checkGeneratedTargets(def: TableDef, src: RowSources, rt: Runtime): void {
  for (const i of src.colIdx) {
    const c = def.columns[i]!;
    if (!c.generated) continue;
    for (const producers of src.rows) {
      const p = producers[src.colIdx.indexOf(i)];
      if (p && p !== DEFAULT_PRODUCER && p([], rt) !== MISSING) throw sqlError('ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN', c.name, def.name);
    }
  }
}

/** ON DUPLICATE KEY UPDATE: slots 0..n-1 the existing row, n..2n-1 the proposed row. */
function compileOnDuplicate(session: Session, stmt: InsertStatement, def: TableDef, rowScope: CompileScope, rt: Runtime): { col: number; expr: CompiledExpr }[] {
  const ncols = def.columns.length;
  const alias = stmt.rowAlias;
  const aliasCols = alias?.columns;
  const colType = (i: number): ExprType => exprTypeOfColumn(def.columns[i]!);
  const find = (name: string) => def.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  const dupScope: CompileScope = {
    resolveColumn(ref) {
      if (alias && ref.table !== undefined && ref.table.toLowerCase() === alias.name.toLowerCase()) {
        const i = aliasCols ? aliasCols.findIndex((n) => n.toLowerCase() === ref.name.toLowerCase()) : find(ref.name);
        if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', `${ref.table}.${ref.name}`, 'field list');
        return { slot: ncols + i, type: colType(i) };
      }
      if (ref.table !== undefined && ref.table.toLowerCase() !== def.name.toLowerCase()) throw sqlError('ER_BAD_FIELD_ERROR', `${ref.table}.${ref.name}`, 'field list');
      const i = find(ref.name);
      if (i < 0) {
        if (alias && aliasCols && ref.table === undefined) {
          const j = aliasCols.findIndex((n) => n.toLowerCase() === ref.name.toLowerCase());
          if (j >= 0) return { slot: ncols + j, type: colType(j) };
        }
        throw sqlError('ER_BAD_FIELD_ERROR', ref.table ? `${ref.table}.${ref.name}` : ref.name, 'field list');
      }
      return { slot: i, type: colType(i) };
    },
    valuesRef(column) {
      const i = find(column);
      if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', column, 'field list');
      return { eval: (row) => row[ncols + i] ?? null, type: colType(i) };
    },
    defaultOf: rowScope.defaultOf!,
    subquery: rowScope.subquery!,
    database: () => session.schema,
    sqlMode: rt.sqlMode,
  };
  return stmt.onDuplicate!.map((a) => {
    const i = find(a.column.name);
    if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', a.column.name, 'field list');
    if (a.value.type === 'default' && a.value.column === undefined) {
      const col = def.columns[i]!;
      return { col: i, expr: { eval: (_r: Row, rrt: Runtime) => missingValue(col, rrt, false), type: colType(i) } };
    }
    return { col: i, expr: compileExpr(a.value, dupScope) };
  });
}

/** The row to insert: defaults first (later expressions may read earlier columns), then the
 *  listed values, the AUTO_INCREMENT value and the generated columns. Synchronous unless a
 *  value expression waits (SLEEP, GET_LOCK): then the rest of the row is built after it. */
function buildRow(run: InsertRun, producers: Producer[], rowRt: Runtime, rowNumber: number): Row | Promise<Row> {
  const def = run.target.def;
  const ncols = def.columns.length;
  const strictRow = rowRt.sqlMode.has('STRICT_TRANS_TABLES') || rowRt.sqlMode.has('STRICT_ALL_TABLES');
  const row: Row = new Array<Value>(ncols).fill(null);
  for (let i = 0; i < ncols; i++) {
    const c = def.columns[i]!;
    if ((!run.listed[i] || producers.length === 0) && !c.generated) row[i] = missingValue(c, rowRt, strictRow);
    // A listed column not assigned yet reads as its default record value: the literal default,
    // else NULL or the type's implicit default (INSERT INTO t VALUES (a + 2) reads a as 0),
    // without the 1364 check, which only concerns columns the statement leaves out. @req CORE-MODE-003
    else if (!c.generated) row[i] = c.default !== undefined ? c.default : c.nullable || c.defaultExpr !== undefined ? null : implicitDefault(c);
  }
  const store = (k: number, v: Value | typeof MISSING): void => {
    const i = run.src.colIdx[k]!;
    const c = def.columns[i]!;
    row[i] = v === MISSING ? missingValue(c, rowRt, strictRow) : convertForColumn(v, c, def, rowRt, rowNumber, { multiRow: run.src.multiRow, ignore: run.stmt.ignore });
  };
  const fillFrom = (start: number): Row | Promise<Row> => {
    for (let k = start; k < producers.length; k++) {
      if (def.columns[run.src.colIdx[k]!]!.generated) continue;
      const v = producers[k]!(row, rowRt);
      if (isPromise(v)) {
        return v.then((value) => {
          store(k, value);
          return fillFrom(k + 1);
        });
      }
      store(k, v);
    }
    if (run.autoCol >= 0) autoIncrement(run, row);
    finishRow(def, row, run.generated, rowRt, rowNumber);
    return row;
  };
  return fillFrom(0);
}

/** NULL (or 0 unless NO_AUTO_VALUE_ON_ZERO) takes the next AUTO_INCREMENT value. */
function autoIncrement(run: InsertRun, row: Row): void {
  const { handler, ctx } = run.target;
  const v = row[run.autoCol]!;
  const zero = v !== null && (v === 0n || v === 0 || (typeof v === 'object' && 'unscaled' in v && v.unscaled === 0n));
  if (v === null || (zero && !run.rt.sqlMode.has('NO_AUTO_VALUE_ON_ZERO'))) { // @req CORE-MODE-017
    const id = handler.reserveAutoIncrement(ctx, 1, row).first;
    row[run.autoCol] = id;
    if (run.firstGenerated === null) run.firstGenerated = id;
    return;
  }
  const n = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
  if (n > 0n) handler.observeAutoIncrement(ctx, n);
  run.lastExplicit = n;
}

/**
 * Insert one row, resolving a duplicate-key conflict as the statement asks (ON DUPLICATE KEY
 * UPDATE, REPLACE, IGNORE). Synchronous unless an engine answers a write with a promise.
 */
function insertOne(run: InsertRun, row: Row, rowRt: Runtime, rowNumber: number, attempt: number): Promise<void> | null {
  let w: MaybePromise<RowId>;
  try {
    w = insertRow(run.target, row);
  } catch (e) {
    return onConflict(run, e, row, rowRt, rowNumber, attempt);
  }
  if (isPromise(w)) return w.then(() => inserted(run), (e: unknown) => onConflict(run, e, row, rowRt, rowNumber, attempt) ?? undefined);
  inserted(run);
  return null;
}

function inserted(run: InsertRun): void {
  run.affected += 1n;
}

function onConflict(run: InsertRun, e: unknown, row: Row, rowRt: Runtime, rowNumber: number, attempt: number): Promise<void> | null {
  // IGNORE skips a row that violates a CHECK constraint, with the error as a warning. @req CORE-CHECK-003
  if (run.stmt.ignore && downgradeCheckViolation((l, n, m) => run.session.warnRaw(l, n, m), e)) return null;
  // IGNORE turns a foreign key failure into a warning; the engine has undone the row (INNODB-FK-108).
  if (run.stmt.ignore && e instanceof SqlError && (e.errno === 1452 || e.errno === 1451)) {
    run.session.warnRaw('Warning', e.errno, e.message);
    return null;
  }
  // A duplicate the engine cannot name a key for (ER_DUP_KEY, ARCHIVE's AUTO_INCREMENT rule):
  // IGNORE skips the row with the error as a warning; REPLACE and ON DUPLICATE KEY UPDATE have
  // no row to act on, so the error stands. @req ARCHIVE-023
  if (run.stmt.ignore && e instanceof SqlError && e.errno === 1022) {
    run.session.warnRaw('Warning', e.errno, e.message);
    run.duplicates++;
    return null;
  }
  if (!(e instanceof SqlError) || e.errno !== 1062) throw e;
  if (run.dupAssign) return updateDuplicate(run, e, row, rowRt, rowNumber);
  if (run.stmt.replace) {
    const found = findConflict(run.target, row);
    if (isPromise(found)) return found.then((c) => replaceConflict(run, e, c, row, rowRt, rowNumber, attempt) ?? undefined);
    return replaceConflict(run, e, found, row, rowRt, rowNumber, attempt);
  }
  if (run.stmt.ignore) {
    run.session.warn('Warning', 'ER_DUP_ENTRY', ...dupArgs(e));
    run.duplicates++;
    return null;
  }
  throw e;
}

/** REPLACE: delete the conflicting row, then insert again. @req CORE-EXEC-051 */
function replaceConflict(run: InsertRun, e: SqlError, conflict: Conflict, row: Row, rowRt: Runtime, rowNumber: number, attempt: number): Promise<void> | null {
  if (!conflict || attempt > run.target.def.indexes.length) throw e;
  const d = deleteRow(run.target, conflict.ref.id, conflict.ref.row);
  const retry = (): Promise<void> | null => {
    run.affected += 1n;
    run.duplicates++;
    return insertOne(run, row, rowRt, rowNumber, attempt + 1);
  };
  return isPromise(d) ? d.then(() => retry() ?? undefined) : retry();
}

/** ON DUPLICATE KEY UPDATE of the conflicting row. @req CORE-EXEC-051 */
function updateDuplicate(run: InsertRun, e: SqlError, row: Row, rowRt: Runtime, rowNumber: number): Promise<void> | null {
  const found = findConflict(run.target, row);
  if (isPromise(found)) return found.then((c) => updateConflict(run, e, c, row, rowRt, rowNumber) ?? undefined);
  return updateConflict(run, e, found, row, rowRt, rowNumber);
}

function updateConflict(run: InsertRun, e: SqlError, conflict: Conflict, row: Row, rowRt: Runtime, rowNumber: number): Promise<void> | null {
  const def = run.target.def;
  const ncols = def.columns.length;
  if (!conflict) throw e;
  const old = conflict.ref.row;
  const buf: Row = [...old, ...row];
  const updated = old.slice();
  for (const a of run.dupAssign!) {
    const stored = convertForColumn(a.expr.eval(buf, rowRt), def.columns[a.col]!, def, rowRt, rowNumber, { update: true, ignore: run.stmt.ignore });
    updated[a.col] = stored;
    buf[a.col] = stored;
  }
  let changed = false;
  for (let i = 0; i < ncols; i++) if (!sameStored(old[i]!, updated[i]!)) changed = true;
  let write: MaybePromise<void> = undefined;
  // UPDATE triggers fire for the duplicate row even when the assignments change nothing. @req CORE-TRG-004
  const fires = run.target.writer.firesOn('UPDATE');
  if (changed || fires) {
    for (let i = 0; i < ncols; i++) {
      const c = def.columns[i]!;
      if (changed && c.onUpdateNow && !run.dupAssign!.some((a) => a.col === i)) {
        updated[i] = convertForColumn(compileExpr({ type: 'func', name: 'NOW', args: [] }, run.rowScope).eval([], rowRt), c, def, rowRt, rowNumber, { update: true });
      }
    }
    finishRow(def, updated, run.generated, rowRt, rowNumber);
    try {
      write = updateRow(run.target, conflict.ref.id, old, updated);
    } catch (err) {
      // INSERT IGNORE ... ON DUPLICATE KEY UPDATE: an update violating a CHECK constraint is skipped. @req CORE-CHECK-003
      if (run.stmt.ignore && downgradeCheckViolation((l, n, m) => run.session.warnRaw(l, n, m), err)) return null;
      throw err;
    }
  }
  const after = (): void => {
    if (fires) changed = !run.target.writer.lastUpdateUnchanged;
    if (changed) {
      run.affected += 2n;
      run.duplicates++;
    } else if (run.session.clientFoundRows()) {
      // CLIENT_FOUND_ROWS: an unchanged duplicate still counts as one found row.
      run.affected += 1n;
    }
    if (run.autoCol >= 0 && run.firstGenerated !== null && row[run.autoCol] === run.firstGenerated && rowNumber === 1) {
      // The generated id was not used; MySQL reports the updated row's id instead.
      const idv = updated[run.autoCol];
      if (typeof idv === 'bigint') run.firstGenerated = idv;
    }
  };
  if (isPromise(write)) return write.then(after);
  after();
  return null;
}

/** Recover the `Duplicate entry 'v' for key 'k'` arguments from an engine's 1062 error. */
function dupArgs(e: SqlError): [string, string] {
  const m = /^Duplicate entry '(.*)' for key '(.*)'$/s.exec(e.message);
  return m ? [m[1]!, m[2]!] : [e.message, ''];
}

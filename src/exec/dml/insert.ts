/**
 * INSERT and REPLACE: VALUES / SET / SELECT sources, column lists, DEFAULT, AUTO_INCREMENT,
 * IGNORE, ON DUPLICATE KEY UPDATE (with VALUES() and row aliases), and the affected-rows and
 * info-string accounting clients rely on.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert-on-duplicate.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/replace.html
 * @req CORE-EXEC-050 CORE-EXEC-051 CORE-EXEC-052 CORE-EXEC-053 CORE-EXEC-054 CORE-EXEC-056 CORE-EXEC-057 CORE-EXEC-058 CORE-EXEC-064 CORE-CONC-003
 */
import type { IndexDef } from '../../kernel/table-def.js';
import type { ColumnRef, Expr, InsertStatement } from '../../sql/ast.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type ExprType, type Runtime } from '../../sql/eval/index.js';
import type { Row, Value } from '../../kernel/value.js';
import { drainSync, type RowRef } from '../../storage/handler.js';
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
  noteWrite,
  openForWrite,
  relaxedRuntime,
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

/** Find the existing row that conflicts with `row` on a unique key. */
function findConflict(target: WriteTarget, row: Row): { ref: RowRef; index: IndexDef } | null {
  for (const ix of target.def.indexes) {
    if (ix.kind !== 'PRIMARY' && ix.kind !== 'UNIQUE') continue;
    const key = ix.parts.map((p) => row[p.column] ?? null);
    if (key.some((v) => v === null)) continue;
    let found: RowRef[];
    try {
      found = drainSync(target.handler.indexRead(target.ctx, ix.name, { kind: 'eq', key }, { lock: 'exclusive', canWait: false }), 1);
    } catch {
      continue;
    }
    if (found.length > 0) return { ref: found[0]!, index: ix };
  }
  return null;
}

/** @req CORE-EXEC-050 */
export async function executeInsert(session: Session, stmt: InsertStatement, params: Value[]): Promise<OkResult> {
  const target = await openForWrite(session, stmt.table);
  const def = target.def;
  const ncols = def.columns.length;
  const rt = makeRuntime(session, params);
  // Strict INSERT/REPLACE without IGNORE: division by zero is error 1365 (ERROR_FOR_DIVISION_BY_ZERO). @req CORE-EXEC-064
  rt.strictDml = !stmt.ignore;
  const relaxed = relaxedRuntime(rt);
  const ignore = stmt.ignore;
  const noAutoOnZero = rt.sqlMode.has('NO_AUTO_VALUE_ON_ZERO');

  // The rows to insert, as per-column value producers.
  let colIdx: number[];
  type Producer = (row: Row, rowRt: Runtime) => Value | typeof MISSING;
  let sources: Producer[][] = [];
  let multiRow: boolean;
  let infoWanted: boolean;
  // Value expressions see the row being built (`INSERT ... VALUES (1, a + 1)`).
  const extraExprs: Expr[] = [];
  for (const r of stmt.values ?? []) extraExprs.push(...r);
  for (const a of stmt.set ?? []) extraExprs.push(a.value);
  for (const a of stmt.onDuplicate ?? []) extraExprs.push(a.value);
  const subScope = await subqueryScopeFor(session, extraExprs);
  const rowScope: CompileScope = {
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
  const producerFor = (e: Expr, col: number): Producer => {
    if (e.type === 'default' && e.column === undefined) return () => MISSING;
    void col;
    const c = compileExpr(e, rowScope);
    return (row, rowRt) => c.eval(row, rowRt);
  };

  if (stmt.set) {
    colIdx = columnIndexes(target, stmt.set.map((a) => a.column.name));
    sources = [stmt.set.map((a, i) => producerFor(a.value, colIdx[i]!))];
    multiRow = false;
    infoWanted = false;
  } else if (stmt.select) {
    colIdx = columnIndexes(target, stmt.columns);
    const res = await runSelect(session, stmt.select, params, rt);
    if (res.columns.length !== colIdx.length) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', 1);
    sources = res.rows.map((r) => r.map((v) => () => v));
    multiRow = true;
    infoWanted = true;
  } else {
    colIdx = columnIndexes(target, stmt.columns);
    const rows = stmt.values ?? [];
    rows.forEach((r, i) => {
      if (r.length !== colIdx.length && !(r.length === 0 && !stmt.columns)) throw sqlError('ER_WRONG_VALUE_COUNT_ON_ROW', i + 1);
    });
    sources = rows.map((r) => (r.length === 0 ? [] : r.map((e, i) => producerFor(e, colIdx[i]!))));
    multiRow = rows.length > 1;
    infoWanted = rows.length > 1;
  }
  const generated = compileGenerated(def);
  const listed = new Array<boolean>(ncols).fill(false);
  for (const i of colIdx) listed[i] = true;
  for (const i of colIdx) {
    const c = def.columns[i]!;
    if (c.generated) {
      // Only DEFAULT may be written into a generated column.
      for (const src of sources) {
        const p = src[colIdx.indexOf(i)];
        if (p && p([], rt) !== MISSING) throw sqlError('ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN', c.name, def.name);
      }
    }
  }

  // ON DUPLICATE KEY UPDATE: slots 0..n-1 the existing row, n..2n-1 the proposed row.
  let dupAssign: { col: number; expr: CompiledExpr }[] | null = null;
  if (stmt.onDuplicate) {
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
      subquery: subScope.subquery!.bind(subScope),
      database: () => session.schema,
      sqlMode: rt.sqlMode,
    };
    dupAssign = stmt.onDuplicate.map((a) => {
      const i = find(a.column.name);
      if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', a.column.name, 'field list');
      if (a.value.type === 'default' && a.value.column === undefined) {
        const col = def.columns[i]!;
        return { col: i, expr: { eval: (_r: Row, rrt: Runtime) => missingValue(col, rrt, false), type: colType(i) } };
      }
      return { col: i, expr: compileExpr(a.value, dupScope) };
    });
  }

  let affected = 0n;
  let duplicates = 0;
  let records = 0;
  let firstGenerated: bigint | null = null;
  let lastExplicit: bigint | null = null;
  const autoCol = def.columns.findIndex((c) => c.autoIncrement);
  let rowNumber = 0;
  const pacer = pacerFor(session);
  for (const src of sources) {
    rowNumber++;
    records++;
    const pause = rowPause(pacer, rowNumber);
    if (pause) await pause;
    const rowRt = rowRuntime(rt, relaxed, target, rowNumber, ignore);
    const strictRow = rowRt.sqlMode.has('STRICT_TRANS_TABLES') || rowRt.sqlMode.has('STRICT_ALL_TABLES');
    const row: Row = new Array<Value>(ncols).fill(null);
    const set = new Array<boolean>(ncols).fill(false);
    // Defaults first so that later expressions may read earlier columns.
    for (let i = 0; i < ncols; i++) {
      const c = def.columns[i]!;
      if (!listed[i] || src.length === 0) {
        if (c.generated) continue;
        row[i] = missingValue(c, rowRt, strictRow);
      }
    }
    for (let k = 0; k < src.length; k++) {
      const i = colIdx[k]!;
      const c = def.columns[i]!;
      if (c.generated) continue;
      let v = src[k]!(row, rowRt);
      if (v === MISSING) {
        row[i] = missingValue(c, rowRt, strictRow);
        continue;
      }
      v = convertForColumn(v, c, def, rowRt, rowNumber, { multiRow, ignore });
      row[i] = v;
      set[i] = true;
    }
    if (autoCol >= 0) {
      const v = row[autoCol]!;
      const zero = v !== null && (v === 0n || v === 0 || (typeof v === 'object' && 'unscaled' in v && v.unscaled === 0n));
      if (v === null || (zero && !noAutoOnZero)) {
        const id = target.handler.reserveAutoIncrement(target.ctx, 1).first;
        row[autoCol] = id;
        if (firstGenerated === null) firstGenerated = id;
      } else {
        const n = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
        if (n > 0n) target.handler.observeAutoIncrement(target.ctx, n);
        lastExplicit = n;
      }
    }
    finishRow(def, row, generated, rowRt, rowNumber);

    // Insert, resolving duplicate-key conflicts as the statement asks.
    for (let attempt = 0; ; attempt++) {
      try {
        const w = insertRow(target, row);
        if (isPromise(w)) await w;
        noteWrite(session, target);
        affected += 1n;
        break;
      } catch (e) {
        if (!(e instanceof SqlError) || e.errno !== 1062) throw e;
        if (dupAssign) {
          const conflict = findConflict(target, row);
          if (!conflict) throw e;
          const old = conflict.ref.row;
          const buf: Row = [...old, ...row];
          const updated = old.slice();
          for (const a of dupAssign) {
            const v = a.expr.eval(buf, rowRt);
            const stored = convertForColumn(v, def.columns[a.col]!, def, rowRt, rowNumber, { update: true, ignore });
            updated[a.col] = stored;
            buf[a.col] = stored;
          }
          let changed = false;
          for (let i = 0; i < ncols; i++) if (!sameStored(old[i]!, updated[i]!)) changed = true;
          if (changed) {
            for (let i = 0; i < ncols; i++) {
              const c = def.columns[i]!;
              if (c.onUpdateNow && !dupAssign.some((a) => a.col === i)) {
                updated[i] = convertForColumn(compileExpr({ type: 'func', name: 'NOW', args: [] }, rowScope).eval([], rowRt), c, def, rowRt, rowNumber, { update: true });
              }
            }
            finishRow(def, updated, generated, rowRt, rowNumber);
            const u = updateRow(target, conflict.ref.id, old, updated);
            if (isPromise(u)) await u;
            noteWrite(session, target);
            affected += 2n;
            duplicates++;
          } else if (session.clientFoundRows()) {
            // CLIENT_FOUND_ROWS: an unchanged duplicate still counts as one found row.
            affected += 1n;
          }
          if (autoCol >= 0 && firstGenerated !== null && row[autoCol] === firstGenerated && rowNumber === 1) {
            // The generated id was not used; MySQL reports the updated row's id instead.
            const idv = updated[autoCol];
            if (typeof idv === 'bigint') firstGenerated = idv;
          }
          break;
        }
        if (stmt.replace) {
          const conflict = findConflict(target, row);
          if (!conflict || attempt > def.indexes.length) throw e;
          const d = deleteRow(target, conflict.ref.id, conflict.ref.row);
          if (isPromise(d)) await d;
          noteWrite(session, target);
          affected += 1n;
          duplicates++;
          continue;
        }
        if (ignore) {
          session.warn('Warning', 'ER_DUP_ENTRY', ...dupArgs(e));
          duplicates++;
          break;
        }
        throw e;
      }
    }
  }
  if (firstGenerated !== null) session.lastInsertId = firstGenerated;
  const insertId = firstGenerated ?? lastExplicit ?? 0n;
  const ok: OkResult = { kind: 'ok', affectedRows: affected, lastInsertId: insertId < 0n ? 0n : insertId };
  if (infoWanted) ok.info = insertInfo(records, duplicates, session.diagnostics.warningCount());
  return ok;
}

/** Recover the `Duplicate entry 'v' for key 'k'` arguments from an engine's 1062 error. */
function dupArgs(e: SqlError): [string, string] {
  const m = /^Duplicate entry '(.*)' for key '(.*)'$/s.exec(e.message);
  return m ? [m[1]!, m[2]!] : [e.message, ''];
}

/**
 * Pieces shared by INSERT, UPDATE and DELETE: opening the target table for writing (lock and
 * read-only checks), column defaults, value conversion under the SQL mode, and bookkeeping
 * for non-transactional engines.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/constraint-invalid-data.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html
 * @req CORE-EXEC-050 CORE-EXEC-056 CORE-EXEC-057 CORE-CONC-003
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { Expr, TableName } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompileScope, type CompiledExpr, type Runtime } from '../../sql/eval/index.js';
import { parseExpression } from '../../sql/parser/index.js';
import { storeValue, nullIntoNotNull, implicitDefault } from '../../sql/types/index.js';
import type { Row, Value } from '../../kernel/value.js';
import type { EngineContext, MaybePromise, RowId, StorageEngine, TableHandler } from '../../storage/handler.js';
import type { Session } from '../session.js';
import { checkTableLock } from '../locks/lock-tables.js';
import { INTERRUPT_CHECK_INTERVAL } from '../limits.js';
import type { Pacer } from '../query/run/pacer.js';
import { TableWriter } from '../write/table-writer.js';
import { checkNotFiring } from '../triggers/in-use.js';

export interface WriteTarget {
  def: TableDef;
  handler: TableHandler;
  engine: StorageEngine;
  ctx: EngineContext;
  /** Every row change of the statement goes through here. @req CORE-WRITE-001 */
  writer: TableWriter;
}

const READ_ONLY_SCHEMAS = new Set(['information_schema', 'performance_schema']);

/** Open a base table for writing; 1046 / 1146 / 1044 / 1100 / 1099 as MySQL. */
export async function openForWrite(session: Session, t: TableName, alias?: string, verb = 'INSERT'): Promise<WriteTarget> {
  const schema = t.schema ?? session.schema;
  if (schema === null) throw sqlError('ER_NO_DB_ERROR');
  if (READ_ONLY_SCHEMAS.has(schema.toLowerCase())) {
    // performance_schema's tables refuse rows by their access rules: 1142 naming the table. @req CORE-PFS-005
    if (schema.toLowerCase() === 'performance_schema') throw sqlError('ER_TABLEACCESS_DENIED_ERROR', verb, session.account.user, session.account.host, t.name);
    throw sqlError('ER_DBACCESS_DENIED_ERROR', session.account.user, session.account.host, schema.toLowerCase());
  }
  const opened = await session.deps.catalog.openTable(session, schema, t.name);
  if (!opened) throw sqlError('ER_NO_SUCH_TABLE', schema, t.name);
  if (opened.kind === 'view') throw sqlError('ER_NON_INSERTABLE_TABLE', t.name, verb);
  if (opened.kind !== 'base') throw sqlError('ER_DBACCESS_DENIED_ERROR', session.account.user, session.account.host, schema);
  // Temporary tables are private to the session and need no LOCK TABLES entry.
  if (!opened.def.temporary) checkTableLock(session, opened.def.schema, opened.def.name, alias, true);
  return targetOf(session, opened.def, opened.handler, opened.engine);
}

/** A table opened for writing, with the writer that reports its changes to the server's observers. @req CORE-WRITE-001 CORE-WRITE-002 */
export function targetOf(session: Session, def: TableDef, handler: TableHandler, engine: StorageEngine): WriteTarget {
  // A trigger may not write the table whose row change fired it. @req CORE-TRG-006
  checkNotFiring(session, def.schema, def.name);
  const ctx = session.engineContext(def.engine);
  return { def, handler, engine, ctx, writer: new TableWriter(session, { def, handler, engine, ctx }, session.deps.rowChanges) };
}

/** A runtime whose SQL mode is not strict (INSERT IGNORE; later rows of non-transactional writes). */
export function relaxedRuntime(rt: Runtime): Runtime {
  const mode = new Set(rt.sqlMode);
  mode.delete('STRICT_TRANS_TABLES');
  mode.delete('STRICT_ALL_TABLES');
  // A runtime's methods live on its prototype: derive from it rather than copying its fields.
  const relaxed = Object.create(rt) as Runtime;
  relaxed.sqlMode = mode;
  return relaxed;
}

/**
 * The runtime to convert row `rowNumber` (1-based) with: strict rules apply to transactional
 * tables and always under STRICT_ALL_TABLES; under STRICT_TRANS_TABLES a non-transactional
 * table is strict only for the first row (later rows cannot be undone, so they are adjusted).
 */
export function rowRuntime(rt: Runtime, relaxed: () => Runtime, target: WriteTarget, rowNumber: number, ignore: boolean): Runtime { // @req CORE-MODE-007 CORE-MODE-008
  if (ignore) return relaxed();
  if (target.writer.transactional || rt.sqlMode.has('STRICT_ALL_TABLES')) return rt;
  return rowNumber > 1 ? relaxed() : rt;
}

/**
 * {@link relaxedRuntime}, made on first use: most statements never need it, and making one turns
 * the statement's runtime into a prototype, which V8 pays for on every later access to it.
 * @req CORE-PERF-046
 */
export function lazyRelaxed(rt: Runtime): () => Runtime {
  let relaxed: Runtime | null = null;
  return () => (relaxed ??= relaxedRuntime(rt));
}

const exprCache = new Map<string, Expr>();

function parsedDefault(text: string): Expr {
  let e = exprCache.get(text);
  if (!e) {
    e = parseExpression(text);
    exprCache.set(text, e);
  }
  return e;
}

/** A scope with no columns (defaults may not reference columns, except generated ones). */
const emptyScope: CompileScope = {
  resolveColumn(ref) {
    throw sqlError('ER_BAD_FIELD_ERROR', ref.name, 'field list');
  },
};

/** The explicit default of a column, or undefined when it has none. */
export function columnDefault(col: ColumnDef, rt: Runtime): Value | undefined {
  if (col.defaultExpr !== undefined) {
    const c = compileExpr(parsedDefault(col.defaultExpr), emptyScope);
    return c.eval([], rt);
  }
  if (col.default !== undefined) return col.default;
  if (col.nullable) return null;
  return undefined;
}

/** Value for a column the statement does not set: its default, NULL, or (1364) the implicit default. */
export function missingValue(col: ColumnDef, rt: Runtime, strictRt: boolean): Value {
  const d = columnDefault(col, rt);
  if (d !== undefined) return d;
  if (col.autoIncrement) return null;
  if (strictRt) throw sqlError('ER_NO_DEFAULT_FOR_FIELD', col.name);
  rt.warn('Warning', 'ER_NO_DEFAULT_FOR_FIELD', col.name);
  return implicitDefault(col);
}

/** Convert a value for a column, applying the NOT NULL rules. */
export function convertForColumn(
  v: Value,
  col: ColumnDef,
  table: TableDef,
  rt: Runtime,
  rowNumber: number,
  opts: { multiRow?: boolean; update?: boolean; ignore?: boolean },
): Value {
  if (v === null) {
    if (col.nullable || col.autoIncrement) return null;
    return nullIntoNotNull(col, rt, rowNumber, opts);
  }
  return storeValue(v, col, rt, rowNumber, { table: table.name });
}

/** Generated columns: compile each expression over the row of the table. */
export function compileGenerated(def: TableDef): { index: number; expr: CompiledExpr }[] {
  const out: { index: number; expr: CompiledExpr }[] = [];
  const scope: CompileScope = {
    resolveColumn(ref) {
      const i = def.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
      if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', ref.name, 'generated column function');
      return { slot: i, type: { kind: 'string', length: 0, decimals: 0, nullable: true } };
    },
  };
  def.columns.forEach((c, i) => {
    if (c.generated) out.push({ index: i, expr: compileExpr(parsedDefault(c.generated.expr), scope) });
  });
  return out;
}

/** Fill the generated columns of a row. */
export function finishRow(def: TableDef, row: Row, generated: { index: number; expr: CompiledExpr }[], rt: Runtime, rowNumber: number): void {
  for (const g of generated) {
    const col = def.columns[g.index]!;
    const v = g.expr.eval(row, rt);
    row[g.index] = v === null ? (col.nullable ? null : nullIntoNotNull(col, rt, rowNumber, {})) : storeValue(v, col, rt, rowNumber, { table: def.name });
  }
}

/** Whether two stored values are identical (UPDATE's "changed" test). */
export function sameStored(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'object' && typeof b === 'object') return a.toString() === b.toString() && a.constructor === b.constructor;
  return false;
}

/** `Records: 3  Duplicates: 0  Warnings: 0` */
export function insertInfo(records: number, duplicates: number, warnings: number): string {
  return `Records: ${records}  Duplicates: ${duplicates}  Warnings: ${warnings}`;
}

/** Whether an engine's answer is a promise (it waits) rather than the value itself. */
export function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null | undefined)?.then === 'function';
}

// Row changes: every INSERT, UPDATE and DELETE write goes through the statement's table writer,
// which also records non-transactional changes (ROLLBACK's 1196) and tells the observers.
// Engines answer synchronously unless they wait; callers await only promises.

export function insertRow(t: WriteTarget, row: Row): MaybePromise<RowId> {
  return t.writer.insert(row);
}

export function updateRow(t: WriteTarget, id: RowId, oldRow: Row, newRow: Row): MaybePromise<void> {
  return t.writer.updateById(id, oldRow, newRow);
}

export function deleteRow(t: WriteTarget, id: RowId, row: Row): MaybePromise<void> {
  return t.writer.deleteById(id, row);
}

/**
 * A pause of a loop that changes rows, every INTERRUPT_CHECK_INTERVAL rows: KILL QUERY stops the
 * statement here (rows already changed in a non-transactional table stay changed, as in MySQL),
 * and other sessions run when the time slice is used.
 * @req CORE-CONC-003
 */
export function rowPause(pacer: Pacer, rowNumber: number): Promise<void> | null {
  if (rowNumber % INTERRUPT_CHECK_INTERVAL !== 0) return null;
  return pacer.tick();
}

/**
 * SELECT execution entry points: open the tables a query reads, compile it (cached per parsed
 * statement, so prepared statements plan once), run it, and shape the result: rows, SELECT ...
 * INTO @variables, FOUND_ROWS().
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html#function_found-rows
 * @req CORE-EXEC-030 CORE-EXEC-031 CORE-EXEC-039
 */
import { setLocalVariable } from '../routines/interpreter.js';
import type { SelectCore, SelectStatement, StatementMeta } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { Runtime } from '../../sql/eval/index.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import type { ExprType } from '../../sql/eval/index.js';
import type { RowStream } from '../../kernel/row-stream.js';
import { resultColumnOf } from './column-types.js';
import type { OkResult, RowsResult, StatementResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import type { ExecSession } from '../exec-session.js';
import { QueryCompiler, type CompileEnv } from './compile/compiler.js';
import { resultColumns } from './compile/util.js';
import type { CompiledQuery, RunStats } from './plan/types.js';
import { openStatementTables, type OpenedTables } from '../statement/open-tables.js';
import { collectTablesOfSelect } from '../statement/statement-tables.js';
import { makeRuntime } from './runtime.js';
import { pacerFor } from './run/pacer.js';
import { collect, PipelineStream } from './run/stream.js';
import { DYNAMIC_TYPE_BATCH } from '../limits.js';
import { executionTimeHint } from './hints.js';
import { prepareIntoFile, writeIntoFile } from '../load/select-into-file.js';

export interface SelectResult {
  columns: ResultColumn[];
  rows: Row[];
}

interface CachedPlan {
  compiled: CompiledQuery;
  tables: OpenedTables;
  schema: string | null;
  sqlMode: string;
  /** group_concat_max_len when compiled: GROUP_CONCAT's result type and cut depend on it. */
  groupConcatMaxLen: unknown;
  columns: ResultColumn[];
  /** Columns whose type is only known from their values (user variables, parameters). */
  dynamic: number[];
  /** Columns read per stored table (SELECT column privileges). */
  columnUses: { schema: string; table: string; columns: string[] }[];
  /** SQL_CALC_FOUND_ROWS on the top block. */
  calcFound: boolean;
}

const OPEN_SCHEMAS = new Set(['information_schema', 'performance_schema', 'sys']);

/** SELECT privileges per column read (1143), after the table-level check at dispatch. @req CORE-EXEC-009 */
function checkColumnPrivileges(session: Session, plan: CachedPlan): void {
  const acc = session.deps.accounts as { checkColumns?: (s: Session, priv: string, schema: string, table: string, columns: readonly string[]) => void };
  if (!acc.checkColumns) return;
  for (const u of plan.columnUses) {
    if (OPEN_SCHEMAS.has(u.schema.toLowerCase()) || u.columns.length === 0) continue;
    acc.checkColumns(session, 'SELECT', u.schema, u.table, u.columns);
  }
}

/** Tables named by a parsed statement (walked once per AST). */
const tableRefsCache = new WeakMap<SelectStatement, { schema?: string; name: string }[]>();

/** Compiled plans per parsed statement (prepared statements reuse their AST). */
const planCache = new WeakMap<SelectStatement, CachedPlan>();

export function compileEnv(session: Session, tables: OpenedTables): CompileEnv {
  const gcl = Number(session.sysvar('group_concat_max_len') ?? 1024);
  return { session, tables, ctes: [], groupConcatMaxLen: Number.isFinite(gcl) && gcl > 0 ? gcl : 1024, reentrant: 0 };
}

/** Open the tables and compile, reusing a cached plan when nothing it depends on changed. */
export async function planSelect(session: Session, stmt: SelectStatement): Promise<CachedPlan> {
  let refs = tableRefsCache.get(stmt);
  if (!refs) {
    refs = [];
    collectTablesOfSelect(stmt, refs);
    tableRefsCache.set(stmt, refs);
  }
  const tables: OpenedTables = new Map();
  const opening = openStatementTables(session, refs, tables);
  if (opening) await opening;
  const modeText = String(session.sysvar('sql_mode') ?? '');
  const cached = planCache.get(stmt);
  const gcl = session.sysvar('group_concat_max_len');
  if (cached && cached.schema === session.schema && cached.sqlMode === modeText && cached.groupConcatMaxLen === gcl && sameTables(cached.tables, tables)) {
    checkColumnPrivileges(session, cached);
    return cached;
  }
  const env = compileEnv(session, tables);
  env.baseSources = [];
  const compiler = new QueryCompiler(env);
  const compiled = compiler.compileSelect(stmt, null);
  const columnUses = env.baseSources.flatMap((s) => (s.tableDef ? [{ schema: s.tableDef.schema, table: s.tableDef.name, columns: [...(s.used ?? [])] }] : []));
  const dynamic = compiled.columns.flatMap((c, i) => (c.type.dynamic ? [i] : []));
  const core = topCore(stmt);
  const calcFound = !!core?.modifiers?.some((m) => m.toUpperCase() === 'SQL_CALC_FOUND_ROWS');
  const plan: CachedPlan = { compiled, tables, schema: session.schema, sqlMode: modeText, groupConcatMaxLen: gcl, columns: resultColumns(compiled.columns), dynamic, columnUses, calcFound };
  planCache.set(stmt, plan);
  checkColumnPrivileges(session, plan);
  return plan;
}

function sameTables(a: OpenedTables, b: OpenedTables): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) return false;
    if (v === null || w === null) {
      if (v !== w) return false;
      continue;
    }
    if (v.def !== w.def) return false;
    if (v.kind === 'base' && w.kind === 'base' && v.handler !== w.handler) return false;
  }
  return true;
}

/**
 * Run a query and return its columns and all its rows (CREATE TABLE ... SELECT, INSERT ...
 * SELECT): the rows are materialised, but read through the pausing pipeline, so the statement
 * can still be killed and other sessions still run.
 * @req CORE-CONC-001 CORE-CONC-003
 */
export async function runSelect(session: Session, stmt: SelectStatement, params: Value[] = [], rt?: Runtime): Promise<SelectResult> {
  const plan = await planSelect(session, stmt);
  const runtime = rt ?? makeRuntime(session, params);
  const rows = await collect(plan.compiled.run([], runtime, true), pacerFor(session));
  return { columns: plan.columns, rows };
}

/** The type of a value whose static type was unknown (MySQL types user variables by their value). */
function typeOfValue(v: Value, base: ExprType): ExprType {
  if (typeof v === 'bigint') return { kind: 'int', length: 21, decimals: 0, nullable: true, unsigned: v > 9223372036854775807n };
  if (typeof v === 'number') return { kind: 'double', length: 23, decimals: 31, nullable: true };
  if (v instanceof Decimal) return { kind: 'decimal', length: 67, decimals: Math.min(30, v.scale), nullable: true };
  if (v instanceof Temporal) return { kind: 'temporal', temporal: v.kind, length: 26, decimals: v.fsp, nullable: true };
  if (Buffer.isBuffer(v)) return { kind: 'string', binary: true, collation: 'binary', length: 65535, decimals: 0, nullable: true };
  return { ...base, dynamic: false };
}

function concreteColumns(plan: CachedPlan, rows: Row[]): ResultColumn[] {
  const cols = plan.columns.slice();
  for (const i of plan.dynamic) {
    let v: Value = null;
    for (const r of rows) {
      if (r[i] !== null && r[i] !== undefined) {
        v = r[i]!;
        break;
      }
    }
    const oc = plan.compiled.columns[i]!;
    if (v === null) continue;
    cols[i] = resultColumnOf(typeOfValue(v, oc.type), oc.name, oc.origin);
  }
  return cols;
}

/** runSelect for callers that hold the ExecSession interface (CREATE TABLE ... SELECT in ddl). */
export function runSelectForDdl(session: ExecSession, stmt: SelectStatement): Promise<SelectResult> {
  return runSelect(session as Session, stmt);
}

function topCore(stmt: SelectStatement): SelectCore | null {
  return stmt.query.type === 'select_core' ? stmt.query : null;
}

/**
 * The block holding the statement's INTO clause: the query block itself, or the last block of a
 * UNION / EXCEPT / INTERSECT, whose INTO applies to the whole result. @req CORE-LOAD-020
 */
function intoCore(stmt: SelectStatement): SelectCore | null {
  let q = stmt.query;
  while (q.type === 'set_op') q = q.right;
  return q.type === 'select_core' && (q.into !== undefined || q.intoFile !== undefined) ? q : null;
}

/**
 * A top-level SELECT: its rows stream to the client as they are produced (the statement ends
 * when they do). max_execution_time (or the MAX_EXECUTION_TIME hint) limits it; FOUND_ROWS() is
 * set when the rows end.
 * @req CORE-EXEC-030 CORE-EXEC-039 CORE-CONC-004 CORE-CONC-010
 */
export async function executeSelect(session: Session, stmt: SelectStatement, params: Value[]): Promise<StatementResult> {
  const core = intoCore(stmt);
  // The limit covers the whole statement, waits for its tables included.
  if (!core) limitExecutionTime(session, executionTimeHint((stmt as StatementMeta).text));
  // INTO OUTFILE / DUMPFILE: FILE privilege and the target checked before the query runs. @req CORE-LOAD-020
  const intoFile = core?.intoFile ? prepareIntoFile(session, core.intoFile) : null;
  const plan = await planSelect(session, stmt);
  const rt = makeRuntime(session, params);
  if (core?.into) return selectInto(session, plan, core, rt);
  if (intoFile) return writeIntoFile(session, core!.intoFile!, intoFile, plan.columns, new PipelineStream(plan.compiled.run([], rt, true), pacerFor(session)));
  const calc = plan.calcFound;
  const stats: RunStats = { found: 0 };
  const stream = new PipelineStream(plan.compiled.run([], rt, true, stats), pacerFor(session), (sent) => {
    session.foundRows = BigInt(calc ? stats.found : sent);
  });
  if (plan.dynamic.length === 0) return { kind: 'rows', columns: plan.columns, rows: stream };
  // Columns typed by their values: compute a first batch before the metadata goes out.
  const first: Row[] = [];
  try {
    const n = stream.next(first, DYNAMIC_TYPE_BATCH);
    if (typeof n !== 'number') await n;
  } catch (e) {
    await stream.close();
    throw e;
  }
  const out: RowsResult = { kind: 'rows', columns: concreteColumns(plan, first), rows: prefixed(first, stream) };
  return out;
}

/**
 * max_execution_time applies to a read-only top-level SELECT: the hint wins over the variable;
 * 0 means no limit.
 * @req CORE-CONC-004
 */
function limitExecutionTime(session: Session, hinted: number | undefined): void {
  const control = session.statementControl();
  if (!control) return;
  const ms = hinted ?? Number(session.sysvar('max_execution_time') ?? 0);
  if (ms > 0) control.limitTime(ms);
}

/** SELECT ... INTO @vars: at most one row (1172 for more). @req CORE-EXEC-039 */
async function selectInto(session: Session, plan: CachedPlan, core: SelectCore, rt: Runtime): Promise<OkResult> {
  const into = core.into!;
  if (plan.columns.length !== into.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
  const calc = plan.calcFound;
  const stats: RunStats = { found: 0 };
  const rows = await collect(plan.compiled.run([], rt, true, stats), pacerFor(session), calc ? -1 : 2);
  session.foundRows = BigInt(calc ? stats.found : rows.length);
  if (rows.length === 0) session.warn('Warning', 'ER_SP_FETCH_NO_DATA');
  // The first row is stored before the second one fails (MySQL assigns row by row). @req CORE-LOAD-025
  // A stored program's local variable, or a user variable. @req CORE-SP-011
  else into.forEach((v, i) => (v.local !== undefined ? setLocalVariable(session, v.local, rows[0]![i]!) : session.userVars.set(v.name.toLowerCase(), rows[0]![i]!)));
  if (rows.length > 1) throw sqlError('ER_TOO_MANY_ROWS');
  return { kind: 'ok', affectedRows: BigInt(rows.length), lastInsertId: 0n };
}

/** The rows computed ahead, then the rest of the stream. */
function prefixed(first: Row[], rest: RowStream): RowStream {
  let pos = 0;
  return {
    next(out, max) {
      if (pos >= first.length) return rest.next(out, max);
      const end = Math.min(first.length, pos + max);
      const n = end - pos;
      for (; pos < end; pos++) out.push(first[pos]!);
      return n;
    },
    close: () => rest.close(),
  };
}

/** Result metadata without running (COM_STMT_PREPARE). */
export async function describeSelect(session: Session, stmt: SelectStatement): Promise<ResultColumn[]> {
  if (intoCore(stmt)) return [];
  const plan = await planSelect(session, stmt);
  return plan.columns;
}

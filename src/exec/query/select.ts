/**
 * SELECT execution entry points: open the tables a query reads, compile it (cached per parsed
 * statement, so prepared statements plan once), run it, and shape the result: rows, SELECT ...
 * INTO @variables, FOUND_ROWS().
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html#function_found-rows
 * @req CORE-EXEC-030 CORE-EXEC-031 CORE-EXEC-039
 */
import type { SelectCore, SelectStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { Runtime } from '../../sql/eval/index.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import type { ExprType } from '../../sql/eval/index.js';
import { resultColumnOf } from './column-types.js';
import type { OkResult, RowsResult, StatementResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import type { ExecSession } from '../exec-session.js';
import {
  QueryCompiler,
  resultColumns,
  type CompileEnv,
  type CompiledQuery,
} from './engine.js';
import { openStatementTables, type OpenedTables } from '../statement/open-tables.js';
import { collectTablesOfSelect } from '../statement/statement-tables.js';
import { makeRuntime } from './runtime.js';

export interface SelectResult {
  columns: ResultColumn[];
  rows: Row[];
}

interface CachedPlan {
  compiled: CompiledQuery;
  tables: OpenedTables;
  schema: string | null;
  sqlMode: string;
  columns: ResultColumn[];
  /** Columns whose type is only known from their values (user variables, parameters). */
  dynamic: number[];
  /** Columns read per stored table (SELECT column privileges). */
  columnUses: { schema: string; table: string; columns: string[] }[];
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
  return { session, tables, ctes: [], groupConcatMaxLen: Number.isFinite(gcl) && gcl > 0 ? gcl : 1024 };
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
  await openStatementTables(session, refs, tables);
  const modeText = String(session.sysvar('sql_mode') ?? '');
  const cached = planCache.get(stmt);
  if (cached && cached.schema === session.schema && cached.sqlMode === modeText && sameTables(cached.tables, tables)) {
    checkColumnPrivileges(session, cached);
    return cached;
  }
  const env = compileEnv(session, tables);
  env.baseSources = [];
  const compiler = new QueryCompiler(env);
  const compiled = compiler.compileSelect(stmt, null);
  const columnUses = env.baseSources.flatMap((s) => (s.tableDef ? [{ schema: s.tableDef.schema, table: s.tableDef.name, columns: [...(s.used ?? [])] }] : []));
  const dynamic = compiled.columns.flatMap((c, i) => (c.type.dynamic ? [i] : []));
  const plan: CachedPlan = { compiled, tables, schema: session.schema, sqlMode: modeText, columns: resultColumns(compiled.columns), dynamic, columnUses };
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

async function settle(rows: Row[]): Promise<void> {
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) {
      const v = r[i] as unknown;
      if (v instanceof Promise) r[i] = (await v) as Value;
    }
  }
}

/** Run a query and return its columns and rows (also used by CREATE TABLE ... SELECT and INSERT ... SELECT). */
export async function runSelect(session: Session, stmt: SelectStatement, params: Value[] = [], rt?: Runtime): Promise<SelectResult> {
  const plan = await planSelect(session, stmt);
  const runtime = rt ?? makeRuntime(session, params);
  const rows = plan.compiled.run([], runtime);
  if (plan.compiled.hasAsync) await settle(rows);
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

/** @req CORE-EXEC-030 CORE-EXEC-039 */
export async function executeSelect(session: Session, stmt: SelectStatement, params: Value[]): Promise<StatementResult> {
  const plan = await planSelect(session, stmt);
  const rt = makeRuntime(session, params);
  const rows = plan.compiled.run([], rt);
  if (plan.compiled.hasAsync) await settle(rows);
  const core = topCore(stmt);
  const calc = !!core?.modifiers?.some((m) => m.toUpperCase() === 'SQL_CALC_FOUND_ROWS');
  session.foundRows = BigInt(calc && plan.compiled.foundRows ? plan.compiled.foundRows() : rows.length);
  if (core?.into) {
    const into = core.into;
    if (plan.columns.length !== into.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
    if (rows.length > 1) throw sqlError('ER_TOO_MANY_ROWS');
    if (rows.length === 0) session.warn('Warning', 'ER_SP_FETCH_NO_DATA');
    else into.forEach((v, i) => session.userVars.set(v.name.toLowerCase(), rows[0]![i]!));
    const ok: OkResult = { kind: 'ok', affectedRows: BigInt(rows.length), lastInsertId: 0n };
    return ok;
  }
  const out: RowsResult = { kind: 'rows', columns: plan.dynamic.length ? concreteColumns(plan, rows) : plan.columns, rows };
  return out;
}

/** Result metadata without running (COM_STMT_PREPARE). */
export async function describeSelect(session: Session, stmt: SelectStatement): Promise<ResultColumn[]> {
  const core = topCore(stmt);
  if (core?.into) return [];
  const plan = await planSelect(session, stmt);
  return plan.columns;
}

/**
 * The writes performance_schema accepts: UPDATE of the ENABLED / TIMED / HISTORY /
 * INSTRUMENTED columns of setup_consumers, setup_instruments, setup_actors and threads (the
 * change takes effect at once: a consumer turned off stops recording), and TRUNCATE TABLE of the
 * event and summary tables (they start empty again). Other columns refuse changes with 1031, as
 * MySQL's storage engine for these tables does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-runtime-configuration.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-table-characteristics.html
 * @req CORE-PFS-025 CORE-PFS-043 CORE-PFS-044 CORE-PFS-050
 */
import type { TableName, UpdateStatement } from '../../sql/ast.js';
import type { VirtualTable } from '../../catalog/virtual-table.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { compileExpr, type CompileScope } from '../../sql/eval/index.js';
import { toBoolean } from '../../sql/types/convert.js';
import { columnDefType } from '../../sql/types/result-column.js';
import { virtualCtx } from '../query/run/context.js';
import { makeRuntime } from '../query/runtime.js';
import type { Session } from '../session.js';
import { registryOf } from '../server-context.js';
import { pfsStateFor } from './state.js';

const PS = 'performance_schema';

/** Per updatable table: the columns UPDATE may set, and how a changed row is applied. */
type Apply = (session: Session, row: Row, column: string, yes: boolean) => void;

const UPDATABLE: Readonly<Record<string, { columns: readonly string[]; apply: Apply }>> = {
  setup_consumers: {
    columns: ['ENABLED'],
    apply: (s, row, _c, yes) => {
      pfsStateFor(s.deps.catalog, s.deps.sysvars).setup.consumers.set(String(row[0]), yes);
    },
  },
  setup_instruments: {
    columns: ['ENABLED', 'TIMED'],
    apply: (s, row, c, yes) => {
      const i = pfsStateFor(s.deps.catalog, s.deps.sysvars).setup.instruments.get(String(row[0]));
      if (!i) return;
      if (c === 'ENABLED') i.enabled = yes;
      else i.timed = yes;
    },
  },
  setup_actors: {
    columns: ['ENABLED', 'HISTORY'],
    apply: (s, row, c, yes) => {
      const a = pfsStateFor(s.deps.catalog, s.deps.sysvars).setup.actors.find((x) => x.host === row[0] && x.user === row[1] && x.role === row[2]);
      if (!a) return;
      if (c === 'ENABLED') a.enabled = yes;
      else a.history = yes;
    },
  },
  threads: {
    columns: ['INSTRUMENTED', 'HISTORY'],
    apply: (s, row, c, yes) => {
      const id = row[3];
      if (id === null) return; // the main thread's flags stay as they are
      const target = registryOf(s.deps)?.get(Number(id));
      if (!target) return;
      if (c === 'INSTRUMENTED') target.pfs.instrumented = yes;
      else target.pfs.history = yes;
    },
  },
};

async function virtualTableOf(session: Session, name: string): Promise<VirtualTable> {
  const opened = await session.deps.catalog.openTable(session, PS, name);
  if (!opened || opened.kind !== 'virtual') throw sqlError('ER_NO_SUCH_TABLE', PS, name);
  return opened.table;
}

function isPfs(session: Session, t: TableName): boolean {
  return (t.schema ?? session.schema ?? '').toLowerCase() === PS;
}

/** Whether this UPDATE targets one performance_schema table (handled here). */
export function isPerfSchemaUpdate(session: Session, stmt: UpdateStatement): boolean {
  const t = stmt.tables[0];
  return stmt.tables.length === 1 && t !== undefined && t.type === 'table' && isPfs(session, t.table);
}

/** YES / NO (or their ENUM positions 1 / 2) as a boolean; anything else is 1265. */
function yesNo(v: Value, column: string, rowNumber: number): boolean {
  if (typeof v === 'string') {
    const u = v.trim().toUpperCase();
    if (u === 'YES') return true;
    if (u === 'NO') return false;
  } else if (typeof v === 'bigint' || typeof v === 'number') {
    if (Number(v) === 1) return true;
    if (Number(v) === 2) return false;
  }
  throw sqlError('WARN_DATA_TRUNCATED', column, rowNumber);
}

/**
 * UPDATE performance_schema.<setup table> SET ... [WHERE ...]: needs UPDATE on the table;
 * returns MySQL's OK with matched and changed rows. @req CORE-PFS-043 CORE-PFS-044
 */
export async function executePerfSchemaUpdate(session: Session, stmt: UpdateStatement): Promise<StatementResult> {
  const ref = stmt.tables[0]!;
  if (ref.type !== 'table') throw sqlError('ER_NOT_SUPPORTED_YET', 'UPDATE');
  const name = ref.table.name.toLowerCase();
  const vt = await virtualTableOf(session, name);
  const spec = UPDATABLE[name];
  // A read-only table refuses UPDATE to every account, as its access rules in MySQL do.
  if (!spec) throw sqlError('ER_TABLEACCESS_DENIED_ERROR', 'UPDATE', session.account.user, session.account.host, ref.table.name);
  session.deps.accounts.checkTable(session, 'UPDATE', PS, name);
  const cols = vt.def.columns;
  const alias = (ref.alias ?? ref.table.name).toLowerCase();
  const scope: CompileScope = {
    resolveColumn(c) {
      const idx = cols.findIndex((d) => d.name.toLowerCase() === c.name.toLowerCase());
      if (idx < 0 || (c.table !== undefined && c.table.toLowerCase() !== alias)) {
        throw sqlError('ER_BAD_FIELD_ERROR', [c.table, c.name].filter((x) => x !== undefined).join('.'), c.table === undefined && stmt.where ? 'where clause' : 'field list');
      }
      return { slot: idx, type: columnDefType(cols[idx]!) };
    },
    database: () => session.schema,
    sqlMode: session.sqlMode(),
  };
  const assigns = stmt.set.map((a) => {
    const col = cols.find((d) => d.name.toLowerCase() === a.column.name.toLowerCase());
    if (!col) throw sqlError('ER_BAD_FIELD_ERROR', a.column.name, 'field list');
    if (!spec.columns.includes(col.name)) throw sqlError('ER_ILLEGAL_HA', name);
    return { column: col.name, index: cols.indexOf(col), expr: compileExpr(a.value, scope) };
  });
  const where = stmt.where ? compileExpr(stmt.where, scope) : null;
  const rt = makeRuntime(session, []);
  const limit = stmt.limit && stmt.limit.count.type === 'literal' ? Number(stmt.limit.count.value) : Number.POSITIVE_INFINITY;
  let matched = 0;
  let changed = 0;
  for (const row of [...vt.rows(virtualCtx(session))]) {
    if (matched >= limit) break;
    if (where && toBoolean(where.eval(row, rt)) !== true) continue;
    matched++;
    let rowChanged = false;
    for (const a of assigns) {
      const yes = yesNo(a.expr.eval(row, rt), a.column, matched);
      if ((row[a.index] === 'YES') !== yes) rowChanged = true;
      spec.apply(session, row, a.column, yes);
    }
    if (rowChanged) changed++;
  }
  pfsStateFor(session.deps.catalog, session.deps.sysvars).setup.recompute();
  return { kind: 'ok', affectedRows: BigInt(changed), lastInsertId: 0n, info: `Rows matched: ${matched}  Changed: ${changed}  Warnings: 0` };
}

/** Tables TRUNCATE TABLE empties, and what it resets. @req CORE-PFS-025 CORE-PFS-050 */
const TRUNCATABLE: Readonly<Record<string, (session: Session) => void>> = {
  events_statements_summary_by_digest: (s) => pfsStateFor(s.deps.catalog, s.deps.sysvars).digests.reset(),
  events_statements_history: (s) => {
    for (const x of registryOf(s.deps)?.list() ?? [s]) x.pfs.clearHistory();
  },
  events_statements_current: (s) => {
    for (const x of registryOf(s.deps)?.list() ?? [s]) x.pfs.clearCurrent();
  },
  accounts: (s) => pfsStateFor(s.deps.catalog, s.deps.sysvars).resetConnections('accounts'),
  users: (s) => pfsStateFor(s.deps.catalog, s.deps.sysvars).resetConnections('users'),
  hosts: (s) => pfsStateFor(s.deps.catalog, s.deps.sysvars).resetConnections('hosts'),
};

/** Whether this TRUNCATE names a performance_schema table (handled here). */
export function isPerfSchemaTruncate(session: Session, table: TableName): boolean {
  return isPfs(session, table);
}

/**
 * TRUNCATE TABLE performance_schema.<table>: needs DROP on the table; a table that cannot be
 * truncated refuses it with 1142, as its access rules in MySQL do. @req CORE-PFS-025
 */
export async function executePerfSchemaTruncate(session: Session, table: TableName): Promise<StatementResult> {
  const name = table.name.toLowerCase();
  await virtualTableOf(session, name);
  const reset = TRUNCATABLE[name];
  if (!reset) throw sqlError('ER_TABLEACCESS_DENIED_ERROR', 'DROP', session.account.user, session.account.host, table.name);
  session.deps.accounts.checkTable(session, 'DROP', PS, name);
  reset(session);
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/**
 * SHOW statements over the dictionary and the registries, and DESCRIBE. SHOW forms owned by
 * other subsystems (GRANTS, EXPLAIN, replication) go to the callbacks in {@link DdlServices};
 * VARIABLES/STATUS/PROCESSLIST use the registries' callbacks; WARNINGS/ERRORS read the session.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show.html
 * @req CORE-SHOW-001 CORE-SHOW-002 CORE-SHOW-003 CORE-SHOW-004 CORE-SHOW-005 CORE-SHOW-006 CORE-SHOW-007
 * @req ENGINE-LIST-003 ENGINE-LIST-004 ENGINE-LIST-005 PLUGGABLE-011
 */
import { SHOW_EVENTS_COLUMNS, showCreateEventRow, showEventsRow } from '../events/show.js';
import { SHOW_CREATE_TRIGGER_COLUMNS, SHOW_TRIGGERS_COLUMNS, showCreateTriggerRow, showTriggersRows } from '../triggers/show.js';
import { CREATED_FSP } from '../triggers/limits.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../kernel/table-def.js';
import { showCharacterSetRows, showCollationRows } from '../../kernel/charset/index.js';
import type { DescribeStatement, ShowStatement, Statement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import { Temporal } from '../../kernel/value.js';
import type { TableStats } from '../../storage/handler.js';
import type { DdlServices } from '../ddl/services.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { columnExtra, columnKey, indexRows } from './column-info.js';
import { datetimeCol, intCol, likeMatcher, rowsResult, textCol, toResultColumn, type ColSpec } from './result.js';
import { routineStatusRows } from '../routines/show.js';
import { showCreateDatabaseText, showCreateTableText } from './show-create.js';
import { columnTypeText, defaultValueText } from './type-text.js';
import { showCreateViewText } from '../ddl/view.js';
import { showWherePredicate } from './where.js';

/** Whether {@link executeShow} handles this statement. */
export function isShowStatement(stmt: Statement): boolean {
  return stmt.kind === 'show' || stmt.kind === 'describe';
}

/** A Date (ms) as a DATETIME value in the server's local time. */
export function msToDatetime(ms: number | undefined): Temporal | null {
  if (ms === undefined) return null;
  const d = new Date(ms);
  return new Temporal('DATETIME', d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), 0);
}

/** Engine statistics of a table, or null when its engine is not loaded. */
export async function tableStats(catalog: Catalog, session: ExecSession, def: TableDef): Promise<TableStats | null> {
  const engine = catalog.engineByName(def.engine);
  if (!engine) return null;
  const h = await catalog.openHandler(session, def);
  return h.stats(session.engineContext(engine.name));
}

/** Per running SHOW statement: the executor's expression compiler (when the server supplied one)
 *  and the session, for WHERE. Keyed by the statement object, which belongs to one session. */
const whereContext = new WeakMap<ShowStatement, { compile: NonNullable<DdlServices['compileWhere']>; session: ExecSession }>();

function filter(stmt: ShowStatement, cols: ColSpec[], rows: Row[], likeColumn = 0, caseInsensitive = true): Row[] {
  let out = rows;
  if (stmt.like !== undefined) {
    const m = likeMatcher(stmt.like, caseInsensitive);
    out = out.filter((r) => m(String(r[likeColumn] ?? '')));
  }
  if (stmt.where) {
    const wc = whereContext.get(stmt);
    const pred = wc ? wc.compile(wc.session, stmt.where, cols.map(toResultColumn)) : showWherePredicate(stmt.where, cols.map((c) => c.name));
    out = out.filter(pred);
  }
  return out;
}

function result(stmt: ShowStatement, cols: ColSpec[], rows: Row[], likeColumn = 0, caseInsensitive = true): StatementResult {
  return rowsResult(cols, filter(stmt, cols, rows, likeColumn, caseInsensitive));
}

function canSee(services: DdlServices, session: ExecSession, schema: string, table?: string): boolean {
  return services.canSee ? services.canSee(session, schema, table) : true;
}

function schemaFor(session: ExecSession, catalog: Catalog, explicit: string | undefined): string {
  const s = explicit ?? session.schema;
  if (!s) throw sqlError('ER_NO_DB_ERROR');
  const def = catalog.getSchema(s);
  if (!def) throw sqlError('ER_BAD_DB_ERROR', s);
  return def.name;
}

/** Resolve the table of SHOW COLUMNS/INDEX/CREATE TABLE: a stored table or a system view. */
function tableFor(services: DdlServices, session: ExecSession, stmt: { table?: { schema?: string; name: string }; schema?: string }): TableDef {
  const catalog = services.catalog;
  if (!stmt.table) throw sqlError('ER_NO_TABLES_USED');
  const schema = stmt.schema ?? stmt.table.schema ?? session.schema;
  if (!schema) throw sqlError('ER_NO_DB_ERROR');
  const def =
    catalog.getTable(schema, stmt.table.name, session) ??
    catalog.getView(schema, stmt.table.name)?.def ??
    catalog.getVirtualTable(schema, stmt.table.name)?.def;
  if (!def) throw sqlError('ER_NO_SUCH_TABLE', schema, stmt.table.name);
  if (!canSee(services, session, def.schema, def.name)) {
    throw sqlError('ER_TABLEACCESS_DENIED_ERROR', 'SELECT', session.user, session.host, def.name);
  }
  return def;
}

async function showColumns(services: DdlServices, session: ExecSession, stmt: ShowStatement): Promise<StatementResult> {
  const def = tableFor(services, session, stmt);
  const full = stmt.full === true;
  const cols: ColSpec[] = full
    ? [textCol('Field', 64), textCol('Type', 1024), textCol('Collation', 64, true), textCol('Null', 3), textCol('Key', 3),
       textCol('Default', 1024, true), textCol('Extra', 256), textCol('Privileges', 1024), textCol('Comment', 1024)]
    : [textCol('Field', 64), textCol('Type', 1024), textCol('Null', 3), textCol('Key', 3), textCol('Default', 1024, true), textCol('Extra', 256)];
  const rows: Row[] = def.columns.map((c, i) => {
    const dflt: Value = c.defaultExpr !== undefined ? c.defaultExpr.replace(/^\((.*)\)$/, '$1') : c.default !== undefined ? defaultValueText(c.default, c) : null;
    const base: Row = [c.name, columnTypeText(c)];
    if (full) base.push(c.collation ?? null);
    base.push(c.nullable ? 'YES' : 'NO', columnKey(def, i), dflt, columnExtra(def, i));
    if (full) base.push('select,insert,update,references', c.comment);
    return base;
  });
  return result(stmt, cols, rows, 0, true);
}

async function showIndex(services: DdlServices, session: ExecSession, stmt: ShowStatement): Promise<StatementResult> {
  const def = tableFor(services, session, stmt);
  const stats = def.id >= 0 && services.catalog.getTable(def.schema, def.name, session) ? await tableStats(services.catalog, session, def) : null;
  const cols: ColSpec[] = [
    textCol('Table', 64), intCol('Non_unique', false, false), textCol('Key_name', 64), intCol('Seq_in_index', false), textCol('Column_name', 64, true),
    textCol('Collation', 1, true), intCol('Cardinality'), intCol('Sub_part'), textCol('Packed', 10, true), textCol('Null', 3),
    textCol('Index_type', 11), textCol('Comment', 8), textCol('Index_comment', 2048), textCol('Visible', 3), textCol('Expression', 1024, true),
  ];
  const rows = indexRows(def, stats ? stats.rows : null, stats?.keyCardinality, stats?.keyCardinalityComplete);
  return rowsResult(cols, stmt.where ? rows.filter(showWherePredicate(stmt.where, cols.map((c) => c.name))) : rows);
}

async function showTableStatus(services: DdlServices, session: ExecSession, stmt: ShowStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const schema = schemaFor(session, catalog, stmt.schema);
  const cols: ColSpec[] = [
    textCol('Name', 64), textCol('Engine', 64, true), intCol('Version'), textCol('Row_format', 10, true), intCol('Rows'),
    intCol('Avg_row_length'), intCol('Data_length'), intCol('Max_data_length'), intCol('Index_length'), intCol('Data_free'),
    intCol('Auto_increment'), datetimeCol('Create_time'), datetimeCol('Update_time'), datetimeCol('Check_time'),
    textCol('Collation', 64, true), intCol('Checksum'), textCol('Create_options', 256, true), textCol('Comment', 2048, true),
  ];
  const rows: Row[] = [];
  for (const def of catalog.listTables(schema)) {
    if (!canSee(services, session, def.schema, def.name)) continue;
    rows.push(await tableStatusRow(catalog, session, def));
  }
  for (const v of catalog.listViews(schema)) {
    if (!canSee(services, session, schema, v.def.name)) continue;
    rows.push([v.def.name, null, null, null, null, null, null, null, null, null, null, msToDatetime(v.def.createTime), null, null, null, null, null, 'VIEW']);
  }
  rows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  return result(stmt, cols, rows, 0, false);
}

/** Create_options text: max_rows=..., row_format=..., etc. */
export function createOptions(def: TableDef): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(def.options)) {
    if (['MAX_ROWS', 'MIN_ROWS', 'AVG_ROW_LENGTH', 'PACK_KEYS', 'CHECKSUM', 'DELAY_KEY_WRITE', 'ROW_FORMAT', 'KEY_BLOCK_SIZE', 'STATS_PERSISTENT'].includes(k)) {
      out.push(`${k.toLowerCase()}=${k === 'ROW_FORMAT' ? v.toUpperCase() : v}`);
    }
  }
  if (def.temporary) out.push('TEMPORARY');
  return out.join(' ');
}

export async function tableStatusRow(catalog: Catalog, session: ExecSession, def: TableDef): Promise<Row> {
  const st = await tableStats(catalog, session, def);
  if (!st) {
    return [def.name, null, null, null, null, null, null, null, null, null, null, msToDatetime(def.createTime), null, null, null, null, null,
      `Unknown storage engine '${def.engine}'`];
  }
  return [
    def.name, def.engine, 10n, st.rowFormat, BigInt(st.rows), BigInt(st.avgRowLength), BigInt(st.dataLength), BigInt(st.maxDataLength),
    BigInt(st.indexLength), BigInt(st.dataFree), st.autoIncrement, msToDatetime(def.createTime), msToDatetime(st.updateTime ?? def.updateTime),
    st.checkTime !== undefined ? msToDatetime(st.checkTime) : null, def.collation, null, createOptions(def), def.comment,
  ];
}

function showTables(services: DdlServices, session: ExecSession, stmt: ShowStatement): StatementResult {
  const catalog = services.catalog;
  const schema = schemaFor(session, catalog, stmt.schema);
  const name = `Tables_in_${schema}` + (stmt.like !== undefined ? ` (${stmt.like})` : '');
  const cols: ColSpec[] = [textCol(name, 64)];
  if (stmt.full) cols.push(textCol('Table_type', 64));
  const rows: Row[] = [];
  for (const t of catalog.listTables(schema)) {
    if (!canSee(services, session, schema, t.name)) continue;
    rows.push(stmt.full ? [t.name, 'BASE TABLE'] : [t.name]);
  }
  for (const v of catalog.listViews(schema)) {
    if (!canSee(services, session, schema, v.def.name)) continue;
    rows.push(stmt.full ? [v.def.name, 'VIEW'] : [v.def.name]);
  }
  for (const v of catalog.listVirtualTables(schema)) {
    const n = catalog.isVirtualSchema(schema) ? v.def.name.toUpperCase() : v.def.name;
    rows.push(stmt.full ? [n, catalog.isVirtualSchema(schema) ? 'SYSTEM VIEW' : 'VIEW'] : [n]);
  }
  rows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  return result(stmt, cols, rows, 0, catalog.isVirtualSchema(schema));
}

function showDatabases(services: DdlServices, session: ExecSession, stmt: ShowStatement): StatementResult {
  const name = 'Database' + (stmt.like !== undefined ? ` (${stmt.like})` : '');
  const cols = [textCol(name, 64)];
  const rows: Row[] = services.catalog.listSchemas().filter((s) => canSee(services, session, s.name)).map((s) => [s.name]);
  return result(stmt, cols, rows, 0, false);
}

function variables(services: DdlServices, session: ExecSession, stmt: ShowStatement): StatementResult {
  const cols = [textCol('Variable_name', 64), textCol('Value', 1024, true)];
  const vars = stmt.scope === 'global' ? services.globalVariables?.() : services.sessionVariables?.(session);
  if (!vars) throw sqlError('ER_NOT_SUPPORTED_YET', 'SHOW VARIABLES');
  const rows: Row[] = vars.map(([n, v]) => [n, v === null ? null : v instanceof Temporal ? v.toString() : Buffer.isBuffer(v) ? v.toString('latin1') : String(v)]);
  rows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  return result(stmt, cols, rows, 0, true);
}

function status(services: DdlServices, session: ExecSession, stmt: ShowStatement): StatementResult {
  const cols = [textCol('Variable_name', 64), textCol('Value', 1024, true)];
  const vars = services.statusVariables?.(session, stmt.scope === 'global' ? 'global' : 'session') ?? [];
  const rows: Row[] = vars.map(([n, v]) => [n, v === null ? null : String(v)]);
  return result(stmt, cols, rows, 0, true);
}

function warnings(session: ExecSession, stmt: ShowStatement, errorsOnly: boolean): StatementResult {
  const cols = [textCol('Level', 7), intCol('Code', false, true), textCol('Message', 512)];
  let list = session.diagnostics.list.filter((d) => !errorsOnly || d.level === 'Error');
  if (stmt.limit) {
    const n = (e: typeof stmt.limit.count): number => (e.type === 'literal' ? Number(e.value) : 0);
    const off = stmt.limit.offset ? n(stmt.limit.offset) : 0;
    list = list.slice(off, off + n(stmt.limit.count));
  }
  return rowsResult(cols, list.map((d) => [d.level, BigInt(d.code), d.message]));
}

function processList(services: DdlServices, stmt: ShowStatement): StatementResult {
  const cols: ColSpec[] = [intCol('Id', false), textCol('User', 32), textCol('Host', 261), textCol('db', 64, true), textCol('Command', 16),
    { ...intCol('Time', false, false), length: 7 }, textCol('State', 30, true), textCol('Info', stmt.full ? 65535 : 100, true)];
  const rows: Row[] = (services.processList?.() ?? []).map((p) => [
    BigInt(p.id), p.user, p.host, p.db, p.command, BigInt(p.time), p.state,
    p.info === null ? null : stmt.full ? p.info : p.info.slice(0, 100),
  ]);
  return rowsResult(cols, rows);
}

function describeAsShow(stmt: DescribeStatement): ShowStatement {
  const s: ShowStatement = { kind: 'show', what: 'COLUMNS', table: stmt.table };
  if (stmt.column !== undefined) s.like = stmt.column;
  return s;
}

export async function executeShow(services: DdlServices, session: ExecSession, stmt: Statement): Promise<StatementResult> {
  if (stmt.kind === 'describe') return showColumns(services, session, describeAsShow(stmt));
  if (stmt.kind !== 'show') throw sqlError('ER_NOT_SUPPORTED_YET', stmt.kind);
  if (services.compileWhere) whereContext.set(stmt, { compile: services.compileWhere, session });
  const catalog = services.catalog;
  switch (stmt.what) {
    case 'DATABASES':
    case 'SCHEMAS':
      return showDatabases(services, session, stmt);
    case 'TABLES':
      return showTables(services, session, stmt);
    case 'COLUMNS':
    case 'FIELDS':
      return showColumns(services, session, stmt);
    case 'INDEX':
    case 'INDEXES':
    case 'KEYS':
      return showIndex(services, session, stmt);
    case 'TABLE STATUS':
      return showTableStatus(services, session, stmt);
    case 'CREATE VIEW':
    case 'CREATE TABLE': {
      const def = tableFor(services, session, stmt);
      const view = catalog.getTable(def.schema, def.name, session) ? undefined : catalog.getView(def.schema, def.name);
      if (view) {
        const cs = String(session.sysvar('character_set_client') ?? 'utf8mb4');
        const co = String(session.sysvar('collation_connection') ?? 'utf8mb4_0900_ai_ci');
        return rowsResult([textCol('View', 64), textCol('Create View', 1024), textCol('character_set_client', 32), textCol('collation_connection', 64)],
          [[view.def.name, showCreateViewText(view), cs, co]]);
      }
      if (stmt.what === 'CREATE VIEW') throw sqlError('ER_WRONG_OBJECT', def.schema, def.name, 'VIEW');
      const stats = catalog.getTable(def.schema, def.name, session) ? await tableStats(catalog, session, def) : null;
      return rowsResult([textCol('Table', 64), textCol('Create Table', 1024)], [[def.name, showCreateTableText(def, stats?.autoIncrement ?? null)]]);
    }
    case 'CREATE DATABASE':
    case 'CREATE SCHEMA': {
      const name = stmt.table?.name ?? stmt.schema;
      if (!name) throw sqlError('ER_NO_DB_ERROR');
      const s = catalog.getSchema(name);
      if (!s) throw sqlError('ER_BAD_DB_ERROR', name);
      const ine = stmt.ifNotExists === true;
      return rowsResult([textCol('Database', 64), textCol('Create Database', 1024)], [[s.name, showCreateDatabaseText(s, ine)]]);
    }
    case 'ENGINES': {
      const cols = [textCol('Engine', 64), textCol('Support', 8), textCol('Comment', 80), textCol('Transactions', 3, true), textCol('XA', 3, true), textCol('Savepoints', 3, true)];
      const def = String(session.sysvar('default_storage_engine') ?? 'MEMORY');
      return result(stmt, cols, catalog.plugins.engineRows(def));
    }
    case 'PLUGINS': {
      const cols = [textCol('Name', 64), textCol('Status', 10), textCol('Type', 80), textCol('Library', 1024, true), textCol('License', 80)];
      return result(stmt, cols, catalog.plugins.showPluginRows());
    }
    case 'CHARACTER SET':
    case 'CHARSET': {
      const cols = [textCol('Charset', 64), textCol('Description', 2048), textCol('Default collation', 64), intCol('Maxlen', false)];
      return result(stmt, cols, showCharacterSetRows());
    }
    case 'COLLATION': {
      const cols = [textCol('Collation', 64), textCol('Charset', 64), intCol('Id', false), textCol('Default', 3), textCol('Compiled', 3), intCol('Sortlen', false), textCol('Pad_attribute', 9)];
      return result(stmt, cols, showCollationRows());
    }
    case 'OPEN TABLES': {
      const cols = [textCol('Database', 64), textCol('Table', 64), intCol('In_use', false), intCol('Name_locked', false)];
      let defs = catalog.openTableDefs();
      if (stmt.schema) defs = defs.filter((d) => d.schema === stmt.schema);
      return result(stmt, cols, defs.map((d) => [d.schema, d.name, 0n, 0n]), 1, false);
    }
    case 'VARIABLES':
      return variables(services, session, stmt);
    case 'STATUS':
      return status(services, session, stmt);
    case 'WARNINGS':
      return warnings(session, stmt, false);
    case 'ERRORS':
      return warnings(session, stmt, true);
    case 'COUNT WARNINGS':
      return rowsResult([intCol('@@session.warning_count', false)], [[BigInt(session.diagnostics.warningCount())]]);
    case 'COUNT ERRORS':
      return rowsResult([intCol('@@session.error_count', false)], [[BigInt(session.diagnostics.errorCount())]]);
    case 'PROCESSLIST':
      return processList(services, stmt);
    case 'TRIGGERS': {
      // Triggers of the tables of a schema the user holds TRIGGER on; LIKE matches the table. @req CORE-TRG-005
      const schema = schemaFor(session, catalog, stmt.schema);
      const tables = catalog.listTables(schema).filter((d) => {
        try {
          services.checkTable?.(session, 'TRIGGER', schema, d.name);
          return true;
        } catch {
          return false;
        }
      });
      const cols = SHOW_TRIGGERS_COLUMNS.map((n) => (n === 'Created' ? datetimeCol(n, CREATED_FSP) : textCol(n, n === 'Statement' ? 65535 : 64, n === 'Created')));
      return result(stmt, cols, showTriggersRows(tables, String(session.sysvar('time_zone') ?? 'SYSTEM')), 2);
    }
    case 'CREATE TRIGGER': {
      // @req CORE-TRG-005
      const schema = schemaFor(session, catalog, stmt.table?.schema);
      const lc = (stmt.table?.name ?? '').toLowerCase();
      const table = catalog.listTables(schema).find((d) => d.triggers?.some((t) => t.name.toLowerCase() === lc));
      const trigger = table?.triggers?.find((t) => t.name.toLowerCase() === lc);
      if (!table || !trigger) throw sqlError('ER_TRG_DOES_NOT_EXIST');
      services.checkTable?.(session, 'TRIGGER', schema, table.name);
      const cols = SHOW_CREATE_TRIGGER_COLUMNS.map((n) => (n === 'Created' ? datetimeCol(n, CREATED_FSP) : textCol(n, n === 'SQL Original Statement' ? 65535 : 64)));
      return rowsResult(cols, [showCreateTriggerRow(table, trigger, String(session.sysvar('time_zone') ?? 'SYSTEM'))]);
    }
    case 'EVENTS': {
      // The schema named by FROM, or the current one; EVENT on it is needed. @req CORE-EVT-009
      const schema = schemaFor(session, catalog, stmt.schema);
      services.checkTable?.(session, 'EVENT', schema, undefined);
      const cols = SHOW_EVENTS_COLUMNS.map((c) => (c.kind === 'datetime' ? datetimeCol(c.name) : c.kind === 'int' ? intCol(c.name, false, false) : textCol(c.name, 64, true)));
      return result(stmt, cols, catalog.listEvents(schema).map(showEventsRow), 1);
    }
    case 'CREATE EVENT': {
      const schema = schemaFor(session, catalog, stmt.table?.schema);
      services.checkTable?.(session, 'EVENT', schema, undefined);
      const ev = catalog.getEvent(schema, stmt.table?.name ?? '');
      if (!ev) throw sqlError('ER_EVENT_DOES_NOT_EXIST', stmt.table?.name ?? '');
      const cols = ['Event', 'sql_mode', 'time_zone', 'Create Event', 'character_set_client', 'collation_connection', 'Database Collation']
        .map((n) => textCol(n, n === 'Create Event' ? 1024 : n === 'sql_mode' ? 8192 : 64));
      return rowsResult(cols, [showCreateEventRow(ev)]);
    }
    case 'FUNCTION STATUS':
    case 'PROCEDURE STATUS':
      return result(stmt, ['Db', 'Name', 'Type', 'Definer', 'Modified', 'Created', 'Security_type', 'Comment', 'character_set_client',
        'collation_connection', 'Database Collation'].map((n) => (n === 'Modified' || n === 'Created' ? datetimeCol(n) : textCol(n, 64, true))),
        routineStatusRows(catalog.listPrograms(), stmt.what === 'FUNCTION STATUS' ? 'FUNCTION' : 'PROCEDURE'), 1);
    case 'ENGINE': {
      const engine = catalog.engineByName(stmt.engine ?? '');
      if (!engine) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', stmt.engine ?? '');
      // SHOW ENGINE x STATUS, SHOW ENGINE x MUTEX (INNODB-MON-006); LOGS lists nothing.
      const what = stmt.engineWhat ?? 'STATUS';
      const list = what === 'STATUS' ? engine.status?.() : what === 'MUTEX' ? engine.mutexStatus?.() : undefined;
      const rows = list ? (await list).map((r) => [r.type, r.name, r.status]) : [];
      return rowsResult([textCol('Type', 10), textCol('Name', 32), textCol('Status', 10)], rows);
    }
    case 'GRANTS':
      if (services.showGrants) return services.showGrants(session, stmt);
      break;
    default:
      break;
  }
  const other = await services.showOther?.(session, stmt);
  if (other) return other;
  throw sqlError('ER_NOT_SUPPORTED_YET', `SHOW ${stmt.what}`);
}

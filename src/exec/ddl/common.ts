/**
 * Small pieces shared by the DDL statements: name resolution against the session's schema,
 * OK results, table option normalisation and row conversion for table copies.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table.html
 * @req CORE-DDL-001 CORE-DDL-043
 */
import { checkDictionaryTableAccess } from '../../catalog/system-table-names.js';
import type { Catalog } from '../../catalog/catalog.js';
import { checkTableName } from '../../catalog/names.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { TableName, TableOptions } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import type { ExecSession } from '../exec-session.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import { convertDefault } from './default-value.js';
import { isStrict, storeValue, implicitDefault as storedImplicitDefault } from '../../sql/types/index.js';
import type { Runtime } from '../../sql/eval/types.js';
import { COMPILE_TIME_RUNTIME } from '../../sql/eval/type-rules.js';
import { geometryForColumn } from '../../sql/types/store.js';

export function ok(affectedRows = 0n, info?: string): OkResult {
  const r: OkResult = { kind: 'ok', affectedRows, lastInsertId: 0n };
  if (info !== undefined) r.info = info;
  return r;
}

/** Schema of a table reference: explicit, else the session's current schema (1046 if none). */
export function schemaOf(session: ExecSession, t: TableName): string {
  const s = t.schema ?? session.schema;
  if (s === null || s === undefined) throw sqlError('ER_NO_DB_ERROR');
  return s;
}

/** Resolve `[db.]name` and check the name; 1049 when the schema does not exist. */
export function resolveName(catalog: Catalog, session: ExecSession, t: TableName): { schema: string; name: string } {
  const schema = schemaOf(session, t);
  checkTableName(t.name);
  if (!catalog.schemaExists(schema)) throw sqlError('ER_BAD_DB_ERROR', schema);
  return { schema: catalog.getSchema(schema)!.name, name: t.name };
}

/** The session's view of a table; 1146 when absent. */
export function requireTable(catalog: Catalog, session: ExecSession, t: TableName): TableDef {
  const schema = schemaOf(session, t);
  const def = catalog.getTable(schema, t.name, session);
  if (!def) checkDictionaryTableAccess(schema, t.name);
  if (!def) throw sqlError('ER_NO_SUCH_TABLE', schema, t.name);
  return def;
}

/** Refuse DDL in information_schema / performance_schema (1044, as MySQL does). */
export function refuseSystemSchema(catalog: Catalog, session: ExecSession, schema: string): void {
  if (catalog.isVirtualSchema(schema)) {
    throw sqlError('ER_DBACCESS_DENIED_ERROR', session.user, session.host, schema.toLowerCase());
  }
}

/** Table options with normalised keys: CHARSET, COLLATE, ENGINE, AUTO_INCREMENT, COMMENT ... */
export function normaliseOptions(o: TableOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k0, v] of Object.entries(o)) {
    let k = k0.toUpperCase().replace(/\s+/g, ' ').trim();
    if (k.startsWith('DEFAULT ')) k = k.slice(8);
    if (k === 'CHARACTER SET' || k === 'CHAR SET') k = 'CHARSET';
    if (k === 'COLLATION') k = 'COLLATE';
    out[k] = v;
  }
  return out;
}

/** Options kept verbatim in TableDef.options (the ones with dedicated fields are removed). */
export function residualOptions(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (['ENGINE', 'CHARSET', 'COLLATE', 'COMMENT', 'AUTO_INCREMENT'].includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** The implicit default of a NOT NULL column without DEFAULT (what a table copy fills in). */
export function implicitDefault(col: ColumnDef): Value {
  if (col.nullable) return null;
  switch (col.type.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': case 'YEAR': case 'BIT':
      return 0n;
    case 'FLOAT': case 'DOUBLE':
      return 0;
    case 'DECIMAL':
      return new Decimal(0n, col.type.scale ?? 0);
    case 'BINARY':
      return Buffer.alloc(col.type.length ?? 1);
    case 'VARBINARY': case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
      return Buffer.alloc(0);
    case 'ENUM':
      return col.type.values?.[0] ?? '';
    case 'DATE':
      return new Temporal('DATE', 0, 0, 0, 0, 0, 0, 0);
    case 'DATETIME': case 'TIMESTAMP':
      return new Temporal(col.type.name, 0, 0, 0, 0, 0, 0, 0, col.type.scale ?? 0);
    case 'TIME':
      return new Temporal('TIME', 0, 0, 0, 0, 0, 0, 0, col.type.scale ?? 0);
    case 'JSON':
      return 'null';
    default:
      return '';
  }
}

/** Default value of a column for a new row in a copy (literal default, else implicit). */
export function columnDefault(col: ColumnDef): Value {
  if (col.default !== undefined) return col.default;
  return implicitDefault(col);
}

/**
 * Convert a value into a (possibly changed) column type during a table copy; values that do not
 * fit are an error naming the column and row, as in strict mode.
 */
const TRUNCATING_TYPES = new Set([
  'CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT',
  'BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'ENUM', 'SET',
]);

/**
 * With `relaxed` (a runtime of a session whose sql_mode is not strict), the copy converts as a
 * non-strict INSERT does: out-of-range and truncated values are adjusted with warnings 1264 /
 * 1265, and NULL into a NOT NULL column becomes the type's implicit default with warning 1265
 * (1048 for CREATE TABLE ... SELECT, whose rows are inserted as by INSERT ... SELECT).
 * @req CORE-DDL-043 CORE-MODE-001 CORE-MODE-002 CORE-MODE-025
 */
export function coerceForCopy(col: ColumnDef, v: Value, rowNo: number, relaxed?: Runtime, nullWarning: 'truncated' | 'null' = 'truncated'): Value {
  if (relaxed !== undefined && !isStrict(relaxed.sqlMode)) {
    if (v !== null) return storeValue(v, col, relaxed, rowNo);
    if (col.nullable || col.autoIncrement) return null;
    // CREATE TABLE ... SELECT reports NULL as INSERT ... SELECT does (1048); ALTER as 1265.
    if (nullWarning === 'null') relaxed.warn('Warning', 'ER_BAD_NULL_ERROR', col.name);
    else relaxed.warn('Warning', 'WARN_DATA_TRUNCATED', col.name, rowNo);
    return storedImplicitDefault(col);
  }
  if (v === null) {
    if (!col.nullable && !col.autoIncrement) throw sqlError('ER_INVALID_USE_OF_NULL');
    return null;
  }
  // a geometry column keeps its class and SRID rules when an ALTER changes them (1416 / 3643) @req CORE-GIS-004
  if (col.type.name === 'GEOMETRY') return geometryForColumn(v, col);
  try {
    return convertDefault(col, v);
  } catch {
    // A value that does not fit a string-like column is cut short (1265); only numeric
    // targets are out of range (1264). CORE-DDL-043
    if (TRUNCATING_TYPES.has(col.type.name)) throw sqlError('WARN_DATA_TRUNCATED', col.name, rowNo);
    throw sqlError('ER_WARN_DATA_OUT_OF_RANGE', col.name, rowNo);
  }
}

/**
 * The runtime a table copy converts values with: the session's sql_mode, time zone and
 * diagnostics area (warnings of the copy are the statement's warnings).
 * @req CORE-MODE-001
 */
export function copyRuntime(session: ExecSession): Runtime {
  return {
    ...COMPILE_TIME_RUNTIME,
    sqlMode: session.sqlMode(),
    now: new Date(),
    timeZone: String(session.sysvar('time_zone') ?? 'SYSTEM'),
    warn: (level, name, ...args) => session.warn(level, name, ...args),
    isInterrupted: () => session.isInterrupted(),
  };
}

export function copyRow(row: Row): Row {
  return row.slice();
}

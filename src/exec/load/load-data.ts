/**
 * LOAD DATA [LOCAL] INFILE: read a text file (from the server's file system, or from the client
 * over the connection with LOCAL) and insert its lines as rows. The lines become rows through
 * the INSERT executor (src/exec/dml/insert.ts, given the rows as a feed), so AUTO_INCREMENT,
 * duplicate handling (error 1062, REPLACE, IGNORE), strict-mode conversion, the table writer and
 * the statement's locks are those of INSERT.
 *
 * What is LOAD DATA's own: the field list may name user variables, and SET assigns columns from
 * expressions over them; a field `\N` (or unenclosed NULL with an enclosure) is NULL, which a
 * NOT NULL column turns into its implicit default with warning 1263 (an error under strict
 * mode), a TIMESTAMP NOT NULL column into the current time; a line with too few fields sets the
 * missing columns to their type's zero value (NULL for a nullable column whose default is NULL)
 * with warning 1261 per column, a line with too many fields is cut with warning 1262, both
 * errors under strict mode; LOCAL without REPLACE acts as IGNORE (MySQL cannot stop a client in
 * the middle of sending its file). The OK packet's info is
 * `Records: n  Deleted: n  Skipped: n  Warnings: n`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * @req CORE-LOAD-001 CORE-LOAD-002 CORE-LOAD-004 CORE-LOAD-005 CORE-LOAD-006 CORE-LOAD-007 CORE-LOAD-008 CORE-LOAD-009 CORE-LOAD-010 CORE-LOAD-011 CORE-LOAD-012 CORE-LOAD-013 CORE-LOAD-014 CORE-LOAD-015 CORE-LOAD-016 CORE-LOAD-017 CORE-LOAD-018
 */
import type { InsertStatement, LoadDataStatement } from '../../sql/ast.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import { decode, findCharset, normalizeCharsetName } from '../../kernel/charset/index.js';
import type { Row, Value } from '../../kernel/value.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import { compileExpr, type CompileScope, type Runtime } from '../../sql/eval/index.js';
import { implicitDefault } from '../../sql/types/index.js';
import type { Session } from '../session.js';
import { executeInsert, type InsertFeed } from '../dml/insert.js';
import { openForWrite } from '../dml/common.js';
import { lockStatementTables } from '../statement/statement-locks.js';
import { asciiSeparators, fileFormat, fixedRowFormat } from './format.js';
import { readAll, type ReadRecord } from './reader.js';
import { checkSecurePath, readServerFile, requireFilePrivilege, serverPath } from './files.js';

/** CLIENT_LOCAL_FILES: the client may be asked for a file. */
const CLIENT_LOCAL_FILES = 1 << 7;

/** Binary string types: their fields are stored as the file's bytes. */
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'BIT', 'GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION']);

function isOn(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1';
  return Number(v) !== 0;
}

function strict(rt: Runtime): boolean {
  return rt.sqlMode.has('STRICT_TRANS_TABLES') || rt.sqlMode.has('STRICT_ALL_TABLES');
}

/**
 * LOCAL needs both sides to agree: the client announced CLIENT_LOCAL_FILES and the server's
 * local_infile is ON; otherwise 3948 before anything is read.
 * @req CORE-LOAD-014
 */
function checkLocalAllowed(session: Session): void {
  const caps = session.conn.clientCapabilities ?? 0;
  if (!(caps & CLIENT_LOCAL_FILES) || !isOn(session.sysvar('local_infile')) || !session.conn.readLocalFile) {
    throw sqlError('ER_CLIENT_LOCAL_FILES_DISABLED');
  }
}

/** The file's character set (CHARACTER SET, else character_set_database); 1115 when unknown. */
function fileCharset(session: Session, stmt: LoadDataStatement): string {
  const name = stmt.charset ?? String(session.sysvar('character_set_database') ?? 'utf8mb4');
  if (name.toLowerCase() === 'default') return String(session.sysvar('character_set_database') ?? 'utf8mb4');
  if (name.toLowerCase() !== 'binary' && !findCharset(name)) throw sqlError('ER_UNKNOWN_CHARACTER_SET', name);
  return normalizeCharsetName(name);
}

/** A field's bytes as the value given to a column: bytes for binary strings, text otherwise. @req CORE-LOAD-016 */
function fieldValue(bytes: Buffer, col: ColumnDef, charset: string): Value {
  if (BINARY_TYPES.has(col.type.name.toUpperCase())) return bytes;
  const cs = charset === 'binary' ? (col.charset ?? 'utf8mb4') : charset;
  return decode(bytes, cs);
}

/** The current time as a TIMESTAMP NOT NULL column receives it for NULL or a missing field. */
function nowValue(scope: CompileScope, rt: Runtime): Value {
  return compileExpr({ type: 'func', name: 'NOW', args: [] }, scope).eval([], rt);
}

/** A nullable column whose default is NULL keeps NULL when a field is missing. */
function defaultsToNull(col: ColumnDef): boolean {
  return col.nullable && col.defaultExpr === undefined && (col.default === undefined || col.default === null);
}

/** The field list: table columns (all visible ones without a list) and @variables. */
interface Item {
  column?: ColumnDef;
  variable?: string;
}

function itemsOf(def: TableDef, stmt: LoadDataStatement): Item[] {
  const names = stmt.columns && stmt.columns.length ? stmt.columns : def.columns.filter((c) => !c.invisible).map((c) => c.name);
  return names.map((n) => {
    if (n.startsWith('@')) return { variable: n.slice(1).toLowerCase() };
    const column = def.columns.find((c) => c.name.toLowerCase() === n.toLowerCase());
    if (!column) throw sqlError('ER_BAD_FIELD_ERROR', n, 'field list');
    return { column };
  });
}

type RowProducer = (row: Row, rt: Runtime) => Value | Promise<Value>;

/** The feed of rows for the INSERT executor. @req CORE-LOAD-005 CORE-LOAD-006 CORE-LOAD-007 */
function feedOf(stmt: LoadDataStatement, items: Item[], records: ReadRecord[], charset: string, replace: boolean): InsertFeed {
  const columnItems = items.filter((i) => i.column);
  const setColumns = (stmt.set ?? []).map((a) => a.column.name);
  return {
    columns: [...columnItems.map((i) => i.column!.name), ...setColumns],
    rows(scope: CompileScope): RowProducer[][] {
      const setExprs = (stmt.set ?? []).map((a) => compileExpr(a.value, scope));
      return records.map((rec, index) => {
        const rowNumber = index + 1;
        const producers: RowProducer[] = [];
        // User variables of the line are set before any column of it is computed.
        const assignVars = (rt: Runtime): void => {
          items.forEach((it, k) => {
            if (!it.variable) return;
            const f = rec.fields[k];
            rt.setUserVar(it.variable, f === undefined || f.isNull ? null : charset === 'binary' ? f.bytes : decode(f.bytes, charset));
          });
        };
        items.forEach((it, k) => {
          const col = it.column;
          if (!col) return;
          const f = rec.fields[k];
          if (f === undefined) {
            // Too few fields: the column's zero value (NULL when its default is NULL). @req CORE-LOAD-006
            producers.push((_row, rt) => {
              if (strict(rt)) throw sqlError('ER_WARN_TOO_FEW_RECORDS', rowNumber);
              rt.warn('Warning', 'ER_WARN_TOO_FEW_RECORDS', rowNumber);
              if (col.type.name.toUpperCase() === 'TIMESTAMP' && !col.nullable) return nowValue(scope, rt);
              return defaultsToNull(col) ? null : implicitDefault(col);
            });
          } else if (f.isNull) {
            // NULL into NOT NULL: 1263 (an error under strict mode). @req CORE-LOAD-005
            producers.push((_row, rt) => {
              if (col.nullable || col.autoIncrement) return null;
              if (col.type.name.toUpperCase() === 'TIMESTAMP') return nowValue(scope, rt);
              if (strict(rt)) throw sqlError('ER_WARN_NULL_TO_NOTNULL', col.name, rowNumber);
              rt.warn('Warning', 'ER_WARN_NULL_TO_NOTNULL', col.name, rowNumber);
              return implicitDefault(col);
            });
          } else {
            const v = fieldValue(f.bytes, col, charset);
            producers.push(() => v);
          }
        });
        for (const e of setExprs) producers.push(e.async && e.evalAsync ? e.evalAsync : e.eval);
        if (producers.length === 0) return producers;
        const first = producers[0]!;
        producers[0] = (row, rt) => {
          assignVars(rt);
          return first(row, rt);
        };
        return producers;
      });
    },
    rowDone(rowNumber: number, rt: Runtime): void {
      // More fields than the list names: the rest of the line was skipped (reported after the
      // row is written, as MySQL does). @req CORE-LOAD-006
      if (!records[rowNumber - 1]?.cut) return;
      if (strict(rt)) throw sqlError('ER_WARN_TOO_MANY_RECORDS', rowNumber);
      rt.warn('Warning', 'ER_WARN_TOO_MANY_RECORDS', rowNumber);
    },
    info(records: number, duplicates: number, affected: bigint, warnings: number): string {
      // @req CORE-LOAD-009
      const deleted = replace ? duplicates : 0;
      const skipped = records - (Number(affected) - deleted);
      return sqlError('ER_LOAD_INFO', records, deleted, skipped, warnings).message;
    },
  };
}

/**
 * Run LOAD DATA.
 * @req CORE-LOAD-001
 */
export async function executeLoadData(session: Session, stmt: LoadDataStatement): Promise<OkResult> {
  if (stmt.local) checkLocalAllowed(session);
  const schema = stmt.table.schema ?? session.schema;
  if (schema === null) throw sqlError('ER_NO_DB_ERROR');
  // FILE for a server-side file; INSERT on the table, and DELETE too for REPLACE. @req CORE-LOAD-011
  if (!stmt.local) requireFilePrivilege(session);
  session.deps.accounts.checkTable(session, 'INSERT', schema, stmt.table.name);
  if (stmt.replace) session.deps.accounts.checkTable(session, 'DELETE', schema, stmt.table.name);
  const format = fileFormat(stmt, session.sqlMode().has('NO_BACKSLASH_ESCAPES'));
  if (!asciiSeparators(format)) session.warn('Warning', 'WARN_NON_ASCII_SEPARATOR_NOT_IMPLEMENTED');
  // Fixed-size rows (no field terminator, no enclosure) are not implemented. @req CORE-LOAD-003
  if (fixedRowFormat(format)) throw sqlError('ER_NOT_SUPPORTED_YET', 'LOAD DATA with fixed-size rows (FIELDS TERMINATED BY \'\' without ENCLOSED BY)');
  const charset = fileCharset(session, stmt);
  // LOCAL without REPLACE turns errors into warnings and skips duplicates. @req CORE-LOAD-008
  const ignore = stmt.ignore || (stmt.local && !stmt.replace);
  const insert: InsertStatement = { kind: 'insert', table: stmt.table, replace: stmt.replace, ignore, ...(stmt.set ? { set: stmt.set } : {}) };
  // Only LOAD DATA CONCURRENT may insert concurrently with readers of a MyISAM table.
  if (stmt.priority !== 'CONCURRENT') insert.priority = 'LOW_PRIORITY';
  await lockStatementTables(session, insert);
  const target = await openForWrite(session, stmt.table, undefined, 'LOAD');
  if (stmt.partitions) throw sqlError('ER_PARTITION_CLAUSE_ON_NONPARTITIONED');
  const items = itemsOf(target.def, stmt);
  // SET names columns of the table too, checked before the file is read. @req CORE-LOAD-017
  for (const a of stmt.set ?? []) {
    if (!target.def.columns.some((c) => c.name.toLowerCase() === a.column.name.toLowerCase())) throw sqlError('ER_BAD_FIELD_ERROR', a.column.name, 'field list');
  }
  const data = stmt.local ? await session.conn.readLocalFile!(stmt.file) : await readServerInput(session, stmt, schema);
  const records = readAll(data, format, items.length, stmt.ignoreLines ?? 0);
  const feed = feedOf(stmt, items, records, charset, stmt.replace);
  const ok = await executeInsert(session, insert, [], feed);
  // A list of variables only: the rows took defaults, the variables keep the last line's values.
  if (feed.columns.length === 0 && records.length > 0) {
    const last = records[records.length - 1]!;
    items.forEach((it, k) => {
      if (!it.variable) return;
      const f = last.fields[k];
      session.userVars.set(it.variable, f === undefined || f.isNull ? null : charset === 'binary' ? f.bytes : decode(f.bytes, charset));
    });
  }
  return ok;
}

/** The server-side file: its path, secure_file_priv, then its bytes. @req CORE-LOAD-010 CORE-LOAD-012 CORE-LOAD-013 */
function readServerInput(session: Session, stmt: LoadDataStatement, tableSchema: string): Promise<Buffer> {
  const path = serverPath(session, stmt.file, session.schema ?? tableSchema);
  checkSecurePath(session, path);
  return readServerFile(path);
}

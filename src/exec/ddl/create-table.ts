/**
 * CREATE [TEMPORARY] TABLE [IF NOT EXISTS], including CREATE TABLE ... LIKE and
 * CREATE TABLE ... [AS] SELECT.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table.html
 * @req CORE-DDL-002 CORE-DDL-003 CORE-DDL-008 CORE-DDL-009 MEMORY-040 MEMORY-121 ENGINE-SET-001 ENGINE-SET-005 ENGINE-LIST-008 CORE-CHECK-010 CORE-CHECK-022
 */
import { TableWriter } from '../write/table-writer.js';
import { resolveCharset } from '../../catalog/charset-info.js';
import { resolveForeignKeys } from '../../catalog/foreign-keys.js';
import type { ColumnDef, IndexDef, TableDef } from '../../kernel/table-def.js';
import type { ColumnDefinition, CreateTableStatement, IndexDefinition } from '../../sql/ast.js';
import { collationById } from '../../kernel/charset/index.js';
import { sqlError } from '../../kernel/errors.js';
import { ColumnFlag, MysqlType, type ColumnType, type ResultColumn } from '../../kernel/column-type.js';
import type { Row } from '../../kernel/value.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { coerceForCopy, columnDefault, copyRuntime, normaliseOptions, ok, refuseSystemSchema, residualOptions, resolveName } from './common.js';
import { engineForCreate, isEngineDisabled } from './engine-choice.js';
import type { DdlServices } from './services.js';
import { addIndex, buildColumn, checkEngineRestrictions, checkTableComment, sortIndexes, validationEnv, type BuildContext } from './table-builder.js';
import { checkNewForeignKeys, foreignKeyChecksOn, supportingIndexDefinitions } from './foreign-key-rules.js';
import { generatedCheckName, orderedChecks } from '../../catalog/check-constraint-names.js';
import { addChecks, checkReferentialActionColumns } from '../check/rules.js';
import { downgradeCheckViolation } from '../check/enforce.js';
import { parseExpression } from '../../sql/parser/index.js';

/** Deep copy of a definition (JSON-safe parts plus values kept by reference, which are immutable). */
export function cloneDef(def: TableDef): TableDef {
  return {
    ...def,
    columns: def.columns.map((c) => ({ ...c, type: { ...c.type, values: c.type.values ? [...c.type.values] : undefined } })).map((c) => {
      if (c.type.values === undefined) delete c.type.values;
      return c;
    }),
    indexes: def.indexes.map((i) => ({ ...i, parts: i.parts.map((p) => ({ ...p })) })),
    options: { ...def.options },
    foreignKeys: def.foreignKeys ? def.foreignKeys.map((f) => ({ ...f, columns: [...f.columns], refColumns: [...f.refColumns] })) : undefined,
    checks: def.checks ? def.checks.map((c) => ({ ...c })) : undefined,
  };
}

/** Column type for a SELECT result column (CREATE TABLE ... SELECT). */
export function columnTypeFromResult(rc: ResultColumn): { type: ColumnType; charset?: string; collation?: string } {
  const unsigned = (rc.flags & ColumnFlag.UNSIGNED) !== 0;
  const co = rc.charsetId === 63 ? undefined : collationById(rc.charsetId);
  const maxlen = co ? (co.charset === 'utf8mb4' ? 4 : co.charset === 'utf8mb3' ? 3 : 1) : 1;
  const chars = Math.max(0, Math.round(rc.length / maxlen));
  const u = unsigned ? { unsigned: true } : {};
  switch (rc.type) {
    case MysqlType.TINY: return { type: { name: 'TINYINT', ...u } };
    case MysqlType.SHORT: return { type: { name: 'SMALLINT', ...u } };
    case MysqlType.INT24: return { type: { name: 'MEDIUMINT', ...u } };
    case MysqlType.LONG: return { type: { name: 'INT', ...u } };
    case MysqlType.LONGLONG: return { type: { name: 'BIGINT', ...u } };
    case MysqlType.FLOAT: return { type: { name: 'FLOAT', ...u } };
    case MysqlType.DOUBLE: return { type: { name: 'DOUBLE', ...u } };
    case MysqlType.DECIMAL:
    case MysqlType.NEWDECIMAL: {
      const scale = rc.decimals;
      const prec = Math.max(1, rc.length - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1));
      return { type: { name: 'DECIMAL', length: Math.min(65, prec), scale, ...u } };
    }
    case MysqlType.DATE: case MysqlType.NEWDATE: return { type: { name: 'DATE' } };
    case MysqlType.TIME: return { type: { name: 'TIME', scale: rc.decimals || undefined } };
    case MysqlType.DATETIME: return { type: rc.decimals ? { name: 'DATETIME', scale: rc.decimals } : { name: 'DATETIME' } };
    case MysqlType.TIMESTAMP: return { type: rc.decimals ? { name: 'TIMESTAMP', scale: rc.decimals } : { name: 'TIMESTAMP' } };
    case MysqlType.YEAR: return { type: { name: 'YEAR' } };
    case MysqlType.BIT: return { type: { name: 'BIT', length: rc.length } };
    case MysqlType.JSON: return { type: { name: 'JSON' } };
    case MysqlType.GEOMETRY: return { type: { name: 'GEOMETRY' } };
    case MysqlType.NULL: return { type: { name: 'BINARY', length: 0 } };
    case MysqlType.TINY_BLOB: case MysqlType.MEDIUM_BLOB: case MysqlType.LONG_BLOB: case MysqlType.BLOB: {
      const big = rc.length > 16777215 ? 'LONG' : rc.length > 65535 ? 'MEDIUM' : rc.length > 255 ? '' : 'TINY';
      if (!co) return { type: { name: `${big}BLOB` as ColumnType['name'] } };
      return { type: { name: `${big}TEXT` as ColumnType['name'] }, charset: co.charset, collation: co.name };
    }
    case MysqlType.STRING:
      if (!co) return { type: { name: 'BINARY', length: rc.length } };
      return { type: { name: 'CHAR', length: chars }, charset: co.charset, collation: co.name };
    default:
      if (!co) return { type: { name: 'VARBINARY', length: rc.length } };
      return { type: { name: 'VARCHAR', length: chars }, charset: co.charset, collation: co.name };
  }
}

export async function createTable(services: DdlServices, session: ExecSession, stmt: CreateTableStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const { schema, name } = resolveName(catalog, session, stmt.table);
  refuseSystemSchema(catalog, session, schema);
  const existing = stmt.temporary ? catalog.getTemporaryTable(session, schema, name) : catalog.getBaseTable(schema, name);
  if (existing) {
    if (stmt.ifNotExists) {
      session.warn('Note', 'ER_TABLE_EXISTS_ERROR', name);
      return ok();
    }
    throw sqlError('ER_TABLE_EXISTS_ERROR', name);
  }
  const opts = normaliseOptions(stmt.options);
  // NO_DIR_IN_CREATE: DATA / INDEX DIRECTORY are dropped, each with warning 1618. @req CORE-MODE-019
  if (session.sqlMode().has('NO_DIR_IN_CREATE')) {
    for (const k of ['DATA DIRECTORY', 'INDEX DIRECTORY']) {
      if (opts[k] === undefined) continue;
      session.warn('Warning', 'WARN_OPTION_IGNORED', k);
      delete opts[k];
    }
  }

  // CREATE TABLE t LIKE src: same definition (engine included), no rows.
  if (stmt.like) {
    const src = catalog.getTable(stmt.like.schema ?? session.schema ?? '', stmt.like.name, session);
    if (!src) {
      const vt = catalog.getVirtualTable(stmt.like.schema ?? session.schema ?? '', stmt.like.name);
      if (!vt) throw sqlError('ER_NO_SUCH_TABLE', stmt.like.schema ?? session.schema ?? '', stmt.like.name);
      throw sqlError('ER_NOT_SUPPORTED_YET', 'CREATE TABLE ... LIKE a system view');
    }
    // A copy of a table whose engine disabled_storage_engines names would create a table there.
    const likeEngine = catalog.plugins.engine(src.engine);
    if (likeEngine && isEngineDisabled(catalog.plugins, session, likeEngine)) throw sqlError('ER_DISABLED_STORAGE_ENGINE', likeEngine.name); // @req ENGINE-SET-015
    const def = cloneDef(src);
    def.id = catalog.nextTableId();
    def.schema = schema;
    def.name = name;
    def.temporary = stmt.temporary;
    def.createTime = Date.now();
    delete def.updateTime;
    def.autoIncrementStart = 1n;
    delete def.foreignKeys; // LIKE copies no foreign keys (CORE-DICT-010)
    // The copy's CHECK constraints are all renamed `<new>_chk_<n>`, in the source's listing order. @req CORE-CHECK-022
    if (def.checks?.length) def.checks = orderedChecks(src).map((c, i) => ({ ...c, name: generatedCheckName(name, i + 1) }));
    await catalog.createTable(session, def);
    return ok();
  }

  const engine = engineForCreate(catalog.plugins, session, opts['ENGINE'], name, stmt.temporary);
  const schemaDef = catalog.getSchema(schema)!;
  const tableCharset = resolveCharset(opts['CHARSET'], opts['COLLATE'], { charset: schemaDef.charset, collation: schemaDef.collation });
  const ctx: BuildContext = { tableCharset, engine, sqlMode: session.sqlMode() };

  const columns: ColumnDef[] = [];
  const explicitNull = new Set<number>();
  const seen = new Set<string>();
  const addColumn = (c: ColumnDefinition): void => {
    if (seen.has(c.name.toLowerCase())) throw sqlError('ER_DUP_FIELDNAME', c.name);
    seen.add(c.name.toLowerCase());
    if (c.notNull === false) explicitNull.add(columns.length);
    columns.push(buildColumn(c, ctx));
  };
  for (const c of stmt.columns) addColumn(c);

  // CREATE TABLE ... SELECT: columns of the result not declared explicitly are appended.
  let selected: { columns: ResultColumn[]; rows: Row[] } | undefined;
  if (stmt.select) {
    // A MERGE table holds no rows of its own to fill (MERGE-094).
    if (engine.capabilities.rowsInUnderlyingTables) throw sqlError('ER_WRONG_OBJECT', schema, name, 'BASE TABLE');
    if (!services.runSelect) throw sqlError('ER_NOT_SUPPORTED_YET', 'CREATE TABLE ... SELECT');
    selected = await services.runSelect(session, stmt.select);
    for (const rc of selected.columns) {
      if (seen.has(rc.name.toLowerCase())) continue;
      const t = columnTypeFromResult(rc);
      const cd: ColumnDefinition = { name: rc.name, dataType: t.type, notNull: (rc.flags & ColumnFlag.NOT_NULL) !== 0 };
      if (t.charset) cd.charset = t.charset;
      if (t.collation) cd.collation = t.collation;
      addColumn(cd);
    }
  }
  if (columns.length === 0) throw sqlError('ER_TABLE_MUST_HAVE_COLUMNS');

  const indexes: IndexDef[] = [];
  const inline: IndexDefinition[] = [];
  for (const c of stmt.columns) {
    if (c.primaryKey) inline.push({ kind: 'PRIMARY', columns: [{ column: c.name }] });
  }
  const explicitPk = stmt.indexes.filter((i) => i.kind === 'PRIMARY');
  for (const i of [...inline, ...explicitPk]) addIndex(indexes, columns, i, engine, explicitNull);
  for (const c of stmt.columns) {
    if (c.unique) addIndex(indexes, columns, { kind: 'UNIQUE', columns: [{ column: c.name }] }, engine, explicitNull);
  }
  for (const i of stmt.indexes) if (i.kind !== 'PRIMARY') addIndex(indexes, columns, i, engine, explicitNull);
  // Each FOREIGN KEY clause gets an index on its columns unless one has them first (INNODB-FK-104).
  for (const i of supportingIndexDefinitions(stmt.foreignKeys, columns, indexes)) addIndex(indexes, columns, i, engine, explicitNull);

  const comment = opts['COMMENT'] ?? '';
  checkTableComment(name, comment);
  let aiStart = 1n;
  if (opts['AUTO_INCREMENT'] !== undefined) {
    try {
      aiStart = BigInt(opts['AUTO_INCREMENT']);
    } catch {
      aiStart = 1n;
    }
  }
  const def: TableDef = {
    id: catalog.nextTableId(),
    schema,
    name,
    engine: engine.name,
    columns,
    indexes: sortIndexes(indexes, columns),
    charset: tableCharset.charset,
    collation: tableCharset.collation,
    comment,
    options: residualOptions(opts),
    autoIncrementStart: aiStart,
    temporary: stmt.temporary,
    createTime: Date.now(),
  };
  // No engine keeps foreign keys of a temporary table (INNODB-FK-105).
  if (stmt.temporary && stmt.foreignKeys.length > 0) throw sqlError('ER_CANNOT_ADD_FOREIGN');
  if (engine.capabilities.foreignKeys && stmt.foreignKeys.length > 0) {
    const checks = foreignKeyChecksOn(session.sysvar('foreign_key_checks'));
    def.foreignKeys = checkNewForeignKeys({ catalog, engine, checks }, def, resolveForeignKeys(stmt.foreignKeys, def));
  }
  // CHECK constraints: named, validated over the final columns and foreign keys. @req CORE-CHECK-010 CORE-CHECK-016
  if (stmt.checks.length > 0) {
    def.checks = addChecks(name, [], stmt.checks, columns);
    checkReferentialActionColumns(def, parseExpression);
  }
  checkEngineRestrictions(def, engine, stmt.partitionBy !== undefined, validationEnv(session, 'CREATE'));
  await catalog.createTable(session, def);

  if (!selected) return ok();
  // Fill the new table; on any error it is dropped again (CREATE ... SELECT is all or nothing).
  try {
    const handler = await catalog.openHandler(session, def);
    const ectx = session.engineContext(engine.name);
    const writer = new TableWriter(session, { def, handler, engine, ctx: ectx }, services.rowChanges);
    const positions = selected.columns.map((rc) => def.columns.findIndex((c) => c.name.toLowerCase() === rc.name.toLowerCase()));
    let n = 0n;
    let dups = 0;
    let rowNo = 0;
    // Outside strict mode the rows are converted as INSERT ... SELECT converts them. @req CORE-MODE-025
    const copyRt = copyRuntime(session);
    for (const src of selected.rows) {
      rowNo++;
      const row = def.columns.map((c) => (c.autoIncrement ? null : columnDefault(c)));
      positions.forEach((p, i) => {
        if (p >= 0) row[p] = coerceForCopy(def.columns[p]!, src[i] ?? null, rowNo, copyRt, 'null');
      });
      def.columns.forEach((c, i) => {
        if (!c.autoIncrement) return;
        const v = row[i];
        if (v === null || v === 0n) row[i] = handler.reserveAutoIncrement(ectx, 1, row).first;
        else if (typeof v === 'bigint') handler.observeAutoIncrement(ectx, v);
      });
      try {
        const w = writer.insert(row);
        if (w instanceof Promise) await w;
        n++;
      } catch (err) {
        if (stmt.duplicateHandling === 'IGNORE' && (err as { errno?: number }).errno === 1062) {
          dups++;
          continue;
        }
        // IGNORE: a row violating a CHECK constraint is skipped with a warning. @req CORE-CHECK-003
        if (stmt.duplicateHandling === 'IGNORE' && downgradeCheckViolation((l, no, m) => session.warnRaw(l, no, m), err)) continue;
        throw err;
      }
    }
    return ok(n, `Records: ${n}  Duplicates: ${dups}  Warnings: ${session.diagnostics.warningCount()}`);
  } catch (err) {
    await catalog.dropTable(session, def).catch(() => undefined);
    throw err;
  }
}

/**
 * The computed tables: information_schema (SCHEMATA, TABLES, COLUMNS, STATISTICS, ENGINES,
 * PLUGINS, CHARACTER_SETS, COLLATIONS, KEY_COLUMN_USAGE, TABLE_CONSTRAINTS, the *_PRIVILEGES
 * tables and a few always-empty ones clients probe) and mysql.plugin; information_schema.PROCESSLIST
 * and performance_schema's tables are in exec/perfschema/. Rows are produced on each read from
 * the dictionary and the registries, filtered by what the reader may see.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema.html
 * @req CORE-IS-001 CORE-IS-002 CORE-IS-003 CORE-IS-004 CORE-IS-005 CORE-IS-006 CORE-IS-007 CORE-IS-008
 * @req ENGINE-LIST-006 PLUGGABLE-011 PLUGGABLE-014 MEMORY-050 INNODB-DDL-102 CORE-GIS-026
 */
import { informationSchemaTriggersRows } from '../triggers/show.js';
import { CREATED_FSP } from '../triggers/limits.js';
import { informationSchemaEventsRow } from '../events/show.js';
import { routineTables } from '../routines/infoschema.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { VirtualTableContext } from '../../catalog/virtual-table.js';
import { maxBytesPerChar, showCharacterSetRows, showCollationRows } from '../../kernel/charset/index.js';
import type { Row, Value } from '../../kernel/value.js';
import { internalEngineContext, type TableStats } from '../../storage/handler.js';
import type { DdlServices } from '../ddl/services.js';
import { columnExtra, columnKey, indexRows } from '../show/column-info.js';
import { createOptions, msToDatetime } from '../show/execute.js';
import { columnTypeText, defaultExprText, defaultValueText } from '../show/type-text.js';
import { normaliseExprText } from '../../sql/print/normalise.js';
import { dt, i, s, t, u, virtualTable } from './define.js';
import { findSrs, SPATIAL_REFERENCE_SYSTEMS } from '../../sql/gis/srs.js';

const IS = 'information_schema';
const PS = 'performance_schema';

/**
 * ROW_FORMAT of a table whose handler is not open (not used since startup, or just rebuilt by an
 * ALTER): a transactional engine (InnoDB) keeps the format in the dictionary, so it is the one the
 * definition asks for, DYNAMIC by default; the other engines' placeholder stays Fixed.
 * @req INNODB-DDL-102
 */
export function rowFormatWithoutHandler(def: TableDef, transactional: boolean): string {
  if (!transactional) return 'Fixed';
  const f = def.options['ROW_FORMAT']?.toUpperCase();
  if (!f || f === 'DEFAULT') return 'Dynamic';
  return f.charAt(0) + f.slice(1).toLowerCase();
}

function statsOf(catalog: Catalog, def: TableDef, ctx: VirtualTableContext): TableStats | null {
  const engine = catalog.engineByName(def.engine);
  if (!engine) return null;
  const h = catalog.cachedHandler(def.id);
  if (!h) {
    const rowFormat = rowFormatWithoutHandler(def, engine.capabilities.transactions);
    return { rows: 0, avgRowLength: 0, dataLength: 0, maxDataLength: 0, indexLength: 0, dataFree: 0, autoIncrement: null, rowFormat };
  }
  return h.stats(internalEngineContext(ctx.sessionVar, ctx.connectionId));
}

/** COLUMNS.DATA_TYPE: the type name in lower case, a geometry column's declared class. @req CORE-GIS-026 */
function dataTypeName(c: TableDef['columns'][number]): string {
  if (c.type.name === 'GEOMETRY' && c.type.geometry !== undefined) return c.type.geometry === 'GEOMETRYCOLLECTION' ? 'geomcollection' : c.type.geometry.toLowerCase();
  return c.type.name.toLowerCase();
}

function visibleTables(catalog: Catalog, ctx: VirtualTableContext): TableDef[] {
  const out: TableDef[] = [];
  for (const sc of catalog.listSchemas()) {
    for (const d of catalog.listTables(sc.name)) if (ctx.canSee(d.schema, d.name)) out.push(d);
  }
  return out;
}

function numericPrecision(def: TableDef, pos: number): [Value, Value, Value] {
  const c = def.columns[pos]!;
  const tp = c.type;
  const prec: Record<string, bigint> = { TINYINT: 3n, SMALLINT: 5n, MEDIUMINT: 7n, INT: 10n, BIGINT: tp.unsigned ? 20n : 19n, FLOAT: 12n, DOUBLE: 22n };
  switch (tp.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT':
      return [prec[tp.name]!, 0n, null];
    case 'FLOAT': case 'DOUBLE':
      return [tp.length !== undefined ? BigInt(tp.length) : prec[tp.name]!, tp.scale !== undefined ? BigInt(tp.scale) : null, null];
    case 'DECIMAL':
      return [BigInt(tp.length ?? 10), BigInt(tp.scale ?? 0), null];
    case 'BIT':
      return [BigInt(tp.length ?? 1), null, null];
    case 'DATETIME': case 'TIMESTAMP': case 'TIME':
      return [null, null, BigInt(tp.scale ?? 0)];
    default:
      return [null, null, null];
  }
}

function charLengths(def: TableDef, pos: number): [Value, Value] {
  const c = def.columns[pos]!;
  const tp = c.type;
  const maxlen = c.charset ? maxBytesPerChar(c.charset) : 1; // @req CORE-CS-032
  const lens: Record<string, number> = { TINYTEXT: 255, TEXT: 65535, MEDIUMTEXT: 16777215, LONGTEXT: 4294967295, TINYBLOB: 255, BLOB: 65535, MEDIUMBLOB: 16777215, LONGBLOB: 4294967295 };
  switch (tp.name) {
    case 'CHAR': case 'VARCHAR':
      return [BigInt(tp.length ?? 1), BigInt((tp.length ?? 1) * maxlen)];
    case 'BINARY': case 'VARBINARY':
      return [BigInt(tp.length ?? 1), BigInt(tp.length ?? 1)];
    case 'TINYTEXT': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT':
      return [BigInt(Math.floor(lens[tp.name]! / maxlen)), BigInt(lens[tp.name]!)];
    case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
      return [BigInt(lens[tp.name]!), BigInt(lens[tp.name]!)];
    case 'ENUM': case 'SET': {
      const vals = tp.values ?? [];
      const n = tp.name === 'ENUM' ? Math.max(0, ...vals.map((v) => [...v].length)) : vals.reduce((a, v) => a + [...v].length, 0) + Math.max(0, vals.length - 1);
      return [BigInt(n), BigInt(n * maxlen)];
    }
    default:
      return [null, null];
  }
}

/** Register every computed table into the catalog. */
export function registerSystemTables(services: DdlServices): void {
  const catalog = services.catalog;
  const add = (schema: string, vt: ReturnType<typeof virtualTable>): void => catalog.registerVirtualTable(schema, vt);

  add(IS, virtualTable(IS, 'SCHEMATA', [s('CATALOG_NAME'), s('SCHEMA_NAME'), s('DEFAULT_CHARACTER_SET_NAME'), s('DEFAULT_COLLATION_NAME'), s('SQL_PATH', 512, true), s('DEFAULT_ENCRYPTION', 3)], (ctx) =>
    catalog.listSchemas().filter((x) => ctx.canSee(x.name)).map((x) => ['def', x.name, x.charset, x.collation, null, 'NO'])));

  add(IS, virtualTable(IS, 'TABLES', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), s('TABLE_TYPE'), s('ENGINE', 64, true), i('VERSION'), s('ROW_FORMAT', 10, true),
    u('TABLE_ROWS'), u('AVG_ROW_LENGTH'), u('DATA_LENGTH'), u('MAX_DATA_LENGTH'), u('INDEX_LENGTH'), u('DATA_FREE'), u('AUTO_INCREMENT'),
    dt('CREATE_TIME'), dt('UPDATE_TIME'), dt('CHECK_TIME'), s('TABLE_COLLATION', 64, true), i('CHECKSUM'), s('CREATE_OPTIONS', 256, true), t('TABLE_COMMENT'),
  ], (ctx) => {
    const rows: Row[] = [];
    for (const d of visibleTables(catalog, ctx)) {
      const st = statsOf(catalog, d, ctx);
      rows.push([
        'def', d.schema, d.name, 'BASE TABLE', d.engine, 10n, st?.rowFormat ?? null, st ? BigInt(st.rows) : null, st ? BigInt(st.avgRowLength) : null,
        st ? BigInt(st.dataLength) : null, st ? BigInt(st.maxDataLength) : null, st ? BigInt(st.indexLength) : null, st ? BigInt(st.dataFree) : null,
        st?.autoIncrement ?? null, msToDatetime(d.createTime), msToDatetime(st?.updateTime ?? d.updateTime), st?.checkTime !== undefined ? msToDatetime(st.checkTime) : null, d.collation, null, createOptions(d), d.comment,
      ]);
    }
    for (const sc of catalog.listSchemas()) {
      for (const v of catalog.listViews(sc.name)) {
        if (!ctx.canSee(sc.name, v.def.name)) continue;
        rows.push(['def', sc.name, v.def.name, 'VIEW', null, null, null, null, null, null, null, null, null, null, msToDatetime(v.def.createTime), null, null, null, null, null, 'VIEW']);
      }
    }
    for (const sc of [IS, PS, 'mysql']) {
      for (const v of catalog.listVirtualTables(sc)) {
        if (!ctx.canSee(sc, v.def.name)) continue;
        const type = sc === IS ? 'SYSTEM VIEW' : 'BASE TABLE';
        const engine = sc === IS ? null : sc === PS ? 'PERFORMANCE_SCHEMA' : 'InnoDB';
        rows.push(['def', sc, v.def.name, type, engine, sc === IS ? null : 10n, null, null, null, null, null, null, null, null, null, null, null, sc === IS ? null : 'utf8mb4_0900_ai_ci', null, '', '']);
      }
    }
    return rows;
  }));

  add(IS, virtualTable(IS, 'COLUMNS', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), s('COLUMN_NAME', 64, true), u('ORDINAL_POSITION', false), t('COLUMN_DEFAULT'),
    s('IS_NULLABLE', 3), t('DATA_TYPE'), i('CHARACTER_MAXIMUM_LENGTH'), i('CHARACTER_OCTET_LENGTH'), u('NUMERIC_PRECISION'), u('NUMERIC_SCALE'),
    u('DATETIME_PRECISION'), s('CHARACTER_SET_NAME', 64, true), s('COLLATION_NAME', 64, true), t('COLUMN_TYPE', false), s('COLUMN_KEY', 3),
    s('EXTRA', 256, true), s('PRIVILEGES', 154, true), t('COLUMN_COMMENT', false), t('GENERATION_EXPRESSION', false), u('SRS_ID'),
  ], (ctx) => {
    const rows: Row[] = [];
    const emit = (d: TableDef): void => {
      d.columns.forEach((c, pos) => {
        const [np, ns, dp] = numericPrecision(d, pos);
        const [cl, ol] = charLengths(d, pos);
        // An expression default and a generation expression as MySQL prints them. @req CORE-CHECK-031
        const dflt = c.defaultExpr !== undefined ? defaultExprText(c.defaultExpr).replace(/^\((.*)\)$/s, '$1') : c.default !== undefined ? defaultValueText(c.default, c) : null;
        rows.push([
          'def', d.schema, d.name, c.name, BigInt(pos + 1), dflt, c.nullable ? 'YES' : 'NO', dataTypeName(c), cl, ol, np, ns, dp,
          c.charset ?? null, c.collation ?? null, columnTypeText(c), columnKey(d, pos), columnExtra(d, pos), 'select,insert,update,references',
          c.comment, c.generated ? normaliseExprText(c.generated.expr) : '', c.type.srid !== undefined ? BigInt(c.type.srid) : null,
        ]);
      });
    };
    for (const d of visibleTables(catalog, ctx)) emit(d);
    for (const sc of catalog.listSchemas()) for (const v of catalog.listViews(sc.name)) if (ctx.canSee(sc.name, v.def.name)) emit(v.def);
    for (const sc of [IS, PS, 'mysql']) for (const v of catalog.listVirtualTables(sc)) if (ctx.canSee(sc, v.def.name)) emit(v.def);
    return rows;
  }));

  // The spatial reference systems refmysqld knows (SRID 0 is implicit, as in MySQL) and the
  // geometry columns of visible tables. @req CORE-GIS-026
  add(IS, virtualTable(IS, 'ST_SPATIAL_REFERENCE_SYSTEMS', [
    s('SRS_NAME', 80), u('SRS_ID', false), s('ORGANIZATION', 256, true), u('ORGANIZATION_COORDSYS_ID'), s('DEFINITION', 4096), s('DESCRIPTION', 2048, true),
  ], () => SPATIAL_REFERENCE_SYSTEMS.filter((r) => r.id !== 0).map((r) => [
    r.name, BigInt(r.id), r.organization, r.organizationId === null ? null : BigInt(r.organizationId), r.definition, r.description,
  ])));
  add(IS, virtualTable(IS, 'ST_GEOMETRY_COLUMNS', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), s('COLUMN_NAME', 64, true), s('SRS_NAME', 80, true), u('SRS_ID'), t('GEOMETRY_TYPE_NAME', false),
  ], (ctx) => {
    const rows: Row[] = [];
    for (const d of visibleTables(catalog, ctx)) {
      for (const c of d.columns) {
        if (c.type.name !== 'GEOMETRY') continue;
        const srs = c.type.srid === undefined ? null : findSrs(c.type.srid);
        rows.push(['def', d.schema, d.name, c.name, srs ? srs.name : null, c.type.srid !== undefined ? BigInt(c.type.srid) : null, dataTypeName(c)]);
      }
    }
    return rows;
  }));

  add(IS, virtualTable(IS, 'STATISTICS', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), i('NON_UNIQUE', false), s('INDEX_SCHEMA'), s('INDEX_NAME', 64, true), u('SEQ_IN_INDEX', false),
    s('COLUMN_NAME', 64, true), s('COLLATION', 1, true), i('CARDINALITY'), i('SUB_PART'), s('PACKED', 10, true), s('NULLABLE', 3), s('INDEX_TYPE', 11),
    s('COMMENT', 8), s('INDEX_COMMENT', 2048), s('IS_VISIBLE', 3), t('EXPRESSION'),
  ], (ctx) => {
    const rows: Row[] = [];
    for (const d of visibleTables(catalog, ctx)) {
      const st = statsOf(catalog, d, ctx);
      for (const r of indexRows(d, st ? st.rows : null, st?.keyCardinality, st?.keyCardinalityComplete)) {
        // SHOW INDEX row -> STATISTICS row
        rows.push(['def', d.schema, d.name, r[1]!, d.schema, r[2]!, r[3]!, r[4]!, r[5]!, r[6]!, r[7]!, r[8]!, r[9]!, r[10]!, r[11]!, r[12]!, r[13]!, r[14]!]);
      }
    }
    return rows;
  }));

  add(IS, virtualTable(IS, 'ENGINES', [s('ENGINE'), s('SUPPORT', 8), s('COMMENT', 80), s('TRANSACTIONS', 3, true), s('XA', 3, true), s('SAVEPOINTS', 3, true)], (ctx) =>
    catalog.plugins.engineRows(String(ctx.sessionVar('default_storage_engine') ?? 'MEMORY'))));

  add(IS, virtualTable(IS, 'PLUGINS', [
    s('PLUGIN_NAME'), s('PLUGIN_VERSION', 20), s('PLUGIN_STATUS', 10), s('PLUGIN_TYPE', 80), s('PLUGIN_TYPE_VERSION', 20), s('PLUGIN_LIBRARY', 64, true),
    s('PLUGIN_LIBRARY_VERSION', 20, true), s('PLUGIN_AUTHOR', 64, true), t('PLUGIN_DESCRIPTION'), s('PLUGIN_LICENSE', 80, true), s('LOAD_OPTION', 64),
  ], () => catalog.plugins.infoSchemaPluginRows()));

  add(IS, virtualTable(IS, 'CHARACTER_SETS', [s('CHARACTER_SET_NAME'), s('DEFAULT_COLLATE_NAME'), s('DESCRIPTION', 2048), u('MAXLEN', false)], () =>
    showCharacterSetRows().map(([name, desc, co, max]) => [name, co, desc, max])));

  add(IS, virtualTable(IS, 'COLLATIONS', [s('COLLATION_NAME'), s('CHARACTER_SET_NAME'), u('ID', false), s('IS_DEFAULT', 7), s('IS_COMPILED', 3), u('SORTLEN', false), s('PAD_ATTRIBUTE', 9)], () =>
    showCollationRows().map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]])));

  add(IS, virtualTable(IS, 'COLLATION_CHARACTER_SET_APPLICABILITY', [s('COLLATION_NAME'), s('CHARACTER_SET_NAME')], () =>
    showCollationRows().map((r) => [r[0], r[1]])));

  add(IS, virtualTable(IS, 'KEY_COLUMN_USAGE', [
    s('CONSTRAINT_CATALOG'), s('CONSTRAINT_SCHEMA'), s('CONSTRAINT_NAME', 64, true), s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'),
    s('COLUMN_NAME', 64, true), u('ORDINAL_POSITION', false), u('POSITION_IN_UNIQUE_CONSTRAINT'), s('REFERENCED_TABLE_SCHEMA', 64, true),
    s('REFERENCED_TABLE_NAME', 64, true), s('REFERENCED_COLUMN_NAME', 64, true),
  ], (ctx) => {
    const rows: Row[] = [];
    for (const d of visibleTables(catalog, ctx)) {
      for (const idx of d.indexes) {
        if (idx.kind !== 'PRIMARY' && idx.kind !== 'UNIQUE') continue;
        idx.parts.forEach((p, n) => rows.push(['def', d.schema, idx.name, 'def', d.schema, d.name, d.columns[p.column]!.name, BigInt(n + 1), null, null, null, null]));
      }
    }
    return rows;
  }));

  add(IS, virtualTable(IS, 'TABLE_CONSTRAINTS', [s('CONSTRAINT_CATALOG'), s('CONSTRAINT_SCHEMA'), s('CONSTRAINT_NAME', 64, true), s('TABLE_SCHEMA'), s('TABLE_NAME'), s('CONSTRAINT_TYPE', 11), s('ENFORCED', 3)], (ctx) => {
    const rows: Row[] = [];
    for (const d of visibleTables(catalog, ctx)) {
      for (const idx of d.indexes) {
        if (idx.kind === 'PRIMARY') rows.push(['def', d.schema, 'PRIMARY', d.schema, d.name, 'PRIMARY KEY', 'YES']);
        else if (idx.kind === 'UNIQUE') rows.push(['def', d.schema, idx.name, d.schema, d.name, 'UNIQUE', 'YES']);
      }
      // CHECK constraints, ENFORCED NO while NOT ENFORCED. @req CORE-CHECK-024
      for (const ck of d.checks ?? []) rows.push(['def', d.schema, ck.name, d.schema, d.name, 'CHECK', ck.enforced ? 'YES' : 'NO']);
    }
    return rows;
  }));

  add(IS, virtualTable(IS, 'CHECK_CONSTRAINTS', [s('CONSTRAINT_CATALOG'), s('CONSTRAINT_SCHEMA'), s('CONSTRAINT_NAME'), t('CHECK_CLAUSE', false)], (ctx) => {
    const rows: Row[] = [];
    // The clause as MySQL prints the expression. @req CORE-CHECK-025 CORE-CHECK-030
    for (const d of visibleTables(catalog, ctx)) for (const ck of d.checks ?? []) rows.push(['def', d.schema, ck.name, normaliseExprText(ck.expr)]);
    return rows;
  }));

  add(IS, virtualTable(IS, 'REFERENTIAL_CONSTRAINTS', [
    s('CONSTRAINT_CATALOG'), s('CONSTRAINT_SCHEMA'), s('CONSTRAINT_NAME', 64, true), s('UNIQUE_CONSTRAINT_CATALOG'), s('UNIQUE_CONSTRAINT_SCHEMA'),
    s('UNIQUE_CONSTRAINT_NAME', 64, true), s('MATCH_OPTION', 7), s('UPDATE_RULE', 11), s('DELETE_RULE', 11), s('TABLE_NAME'), s('REFERENCED_TABLE_NAME'),
  ], () => []));

  add(IS, virtualTable(IS, 'VIEWS', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), t('VIEW_DEFINITION'), s('CHECK_OPTION', 8, true), s('IS_UPDATABLE', 3, true),
    s('DEFINER', 288, true), s('SECURITY_TYPE', 7, true), s('CHARACTER_SET_CLIENT'), s('COLLATION_CONNECTION'),
  ], (ctx) => {
    const rows: Row[] = [];
    for (const sc of catalog.listSchemas()) {
      for (const v of catalog.listViews(sc.name)) {
        if (!ctx.canSee(sc.name, v.def.name)) continue;
        // The query as MySQL prints it, schema-qualified. @req CORE-CHECK-033
        rows.push(['def', sc.name, v.def.name, v.printed?.full ?? v.query, v.checkOption, 'YES', v.definer.replace(/`/g, ''), v.security,
          String(ctx.sessionVar('character_set_client') ?? 'utf8mb4'), String(ctx.sessionVar('collation_connection') ?? 'utf8mb4_0900_ai_ci')]);
      }
    }
    return rows;
  }));

  // Always empty here (no tablespaces, partitions, triggers, stored routines or events yet), but
  // present with MySQL's columns because dump tools query them.
  add(IS, virtualTable(IS, 'FILES', [
    i('FILE_ID'), s('FILE_NAME', 512, true), s('FILE_TYPE', 256), s('TABLESPACE_NAME', 268, true), s('TABLE_CATALOG'), s('TABLE_SCHEMA', 64, true),
    s('TABLE_NAME', 64, true), s('LOGFILE_GROUP_NAME', 256, true), i('LOGFILE_GROUP_NUMBER'), s('ENGINE', 64), s('FULLTEXT_KEYS', 64, true),
    s('DELETED_ROWS', 64, true), s('UPDATE_COUNT', 64, true), i('FREE_EXTENTS'), i('TOTAL_EXTENTS'), i('EXTENT_SIZE'), i('INITIAL_SIZE'),
    i('MAXIMUM_SIZE'), i('AUTOEXTEND_SIZE'), s('CREATION_TIME', 64, true), s('LAST_UPDATE_TIME', 64, true), s('LAST_ACCESS_TIME', 64, true),
    s('RECOVER_TIME', 64, true), s('TRANSACTION_COUNTER', 64, true), i('VERSION'), s('ROW_FORMAT', 256, true), s('TABLE_ROWS', 64, true),
    s('AVG_ROW_LENGTH', 64, true), s('DATA_LENGTH', 64, true), s('MAX_DATA_LENGTH', 64, true), s('INDEX_LENGTH', 64, true), i('DATA_FREE'),
    s('CREATE_TIME', 64, true), s('UPDATE_TIME', 64, true), s('CHECK_TIME', 64, true), s('CHECKSUM', 64, true), s('STATUS', 256), s('EXTRA', 256, true),
  ], () => []));

  add(IS, virtualTable(IS, 'PARTITIONS', [
    s('TABLE_CATALOG'), s('TABLE_SCHEMA'), s('TABLE_NAME'), s('PARTITION_NAME', 64, true), s('SUBPARTITION_NAME', 64, true),
    u('PARTITION_ORDINAL_POSITION'), u('SUBPARTITION_ORDINAL_POSITION'), s('PARTITION_METHOD', 13, true), s('SUBPARTITION_METHOD', 13, true),
    t('PARTITION_EXPRESSION'), t('SUBPARTITION_EXPRESSION'), t('PARTITION_DESCRIPTION'), u('TABLE_ROWS'), u('AVG_ROW_LENGTH'), u('DATA_LENGTH'),
    u('MAX_DATA_LENGTH'), u('INDEX_LENGTH'), u('DATA_FREE'), dt('CREATE_TIME'), dt('UPDATE_TIME'), dt('CHECK_TIME'), i('CHECKSUM'),
    t('PARTITION_COMMENT', false), s('NODEGROUP', 256, true), s('TABLESPACE_NAME', 268, true),
  ], (ctx) =>
    visibleTables(catalog, ctx).map((d) => {
      const st = statsOf(catalog, d, ctx);
      return ['def', d.schema, d.name, null, null, null, null, null, null, null, null, null, st ? BigInt(st.rows) : 0n, st ? BigInt(st.avgRowLength) : 0n,
        st ? BigInt(st.dataLength) : 0n, st ? BigInt(st.maxDataLength) : 0n, st ? BigInt(st.indexLength) : 0n, st ? BigInt(st.dataFree) : 0n,
        msToDatetime(d.createTime), msToDatetime(d.updateTime), null, null, '', null, null];
    })));

  add(IS, virtualTable(IS, 'TRIGGERS', [
    s('TRIGGER_CATALOG'), s('TRIGGER_SCHEMA'), s('TRIGGER_NAME'), s('EVENT_MANIPULATION', 6), s('EVENT_OBJECT_CATALOG'), s('EVENT_OBJECT_SCHEMA'),
    s('EVENT_OBJECT_TABLE'), u('ACTION_ORDER', false), t('ACTION_CONDITION'), t('ACTION_STATEMENT', false), s('ACTION_ORIENTATION', 3),
    s('ACTION_TIMING', 6), s('ACTION_REFERENCE_OLD_TABLE', 64, true), s('ACTION_REFERENCE_NEW_TABLE', 64, true), s('ACTION_REFERENCE_OLD_ROW', 3),
    s('ACTION_REFERENCE_NEW_ROW', 3), dt('CREATED', CREATED_FSP), s('SQL_MODE', 520), s('DEFINER', 288), s('CHARACTER_SET_CLIENT'), s('COLLATION_CONNECTION'),
    s('DATABASE_COLLATION'),
  ], (ctx) =>
    // Triggers of the tables the reader holds TRIGGER on. @req CORE-TRG-005
    informationSchemaTriggersRows(
      catalog.listAllTables().filter((d) => (ctx.hasTablePrivilege ? ctx.hasTablePrivilege('TRIGGER', d.schema, d.name) : ctx.canSee(d.schema, d.name))),
      String(ctx.sessionVar('time_zone') ?? 'SYSTEM'),
    )));

  // information_schema.ROUTINES and PARAMETERS (exec/routines/infoschema.ts). @req CORE-SP-062
  for (const vt of routineTables(() => catalog.listPrograms())) add(IS, vt);

  add(IS, virtualTable(IS, 'EVENTS', [
    s('EVENT_CATALOG'), s('EVENT_SCHEMA'), s('EVENT_NAME'), s('DEFINER', 288), s('TIME_ZONE'), s('EVENT_BODY', 3), t('EVENT_DEFINITION', false),
    s('EVENT_TYPE', 9), dt('EXECUTE_AT'), s('INTERVAL_VALUE', 256, true), s('INTERVAL_FIELD', 18, true), s('SQL_MODE', 520), dt('STARTS'), dt('ENDS'),
    s('STATUS', 18), s('ON_COMPLETION', 12), dt('CREATED'), dt('LAST_ALTERED'), dt('LAST_EXECUTED'), s('EVENT_COMMENT', 2048), u('ORIGINATOR', false),
    s('CHARACTER_SET_CLIENT'), s('COLLATION_CONNECTION'), s('DATABASE_COLLATION'),
  ], (ctx) => {
    // Events of the schemas where the reader holds EVENT. @req CORE-EVT-009
    const tz = String(ctx.sessionVar('time_zone') ?? 'SYSTEM');
    return catalog
      .listEvents()
      .filter((e) => (ctx.hasSchemaPrivilege ? ctx.hasSchemaPrivilege('EVENT', e.schema) : ctx.canSee(e.schema)))
      .map((e) => informationSchemaEventsRow(e, tz));
  }));

  // information_schema.PROCESSLIST is registered with performance_schema's process lists (exec/perfschema/). @req CORE-PFS-014

  const privTable = (name: string, kind: 'USER' | 'SCHEMA' | 'TABLE' | 'COLUMN'): void => {
    const cols = [s('GRANTEE', 292), s('TABLE_CATALOG', 512)];
    if (kind !== 'USER') cols.push(s('TABLE_SCHEMA'));
    if (kind === 'TABLE' || kind === 'COLUMN') cols.push(s('TABLE_NAME'));
    if (kind === 'COLUMN') cols.push(s('COLUMN_NAME'));
    cols.push(s('PRIVILEGE_TYPE'), s('IS_GRANTABLE', 3));
    add(IS, virtualTable(IS, name, cols, () =>
      (services.privilegeRows?.(kind) ?? []).map((p) => {
        const r: Row = [p.grantee, p.tableCatalog];
        if (kind !== 'USER') r.push(p.tableSchema ?? '');
        if (kind === 'TABLE' || kind === 'COLUMN') r.push(p.tableName ?? '');
        if (kind === 'COLUMN') r.push(p.columnName ?? '');
        r.push(p.privilegeType, p.isGrantable);
        return r;
      })));
  };
  privTable('USER_PRIVILEGES', 'USER');
  privTable('SCHEMA_PRIVILEGES', 'SCHEMA');
  privTable('TABLE_PRIVILEGES', 'TABLE');
  privTable('COLUMN_PRIVILEGES', 'COLUMN');

  // performance_schema's tables: exec/perfschema/register.ts. @req CORE-PFS-001

  // mysql.plugin: what INSTALL PLUGIN recorded
  add('mysql', virtualTable('mysql', 'plugin', [s('name'), s('dl', 128)], () => catalog.plugins.installedRows().map((p) => [p.name, p.dl]), 'InnoDB'));
}

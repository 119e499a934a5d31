/**
 * The data dictionary kept in tables of the transactional engine (InnoDB), as MySQL 8.0 keeps
 * it: a DDL's dictionary change set is one InnoDB transaction, made durable by the redo log
 * like any commit and recovered by the engine's crash recovery, so there is no dictionary file
 * of our own to keep consistent.
 *
 * The tables are in the `mysql` schema and, as in MySQL, out of reach of SQL (error 3554, see
 * system-table-names.ts):
 *
 * - `mysql.dd_properties` (name, value): the dictionary format version and the next table id;
 *   the version row also marks a dictionary that was initialised (or imported) completely;
 * - `mysql.schemata` (name, definition): one row per schema;
 * - `mysql.tables` (schema_name, name, type, definition): one row per base table
 *   (type 'BASE TABLE') or view (type 'VIEW');
 * - `mysql.routines` (schema_name, type, name, definition): one row per stored program
 *   (procedure, function; triggers and events later), added after the first three: a data
 *   directory that lacks only this table gets it at startup;
 * - the plugins INSTALL PLUGIN recorded are rows `PLUGIN:<name>` of mysql.dd_properties with
 *   the library as value. MySQL keeps them in mysql.plugin, an ordinary system table; here
 *   mysql.plugin is the view of the plugin registry, and a dictionary table keeps the list out
 *   of reach of SQL (a dump restored with DROP TABLE / CREATE TABLE mysql.plugin cannot
 *   replace it).
 *
 * A definition is the JSON the dictionary has always used for the entry (serialize.ts), in a
 * LONGTEXT column; MySQL spreads a table over mysql.columns, mysql.indexes and more, which
 * nothing here reads, so one row per object keeps the change set of a DDL small.
 *
 * A data directory whose dictionary is still the JSON checkpoint and journal of
 * json-dictionary-store.ts is imported once, in one transaction; the JSON files are then
 * renamed with the suffix `.imported` (kept as a record, never read again). When the engine
 * cannot create tables (innodb_read_only, innodb_force_recovery of 4 or more) and has no
 * dictionary tables yet, the JSON store keeps serving, unimported.
 *
 * plugin-load.ts reads the recorded plugins before any engine starts (to accept their options
 * on the command line), so checkpoint() also writes them to a small JSON file it can read.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html (14.1, 14.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary-schema.html
 * @req CORE-DICT-001 CORE-DICT-015 CORE-DICT-017 CORE-DICT-018
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnDef, SchemaDef, TableDef } from '../kernel/table-def.js';
import type { ColumnType } from '../kernel/column-type.js';
import type { Row, Value } from '../kernel/value.js';
import type { StorageEngine } from '../storage/handler.js';
import { SystemTables, type SystemTableWriter } from '../storage/system-tables.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { DictionaryChange, DictionaryContents, DictionaryStore, EventDef, InstalledPluginEntry, StoredProgramDef, ViewDef } from './dictionary-store.js';
import { JsonDictionaryStore } from './json-dictionary-store.js';
import { DICTIONARY_FILE, DICTIONARY_JOURNAL_FILE, DICTIONARY_TABLE_FORMAT_VERSION, DICTIONARY_TABLE_ID_BASE, IMPORTED_SUFFIX, PLUGIN_LIST_FILE } from './limits.js';
import { tableFromJson, tableToJson, type StoredTableDef } from './serialize.js';
import { systemColumn, systemTableDef } from './system-table-def.js';

const utf8bin = (length: number): ColumnType => ({ name: 'VARCHAR', length, charset: 'utf8mb4', collation: 'utf8mb4_bin' });
const LONGTEXT: ColumnType = { name: 'LONGTEXT', charset: 'utf8mb4', collation: 'utf8mb4_bin' };
const ENTRY_TYPE: ColumnType = { name: 'ENUM', values: ['BASE TABLE', 'VIEW'], charset: 'utf8mb4', collation: 'utf8mb4_bin' };

const col = (name: string, type: ColumnType): ColumnDef => systemColumn(name, type);
const ddTable = (offset: number, name: string, columns: ColumnDef[], primaryKey: string[]): TableDef =>
  systemTableDef({ id: DICTIONARY_TABLE_ID_BASE + offset, name, columns, primaryKey, charset: 'utf8mb4', collation: 'utf8mb4_bin' });

/** The dictionary's tables (hard-coded, as MySQL's are: they describe everything else). */
export const DICTIONARY_TABLE_DEFS: readonly TableDef[] = [
  ddTable(1, 'dd_properties', [col('name', utf8bin(64)), col('value', utf8bin(255))], ['name']),
  ddTable(2, 'schemata', [col('name', utf8bin(64)), col('definition', LONGTEXT)], ['name']),
  ddTable(3, 'tables', [col('schema_name', utf8bin(64)), col('name', utf8bin(64)), col('type', ENTRY_TYPE), col('definition', LONGTEXT)], ['schema_name', 'name']),
  // @req CORE-SP-004
  ddTable(4, 'routines', [col('schema_name', utf8bin(64)), col('type', utf8bin(16)), col('name', utf8bin(64)), col('definition', LONGTEXT)], ['schema_name', 'type', 'name']),
  // @req CORE-EVT-003
  ddTable(5, 'events', [col('schema_name', utf8bin(64)), col('name', utf8bin(64)), col('definition', LONGTEXT)], ['schema_name', 'name']),
];

/** Dictionary tables added after the first release of the table dictionary: created when missing. */
const LATER_TABLES: ReadonlySet<string> = new Set(['routines', 'events']);

type StoredViewDef = Omit<ViewDef, 'def'> & { def: StoredTableDef };

const VERSION = 'DD_VERSION';
const NEXT_TABLE_ID = 'NEXT_TABLE_ID';
/** dd_properties rows of installed plugins: PLUGIN:<name> = library. */
const PLUGIN_PREFIX = 'PLUGIN:';

function text(v: Value | undefined): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v ?? '');
}

export interface TableDictionaryStoreOptions {
  /** Server variables the engine consults (innodb_lock_wait_timeout, ...). */
  globalVar: (name: string) => Value;
  /** Error-log lines (the import of a JSON dictionary is logged). */
  log?: (level: 'Note' | 'Warning' | 'System', message: string) => void;
}

export class TableDictionaryStore implements DictionaryStore {
  private readonly tables: SystemTables;
  /** The JSON store while the engine cannot hold the dictionary (read-only, nothing imported). */
  private fallback: JsonDictionaryStore | null = null;
  private plugins: InstalledPluginEntry[] = [];
  /** The version row is in the tables (else the next commit writes it). */
  private versioned = false;

  constructor(
    readonly datadir: string,
    readonly engine: StorageEngine,
    private readonly options: TableDictionaryStoreOptions,
  ) {
    this.tables = new SystemTables(engine, DICTIONARY_TABLE_DEFS, options.globalVar);
  }

  /** Whether the dictionary lives in the engine's tables (false: the JSON fallback). */
  get inTables(): boolean {
    return this.fallback === null;
  }

  /** @req CORE-DICT-015 CORE-DICT-017 */
  async load(): Promise<DictionaryContents | undefined> {
    const missing = this.tables.missing();
    // The first release's tables all missing: a new (or pre-InnoDB-dictionary) data directory.
    const firstMissing = missing.filter((t) => !LATER_TABLES.has(t.name)).length;
    if (firstMissing === DICTIONARY_TABLE_DEFS.length - LATER_TABLES.size) {
      try {
        await this.tables.createMissing();
      } catch (e) {
        // A read-only engine: serve the JSON dictionary as it is, if any.
        this.fallback = new JsonDictionaryStore(this.datadir);
        this.options.log?.('Warning', `Data dictionary tables cannot be created (${(e as Error).message}); using ${DICTIONARY_FILE}.`);
        return this.fallback.load();
      }
    } else if (firstMissing > 0) {
      const lost = missing.find((t) => !LATER_TABLES.has(t.name))!;
      throw new Error(`Data Dictionary initialization failed: the tablespace of mysql.${lost.name} is missing.`);
    } else if (missing.length > 0) {
      // A dictionary written before a table was added to it (an upgrade): add the table.
      await this.tables.createMissing();
    }
    await this.tables.open();
    const all = await this.tables.readAll(['dd_properties', 'schemata', 'tables', 'routines', 'events']);
    const props = new Map((all.get('dd_properties') ?? []).map((r) => [text(r[0]), text(r[1])]));
    const plugins = [...props].filter(([k]) => k.startsWith(PLUGIN_PREFIX)).map(([k, dl]) => ({ name: k.slice(PLUGIN_PREFIX.length), dl }));
    if (!props.has(VERSION)) return this.importJson();
    this.versioned = true;
    const version = Number(props.get(VERSION));
    if (version > DICTIONARY_TABLE_FORMAT_VERSION) {
      throw new Error(`Data Dictionary initialization failed: dictionary version ${version} is newer than this server understands (${DICTIONARY_TABLE_FORMAT_VERSION}).`);
    }
    const contents: DictionaryContents = { nextTableId: Number(props.get(NEXT_TABLE_ID) ?? 1), schemas: [], tables: [], views: [], plugins: [], events: [] };
    for (const r of all.get('events') ?? []) contents.events!.push(JSON.parse(text(r[2])) as EventDef);
    for (const r of all.get('schemata') ?? []) contents.schemas.push(JSON.parse(text(r[1])) as SchemaDef);
    for (const r of all.get('tables') ?? []) {
      const json = text(r[3]);
      if (text(r[2]) === 'VIEW') {
        const v = JSON.parse(json) as StoredViewDef;
        contents.views.push({ ...v, def: tableFromJson(v.def) });
      } else {
        contents.tables.push(tableFromJson(JSON.parse(json) as StoredTableDef));
      }
    }
    contents.programs = (all.get('routines') ?? []).map((r) => JSON.parse(text(r[3])) as StoredProgramDef);
    contents.plugins.push(...plugins);
    this.plugins = contents.plugins;
    this.moveJsonAside();
    return contents;
  }

  /** @req CORE-DICT-015 */
  async commit(changes: readonly DictionaryChange[], nextTableId: number): Promise<void> {
    if (this.fallback) return this.fallback.commit(changes, nextTableId);
    await this.tables.transaction(async (w) => {
      for (const c of changes) await this.write(w, c);
      await w.put('dd_properties', [NEXT_TABLE_ID, String(nextTableId)]);
      // A new data directory's first commit marks the dictionary as initialised.
      if (!this.versioned) await w.put('dd_properties', [VERSION, String(DICTIONARY_TABLE_FORMAT_VERSION)]);
    });
    this.versioned = true;
    for (const c of changes) if (c.kind === 'plugins') this.plugins = c.value;
  }

  /** The plugin list for plugin-load.ts (the dictionary itself is always complete in the tables). */
  async checkpoint(): Promise<void> {
    if (this.fallback) return this.fallback.checkpoint();
    await writeFileAtomic(join(this.datadir, PLUGIN_LIST_FILE), JSON.stringify({ plugins: this.plugins }) + '\n');
  }

  async close(): Promise<void> {
    if (this.fallback) return this.fallback.close();
    await this.checkpoint().catch(() => undefined);
    await this.tables.close();
  }

  private async write(w: SystemTableWriter, c: DictionaryChange): Promise<void> {
    switch (c.kind) {
      case 'schema':
        if (c.value) await w.put('schemata', [c.name, JSON.stringify(c.value)]);
        else await w.remove('schemata', [c.name]);
        return;
      case 'table':
        if (c.value) await w.put('tables', [c.schema, c.name, 'BASE TABLE', JSON.stringify(tableToJson(c.value))]);
        else await this.removeEntry(w, c.schema, c.name, 'BASE TABLE');
        return;
      case 'view':
        if (c.value) await w.put('tables', [c.schema, c.name, 'VIEW', JSON.stringify({ ...c.value, def: tableToJson(c.value.def) })]);
        else await this.removeEntry(w, c.schema, c.name, 'VIEW');
        return;
      case 'event':
        if (c.value) await w.put('events', [c.schema, c.name, JSON.stringify(c.value)]);
        else await w.remove('events', [c.schema, c.name]);
        return;
      case 'program':
        if (c.value) await w.put('routines', [c.schema, c.type, c.name, JSON.stringify(c.value)]);
        else await w.remove('routines', [c.schema, c.type, c.name]);
        return;
      case 'plugins': {
        const keep = new Set(c.value.map((p) => p.name));
        for (const p of this.plugins) if (!keep.has(p.name)) await w.remove('dd_properties', [PLUGIN_PREFIX + p.name]);
        for (const p of c.value) await w.put('dd_properties', [PLUGIN_PREFIX + p.name, p.dl]);
        return;
      }
    }
  }

  /**
   * Tables and views share one key space in mysql.tables, as in the catalog. A change set may
   * remove a view and add a table of the same name (or the reverse) in either order, so a
   * removal only deletes an entry of its own type.
   */
  private async removeEntry(w: SystemTableWriter, schema: string, name: string, type: string): Promise<void> {
    await w.remove('tables', [schema, name], (row: Row) => text(row[2]) === type);
  }

  /**
   * First start over a JSON dictionary (or a new data directory): write it into the tables in
   * one transaction, the version row last, so a crash before the commit imports again.
   * @req CORE-DICT-017
   */
  private async importJson(): Promise<DictionaryContents | undefined> {
    if (![DICTIONARY_FILE, DICTIONARY_JOURNAL_FILE].some((f) => existsSync(join(this.datadir, f)))) return undefined;
    const json = new JsonDictionaryStore(this.datadir);
    const contents = await json.load();
    await json.close();
    if (!contents) return undefined;
    await this.tables.transaction(async (w) => {
      for (const s of contents.schemas) await this.write(w, { kind: 'schema', name: s.name, value: s });
      for (const t of contents.tables) await this.write(w, { kind: 'table', schema: t.schema, name: t.name, value: t });
      for (const v of contents.views) await this.write(w, { kind: 'view', schema: v.def.schema, name: v.def.name, value: v });
      for (const e of contents.events ?? []) await this.write(w, { kind: 'event', schema: e.schema, name: e.name, value: e });
      for (const r of contents.programs ?? []) await this.write(w, { kind: 'program', schema: r.schema, type: r.type, name: r.name.toLowerCase(), value: r });
      for (const p of contents.plugins) await w.put('dd_properties', [PLUGIN_PREFIX + p.name, p.dl]);
      await w.put('dd_properties', [NEXT_TABLE_ID, String(contents.nextTableId)]);
      await w.put('dd_properties', [VERSION, String(DICTIONARY_TABLE_FORMAT_VERSION)]);
    });
    this.plugins = contents.plugins;
    this.versioned = true;
    this.options.log?.(
      'System',
      `Data dictionary imported from ${DICTIONARY_FILE}: ${contents.schemas.length} schemas, ${contents.tables.length} tables, ${contents.views.length} views.`,
    );
    this.moveJsonAside();
    await this.checkpoint();
    return contents;
  }

  /** The JSON files of an imported dictionary get the `.imported` suffix (a crash right after the import leaves them; the next start renames them). */
  private moveJsonAside(): void {
    for (const f of [DICTIONARY_FILE, DICTIONARY_JOURNAL_FILE]) {
      const p = join(this.datadir, f);
      if (existsSync(p)) renameSync(p, p + IMPORTED_SUFFIX);
    }
  }
}

/**
 * The data dictionary: schemas, tables (base and per-session temporary), computed tables
 * (information_schema, performance_schema, mysql.* views) and installed plugins.
 *
 * Durability: the whole dictionary is one JSON file in the data directory, replaced with
 * write-temporary + fsync + rename + fsync(directory) on every change. A crash at any moment
 * leaves either the previous or the new file; stray temporary files are ignored and removed at
 * startup. Each schema also gets a directory `<datadir>/<schema>/` (name @-encoded) as in MySQL,
 * where file-based engines keep their files.
 *
 * Names are case-sensitive (lower_case_table_names=0), except information_schema and
 * performance_schema, which MySQL matches case-insensitively.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @req CORE-CAT-001 CORE-CAT-004 CORE-CAT-005 CORE-CAT-007 CORE-CAT-008 MEMORY-001 MEMORY-041 CORE-DDL-042
 * @req ENGINE-SET-013 ENGINE-SET-014 PLUGGABLE-011 PLUGGABLE-014 PLUGGABLE-015
 */
import { mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogApi, CatalogSession, OpenedTable } from './catalog-api.js';
import { parseOne } from '../sql/parser/index.js';
import type { SelectStatement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import { internalEngineContext, type EngineContext, type StorageEngine, type TableHandler } from '../storage/handler.js';
import type { InstalledPluginRow, PluginRegistry } from '../plugins/registry.js';
import { readJsonIfExistsSync, writeFileAtomic } from '../util/atomic-file.js';
import { SERVER_DEFAULT_CHARSET, SERVER_DEFAULT_COLLATION } from './charset-info.js';
import { DICTIONARY_FILE, DICTIONARY_FORMAT_VERSION, SYSTEM_SCHEMAS } from './limits.js';
import { canonicalSchemaName, encodeFileName, tableKey } from './names.js';
import { tableFromJson, tableToJson, type StoredTableDef } from './serialize.js';
import type { SchemaDef, TableDef } from '../kernel/table-def.js';
import type { VirtualTable } from './virtual-table.js';

/** What the dictionary file holds. */
export interface DictionaryFile {
  version: number;
  nextTableId: number;
  schemas: SchemaDef[];
  tables: StoredTableDef[];
  plugins: InstalledPluginRow[];
  views?: StoredViewDef[];
}

/** A view: its SELECT text (re-parsed on use) and attributes; `def` gives its column names and types. */
export interface ViewDef {
  def: TableDef;
  query: string;
  columns?: string[];
  algorithm: string;
  /** `user`@`host` */
  definer: string;
  security: 'DEFINER' | 'INVOKER';
  checkOption: 'NONE' | 'CASCADED' | 'LOCAL';
}

type StoredViewDef = Omit<ViewDef, 'def'> & { def: StoredTableDef };

export interface CatalogOptions {
  /** Global system variable values (e.g. max_heap_table_size for MEMORY after a restart). */
  globalVar?: (name: string) => Value;
}

/** Schemas that are computed, not stored (no directory, refuse DDL). */
const VIRTUAL_SCHEMAS = new Set(['information_schema', 'performance_schema']);

export class Catalog implements CatalogApi {
  private readonly schemas = new Map<string, SchemaDef>();
  private readonly tables = new Map<string, TableDef>();
  private readonly temporary = new Map<number, Map<string, TableDef>>();
  private readonly virtual = new Map<string, VirtualTable>();
  private readonly views = new Map<string, ViewDef>();
  private readonly parsedViews = new Map<string, SelectStatement>();
  private readonly handlers = new Map<number, Promise<TableHandler>>();
  /** Handlers whose open finished, for synchronous readers (information_schema statistics). */
  private readonly resolved = new Map<number, TableHandler>();
  private nextId = 1;
  private writeChain: Promise<void> = Promise.resolve();

  private constructor(
    readonly datadir: string,
    readonly plugins: PluginRegistry,
    readonly options: CatalogOptions,
  ) {}

  /** Path of the dictionary file for a data directory. */
  static dictionaryPath(datadir: string): string {
    return join(datadir, DICTIONARY_FILE);
  }

  /**
   * Load (or initialise) the dictionary of `datadir`, load the plugins recorded in mysql.plugin
   * and initialise every engine.
   * @req CORE-CAT-005 PLUGGABLE-011
   */
  static async open(datadir: string, plugins: PluginRegistry, options: CatalogOptions = {}): Promise<Catalog> {
    mkdirSync(datadir, { recursive: true });
    const cat = new Catalog(datadir, plugins, options);
    // Temporary files of an interrupted dictionary write are garbage: the rename never happened.
    for (const f of readdirSync(datadir)) {
      if (f.startsWith(`.${DICTIONARY_FILE}.`) && f.endsWith('.tmp')) {
        try {
          unlinkSync(join(datadir, f));
        } catch {
          /* already gone */
        }
      }
    }
    const file = readJsonIfExistsSync<DictionaryFile>(Catalog.dictionaryPath(datadir));
    for (const s of SYSTEM_SCHEMAS) {
      cat.schemas.set(s, { name: s, charset: SERVER_DEFAULT_CHARSET, collation: SERVER_DEFAULT_COLLATION });
    }
    cat.schemas.set('information_schema', { name: 'information_schema', charset: 'utf8mb3', collation: 'utf8mb3_general_ci' });
    if (file) {
      cat.nextId = file.nextTableId;
      for (const s of file.schemas) cat.schemas.set(s.name, s);
      for (const t of file.tables) {
        const def = tableFromJson(t);
        cat.tables.set(tableKey(def.schema, def.name), def);
      }
      for (const v of file.views ?? []) {
        const view: ViewDef = { ...v, def: tableFromJson(v.def) };
        cat.views.set(tableKey(view.def.schema, view.def.name), view);
      }
      for (const p of file.plugins) {
        try {
          plugins.install(p.name, p.dl);
        } catch {
          /* a library that vanished: MySQL logs and continues */
        }
      }
    }
    for (const s of cat.schemas.values()) cat.ensureSchemaDir(s.name);
    for (const e of plugins.engines()) await e.init(datadir);
    if (!file) await cat.persist();
    return cat;
  }

  // -------------------------------------------------------------------------------------------
  // Persistence
  // -------------------------------------------------------------------------------------------

  /** Snapshot of the dictionary as it would be written now. */
  snapshot(): DictionaryFile {
    const schemas = [...this.schemas.values()].filter((s) => !(SYSTEM_SCHEMAS as readonly string[]).includes(s.name));
    return {
      version: DICTIONARY_FORMAT_VERSION,
      nextTableId: this.nextId,
      schemas,
      tables: [...this.tables.values()].map(tableToJson),
      plugins: this.plugins.installedRows(),
      views: [...this.views.values()].map((v) => ({ ...v, def: tableToJson(v.def) })),
    };
  }

  /** Write the dictionary durably; writes are serialised so the last one wins. */
  persist(): Promise<void> {
    const text = JSON.stringify(this.snapshot(), null, 1);
    const path = Catalog.dictionaryPath(this.datadir);
    const next = this.writeChain.then(() => writeFileAtomic(path, text));
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  private schemaDir(name: string): string {
    return join(this.datadir, encodeFileName(name));
  }

  private ensureSchemaDir(name: string): void {
    if (VIRTUAL_SCHEMAS.has(name)) return;
    mkdirSync(this.schemaDir(name), { recursive: true });
  }

  /** Directory of a schema (engines put their files there). */
  schemaPath(name: string): string {
    return this.schemaDir(name);
  }

  // -------------------------------------------------------------------------------------------
  // Schemas
  // -------------------------------------------------------------------------------------------

  schemaExists(name: string): boolean {
    return this.schemas.has(canonicalSchemaName(name));
  }

  getSchema(name: string): SchemaDef | undefined {
    return this.schemas.get(canonicalSchemaName(name));
  }

  listSchemas(): SchemaDef[] {
    return [...this.schemas.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  isVirtualSchema(name: string): boolean {
    return VIRTUAL_SCHEMAS.has(canonicalSchemaName(name));
  }

  /** CREATE DATABASE; 1007 when it exists. @req CORE-CAT-004 */
  async createSchema(def: SchemaDef): Promise<void> {
    if (this.schemaExists(def.name)) throw sqlError('ER_DB_CREATE_EXISTS', def.name);
    this.schemas.set(def.name, { ...def });
    await this.persist();
    this.ensureSchemaDir(def.name);
  }

  async alterSchema(name: string, changes: Partial<Omit<SchemaDef, 'name'>>): Promise<void> {
    const s = this.getSchema(name);
    if (!s) throw sqlError('ER_BAD_DB_ERROR', name);
    Object.assign(s, changes);
    await this.persist();
  }

  /** DROP DATABASE: drops its tables too; 1008 when absent. Returns the number of tables dropped. @req CORE-CAT-004 */
  async dropSchema(session: CatalogSession | null, name: string): Promise<number> {
    const s = this.getSchema(name);
    if (!s) throw sqlError('ER_DB_DROP_EXISTS', name);
    const victims = [...this.tables.values()].filter((t) => t.schema === s.name);
    for (const t of victims) this.tables.delete(tableKey(t.schema, t.name));
    for (const [k, v] of [...this.views]) if (v.def.schema === s.name) this.views.delete(k);
    this.schemas.delete(s.name);
    await this.persist();
    for (const t of victims) await this.dropStorage(session, t);
    try {
      rmSync(this.schemaDir(s.name), { recursive: true, force: true });
    } catch {
      /* leftover directory does not affect the dictionary */
    }
    return victims.length;
  }

  // -------------------------------------------------------------------------------------------
  // Tables
  // -------------------------------------------------------------------------------------------

  nextTableId(): number {
    return this.nextId++;
  }

  private tempMap(session: CatalogSession | null | undefined): Map<string, TableDef> | undefined {
    return session ? this.temporary.get(session.connectionId) : undefined;
  }

  /** A table visible to the session: its temporary table shadows a base table of the same name. */
  getTable(schema: string, name: string, session?: CatalogSession | null): TableDef | undefined {
    const key = tableKey(canonicalSchemaName(schema), name);
    return this.tempMap(session)?.get(key) ?? this.tables.get(key);
  }

  /** A base (non-temporary) table. */
  getBaseTable(schema: string, name: string): TableDef | undefined {
    return this.tables.get(tableKey(schema, name));
  }

  getTemporaryTable(session: CatalogSession, schema: string, name: string): TableDef | undefined {
    return this.tempMap(session)?.get(tableKey(schema, name));
  }

  /** Base tables of a schema, sorted by name. */
  listTables(schema: string): TableDef[] {
    const s = canonicalSchemaName(schema);
    return [...this.tables.values()]
      .filter((t) => t.schema === s)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  listAllTables(): TableDef[] {
    return [...this.tables.values()];
  }

  listTemporaryTables(session: CatalogSession): TableDef[] {
    return [...(this.tempMap(session)?.values() ?? [])];
  }

  /** Register a computed table (information_schema, performance_schema, mysql.* views). */
  registerVirtualTable(schema: string, vt: VirtualTable): void {
    this.virtual.set(this.virtualKey(schema, vt.def.name), vt);
  }

  private virtualKey(schema: string, name: string): string {
    const s = canonicalSchemaName(schema);
    return tableKey(s, VIRTUAL_SCHEMAS.has(s) ? name.toLowerCase() : name);
  }

  getVirtualTable(schema: string, name: string): VirtualTable | undefined {
    return this.virtual.get(this.virtualKey(schema, name));
  }

  listVirtualTables(schema: string): VirtualTable[] {
    const s = canonicalSchemaName(schema);
    return [...this.virtual.values()].filter((v) => v.def.schema === s).sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  }

  engineByName(name: string): StorageEngine | undefined {
    return this.plugins.engine(name);
  }

  /** The engine of a table; 1286 when it is not loaded (tables of an uninstalled plugin). @req PLUGGABLE-015 */
  engineFor(def: TableDef): StorageEngine {
    const e = this.plugins.engine(def.engine);
    if (!e) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', def.engine);
    return e;
  }

  private ctx(session: CatalogSession | null, engine: string): EngineContext {
    if (session) return session.engineContext(engine);
    return internalEngineContext((n: string) => this.options.globalVar?.(n) ?? null);
  }

  /** Open (cached) handler of a stored table. */
  openHandler(session: CatalogSession | null, def: TableDef): Promise<TableHandler> {
    let h = this.handlers.get(def.id);
    if (!h) {
      const engine = this.engineFor(def);
      h = engine.openTable(this.ctx(session, engine.name), def);
      this.handlers.set(def.id, h);
      h.then(
        (handler) => {
          if (this.handlers.get(def.id) === h) this.resolved.set(def.id, handler);
        },
        () => this.handlers.delete(def.id),
      );
    }
    return h;
  }

  private async closeHandler(id: number): Promise<void> {
    const h = this.handlers.get(id);
    this.resolved.delete(id);
    if (!h) return;
    this.handlers.delete(id);
    try {
      await (await h).close();
    } catch {
      /* a handler that failed to open has nothing to close */
    }
  }

  /** The open handler of a table if one is ready (no I/O, no waiting). */
  cachedHandler(id: number): TableHandler | undefined {
    return this.resolved.get(id);
  }

  /** Base and temporary tables whose handler is currently open (SHOW OPEN TABLES). */
  openTableDefs(): TableDef[] {
    const ids = new Set(this.handlers.keys());
    const out = [...this.tables.values()].filter((t) => ids.has(t.id));
    return out.sort((a, b) => (a.schema + '.' + a.name < b.schema + '.' + b.name ? -1 : 1));
  }

  /** CatalogApi: resolve a table for the executor. */
  async openTable(session: CatalogSession, schema: string, name: string): Promise<OpenedTable | undefined> {
    const def = this.getTable(schema, name, session);
    if (def) {
      const engine = this.engineFor(def);
      const handler = await this.openHandler(session, def);
      return { kind: 'base', def, handler, engine };
    }
    const view = this.getView(schema, name);
    if (view) {
      const key = tableKey(view.def.schema, view.def.name);
      let query = this.parsedViews.get(key);
      if (!query) {
        const stmt = parseOne(view.query);
        if (stmt.kind !== 'select') throw sqlError('ER_NOT_SUPPORTED_YET', 'a view that is not a SELECT');
        query = stmt;
        this.parsedViews.set(key, query);
      }
      const opened: OpenedTable = { kind: 'view', def: view.def, query };
      if (view.columns) opened.columns = view.columns;
      return opened;
    }
    const vt = this.getVirtualTable(schema, name);
    if (vt) return { kind: 'virtual', def: vt.def, table: vt };
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Views
  // -------------------------------------------------------------------------------------------

  getView(schema: string, name: string): ViewDef | undefined {
    return this.views.get(tableKey(canonicalSchemaName(schema), name));
  }

  listViews(schema: string): ViewDef[] {
    return [...this.views.values()].filter((v) => v.def.schema === schema).sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  }

  /** CREATE [OR REPLACE] VIEW: 1050 when a table (or, without replace, a view) has the name. */
  async createView(view: ViewDef, orReplace: boolean): Promise<void> {
    const key = tableKey(view.def.schema, view.def.name);
    if (this.tables.has(key)) throw sqlError('ER_TABLE_EXISTS_ERROR', view.def.name);
    if (this.views.has(key) && !orReplace) throw sqlError('ER_TABLE_EXISTS_ERROR', view.def.name);
    this.views.set(key, view);
    this.parsedViews.delete(key);
    await this.persist();
  }

  /** RENAME TABLE of a view (same or another schema); 1050 when the target name is taken. */
  async renameView(view: ViewDef, toSchema: string, toName: string): Promise<ViewDef> {
    const toKey = tableKey(toSchema, toName);
    if (this.tables.has(toKey) || this.views.has(toKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
    const fromKey = tableKey(view.def.schema, view.def.name);
    const renamed: ViewDef = { ...view, def: { ...view.def, schema: toSchema, name: toName } };
    this.views.delete(fromKey);
    this.parsedViews.delete(fromKey);
    this.views.set(toKey, renamed);
    await this.persist();
    return renamed;
  }

  async dropView(schema: string, name: string): Promise<void> {
    const key = tableKey(schema, name);
    this.views.delete(key);
    this.parsedViews.delete(key);
    await this.persist();
  }

  /** Create the engine storage of a definition that is not (yet) in the dictionary (ALTER copies). */
  async createStorage(session: CatalogSession | null, def: TableDef): Promise<void> {
    const engine = this.engineFor(def);
    await engine.createTable(this.ctx(session, engine.name), def);
  }

  /** Drop a definition's engine storage (no dictionary change). */
  async dropStorage(session: CatalogSession | null, def: TableDef): Promise<void> {
    await this.closeHandler(def.id);
    const engine = this.plugins.engine(def.engine);
    if (engine) await engine.dropTable(this.ctx(session, engine.name), def);
  }

  /**
   * Record a new table and create its storage. Temporary tables live only in the session.
   * 1050 when the name is taken (by a base table, or a temporary one of this session).
   * @req CORE-CAT-007
   */
  async createTable(session: CatalogSession | null, def: TableDef): Promise<void> {
    if (!this.schemaExists(def.schema)) throw sqlError('ER_BAD_DB_ERROR', def.schema);
    const key = tableKey(def.schema, def.name);
    if (def.temporary) {
      if (!session) throw sqlError('ER_NOT_SUPPORTED_YET', 'temporary table without a session');
      let m = this.temporary.get(session.connectionId);
      if (!m) this.temporary.set(session.connectionId, (m = new Map()));
      if (m.has(key)) throw sqlError('ER_TABLE_EXISTS_ERROR', def.name);
      await this.createStorage(session, def);
      m.set(key, def);
      return;
    }
    if (this.tables.has(key) || this.views.has(key)) throw sqlError('ER_TABLE_EXISTS_ERROR', def.name);
    this.engineFor(def);
    this.tables.set(key, def);
    try {
      await this.persist();
      await this.createStorage(session, def);
    } catch (err) {
      this.tables.delete(key);
      await this.persist().catch(() => undefined);
      throw err;
    }
  }

  /** Remove a table (base or the session's temporary one) and its storage. */
  async dropTable(session: CatalogSession | null, def: TableDef): Promise<void> {
    const key = tableKey(def.schema, def.name);
    if (def.temporary) {
      this.tempMap(session)?.delete(key);
      await this.dropStorage(session, def);
      return;
    }
    this.tables.delete(key);
    await this.persist();
    await this.dropStorage(session, def);
  }

  /** RENAME TABLE / ALTER TABLE ... RENAME: 1050 when the target exists, 1049 for an unknown schema. */
  async renameTable(session: CatalogSession | null, def: TableDef, toSchema: string, toName: string): Promise<TableDef> {
    if (!this.schemaExists(toSchema)) throw sqlError('ER_BAD_DB_ERROR', toSchema);
    const toKey = tableKey(toSchema, toName);
    const renamed: TableDef = { ...def, schema: toSchema, name: toName };
    const engine = this.plugins.engine(def.engine);
    if (def.temporary) {
      const m = this.tempMap(session);
      if (!m) throw sqlError('ER_NO_SUCH_TABLE', def.schema, def.name);
      if (m.has(toKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
      m.delete(tableKey(def.schema, def.name));
      m.set(toKey, renamed);
    } else {
      if (this.tables.has(toKey) || this.views.has(toKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
      this.tables.delete(tableKey(def.schema, def.name));
      this.tables.set(toKey, renamed);
      await this.persist();
    }
    await this.closeHandler(def.id);
    if (engine) await engine.renameTable(this.ctx(session, engine.name), def, renamed);
    return renamed;
  }

  /**
   * Replace a table's definition by a new one whose storage was already created and filled
   * (ALTER TABLE by copy). The dictionary switches in one durable write; then the old storage
   * is dropped.
   */
  async swapTable(session: CatalogSession | null, oldDef: TableDef, newDef: TableDef): Promise<void> {
    const oldKey = tableKey(oldDef.schema, oldDef.name);
    const newKey = tableKey(newDef.schema, newDef.name);
    if (oldDef.temporary) {
      const m = this.tempMap(session);
      m?.delete(oldKey);
      m?.set(newKey, newDef);
    } else {
      if (oldKey !== newKey && this.tables.has(newKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', newDef.name);
      this.tables.delete(oldKey);
      this.tables.set(newKey, newDef);
      await this.persist();
    }
    await this.dropStorage(session, oldDef);
  }

  /**
   * Switch a table to a new definition that keeps its storage (same id): ALTERs that only change
   * names, defaults, comments or visibility. The rows are not touched; the engine is told about
   * the new definition (and name) and the cached handler is reopened on next use.
   * @req CORE-DDL-042
   */
  async replaceDefinition(session: CatalogSession | null, oldDef: TableDef, newDef: TableDef): Promise<void> {
    if (newDef.id !== oldDef.id) throw new Error('replaceDefinition needs the same table id');
    const oldKey = tableKey(oldDef.schema, oldDef.name);
    const newKey = tableKey(newDef.schema, newDef.name);
    if (oldDef.temporary) {
      const m = this.tempMap(session);
      if (!m) throw sqlError('ER_NO_SUCH_TABLE', oldDef.schema, oldDef.name);
      if (oldKey !== newKey && m.has(newKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', newDef.name);
      m.delete(oldKey);
      m.set(newKey, newDef);
    } else {
      if (oldKey !== newKey && (this.tables.has(newKey) || this.views.has(newKey))) throw sqlError('ER_TABLE_EXISTS_ERROR', newDef.name);
      this.tables.delete(oldKey);
      this.tables.set(newKey, newDef);
      await this.persist();
    }
    await this.closeHandler(oldDef.id);
    const engine = this.plugins.engine(newDef.engine);
    if (engine) await engine.renameTable(this.ctx(session, engine.name), oldDef, newDef);
  }

  /** Update a definition in place (metadata-only changes such as AUTO_INCREMENT or COMMENT). */
  async updateDefinition(def: TableDef): Promise<void> {
    if (def.temporary) return;
    this.tables.set(tableKey(def.schema, def.name), def);
    await this.persist();
  }

  /** Drop all temporary tables of a session (disconnect, COM_RESET_CONNECTION). */
  async dropTemporaryTables(session: CatalogSession): Promise<void> {
    const m = this.temporary.get(session.connectionId);
    if (!m) return;
    this.temporary.delete(session.connectionId);
    for (const def of m.values()) await this.dropStorage(session, def);
  }

  // -------------------------------------------------------------------------------------------
  // Plugins
  // -------------------------------------------------------------------------------------------

  /** INSTALL PLUGIN, recorded in mysql.plugin (the dictionary). @req PLUGGABLE-011 PLUGGABLE-012 */
  async installPlugin(name: string, soname: string): Promise<void> {
    const p = this.plugins.install(name, soname);
    try {
      if (p.engine) await p.engine.init(this.datadir);
      await this.persist();
    } catch (err) {
      this.plugins.uninstall(p.module.name);
      throw err;
    }
  }

  /** UNINSTALL PLUGIN; tables of the engine stay in the dictionary (PLUGGABLE-015). @req PLUGGABLE-014 */
  async uninstallPlugin(name: string): Promise<void> {
    const p = this.plugins.uninstall(name);
    if (p.engine) {
      for (const t of this.tables.values()) if (t.engine === p.engine.name) await this.closeHandler(t.id);
      await p.engine.shutdown();
    }
    await this.persist();
  }

  /** Shut every engine down (server stop). */
  async close(): Promise<void> {
    for (const id of [...this.handlers.keys()]) await this.closeHandler(id);
    await this.writeChain;
    for (const e of this.plugins.engines()) await e.shutdown();
  }
}

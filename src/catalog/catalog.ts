/**
 * The data dictionary: schemas, tables (base and per-session temporary), computed tables
 * (information_schema, performance_schema, mysql.* views) and installed plugins.
 *
 * Durability: the dictionary lives in a {@link DictionaryStore} (by default the JSON checkpoint
 * plus journal of json-dictionary-store.ts); every DDL hands it one change set. A DDL that
 * changes storage does so through the DDL log (ddl-log.ts): storage actions are logged before
 * they run, the change set is committed, and at startup unfinished DDLs are rolled forward or
 * back, so after a crash every table is either its old or its new self, never a dictionary entry
 * without storage or storage without an entry. ALTER TABLE by copy (and TRUNCATE, which
 * recreates the table) builds the new table under a temporary name (`#sql-...`), moves the
 * original aside (`#sql2-...`), moves the copy into place, commits, and drops the original, so
 * an engine that names its files after tables never has two tables under one name. Each schema
 * also gets a directory `<datadir>/<schema>/` (name @-encoded) as in MySQL, where file-based
 * engines keep their files.
 *
 * Names are case-sensitive (lower_case_table_names=0), except information_schema and
 * performance_schema, which MySQL matches case-insensitively.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-CAT-001 CORE-CAT-004 CORE-CAT-005 CORE-CAT-007 CORE-CAT-008 MEMORY-001 MEMORY-041 CORE-DDL-042
 * @req ENGINE-SET-013 ENGINE-SET-014 PLUGGABLE-011 PLUGGABLE-014 PLUGGABLE-015
 * @req CORE-DICT-001 CORE-DICT-005 CORE-DICT-006 CORE-DICT-007 CORE-DICT-013
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogApi, CatalogSession, OpenedTable } from './catalog-api.js';
import { parseOne } from '../sql/parser/index.js';
import type { SelectStatement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import { internalEngineContext, type EngineContext, type StorageEngine, type TableHandler } from '../storage/handler.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { SERVER_DEFAULT_CHARSET, SERVER_DEFAULT_COLLATION } from './charset-info.js';
import { DdlLog, fingerprint, type CommitProbe, type DdlOperation, type DdlTransaction, type RecoveryReport, type StorageAction, type StorageOps } from './ddl-log.js';
import { change, type DictionaryChange, type DictionaryContents, type DictionaryStore, type EventDef, type StoredProgramDef, type ViewDef } from './dictionary-store.js';
import { ForeignKeyIndex, renamedOwnKeys, retargetedChild, type ForeignKeyReference } from './foreign-keys.js';
import { JsonDictionaryStore } from './json-dictionary-store.js';
import { checkDictionaryTableAccess, dictionaryTableAccessError, isDictionaryTable } from './system-table-names.js';
import { checkCheckConstraintNames, renamedChecks } from './check-constraint-names.js';
import { ALTER_BACKUP_PREFIX, ALTER_COPY_PREFIX, DICTIONARY_FILE, SYSTEM_SCHEMAS } from './limits.js';
import { canonicalSchemaName, encodeFileName, tableKey } from './names.js';
import { tableToJson } from './serialize.js';
import type { SchemaDef, TableDef } from '../kernel/table-def.js';
import type { VirtualTable } from './virtual-table.js';

export type { ViewDef, DictionaryContents, StoredProgramDef } from './dictionary-store.js';
export type { DictionaryFile } from './json-dictionary-store.js';

export interface CatalogOptions {
  /** Global system variable values (e.g. max_heap_table_size for MEMORY after a restart). */
  globalVar?: (name: string) => Value;
  /** Where the dictionary is kept; by default the JSON store of the data directory. */
  store?: DictionaryStore;
}

/** Schemas that are computed, not stored (no directory, refuse DDL). */
const VIRTUAL_SCHEMAS = new Set(['information_schema', 'performance_schema']);

const hex = (n: number): string => n.toString(16);

/** Temporary name of an ALTER copy (or TRUNCATE's new table), as MySQL forms it: pid, connection, counter. */
function copyName(session: CatalogSession | null, id: number): string {
  return `${ALTER_COPY_PREFIX}${hex(process.pid)}_${hex(session?.connectionId ?? 0)}_${hex(id)}`;
}

/** Name the original table is moved to while its replacement takes its place. */
function backupName(session: CatalogSession | null, id: number): string {
  return `${ALTER_BACKUP_PREFIX}${hex(process.pid)}-${hex(session?.connectionId ?? 0)}_${hex(id)}`;
}

const json = tableToJson;

/** An ALTER copy (or TRUNCATE) between creating its storage and switching to it. */
interface PendingCopy {
  txn: DdlTransaction<CatalogSession>;
  /** The new definition under its temporary name: what the engine knows until the switch. */
  tmp: TableDef;
}

/** Undo the steps of a DDL that failed before its commit, then rethrow. */
async function orRollBack<T>(txn: DdlTransaction<CatalogSession>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    await txn.rollback();
    throw err;
  }
}

/** Events are keyed by schema and name without case, as MySQL compares event names. */
function eventKey(schema: string, name: string): string {
  return schema + '\u0000' + name.toLowerCase();
}

export class Catalog implements CatalogApi {
  private readonly schemas = new Map<string, SchemaDef>();
  private readonly tables = new Map<string, TableDef>();
  private readonly temporary = new Map<number, Map<string, TableDef>>();
  private readonly virtual = new Map<string, VirtualTable>();
  private readonly views = new Map<string, ViewDef>();
  private readonly parsedViews = new Map<string, SelectStatement>();
  /** Scheduled events by schema and lower-case name (event names ignore case). */
  private readonly events = new Map<string, EventDef>();
  /** Stored programs by programKey(). @req CORE-SP-004 */
  private readonly programs = new Map<string, StoredProgramDef>();
  private readonly handlers = new Map<number, Promise<TableHandler>>();
  /** Handlers whose open finished, for synchronous readers (information_schema statistics). */
  private readonly resolved = new Map<number, TableHandler>();
  /** Children by parent for foreign keys. */
  private readonly foreignKeys = new ForeignKeyIndex();
  /** Names a CREATE or RENAME is creating storage for, not yet in the dictionary. */
  private readonly reserved = new Set<string>();
  private readonly copies = new Map<number, PendingCopy>();
  private ddlLog: DdlLog<CatalogSession> | null = null;
  private nextId = 1;
  /** What startup recovery found in the DDL log (null before open finished). */
  recovery: RecoveryReport | null = null;

  private constructor(
    readonly datadir: string,
    readonly plugins: PluginRegistry,
    readonly options: CatalogOptions,
    readonly store: DictionaryStore,
  ) {}

  /** Path of the dictionary file (the checkpoint) for a data directory. */
  static dictionaryPath(datadir: string): string {
    return join(datadir, DICTIONARY_FILE);
  }

  /**
   * Load (or initialise) the dictionary of `datadir`, load the plugins recorded in mysql.plugin,
   * initialise every engine, and finish the DDLs a crash interrupted.
   * @req CORE-CAT-005 PLUGGABLE-011 CORE-DICT-005
   */
  static async open(datadir: string, plugins: PluginRegistry, options: CatalogOptions = {}): Promise<Catalog> {
    mkdirSync(datadir, { recursive: true });
    const cat = new Catalog(datadir, plugins, options, options.store ?? new JsonDictionaryStore(datadir));
    // The engine that holds the dictionary starts first (its recovery needs no dictionary).
    const host = cat.store.engine;
    if (host) await cat.initEngine(host);
    const contents = await cat.store.load();
    for (const s of SYSTEM_SCHEMAS) {
      cat.schemas.set(s, { name: s, charset: SERVER_DEFAULT_CHARSET, collation: SERVER_DEFAULT_COLLATION });
    }
    cat.schemas.set('information_schema', { name: 'information_schema', charset: 'utf8mb3', collation: 'utf8mb3_general_ci' });
    if (contents) cat.ingest(contents);
    for (const s of cat.schemas.values()) cat.ensureSchemaDir(s.name);
    for (const e of plugins.engines()) if (e !== host) await cat.initEngine(e);
    await cat.recoverDdl();
    for (const e of plugins.engines()) {
      const mine = [...cat.tables.values()].filter((t) => !t.temporary && plugins.engine(t.engine) === e);
      await e.dictionaryLoaded?.(mine);
    }
    if (!contents) {
      await cat.store.commit([], cat.nextId);
      await cat.store.checkpoint();
    }
    return cat;
  }

  private ingest(contents: DictionaryContents): void {
    this.nextId = contents.nextTableId;
    for (const s of contents.schemas) this.schemas.set(s.name, s);
    this.applyInMemory([...contents.tables.map(change.putTable), ...contents.views.map(change.putView), ...(contents.events ?? []).map(change.putEvent), ...(contents.programs ?? []).map(change.putProgram)]);
    for (const p of contents.plugins) {
      try {
        this.plugins.install(p.name, p.dl);
      } catch {
        /* a library that vanished: MySQL logs and continues */
      }
    }
  }

  /** Replay the DDL log against the loaded dictionary. @req CORE-DICT-005 */
  private async recoverDdl(): Promise<void> {
    this.ddlLog = await DdlLog.open(this.datadir, this.storageOps());
    const byId = new Map([...this.tables.values()].map((t) => [t.id, t]));
    const view = { tableById: (id: number) => byId.get(id), schemaExists: (n: string) => this.schemaExists(n) };
    const canAct = (a: StorageAction): boolean => {
      if (a.op === 'rmdir') return true;
      const def = a.op === 'rename' ? a.from : a.table;
      return this.plugins.engine(def.engine) !== undefined;
    };
    this.recovery = await this.ddlLog.recover(view, canAct);
    this.nextId = Math.max(this.nextId, this.recovery.maxTableId + 1);
  }

  /** How the DDL log carries out storage actions: through the engines, closing cached handlers first. */
  private storageOps(): StorageOps<CatalogSession> {
    return {
      create: async (session, def) => {
        const engine = this.engineFor(def);
        await engine.createTable(this.ctx(session, engine.name), def);
      },
      drop: async (session, def) => {
        await this.closeHandler(def.id);
        const engine = this.plugins.engine(def.engine);
        if (engine) await engine.dropTable(this.ctx(session, engine.name), def);
      },
      rename: async (session, from, to) => {
        await this.closeHandler(from.id);
        const engine = this.plugins.engine(from.engine);
        if (engine) await engine.renameTable(this.ctx(session, engine.name), from, to);
      },
      removeSchemaDir: async (schema) => {
        if (!this.schemaExists(schema)) rmSync(this.schemaDir(schema), { recursive: true, force: true });
      },
    };
  }

  private log(): DdlLog<CatalogSession> {
    if (!this.ddlLog) throw new Error('catalog used before open() finished');
    return this.ddlLog;
  }

  /** Start a DDL in the log (temporary tables: in memory only). */
  private begin(op: DdlOperation, probe: CommitProbe, session: CatalogSession | null, temporary = false): DdlTransaction<CatalogSession> {
    return this.log().begin(op, probe, session, !temporary);
  }

  // -------------------------------------------------------------------------------------------
  // Persistence
  // -------------------------------------------------------------------------------------------

  /** The stored part of the dictionary as it is now (system schemas excluded). */
  snapshot(): DictionaryContents {
    return {
      nextTableId: this.nextId,
      schemas: [...this.schemas.values()].filter((s) => !(SYSTEM_SCHEMAS as readonly string[]).includes(s.name)),
      tables: [...this.tables.values()],
      views: [...this.views.values()],
      plugins: this.plugins.installedRows(),
      events: [...this.events.values()],
      programs: [...this.programs.values()],
    };
  }

  /**
   * Apply changes to the in-memory dictionary and return the changes that undo them. Every
   * table entering or leaving the dictionary passes here, which keeps the foreign-key index right.
   */
  private applyInMemory(changes: readonly DictionaryChange[]): DictionaryChange[] {
    const undo: DictionaryChange[] = [];
    for (const c of changes) {
      if (c.kind === 'schema') {
        undo.unshift({ kind: 'schema', name: c.name, value: this.schemas.get(c.name) ?? null });
        if (c.value) this.schemas.set(c.name, c.value);
        else this.schemas.delete(c.name);
      } else if (c.kind === 'table') {
        const key = tableKey(c.schema, c.name);
        const prev = this.tables.get(key);
        undo.unshift({ kind: 'table', schema: c.schema, name: c.name, value: prev ?? null });
        if (prev) this.foreignKeys.remove(prev);
        if (c.value) {
          this.tables.set(key, c.value);
          this.foreignKeys.add(c.value);
        } else this.tables.delete(key);
      } else if (c.kind === 'view') {
        const key = tableKey(c.schema, c.name);
        undo.unshift({ kind: 'view', schema: c.schema, name: c.name, value: this.views.get(key) ?? null });
        this.parsedViews.delete(key);
        if (c.value) this.views.set(key, c.value);
        else this.views.delete(key);
      } else if (c.kind === 'event') {
        const key = eventKey(c.schema, c.name);
        undo.unshift({ kind: 'event', schema: c.schema, name: c.name, value: this.events.get(key) ?? null });
        if (c.value) this.events.set(key, c.value);
        else this.events.delete(key);
      } else if (c.kind === 'program') {
        const key = programKey(c.schema, c.type, c.name);
        undo.unshift({ kind: 'program', schema: c.schema, type: c.type, name: c.name, value: this.programs.get(key) ?? null });
        if (c.value) this.programs.set(key, c.value);
        else this.programs.delete(key);
      }
    }
    return undo;
  }

  /**
   * Make a change set visible and durable; if the store refuses it, the in-memory dictionary is
   * put back as it was.
   * @req CORE-DICT-002
   */
  private async apply(changes: readonly DictionaryChange[]): Promise<void> {
    const undo = this.applyInMemory(changes);
    try {
      await this.store.commit(changes, this.nextId);
    } catch (err) {
      this.applyInMemory(undo);
      throw err;
    }
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
    await this.apply([change.putSchema({ ...def })]);
    this.ensureSchemaDir(def.name);
  }

  async alterSchema(name: string, changes: Partial<Omit<SchemaDef, 'name'>>): Promise<void> {
    const s = this.getSchema(name);
    if (!s) throw sqlError('ER_BAD_DB_ERROR', name);
    await this.apply([change.putSchema({ ...s, ...changes })]);
  }

  /**
   * DROP DATABASE: drops its tables and views too, as one DDL (the storage of the tables and
   * the schema directory go once the dictionary change is committed); 1008 when absent.
   * Returns the number of tables dropped.
   * @req CORE-CAT-004 CORE-DICT-007
   */
  async dropSchema(session: CatalogSession | null, name: string): Promise<number> {
    const s = this.getSchema(name);
    if (!s) throw sqlError('ER_DB_DROP_EXISTS', name);
    const victims = [...this.tables.values()].filter((t) => t.schema === s.name);
    const views = [...this.views.values()].filter((v) => v.def.schema === s.name);
    // Its events go with it. @req CORE-EVT-009
    const events = [...this.events.values()].filter((e) => e.schema === s.name);
    // Its stored programs go with it. @req CORE-SP-041
    const programs = [...this.programs.values()].filter((p) => p.schema === s.name);
    const txn = this.begin('drop_schema', victims[0] ? { lacks: victims[0].id } : { noSchema: s.name }, session);
    for (const t of victims) txn.afterCommit({ op: 'drop', table: json(t) });
    txn.afterCommit({ op: 'rmdir', schema: s.name });
    await txn.commit(() =>
      this.apply([...victims.map(change.removeTable), ...views.map((v) => change.removeView(v.def.schema, v.def.name)), ...events.map((e) => change.removeEvent(e.schema, e.name)), ...programs.map(change.removeProgram), change.removeSchema(s.name)]),
    );
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

  /** Open (cached) handler of a stored table; an ALTER copy being filled opens under its temporary name. */
  openHandler(session: CatalogSession | null, def: TableDef): Promise<TableHandler> {
    let h = this.handlers.get(def.id);
    if (!h) {
      const engine = this.engineFor(def);
      h = engine.openTable(this.ctx(session, engine.name), this.copies.get(def.id)?.tmp ?? def);
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

  /**
   * The engine's storage of a table changed without a dictionary change (ALTER TABLE ...
   * DISCARD / IMPORT TABLESPACE): the cached handler goes, so the next use opens it again.
   */
  async reopenTable(id: number): Promise<void> {
    await this.closeHandler(id);
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
  openTable(session: CatalogSession, schema: string, name: string): OpenedTable | undefined | Promise<OpenedTable | undefined> {
    const def = this.getTable(schema, name, session);
    if (!def && isDictionaryTable(schema, name)) throw dictionaryTableAccessError(schema, name);
    if (def) {
      const engine = this.engineFor(def);
      // An open handler is handed back without a turn of the event loop (the common case).
      const ready = this.resolved.get(def.id);
      if (ready) return { kind: 'base', def, handler: ready, engine };
      return this.openHandler(session, def).then((handler) => ({ kind: 'base', def, handler, engine }));
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
  // Stored programs
  // -------------------------------------------------------------------------------------------

  /** A stored program by schema, type and name (names compare case-insensitively). @req CORE-SP-004 */
  getProgram(schema: string, type: StoredProgramDef['type'], name: string): StoredProgramDef | undefined {
    return this.programs.get(programKey(canonicalSchemaName(schema), type, name));
  }

  /** Whether any stored program of this type exists (cheap: the executor asks per statement). */
  hasPrograms(type: StoredProgramDef['type']): boolean {
    for (const p of this.programs.values()) if (p.type === type) return true;
    return false;
  }

  /** Every stored program, ordered by schema, type and name. */
  listPrograms(): StoredProgramDef[] {
    return [...this.programs.values()].sort((a, b) => (programKey(a.schema, a.type, a.name) < programKey(b.schema, b.type, b.name) ? -1 : 1));
  }

  /** Add or replace a stored program (one durable change). */
  async putProgram(def: StoredProgramDef): Promise<void> {
    await this.apply([change.putProgram(def)]);
  }

  async dropProgram(schema: string, type: StoredProgramDef['type'], name: string): Promise<void> {
    await this.apply([change.removeProgram({ schema: canonicalSchemaName(schema), type, name })]);
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

  /** Whether a base table or view has (or is about to have) this name. */
  private nameTaken(schema: string, name: string): boolean {
    const key = tableKey(schema, name);
    return this.tables.has(key) || this.views.has(key) || this.reserved.has(key);
  }

  /** CREATE [OR REPLACE] VIEW: 1050 when a table (or, without replace, a view) has the name. */
  async createView(view: ViewDef, orReplace: boolean): Promise<void> {
    checkDictionaryTableAccess(view.def.schema, view.def.name);
    const key = tableKey(view.def.schema, view.def.name);
    if (this.tables.has(key) || this.reserved.has(key)) throw sqlError('ER_TABLE_EXISTS_ERROR', view.def.name);
    if (this.views.has(key) && !orReplace) throw sqlError('ER_TABLE_EXISTS_ERROR', view.def.name);
    await this.apply([change.putView(view)]);
  }

  /** RENAME TABLE of a view (same or another schema); 1050 when the target name is taken. */
  async renameView(view: ViewDef, toSchema: string, toName: string): Promise<ViewDef> {
    if (this.nameTaken(toSchema, toName)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
    const renamed: ViewDef = { ...view, def: { ...view.def, schema: toSchema, name: toName } };
    await this.apply([change.removeView(view.def.schema, view.def.name), change.putView(renamed)]);
    return renamed;
  }

  async dropView(schema: string, name: string): Promise<void> {
    await this.apply([change.removeView(schema, name)]);
  }

  // -------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------

  /** @req CORE-EVT-003 */
  getEvent(schema: string, name: string): EventDef | undefined {
    return this.events.get(eventKey(canonicalSchemaName(schema), name));
  }

  /** Every event, or those of one schema, by schema then name. */
  listEvents(schema?: string): EventDef[] {
    const all = [...this.events.values()].filter((e) => schema === undefined || e.schema === schema);
    return all.sort((a, b) => (a.schema === b.schema ? (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1) : a.schema < b.schema ? -1 : 1));
  }

  /**
   * Store an event, replacing `previous` (ALTER EVENT, which may rename it) as one dictionary
   * change, durable when this returns. @req CORE-EVT-003
   */
  async putEvent(def: EventDef, previous?: EventDef): Promise<void> {
    const changes: DictionaryChange[] = [];
    if (previous && eventKey(previous.schema, previous.name) !== eventKey(def.schema, def.name)) changes.push(change.removeEvent(previous.schema, previous.name));
    changes.push(change.putEvent(def));
    await this.apply(changes);
  }

  async dropEvent(schema: string, name: string): Promise<void> {
    const e = this.getEvent(schema, name);
    if (e) await this.apply([change.removeEvent(e.schema, e.name)]);
  }

  // -------------------------------------------------------------------------------------------
  // Foreign keys
  // -------------------------------------------------------------------------------------------

  /**
   * The foreign keys (of base tables) that name `schema.table` as their parent, with their
   * tables: what an engine enforcing foreign keys checks on a parent's DELETE/UPDATE and cascades
   * to.
   * @req CORE-DICT-013
   */
  referencedBy(schema: string, table: string): ForeignKeyReference[] {
    return this.foreignKeys.referencedBy(canonicalSchemaName(schema), table);
  }

  /** Foreign-key names are unique per schema (1826); `replacing` is the table being redefined. */
  private checkForeignKeyNames(def: TableDef, replacing?: TableDef): void {
    if (!def.foreignKeys?.length) return;
    const taken = new Set<string>();
    for (const t of this.tables.values()) {
      if (t.schema !== def.schema || t.id === replacing?.id || t.id === def.id) continue;
      for (const fk of t.foreignKeys ?? []) taken.add(fk.name.toLowerCase());
    }
    for (const fk of def.foreignKeys) if (taken.has(fk.name.toLowerCase())) throw sqlError('ER_FK_DUP_NAME', fk.name);
  }

  /** `def` under a new name: generated key names and keys referencing itself follow (MySQL's RENAME rule). */
  private withName(def: TableDef, schema: string, name: string): TableDef {
    const out: TableDef = { ...def, schema, name };
    const own = renamedOwnKeys(def, { schema, name });
    if (own) out.foreignKeys = own;
    // Generated CHECK constraint names follow the table. @req CORE-CHECK-021
    const checks = renamedChecks(def, def.name, name);
    if (checks) out.checks = checks;
    return out;
  }

  /** Children of a renamed parent (or one whose referenced columns were renamed: `columns`, old
   *  lower-case name to new), with their keys naming the new names (changes for the same commit). */
  private retargetChildren(from: TableDef, to: TableDef, columns?: ReadonlyMap<string, string>): TableDef[] {
    if (from.schema === to.schema && from.name === to.name && !columns?.size) return [];
    const out: TableDef[] = [];
    for (const child of this.foreignKeys.children(from.schema, from.name)) {
      if (child.id === from.id) continue;
      const moved = retargetedChild(child, from, to, columns);
      if (moved) out.push(moved);
    }
    return out;
  }

  /** After children changed in the dictionary, their engines reopen them with the new definitions. */
  private async reopenChildren(children: readonly TableDef[]): Promise<void> {
    for (const c of children) await this.closeHandler(c.id);
  }

  // -------------------------------------------------------------------------------------------
  // Table DDL (each an atomic DDL through the DDL log)
  // -------------------------------------------------------------------------------------------

  /**
   * ALTER TABLE by copy, first half: create the new table's storage under a temporary name; the
   * caller fills it through {@link openHandler} and then calls {@link swapTable} (or
   * {@link dropStorage} to give up).
   * @req CORE-DICT-006
   */
  async createStorage(session: CatalogSession | null, def: TableDef): Promise<void> {
    await this.beginCopy(session, def, 'alter_copy');
  }

  private async beginCopy(session: CatalogSession | null, def: TableDef, op: DdlOperation): Promise<void> {
    if (this.copies.has(def.id)) throw new Error(`table id ${def.id} already has storage being built`);
    this.engineFor(def);
    const tmp: TableDef = { ...def, name: copyName(session, def.id) };
    const txn = this.begin(op, { has: def.id }, session, def.temporary);
    await orRollBack(txn, () => txn.step({ op: 'create', table: json(tmp) }));
    this.copies.set(def.id, { txn, tmp });
  }

  /** Drop a definition's storage without a dictionary change: gives up an ALTER copy (see createStorage). */
  async dropStorage(session: CatalogSession | null, def: TableDef): Promise<void> {
    const copy = this.copies.get(def.id);
    if (copy) {
      this.copies.delete(def.id);
      await copy.txn.rollback();
      return;
    }
    await this.storageOps().drop(session, def);
  }

  /**
   * Record a new table and create its storage: storage first (logged, so a crash before the
   * commit drops it again), then the dictionary entry. Temporary tables live only in the
   * session. 1050 when the name is taken (by a base table, or a temporary one of this session).
   * @req CORE-CAT-007 CORE-DICT-007
   */
  async createTable(session: CatalogSession | null, def: TableDef): Promise<void> {
    checkDictionaryTableAccess(def.schema, def.name);
    if (!this.schemaExists(def.schema)) throw sqlError('ER_BAD_DB_ERROR', def.schema);
    const key = tableKey(def.schema, def.name);
    if (def.temporary) {
      if (!session) throw sqlError('ER_NOT_SUPPORTED_YET', 'temporary table without a session');
      let m = this.temporary.get(session.connectionId);
      if (!m) this.temporary.set(session.connectionId, (m = new Map()));
      if (m.has(key)) throw sqlError('ER_TABLE_EXISTS_ERROR', def.name);
      await this.storageOps().create(session, def);
      m.set(key, def);
      return;
    }
    if (this.nameTaken(def.schema, def.name)) throw sqlError('ER_TABLE_EXISTS_ERROR', def.name);
    this.engineFor(def);
    this.checkForeignKeyNames(def);
    checkCheckConstraintNames(this.tables.values(), def);
    this.reserved.add(key);
    try {
      const txn = this.begin('create_table', { has: def.id }, session);
      await orRollBack(txn, () => txn.step({ op: 'create', table: json(def) }));
      await txn.commit(() => this.apply([change.putTable(def)]));
    } finally {
      this.reserved.delete(key);
    }
  }

  /**
   * Remove a table (base or the session's temporary one) and its storage; the storage goes once
   * the dictionary change is committed.
   * @req CORE-DICT-007
   */
  async dropTable(session: CatalogSession | null, def: TableDef): Promise<void> {
    if (def.temporary) {
      this.tempMap(session)?.delete(tableKey(def.schema, def.name));
      await this.storageOps().drop(session, def);
      return;
    }
    this.plugins.engine(def.engine)?.checkDropTable?.(def);
    const txn = this.begin('drop_table', { lacks: def.id }, session);
    txn.afterCommit({ op: 'drop', table: json(def) });
    await txn.commit(() => this.apply([change.removeTable(def)]));
  }

  /**
   * RENAME TABLE / ALTER TABLE ... RENAME: 1050 when the target exists, 1049 for an unknown
   * schema. Storage is renamed first (logged, renamed back if the commit does not happen);
   * children whose foreign keys name the table follow it in the same commit.
   * @req CORE-DICT-007 CORE-DICT-013
   */
  async renameTable(session: CatalogSession | null, def: TableDef, toSchema: string, toName: string): Promise<TableDef> {
    checkDictionaryTableAccess(toSchema, toName);
    if (!this.schemaExists(toSchema)) throw sqlError('ER_BAD_DB_ERROR', toSchema);
    const toKey = tableKey(toSchema, toName);
    const renamed = this.withName(def, toSchema, toName);
    if (def.temporary) {
      const m = this.tempMap(session);
      if (!m) throw sqlError('ER_NO_SUCH_TABLE', def.schema, def.name);
      if (m.has(toKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
      m.delete(tableKey(def.schema, def.name));
      m.set(toKey, renamed);
      await this.storageOps().rename(session, def, renamed);
      return renamed;
    }
    if (this.nameTaken(toSchema, toName)) throw sqlError('ER_TABLE_EXISTS_ERROR', toName);
    this.checkForeignKeyNames(renamed, def);
    checkCheckConstraintNames(this.tables.values(), renamed, def);
    const children = this.retargetChildren(def, renamed);
    this.reserved.add(toKey);
    try {
      const txn = this.begin('rename_table', { id: def.id, fingerprint: fingerprint(renamed) }, session);
      await orRollBack(txn, () => txn.step({ op: 'rename', from: json(def), to: json(renamed) }));
      await txn.commit(() => this.apply([change.removeTable(def), change.putTable(renamed), ...children.map(change.putTable)]));
    } finally {
      this.reserved.delete(toKey);
    }
    await this.reopenChildren(children);
    return renamed;
  }

  /**
   * ALTER TABLE by copy, second half: switch the dictionary to `newDef`, whose storage
   * {@link createStorage} built under a temporary name and the caller filled. The original is
   * moved aside, the copy moved into place, the change committed, and the original dropped; a
   * crash anywhere leaves the old or the new table.
   * @req CORE-DICT-006
   */
  async swapTable(session: CatalogSession | null, oldDef: TableDef, newDef: TableDef, renamedColumns?: ReadonlyMap<string, string>): Promise<void> {
    const copy = this.copies.get(newDef.id);
    if (!copy) throw new Error(`swapTable: no storage was created for table id ${newDef.id}`);
    this.copies.delete(newDef.id);
    const { txn, tmp } = copy;
    const renaming = oldDef.schema !== newDef.schema || oldDef.name !== newDef.name;
    const final = renaming ? this.withName({ ...newDef, schema: oldDef.schema, name: oldDef.name }, newDef.schema, newDef.name) : newDef;
    const children = this.retargetChildren(oldDef, final, renamedColumns);
    await orRollBack(txn, async () => {
      if (oldDef.temporary) {
        const m = this.tempMap(session);
        if (renaming && m?.has(tableKey(final.schema, final.name))) throw sqlError('ER_TABLE_EXISTS_ERROR', final.name);
      } else {
        if (renaming && this.nameTaken(final.schema, final.name)) throw sqlError('ER_TABLE_EXISTS_ERROR', final.name);
        this.checkForeignKeyNames(final, oldDef);
        checkCheckConstraintNames(this.tables.values(), final, oldDef);
      }
      const backup: TableDef = { ...oldDef, name: backupName(session, newDef.id) };
      await txn.step({ op: 'rename', from: json(oldDef), to: json(backup) });
      await txn.step({ op: 'rename', from: json(tmp), to: json(final) });
      txn.afterCommit({ op: 'drop', table: json(backup) });
    });
    if (oldDef.temporary) {
      await txn.commit(async () => {
        const m = this.tempMap(session);
        m?.delete(tableKey(oldDef.schema, oldDef.name));
        m?.set(tableKey(final.schema, final.name), final);
      });
      return;
    }
    await txn.commit(() => this.apply([change.removeTable(oldDef), change.putTable(final), ...children.map(change.putTable)]));
    await this.reopenChildren(children);
  }

  /**
   * TRUNCATE TABLE: the table is recreated empty under a new id (MySQL recreates MEMORY and
   * MyISAM tables the same way), atomically like an ALTER copy. For MEMORY the new storage reads
   * max_heap_table_size again. Returns the new definition.
   * @req CORE-DICT-006 MEMORY-043
   */
  async truncateTable(session: CatalogSession | null, def: TableDef): Promise<TableDef> {
    const next: TableDef = { ...def, id: this.nextTableId() };
    delete next.updateTime;
    await this.beginCopy(session, next, 'truncate_table');
    await this.swapTable(session, def, next);
    return next;
  }

  /**
   * Switch a table to a new definition that keeps its storage (same id): ALTERs that only change
   * names, defaults, comments or visibility. The rows are not touched; the engine is told about
   * the new definition (and name) before the commit, and told back if the commit fails.
   * @req CORE-DDL-042 CORE-DICT-007
   */
  async replaceDefinition(session: CatalogSession | null, oldDef: TableDef, newDef: TableDef, renamedColumns?: ReadonlyMap<string, string>): Promise<void> {
    if (newDef.id !== oldDef.id) throw new Error('replaceDefinition needs the same table id');
    const oldKey = tableKey(oldDef.schema, oldDef.name);
    const newKey = tableKey(newDef.schema, newDef.name);
    const final = oldKey !== newKey ? this.withName({ ...newDef, schema: oldDef.schema, name: oldDef.name }, newDef.schema, newDef.name) : newDef;
    if (oldDef.temporary) {
      const m = this.tempMap(session);
      if (!m) throw sqlError('ER_NO_SUCH_TABLE', oldDef.schema, oldDef.name);
      if (oldKey !== newKey && m.has(newKey)) throw sqlError('ER_TABLE_EXISTS_ERROR', newDef.name);
      m.delete(oldKey);
      m.set(newKey, final);
      await this.storageOps().rename(session, oldDef, final);
      return;
    }
    if (oldKey !== newKey && this.nameTaken(newDef.schema, newDef.name)) throw sqlError('ER_TABLE_EXISTS_ERROR', newDef.name);
    this.checkForeignKeyNames(final, oldDef);
    checkCheckConstraintNames(this.tables.values(), final, oldDef);
    const children = this.retargetChildren(oldDef, final, renamedColumns);
    const txn = this.begin('alter_inplace', { id: oldDef.id, fingerprint: fingerprint(final) }, session);
    await orRollBack(txn, () => txn.step({ op: 'rename', from: json(oldDef), to: json(final) }));
    await txn.commit(() => this.apply([change.removeTable(oldDef), change.putTable(final), ...children.map(change.putTable)]));
    await this.reopenChildren(children);
  }

  /** Update a definition in place (metadata-only changes such as AUTO_INCREMENT or COMMENT). */
  async updateDefinition(def: TableDef): Promise<void> {
    if (def.temporary) return;
    await this.apply([change.putTable(def)]);
  }

  /** Drop all temporary tables of a session (disconnect, COM_RESET_CONNECTION). */
  async dropTemporaryTables(session: CatalogSession): Promise<void> {
    const m = this.temporary.get(session.connectionId);
    if (!m) return;
    this.temporary.delete(session.connectionId);
    for (const def of m.values()) await this.storageOps().drop(session, def);
  }

  // -------------------------------------------------------------------------------------------
  // Plugins
  // -------------------------------------------------------------------------------------------

  /** Start an engine: it gets the dictionary (foreign keys' parents and children), then init. */
  private async initEngine(e: StorageEngine): Promise<void> {
    e.attachDictionary?.({
      table: (schema, name) => this.getBaseTable(schema, name),
      referencedBy: (schema, table) => this.referencedBy(schema, table),
      temporaryTable: (connectionId, schema, name) => this.temporary.get(connectionId)?.get(tableKey(canonicalSchemaName(schema), name)),
      openHandler: (def) => this.cachedHandler(def.id) ?? this.openHandler(null, def),
      engineOf: (def) => this.plugins.engine(def.engine),
    });
    await e.init(this.datadir);
  }

  /** mysql.plugin changed: commit it and write a checkpoint, which plugin-load.ts reads at startup. */
  private async persistPlugins(): Promise<void> {
    await this.apply([{ kind: 'plugins', value: this.plugins.installedRows() }]);
    await this.store.checkpoint();
  }

  /** INSTALL PLUGIN, recorded in mysql.plugin (the dictionary). @req PLUGGABLE-011 PLUGGABLE-012 */
  async installPlugin(name: string, soname: string): Promise<void> {
    const p = this.plugins.install(name, soname);
    try {
      if (p.engine) await this.initEngine(p.engine);
      await this.persistPlugins();
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
    await this.persistPlugins();
  }

  /** Shut every engine down (server stop); the store folds its journal into the checkpoint. */
  async close(): Promise<void> {
    for (const id of [...this.handlers.keys()]) await this.closeHandler(id);
    await this.store.close();
    await this.ddlLog?.close();
    for (const e of this.plugins.engines()) await e.shutdown();
  }
}

/** Key of a stored program: schema, type and the lower-case name. */
function programKey(schema: string, type: string, name: string): string {
  return `${schema}\u0000${type}\u0000${name.toLowerCase()}`;
}

/**
 * Where the data dictionary lives on disk, behind one small interface: the catalog loads the
 * whole dictionary once at startup and afterwards hands the store sets of entry changes, each of
 * which must become durable as a unit (all of its changes after a crash, or none). A DDL
 * statement is one such change set; its storage side is made atomic with it by the DDL log
 * (ddl-log.ts), which decides after a crash whether the change set made it by looking at what
 * the store loads.
 *
 * Two implementations: the dictionary in InnoDB tables, as MySQL keeps it
 * (table-dictionary-store.ts; a change set is one InnoDB transaction), which the server uses,
 * and a JSON file plus an append-only journal (json-dictionary-store.ts), which data
 * directories written before the InnoDB dictionary hold (imported once) and which the catalog
 * uses where no InnoDB runs (unit tests).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-DICT-001 CORE-DICT-002
 */
import type { SchemaDef, TableDef } from '../kernel/table-def.js';
import type { StorageEngine } from '../storage/handler.js';

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
  /** The query in MySQL's printed form: for SHOW CREATE VIEW (`body`) and information_schema
   *  (`full`, schema-qualified); absent when it could not be printed (the text as written is
   *  shown). @req CORE-CHECK-033 */
  printed?: { body: string; full: string };
}

/**
 * A scheduled event (mysql.events in MySQL's dictionary). Times are UTC epoch milliseconds;
 * `intervalValue` is the interval as the user's unit counts it (for the compound units
 * YEAR_MONTH, DAY_HOUR, ... the total in the unit's smallest part), so that SHOW CREATE EVENT
 * can print it back in MySQL's normalised form.
 * @req CORE-EVT-003
 */
export interface EventDef {
  schema: string;
  name: string;
  /** `user`@`host` */
  definer: string;
  timeZone: string;
  body: string;
  sqlMode: string;
  characterSetClient: string;
  collationConnection: string;
  databaseCollation: string;
  executeAt: number | null;
  intervalValue: number | null;
  intervalField: string | null;
  starts: number | null;
  ends: number | null;
  status: 'ENABLED' | 'DISABLED' | 'REPLICA_SIDE_DISABLED';
  preserve: boolean;
  created: number;
  lastAltered: number;
  lastExecuted: number | null;
  comment: string;
  originator: number;
}

/**
 * A stored program (procedure or function; triggers and events share the entry): its
 * attributes as the CREATE statement gave them and the session settings it was created under.
 * The body is kept as sent and parsed again on use. Keyed by (schema, type, lower-case name).
 * @req CORE-SP-004
 */
export interface StoredProgramDef {
  type: 'PROCEDURE' | 'FUNCTION' | 'TRIGGER' | 'EVENT';
  schema: string;
  name: string;
  /** `user`@`host` */
  definer: string;
  /** The parameter list as written, without the parentheses. */
  paramList: string;
  /** RETURNS type text (functions), '' otherwise. */
  returns: string;
  /** The routine body as sent. */
  body: string;
  deterministic: boolean;
  dataAccess: 'CONTAINS SQL' | 'NO SQL' | 'READS SQL DATA' | 'MODIFIES SQL DATA';
  security: 'DEFINER' | 'INVOKER';
  comment: string;
  sqlMode: string;
  characterSetClient: string;
  collationConnection: string;
  databaseCollation: string;
  /** 'YYYY-MM-DD hh:mm:ss' */
  created: string;
  modified: string;
}

/** A row of mysql.plugin: a plugin installed with INSTALL PLUGIN and its library. */
export interface InstalledPluginEntry {
  name: string;
  dl: string;
}

/** Everything the store keeps. System schemas are not stored: the catalog provides them. */
export interface DictionaryContents {
  /** The next table id to hand out; ids are never reused. */
  nextTableId: number;
  schemas: SchemaDef[];
  tables: TableDef[];
  views: ViewDef[];
  plugins: InstalledPluginEntry[];
  /** Scheduled events (absent in dictionaries written before events existed). */
  events?: EventDef[];
  /** Stored programs (absent in dictionaries written before they existed). */
  programs?: StoredProgramDef[];
}

/**
 * One change of one entry; `value: null` removes the entry. Tables and views are keyed by
 * (schema, name), so a rename is a removal plus an addition in the same change set.
 */
export type DictionaryChange =
  | { kind: 'schema'; name: string; value: SchemaDef | null }
  | { kind: 'table'; schema: string; name: string; value: TableDef | null }
  | { kind: 'view'; schema: string; name: string; value: ViewDef | null }
  | { kind: 'event'; schema: string; name: string; value: EventDef | null }
  | { kind: 'program'; schema: string; type: StoredProgramDef['type']; name: string; value: StoredProgramDef | null }
  /** The whole mysql.plugin list (it is short and changes rarely). */
  | { kind: 'plugins'; value: InstalledPluginEntry[] };

export interface DictionaryStore {
  /** The engine whose tables hold the dictionary, if it lives in one (table-dictionary-store.ts):
   *  the catalog starts that engine before load() and the others after. */
  readonly engine?: StorageEngine;
  /** The dictionary as last committed, or undefined for a data directory that has none yet. */
  load(): Promise<DictionaryContents | undefined>;
  /**
   * Make `changes` (and the table-id counter) durable as one unit. Calls are applied in call
   * order. When the promise rejects, the change set may or may not be durable only if the
   * failure was a crash; a rejected call in a running server changed nothing.
   */
  commit(changes: readonly DictionaryChange[], nextTableId: number): Promise<void>;
  /** Make the complete dictionary readable from the store's main file (after INSTALL PLUGIN,
   *  at shutdown): readers that look only there (plugin-load.ts) then see everything. */
  checkpoint(): Promise<void>;
  /** Finish pending work and release files. */
  close(): Promise<void>;
}

/** Change-set helpers for the catalog. */
export const change = {
  putTable: (def: TableDef): DictionaryChange => ({ kind: 'table', schema: def.schema, name: def.name, value: def }),
  removeTable: (def: Pick<TableDef, 'schema' | 'name'>): DictionaryChange => ({ kind: 'table', schema: def.schema, name: def.name, value: null }),
  putView: (v: ViewDef): DictionaryChange => ({ kind: 'view', schema: v.def.schema, name: v.def.name, value: v }),
  removeView: (schema: string, name: string): DictionaryChange => ({ kind: 'view', schema, name, value: null }),
  putEvent: (e: EventDef): DictionaryChange => ({ kind: 'event', schema: e.schema, name: e.name, value: e }),
  removeEvent: (schema: string, name: string): DictionaryChange => ({ kind: 'event', schema, name, value: null }),
  putProgram: (p: StoredProgramDef): DictionaryChange => ({ kind: 'program', schema: p.schema, type: p.type, name: p.name.toLowerCase(), value: p }),
  removeProgram: (p: Pick<StoredProgramDef, 'schema' | 'type' | 'name'>): DictionaryChange => ({ kind: 'program', schema: p.schema, type: p.type, name: p.name.toLowerCase(), value: null }),
  putSchema: (s: SchemaDef): DictionaryChange => ({ kind: 'schema', name: s.name, value: s }),
  removeSchema: (name: string): DictionaryChange => ({ kind: 'schema', name, value: null }),
};

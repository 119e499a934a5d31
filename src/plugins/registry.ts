/**
 * The plugin registry: which plugins the server has (built in, or installed at run time with
 * INSTALL PLUGIN), which storage engines are usable, and the rows of SHOW ENGINES, SHOW PLUGINS,
 * information_schema.ENGINES / PLUGINS and mysql.plugin.
 *
 * Loadable "shared libraries": a TypeScript server cannot dlopen a .so, so the registry holds a
 * table of known library names (`ha_example.so`, ...) mapped to factories that build the
 * plugin's modules. `plugin_dir` is virtual: a SONAME is "present" when it is in that table.
 * A SONAME with a path separator is refused (1124), an unknown one is "missing" (1126), a plugin
 * that is already installed gives 1125 (MySQL 8.0 reports ER_UDF_EXISTS here, unlike MariaDB).
 *
 * Engines the chapter names but that are not built yet appear in SHOW ENGINES with `Support NO`
 * and NULL transaction columns, like a disabled FEDERATED in stock 8.0.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/plugin-loading.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-engines.html
 * @req ENGINE-LIST-002 ENGINE-LIST-003 ENGINE-LIST-004 ENGINE-LIST-005 ENGINE-LIST-007 ENGINE-LIST-010
 * @req PLUGGABLE-010 PLUGGABLE-011 PLUGGABLE-012 PLUGGABLE-014
 */
import { sqlError } from '../kernel/errors.js';
import type { Row, Value } from '../kernel/value.js';
import type { StorageEngine } from '../storage/handler.js';

export type PluginType =
  | 'STORAGE ENGINE'
  | 'AUTHENTICATION'
  | 'INFORMATION SCHEMA'
  | 'DAEMON'
  | 'AUDIT'
  | 'REPLICATION'
  | 'FTPARSER'
  | 'GROUP REPLICATION';

/** A plugin as a library provides it. */
export interface PluginModule {
  name: string;
  type: PluginType;
  description: string;
  author: string;
  /** PLUGIN_VERSION, e.g. '1.0'. */
  version: string;
  license: 'GPL' | 'PROPRIETARY';
  /** Storage engine plugins build their engine here. */
  createEngine?: () => StorageEngine;
  /** Called when the plugin is loaded from its library (INSTALL PLUGIN, startup). */
  onLoad?: () => void;
  /** Called when the plugin is uninstalled. */
  onUnload?: () => void;
}

/** A loadable library: its SONAME and the plugins it contains. */
export interface PluginLibrary {
  soname: string;
  plugins: () => PluginModule[];
}

/** A plugin the server knows about right now. */
export interface LoadedPlugin {
  module: PluginModule;
  /** null for built-in plugins, else the SONAME it was loaded from. */
  library: string | null;
  status: 'ACTIVE' | 'INACTIVE' | 'DISABLED' | 'DELETED';
  loadOption: 'ON' | 'FORCE' | 'FORCE_PLUS_PERMANENT';
  engine?: StorageEngine;
  /** Loaded by --plugin-load(-add): not recorded in mysql.plugin. */
  fromOption?: boolean;
}

/** A row of mysql.plugin: what INSTALL PLUGIN persisted. */
export interface InstalledPluginRow {
  name: string;
  dl: string;
}

/** Engines named by chapter 16 (and InnoDB) that may not be built: shown with Support NO. */
export const KNOWN_ENGINE_PLACEHOLDERS: readonly { name: string; comment: string }[] = [
  { name: 'InnoDB', comment: 'Supports transactions, row-level locking, and foreign keys' },
  { name: 'MRG_MYISAM', comment: 'Collection of identical MyISAM tables' },
  { name: 'CSV', comment: 'CSV storage engine' },
  { name: 'FEDERATED', comment: 'Federated MySQL storage engine' },
  { name: 'BLACKHOLE', comment: '/dev/null storage engine (anything you write to it disappears)' },
  { name: 'MyISAM', comment: 'MyISAM storage engine' },
  { name: 'ARCHIVE', comment: 'Archive storage engine' },
];

/** The pseudo engine backing performance_schema tables. */
const PERFORMANCE_SCHEMA_ENGINE = { name: 'PERFORMANCE_SCHEMA', comment: 'Performance Schema' };

/** Built-in alias spellings (ENGINE-LIST-010); engines may add their own via `aliases`. */
const ENGINE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['heap', 'MEMORY'],
  ['merge', 'MRG_MYISAM'],
  ['innobase', 'InnoDB'],
  ['ndb', 'ndbcluster'],
]);

/** PLUGIN_TYPE_VERSION as MySQL 8.0.40 reports it, per plugin type. */
const TYPE_VERSION: Record<PluginType, string> = {
  'STORAGE ENGINE': '80040.0',
  AUTHENTICATION: '2.1',
  'INFORMATION SCHEMA': '80040.0',
  DAEMON: '80040.0',
  AUDIT: '4.1',
  REPLICATION: '4.0',
  FTPARSER: '1.1',
  'GROUP REPLICATION': '1.4',
};

export class PluginRegistry {
  private readonly plugins = new Map<string, LoadedPlugin>(); // key: lower-case name
  private readonly libraries = new Map<string, PluginLibrary>();
  /** engine(): the plugin found per spelling, looked up on every table open (cleared when plugins come or go). */
  private readonly engineBySpelling = new Map<string, LoadedPlugin>();

  /**
   * Register a built-in (compiled-in) plugin; engines become usable at once, unless `disabled`:
   * a plugin compiled in but switched off until a startup option enables it (FEDERATED without
   * --federated) is DISABLED in SHOW PLUGINS, and its engine is listed by SHOW ENGINES with
   * Support NO and NULL transaction columns and treated by ENGINE= as unavailable.
   * @req ENGINE-LIST-005 ENGINE-SET-008 FEDERATED-003
   */
  addBuiltin(module: PluginModule, loadOption: LoadedPlugin['loadOption'] = 'FORCE', opts: { disabled?: boolean } = {}): LoadedPlugin {
    const p: LoadedPlugin = { module, library: null, status: opts.disabled ? 'DISABLED' : 'ACTIVE', loadOption };
    if (module.createEngine) p.engine = module.createEngine();
    this.plugins.set(module.name.toLowerCase(), p);
    this.engineBySpelling.clear();
    return p;
  }

  /** Turn on a built-in plugin registered disabled (its startup option was given); the caller
   *  initialises its engine before the server uses it. */
  enable(name: string): LoadedPlugin | undefined {
    const p = this.plugins.get(name.toLowerCase());
    if (!p || p.status !== 'DISABLED') return p;
    p.status = 'ACTIVE';
    this.engineBySpelling.clear();
    return p;
  }

  /** Make a library available in the (virtual) plugin directory. */
  addLibrary(lib: PluginLibrary): void {
    this.libraries.set(lib.soname, lib);
  }

  hasLibrary(soname: string): boolean {
    return this.libraries.has(soname);
  }

  /** The plugin names a library provides ([] when it is not in the plugin directory). */
  libraryPluginNames(soname: string): string[] {
    return this.libraries.get(soname)?.plugins().map((m) => m.name) ?? [];
  }

  /** All plugins currently loaded (built-in first, in registration order). */
  list(): LoadedPlugin[] {
    return [...this.plugins.values()];
  }

  plugin(name: string): LoadedPlugin | undefined {
    return this.plugins.get(name.toLowerCase());
  }

  /** Active storage engines. */
  engines(): StorageEngine[] {
    const out: StorageEngine[] = [];
    for (const p of this.plugins.values()) if (p.engine && p.status === 'ACTIVE') out.push(p.engine);
    return out;
  }

  /**
   * Canonical name for an ENGINE= spelling (case-insensitive, aliases resolved), whether or not
   * the engine is available; undefined when no engine of that name is known at all.
   * @req ENGINE-LIST-010
   */
  canonicalEngineName(name: string): string | undefined {
    const l = name.toLowerCase();
    for (const p of this.plugins.values()) {
      if (!p.engine) continue;
      if (p.engine.name.toLowerCase() === l) return p.engine.name;
      if (p.engine.aliases.some((a) => a.toLowerCase() === l)) return p.engine.name;
    }
    // A Map, not an object: a name such as '__proto__' must not find Object.prototype.
    const alias = ENGINE_ALIASES.get(l);
    if (alias) return alias;
    for (const k of KNOWN_ENGINE_PLACEHOLDERS) if (k.name.toLowerCase() === l) return k.name;
    if (l === 'performance_schema') return PERFORMANCE_SCHEMA_ENGINE.name;
    return undefined;
  }

  /**
   * The usable engine for an ENGINE= spelling (aliases resolved); undefined when unknown or not
   * loaded.
   * @req ENGINE-LIST-010
   */
  engine(name: string): StorageEngine | undefined {
    const known = this.engineBySpelling.get(name);
    if (known && known.status === 'ACTIVE') return known.engine;
    const canonical = this.canonicalEngineName(name);
    if (!canonical) return undefined;
    for (const p of this.plugins.values()) {
      if (p.engine && p.status === 'ACTIVE' && p.engine.name === canonical) {
        this.engineBySpelling.set(name, p);
        return p.engine;
      }
    }
    return undefined;
  }

  /**
   * SHOW ENGINES / information_schema.ENGINES rows: Engine, Support, Comment, Transactions, XA,
   * Savepoints. `defaultEngine` is the session's default_storage_engine; its row says DEFAULT.
   * @req ENGINE-LIST-003 ENGINE-LIST-004 ENGINE-LIST-005 ENGINE-LIST-006 ENGINE-LIST-007
   */
  engineRows(defaultEngine: string): Row[] {
    const rows: Row[] = [];
    const seen = new Set<string>();
    const def = this.canonicalEngineName(defaultEngine) ?? defaultEngine;
    const yn = (b: boolean): string => (b ? 'YES' : 'NO');
    for (const p of this.plugins.values()) {
      const e = p.engine;
      if (!e) continue;
      seen.add(e.name.toLowerCase());
      if (p.status !== 'ACTIVE') {
        // Compiled in but not enabled: listed like an engine the server lacks (A-01: never DISABLED).
        if (p.library === null) rows.push([e.name, 'NO', e.comment, null, null, null]);
        continue;
      }
      // The transaction columns come from the engine's own capability record, so an engine
      // added later is described without a table here. @req PLUGGABLE-031
      const c = e.capabilities;
      rows.push([e.name, e.name === def ? 'DEFAULT' : 'YES', e.comment, yn(c.transactions), yn(c.xa), yn(c.savepoints)]);
    }
    rows.push([PERFORMANCE_SCHEMA_ENGINE.name, 'YES', PERFORMANCE_SCHEMA_ENGINE.comment, 'NO', 'NO', 'NO']);
    for (const k of KNOWN_ENGINE_PLACEHOLDERS) {
      if (seen.has(k.name.toLowerCase())) continue;
      rows.push([k.name, 'NO', k.comment, null, null, null]);
    }
    return rows;
  }

  /**
   * SHOW PLUGINS rows: Name, Status, Type, Library, License.
   * @req PLUGGABLE-011
   */
  showPluginRows(): Row[] {
    const rows: Row[] = [];
    for (const p of this.plugins.values()) {
      rows.push([p.module.name, p.status, p.module.type, p.library, p.module.license]);
    }
    rows.push([PERFORMANCE_SCHEMA_ENGINE.name, 'ACTIVE', 'STORAGE ENGINE', null, 'GPL']);
    return rows;
  }

  /**
   * information_schema.PLUGINS rows: PLUGIN_NAME, PLUGIN_VERSION, PLUGIN_STATUS, PLUGIN_TYPE,
   * PLUGIN_TYPE_VERSION, PLUGIN_LIBRARY, PLUGIN_LIBRARY_VERSION, PLUGIN_AUTHOR,
   * PLUGIN_DESCRIPTION, PLUGIN_LICENSE, LOAD_OPTION.
   * @req PLUGGABLE-011
   */
  infoSchemaPluginRows(): Row[] {
    const rows: Row[] = [];
    for (const p of this.plugins.values()) {
      const m = p.module;
      rows.push([
        m.name,
        m.version,
        p.status,
        m.type,
        TYPE_VERSION[m.type],
        p.library,
        p.library ? '1.11' : null,
        m.author,
        m.description,
        m.license,
        p.loadOption,
      ]);
    }
    rows.push([
      PERFORMANCE_SCHEMA_ENGINE.name, '0.1', 'ACTIVE', 'STORAGE ENGINE', '80040.0', null, null,
      'Marc Alff, Oracle', 'Performance Schema', 'GPL', 'FORCE',
    ]);
    return rows;
  }

  /** mysql.plugin rows: the plugins installed with INSTALL PLUGIN. */
  installedRows(): InstalledPluginRow[] {
    const out: InstalledPluginRow[] = [];
    for (const p of this.plugins.values()) if (p.library && !p.fromOption) out.push({ name: p.module.name, dl: p.library });
    return out;
  }

  /**
   * INSTALL PLUGIN name SONAME 'lib': 1124 for a path, 1126 for a library not in the plugin
   * directory, 1125 when a plugin of that name is already loaded, 1127 when the library has no
   * such plugin. Returns the loaded plugin; `init` is called on a new engine by the caller.
   * @req PLUGGABLE-011 PLUGGABLE-012 PLUGGABLE-014
   */
  install(name: string, soname: string, opts: { fromOption?: boolean } = {}): LoadedPlugin {
    if (soname.includes('/') || soname.includes('\\')) throw sqlError('ER_UDF_NO_PATHS');
    if (this.plugins.has(name.toLowerCase())) throw sqlError('ER_FUNCTION_EXISTS', name);
    const lib = this.libraries.get(soname);
    if (!lib) throw sqlError('ER_CANT_OPEN_LIBRARY', soname, 2, 'cannot open shared object file: No such file or directory');
    const module = lib.plugins().find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (!module) throw sqlError('ER_CANT_FIND_DL_ENTRY', name);
    const p: LoadedPlugin = { module, library: soname, status: 'ACTIVE', loadOption: 'ON' };
    if (opts.fromOption) p.fromOption = true;
    if (module.createEngine) p.engine = module.createEngine();
    this.plugins.set(module.name.toLowerCase(), p);
    this.engineBySpelling.clear();
    module.onLoad?.();
    return p;
  }

  /**
   * UNINSTALL PLUGIN name: 1305 when not loaded, 1619 (ER_PLUGIN_IS_PERMANENT) for built-ins.
   * Returns the removed plugin so the caller can shut its engine down.
   * @req PLUGGABLE-014
   */
  uninstall(name: string): LoadedPlugin {
    const p = this.plugins.get(name.toLowerCase());
    if (!p) throw sqlError('ER_SP_DOES_NOT_EXIST', 'PLUGIN', name);
    if (!p.library) throw sqlError('ER_PLUGIN_DELETE_BUILTIN');
    this.plugins.delete(name.toLowerCase());
    this.engineBySpelling.clear();
    p.module.onUnload?.();
    return p;
  }

  /** Helper for sysvar validation (default_storage_engine): 1286 unless the engine is usable. */
  requireEngine(name: Value): StorageEngine {
    const text = name === null ? '' : String(name);
    const e = this.engine(text);
    if (!e) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', text);
    return e;
  }
}

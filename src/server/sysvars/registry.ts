/**
 * The system-variable registry: one definition per variable, the global values, and the
 * per-session copies. SET, `@@[global.|session.]name`, SET PERSIST / PERSIST_ONLY, RESET PERSIST
 * and startup options all go through here, so the error for every misuse is decided in one
 * place and matches MySQL's (1193, 1228, 1229, 1238, 1231, 1232, 1621).
 *
 * Names are case-insensitive and '-' equals '_' (so `--max-connections` and `@@MAX_CONNECTIONS`
 * find the same variable).
 *
 * Consumers: exec (SET, @@ reads, SHOW VARIABLES), ddl (default_storage_engine validator via
 * {@link SysVarRegistry.setValidator}), protocol (through ServerContext.globalVar).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/using-system-variables.html
 * @req CORE-SYSVAR-001 CORE-SYSVAR-003 CORE-SYSVAR-009 CORE-SYSVAR-010 CORE-SYSVAR-011 CORE-PERF-041
 */
import { join } from 'node:path';
import { diagnostic, sqlError, type Diagnostic } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { readJsonIfExistsSync, writeFileAtomicSync } from '../../util/atomic-file.js';
import { coerceValue, optionTextToValue } from './coerce.js';
import { MAX_REMEMBERED_NAME_SPELLINGS } from './limits.js';
import { impliedAssignments } from './couplings.js';
import { coreVariableDefinitions } from './definitions.js';
import { innodbVariableDefinitions } from '../../plugins/innodb-variables.js';
import { StatusRegistry } from './status.js';
import { SET_DEFAULT, type SetContext, type SetValue, type SysVarDef, type SysVarValidator } from './types.js';

/** Normalise a variable or option name: lower case, '-' -> '_'. */
export function normalizeVarName(name: string): string {
  // Looked up for every variable read (several per statement): remember the spellings seen.
  let n = normalizedNames.get(name);
  if (n === undefined) {
    n = name.toLowerCase().replace(/-/g, '_');
    if (normalizedNames.size >= MAX_REMEMBERED_NAME_SPELLINGS) normalizedNames.clear();
    normalizedNames.set(name, n);
  }
  return n;
}

const normalizedNames = new Map<string, string>();

/** The scope a reference names: `@@global.x`, `@@session.x` / `@@local.x`, or plain `@@x`. */
export type VarRefScope = 'global' | 'session' | 'default';

/** Variables that are other names for the same session slot. */
const ALIASES: Readonly<Record<string, string>> = { identity: 'last_insert_id' };

export type GlobalChangeListener = (name: string, value: Value) => void;

/** One persisted setting as kept in mysqld-auto.cnf. */
export interface PersistedEntry {
  Value: string;
  Metadata: { Timestamp: number; User: string; Host: string };
}

/** mysqld-auto.cnf as MySQL 8.0 writes it (format version 2). */
export interface PersistedFile {
  Version: number;
  mysql_static_variables?: Record<string, PersistedEntry>;
  mysql_dynamic_variables?: Record<string, PersistedEntry>;
}

export const PERSISTED_FILE_NAME = 'mysqld-auto.cnf';

export class SysVarRegistry {
  private readonly defs = new Map<string, SysVarDef>();
  private readonly globals = new Map<string, Value>();
  private readonly listeners: GlobalChangeListener[] = [];
  /** Directory of mysqld-auto.cnf; set by the server once the datadir is known. */
  private datadir: string | null = null;
  /** The server's status counters (SHOW STATUS). Reachable from anything holding the registry:
   *  exec sessions call `registry.status.newSession()` and bump Com_* / Questions / Bytes_*. */
  readonly status = new StatusRegistry();

  /** A registry holding the core variable set and InnoDB's (always built in) with MySQL 8.0 defaults. */
  static withCoreVariables(): SysVarRegistry {
    const r = new SysVarRegistry();
    for (const d of coreVariableDefinitions()) r.define(d);
    for (const d of innodbVariableDefinitions((name) => r.global(name))) r.define(d);
    return r;
  }

  /** Add a variable (plugins and later subsystems add their own). Redefinition replaces. */
  define(def: SysVarDef): void {
    const name = normalizeVarName(def.name);
    const d = { ...def, name };
    this.defs.set(name, d);
    if (d.scope !== 'session') this.globals.set(name, d.default);
  }

  /** Remove a variable (a plugin's, when it is uninstalled); unknown names are ignored. */
  undefine(name: string): void {
    const n = normalizeVarName(name);
    this.defs.delete(n);
    this.globals.delete(n);
  }

  /** Find a definition; undefined when unknown. */
  lookup(name: string): SysVarDef | undefined {
    const n = normalizeVarName(name);
    return this.defs.get(ALIASES[n] ?? n) ?? this.defs.get(n);
  }

  /** Find a definition or throw 1193. @req CORE-SYSVAR-009 */
  require(name: string): SysVarDef {
    const d = this.lookup(name);
    if (!d) throw sqlError('ER_UNKNOWN_SYSTEM_VARIABLE', name);
    return d;
  }

  /** All definitions, sorted by name. */
  definitions(): SysVarDef[] {
    return [...this.defs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The SQL type family of `@@name` in a result set (MySQL: booleans and integers are BIGINT,
   * unsigned ones BIGINT UNSIGNED, doubles DOUBLE, the rest strings). undefined when unknown.
   */
  resultKind(name: string): 'signed' | 'unsigned' | 'double' | 'string' | undefined {
    const d = this.lookup(name);
    if (!d) return undefined;
    switch (d.type.kind) {
      case 'boolean':
        return 'signed';
      case 'integer':
        return d.type.unsigned ? 'unsigned' : 'signed';
      case 'double':
        return 'double';
      default:
        return 'string';
    }
  }

  /** Attach (or replace) a per-variable validation callback, e.g. the storage-engine check
   *  for default_storage_engine supplied by the plugin registry (ENGINE-SET-004). */
  setValidator(name: string, validate: SysVarValidator): void {
    const d = this.require(name);
    d.validate = validate;
  }

  /** Be told about every change of a global value. */
  onGlobalChange(listener: GlobalChangeListener): void {
    this.listeners.push(listener);
  }

  /** Where mysqld-auto.cnf lives. */
  setDatadir(dir: string): void {
    this.datadir = dir;
  }

  /**
   * Current global value. Throws 1193 for unknown names and 1238 for session-only variables,
   * like `SELECT @@global.warning_count`.
   */
  global(name: string): Value {
    const d = this.require(name);
    if (d.scope === 'session') throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'SESSION');
    return this.globals.get(d.name) ?? null;
  }

  /** Global value or undefined, never throwing (for internal consumers). */
  peekGlobal(name: string): Value | undefined {
    const d = this.lookup(name);
    if (!d || d.scope === 'session') return undefined;
    return this.globals.get(d.name);
  }

  /** Set a global value without any checks (computed startup values: hostname, datadir, pid...). */
  initGlobal(name: string, value: Value): void {
    const d = this.require(name);
    this.globals.set(d.name, value);
  }

  private coerce(d: SysVarDef, value: SetValue, fallback: Value, ctx: SetContext, warnings: Diagnostic[]): Value {
    if (value === SET_DEFAULT) return fallback;
    let v = coerceValue(d, value, warnings);
    if (d.validate && v !== null) v = d.validate(v, ctx, warnings);
    return v;
  }

  /**
   * SET GLOBAL name = value. Returns the warnings (1292 for clamped numbers); throws SqlError
   * 1193, 1238 (read only), 1228 (session-only), 1231, 1232, or the validator's error.
   * @req CORE-SYSVAR-010
   */
  setGlobal(name: string, value: SetValue, ctx: SetContext = {}): Diagnostic[] {
    const d = this.require(name);
    if (!d.dynamic) throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'read only');
    if (d.scope === 'session') throw sqlError('ER_LOCAL_VARIABLE', d.name);
    const warnings: Diagnostic[] = [];
    const v = this.coerce(d, value, d.default, { ...ctx, current: this.globals.get(d.name) ?? null }, warnings);
    this.assignGlobal(d, v);
    return warnings;
  }

  private assignGlobal(d: SysVarDef, v: Value): void {
    this.globals.set(d.name, v);
    for (const l of this.listeners) l(d.name, v);
    for (const [n, pv] of impliedAssignments(d.name, v)) {
      this.globals.set(n, pv);
      for (const l of this.listeners) l(n, pv);
    }
  }

  /**
   * Apply a startup option (`--name=value` or an option-file line) to a variable's global value.
   * Read-only variables are settable here. Returns warnings; throws SqlError on bad values.
   * @req CORE-SRV-003
   */
  setFromOption(name: string, text: string | null): Diagnostic[] {
    const d = this.require(name);
    if (d.scope === 'session' || d.commandLine === false) throw sqlError('ER_UNKNOWN_SYSTEM_VARIABLE', name);
    const warnings: Diagnostic[] = [];
    // A bare `--flag` switches a boolean on; for other types it means the empty string.
    const raw: Value = text === null ? (d.type.kind === 'boolean' ? 1n : '') : optionTextToValue(d, text);
    let v = coerceValue(d, raw, warnings);
    if (d.validate && v !== null) v = d.validate(v, { startup: true }, warnings);
    this.assignGlobal(d, v);
    return warnings;
  }

  private persistedPath(): string {
    if (this.datadir === null) throw sqlError('ER_UNKNOWN_ERROR');
    return join(this.datadir, PERSISTED_FILE_NAME);
  }

  private readPersisted(): PersistedFile {
    if (this.datadir === null) return { Version: 2 };
    return readJsonIfExistsSync<PersistedFile>(this.persistedPath()) ?? { Version: 2 };
  }

  private writePersisted(f: PersistedFile): void {
    writeFileAtomicSync(this.persistedPath(), JSON.stringify(f) + '\n');
  }

  private persistText(d: SysVarDef, v: Value): string {
    if (v === null) return '';
    if (d.type.kind === 'boolean') return v === 0n ? 'OFF' : 'ON';
    return String(v);
  }

  /**
   * SET PERSIST (onlyFile false: also sets the global value now) or SET PERSIST_ONLY
   * (onlyFile true: only records the value for the next start; allowed for read-only variables).
   * @req CORE-SYSVAR-011
   */
  persist(name: string, value: SetValue, ctx: SetContext = {}, onlyFile = false): Diagnostic[] {
    const d = this.require(name);
    if (d.scope === 'session') throw sqlError('ER_LOCAL_VARIABLE', d.name);
    if (!onlyFile && !d.dynamic) throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'read only');
    if (d.commandLine === false) throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'read only');
    const warnings: Diagnostic[] = [];
    const v = this.coerce(d, value, d.default, ctx, warnings);
    if (!onlyFile) this.assignGlobal(d, v);
    const f = this.readPersisted();
    const section = d.dynamic ? 'mysql_dynamic_variables' : 'mysql_static_variables';
    const other = d.dynamic ? 'mysql_static_variables' : 'mysql_dynamic_variables';
    f.Version = 2;
    f[section] = { ...(f[section] ?? {}) };
    if (f[other]) delete f[other]![d.name];
    f[section]![d.name] = {
      Value: this.persistText(d, v),
      Metadata: { Timestamp: Date.now() * 1000, User: ctx.user ?? '', Host: ctx.host ?? '' },
    };
    this.writePersisted(f);
    return warnings;
  }

  /**
   * RESET PERSIST [[IF EXISTS] name]: forget one persisted setting or all of them. A missing name
   * is error 3615, or with IF EXISTS a warning with the same number.
   * @req CORE-SYSVAR-011
   */
  resetPersist(name?: string, ifExists = false): Diagnostic[] {
    const f = this.readPersisted();
    if (name === undefined) {
      this.writePersisted({ Version: 2, mysql_static_variables: {}, mysql_dynamic_variables: {} });
      return [];
    }
    const n = normalizeVarName(name);
    const inDyn = f.mysql_dynamic_variables?.[n] !== undefined;
    const inStatic = f.mysql_static_variables?.[n] !== undefined;
    if (!inDyn && !inStatic) {
      if (ifExists) return [diagnostic('Warning', 'ER_VARIABLE_NOT_PERSISTED', name)];
      throw sqlError('ER_VARIABLE_NOT_PERSISTED', name);
    }
    if (inDyn) delete f.mysql_dynamic_variables![n];
    if (inStatic) delete f.mysql_static_variables![n];
    this.writePersisted(f);
    return [];
  }

  /** The persisted settings (for performance_schema.persisted_variables). */
  persistedValues(): Array<{ name: string; value: string }> {
    const f = this.readPersisted();
    const out: Array<{ name: string; value: string }> = [];
    for (const sec of [f.mysql_static_variables, f.mysql_dynamic_variables]) {
      for (const [name, e] of Object.entries(sec ?? {})) out.push({ name, value: e.Value });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * Apply mysqld-auto.cnf at startup (after option files, so persisted values win, as in MySQL).
   * Entries that no longer validate are reported, not fatal.
   */
  loadPersisted(): Array<{ name: string; error: string }> {
    const problems: Array<{ name: string; error: string }> = [];
    const f = this.readPersisted();
    for (const sec of [f.mysql_static_variables, f.mysql_dynamic_variables]) {
      for (const [name, e] of Object.entries(sec ?? {})) {
        try {
          this.setFromOption(name, e.Value);
        } catch (err) {
          problems.push({ name, error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
    return problems;
  }

  /** A fresh session: every 'both' variable starts from the current global value. */
  newSessionVars(): SessionVars {
    return new SessionVars(this);
  }

  /** @internal used by SessionVars to seed session values. */
  sessionSeed(): Map<string, Value> {
    const m = new Map<string, Value>();
    for (const d of this.defs.values()) {
      if (d.scope === 'both') m.set(d.name, this.globals.get(d.name) ?? null);
      else if (d.scope === 'session') m.set(d.name, d.default);
    }
    return m;
  }
}

/**
 * One session's view of the variables. Reads without a scope fall back to the global value for
 * global-only variables, as `@@max_connections` does.
 * @req CORE-SYSVAR-010
 */
export class SessionVars {
  private values: Map<string, Value>;

  /** `values` lets a caller keep the session map itself (the executor's SysvarApi does). */
  constructor(
    readonly registry: SysVarRegistry,
    values?: Map<string, Value>,
  ) {
    this.values = values ?? registry.sessionSeed();
  }

  /** The underlying name -> value map (canonical names). */
  get map(): Map<string, Value> {
    return this.values;
  }

  /** `@@name`: the session value, or the global one for global-only variables. */
  get(name: string): Value {
    // The executor reads a dozen variables per statement by their canonical names: a session
    // value held under that exact name is the answer, without normalising the name or finding
    // its definition (global-only variables are not in the session map). CORE-PERF-041
    const v = this.values.get(name);
    if (v !== undefined) return v;
    return this.getScoped(name, 'default');
  }

  /**
   * `@@global.name`, `@@session.name`, `@@name`. Throws 1193, and 1238 for `@@session.x` of a
   * global-only variable ("is a GLOBAL variable") or `@@global.x` of a session-only one.
   */
  getScoped(name: string, scope: VarRefScope): Value {
    const d = this.registry.require(name);
    if (scope === 'global') return this.registry.global(d.name);
    if (d.scope === 'global') {
      if (scope === 'session') throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'GLOBAL');
      return this.registry.global(d.name);
    }
    return this.values.get(d.name) ?? null;
  }

  /**
   * SET [SESSION] name = value. Throws 1193, 1238 (read only), 1229 (global-only), 1621 (session
   * value read-only), 1231, 1232, or the validator's error. `SET x = DEFAULT` takes the global value.
   */
  set(name: string, value: SetValue, ctx: SetContext = {}): Diagnostic[] {
    const d = this.registry.require(name);
    if (!d.dynamic) throw sqlError('ER_INCORRECT_GLOBAL_LOCAL_VAR', d.name, 'read only');
    if (d.scope === 'global') throw sqlError('ER_GLOBAL_VARIABLE', d.name);
    if (d.sessionReadOnly) throw sqlError('ER_VARIABLE_IS_READONLY', 'SESSION', d.name, 'GLOBAL');
    const warnings: Diagnostic[] = [];
    let v: Value;
    if (value === SET_DEFAULT) {
      v = d.scope === 'both' ? this.registry.global(d.name) : d.default;
    } else {
      v = coerceValue(d, value, warnings);
      if (d.validate && v !== null) v = d.validate(v, ctx, warnings);
    }
    this.values.set(d.name, v);
    for (const [n, pv] of impliedAssignments(d.name, v)) this.values.set(n, pv);
    return warnings;
  }

  /** SET GLOBAL/SESSION/plain dispatch. */
  setScoped(name: string, scope: VarRefScope, value: SetValue, ctx: SetContext = {}): Diagnostic[] {
    if (scope === 'global') return this.registry.setGlobal(name, value, ctx);
    return this.set(name, value, ctx);
  }

  /** Set a session value bypassing checks: the executor maintains warning_count, error_count,
   *  last_insert_id, and the server-side effects of statements this way. */
  setInternal(name: string, value: Value): void {
    const d = this.registry.require(name);
    this.values.set(d.name, value);
  }

  /** COM_RESET_CONNECTION / COM_CHANGE_USER: back to the current global values. */
  reset(): void {
    this.values = this.registry.sessionSeed();
  }

  /** All (name, value) pairs visible in this session, sorted by name (SHOW SESSION VARIABLES). */
  entries(): Array<[SysVarDef, Value]> {
    return this.registry
      .definitions()
      .map((d) => [d, d.scope === 'global' ? this.registry.global(d.name) : (this.values.get(ALIASES[d.name] ?? d.name) ?? null)]);
  }
}

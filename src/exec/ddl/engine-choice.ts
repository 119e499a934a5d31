/**
 * Which engine a CREATE or ALTER TABLE gets: the ENGINE= option (aliases resolved, case
 * ignored), else the session's default_storage_engine (default_tmp_storage_engine for
 * TEMPORARY tables). An unknown or unavailable engine is an error 1286 under
 * NO_ENGINE_SUBSTITUTION (part of 8.0's default sql_mode); without it the default engine is
 * used (CREATE) or the engine is kept (ALTER), with warnings 1286 and 1266.
 *
 * An engine named by the read-only startup option disabled_storage_engines is usable by the
 * tables it already has, but no table may be created in it or converted to it: under
 * NO_ENGINE_SUBSTITUTION that is error 3161; without it the statement falls back as for an
 * unavailable engine, with warnings 3161 and 1266 (MySQL substitutes since 5.7.23).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engine-setting.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_disabled_storage_engines
 * @req ENGINE-SET-001 ENGINE-SET-002 ENGINE-SET-004 ENGINE-SET-005 ENGINE-SET-008 ENGINE-SET-009 ENGINE-SET-010 ENGINE-SET-011 ENGINE-LIST-010
 * @req ENGINE-SET-015
 */
import type { PluginRegistry } from '../../plugins/registry.js';
import { sqlError } from '../../kernel/errors.js';
import type { StorageEngine } from '../../storage/handler.js';
import type { ExecSession } from '../exec-session.js';

/** The engine used when nothing is configured or the configured default is unavailable. */
export const FALLBACK_ENGINE = 'MEMORY';

/** The session's default engine for permanent or temporary tables. @req ENGINE-SET-002 ENGINE-SET-005 */
export function defaultEngine(plugins: PluginRegistry, session: ExecSession, temporary: boolean): StorageEngine {
  const v = session.sysvar(temporary ? 'default_tmp_storage_engine' : 'default_storage_engine');
  const name = v === null ? FALLBACK_ENGINE : String(v);
  const e = plugins.engine(name) ?? plugins.engine(FALLBACK_ENGINE);
  if (!e) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', name);
  return e;
}

/**
 * Whether disabled_storage_engines names `engine` (a comma-separated list of engine names,
 * aliases and case ignored).
 * @req ENGINE-SET-015
 */
export function isEngineDisabled(plugins: PluginRegistry, session: ExecSession, engine: StorageEngine): boolean {
  const v = session.sysvar('disabled_storage_engines');
  if (v === null || v === undefined) return false;
  const list = String(v).split(',').map((x) => x.trim()).filter((x) => x !== '');
  return list.some((n) => (plugins.canonicalEngineName(n) ?? n).toLowerCase() === engine.name.toLowerCase());
}

/**
 * The engine a statement substitutes for an unavailable or disabled one, or the error it gets
 * instead: the substitute itself must not be disabled.
 * @req ENGINE-SET-008 ENGINE-SET-015
 */
function refuseDisabled(plugins: PluginRegistry, session: ExecSession, engine: StorageEngine, substitute: () => StorageEngine, tableName: string): StorageEngine {
  if (session.sqlMode().has('NO_ENGINE_SUBSTITUTION')) throw sqlError('ER_DISABLED_STORAGE_ENGINE', engine.name);
  const d = substitute();
  if (d === engine || isEngineDisabled(plugins, session, d)) throw sqlError('ER_DISABLED_STORAGE_ENGINE', engine.name);
  session.warn('Warning', 'ER_DISABLED_STORAGE_ENGINE', engine.name);
  session.warn('Warning', 'ER_WARN_USING_OTHER_HANDLER', d.name, tableName);
  return d;
}

/**
 * Engine for CREATE TABLE. `requested` is the ENGINE= text if any.
 * @req ENGINE-SET-001 ENGINE-SET-008 ENGINE-SET-010
 */
export function engineForCreate(
  plugins: PluginRegistry,
  session: ExecSession,
  requested: string | undefined,
  tableName: string,
  temporary: boolean,
): StorageEngine {
  if (requested === undefined) {
    const d = defaultEngine(plugins, session, temporary);
    if (isEngineDisabled(plugins, session, d)) throw sqlError('ER_DISABLED_STORAGE_ENGINE', d.name);
    return d;
  }
  const e = plugins.engine(requested);
  if (e && isEngineDisabled(plugins, session, e)) return refuseDisabled(plugins, session, e, () => defaultEngine(plugins, session, temporary), tableName);
  if (e) return e;
  if (session.sqlMode().has('NO_ENGINE_SUBSTITUTION')) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', requested); // @req CORE-MODE-023
  const d = defaultEngine(plugins, session, temporary);
  session.warn('Warning', 'ER_UNKNOWN_STORAGE_ENGINE', requested);
  session.warn('Warning', 'ER_WARN_USING_OTHER_HANDLER', d.name, tableName);
  return d;
}

/**
 * Engine for ALTER TABLE ... ENGINE=: without NO_ENGINE_SUBSTITUTION an unavailable engine only
 * warns and the table keeps `current`.
 * @req ENGINE-SET-006 ENGINE-SET-009 ENGINE-SET-010
 */
export function engineForAlter(
  plugins: PluginRegistry,
  session: ExecSession,
  requested: string,
  tableName: string,
  current: StorageEngine,
): StorageEngine {
  const e = plugins.engine(requested);
  // Converting to a disabled engine is refused; rebuilding a table in its own engine is not.
  if (e && e !== current && isEngineDisabled(plugins, session, e)) return refuseDisabled(plugins, session, e, () => current, tableName);
  if (e) return e;
  if (session.sqlMode().has('NO_ENGINE_SUBSTITUTION')) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', requested);
  session.warn('Warning', 'ER_UNKNOWN_STORAGE_ENGINE', requested);
  session.warn('Warning', 'ER_WARN_USING_OTHER_HANDLER', current.name, tableName);
  return current;
}

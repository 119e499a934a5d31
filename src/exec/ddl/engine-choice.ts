/**
 * Which engine a CREATE or ALTER TABLE gets: the ENGINE= option (aliases resolved, case
 * ignored), else the session's default_storage_engine (default_tmp_storage_engine for
 * TEMPORARY tables). An unknown or unavailable engine is an error 1286 under
 * NO_ENGINE_SUBSTITUTION (part of 8.0's default sql_mode); without it the default engine is
 * used (CREATE) or the engine is kept (ALTER), with warnings 1286 and 1266.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engine-setting.html
 * @req ENGINE-SET-001 ENGINE-SET-002 ENGINE-SET-004 ENGINE-SET-005 ENGINE-SET-008 ENGINE-SET-009 ENGINE-SET-010 ENGINE-SET-011 ENGINE-LIST-010
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
  if (requested === undefined) return defaultEngine(plugins, session, temporary);
  const e = plugins.engine(requested);
  if (e) return e;
  if (session.sqlMode().has('NO_ENGINE_SUBSTITUTION')) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', requested);
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
  if (e) return e;
  if (session.sqlMode().has('NO_ENGINE_SUBSTITUTION')) throw sqlError('ER_UNKNOWN_STORAGE_ENGINE', requested);
  session.warn('Warning', 'ER_UNKNOWN_STORAGE_ENGINE', requested);
  session.warn('Warning', 'ER_WARN_USING_OTHER_HANDLER', current.name, tableName);
  return current;
}

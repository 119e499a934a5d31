/**
 * The rows of SHOW [GLOBAL|SESSION] VARIABLES and SHOW [GLOBAL|SESSION] STATUS. The executor
 * filters by LIKE through {@link likeMatches} here, or applies a WHERE clause itself to the rows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-variables.html
 * @req CORE-SYSVAR-012 CORE-SYSVAR-013
 */
import { MysqlType, ColumnFlag, type ResultColumn } from '../../kernel/column-type.js';
import type { Row } from '../../kernel/value.js';
import type { RowsResult } from '../../kernel/protocol-port.js';
import { displayValue } from './coerce.js';
import type { SessionVars, SysVarRegistry } from './registry.js';
import { isSessionStatus, type StatusRegistry, type SessionStatus } from './status.js';

/** SQL LIKE with % and _ and backslash escape, case-insensitive (SHOW ... LIKE semantics). */
export function likeMatches(text: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 'i').test(text);
}

function textColumn(name: string, orgName: string, table: string, length: number): ResultColumn {
  return {
    schema: 'performance_schema',
    table,
    orgTable: table,
    name,
    orgName,
    charsetId: 255,
    length,
    type: MysqlType.VAR_STRING,
    flags: name === 'Variable_name' ? ColumnFlag.NOT_NULL : 0,
    decimals: 0,
  };
}

/** Result columns of SHOW VARIABLES (`Variable_name`, `Value`). */
export function showVariablesColumns(scope: 'global' | 'session' = 'session'): ResultColumn[] {
  const table = scope === 'global' ? 'global_variables' : 'session_variables';
  return [textColumn('Variable_name', 'VARIABLE_NAME', table, 256), textColumn('Value', 'VARIABLE_VALUE', table, 4096)];
}

/** Result columns of SHOW STATUS. */
export function showStatusColumns(scope: 'global' | 'session' = 'session'): ResultColumn[] {
  const table = scope === 'global' ? 'global_status' : 'session_status';
  return [textColumn('Variable_name', 'VARIABLE_NAME', table, 256), textColumn('Value', 'VARIABLE_VALUE', table, 4096)];
}

/**
 * SHOW [GLOBAL|SESSION] VARIABLES [LIKE pattern] rows, sorted by name. GLOBAL lists variables that
 * have a global value; SESSION (the default) lists every variable with its session value where it
 * has one.
 * @req CORE-SYSVAR-012
 */
export function showVariables(registry: SysVarRegistry, session: SessionVars | null, scope: 'global' | 'session', like?: string): Row[] {
  const rows: Row[] = [];
  if (scope === 'global' || session === null) {
    for (const d of registry.definitions()) {
      if (d.scope === 'session') continue;
      if (like !== undefined && !likeMatches(d.name, like)) continue;
      rows.push([d.name, displayValue(d, registry.global(d.name))]);
    }
    return rows;
  }
  for (const [d, v] of session.entries()) {
    if (like !== undefined && !likeMatches(d.name, like)) continue;
    rows.push([d.name, displayValue(d, v)]);
  }
  return rows;
}

/**
 * SHOW [GLOBAL|SESSION] STATUS [LIKE pattern] rows.
 * @req CORE-SYSVAR-013
 */
export function showStatus(server: StatusRegistry, session: SessionStatus | null, scope: 'global' | 'session', like?: string): Row[] {
  const rows: Row[] = [];
  for (const name of server.names()) {
    if (like !== undefined && !likeMatches(name, like)) continue;
    if (name === 'Ssl_cipher' || name === 'Ssl_version') {
      rows.push([name, scope === 'session' && session ? (session.texts.get(name) ?? '') : '']);
      continue;
    }
    const text = server.text(name);
    if (text !== undefined) {
      rows.push([name, text]);
      continue;
    }
    const v = scope === 'session' && session && isSessionStatus(name) ? session.get(name) : server.get(name);
    rows.push([name, v.toString()]);
  }
  return rows;
}

/** SHOW [GLOBAL|SESSION] VARIABLES [LIKE] as a complete result set. @req CORE-SYSVAR-012 */
export function showVariablesResult(registry: SysVarRegistry, session: SessionVars | null, scope: 'global' | 'session', like?: string): RowsResult {
  return { kind: 'rows', columns: showVariablesColumns(scope), rows: showVariables(registry, session, scope, like) };
}

/** SHOW [GLOBAL|SESSION] STATUS [LIKE] as a complete result set. @req CORE-SYSVAR-013 */
export function showStatusResult(server: StatusRegistry, session: SessionStatus | null, scope: 'global' | 'session', like?: string): RowsResult {
  return { kind: 'rows', columns: showStatusColumns(scope), rows: showStatus(server, session, scope, like) };
}

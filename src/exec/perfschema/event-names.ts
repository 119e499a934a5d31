/**
 * EVENT_NAME of a statement event: the statement instrument MySQL 8.0 records it under,
 * statement/sql/<command>, chosen from the parsed statement. Every name is a constant string,
 * so naming a statement allocates nothing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-statement-tables.html
 * @req CORE-PFS-011
 */
import type { Statement } from '../../sql/ast.js';

const SHOW_NAMES: Readonly<Record<string, string>> = {
  VARIABLES: 'statement/sql/show_variables',
  STATUS: 'statement/sql/show_status',
  PROCESSLIST: 'statement/sql/show_processlist',
  DATABASES: 'statement/sql/show_databases',
  SCHEMAS: 'statement/sql/show_databases',
  TABLES: 'statement/sql/show_tables',
  COLUMNS: 'statement/sql/show_fields',
  FIELDS: 'statement/sql/show_fields',
  INDEX: 'statement/sql/show_keys',
  INDEXES: 'statement/sql/show_keys',
  KEYS: 'statement/sql/show_keys',
  'CREATE TABLE': 'statement/sql/show_create_table',
  'CREATE DATABASE': 'statement/sql/show_create_db',
  'CREATE SCHEMA': 'statement/sql/show_create_db',
  WARNINGS: 'statement/sql/show_warnings',
  ERRORS: 'statement/sql/show_errors',
  'COUNT WARNINGS': 'statement/sql/show_warnings',
  'COUNT ERRORS': 'statement/sql/show_errors',
  GRANTS: 'statement/sql/show_grants',
  ENGINES: 'statement/sql/show_engines',
  PLUGINS: 'statement/sql/show_plugins',
  COLLATION: 'statement/sql/show_collations',
  'CHARACTER SET': 'statement/sql/show_charsets',
  CHARSET: 'statement/sql/show_charsets',
  'TABLE STATUS': 'statement/sql/show_table_status',
  'ENGINE STATUS': 'statement/sql/show_engine_status',
};

const XA_NAMES: Readonly<Record<string, string>> = {
  start: 'statement/sql/xa_start',
  end: 'statement/sql/xa_end',
  prepare: 'statement/sql/xa_prepare',
  commit: 'statement/sql/xa_commit',
  rollback: 'statement/sql/xa_rollback',
  recover: 'statement/sql/xa_recover',
};

const MAINTENANCE_NAMES: Readonly<Record<string, string>> = {
  CHECK: 'statement/sql/check',
  REPAIR: 'statement/sql/repair',
  ANALYZE: 'statement/sql/analyze',
  OPTIMIZE: 'statement/sql/optimize',
  CHECKSUM: 'statement/sql/checksum',
};

/** The statement instrument of a parsed statement. @req CORE-PFS-011 */
export function statementEventName(stmt: Statement): string {
  switch (stmt.kind) {
    case 'select': return 'statement/sql/select';
    case 'insert':
      if (stmt.replace) return stmt.select ? 'statement/sql/replace_select' : 'statement/sql/replace';
      return stmt.select ? 'statement/sql/insert_select' : 'statement/sql/insert';
    case 'update': return stmt.tables.length > 1 || stmt.tables[0]?.type !== 'table' ? 'statement/sql/update_multi' : 'statement/sql/update';
    case 'delete': return stmt.multi ? 'statement/sql/delete_multi' : 'statement/sql/delete';
    case 'load_data': return 'statement/sql/load';
    case 'create_table': return 'statement/sql/create_table';
    case 'alter_table': return 'statement/sql/alter_table';
    case 'drop_table': return 'statement/sql/drop_table';
    case 'rename_table': return 'statement/sql/rename_table';
    case 'truncate': return 'statement/sql/truncate';
    case 'create_index': return 'statement/sql/create_index';
    case 'drop_index': return 'statement/sql/drop_index';
    case 'create_database': return 'statement/sql/create_db';
    case 'alter_database': return 'statement/sql/alter_db';
    case 'drop_database': return 'statement/sql/drop_db';
    case 'create_view': return 'statement/sql/create_view';
    case 'drop_view': return 'statement/sql/drop_view';
    case 'create_server': return 'statement/sql/create_server';
    case 'alter_server': return 'statement/sql/alter_server';
    case 'drop_server': return 'statement/sql/drop_server';
    case 'start_transaction': return 'statement/sql/begin';
    case 'commit': return 'statement/sql/commit';
    case 'rollback': return stmt.toSavepoint !== undefined ? 'statement/sql/rollback_to_savepoint' : 'statement/sql/rollback';
    case 'savepoint': return 'statement/sql/savepoint';
    case 'release_savepoint': return 'statement/sql/release_savepoint';
    case 'set_transaction': return 'statement/sql/set_option';
    case 'xa': return XA_NAMES[stmt.action] ?? 'statement/sql/xa_start';
    case 'lock_tables': return 'statement/sql/lock_tables';
    case 'unlock_tables': return 'statement/sql/unlock_tables';
    case 'flush': return 'statement/sql/flush';
    case 'set':
    case 'set_names': return 'statement/sql/set_option';
    case 'set_password': return 'statement/sql/set_password';
    case 'set_role': return 'statement/sql/set_role';
    case 'set_default_role': return 'statement/sql/alter_user_default_role';
    case 'use': return 'statement/sql/change_db';
    case 'show': return SHOW_NAMES[stmt.what] ?? 'statement/sql/show_other';
    case 'describe': return 'statement/sql/show_fields';
    case 'explain': return stmt.statement.kind === 'select' ? 'statement/sql/select' : 'statement/sql/explain_other';
    case 'kill': return 'statement/sql/kill';
    case 'shutdown': return 'statement/sql/shutdown';
    case 'do': return 'statement/sql/do';
    case 'prepare': return 'statement/sql/prepare_sql';
    case 'execute': return 'statement/sql/execute_sql';
    case 'deallocate': return 'statement/sql/dealloc_sql';
    case 'table_maintenance': return MAINTENANCE_NAMES[stmt.op] ?? 'statement/sql/show_other';
    case 'create_user': return 'statement/sql/create_user';
    case 'alter_user': return 'statement/sql/alter_user';
    case 'drop_user': return 'statement/sql/drop_user';
    case 'rename_user': return 'statement/sql/rename_user';
    case 'create_role': return 'statement/sql/create_role';
    case 'drop_role': return 'statement/sql/drop_role';
    case 'grant': return 'statement/sql/grant';
    case 'grant_role': return 'statement/sql/grant_roles';
    case 'revoke': return 'statement/sql/revoke';
    case 'revoke_role': return 'statement/sql/revoke_roles';
    case 'install_plugin': return 'statement/sql/install_plugin';
    case 'uninstall_plugin': return 'statement/sql/uninstall_plugin';
    case 'empty': return 'statement/sql/empty_query';
    default: return 'statement/sql/error';
  }
}

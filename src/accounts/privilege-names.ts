/**
 * The privilege vocabulary: static privileges in MySQL's canonical order (the order SHOW GRANTS
 * prints them), which level each may be granted at, the mysql.user / mysql.db column that stores
 * it, and the dynamic (named) privileges of a MySQL 8.0.40 server.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html
 * @req CORE-PRIV-001 CORE-PRIV-002
 */

/** Static privileges in canonical order. 'GRANT OPTION' is kept separately ('WITH GRANT OPTION'). */
export const STATIC_PRIVILEGES = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'RELOAD', 'SHUTDOWN', 'PROCESS', 'FILE',
  'REFERENCES', 'INDEX', 'ALTER', 'SHOW DATABASES', 'SUPER', 'CREATE TEMPORARY TABLES', 'LOCK TABLES',
  'EXECUTE', 'REPLICATION SLAVE', 'REPLICATION CLIENT', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE',
  'ALTER ROUTINE', 'CREATE USER', 'EVENT', 'TRIGGER', 'CREATE TABLESPACE', 'CREATE ROLE', 'DROP ROLE',
] as const;
export type StaticPrivilege = (typeof STATIC_PRIVILEGES)[number];
export const GRANT_OPTION = 'GRANT OPTION';

/** Privileges valid at the database level (`db.*`). */
export const DB_PRIVILEGES: readonly StaticPrivilege[] = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER',
  'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'EXECUTE', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE',
  'ALTER ROUTINE', 'EVENT', 'TRIGGER',
];
/** Privileges valid at the table level (`db.tbl`). */
export const TABLE_PRIVILEGES: readonly StaticPrivilege[] = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER',
  'CREATE VIEW', 'SHOW VIEW', 'TRIGGER',
];
/** Privileges valid for single columns (`SELECT (a, b)`). */
export const COLUMN_PRIVILEGES: readonly StaticPrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'];
/** Privileges valid for a stored routine (`PROCEDURE db.p`). */
export const ROUTINE_PRIVILEGES: readonly StaticPrivilege[] = ['EXECUTE', 'ALTER ROUTINE'];

/**
 * Dynamic privileges a MySQL 8.0.40 server registers at startup (server and bundled components).
 * @req CORE-PRIV-002
 */
export const DYNAMIC_PRIVILEGES: readonly string[] = [
  'APPLICATION_PASSWORD_ADMIN', 'AUDIT_ABORT_EXEMPT', 'AUDIT_ADMIN', 'AUTHENTICATION_POLICY_ADMIN',
  'BACKUP_ADMIN', 'BINLOG_ADMIN', 'BINLOG_ENCRYPTION_ADMIN', 'CLONE_ADMIN', 'CONNECTION_ADMIN',
  'ENCRYPTION_KEY_ADMIN', 'FIREWALL_EXEMPT', 'FLUSH_OPTIMIZER_COSTS', 'FLUSH_STATUS', 'FLUSH_TABLES',
  'FLUSH_USER_RESOURCES', 'GROUP_REPLICATION_ADMIN', 'GROUP_REPLICATION_STREAM', 'INNODB_REDO_LOG_ARCHIVE',
  'INNODB_REDO_LOG_ENABLE', 'PASSWORDLESS_USER_ADMIN', 'PERSIST_RO_VARIABLES_ADMIN', 'REPLICATION_APPLIER',
  'REPLICATION_SLAVE_ADMIN', 'RESOURCE_GROUP_ADMIN', 'RESOURCE_GROUP_USER', 'ROLE_ADMIN',
  'SENSITIVE_VARIABLES_OBSERVER', 'SERVICE_CONNECTION_ADMIN', 'SESSION_VARIABLES_ADMIN', 'SET_USER_ID',
  'SHOW_ROUTINE', 'SYSTEM_USER', 'SYSTEM_VARIABLES_ADMIN', 'TABLE_ENCRYPTION_ADMIN', 'TELEMETRY_LOG_ADMIN',
  'XA_RECOVER_ADMIN',
];

const STATIC_SET: ReadonlySet<string> = new Set(STATIC_PRIVILEGES);
const DYNAMIC_SET: ReadonlySet<string> = new Set(DYNAMIC_PRIVILEGES);

export function isStaticPrivilege(name: string): name is StaticPrivilege {
  return STATIC_SET.has(name);
}
export function isDynamicPrivilege(name: string): boolean {
  return DYNAMIC_SET.has(name.toUpperCase());
}

/** Sort static privilege names into canonical order (unknown names last, alphabetically). */
export function sortStatic(privs: Iterable<string>): string[] {
  const idx = (p: string): number => {
    const i = (STATIC_PRIVILEGES as readonly string[]).indexOf(p);
    return i < 0 ? 1000 : i;
  };
  return [...new Set(privs)].sort((a, b) => idx(a) - idx(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The `X_priv` column of mysql.user holding each static privilege (and Grant_priv for GRANT OPTION),
 * in mysql.user's column order.
 * @req CORE-PRIV-001
 */
export const USER_PRIV_COLUMNS: readonly [string, string][] = [
  ['Select_priv', 'SELECT'], ['Insert_priv', 'INSERT'], ['Update_priv', 'UPDATE'], ['Delete_priv', 'DELETE'],
  ['Create_priv', 'CREATE'], ['Drop_priv', 'DROP'], ['Reload_priv', 'RELOAD'], ['Shutdown_priv', 'SHUTDOWN'],
  ['Process_priv', 'PROCESS'], ['File_priv', 'FILE'], ['Grant_priv', GRANT_OPTION],
  ['References_priv', 'REFERENCES'], ['Index_priv', 'INDEX'], ['Alter_priv', 'ALTER'],
  ['Show_db_priv', 'SHOW DATABASES'], ['Super_priv', 'SUPER'], ['Create_tmp_table_priv', 'CREATE TEMPORARY TABLES'],
  ['Lock_tables_priv', 'LOCK TABLES'], ['Execute_priv', 'EXECUTE'], ['Repl_slave_priv', 'REPLICATION SLAVE'],
  ['Repl_client_priv', 'REPLICATION CLIENT'], ['Create_view_priv', 'CREATE VIEW'], ['Show_view_priv', 'SHOW VIEW'],
  ['Create_routine_priv', 'CREATE ROUTINE'], ['Alter_routine_priv', 'ALTER ROUTINE'],
  ['Create_user_priv', 'CREATE USER'], ['Event_priv', 'EVENT'], ['Trigger_priv', 'TRIGGER'],
  ['Create_tablespace_priv', 'CREATE TABLESPACE'], ['Create_role_priv', 'CREATE ROLE'], ['Drop_role_priv', 'DROP ROLE'],
];

/** The `X_priv` columns of mysql.db, in column order. @req CORE-PRIV-001 */
export const DB_PRIV_COLUMNS: readonly [string, string][] = [
  ['Select_priv', 'SELECT'], ['Insert_priv', 'INSERT'], ['Update_priv', 'UPDATE'], ['Delete_priv', 'DELETE'],
  ['Create_priv', 'CREATE'], ['Drop_priv', 'DROP'], ['Grant_priv', GRANT_OPTION], ['References_priv', 'REFERENCES'],
  ['Index_priv', 'INDEX'], ['Alter_priv', 'ALTER'], ['Create_tmp_table_priv', 'CREATE TEMPORARY TABLES'],
  ['Lock_tables_priv', 'LOCK TABLES'], ['Create_view_priv', 'CREATE VIEW'], ['Show_view_priv', 'SHOW VIEW'],
  ['Create_routine_priv', 'CREATE ROUTINE'], ['Alter_routine_priv', 'ALTER ROUTINE'], ['Execute_priv', 'EXECUTE'],
  ['Event_priv', 'EVENT'], ['Trigger_priv', 'TRIGGER'],
];

/** Table_priv SET members in mysql.tables_priv order ('Grant' = GRANT OPTION). */
export const TABLE_PRIV_SET_NAMES: readonly [string, string][] = [
  ['Select', 'SELECT'], ['Insert', 'INSERT'], ['Update', 'UPDATE'], ['Delete', 'DELETE'], ['Create', 'CREATE'],
  ['Drop', 'DROP'], ['Grant', GRANT_OPTION], ['References', 'REFERENCES'], ['Index', 'INDEX'], ['Alter', 'ALTER'],
  ['Create View', 'CREATE VIEW'], ['Show view', 'SHOW VIEW'], ['Trigger', 'TRIGGER'],
];
/** Column_priv SET members in mysql.columns_priv order. */
export const COLUMN_PRIV_SET_NAMES: readonly [string, string][] = [
  ['Select', 'SELECT'], ['Insert', 'INSERT'], ['Update', 'UPDATE'], ['References', 'REFERENCES'],
];

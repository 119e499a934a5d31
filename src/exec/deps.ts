/**
 * What the executor needs from the rest of the server. The server helper composes the runtime
 * (system variable registry, catalog, accounts, engines) and hands it to
 * {@link createServerContext}; the executor only sees these narrow interfaces, so each
 * subsystem can evolve behind them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
 * @req CORE-EXEC-001
 */
import type { TableDef } from '../catalog/table-def.js';
import type { VirtualTable } from '../catalog/virtual-table.js';
import type { StorageEngine, TableHandler } from '../storage/handler.js';
import type { SelectStatement, Statement } from '../sql/ast.js';
import type { AuthAccount, ConnectionInfo, StatementResult } from './session-api.js';
import type { ExecSession } from './exec-session.js';
import type { SysVarRegistry } from '../server/sysvars/index.js';
import type { Diagnostic } from '../sql/errors.js';

export type VarScope = 'default' | 'global' | 'session' | 'persist' | 'persist_only';

/** The system variable registry is the server helper's {@link SysVarRegistry}; sessions hold a
 *  {@link SessionVars} created from it. */
export type SysvarApi = SysVarRegistry;

/** A table as the executor opens it: either a stored table with its handler or a computed one. */
export type OpenedTable =
  | { kind: 'base'; def: TableDef; handler: TableHandler; engine: StorageEngine }
  | { kind: 'virtual'; def: TableDef; table: VirtualTable }
  /** A view: the executor expands its query like a derived table named after the view. */
  | { kind: 'view'; def: TableDef; query: SelectStatement; columns?: string[] };

/** The catalog (ddl helper). */
export interface CatalogApi {
  schemaExists(name: string): boolean;
  /** Resolve a table for a session (temporary tables of that session shadow base tables);
   *  undefined when absent. Views are not handled here. */
  openTable(session: ExecSession, schema: string, name: string): Promise<OpenedTable | undefined>;
  /** All engines (for transactions: every engine with `beginTransaction`). */
  engineByName(name: string): StorageEngine | undefined;
  /** Drop the session's temporary tables (connection end / reset). */
  dropTemporaryTables?(session: ExecSession): Promise<void>;
}

/** Privileges (accounts helper). Checks throw SqlError 1044/1142/1143/1227 with exact texts. */
export interface AccountsApi {
  findAccount(user: string, conn: ConnectionInfo): AuthAccount | null;
  hostKnown(conn: ConnectionInfo): boolean;
  /** Check one privilege on a table for the session's identity (`table` undefined = schema level). */
  checkTable(session: ExecSession, priv: string, schema: string, table: string, command?: string): void;
  /** Whether the session holds a global/dynamic privilege. */
  hasGlobal(session: ExecSession, priv: string): boolean;
  /** Check schema-level access for USE / COM_INIT_DB (1044). */
  checkSchemaAccess(session: ExecSession, schema: string): void;
  /** Run an account-management statement (CREATE USER, GRANT, SET PASSWORD, SET ROLE, FLUSH PRIVILEGES...). */
  execute?(session: ExecSession, stmt: Statement): Promise<StatementResult>;
  /** Active roles after login (default roles). */
  defaultRoles?(account: AuthAccount, user: string): string[];
}

/** Statement families executed by other helpers. */
export interface DelegatesApi {
  executeDdl?(session: ExecSession, stmt: Statement): Promise<StatementResult>;
  executeShow?(session: ExecSession, stmt: Statement): Promise<StatementResult>;
}

/** START / STOP GROUP_REPLICATION (src/group-replication), with what they need of the session. */
export interface GroupReplicationApi {
  execute(
    head: 'START GROUP_REPLICATION' | 'STOP GROUP_REPLICATION',
    ctx: { hasPrivilege(priv: string): boolean; warn(d: Diagnostic): void; lockedOrInTransaction: boolean },
  ): Promise<void>;
}

export interface ExecDeps {
  version: string;
  serverId: number;
  sysvars: SysvarApi;
  catalog: CatalogApi;
  accounts: AccountsApi;
  delegates?: DelegatesApi;
  log(level: 'System' | 'Error' | 'Warning' | 'Note', code: string, subsystem: string, message: string): void;
  /** SHUTDOWN statement: stop the server (after the OK was sent). */
  shutdown?(user?: string): void;
  /** The group_replication plugin's statements (absent: ER_NOT_SUPPORTED_YET). */
  groupReplication?: GroupReplicationApi;
}

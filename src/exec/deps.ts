/**
 * What the executor needs from the rest of the server. The server helper composes the runtime
 * (system variable registry, catalog, accounts, engines) and hands it to
 * {@link createServerContext}; the executor only sees these narrow interfaces, so each
 * subsystem can evolve behind them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
 * @req CORE-EXEC-001
 */
import type { RowChangeObservers } from './write/row-change.js';
import type { AccountsApi } from '../accounts/accounts-api.js';
import type { CatalogApi } from '../catalog/catalog-api.js';
import type { Statement } from '../sql/ast.js';
import type { StatementResult } from '../kernel/protocol-port.js';
import type { ExecSession } from './exec-session.js';
import type { SysVarRegistry } from '../server/sysvars/index.js';
import type { Diagnostic } from '../kernel/errors.js';
import type { ServerTransactions } from './txn/server-transactions.js';
import type { ForeignServer } from '../kernel/remote-sql-port.js';
import type { QueryLogPort } from './logs/query-log-port.js';

/** The foreign servers of CREATE SERVER (mysql.servers), as the server statements change them. */
export interface ForeignServersApi {
  lookup(name: string): ForeignServer | undefined;
  /** Store a new or changed server; durable when it resolves. */
  save(server: ForeignServer): Promise<void>;
  remove(name: string): Promise<void>;
  /** Read mysql.servers again (FLUSH PRIVILEGES). */
  reload(): Promise<void>;
}

export type VarScope = 'default' | 'global' | 'session' | 'persist' | 'persist_only';

/** The system variable registry is the server helper's {@link SysVarRegistry}; sessions hold a
 *  {@link SessionVars} created from it. */
export type SysvarApi = SysVarRegistry;

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
  /** Server-wide transaction services: XA registry, internal XIDs, the transaction-coordinator
   *  log and group commit (absent: a volatile set per deps, see txn/server-transactions.ts). */
  transactions?: ServerTransactions;
  /** The server's row-change observers: every row the table writer changes is reported here
   *  (absent: nobody observes). @req CORE-WRITE-002 */
  rowChanges?: RowChangeObservers;
  /** CREATE / ALTER / DROP SERVER and the FEDERATED engine's server names (absent: those
   *  statements are not supported). @req FEDERATED-052 */
  foreignServers?: ForeignServersApi;
  /** The event scheduler, told when CREATE/ALTER/DROP EVENT change what it runs (set once the
   *  server context exists). @req CORE-EVT-006 */
  events?: {
    changed(): void;
    /** The scheduler's own PROCESSLIST row while it runs. */
    threadRow?(): { id: number; since: number; state: string } | null;
    /** Whether a connection id is a session running an event body (Command `Connect`). */
    isEventSession?(connectionId: number): boolean;
  };
  /** The general and slow query logs (absent: nothing is logged). @req CORE-LOG-001 */
  queryLog?: QueryLogPort;
  /** FLUSH STATUS: zero the server's status counters (absent: nothing to zero). */
  flushStatus?(session: ExecSession): void;
  /** FLUSH HOSTS: empty the host cache (absent: there is none). */
  flushHosts?(): void;
}

/**
 * Composition of the other subsystems into a running server: engines and the plugin registry,
 * the catalog, accounts, the executor's ServerContext, and the protocol handler.
 *
 * Every subsystem is imported statically. Composition-only glue lives here: the
 * default_storage_engine validator, the SHOW VARIABLES/STATUS services, Questions/Com_* counting
 * around client sessions, init_connect, and the grant-table views.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-administration.html
 * @req CORE-SRV-011
 */
import { RowChangeObservers } from '../exec/write/row-change.js';
import type { TableDef } from '../kernel/table-def.js';
import type { Socket } from 'node:net';
import { Acl } from '../accounts/acl.js';
import { createAccountsApi } from '../accounts/exec-adapter.js';
import { accountsDdlServices } from '../accounts/ddl-services.js';
import { runSelectForDdl } from '../exec/query/select.js';
import { canSeeSchema, canSeeTable } from '../accounts/privileges.js';
import { Catalog } from '../catalog/catalog.js';
import { TableDictionaryStore } from '../catalog/table-dictionary-store.js';
import { GrantTableStore } from '../accounts/grant-table-store.js';
import { ForeignServerStore, SERVERS_TABLE_DEF } from '../catalog/foreign-servers.js';
import type { ForeignServerDirectory } from '../kernel/remote-sql-port.js';
import { type VirtualTable } from '../catalog/virtual-table.js';
import { initialAclState } from '../accounts/initialize.js';
import { createDdlDelegates } from '../exec/ddl/index.js';
import type { DelegatesApi, ExecDeps } from '../exec/deps.js';
import { createServerContext, type ExecServerContext } from '../exec/server-context.js';
import { createServerEvents, type ServerEvents } from '../exec/events/server-events.js';
import { registerPerfSchema } from '../exec/perfschema/register.js';
import { createPluginRegistry } from '../plugins/builtin.js';
import { GroupReplicationPlugin } from '../group-replication/plugin.js';
import { groupReplicationApi, groupReplicationLibrary } from '../group-replication/library.js';
import { loadPluginItems, type PluginLoadItem } from '../plugins/plugin-load.js';
import { attachInnodbObservability } from '../plugins/innodb-observability.js';
import { replicationGroupMembersTable } from '../group-replication/members-table.js';
import type { PluginModule, PluginRegistry } from '../plugins/registry.js';
import { startTransactions } from '../exec/txn/startup.js';
import { clearAuthCache, createProtocolHandler, type ProtocolOptions } from '../protocol/listener.js';
import { duplicateDescriptor } from '../netns/namespace.js';
import { ensureTlsMaterial } from '../protocol/tls-material.js';
import type { Value } from '../kernel/value.js';
import type { ErrorLog } from './error-log.js';
import type { SysVarRegistry } from './sysvars/registry.js';
import { showStatus, showVariables } from './sysvars/show.js';
import { comCounterFor, isSessionStatus, type SessionStatus, type StatusRegistry } from './sysvars/status.js';
import type { AuthAccount, PreparedStatementInfo, SessionApi, StatementResult } from '../kernel/protocol-port.js';
import { collectRows } from '../kernel/row-stream.js';
import { QueryLogger } from './logs/query-logger.js';
import { logFileNameValidator } from './logs/log-file.js';
import { ensureLogAndHelpTables } from './logs/system-tables.js';
import { SERVER_VERSION, VERSION_COMMENT } from './sysvars/limits.js';

/** What the protocol handler accepts per connection. */
export interface ListenerInfo {
  transport: 'tcp' | 'socket';
  namespace: string;
}

/** The protocol helper's handler (src/protocol/listener.ts). */
export interface ProtocolHandlerLike {
  handle(socket: Socket, info: ListenerInfo): void;
  closeAll(reason: string): Promise<void>;
}

/** Everything the server starts and stops. */
export interface Runtime {
  context: ExecServerContext;
  protocol: ProtocolHandlerLike;
  catalog: Catalog | null;
  plugins: PluginRegistry;
  /** Flush dictionary and close engine handlers (shutdown). */
  flush(): Promise<void>;
  /** Human-readable names of missing subsystems (logged as warnings). */
  missing: string[];
  /** Whether TLS material is in place (the greeting offers SSL). */
  tls: boolean;
}

export interface ComposeEnv {
  datadir: string;
  registry: SysVarRegistry;
  status: StatusRegistry;
  log: ErrorLog;
  version: string;
  /** The SHUTDOWN statement hook. */
  shutdown(user: string): void;
  /** Plugins named by --plugin-load / --plugin-load-add, loaded after mysql.plugin's. */
  pluginLoad?: PluginLoadItem[];
  /** Built-in plugins the embedding program adds (tests' engines). */
  extraPlugins?: PluginModule[];
  /** The server's row-change observers (the binary log and plugins attach here). @req CORE-WRITE-002 */
  rowChanges?: RowChangeObservers;
  /** --log-tc and --log-tc-size: the transaction-coordinator log file. */
  logTc?: string;
  logTcSize?: number;
  /** --federated: the FEDERATED engine is enabled (compiled in, off by default). @req FEDERATED-003 */
  federated?: boolean;
}

/** protocol: certificates and RSA key pair in the datadir, in the handler's option shape. */
export async function ensureTls(datadir: string): Promise<ProtocolOptions | null> {
  try {
    const m = await ensureTlsMaterial(datadir);
    return {
      tls: { key: m.key, cert: m.cert, ca: m.ca },
      rsa: { privateKeyPem: m.rsaPrivate, publicKeyPem: m.rsaPublic },
    };
  } catch {
    return null;
  }
}

/**
 * accounts: create root@localhost and the reserved accounts in the grant tables (mysql.user,
 * ...). A generated (temporary) root password is marked expired, as `mysqld --initialize` does:
 * the first session must change it before doing anything else.
 * @req CORE-SRV-021 CORE-DICT-019
 */
export async function initAccounts(datadir: string, rootPassword: string, registry: SysVarRegistry): Promise<boolean> {
  const globalVar = (n: string): Value => registry.global(n);
  const plugins = createPluginRegistry({ globalVar });
  const cat = await Catalog.open(datadir, plugins, { globalVar, ...dictionaryStore(datadir, plugins, globalVar) });
  try {
    const acl = await openAcl(datadir, cat, plugins, globalVar);
    const initial = initialAclState({ rootPassword });
    if (rootPassword !== '') {
      for (const u of initial.users) if (u.user === 'root' && u.host === 'localhost') u.passwordExpired = true;
    }
    if (acl.state.users.length === 0) await acl.update((draft) => Object.assign(draft, initial));
    await acl.close();
    // mysql.servers is created with the other system tables, so that a normal start runs no DDL.
    await openForeignServers(datadir, cat, plugins, globalVar);
  } finally {
    await cat.close();
  }
  return true;
}

/** The system tables of the `mysql` schema as the stores over them find and create them. */
function systemTableCatalog(catalog: Catalog): { table(schema: string, name: string): TableDef | undefined; create(template: TableDef): Promise<TableDef> } {
  return {
    table: (schema: string, name: string) => catalog.getBaseTable(schema, name),
    create: async (template: TableDef): Promise<TableDef> => {
      await catalog.createTable(null, { ...template, id: catalog.nextTableId(), createTime: Date.now() });
      return catalog.getBaseTable('mysql', template.name)!;
    },
  };
}

/**
 * The server's ACL over the grant tables of the InnoDB dictionary, created when missing (and
 * filled from mysql/acl.json when the data directory has one). Where the dictionary is not in
 * InnoDB tables (no InnoDB, or a read-only InnoDB that has none yet) the ACL stays in acl.json.
 * @req CORE-DICT-019
 */
async function openAcl(datadir: string, catalog: Catalog, plugins: PluginRegistry, globalVar: (n: string) => Value): Promise<Acl> {
  const innodb = plugins.engine('InnoDB');
  if (!innodb || !(catalog.store instanceof TableDictionaryStore) || !catalog.store.inTables) return Acl.open(datadir);
  const tables = systemTableCatalog(catalog);
  let store: GrantTableStore;
  try {
    store = await GrantTableStore.open(datadir, tables, innodb, globalVar);
  } catch (e) {
    // A read-only InnoDB (innodb_read_only, innodb_force_recovery >= 4) cannot create the
    // grant tables of a data directory that has none: its acl.json serves, unimported.
    if (catalog.getBaseTable('mysql', 'user')) throw e;
    return Acl.open(datadir);
  }
  return Acl.load(datadir, store);
}

/**
 * The foreign servers of CREATE SERVER in mysql.servers (an InnoDB table of the dictionary,
 * created when missing), or in mysql/servers.json where the dictionary is not in InnoDB tables;
 * there mysql.servers is a read-only view. @req FEDERATED-052
 */
async function openForeignServers(datadir: string, catalog: Catalog, plugins: PluginRegistry, globalVar: (n: string) => Value): Promise<ForeignServerStore> {
  const innodb = plugins.engine('InnoDB');
  const fileStore = async (): Promise<ForeignServerStore> => {
    const store = await ForeignServerStore.openFile(datadir);
    if (!catalog.getBaseTable('mysql', 'servers')) catalog.registerVirtualTable('mysql', serversView(store));
    return store;
  };
  if (!innodb || !(catalog.store instanceof TableDictionaryStore) || !catalog.store.inTables) return fileStore();
  try {
    return await ForeignServerStore.openTables(systemTableCatalog(catalog), innodb, globalVar);
  } catch (e) {
    // A read-only InnoDB cannot create mysql.servers in a data directory that has none.
    if (catalog.getBaseTable('mysql', 'servers')) throw e;
    return fileStore();
  }
}

function serversView(store: ForeignServerStore): VirtualTable {
  return {
    def: SERVERS_TABLE_DEF,
    rows: () => store.list().map((s) => [s.name, s.host, s.db, s.user, s.password, BigInt(s.port), s.socket, s.wrapper, s.owner]),
  };
}

/**
 * Initialisation: the log tables and the (empty) help tables, created by a runtime composed
 * for the purpose and closed again (composeRuntime creates whatever is missing).
 * @req CORE-LOG-025 CORE-LOG-031
 */
export async function initSystemTables(datadir: string, registry: SysVarRegistry, log: ErrorLog): Promise<void> {
  const rt = await composeRuntime({ datadir, registry, status: registry.status, log, version: SERVER_VERSION, shutdown: () => undefined });
  try {
    await rt.protocol.closeAll('shutdown');
  } finally {
    await rt.flush();
  }
}

/** ddl: the catalog creates the system schemas when it first opens a data directory. */
export async function initCatalog(datadir: string, registry: SysVarRegistry): Promise<boolean> {
  const plugins = createPluginRegistry({ globalVar: (n) => registry.global(n) });
  const globalVar = (n: string): Value => registry.global(n);
  const cat = await Catalog.open(datadir, plugins, { globalVar, ...dictionaryStore(datadir, plugins, globalVar) });
  await cat.close();
  return true;
}

/**
 * The data dictionary lives in InnoDB tables (mysql.schemata, mysql.tables, ...), as in MySQL
 * 8.0; without InnoDB the catalog keeps its JSON store. @req CORE-DICT-015
 */
function dictionaryStore(
  datadir: string,
  plugins: PluginRegistry,
  globalVar: (n: string) => Value,
  log?: (level: 'Note' | 'Warning' | 'System', message: string) => void,
): { store?: TableDictionaryStore } {
  const innodb = plugins.engine('InnoDB');
  return innodb ? { store: new TableDictionaryStore(datadir, innodb, { globalVar, ...(log ? { log } : {}) }) } : {};
}

/**
 * Build the runtime.
 * @req CORE-SRV-011
 */
export async function composeRuntime(env: ComposeEnv): Promise<Runtime> {
  const missing: string[] = [];
  const { registry } = env;
  const globalVar = (n: string): Value => registry.global(n);
  // group_replication.so: its plugin defines its variables when loaded and logs like MySQL's.
  const groupReplication = new GroupReplicationPlugin({
    registry,
    log: (level, code, subsystem, message) => env.log.log(level, code, subsystem, message),
  });
  // FEDERATED resolves server names through the store opened once the catalog is. @req FEDERATED-051
  let foreignServers: ForeignServerStore | null = null;
  const serverDirectory: ForeignServerDirectory = { lookup: (name) => foreignServers?.lookup(name) };
  const plugins = createPluginRegistry({
    globalVar,
    log: (level, code, subsystem, message) => env.log.log(level, code, subsystem, message),
    print: (text) => env.log.raw(text),
    libraries: [groupReplicationLibrary(groupReplication)],
    extra: env.extraPlugins ?? [],
    federated: { enabled: env.federated === true, servers: serverDirectory },
  });
  // ENGINE-SET-004: default_storage_engine must name a usable engine (1286 otherwise).
  const engineCheck = (v: Value): Value => plugins.requireEngine(v).name;
  registry.setValidator('default_storage_engine', engineCheck);
  registry.setValidator('default_tmp_storage_engine', engineCheck);
  const catalog = await Catalog.open(env.datadir, plugins, {
    globalVar,
    ...dictionaryStore(env.datadir, plugins, globalVar, (level, message) => env.log.log(level, 'MY-010000', 'Server', message)),
  });
  catalog.registerVirtualTable('performance_schema', replicationGroupMembersTable(groupReplication, env.version));
  loadPluginItems(plugins, env.pluginLoad ?? [], String(registry.global('plugin_dir') ?? ''), (code, message) => env.log.error(code, message));
  // Prepared transactions the engines hold are resolved before anyone connects (CORE-TXN-032).
  const transactions = await startTransactions({
    datadir: env.datadir,
    serverId: Number(registry.global('server_id')),
    engines: () => plugins.engines(),
    ...(env.logTc !== undefined ? { logTc: env.logTc } : {}),
    ...(env.logTcSize !== undefined ? { logTcSize: env.logTcSize } : {}),
    log: (level, code, message) => env.log.log(level, code, 'Server', message),
  });
  const acl = await openAcl(env.datadir, catalog, plugins, globalVar);
  const servers = await openForeignServers(env.datadir, catalog, plugins, globalVar);
  foreignServers = servers;
  // GRANT ... ON db.t accepts base tables, views and the computed system tables alike.
  const tableDefFor = (db: string, table: string): TableDef | undefined =>
    catalog.getBaseTable(db, table) ?? catalog.getVirtualTable(db, table)?.def;
  const accountsApi = createAccountsApi(acl, {
    tableExists: (db, table) => tableDefFor(db, table) !== undefined || catalog.getView(db, table) !== undefined,
    columnExists: (db, table, column) =>
      tableDefFor(db, table)?.columns.some((c) => c.name.toLowerCase() === column.toLowerCase()) ?? false,
    globalVar,
  });
  // A changed or dropped credential must not keep its caching_sha2_password fast-auth entry.
  acl.onCredentialsChanged((a) => (a ? clearAuthCache(a.user, a.host) : clearAuthCache()));

  const accountsDdl = accountsDdlServices(acl, (session) => accountsApi.securityContext(session));
  // mysql.user, mysql.db, ...: stored tables, or views over the ACL where it is kept in acl.json.
  if (!catalog.getBaseTable('mysql', 'user')) for (const vt of accountsDdl.grantTables) catalog.registerVirtualTable('mysql', vt);
  let context: ExecServerContext | null = null;
  let events: ServerEvents | undefined;
  /** The event scheduler's own PROCESSLIST row while it runs. @req CORE-EVT-010 */
  const schedulerRow = () => {
    const t = events?.scheduler.threadInfo();
    if (!t) return [];
    return [{ id: t.id, user: 'event_scheduler', host: 'localhost', db: null, command: 'Daemon', time: Math.floor((Date.now() - t.since) / 1000), state: t.state, info: null }];
  };
  // Per-session status counters until the executor keeps its own (registry.status.newSession()).
  const sessionStatus = new WeakMap<object, SessionStatus>();
  const sessionStatusOf = (session: object): SessionStatus => {
    let st = sessionStatus.get(session);
    if (!st) {
      st = registry.status.newSession();
      sessionStatus.set(session, st);
    }
    return st;
  };
  const rowChanges = env.rowChanges ?? new RowChangeObservers();
  const ddl = createDdlDelegates({
    rowChanges,
    catalog,
    runSelect: runSelectForDdl,
    privilegeRows: (kind) => accountsDdl.privilegeRows(kind),
    // SHOW VARIABLES and performance_schema.*_variables show the display form (ON/OFF, '' for NULL).
    globalVariables: () => showVariables(registry, null, 'global').map(([n, v]) => [String(n), v] as [string, Value]),
    sessionVariables: (s) => {
      const session = context?.registry.get(s.connectionId);
      if (!session) return [];
      return showVariables(registry, session.sessionVars, 'session').map(([n, v]) => [String(n), v] as [string, Value]);
    },
    statusVariables: (session, scope) =>
      showStatus(registry.status, sessionStatusOf(session), scope).map(([n, v]) => [String(n), v] as [string, Value]),
    checkTable: (session, priv, schema, table) => accountsApi.checkTable(session, priv, schema, table ?? ''),
    canSee: (session, schema, table) => {
      const ctx = accountsApi.securityContext(session);
      return table === undefined ? canSeeSchema(ctx, schema) : canSeeTable(ctx, schema, table);
    },
    processList: () => [
      ...schedulerRow(),
      ...(context?.registry.list() ?? []).map((s) => ({
        id: s.connectionId,
        user: s.user,
        host: s.conn.transport === 'socket' ? 'localhost' : `${s.host}:${s.conn.remotePort}`,
        db: s.schema,
        // A session running an event body shows as MySQL's event threads do. @req CORE-EVT-010
        command: events?.eventSessions.has(s.connectionId) ? 'Connect' : s.command,
        time: Math.floor((Date.now() - (s.command === 'Sleep' ? s.startedAt : s.statementStartedAt)) / 1000),
        // While a statement waits for a lock, State says which (Waiting for table metadata lock, ...).
        state: s.locks.waitState() ?? (s.command === 'Sleep' ? '' : (s.stage ?? 'executing')),
        info: s.currentStatement,
      })),
    ],
  });
  const delegates: DelegatesApi = { ...ddl };
  // The general and slow query logs (files and the mysql.*_log tables). @req CORE-LOG-001
  registry.setValidator('general_log_file', logFileNameValidator(env.datadir, 'general_log_file'));
  registry.setValidator('slow_query_log_file', logFileNameValidator(env.datadir, 'slow_query_log_file'));
  const queryLog = new QueryLogger({
    datadir: env.datadir,
    globalVar,
    onGlobalChange: (l) => registry.onGlobalChange(l),
    header: () => ({
      program: process.argv[1] ?? 'mysqld',
      version: env.version,
      comment: VERSION_COMMENT,
      port: Number(registry.global('port') ?? 0),
      socket: String(registry.global('socket') ?? ''),
    }),
    tableDef: (name) => catalog.getBaseTable('mysql', name),
    engine: (name) => plugins.engine(name),
    error: (message) => env.log.error('MY-010000', message),
  });
  const deps: ExecDeps = {
    version: env.version,
    serverId: Number(registry.global('server_id')),
    sysvars: registry,
    catalog,
    accounts: accountsApi,
    delegates,
    log: (level, code, subsystem, message) => env.log.log(level, code, subsystem, message),
    // Deferred so the SHUTDOWN statement's OK packet goes out before connections are closed.
    shutdown: (user?: string) => void setImmediate(() => env.shutdown(user ?? 'root')),
    groupReplication: groupReplicationApi(groupReplication),
    transactions,
    rowChanges,
    foreignServers: servers,
    queryLog,
    // FLUSH STATUS: the session's counters start again (they are already in the totals), and
    // Max_used_connections becomes the number of connections now. @req CORE-LOG-024
    flushStatus: (session) => {
      sessionStatusOf(session).counters.clear();
      registry.status.set('Max_used_connections', BigInt(context?.connectionCount() ?? 0));
      registry.status.markFlushed();
    },
  };
  /**
   * init_connect runs for every new session of an account without CONNECTION_ADMIN or SUPER;
   * when it fails, the connection is refused with its error.
   * @req CORE-SRV-014
   */
  const runInitConnect = async (session: SessionApi): Promise<void> => {
    const text = registry.global('init_connect');
    if (typeof text !== 'string' || text.trim() === '') return;
    const execSession = context?.registry.get(session.connectionId);
    if (!execSession || accountsApi.hasGlobal(execSession, 'CONNECTION_ADMIN') || accountsApi.hasGlobal(execSession, 'SUPER')) return;
    try {
      // Results are discarded, but each statement runs to its end (rows included).
      for await (const r of session.query(text, { multiStatements: true })) if (r.kind === 'rows') await collectRows(r.rows);
    } catch (err) {
      env.log.warning('MY-010914', `Aborted connection ${session.connectionId} to db: '${session.schema ?? 'unconnected'}' user: '${execSession.user}' host: '${execSession.host}' (init_connect command failed).`);
      await session.close();
      throw err;
    }
  };
  context = createServerContext(deps);
  const raw = context;
  events = createServerEvents(raw);
  registry.onGlobalChange((name, v) => {
    if (name === 'event_scheduler') events?.apply(String(v));
  });
  // performance_schema reads the same status and variables as SHOW STATUS / SHOW VARIABLES. @req CORE-PFS-002 CORE-PFS-003
  const named = (rows: unknown[][]): [string, Value][] => rows.map(([n, v]) => [String(n), v as Value]);
  registerPerfSchema(catalog, raw.registry, deps, {
    globalStatus: () => named(showStatus(registry.status, null, 'global')),
    sessionStatus: (s) => named(showStatus(registry.status, sessionStatusOf(s), 'session')),
    threadStatus: (s) => named(showStatus(registry.status, sessionStatusOf(s), 'session')).filter(([n]) => isSessionStatus(n)),
    globalVariables: () => named(showVariables(registry, null, 'global')),
    sessionVariables: (s) => named(showVariables(registry, s.sessionVars, 'session')),
    hasSessionScope: (n) => registry.lookup(n)?.scope !== 'global',
    persisted: () => registry.persistedValues(),
  });
  // A data directory from before the log and help tables existed gets them now. @req CORE-LOG-025 CORE-LOG-031
  await ensureLogAndHelpTables({
    context: raw,
    tableExists: (schema, name) => catalog.getBaseTable(schema, name) !== undefined,
    hasEngine: (name) => plugins.engine(name) !== undefined,
    log: (message) => env.log.warning('MY-010000', message),
  });
  // Count Questions and Com_* for every client statement (SHOW STATUS), around the executor's sessions.
  context = Object.assign(Object.create(raw) as ExecServerContext, {
    async openSession(...args: Parameters<ExecServerContext['openSession']>): Promise<SessionApi> {
      const session = await raw.openSession(...args);
      await runInitConnect(session);
      const st = sessionStatusOf(session);
      // Ssl_version / Ssl_cipher: the TLS upgrade happens before authentication, so it is known now.
      const conn = args[0];
      st.setText('Ssl_version', conn.tls ? (conn.tlsVersion ?? '') : '');
      st.setText('Ssl_cipher', conn.tls ? (conn.tlsCipher ?? '') : '');
      return new CountingSession(session, st);
    },
  });
  // InnoDB's monitor, INNODB_* tables, data_locks, Innodb_* status and periodic monitor output.
  const innodbObservability = attachInnodbObservability({
    engine: plugins.plugin('InnoDB')?.engine,
    session: (id) => raw.registry.get(id),
    sessions: () => raw.registry.list(),
    queries: (id) => {
      const s = raw.registry.get(id);
      return s ? Number(sessionStatusOf(s).get('Questions')) : 0;
    },
    registerTable: (schema, vt) => catalog.registerVirtualTable(schema, vt),
    statusGauge: (name, read) => registry.status.gauge(name, read),
    statusText: (name, read) => registry.status.textGauge(name, read),
    print: (text) => env.log.raw(text),
    warn: (code, message) => env.log.log('Warning', code, 'InnoDB', message),
    version: env.version,
  });
  // The scheduler starts with the server when event_scheduler is ON (the default). @req CORE-EVT-005
  events.apply(String(registry.global('event_scheduler') ?? 'OFF'));
  const tls = await ensureTls(env.datadir);
  if (tls === null) missing.push('TLS material (ensureTlsMaterial failed): TLS not offered');
  // --io-threads: client sockets move to I/O threads after login. CORE-PERF-020
  const protocol = createProtocolHandler(context, { ...(tls ?? {}), ioThreads: Number(registry.global('io_threads') ?? 0), duplicateDescriptor });
  // How many client connections an I/O thread serves now (shown only with --io-threads). CORE-PERF-024
  if (protocol.ioThreads > 0) registry.status.gauge('Io_threads_connections', () => BigInt(protocol.ioConnections));
  return {
    context,
    protocol,
    catalog,
    plugins,
    flush: async () => {
      await events?.stop();
      innodbObservability.stop();
      queryLog.close();
      await groupReplication.shutdown();
      await servers.close();
      await catalog.close();
      await transactions.tcLog.close();
    },
    missing,
    tls: tls !== null,
  };
}

/**
 * The session as the protocol sees it, with COM_QUERY and COM_STMT_* counted into the session's
 * (and the server's) status counters. Everything else goes straight to the executor's session;
 * the forwarding is spelled out (not a Proxy) because it runs for every command.
 * @req CORE-SYSVAR-013
 */
class CountingSession implements SessionApi {
  constructor(
    private readonly inner: SessionApi,
    private readonly status: SessionStatus,
  ) {}

  get connectionId(): number {
    return this.inner.connectionId;
  }
  get schema(): string | null {
    return this.inner.schema;
  }
  statusFlags(): number {
    return this.inner.statusFlags();
  }
  warningCount(): number {
    return this.inner.warningCount();
  }
  query(sql: string, opts: { multiStatements: boolean }): AsyncIterable<StatementResult> {
    this.status.add('Questions');
    this.status.add('Queries');
    const com = comCounterFor(sql);
    if (com) this.status.add(com);
    return this.inner.query(sql, opts);
  }
  useSchema(name: string): Promise<void> {
    return this.inner.useSchema(name);
  }
  prepare(sql: string): Promise<PreparedStatementInfo> {
    this.status.add('Com_stmt_prepare');
    return this.inner.prepare(sql);
  }
  executePrepared(id: number, params: Value[]): Promise<StatementResult> {
    this.status.add('Questions');
    this.status.add('Queries');
    this.status.add('Com_stmt_execute');
    return this.inner.executePrepared(id, params);
  }
  closePrepared(id: number): void {
    this.inner.closePrepared(id);
  }
  resetPrepared(id: number): void {
    this.inner.resetPrepared(id);
  }
  preparedInfo(id: number): PreparedStatementInfo | undefined {
    return this.inner.preparedInfo(id);
  }
  reset(): Promise<void> {
    return this.inner.reset();
  }
  changeUser(account: AuthAccount, user: string, schema: string | null): Promise<void> {
    return this.inner.changeUser(account, user, schema);
  }
  interrupt(): void {
    this.inner.interrupt();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  sysvar(name: string): Value {
    return this.inner.sysvar?.(name) ?? null;
  }
  logCommand(command: number, argument: string): void {
    this.inner.logCommand?.(command, argument);
  }
  refresh(options: number): Promise<void> {
    this.status.add('Com_flush');
    if (!this.inner.refresh) return Promise.reject(new Error('COM_REFRESH is not available'));
    return this.inner.refresh(options);
  }
}

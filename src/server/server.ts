/**
 * Server startup and shutdown: options and option files -> system variables -> error log ->
 * data directory (initialising it on first start) -> subsystems -> TCP and Unix-socket
 * listeners -> pid file -> init_file -> "ready for connections". Shutdown (SIGTERM, SIGINT,
 * the SHUTDOWN statement, or {@link RunningServer.stop}) reverses it and logs like mysqld.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-administration.html
 * TCP listeners (bind_address lists, namespaces, the administrative interface and the reserved
 * X Plugin listener) live in ./listen/.
 *
 * @req CORE-SRV-001 CORE-SRV-005 CORE-SRV-006 CORE-SRV-007 CORE-SRV-012 CORE-SRV-013 NETNS-040
 */
import { internalConnection, internalRootAccount } from '../exec/internal-session.js';
import { RowChangeObservers } from '../exec/write/row-change.js';
import { existsSync, mkdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { SqlError } from '../kernel/errors.js';
import { composeRuntime, ensureTls, initAccounts, initCatalog, initSystemTables, type Runtime } from './compose.js';
import { StartupError, dirHasFiles, ensureServerUuid, initializeDataDirectory } from './datadir.js';
import { ErrorLog, LogCode } from './error-log.js';
import { OptionError, applyOptionSettings, parseServerOptions, type ServerOptions } from './options.js';
import { SysVarRegistry } from './sysvars/registry.js';
import type { StatusRegistry } from './sysvars/status.js';
import { SERVER_VERSION, VERSION_COMMENT } from './sysvars/limits.js';
import { SHUTDOWN_GRACE_MS } from './limits.js';
import { predefinePluginVariables } from '../plugins/builtin.js';
import type { PluginModule } from '../plugins/registry.js';
import { installedPluginItems, pluginLoadItems } from '../plugins/plugin-load.js';
import { ListenerStartupError, openClassicListeners, openMysqlx, type ListenerSet } from './listen/listener-set.js';
import { DEFAULT_BACKLOG } from './listen/limits.js';

export { StartupError } from './datadir.js';

export interface StartServerOptions {
  /** Command-line arguments (without node and script). */
  argv?: readonly string[];
  /** Base for relative paths (datadir default `./data`). */
  cwd?: string;
  /** Program path printed in log lines (default: process.argv[1]). */
  program?: string;
  /** Use this log instead of opening --log-error (tests). */
  log?: ErrorLog;
  /** Install SIGTERM/SIGINT handlers (the refmysqld binary does; in-process tests do not). */
  handleSignals?: boolean;
  /** Called after a shutdown that was not requested through stop() (signal, SHUTDOWN). */
  onShutdown?: (exitCode: number) => void;
  /** Built-in plugins added by the embedding program (in-process tests register their engines). */
  plugins?: PluginModule[];
}

export interface RunningServer {
  /** The bound TCP port (useful with --port=0). 0 when networking is skipped. */
  port: number;
  /** Unix socket path ('' when none). */
  socketPath: string;
  datadir: string;
  registry: SysVarRegistry;
  status: StatusRegistry;
  log: ErrorLog;
  /** Every row change the server makes is reported to these observers. @req CORE-WRITE-002 */
  readonly rowChanges: RowChangeObservers;
  /** Clean shutdown; resolves when everything is closed. */
  stop(user?: string): Promise<void>;
  /** Resolves when the server has shut down, by any route. */
  readonly closed: Promise<void>;
}

/** Outcome of `startServer` when it only initialised (--initialize) or printed help/version. */
export interface NonServingOutcome {
  kind: 'initialized' | 'help' | 'version';
  text?: string;
  rootPassword?: string;
}

const running = new Set<ServerHandle>();

/**
 * The SHUTDOWN statement (and the exec ExecDeps.shutdown hook): shut down every server running in
 * this process.
 * @req CORE-SRV-013
 */
export function requestShutdown(user: string): void {
  for (const s of [...running]) void s.shutdown(user);
}

/** Unix domain socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 107;

class ServerHandle implements RunningServer {
  readonly rowChanges = new RowChangeObservers();
  port = 0;
  socketPath = '';
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private tcp: ListenerSet | null = null;
  private unix: Server | null = null;
  private runtime: Runtime | null = null;
  private pidFile = '';
  private shuttingDown: Promise<void> | null = null;
  private readonly sockets = new Set<Socket>();
  private signalHandler: (() => void) | null = null;

  constructor(
    readonly datadir: string,
    readonly registry: SysVarRegistry,
    readonly status: StatusRegistry,
    readonly log: ErrorLog,
    readonly program: string,
    private readonly onShutdown: ((code: number) => void) | undefined,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  stop(user = 'root'): Promise<void> {
    return this.shutdown(user, true);
  }

  shutdown(user: string, viaStop = false): Promise<void> {
    if (this.shuttingDown) return this.shuttingDown;
    this.shuttingDown = this.doShutdown(user).then(() => {
      if (!viaStop) this.onShutdown?.(0);
    });
    return this.shuttingDown;
  }

  /** @req CORE-SRV-012 */
  private async doShutdown(user: string): Promise<void> {
    running.delete(this);
    this.log.system(LogCode.SHUTDOWN_RECEIVED, `Received SHUTDOWN from user ${user}. Shutting down mysqld (Version: ${SERVER_VERSION}).`);
    if (this.signalHandler) {
      process.off('SIGTERM', this.signalHandler);
      process.off('SIGINT', this.signalHandler);
    }
    const closeServer = (s: Server | null): Promise<void> => new Promise((r) => (s ? s.close(() => r()) : r()));
    const listenersClosed = Promise.all([this.tcp?.close(), closeServer(this.unix)]);
    if (this.runtime) {
      try {
        // The protocol ends running statements with ER_SERVER_SHUTDOWN and closes the sockets;
        // a session stuck past the grace period is cut off below with its socket.
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((r) => {
          timer = setTimeout(r, SHUTDOWN_GRACE_MS);
          timer.unref();
        });
        await Promise.race([this.runtime.protocol.closeAll('shutdown'), grace]);
        clearTimeout(timer);
      } catch (err) {
        this.log.error(LogCode.GENERIC_ERROR, `Error while closing connections: ${String(err)}`);
      }
    }
    for (const s of this.sockets) s.destroy();
    await listenersClosed;
    if (this.runtime) {
      try {
        await this.runtime.flush();
      } catch (err) {
        this.log.error(LogCode.GENERIC_ERROR, `Error while flushing the data dictionary: ${String(err)}`);
      }
    }
    removeQuietly(this.pidFile);
    if (this.socketPath) removeQuietly(this.socketPath);
    this.log.system(LogCode.SHUTDOWN_COMPLETE, `${this.program}: Shutdown complete (mysqld ${SERVER_VERSION})  ${VERSION_COMMENT}.`);
    this.resolveClosed();
  }

  attachRuntime(rt: Runtime): void {
    this.runtime = rt;
  }

  /** Bytes of closed connections (live ones are read from their sockets). */
  private closedBytes = { read: 0, written: 0 };

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.closedBytes.read += socket.bytesRead;
      this.closedBytes.written += socket.bytesWritten;
      this.sockets.delete(socket);
    });
  }

  /** Bytes_received / Bytes_sent over all client connections. @req CORE-SYSVAR-013 */
  bytes(): { read: bigint; written: bigint } {
    let read = this.closedBytes.read;
    let written = this.closedBytes.written;
    for (const s of this.sockets) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    return { read: BigInt(read), written: BigInt(written) };
  }

  /** The TCP listeners (admin interface, bind_address list) are open. @req CORE-SRV-005 */
  attachListeners(set: ListenerSet): void {
    this.tcp = set;
    this.port = set.port;
  }

  /** Listen on the Unix socket, removing a stale file first. @req CORE-SRV-006 */
  async listenUnix(path: string, onConnection: (s: Socket) => void): Promise<void> {
    if (existsSync(path)) {
      if (await socketAnswers(path)) {
        this.log.error(LogCode.SOCKET_IN_USE, `Another process is using unix socket file '${path}'.`);
        throw new StartupError('unix socket in use', LogCode.SOCKET_IN_USE);
      }
      removeQuietly(path);
    }
    const server = createServer(onConnection);
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(path, () => {
        server.off('error', rej);
        res();
      });
    });
    this.socketPath = path;
    this.unix = server;
  }

  writePidFile(path: string): void {
    writeFileSync(path, `${process.pid}\n`);
    this.pidFile = path;
  }

  installSignals(): void {
    this.signalHandler = () => void this.shutdown('<via user signal>');
    process.on('SIGTERM', this.signalHandler);
    process.on('SIGINT', this.signalHandler);
    // mysqld treats SIGHUP as "flush logs" and keeps running; our log needs no reopening.
    process.on('SIGHUP', () => undefined);
  }

  /** Close what was opened so far after a failed start. */
  async abortStartup(): Promise<void> {
    running.delete(this);
    const closeServer = (s: Server | null): Promise<void> => new Promise((r) => (s ? s.close(() => r()) : r()));
    await Promise.all([this.tcp?.close(), closeServer(this.unix)]);
    if (this.unix && this.socketPath) removeQuietly(this.socketPath);
    removeQuietly(this.pidFile);
    this.resolveClosed();
  }
}

function removeQuietly(path: string): void {
  if (!path) return;
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Whether something accepts connections on a Unix socket path (another server owns it). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((res) => {
    const c = createConnection(path);
    c.once('connect', () => {
      c.destroy();
      res(true);
    });
    c.once('error', () => res(false));
  });
}

/** Where --log-error points, looked up before the options are applied (to log their errors). */
function logTarget(opts: ServerOptions): string | null {
  if (opts.serverOnly.has('console')) return null; // --console: the error log goes to stderr
  let t: string | null = null;
  for (const s of opts.settings) if (s.name === 'log_error') t = s.value;
  if (t && t !== 'stderr') return resolve(opts.datadir, t);
  return t;
}

/**
 * Parse options, prepare the datadir and start listening. Resolves with the running server, or
 * a {@link NonServingOutcome} for --initialize / --help / --version. Startup failures are logged
 * (ending with "Aborting") and rejected with {@link StartupError}.
 * @req CORE-SRV-001
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer | NonServingOutcome> {
  const registry = SysVarRegistry.withCoreVariables();
  const status = registry.status;
  const program = options.program ?? resolve(process.argv[1] ?? 'refmysqld');
  let parsed: ServerOptions;
  try {
    parsed = parseServerOptions(options.argv ?? [], registry, { cwd: options.cwd ?? process.cwd() });
  } catch (err) {
    const log = options.log ?? ErrorLog.open(null);
    if (err instanceof OptionError) {
      log.error(err.code, err.message);
      log.error(LogCode.ABORTING, 'Aborting');
      throw new StartupError(err.message, err.code);
    }
    throw err;
  }
  if (parsed.version) return { kind: 'version', text: `${basename(program)}  Ver ${SERVER_VERSION} for Linux on x86_64 (${VERSION_COMMENT})\n` };
  if (parsed.serverOnly.has('print_defaults')) {
    const text = `${basename(program)} would have been started with the following arguments:\n${parsed.fileArguments.join(' ')}\n`;
    return { kind: 'help', text };
  }
  if (parsed.help) {
    const { helpText } = await import('./options.js');
    return { kind: 'help', text: helpText(basename(program), registry) };
  }
  const log = options.log ?? ErrorLog.open(logTarget(parsed));
  const abort = (code: string, message: string): never => {
    log.error(code, message);
    log.error(LogCode.ABORTING, 'Aborting');
    throw new StartupError(message, code);
  };
  if (parsed.initialize === 'none' && !parsed.serverOnly.has('validate_config')) {
    log.system(LogCode.STARTING, `${program} (mysqld ${SERVER_VERSION}) starting as process ${process.pid}`);
  }
  // Plugins loaded at startup (mysql.plugin, --plugin-load-add) bring variables their options set.
  const pluginLoad = pluginLoadItems(parsed.pluginLoad);
  predefinePluginVariables(registry, [...installedPluginItems(parsed.datadir), ...pluginLoad]);
  try {
    applyOptionSettings(registry, parsed.settings, (code, message) => log.warning(code, message));
  } catch (err) {
    if (err instanceof OptionError) {
      log.error(err.code, err.message);
      log.error(LogCode.ABORTING, 'Aborting');
      throw new StartupError(err.message, err.code);
    }
    throw err;
  }
  if (parsed.serverOnly.has('validate_config')) {
    // --validate-config: the options were valid (errors above abort); nothing is started.
    return { kind: 'help', text: '' };
  }
  // Initialisation reports everything (its temporary password is a Note); a serving server
  // follows log_error_verbosity.
  if (parsed.initialize === 'none') log.setVerbosity(() => Number(registry.global('log_error_verbosity')));
  const datadir = parsed.datadir;
  let prepared: NonServingOutcome | null;
  try {
    prepared = await prepareDataDirectory(registry, parsed, log, program);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    log.error(LogCode.GENERIC_ERROR, `Can't start server: ${err instanceof Error ? err.message : String(err)}`);
    log.error(LogCode.ABORTING, 'Aborting');
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
  if (prepared) return prepared;

  const server = new ServerHandle(datadir, registry, status, log, program, options.onShutdown);
  running.add(server);
  try {
    const rt = await composeRuntime({
      datadir,
      registry,
      status,
      log,
      version: SERVER_VERSION,
      shutdown: (user) => void server.shutdown(user),
      pluginLoad,
      extraPlugins: options.plugins ?? [],
      rowChanges: server.rowChanges,
      federated: federatedEnabled(parsed),
      ...logTcOptions(parsed),
    });
    for (const m of rt.missing) log.warning(LogCode.GENERIC_ERROR, `Subsystem not available yet: ${m}.`);
    server.attachRuntime(rt);
    checkStartupEngines(rt, registry, log);
    status.gauge('Threads_connected', () => BigInt(rt.context.connectionCount()));
    status.gauge('Threads_running', () => BigInt(rt.context.registry.list().filter((x) => x.command !== 'Sleep').length));
    status.gauge('Open_tables', () => BigInt(rt.catalog?.listAllTables().length ?? 0));
    status.gauge('Bytes_received', () => server.bytes().read);
    status.gauge('Bytes_sent', () => server.bytes().written);
    if (rt.tls) {
      log.warning(LogCode.TLS_SELF_SIGNED, 'CA certificate ca.pem is self signed.');
      log.system(LogCode.TLS_CHANNEL, 'Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.');
    }

    const onConn = (info: { transport: 'tcp' | 'socket'; namespace: string; admin: boolean }) => (socket: Socket) => {
      server.track(socket);
      status.add('Connections');
      const open = BigInt(rt.context.connectionCount() + 1);
      if (open > status.get('Max_used_connections')) status.set('Max_used_connections', open);
      rt.protocol.handle(socket, info);
    };
    const networking = registry.global('skip_networking') !== 1n;
    const backlog = Number(registry.global('back_log') ?? DEFAULT_BACKLOG);
    let listeners: ListenerSet | null = null;
    if (networking) {
      try {
        listeners = await openClassicListeners(
          {
            bindAddress: String(registry.global('bind_address') ?? '127.0.0.1'),
            port: Number(registry.global('port')),
            adminAddress: String(registry.global('admin_address') ?? ''),
            adminPort: Number(registry.global('admin_port')),
            backlog,
          },
          log,
          (socket, info) => onConn(info)(socket),
        );
      } catch (err) {
        if (!(err instanceof ListenerStartupError)) throw err;
        log.error(LogCode.ABORTING, 'Aborting');
        throw new StartupError(err.message, err.code);
      }
      server.attachListeners(listeners);
      registry.initGlobal('port', BigInt(server.port));
      if (listeners.adminPort) registry.initGlobal('admin_port', BigInt(listeners.adminPort));
    }
    const socketPath = String(registry.global('socket') ?? '');
    if (socketPath && Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) {
      await server.listenUnix(socketPath, onConn({ transport: 'socket', namespace: '', admin: false }));
    } else if (socketPath) {
      log.warning(LogCode.SOCKET_LOCK, `The socket file path is too long (> ${MAX_SOCKET_PATH}): ${socketPath}; not listening on a Unix socket.`);
    }
    const pidFile = String(registry.global('pid_file'));
    try {
      server.writePidFile(pidFile);
    } catch (err) {
      abort('MY-010092', `Can't start server: can't create PID file: ${(err as Error).message}`);
    }
    await runInitFile(rt, registry, log);
    if (options.handleSignals) server.installSignals();
    // The X Plugin binds its own addresses; a failure there is logged and the server carries on.
    if (networking && listeners && mysqlxEnabled(parsed)) {
      await openMysqlx(listeners, String(registry.global('mysqlx_bind_address') ?? ''), Number(registry.global('mysqlx_port')), backlog, log);
    }
    log.system(
      LogCode.READY,
      `${program}: ready for connections. Version: '${SERVER_VERSION}'  socket: '${server.socketPath}'  port: ${server.port}  ${VERSION_COMMENT}.`,
    );
    const adminAddress = String(registry.global('admin_address') ?? '');
    if (networking && adminAddress !== '') {
      log.system(LogCode.ADMIN_READY, `Admin interface ready for connections, address: '${adminAddress}'  port: ${String(registry.global('admin_port'))}`);
    }
    return server;
  } catch (err) {
    await server.abortStartup();
    if (err instanceof StartupError) throw err;
    log.error(LogCode.GENERIC_ERROR, `Can't start server: ${err instanceof Error ? err.message : String(err)}`);
    log.error(LogCode.ABORTING, 'Aborting');
    throw new StartupError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Host defaults, first-start or explicit initialisation, persisted variables and server_uuid.
 * Returns an outcome when the run ends here (--initialize).
 * @req CORE-SRV-020 CORE-SRV-021 CORE-SRV-022
 */
async function prepareDataDirectory(registry: SysVarRegistry, parsed: ServerOptions, log: ErrorLog, program: string): Promise<NonServingOutcome | null> {
  const datadir = parsed.datadir;
  computeHostDefaults(registry, parsed, datadir);

  const hooks = {
    catalog: (d: string) => initCatalog(d, registry),
    accounts: async (d: string, pw: string) => {
      const done = await initAccounts(d, pw, registry);
      // The log and help tables exist from initialisation on, so a normal start runs no DDL. @req CORE-LOG-025
      await initSystemTables(d, registry, log);
      return done;
    },
    tls: (d: string) => ensureTls(d),
  };
  if (parsed.initialize !== 'none') {
    const { rootPassword } = await initializeDataDirectory(datadir, parsed.initialize, true, log, hooks, program);
    return { kind: 'initialized', rootPassword };
  }
  if (!dirHasFiles(datadir)) {
    await initializeDataDirectory(datadir, 'insecure', false, log, hooks, program);
  }
  registry.setDatadir(datadir);
  if (registry.global('persisted_globals_load') === 1n) {
    for (const p of registry.loadPersisted()) log.warning(LogCode.PERSISTED_BAD, `Persisted config file has a bad value for '${p.name}': ${p.error}`);
    // mysqld-auto.cnf counts as the last option file: the command line still wins over it.
    applyOptionSettings(registry, parsed.settings.filter((x) => x.source === 'command line'), () => undefined);
    computeHostDefaults(registry, parsed, datadir);
  }
  // An unrestricted secure_file_priv is allowed, with MySQL's startup warning. @req CORE-LOAD-010
  if (registry.global('secure_file_priv') === '') log.warning('MY-010101', 'Insecure configuration for --secure-file-priv: Location is accessible to all OS users. Consider choosing a different directory.');
  const { uuid, created } = ensureServerUuid(datadir);
  if (created) log.warning('MY-010075', `No existing UUID has been found, so we assume that this is the first time that this server has been started. Generating a new UUID: ${uuid}.`);
  registry.initGlobal('server_uuid', uuid);
  return null;
}

/**
 * The engines named by --default-storage-engine / --default-tmp-storage-engine must exist once
 * the plugin registry is up (options are applied before it); the names are canonicalised.
 * @req ENGINE-SET-004
 */
function checkStartupEngines(rt: Runtime, registry: SysVarRegistry, log: ErrorLog): void {
  for (const name of ['default_storage_engine', 'default_tmp_storage_engine']) {
    const v = String(registry.global(name));
    const engine = rt.plugins.engine(v);
    if (!engine) {
      log.error('MY-010735', `Unknown/unsupported storage engine: ${v}`);
      log.error(LogCode.ABORTING, 'Aborting');
      throw new StartupError(`unknown engine ${v}`, 'MY-010735');
    }
    registry.initGlobal(name, engine.name);
  }
}

/** --log-tc=name and --log-tc-size=# (the transaction-coordinator log). @req CORE-TXN-033 */
function logTcOptions(parsed: ServerOptions): { logTc?: string; logTcSize?: number } {
  const out: { logTc?: string; logTcSize?: number } = {};
  const name = parsed.serverOnly.get('log_tc');
  if (name) out.logTc = name;
  const size = Number(parsed.serverOnly.get('log_tc_size'));
  if (Number.isFinite(size) && size > 0) out.logTcSize = size;
  return out;
}

/**
 * --federated (ON, FORCE, FORCE_PLUS_PERMANENT) enables the FEDERATED engine; it is off without
 * it, and --skip-federated / --federated=OFF keep it off. @req FEDERATED-003
 */
export function federatedEnabled(parsed: ServerOptions): boolean {
  if (!parsed.serverOnly.has('federated')) return false;
  const v = parsed.serverOnly.get('federated');
  return v === null || v === undefined || !/^(0|off|false)$/i.test(v);
}

/** --mysqlx=OFF / --skip-mysqlx turn the X Plugin (and so its listener) off. @req NETNS-039 */
function mysqlxEnabled(parsed: ServerOptions): boolean {
  if (!parsed.serverOnly.has('mysqlx')) return true;
  const v = parsed.serverOnly.get('mysqlx');
  return v === null || v === undefined || !/^(0|off|false)$/i.test(v);
}

/** Type guard: did startServer start serving? */
export function isRunning(x: RunningServer | NonServingOutcome): x is RunningServer {
  return 'stop' in x;
}

/** Values that depend on the host and the datadir. */
function computeHostDefaults(registry: SysVarRegistry, parsed: ServerOptions, datadir: string): void {
  const given = new Set(parsed.settings.map((s) => s.name));
  const host = hostname();
  registry.initGlobal('datadir', datadir.endsWith('/') ? datadir : datadir + '/');
  registry.initGlobal('hostname', host);
  registry.initGlobal('version_compile_machine', process.arch === 'arm64' ? 'aarch64' : process.arch === 'x64' ? 'x86_64' : process.arch);
  registry.initGlobal('version_compile_os', process.platform === 'linux' ? 'Linux' : process.platform);
  if (!given.has('pid_file')) registry.initGlobal('pid_file', join(datadir, `${host}.pid`));
  else registry.initGlobal('pid_file', resolve(datadir, String(registry.global('pid_file'))));
  // Decision: the default socket lives in the datadir, so several servers never fight over /tmp/mysql.sock.
  if (!given.has('socket')) registry.initGlobal('socket', join(datadir, 'mysql.sock'));
  else registry.initGlobal('socket', resolve(datadir, String(registry.global('socket'))));
  // The query logs default to `<host_name>.log` and `<host_name>-slow.log` in the datadir. @req CORE-LOG-001 CORE-LOG-010
  // SET GLOBAL ... = DEFAULT comes back to these names too.
  for (const [name, file] of [['general_log_file', `${host}.log`], ['slow_query_log_file', `${host}-slow.log`]] as const) {
    const d = registry.lookup(name);
    if (d) d.default = join(datadir, file);
    if (!given.has(name)) registry.initGlobal(name, join(datadir, file));
  }
  registry.initGlobal('system_time_zone', systemTimeZoneAbbrev());
  const le = registry.global('log_error');
  if (typeof le === 'string' && le !== 'stderr' && le !== '') registry.initGlobal('log_error', resolve(datadir, le));
  // Same mode as initialisation gives it (datadir.ts): this may be the call that creates it.
  // @req CORE-SRV-020
  mkdirSync(datadir, { recursive: true, mode: 0o750 });
  secureFilePrivDefault(registry, given.has('secure_file_priv'), datadir);
}

/**
 * secure_file_priv: by default `mysql-files/` beside the datadir (as the Linux packages put
 * /var/lib/mysql-files beside /var/lib/mysql), created when missing; --secure-file-priv=DIR
 * names another directory (made absolute, with a trailing slash), an empty value lifts the
 * restriction and NULL disables file import and export.
 * @req CORE-LOAD-010
 */
function secureFilePrivDefault(registry: SysVarRegistry, given: boolean, datadir: string): void {
  const raw = given ? registry.global('secure_file_priv') : join(dirname(datadir), 'mysql-files');
  if (raw === null || (typeof raw === 'string' && raw.toUpperCase() === 'NULL')) {
    registry.initGlobal('secure_file_priv', null);
    return;
  }
  const text = String(raw);
  if (text === '') {
    registry.initGlobal('secure_file_priv', '');
    return;
  }
  let dir = resolve(text);
  if (!given) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o750 });
    } catch {
      // A parent the server may not write to: the variable keeps its value, file statements fail.
    }
  }
  // Compared with the real directories of file paths, so symbolic links are resolved here too.
  if (existsSync(dir)) dir = realpathSync(dir);
  registry.initGlobal('secure_file_priv', dir.endsWith('/') ? dir : dir + '/');
}

function systemTimeZoneAbbrev(): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    return part?.value ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * Run the statements of --init-file as a bootstrap session with root's identity; an error
 * aborts startup like mysqld.
 * @req CORE-SRV-007
 */
async function runInitFile(rt: Runtime, registry: SysVarRegistry, log: ErrorLog): Promise<void> {
  const file = registry.global('init_file');
  if (typeof file !== 'string' || file === '') return;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    log.error('MY-010455', `Failed to open the bootstrap file ${file}`);
    throw new StartupError(`init_file: ${(err as Error).message}`, 'MY-010455');
  }
  const conn = internalConnection(rt.context.nextConnectionId());
  const account = internalRootAccount((u, c) => rt.context.findAccount(u, c), conn);
  const session = await rt.context.openSession(conn, account, 'root', null);
  try {
    for await (const _r of session.query(text, { multiStatements: true })) {
      void _r;
    }
  } catch (err) {
    const msg = err instanceof SqlError ? `Error ${err.errno}: ${err.message}` : String(err);
    log.error('MY-010455', `Failed to execute the init file ${file}: ${msg}`);
    log.error(LogCode.ABORTING, 'Aborting');
    throw new StartupError(msg, 'MY-010455');
  } finally {
    await session.close();
  }
}

/**
 * The server's TCP listeners: the administrative interface (admin_address / admin_port), one
 * listener per bind_address element (each in its own namespace), and the reserved X Plugin
 * listeners (mysqlx_bind_address / mysqlx_port). The classic ones are opened in mysqld's order,
 * admin first, and any failure, namespace errors included, stops startup; X failures never do.
 * Every accepted socket is handed on with the namespace of the listener that accepted it and
 * whether it arrived on the administrative interface.
 *
 * Decision (spec front matter): with `--port=0` (refmysql's "any free port", used by tests) the
 * first classic listener gets a free port from the OS and every further bind_address element
 * reuses that number, so the ready line's single port is valid for all of them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-001 NETNS-030 NETNS-034 NETNS-035 NETNS-036 NETNS-037 NETNS-038 NETNS-039 NETNS-040 NETNS-041 NETNS-050
 */
import type { Server, Socket } from 'node:net';
import { formatBindAddress, invalidAdminAddressLine, invalidBindAddressLine, parseAdminAddress, parseBindAddressList, type BindAddress, type ParseLogLine } from './address-list.js';
import { ADMIN_PORT_DEFAULT } from './limits.js';
import { openMysqlxListeners, serveMysqlxClient } from './mysqlx.js';
import { bindTcp, ipv6Available, ListenFailure, type ListenLogLine } from './tcp.js';
import { LogCode, type ErrorLog } from '../error-log.js';

/** What the protocol layer learns about an accepted socket. */
export interface AcceptedInfo {
  transport: 'tcp';
  /** Namespace of the accepting listener ('' = global). */
  namespace: string;
  /** Accepted on the administrative interface (admin_address). */
  admin: boolean;
}

export interface ClassicListenerConfig {
  bindAddress: string;
  port: number;
  /** '' when no administrative interface is configured. */
  adminAddress: string;
  adminPort: number;
  backlog: number;
}

/** Startup must stop; the specific lines are already logged (the caller adds `Aborting`). */
export class ListenerStartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ListenerStartupError';
  }
}

/** The open listeners of one server. */
export class ListenerSet {
  readonly servers: Server[] = [];
  /** The main TCP port (what the ready line reports); 0 before binding. */
  port = 0;
  /** The admin port, 0 when there is no administrative interface. */
  adminPort = 0;
  /** X Plugin listeners ("address[/ns]" strings) that bound. */
  mysqlxBound: string[] = [];
  private readonly mysqlxServers: Server[] = [];
  private readonly mysqlxSockets = new Set<Socket>();

  /** Stop accepting everywhere; X clients (never sessions) are cut off. */
  async close(): Promise<void> {
    for (const s of this.mysqlxSockets) s.destroy();
    const all = [...this.servers, ...this.mysqlxServers];
    await Promise.all(all.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  /** @internal */
  addMysqlx(servers: Server[], bound: string[]): void {
    this.mysqlxServers.push(...servers);
    this.mysqlxBound.push(...bound);
  }

  /** @internal */
  trackMysqlx(socket: Socket): void {
    this.mysqlxSockets.add(socket);
    socket.once('close', () => this.mysqlxSockets.delete(socket));
  }
}

function write(log: ErrorLog, lines: readonly (ListenLogLine | (ParseLogLine & { level?: undefined }))[]): void {
  for (const l of lines) log.log(l.level ?? 'Error', l.code, 'Server', l.message);
}

/**
 * Validate bind_address and admin_address, then bind the admin listener and every bind_address
 * element. Throws {@link ListenerStartupError} after logging mysqld's lines.
 * @req NETNS-030 NETNS-032 NETNS-034 NETNS-035 NETNS-036 NETNS-037 NETNS-038 NETNS-040 NETNS-050
 */
export async function openClassicListeners(
  cfg: ClassicListenerConfig,
  log: ErrorLog,
  onConnection: (socket: Socket, info: AcceptedInfo) => void,
): Promise<ListenerSet> {
  const bind = parseBindAddressList(cfg.bindAddress);
  if (!bind.ok) {
    const summary = invalidBindAddressLine(cfg.bindAddress);
    write(log, [...bind.lines, summary]);
    throw new ListenerStartupError(summary.code, summary.message);
  }
  let admin: BindAddress | null = null;
  if (cfg.adminAddress !== '') {
    const a = parseAdminAddress(cfg.adminAddress);
    if (!a.ok) {
      const summary = invalidAdminAddressLine(cfg.adminAddress);
      write(log, [...a.lines, summary]);
      throw new ListenerStartupError(summary.code, summary.message);
    }
    admin = a.addresses[0]!;
  }
  const set = new ListenerSet();
  try {
    if (admin) {
      // admin_port 0 would let the OS pick a port; mysqld uses the default instead.
      const adminPort = cfg.adminPort === 0 ? ADMIN_PORT_DEFAULT : cfg.adminPort;
      const l = await bindOne(admin, adminPort, cfg.backlog, log, (s) => onConnection(s, { transport: 'tcp', namespace: admin!.namespace, admin: true }));
      set.servers.push(l);
      set.adminPort = adminPort;
    }
    let port = cfg.port;
    for (const a of bind.addresses) {
      const ns = a.namespace;
      const server = await bindOne(a, port, cfg.backlog, log, (s) => onConnection(s, { transport: 'tcp', namespace: ns, admin: false }));
      set.servers.push(server);
      if (port === 0) {
        const addr = server.address();
        port = typeof addr === 'object' && addr ? addr.port : 0;
      }
    }
    set.port = port;
  } catch (err) {
    await set.close();
    throw err;
  }
  return set;
}

/** Bind one classic listener with mysqld's Note lines; failures are logged and rethrown. */
async function bindOne(a: BindAddress, port: number, backlog: number, log: ErrorLog, onConnection: (s: Socket) => void): Promise<Server> {
  log.note(LogCode.TCP_BIND_ADDRESS, `Server hostname (bind-address): '${a.address}'; port: ${port}`);
  let target = a;
  if (a.address === '*') {
    const v6 = ipv6Available();
    if (v6) log.note(LogCode.TCP_IPV6_AVAILABLE, 'IPv6 is available.');
    else log.note(LogCode.TCP_IPV6_UNAVAILABLE, 'IPv6 is not available.');
    target = { address: v6 ? '::' : '0.0.0.0', namespace: a.namespace };
  }
  try {
    const l = await bindTcp({ target, port, backlog, onConnection });
    log.note(LogCode.TCP_RESOLVES_TO, `  - '${target.address}' resolves to '${l.boundAddress}';`);
    log.note(LogCode.TCP_SOCKET_CREATED, `Server socket created on IP: '${l.boundAddress}'.`);
    return l.server;
  } catch (err) {
    if (err instanceof ListenFailure) {
      write(log, err.lines);
      throw new ListenerStartupError(err.lines[0]?.code ?? LogCode.BIND_FAILED, `listener ${formatBindAddress(a)} failed: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Start the reserved X Plugin listeners on an already open set and log the plugin's lines.
 * Never fails startup. @req NETNS-039 NETNS-041
 */
export async function openMysqlx(set: ListenerSet, value: string, port: number, backlog: number, log: ErrorLog): Promise<void> {
  const r = await openMysqlxListeners(value, port, backlog, (socket) => {
    set.trackMysqlx(socket);
    serveMysqlxClient(socket);
  });
  set.addMysqlx(r.servers, r.bound);
  write(log, r.lines);
}

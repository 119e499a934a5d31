/**
 * The server-wide context handed to the protocol layer: account lookup, session creation,
 * the registry of open sessions (SHOW PROCESSLIST, KILL, max_connections).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html
 * @req CORE-EXEC-007 CORE-EXEC-008 CORE-LOG-003
 */
import { collationById, isClientCharset } from '../kernel/charset/index.js';
import { sqlError } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import type { ExecDeps } from './deps.js';
import type { AuthAccount, ConnectionInfo, ServerContext, SessionApi } from '../kernel/protocol-port.js';
import { Session } from './session.js';
import { hostAndIp } from './logs/session-log.js';
import { commandName } from './logs/command-names.js';

/** Open sessions by connection id. */
export class SessionRegistry {
  readonly sessions = new Map<number, Session>();
  add(s: Session): void {
    this.sessions.set(s.connectionId, s);
  }
  remove(s: Session): void {
    if (this.sessions.get(s.connectionId) === s) this.sessions.delete(s.connectionId);
  }
  get(id: number): Session | undefined {
    return this.sessions.get(id);
  }
  list(): Session[] {
    return [...this.sessions.values()];
  }
}

export interface ExecServerContext extends ServerContext {
  readonly registry: SessionRegistry;
  readonly deps: ExecDeps;
}

let connectionIdCounter = 0;

/** @req CORE-EXEC-007 */
export function createServerContext(deps: ExecDeps): ExecServerContext {
  const registry = new SessionRegistry();
  registries.set(deps, registry);
  return {
    version: deps.version,
    serverId: deps.serverId,
    registry,
    deps,
    globalVar(name: string): Value {
      return deps.sysvars.global(name);
    },
    findAccount(user: string, conn: ConnectionInfo): AuthAccount | null {
      return deps.accounts.findAccount(user, conn);
    },
    hostKnown(conn: ConnectionInfo): boolean {
      return deps.accounts.hostKnown(conn);
    },
    async openSession(conn: ConnectionInfo, account: AuthAccount, user: string, schema: string | null): Promise<SessionApi> {
      const s = new Session(deps, conn, account, user, null, (x) => registry.remove(x));
      applyHandshakeCharset(s, conn.clientCollationId);
      // The administrative interface admits only SERVICE_CONNECTION_ADMIN holders (NETNS-038).
      if (conn.adminInterface && !deps.accounts.hasGlobal(s, 'SERVICE_CONNECTION_ADMIN')) {
        await s.close();
        throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SERVICE_CONNECTION_ADMIN');
      }
      if (schema !== null && schema !== '') await s.useSchema(schema);
      registry.add(s);
      // The general log's Connect line. @req CORE-LOG-003
      if (deps.queryLog?.general) s.logConnect();
      return s;
    },
    connectionCount(): number {
      return registry.sessions.size;
    },
    nextConnectionId(): number {
      return ++connectionIdCounter;
    },
    log(level, code, subsystem, message): void {
      deps.log(level, code, subsystem, message);
    },
    // A refused login in the general log (Connect with the error text). @req CORE-LOG-003
    logCommand(conn: ConnectionInfo, user: string, command: number, argument: string): void {
      if (deps.queryLog?.general) deps.queryLog.writeGeneral({ connectionId: conn.connectionId, user, privUser: '', ...hostAndIp(conn) }, commandName(command), argument);
    },
  };
}

const registries = new WeakMap<ExecDeps, SessionRegistry>();

/** The registry of the server a session belongs to (KILL, SHOW PROCESSLIST). */
export function registryOf(deps: ExecDeps): SessionRegistry | undefined {
  return registries.get(deps);
}

/** KILL [CONNECTION|QUERY] id: 1094 unknown thread, 1095 not owner (without CONNECTION_ADMIN/SUPER). */
export function killSession(from: Session, id: number, what: 'CONNECTION' | 'QUERY'): void {
  const reg = registryOf(from.deps);
  const target = reg?.get(id);
  if (!target) throw sqlError('ER_NO_SUCH_THREAD', id);
  const owner = target.user === from.user && target.account.host === from.account.host;
  if (!owner && !from.deps.accounts.hasGlobal(from, 'CONNECTION_ADMIN') && !from.deps.accounts.hasGlobal(from, 'SUPER')) {
    throw sqlError('ER_KILL_DENIED_ERROR', id);
  }
  if (what === 'QUERY') target.interrupt();
  else target.kill();
}

/**
 * The collation a client names in its handshake sets character_set_client, character_set_results
 * and collation_connection, unless it is of the server's own character_set_client (then the
 * server's defaults stay, as in MySQL: a utf8mb4 client keeps utf8mb4_0900_ai_ci). Character sets
 * a statement cannot be written in (more than one byte for ASCII) keep the defaults.
 * @req CORE-CS-053
 */
function applyHandshakeCharset(s: Session, id: number | undefined): void {
  if (id === undefined) return;
  const co = collationById(id);
  if (!co) return;
  const global = String(s.deps.sysvars.global('character_set_client') ?? 'utf8mb4').toLowerCase();
  if (co.charset === global || !isClientCharset(co.charset)) return;
  s.sessionVars.set('character_set_client', co.charset);
  s.sessionVars.set('character_set_results', co.charset);
  s.sessionVars.set('collation_connection', co.name);
}

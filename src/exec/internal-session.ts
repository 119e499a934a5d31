/**
 * Sessions the server opens for itself, with no client behind them: the init_file statements,
 * the start-up creation of missing system tables, an event's run. They look like a local
 * socket connection (host `localhost`), so privilege checks and PROCESSLIST treat them as MySQL
 * treats its own threads, and closing them closes nothing on the network.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_init_file
 * @req CORE-SRV-007 CORE-EVT-006
 */
import type { AuthAccount, ConnectionInfo } from '../kernel/protocol-port.js';

/** The connection of a server-internal session. */
export function internalConnection(connectionId: number): ConnectionInfo {
  return {
    connectionId,
    transport: 'socket',
    remoteAddress: 'localhost',
    remotePort: 0,
    localAddress: 'localhost',
    localPort: 0,
    tls: false,
    namespace: '',
    close: () => undefined,
  };
}

/** root@localhost as the server's own statements run: the stored account, or one like it. */
export function internalRootAccount(findAccount: (user: string, conn: ConnectionInfo) => AuthAccount | null, conn: ConnectionInfo): AuthAccount {
  return (
    findAccount('root', conn) ?? {
      user: 'root',
      host: 'localhost',
      plugin: 'caching_sha2_password',
      authString: '',
      locked: false,
      requireSecureTransport: false,
      passwordExpired: false,
    }
  );
}

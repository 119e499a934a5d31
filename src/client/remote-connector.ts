/**
 * The server's outgoing MySQL connections (FEDERATED tables), built from this project's client
 * protocol code and handed to the engine through the kernel's RemoteSqlConnector port: the
 * engine lives in storage/, which may not import client/ (see ARCHITECTURE.md, "Layers").
 *
 * Connections use what libmysqlclient does by default for a FEDERATED link: TLS when the remote
 * offers it (PREFERRED), caching_sha2_password or mysql_native_password, no connect timeout. A
 * client-side error (CR_* 2000..2999: refused, lost, malformed) marks the connection lost.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-description.html (16.8.1)
 * @req FEDERATED-012
 */
import { RemoteSqlError, type RemoteEndpoint, type RemoteResult, type RemoteSqlConnector, type RemoteSqlSession } from '../kernel/remote-sql-port.js';
import { ClientConnection } from './connection.js';
import { ClientError } from './errors.js';
import type { Endpoint } from './transport.js';

function remoteError(e: unknown): RemoteSqlError {
  if (e instanceof ClientError) return new RemoteSqlError(e.errno, e.sqlState, e.message, e.errno >= 2000 && e.errno < 3000);
  const message = e instanceof Error ? e.message : String(e);
  return new RemoteSqlError(2013, 'HY000', message, true);
}

class ClientRemoteSession implements RemoteSqlSession {
  constructor(private readonly conn: ClientConnection) {}

  get alive(): boolean {
    return this.conn.alive;
  }

  async query(sql: string): Promise<RemoteResult> {
    let outcome;
    try {
      outcome = await this.conn.query(sql);
    } catch (e) {
      throw remoteError(e);
    }
    if (outcome.error) throw remoteError(outcome.error);
    const last = outcome.results[outcome.results.length - 1];
    if (!last) throw new RemoteSqlError(2027, 'HY000', 'Malformed packet', true);
    if (last.kind === 'rows') return { kind: 'rows', columns: last.columns.map((c) => c.name), rows: last.rows };
    return { kind: 'ok', affectedRows: last.ok.affectedRows, insertId: last.ok.lastInsertId, warnings: last.ok.warnings };
  }

  close(): void {
    this.conn.quit();
  }
}

/** A connector over the project's client protocol. */
export function clientRemoteConnector(programName = 'refmysqld-federated'): RemoteSqlConnector {
  return {
    async connect(e: RemoteEndpoint): Promise<RemoteSqlSession> {
      const endpoint: Endpoint = e.socket !== null ? { kind: 'socket', path: e.socket } : { kind: 'tcp', host: e.host ?? 'localhost', port: e.port };
      try {
        const conn = await ClientConnection.connect({
          endpoint,
          user: e.user,
          password: e.password ?? '',
          ...(e.database !== '' ? { database: e.database } : {}),
          sslMode: 'PREFERRED',
          getServerPublicKey: true,
          connectTimeout: 0,
          interactive: false,
          programName,
        });
        return new ClientRemoteSession(conn);
      } catch (err) {
        const r = remoteError(err);
        throw new RemoteSqlError(r.errno, r.sqlState, r.message, true);
      }
    },
  };
}

/**
 * The port through which a storage engine talks SQL to another MySQL server (FEDERATED), and the
 * directory of foreign servers defined with CREATE SERVER (mysql.servers) as an engine reads it.
 *
 * Why a port: the engine lives in storage/, which may import only the kernel, while the MySQL
 * client protocol lives in client/. The composition root builds a connector from client/ and
 * hands it to the engine; the engine sees only these types. A remote error keeps the remote's
 * errno, SQLSTATE and message, and says whether the connection itself was lost, so the engine
 * can map it to MySQL's FEDERATED errors and reconnect on the next statement.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-description.html (16.8.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-server.html (13.1.18)
 * @req FEDERATED-012 FEDERATED-052
 */

/** Where and as whom to connect. */
export interface RemoteEndpoint {
  /** Host name or address; null or 'localhost' with a socket means the local Unix socket. */
  host: string | null;
  port: number;
  /** Unix socket path, when connecting through one. */
  socket: string | null;
  user: string;
  /** null: no password. */
  password: string | null;
  /** Default database of the remote session. */
  database: string;
}

/** What one remote statement produced: text rows (undecoded bytes) or an OK. */
export type RemoteResult =
  | { kind: 'rows'; columns: readonly string[]; rows: (Buffer | null)[][] }
  | { kind: 'ok'; affectedRows: bigint; insertId: bigint; warnings: number };

/** An error from the remote server (ERR packet) or from the client side (CR_* 2000..). */
export class RemoteSqlError extends Error {
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    message: string,
    /** The connection is unusable afterwards (lost, refused, handshake failed). */
    readonly connectionLost: boolean,
  ) {
    super(message);
    this.name = 'RemoteSqlError';
  }
}

/** One authenticated remote session. Queries must not overlap: callers serialise them. */
export interface RemoteSqlSession {
  /** Run one statement; rejects with RemoteSqlError. */
  query(sql: string): Promise<RemoteResult>;
  /** Whether the connection can still carry statements. */
  readonly alive: boolean;
  close(): void;
}

/** Opens remote sessions; rejects with RemoteSqlError (connectionLost true) when it cannot. */
export interface RemoteSqlConnector {
  connect(endpoint: RemoteEndpoint): Promise<RemoteSqlSession>;
}

/** A row of mysql.servers (CREATE SERVER ... OPTIONS (...)). */
export interface ForeignServer {
  name: string;
  host: string;
  db: string;
  user: string;
  password: string;
  port: number;
  socket: string;
  wrapper: string;
  owner: string;
}

/** The foreign servers as the server knows them now (case-insensitive names). */
export interface ForeignServerDirectory {
  lookup(name: string): ForeignServer | undefined;
}

/**
 * The boundary between the wire protocol and everything above it. The protocol layer decodes
 * packets and authenticates; it then talks to a {@link SessionApi} for each connection and to
 * the {@link ServerContext} for server-wide facts. Nothing in `protocol/` imports executor
 * internals, and nothing above this boundary knows about packets.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html
 * @req CORE-PROTO-001
 */
import type { ResultColumn } from './column-type.js';
import type { ResultRows } from './row-stream.js';
import type { Value } from './value.js';

/** What the protocol observed about the connection. */
export interface ConnectionInfo {
  connectionId: number;
  transport: 'tcp' | 'socket';
  /** Peer IP address as seen on the accepted socket ('127.0.0.1', '::1', '192.0.2.2'); for a
   *  Unix socket connection the host is 'localhost'. IPv4-mapped IPv6 (::ffff:a.b.c.d) is reduced
   *  to the IPv4 form. */
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  tls: boolean;
  /** Negotiated TLS protocol ('TLSv1.3') and cipher ('TLS_AES_256_GCM_SHA384') when `tls` is
   *  true (Ssl_version / Ssl_cipher status variables); absent otherwise. */
  tlsVersion?: string;
  tlsCipher?: string;
  /** What the client announced in its handshake response (set before openSession):
   *  CLIENT_* capability bits actually in effect (e.g. CLIENT_FOUND_ROWS = 2 changes UPDATE's
   *  affected-row count, CLIENT_INTERACTIVE = 1024 selects interactive_timeout), the collation
   *  id it asked for (character_set_client/connection/results), and its connection attributes. */
  clientCapabilities?: number;
  clientCollationId?: number;
  connectAttributes?: ReadonlyMap<string, string>;
  /** Network namespace of the listener that accepted the connection ('' = global). */
  namespace: string;
  /** Accepted on the administrative interface (admin_address); such sessions need
   *  SERVICE_CONNECTION_ADMIN, as in MySQL (ER_SPECIFIC_ACCESS_DENIED_ERROR otherwise). */
  adminInterface?: boolean;
  /** Close the client connection from the server side (KILL, shutdown, wait_timeout). */
  close(reason: string): void;
  /** LOAD DATA LOCAL: ask the client for a file (0xFB + name) and take what it sends until its
   *  empty packet. Absent when nothing can be asked (a bootstrap session). CORE-LOAD-015 */
  readLocalFile?(name: string): Promise<Buffer>;
}

/** An account as the authentication code needs it (accounts/ provides it). */
export interface AuthAccount {
  user: string;
  /** The host pattern of the matched account row ('%', 'localhost', '192.0.2.%', ...). */
  host: string;
  plugin: 'mysql_native_password' | 'caching_sha2_password' | string;
  /** Stored credential: '' (no password), '*HEX40' for mysql_native_password, the
   *  `$A$005$` sha256-crypt string for caching_sha2_password. */
  authString: string;
  locked: boolean;
  /** REQUIRE SSL / X509 / ... */
  requireSecureTransport: boolean;
  passwordExpired: boolean;
}

export interface OkResult {
  kind: 'ok';
  /** Another statement of the same COM_QUERY follows (SERVER_MORE_RESULTS_EXISTS). */
  moreResults?: boolean;
  affectedRows: bigint;
  lastInsertId: bigint;
  /** The human-readable info string (`Records: 3  Duplicates: 0  Warnings: 0`, `Rows matched: ...`). */
  info?: string;
}

export interface RowsResult {
  kind: 'rows';
  columns: ResultColumn[];
  /** The rows; when a stream, the statement is still running until the stream ends, and the
   *  session's status flags and warning count are final only then. */
  rows: ResultRows;
  /** Another statement of the same COM_QUERY follows (SERVER_MORE_RESULTS_EXISTS). */
  moreResults?: boolean;
  /**
   * The same statement has more results (a CALL whose procedure produced this result set):
   * sent with SERVER_MORE_RESULTS_EXISTS; call this once the rows were sent (or with
   * `abandon` when they never will be) for the next result. The procedure runs on only then,
   * so each result set streams as the others do. @req CORE-SP-021
   */
  continuation?: (abandon?: boolean) => Promise<StatementResult>;
  /** OUT / INOUT parameters of a CALL run through COM_STMT_EXECUTE (SERVER_PS_OUT_PARAMS). */
  outParams?: boolean;
}

/** One statement's outcome. Warnings live in the session (`warningCount()`), as in MySQL. */
export type StatementResult = OkResult | RowsResult;

export interface PreparedStatementInfo {
  id: number;
  paramCount: number;
  /** Parameter metadata (MySQL sends placeholder definitions; types may be generic). */
  params: ResultColumn[];
  /** Result-set columns if the statement returns rows (SELECT, SHOW), else []. */
  columns: ResultColumn[];
}

/** Protocol-level SERVER_STATUS flags the session reports. */
export const ServerStatus = {
  IN_TRANS: 0x0001,
  AUTOCOMMIT: 0x0002,
  MORE_RESULTS_EXISTS: 0x0008,
  NO_GOOD_INDEX_USED: 0x0010,
  NO_INDEX_USED: 0x0020,
  CURSOR_EXISTS: 0x0040,
  LAST_ROW_SENT: 0x0080,
  DB_DROPPED: 0x0100,
  NO_BACKSLASH_ESCAPES: 0x0200,
  METADATA_CHANGED: 0x0400,
  QUERY_WAS_SLOW: 0x0800,
  PS_OUT_PARAMS: 0x1000,
  IN_TRANS_READONLY: 0x2000,
  SESSION_STATE_CHANGED: 0x4000,
} as const;

/** One client session, as the protocol sees it. */
export interface SessionApi {
  readonly connectionId: number;
  /** Current default schema (null when none). */
  readonly schema: string | null;
  /** SERVER_STATUS_* bits for the next OK/EOF packet (autocommit, in transaction, no backslash escapes...). */
  statusFlags(): number;
  /** Number of warnings of the last statement (for OK/EOF packets). */
  warningCount(): number;

  /**
   * COM_QUERY. Yields one result per statement; every result but the last has `moreResults`.
   * The next statement starts only when the caller asks for it, after it has consumed (or closed)
   * the previous result's rows. With `multiStatements` false, text holding more than one
   * statement is a 1064 error, as in MySQL. An error in statement k ends the sequence by
   * throwing SqlError after results 1..k-1 were yielded.
   */
  query(sql: string, opts: { multiStatements: boolean }): AsyncIterable<StatementResult>;
  /** COM_INIT_DB / USE. Throws 1049 or 1044. */
  useSchema(name: string): Promise<void>;

  prepare(sql: string): Promise<PreparedStatementInfo>;
  /** Execute with bound parameters (already decoded from the binary protocol). */
  executePrepared(id: number, params: Value[]): Promise<StatementResult>;
  closePrepared(id: number): void;
  resetPrepared(id: number): void;
  /** Metadata for a prepared statement id (COM_STMT_EXECUTE needs param count). */
  preparedInfo(id: number): PreparedStatementInfo | undefined;

  /** COM_RESET_CONNECTION: roll back, drop temporary tables, reset variables, free statements. */
  reset(): Promise<void>;
  /** COM_CHANGE_USER after the protocol re-authenticated: reset and switch identity. */
  changeUser(account: AuthAccount, user: string, schema: string | null): Promise<void>;
  /** Ask a running statement to stop (KILL QUERY); checked between rows. */
  interrupt(): void;
  /** The connection is gone: roll back and release everything. */
  close(): Promise<void>;
  /** Optional: current session value of a system variable (null if unknown). The protocol reads
   *  wait_timeout through it, so SET SESSION wait_timeout applies to the idle check. */
  sysvar?(name: string): Value;
  /** Optional: a command the protocol handled itself (COM_QUIT, COM_INIT_DB, COM_STATISTICS,
   *  COM_STMT_CLOSE, ...), by its command byte, for the general query log. */
  logCommand?(command: number, argument: string): void;
  /** Optional: COM_REFRESH with its option bits (the FLUSH operations they name). Throws
   *  1227 without the RELOAD privilege. Absent: the command is unknown (1047). */
  refresh?(options: number): Promise<void>;
}

/** Server-wide services the protocol needs. */
export interface ServerContext {
  /** The version string reported in the handshake and by VERSION(). */
  readonly version: string;
  readonly serverId: number;
  /** Current global value of a system variable (max_allowed_packet, max_connections,
   *  wait_timeout, require_secure_transport, ...). */
  globalVar(name: string): Value;
  /** Find the account for a login (most specific host match first); null if none matches. */
  findAccount(user: string, conn: ConnectionInfo): AuthAccount | null;
  /** Whether any account row exists for this host at all (for ER_HOST_NOT_PRIVILEGED). */
  hostKnown(conn: ConnectionInfo): boolean;
  /** Create the session after successful authentication. Throws 1049/1044 for a bad schema. */
  openSession(conn: ConnectionInfo, account: AuthAccount, user: string, schema: string | null): Promise<SessionApi>;
  /** Number of currently open client sessions (max_connections check). */
  connectionCount(): number;
  /** Allocate a connection id (also used before a session exists). */
  nextConnectionId(): number;
  /** Write a line to the error log. */
  log(level: 'System' | 'Error' | 'Warning' | 'Note', code: string, subsystem: string, message: string): void;
  /** Optional: current value of a global status variable ('Uptime', 'Questions',
   *  'Threads_connected', 'Slow_queries', 'Opened_tables', 'Flush_commands', 'Open_tables');
   *  COM_STATISTICS uses it when present and falls back to the protocol's own counters. */
  globalStatus?(name: string): Value | undefined;
  /** Optional: a command of a connection that has no session (a refused login), for the
   *  general query log, with the user name the client gave. */
  logCommand?(conn: ConnectionInfo, user: string, command: number, argument: string): void;
}

/**
 * Client-side errors (the CR_* family of libmysqlclient) and the server's ERR packets as the
 * client reports them. Every one of them is printed as `ERROR <errno> (<sqlstate>): <message>`;
 * client errors carry the generic SQLSTATE HY000 as libmysqlclient does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/client-error-reference.html
 * @req CLIENT-010
 */

/** A failure the client reports with an error number, SQLSTATE and text. */
export class ClientError extends Error {
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** libmysqlclient's error numbers that this client can produce. @req CLIENT-010 */
export const CR = {
  UNKNOWN_ERROR: 2000,
  CONNECTION_ERROR: 2002,
  CONN_HOST_ERROR: 2003,
  UNKNOWN_HOST: 2005,
  SERVER_GONE_ERROR: 2006,
  VERSION_ERROR: 2007,
  SERVER_HANDSHAKE_ERR: 2012,
  SERVER_LOST: 2013,
  SSL_CONNECTION_ERROR: 2026,
  MALFORMED_PACKET: 2027,
  SERVER_LOST_EXTENDED: 2055,
  AUTH_PLUGIN_CANNOT_LOAD: 2059,
  AUTH_PLUGIN_ERR: 2061,
} as const;

const CLIENT_SQLSTATE = 'HY000';

/** A CR_* error with libmysqlclient's wording (messages filled in by the caller's arguments). */
export function clientError(errno: number, message: string): ClientError {
  return new ClientError(errno, CLIENT_SQLSTATE, message);
}

export const crMessages = {
  connectionError: (socket: string, osErrno: number) => `Can't connect to local MySQL server through socket '${socket}' (${osErrno})`,
  connHostError: (host: string, port: number, osErrno: number) => `Can't connect to MySQL server on '${host}:${port}' (${osErrno})`,
  unknownHost: (host: string, osErrno: number) => `Unknown MySQL server host '${host}' (${osErrno})`,
  serverGone: () => 'MySQL server has gone away',
  serverLost: () => 'Lost connection to MySQL server during query',
  serverLostExtended: (where: string, osErrno: number) => `Lost connection to MySQL server at '${where}', system error: ${osErrno}`,
  handshake: () => 'Error in server handshake',
  ssl: (what: string) => `SSL connection error: ${what}`,
  malformed: () => 'Malformed packet',
  pluginCannotLoad: (plugin: string, why: string) => `Authentication plugin '${plugin}' cannot be loaded: ${why}`,
  pluginErr: (plugin: string, why: string) => `Authentication plugin '${plugin}' reported error: ${why}`,
};

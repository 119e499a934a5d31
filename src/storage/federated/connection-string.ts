/**
 * The FEDERATED CONNECTION string: either a URL `mysql://user[:password]@host[:port]/db/table`
 * or the name of a server defined with CREATE SERVER, alone (`s`, the remote table has the local
 * table's name) or with a table (`s/table`).
 *
 * The grammar follows MySQL's parser exactly, including its quirks: a string with neither `://`
 * nor `@` is a server name; in a URL the user name ends at the first `@`, the password at the
 * first `:` of the user part and may not contain `/` (nor can the host part contain a second
 * `@`, so a password cannot contain `@`); an empty password means none; the port is the leading
 * digits after `:` (none or 0: the default); an empty host means localhost. A string that breaks
 * these rules is 1432 at CREATE TABLE and 1433 when the table is opened.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-create-connection.html (16.8.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-create-server.html (16.8.2.2)
 * @req FEDERATED-031 FEDERATED-042 FEDERATED-043 FEDERATED-044 FEDERATED-051 FEDERATED-054 FEDERATED-080
 */
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { ForeignServerDirectory, RemoteEndpoint } from '../../kernel/remote-sql-port.js';
import { DEFAULT_REMOTE_PORT, DEFAULT_REMOTE_SOCKET, FEDERATED_SCHEME } from './limits.js';

/** A CONNECTION string taken apart, before defaults are applied. */
export type ParsedConnection =
  | {
      kind: 'url';
      user: string;
      /** null: none given, or given empty. */
      password: string | null;
      /** null: empty host (localhost). */
      host: string | null;
      /** 0: none given. */
      port: number;
      database: string;
      table: string;
    }
  | { kind: 'server'; server: string; table: string | null };

/** Where a FEDERATED table's rows live: the endpoint and the remote table's name. */
export interface RemoteTarget {
  endpoint: RemoteEndpoint;
  table: string;
}

/** Leading decimal digits as a number (C's atoi on what follows the ':'). */
function atoi(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Take a CONNECTION string apart; null when it breaks the grammar (the caller raises 1432/1433).
 * Never throws.
 * @req FEDERATED-042 FEDERATED-051 FEDERATED-080
 */
export function parseConnectionString(text: string): ParsedConnection | null {
  if (!text.includes('://') && !text.includes('@')) {
    const slash = text.indexOf('/');
    if (slash < 0) return { kind: 'server', server: text, table: null };
    const table = text.slice(slash + 1);
    if (table.includes('/')) return null;
    return { kind: 'server', server: text.slice(0, slash), table };
  }
  const sep = text.indexOf('://');
  if (sep < 0) return null;
  // @req FEDERATED-042: only the mysql scheme, spelled exactly so.
  if (text.slice(0, sep) !== FEDERATED_SCHEME) return null;
  const afterScheme = text.slice(sep + 3);
  const at = afterScheme.indexOf('@');
  if (at < 0) return null;
  let user = afterScheme.slice(0, at);
  const hostPart = afterScheme.slice(at + 1);
  let password: string | null = null;
  const colon = user.indexOf(':');
  if (colon >= 0) {
    password = user.slice(colon + 1);
    user = user.slice(0, colon);
    // @req FEDERATED-080: no '/' in the password, no second '@' after it.
    if (password.includes('/') || hostPart.includes('@')) return null;
    if (password === '') password = null;
  }
  if (user.includes('/') || hostPart.includes('@')) return null;
  const dbSlash = hostPart.indexOf('/');
  if (dbSlash < 0) return null;
  let host = hostPart.slice(0, dbSlash);
  const rest = hostPart.slice(dbSlash + 1);
  let port = 0;
  const portColon = host.indexOf(':');
  if (portColon >= 0) {
    const p = host.slice(portColon + 1);
    host = host.slice(0, portColon);
    if (p !== '') port = atoi(p);
  }
  const tableSlash = rest.indexOf('/');
  if (tableSlash < 0) return null;
  const database = rest.slice(0, tableSlash);
  const table = rest.slice(tableSlash + 1);
  if (table.includes('/')) return null;
  return { kind: 'url', user, password, host: host === '' ? null : host, port, database, table };
}

/** A URL-form connection written back as a CONNECTION string (the inverse of the parser for the strings it accepts). */
export function formatConnectionUrl(c: Extract<ParsedConnection, { kind: 'url' }>): string {
  const pw = c.password !== null ? `:${c.password}` : '';
  const port = c.port !== 0 ? `:${c.port}` : '';
  return `${FEDERATED_SCHEME}://${c.user}${pw}@${c.host ?? ''}${port}/${c.database}/${c.table}`;
}

/**
 * The remote endpoint and table a FEDERATED table's CONNECTION names, with MySQL's defaults: no
 * port and host localhost (or none) means the default socket, else port 3306; a server's port
 * outside 1..65535 means 3306. `creating` selects 1432 (CREATE TABLE) over 1433 for a malformed
 * string; an unknown server name is 1432 with its own message, as in MySQL.
 * @req FEDERATED-043 FEDERATED-051 FEDERATED-054
 */
export function resolveConnection(text: string, localTable: string, servers: ForeignServerDirectory | undefined, creating: boolean): RemoteTarget {
  const parsed = parseConnectionString(text);
  if (!parsed) throw sqlError(creating ? 'ER_FOREIGN_DATA_STRING_INVALID_CANT_CREATE' : 'ER_FOREIGN_DATA_STRING_INVALID', text);
  if (parsed.kind === 'server') {
    const s = servers?.lookup(parsed.server);
    // @req FEDERATED-054: the number is 1432 whether creating or opening; the text names the server.
    if (!s) throw new SqlError(1432, 'HY000', `server name: '${parsed.server}' doesn't exist!`);
    const port = s.port > 0 && s.port < 65536 ? s.port : DEFAULT_REMOTE_PORT;
    const socket = s.socket !== '' ? s.socket : s.host === 'localhost' ? DEFAULT_REMOTE_SOCKET : null;
    return {
      endpoint: { host: s.host === '' ? null : s.host, port, socket, user: s.user, password: s.password === '' ? null : s.password, database: s.db },
      table: parsed.table ?? localTable,
    };
  }
  let port = parsed.port;
  let socket: string | null = null;
  if (port === 0) {
    if (parsed.host === null || parsed.host === 'localhost') socket = DEFAULT_REMOTE_SOCKET;
    else port = DEFAULT_REMOTE_PORT;
  }
  return {
    endpoint: { host: parsed.host, port, socket, user: parsed.user, password: parsed.password, database: parsed.database },
    table: parsed.table,
  };
}

/**
 * CREATE SERVER, ALTER SERVER and DROP SERVER: the rows of mysql.servers that FEDERATED tables
 * name in CONNECTION='server[/table]'. They need SUPER, as in MySQL 8.0 (no dynamic privilege
 * covers them), and commit implicitly. A change reaches the FEDERATED tables naming the server at
 * their next new connection: idle connections made with the old options are dropped, as MySQL
 * closes the cached tables that use the server.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-server.html (13.1.18)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-server.html (13.1.8)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-server.html (13.1.30)
 * @req FEDERATED-050 FEDERATED-052 FEDERATED-055
 */
import { sqlError } from '../kernel/errors.js';
import type { ForeignServer } from '../kernel/remote-sql-port.js';
import type { OkResult } from '../kernel/protocol-port.js';
import type { AlterServerStatement, CreateServerStatement, DropServerStatement, ServerOptions } from '../sql/ast.js';
import type { ForeignServersApi } from './deps.js';
import type { Session } from './session.js';

function servers(session: Session): ForeignServersApi {
  const api = session.deps.foreignServers;
  if (!api) throw sqlError('ER_NOT_SUPPORTED_YET', 'CREATE SERVER');
  return api;
}

/** @req FEDERATED-055 */
function requireSuper(session: Session): void {
  if (!session.deps.accounts.hasGlobal(session, 'SUPER')) throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER');
}

function applyOptions(s: ForeignServer, o: ServerOptions): ForeignServer {
  const out = { ...s };
  if (o.host !== undefined) out.host = o.host;
  if (o.database !== undefined) out.db = o.database;
  if (o.user !== undefined) out.user = o.user;
  if (o.password !== undefined) out.password = o.password;
  if (o.socket !== undefined) out.socket = o.socket;
  if (o.owner !== undefined) out.owner = o.owner;
  if (o.port !== undefined) out.port = o.port;
  return out;
}

/** MySQL answers each of these statements with one affected row (DROP SERVER IF EXISTS of nothing too). */
const ok = (): OkResult => ({ kind: 'ok', affectedRows: 1n, lastInsertId: 0n });

/** CREATE SERVER: 1476 when the name is taken. @req FEDERATED-050 FEDERATED-052 */
export async function executeCreateServer(session: Session, stmt: CreateServerStatement): Promise<OkResult> {
  requireSuper(session);
  const api = servers(session);
  if (api.lookup(stmt.name)) throw sqlError('ER_FOREIGN_SERVER_EXISTS', stmt.name);
  const blank: ForeignServer = { name: stmt.name, host: '', db: '', user: '', password: '', port: 0, socket: '', wrapper: stmt.wrapper, owner: '' };
  await api.save(applyOptions(blank, stmt.options));
  return ok();
}

/** ALTER SERVER: changes only the options given; 1477 for an unknown name. @req FEDERATED-055 */
export async function executeAlterServer(session: Session, stmt: AlterServerStatement): Promise<OkResult> {
  requireSuper(session);
  const api = servers(session);
  const old = api.lookup(stmt.name);
  if (!old) throw sqlError('ER_FOREIGN_SERVER_DOESNT_EXIST', stmt.name);
  await api.save(applyOptions(old, stmt.options));
  return ok();
}

/** DROP SERVER [IF EXISTS]: 1477 for an unknown name unless IF EXISTS. @req FEDERATED-055 */
export async function executeDropServer(session: Session, stmt: DropServerStatement): Promise<OkResult> {
  requireSuper(session);
  const api = servers(session);
  if (!api.lookup(stmt.name)) {
    if (stmt.ifExists) return ok();
    throw sqlError('ER_FOREIGN_SERVER_DOESNT_EXIST', stmt.name);
  }
  await api.remove(stmt.name);
  return ok();
}

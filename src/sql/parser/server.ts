/**
 * CREATE SERVER, ALTER SERVER and DROP SERVER: the foreign servers FEDERATED tables name in
 * CONNECTION. A server name or wrapper name is an identifier or a string; option values are
 * strings, PORT a number; an option may be given more than once (the last one counts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-server.html (13.1.18)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-server.html (13.1.8)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-server.html (13.1.30)
 * @req FEDERATED-050 FEDERATED-055
 */
import type { AlterServerStatement, CreateServerStatement, DropServerStatement, ServerOptions } from '../ast.js';
import type { Cursor } from './cursor.js';

const STRING_OPTIONS: Readonly<Record<string, keyof Omit<ServerOptions, 'port'>>> = {
  HOST: 'host',
  DATABASE: 'database',
  USER: 'user',
  PASSWORD: 'password',
  SOCKET: 'socket',
  OWNER: 'owner',
};

/** OPTIONS ( option [, option] ... ) */
function parseServerOptions(p: Cursor): ServerOptions {
  p.expectKw('OPTIONS');
  p.expectOp('(');
  const out: ServerOptions = {};
  do {
    const t = p.peek();
    const key = t.upper;
    if (key === 'PORT') {
      p.next();
      out.port = p.integer();
      continue;
    }
    const field = STRING_OPTIONS[key];
    if (!field) throw p.error();
    p.next();
    out[field] = p.string();
  } while (p.acceptOp(','));
  p.expectOp(')');
  return out;
}

/** After CREATE: SERVER name FOREIGN DATA WRAPPER wrapper OPTIONS (...). */
export function parseCreateServer(p: Cursor): CreateServerStatement {
  p.expectKw('SERVER');
  const name = p.identOrString();
  p.expectKw('FOREIGN');
  p.expectKw('DATA');
  p.expectKw('WRAPPER');
  const wrapper = p.identOrString();
  return { kind: 'create_server', name, wrapper, options: parseServerOptions(p) };
}

/** After ALTER: SERVER name OPTIONS (...). */
export function parseAlterServer(p: Cursor): AlterServerStatement {
  p.expectKw('SERVER');
  const name = p.identOrString();
  return { kind: 'alter_server', name, options: parseServerOptions(p) };
}

/** After DROP: SERVER [IF EXISTS] name. */
export function parseDropServer(p: Cursor): DropServerStatement {
  p.expectKw('SERVER');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  return { kind: 'drop_server', ifExists, name: p.identOrString() };
}

/**
 * COM_CHANGE_USER: authenticate as another account on the same connection, then reset the
 * session under the new identity. A failed attempt ends the connection, as in MySQL 8.0.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html
 * @req CORE-PROTO-018
 */
import type { AuthAccount } from '../../kernel/protocol-port.js';
import { sqlError } from '../../kernel/errors.js';
import type { AuthOutcome } from '../auth/exchange.js';
import { Capability } from '../constants.js';
import { MalformedPacketError, type PayloadReader } from '../packet-codec.js';
import type { Wire } from './wire.js';

export interface ChangeUserHooks {
  reauth(user: string, response: Buffer, plugin: string | null): Promise<{ outcome: AuthOutcome; account: AuthAccount | null }>;
  account(): AuthAccount | null;
  host(): string;
}

/** Returns true when the connection must close. @req CORE-PROTO-018 */
export async function handleChangeUser(w: Wire, r: PayloadReader, hooks: ChangeUserHooks): Promise<boolean> {
  let user: string;
  let response: Buffer;
  let schema: string | null = null;
  let plugin: string | null = null;
  try {
    user = r.nulBytes().toString('utf8');
    if (w.capabilities & Capability.SECURE_CONNECTION) response = Buffer.from(r.bytes(r.int1()));
    else response = Buffer.from(r.nulBytes());
    if (!r.atEnd()) {
      const s = r.nulOrRestBytes().toString('utf8');
      schema = s === '' ? null : s;
    }
    if (r.remaining >= 2) r.int2(); // character set of the new session
    if (w.capabilities & Capability.PLUGIN_AUTH && !r.atEnd()) plugin = r.nulOrRestBytes().toString('utf8');
  } catch (e) {
    if (e instanceof MalformedPacketError) {
      w.sendError(sqlError('ER_MALFORMED_PACKET'));
      return true;
    }
    throw e;
  }
  // Clients that do not name a plugin answered with mysql_native_password.
  const { outcome, account } = await hooks.reauth(user, response, plugin ?? 'mysql_native_password');
  if (!outcome.ok || !account) {
    w.sendError(outcome.ok ? sqlError('ER_ACCESS_DENIED_ERROR', user, hooks.host(), 'YES') : outcome.error);
    return true;
  }
  if (account.locked) {
    w.sendError(sqlError('ER_ACCOUNT_HAS_BEEN_LOCKED', user, hooks.host()));
    return true;
  }
  try {
    await w.session.changeUser(account, user, schema);
  } catch (e) {
    w.sendError(e);
    return true;
  }
  w.prepared.clear();
  w.sendOk();
  return false;
}

/**
 * The authentication exchange after the handshake response (and for COM_CHANGE_USER):
 * plugin negotiation with AuthSwitchRequest, mysql_native_password challenge-response, and
 * caching_sha2_password with its fast path (cached digest) and full path (clear-text password
 * over a secure channel, or RSA-OAEP encrypted over plain TCP).
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/caching-sha2-pluggable-authentication.html
 * @req CORE-PROTO-005 CORE-PROTO-006 CORE-PROTO-007 CORE-PROTO-008
 */
import { constants as cryptoConstants, privateDecrypt } from 'node:crypto';
import {
  NATIVE_PLUGIN,
  SHA2_PLUGIN,
  nativeScrambleCheck,
  sha2CacheEntry,
  sha2ScrambleCheck,
  verifyPassword,
} from '../../accounts/credentials.js';
import type { AuthAccount } from '../../kernel/protocol-port.js';
import { sqlError, type SqlError } from '../../kernel/errors.js';
import { Sha2Status } from '../constants.js';
import { authMoreDataPacket, authSwitchPacket } from '../packets.js';
import { cachedSha2Digest, storeSha2Digest } from './sha2-cache.js';
import { xorCycled } from '../../util/scramble.js';

/** What the exchange needs from the connection. */
export interface AuthChannel {
  /** Send one packet in the current exchange (sequence ids continue). */
  send(payload: Buffer): Promise<void>;
  /** The client's next packet payload, or null when the client went away. */
  read(): Promise<Buffer | null>;
  /** TLS or Unix socket: a clear-text password may travel as is. */
  readonly secure: boolean;
  readonly rsa?: { privateKeyPem: string; publicKeyPem: string };
}

export interface AuthRequest {
  user: string;
  /** The client host as error messages print it. */
  host: string;
  account: AuthAccount | null;
  /** Plugin the client used for its first response (null: client lacks CLIENT_PLUGIN_AUTH). */
  clientPlugin: string | null;
  firstResponse: Buffer;
  scramble: Buffer;
  /** Whether the client can be switched to another plugin (CLIENT_PLUGIN_AUTH). */
  canSwitch: boolean;
}

export type AuthOutcome = { ok: true } | { ok: false; error: SqlError };

function denied(req: AuthRequest, usedPassword: boolean): AuthOutcome {
  return { ok: false, error: sqlError('ER_ACCESS_DENIED_ERROR', req.user, req.host, usedPassword ? 'YES' : 'NO') };
}

/** Clients append a NUL to clear-text passwords; drop it. */
function stripNul(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 0 ? b.subarray(0, b.length - 1) : b;
}


/**
 * Run the exchange to completion. Never throws for protocol-level problems; a vanished or
 * misbehaving client yields an access-denied outcome.
 * @req CORE-PROTO-005 CORE-PROTO-006 CORE-PROTO-007 CORE-PROTO-008
 */
export async function authenticate(ch: AuthChannel, req: AuthRequest): Promise<AuthOutcome> {
  const account = req.account;
  const targetPlugin = account?.plugin ?? req.clientPlugin ?? NATIVE_PLUGIN;
  let response = req.firstResponse;
  const clientPlugin = req.clientPlugin ?? NATIVE_PLUGIN;
  if (clientPlugin !== targetPlugin) {
    if (!req.canSwitch) return { ok: false, error: sqlError('ER_NOT_SUPPORTED_AUTH_MODE') };
    if (targetPlugin !== NATIVE_PLUGIN && targetPlugin !== SHA2_PLUGIN) return denied(req, response.length > 0);
    await ch.send(authSwitchPacket(targetPlugin, req.scramble));
    const r = await ch.read();
    if (r === null) return denied(req, false);
    response = r;
  }
  // Unknown user: the exchange above still ran so the client cannot tell users apart by it.
  if (account === null) return denied(req, response.length > 0);
  if (targetPlugin === NATIVE_PLUGIN) return nativeExchange(req, account, response);
  if (targetPlugin === SHA2_PLUGIN) return sha2Exchange(ch, req, account, response);
  return denied(req, response.length > 0);
}

/** @req CORE-PROTO-005 */
function nativeExchange(req: AuthRequest, account: AuthAccount, response: Buffer): AuthOutcome {
  if (account.authString === '') return response.length === 0 ? { ok: true } : denied(req, true);
  if (response.length === 0) return denied(req, false);
  return nativeScrambleCheck(account.authString, req.scramble, response) ? { ok: true } : denied(req, true);
}

/** @req CORE-PROTO-006 CORE-PROTO-007 CORE-PROTO-008 */
async function sha2Exchange(ch: AuthChannel, req: AuthRequest, account: AuthAccount, response: Buffer): Promise<AuthOutcome> {
  // Some clients send a lone NUL for "no password".
  const empty = response.length === 0 || (response.length === 1 && response[0] === 0);
  if (account.authString === '') return empty ? { ok: true } : denied(req, true);
  if (empty) return denied(req, false);
  const cached = cachedSha2Digest(account.user, account.host, account.authString);
  if (cached && response.length === 32 && sha2ScrambleCheck(cached, req.scramble, response)) {
    await ch.send(authMoreDataPacket(Buffer.from([Sha2Status.FAST_AUTH_SUCCESS])));
    return { ok: true };
  }
  await ch.send(authMoreDataPacket(Buffer.from([Sha2Status.PERFORM_FULL_AUTHENTICATION])));
  let pkt = await ch.read();
  if (pkt === null) return denied(req, true);
  let password: Buffer;
  if (pkt.length === 1 && pkt[0] === Sha2Status.REQUEST_PUBLIC_KEY) {
    if (!ch.rsa) return denied(req, true);
    await ch.send(authMoreDataPacket(Buffer.from(ch.rsa.publicKeyPem, 'utf8')));
    pkt = await ch.read();
    if (pkt === null) return denied(req, true);
    password = decryptRsaPassword(ch.rsa.privateKeyPem, pkt, req.scramble) ?? Buffer.alloc(0);
  } else if (ch.secure) {
    password = stripNul(pkt);
  } else if (ch.rsa && pkt.length >= 64) {
    // A client that already knows our public key sends the encrypted password directly.
    password = decryptRsaPassword(ch.rsa.privateKeyPem, pkt, req.scramble) ?? Buffer.alloc(0);
  } else {
    // Clear text over an insecure channel is refused.
    return denied(req, true);
  }
  const text = password.toString('utf8');
  if (text === '' || !verifyPassword(SHA2_PLUGIN, account.authString, text)) return denied(req, true);
  storeSha2Digest(account.user, account.host, sha2CacheEntry(text), account.authString);
  return { ok: true };
}

/** RSA-OAEP (SHA-1) decryption of password XOR scramble; null when the block is not ours. @req CORE-PROTO-008 */
export function decryptRsaPassword(privateKeyPem: string, block: Buffer, scramble: Buffer): Buffer | null {
  try {
    const plain = privateDecrypt({ key: privateKeyPem, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, block);
    return stripNul(xorCycled(plain, scramble));
  } catch {
    return null;
  }
}

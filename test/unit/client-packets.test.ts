/**
 * The client's packet codec against the server's own encoders and decoders (src/protocol) as
 * oracles, plus fast-check: round trips, and random bytes never raise anything but
 * CR_MALFORMED_PACKET (2027) or a server error.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 * @req CLIENT-002 CLIENT-003 CLIENT-004 CLIENT-005 CLIENT-011
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, nativeScrambleCheck, sha2CacheEntry, sha2ScrambleCheck } from '../../src/accounts/credentials.js';
import { nativeScramble, rsaEncryptPassword, sha2Scramble } from '../../src/client/auth.js';
import { ClientError } from '../../src/client/errors.js';
import {
  handshakeResponsePacket,
  parseAuthSwitch,
  parseColumnCount,
  parseColumnDefinition,
  parseErr,
  parseGreeting,
  parseOk,
  parseTextRow,
  sslRequestPacket,
} from '../../src/client/packets.js';
import { decryptRsaPassword } from '../../src/protocol/auth/exchange.js';
import { Capability } from '../../src/protocol/constants.js';
import { encodeLenencString } from '../../src/protocol/packet-codec.js';
import { authSwitchPacket, columnDefinitionPacket, errPacket, handshakeV10Packet, okPacket, parseHandshakeResponse } from '../../src/protocol/packets.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const CAPS = (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH | Capability.SSL | Capability.CONNECT_WITH_DB | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CONNECT_ATTRS) >>> 0;

/** Only the intended failures may escape a decoder. */
function onlyIntended(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClientError);
  }
}

describe('client packet codec', () => {
  it(req('CLIENT-002', 'unit', "parses the server's Handshake v10 (property: every field round-trips)"), () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-z.-]{1,30}$/),
        fc.nat(0xffffffff),
        fc.uint8Array({ minLength: 20, maxLength: 20 }).map((a) => Buffer.from(a.map((b) => (b === 0 ? 1 : b)))),
        fc.nat(0xffff),
        fc.constantFrom('caching_sha2_password', 'mysql_native_password'),
        (version, id, scramble, status, plugin) => {
          const g = parseGreeting(handshakeV10Packet({ serverVersion: version, connectionId: id, scramble, capabilities: CAPS, collationId: 255, status, authPlugin: plugin }));
          expect(g).toMatchObject({ protocolVersion: 10, serverVersion: version, connectionId: id, capabilities: CAPS, collation: 255, status, authPlugin: plugin });
          expect(g.scramble.equals(scramble)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(req('CLIENT-002', 'unit', "HandshakeResponse41 and SSLRequest decode with the server's parser"), () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z_]{1,16}$/),
        fc.uint8Array({ maxLength: 40 }),
        fc.option(fc.stringMatching(/^[a-z0-9_]{1,16}$/), { nil: undefined }),
        (user, auth, db) => {
          const caps = (CAPS & ~Capability.SSL & ~(db === undefined ? Capability.CONNECT_WITH_DB : 0)) >>> 0;
          const parsed = parseHandshakeResponse(
            handshakeResponsePacket({ capabilities: caps, user, authResponse: Buffer.from(auth), ...(db ? { database: db } : {}), plugin: 'caching_sha2_password', attributes: { _client_name: 'refmysql' } }),
          );
          expect(parsed.user).toBe(user);
          expect(parsed.authResponse.equals(Buffer.from(auth))).toBe(true);
          expect(parsed.database).toBe(db ?? null);
          expect(parsed.authPlugin).toBe('caching_sha2_password');
          expect(parsed.attributes.get('_client_name')).toBe('refmysql');
          expect(parsed.sslRequest).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
    expect(parseHandshakeResponse(sslRequestPacket(CAPS)).sslRequest).toBe(true);
  });

  it(req(['CLIENT-011'], 'unit', "OK, ERR, column definitions and text rows decode what the server encodes"), () => {
    const ok = parseOk(okPacket({ affectedRows: 3n, lastInsertId: 7n, status: 0x0008, warnings: 2, info: 'Records: 3  Duplicates: 0  Warnings: 0' }), CAPS);
    expect(ok).toEqual({ affectedRows: 3n, lastInsertId: 7n, status: 8, warnings: 2, info: 'Records: 3  Duplicates: 0  Warnings: 0' });
    const err = parseErr(errPacket(1064, '42000', 'You have an error'));
    expect([err.errno, err.sqlState, err.message]).toEqual([1064, '42000', 'You have an error']);
    const col = parseColumnDefinition(columnDefinitionPacket({ name: 'n', table: 't', schema: 'd', orgTable: 't', orgName: 'n', type: 3, flags: 1, decimals: 0, length: 11, charsetId: 63 } as unknown as Parameters<typeof columnDefinitionPacket>[0]));
    expect(col).toMatchObject({ name: 'n', table: 't', type: 3, flags: 1, length: 11, charset: 63 });
    const row = Buffer.concat([encodeLenencString('abc'), Buffer.from([0xfb]), encodeLenencString('')]);
    expect(parseTextRow(row, 3)).toEqual([Buffer.from('abc'), null, Buffer.alloc(0)]);
    expect(parseColumnCount(Buffer.from([2]))).toBe(2);
    const sw = parseAuthSwitch(authSwitchPacket('mysql_native_password', Buffer.alloc(20, 7)));
    expect(sw.plugin).toBe('mysql_native_password');
    expect(sw.data.equals(Buffer.alloc(20, 7))).toBe(true);
  });

  it(req('CLIENT-002', 'unit', 'property: random bytes never raise anything but the client error'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat(8), (bytes, n) => {
        const b = Buffer.from(bytes);
        onlyIntended(() => parseGreeting(b));
        onlyIntended(() => parseOk(b, CAPS));
        onlyIntended(() => parseErr(b));
        onlyIntended(() => parseColumnDefinition(b));
        onlyIntended(() => parseTextRow(b, n));
        onlyIntended(() => parseColumnCount(b));
        onlyIntended(() => parseAuthSwitch(b));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it(req(['CLIENT-003', 'CLIENT-004'], 'unit', "the scrambles pass the server's checks (property)"), () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.uint8Array({ minLength: 20, maxLength: 20 }), (pw, nonce) => {
        const scramble = Buffer.from(nonce);
        expect(nativeScrambleCheck(hashPassword('mysql_native_password', pw), scramble, nativeScramble(pw, scramble))).toBe(true);
        expect(sha2ScrambleCheck(sha2CacheEntry(pw), scramble, sha2Scramble(pw, scramble))).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(nativeScramble('', Buffer.alloc(20)).length).toBe(0);
  });

  it(req('CLIENT-004', 'unit', "the RSA-encrypted password decrypts with the server's private key"), () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const scramble = Buffer.from('0123456789abcdefghij');
    const block = rsaEncryptPassword('s3cret', scramble, pub);
    expect(decryptRsaPassword(priv, block, scramble)?.toString()).toBe('s3cret');
  });
});

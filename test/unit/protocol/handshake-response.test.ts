/**
 * The server's reading of HandshakeResponse41 and SSLRequest, and the bytes of its ERR and
 * AuthMoreData packets, against payloads built here byte by byte (not with the client's
 * encoder): each capability bit that changes the layout is tried on and off.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
 * @req CORE-PROTO-004 CORE-PROTO-006 CORE-PROTO-010
 */
import { describe, expect, it } from 'vitest';
import { authMoreDataPacket, errPacket, parseHandshakeResponse } from '../../../src/protocol/packets.js';
import { req } from '../../helpers/req.js';

// Capability bits as the protocol documentation numbers them.
const LONG_PASSWORD = 0x1;
const CONNECT_WITH_DB = 0x8;
const PROTOCOL_41 = 0x200;
const SSL = 0x800;
const SECURE_CONNECTION = 0x8000;
const PLUGIN_AUTH = 0x80000;
const CONNECT_ATTRS = 0x100000;
const LENENC_CLIENT_DATA = 0x200000;

function int4(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const nul = (s: string): number[] => [...text(s), 0];
const lenenc = (s: string): number[] => [Buffer.byteLength(s), ...text(s)];

/** The fixed 32-byte head: capabilities, max packet 16 MiB, collation 255, 23 zero bytes. */
function head(caps: number): number[] {
  return [...int4(caps), ...int4(16 * 1024 * 1024), 255, ...new Array<number>(23).fill(0)];
}

const parse = (bytes: number[]): ReturnType<typeof parseHandshakeResponse> => parseHandshakeResponse(Buffer.from(bytes));

describe('HandshakeResponse41 as the server reads it', () => {
  it(req(['CORE-PROTO-004'], 'unit', 'a client without CLIENT_PROTOCOL_41 is refused; 32 bytes are an SSLRequest only with CLIENT_SSL'), () => {
    expect(() => parse([...head(LONG_PASSWORD), ...nul('u'), 0])).toThrow('client does not speak protocol 4.1');
    const ssl = parse(head(PROTOCOL_41 | SSL | SECURE_CONNECTION));
    expect([ssl.sslRequest, ssl.user, ssl.maxPacket, ssl.collationId]).toEqual([true, '', 16 * 1024 * 1024, 255]);
    expect(() => parse(head(PROTOCOL_41 | SECURE_CONNECTION))).toThrow('truncated handshake response');
  });

  it(req(['CORE-PROTO-004'], 'unit', 'the auth response is length-encoded, one-byte-length prefixed or NUL-terminated as the capabilities say'), () => {
    const lenencCaps = PROTOCOL_41 | SECURE_CONNECTION | LENENC_CLIENT_DATA;
    const a = parse([...head(lenencCaps), ...nul('alice'), 3, 1, 2, 3]);
    expect([a.user, [...a.authResponse], a.sslRequest]).toEqual(['alice', [1, 2, 3], false]);
    const b = parse([...head(PROTOCOL_41 | SECURE_CONNECTION), ...nul('bob'), 2, 9, 8]);
    expect([b.user, [...b.authResponse]]).toEqual(['bob', [9, 8]]);
    const c = parse([...head(PROTOCOL_41), ...nul('carol'), ...nul('pw')]);
    expect([c.user, c.authResponse.toString()]).toEqual(['carol', 'pw']);
    // 300 bytes need the three-byte length form (0xFC), which a one-byte length cannot say.
    const big = new Array<number>(300).fill(7);
    const d = parse([...head(lenencCaps), ...nul('dora'), 0xfc, 300 & 0xff, 300 >> 8, ...big]);
    expect([d.user, d.authResponse.length, d.authResponse[299]]).toEqual(['dora', 300, 7]);
  });

  it(req(['CORE-PROTO-004'], 'unit', 'database, plugin name and connection attributes are read only when their capability is set; an empty database is none'), () => {
    const all = PROTOCOL_41 | SECURE_CONNECTION | LENENC_CLIENT_DATA | CONNECT_WITH_DB | PLUGIN_AUTH | CONNECT_ATTRS;
    const attrs = [...lenenc('_client_name'), ...lenenc('tester'), ...lenenc('_pid'), ...lenenc('42')];
    const r = parse([...head(all), ...nul('dave'), 1, 7, ...nul('shop'), ...nul('caching_sha2_password'), attrs.length, ...attrs]);
    expect([r.user, r.database, r.authPlugin]).toEqual(['dave', 'shop', 'caching_sha2_password']);
    expect([...r.attributes]).toEqual([
      ['_client_name', 'tester'],
      ['_pid', '42'],
    ]);
    const empty = parse([...head(all), ...nul('erin'), 0, ...nul(''), ...nul('mysql_native_password'), 0]);
    expect([empty.database, empty.authPlugin, empty.attributes.size]).toEqual([null, 'mysql_native_password', 0]);
    // Without CONNECT_WITH_DB the bytes after the auth response are the plugin name.
    const noDb = parse([...head(all & ~CONNECT_WITH_DB & ~CONNECT_ATTRS), ...nul('fay'), 0, ...nul('sha256_password')]);
    expect([noDb.database, noDb.authPlugin]).toEqual([null, 'sha256_password']);
    // Without PLUGIN_AUTH nothing after the database is read as a plugin.
    const noPlugin = parse([...head(PROTOCOL_41 | SECURE_CONNECTION | CONNECT_WITH_DB), ...nul('gus'), 0, ...nul('db1')]);
    expect([noPlugin.database, noPlugin.authPlugin]).toEqual(['db1', null]);
    // Bytes after the last field a capability announces are not read as the next field.
    const trailing = parse([...head(PROTOCOL_41 | SECURE_CONNECTION | CONNECT_WITH_DB), ...nul('hal'), 0, ...nul('db2'), ...nul('not_a_plugin')]);
    expect([trailing.database, trailing.authPlugin, trailing.attributes.size]).toEqual(['db2', null, 0]);
    const noAttrs = parse([...head(PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH), ...nul('ida'), 0, ...nul('caching_sha2_password'), 4, ...lenenc('k'), 1]);
    expect([noAttrs.authPlugin, noAttrs.attributes.size]).toEqual(['caching_sha2_password', 0]);
  });
});

describe('packets the server writes', () => {
  it(req(['CORE-PROTO-010'], 'unit', "ERR: 0xFF, errno, '#', a five-character SQLSTATE (padded or cut), then the message"), () => {
    expect([...errPacket(1064, '42000', 'bad')]).toEqual([0xff, 0x28, 0x04, ...text('#42000'), ...text('bad')]);
    expect([...errPacket(1105, 'HY', 'x')]).toEqual([0xff, 0x51, 0x04, ...text('#HY000'), ...text('x')]);
    expect([...errPacket(1105, 'HY0001', 'x')]).toEqual([0xff, 0x51, 0x04, ...text('#HY000'), ...text('x')]);
    const long = 'm'.repeat(300);
    expect(errPacket(1105, 'HY000', long).length).toBe(9 + 300);
  });

  it(req(['CORE-PROTO-006'], 'unit', 'AuthMoreData: 0x01 then the data'), () => {
    expect([...authMoreDataPacket(Buffer.from([3]))]).toEqual([0x01, 0x03]);
    expect([...authMoreDataPacket(Buffer.from('-----BEGIN'))]).toEqual([0x01, ...text('-----BEGIN')]);
  });
});

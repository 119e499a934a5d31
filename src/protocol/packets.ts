/**
 * Builders for the generic server response packets: OK, ERR, EOF, column definitions,
 * the Handshake v10 greeting, and parsers for the client's handshake response.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
 * @req CORE-PROTO-003 CORE-PROTO-004 CORE-PROTO-010 CORE-PROTO-011
 */
import type { ResultColumn } from '../kernel/column-type.js';
import { Capability, Header, PROTOCOL_VERSION } from './constants.js';
import { PayloadReader, PayloadWriter } from './packet-codec.js';

/** OK packet (header 0x00), or the 0xFE-headed variant that replaces EOF under DEPRECATE_EOF. @req CORE-PROTO-010 */
export function okPacket(o: {
  affectedRows?: bigint;
  lastInsertId?: bigint;
  status: number;
  warnings: number;
  info?: string;
  eofHeader?: boolean;
}): Buffer {
  const w = new PayloadWriter(32);
  w.int1(o.eofHeader ? Header.EOF : Header.OK);
  w.lenencInt(o.affectedRows ?? 0n);
  w.lenencInt(o.lastInsertId ?? 0n);
  w.int2(o.status);
  w.int2(Math.min(o.warnings, 0xffff));
  // MySQL writes the info text length-encoded whether or not CLIENT_SESSION_TRACK is in use
  // (the documentation says "rest of packet"); libmariadb-based clients rely on the prefix.
  if (o.info) w.lenencStr(o.info);
  return w.finish();
}

/** ERR packet with the `#SQLSTATE` marker (all our clients speak protocol 4.1). @req CORE-PROTO-010 */
export function errPacket(errno: number, sqlState: string, message: string): Buffer {
  const w = new PayloadWriter(16 + message.length);
  w.int1(Header.ERR).int2(errno).str('#').str(sqlState.padEnd(5, '0').slice(0, 5)).str(message);
  return w.finish();
}

/** Classic EOF packet (pre-DEPRECATE_EOF clients). @req CORE-PROTO-010 */
export function eofPacket(status: number, warnings: number): Buffer {
  return new PayloadWriter(5).int1(Header.EOF).int2(Math.min(warnings, 0xffff)).int2(status).finish();
}

/** ColumnDefinition41. @req CORE-PROTO-011 */
export function columnDefinitionPacket(c: ResultColumn, defaultValue?: Buffer | string | null): Buffer {
  // A prepared statement sends the same column objects on every execution: encode each once.
  if (defaultValue === undefined) {
    let b = encodedColumns.get(c);
    if (!b) {
      b = encodeColumnDefinition(c, undefined);
      encodedColumns.set(c, b);
    }
    return b;
  }
  return encodeColumnDefinition(c, defaultValue);
}

/** Column definitions already encoded, per (immutable) result column. */
const encodedColumns = new WeakMap<ResultColumn, Buffer>();

function encodeColumnDefinition(c: ResultColumn, defaultValue: Buffer | string | null | undefined): Buffer {
  const w = new PayloadWriter(64);
  w.lenencStr('def');
  w.lenencStr(c.schema);
  w.lenencStr(c.table);
  w.lenencStr(c.orgTable);
  w.lenencStr(c.name);
  w.lenencStr(c.orgName);
  w.lenencInt(0x0c);
  w.int2(c.charsetId);
  w.int4(c.length);
  w.int1(c.type);
  w.int2(c.flags);
  w.int1(c.decimals);
  w.int2(0);
  if (defaultValue !== undefined) {
    if (defaultValue === null) w.int1(Header.NULL_TEXT);
    else w.lenencStr(defaultValue);
  }
  return w.finish();
}

export interface GreetingFields {
  serverVersion: string;
  connectionId: number;
  scramble: Buffer;
  capabilities: number;
  collationId: number;
  status: number;
  authPlugin: string;
}

/** Handshake v10 greeting. @req CORE-PROTO-003 */
export function handshakeV10Packet(g: GreetingFields): Buffer {
  const w = new PayloadWriter(128);
  w.int1(PROTOCOL_VERSION);
  w.nulStr(g.serverVersion);
  w.int4(g.connectionId);
  w.bytes(g.scramble.subarray(0, 8));
  w.int1(0);
  w.int2(g.capabilities & 0xffff);
  w.int1(g.collationId);
  w.int2(g.status);
  w.int2((g.capabilities >>> 16) & 0xffff);
  w.int1(g.scramble.length + 1);
  w.zeros(10);
  // Part 2 of the scramble is NUL-terminated; its length field is max(13, len - 8).
  w.bytes(g.scramble.subarray(8));
  w.int1(0);
  w.nulStr(g.authPlugin);
  return w.finish();
}

/** The parsed HandshakeResponse41 (or the capability prefix of an SSLRequest). */
export interface HandshakeResponse {
  capabilities: number;
  maxPacket: number;
  collationId: number;
  user: string;
  authResponse: Buffer;
  database: string | null;
  authPlugin: string | null;
  attributes: Map<string, string>;
  /** The payload was only an SSLRequest (32 bytes, CLIENT_SSL set). */
  sslRequest: boolean;
}

/**
 * Parse HandshakeResponse41 / SSLRequest. Throws MalformedPacketError on truncation and a
 * plain Error for pre-4.1 clients (which we do not speak).
 * @req CORE-PROTO-004
 */
export function parseHandshakeResponse(payload: Buffer): HandshakeResponse {
  const r = new PayloadReader(payload);
  const capabilities = r.int4();
  if (!(capabilities & Capability.PROTOCOL_41)) throw new Error('client does not speak protocol 4.1');
  const maxPacket = r.int4();
  const collationId = r.int1();
  r.skip(23);
  const base: HandshakeResponse = {
    capabilities,
    maxPacket,
    collationId,
    user: '',
    authResponse: Buffer.alloc(0),
    database: null,
    authPlugin: null,
    attributes: new Map(),
    sslRequest: false,
  };
  if (r.atEnd()) {
    base.sslRequest = (capabilities & Capability.SSL) !== 0;
    if (!base.sslRequest) throw new Error('truncated handshake response');
    return base;
  }
  base.user = r.nulBytes().toString('utf8');
  if (capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) base.authResponse = Buffer.from(r.lenencBytes());
  else if (capabilities & Capability.SECURE_CONNECTION) base.authResponse = Buffer.from(r.bytes(r.int1()));
  else base.authResponse = Buffer.from(r.nulBytes());
  if (capabilities & Capability.CONNECT_WITH_DB && !r.atEnd()) {
    const db = r.nulOrRestBytes().toString('utf8');
    base.database = db === '' ? null : db;
  }
  if (capabilities & Capability.PLUGIN_AUTH && !r.atEnd()) {
    base.authPlugin = r.nulOrRestBytes().toString('utf8');
  }
  if (capabilities & Capability.CONNECT_ATTRS && !r.atEnd()) {
    const total = r.lenencLength();
    const attrs = new PayloadReader(r.bytes(total));
    // Bounded by the attribute block length: each pair consumes at least two bytes.
    while (!attrs.atEnd()) {
      const k = attrs.lenencBytes().toString('utf8');
      const v = attrs.lenencBytes().toString('utf8');
      base.attributes.set(k, v);
    }
  }
  return base;
}

/** AuthSwitchRequest: ask the client to answer the challenge with another plugin. @req CORE-PROTO-005 */
export function authSwitchPacket(plugin: string, scramble: Buffer): Buffer {
  return new PayloadWriter(64).int1(Header.AUTH_SWITCH).nulStr(plugin).bytes(scramble).int1(0).finish();
}

/** AuthMoreData: extra data within an authentication exchange. @req CORE-PROTO-006 */
export function authMoreDataPacket(data: Buffer): Buffer {
  return new PayloadWriter(data.length + 1).int1(Header.AUTH_MORE_DATA).bytes(data).finish();
}

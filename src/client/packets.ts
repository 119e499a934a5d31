/**
 * Client-side encoders and decoders for the packets of the connection and command phases:
 * the server's greeting (Handshake v10), SSLRequest, HandshakeResponse41, auth switch and
 * auth-more-data packets, OK / ERR / EOF, column definitions and text-protocol rows.
 *
 * Every decoder reads through {@link PayloadReader}, so a truncated or garbled packet becomes a
 * {@link ClientError} CR_MALFORMED_PACKET (2027), never an exception of another kind.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
 * @req CLIENT-002 CLIENT-005 CLIENT-011
 */
import { MalformedPacketError, PayloadReader, PayloadWriter } from '../protocol/packet-codec.js';
import { Capability, Header } from '../protocol/constants.js';
import { CR, ClientError, clientError, crMessages } from './errors.js';
import { CLIENT_COLLATION_ID, CLIENT_MAX_PACKET, MAX_RESULT_COLUMNS, MAX_SCRAMBLE_BYTES } from './limits.js';

/** What the server told us in its greeting. */
export interface Greeting {
  protocolVersion: number;
  serverVersion: string;
  connectionId: number;
  /** The 20-byte nonce (auth-plugin-data without its trailing NUL). */
  scramble: Buffer;
  capabilities: number;
  collation: number;
  status: number;
  /** Plugin the server expects the first response for ('' when the server names none). */
  authPlugin: string;
}

/** Run a decoder and turn any bounds failure into CR_MALFORMED_PACKET. */
function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MalformedPacketError || err instanceof RangeError) throw clientError(CR.MALFORMED_PACKET, crMessages.malformed());
    throw err;
  }
}

/**
 * Decode Handshake v10. A greeting that starts with 0xff is an ERR packet (too many
 * connections, host blocked ...): it is returned as the server's error.
 * @req CLIENT-002
 */
export function parseGreeting(payload: Buffer): Greeting {
  if (payload[0] === Header.ERR) throw parseErr(payload);
  return guarded(() => {
    const r = new PayloadReader(payload);
    const protocolVersion = r.int1();
    if (protocolVersion !== 10) throw clientError(CR.VERSION_ERROR, `Protocol mismatch; server version = ${protocolVersion}, client version = 10`);
    const serverVersion = r.nulBytes().toString('utf8');
    const connectionId = r.int4();
    const part1 = Buffer.from(r.bytes(8));
    r.skip(1);
    let capabilities = r.int2();
    let collation = 0;
    let status = 0;
    let authPlugin = '';
    let scramble = part1;
    if (!r.atEnd()) {
      collation = r.int1();
      status = r.int2();
      capabilities = (capabilities | (r.int2() << 16)) >>> 0;
      const dataLen = r.int1();
      r.skip(10);
      if (capabilities & Capability.SECURE_CONNECTION) {
        const n = Math.max(13, dataLen - 8);
        const part2 = r.bytes(Math.min(n, r.remaining));
        // The second part ends with a NUL that is not part of the nonce.
        const body = part2[part2.length - 1] === 0 ? part2.subarray(0, part2.length - 1) : part2;
        scramble = Buffer.concat([part1, body]);
        if (scramble.length > MAX_SCRAMBLE_BYTES) throw clientError(CR.MALFORMED_PACKET, crMessages.malformed());
      }
      if (capabilities & Capability.PLUGIN_AUTH && !r.atEnd()) authPlugin = r.nulOrRestBytes().toString('utf8');
    }
    return { protocolVersion, serverVersion, connectionId, scramble, capabilities, collation, status, authPlugin };
  });
}

/** The fixed 32-byte prefix shared by SSLRequest and HandshakeResponse41. */
function responsePrefix(w: PayloadWriter, caps: number): void {
  w.int4(caps >>> 0).int4(CLIENT_MAX_PACKET).int1(CLIENT_COLLATION_ID).zeros(23);
}

/** SSLRequest: the prefix alone, after which both sides start TLS. @req CLIENT-006 */
export function sslRequestPacket(caps: number): Buffer {
  const w = new PayloadWriter(32);
  responsePrefix(w, caps);
  return Buffer.from(w.finish());
}

export interface HandshakeResponseFields {
  capabilities: number;
  user: string;
  authResponse: Buffer;
  database?: string;
  plugin: string;
  attributes?: Record<string, string>;
}

/** HandshakeResponse41. @req CLIENT-002 */
export function handshakeResponsePacket(f: HandshakeResponseFields): Buffer {
  const w = new PayloadWriter(128);
  responsePrefix(w, f.capabilities);
  w.nulStr(f.user);
  if (f.capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) w.lenencStr(f.authResponse);
  else w.int1(f.authResponse.length).bytes(f.authResponse);
  if (f.capabilities & Capability.CONNECT_WITH_DB) w.nulStr(f.database ?? '');
  if (f.capabilities & Capability.PLUGIN_AUTH) w.nulStr(f.plugin);
  if (f.capabilities & Capability.CONNECT_ATTRS) {
    const attrs = new PayloadWriter(64);
    for (const [k, v] of Object.entries(f.attributes ?? {})) attrs.lenencStr(k).lenencStr(v);
    w.lenencStr(attrs.finish());
  }
  return Buffer.from(w.finish());
}

/** The server's OK packet. */
export interface OkInfo {
  affectedRows: bigint;
  lastInsertId: bigint;
  status: number;
  warnings: number;
  /** Human-readable info (`Records: 3  Duplicates: 0  Warnings: 0`), '' when none. */
  info: string;
}

/** SERVER_MORE_RESULTS_EXISTS: another result follows this one. */
export const MORE_RESULTS_EXISTS = 0x0008;

/** Decode an OK packet (header 0x00, or 0xfe as the OK that ends a result set). @req CLIENT-011 */
export function parseOk(payload: Buffer, capabilities: number): OkInfo {
  return guarded(() => {
    const r = new PayloadReader(payload);
    r.int1();
    const affectedRows = r.lenencInt();
    const lastInsertId = r.lenencInt();
    let status = 0;
    let warnings = 0;
    if (capabilities & Capability.PROTOCOL_41) {
      status = r.int2();
      warnings = r.int2();
    }
    let info = '';
    if (!r.atEnd()) {
      // Servers write the info text length-encoded even without CLIENT_SESSION_TRACK (as
      // libmysqlclient reads it); a text that does not parse that way is taken as the rest.
      const at = r.pos;
      try {
        info = r.lenencBytes().toString('utf8');
      } catch {
        r.pos = at;
        info = r.rest().toString('utf8');
      }
    }
    return { affectedRows, lastInsertId, status, warnings, info };
  });
}

/** Decode an ERR packet into the error it reports. @req CLIENT-010 */
export function parseErr(payload: Buffer): ClientError {
  return guarded(() => {
    const r = new PayloadReader(payload);
    r.int1();
    const errno = r.int2();
    let sqlState = 'HY000';
    if (r.remaining > 0 && r.buf[r.pos] === 0x23) {
      r.skip(1);
      sqlState = r.bytes(5).toString('latin1');
    }
    return new ClientError(errno, sqlState, r.rest().toString('utf8'));
  });
}

/** Whether a payload is an EOF packet (0xfe and shorter than 9 bytes). */
export function isEof(payload: Buffer): boolean {
  return payload[0] === Header.EOF && payload.length < 9;
}

/** Decode an EOF packet's warnings and status. */
export function parseEof(payload: Buffer): { warnings: number; status: number } {
  if (payload.length >= 5) return { warnings: payload.readUInt16LE(1), status: payload.readUInt16LE(3) };
  return { warnings: 0, status: 0 };
}

/** One column of a result set, as much of ColumnDefinition41 as the client uses. */
export interface ColumnInfo {
  name: string;
  table: string;
  type: number;
  flags: number;
  decimals: number;
  length: number;
  charset: number;
}

/** Decode ColumnDefinition41. @req CLIENT-011 */
export function parseColumnDefinition(payload: Buffer): ColumnInfo {
  return guarded(() => {
    const r = new PayloadReader(payload);
    r.lenencBytes(); // catalog
    r.lenencBytes(); // schema
    const table = r.lenencBytes().toString('utf8');
    r.lenencBytes(); // org_table
    const name = r.lenencBytes().toString('utf8');
    r.lenencBytes(); // org_name
    r.lenencInt(); // length of the fixed fields (0x0c)
    const charset = r.int2();
    const length = r.int4();
    const type = r.int1();
    const flags = r.int2();
    const decimals = r.int1();
    return { name, table, type, flags, decimals, length, charset };
  });
}

/** Decode one text-protocol row of `columns` values; null is SQL NULL. @req CLIENT-011 */
export function parseTextRow(payload: Buffer, columns: number): (Buffer | null)[] {
  return guarded(() => {
    const r = new PayloadReader(payload);
    const out: (Buffer | null)[] = [];
    for (let i = 0; i < columns; i++) {
      if (r.buf[r.pos] === Header.NULL_TEXT) {
        r.skip(1);
        out.push(null);
      } else {
        out.push(r.lenencBytes());
      }
    }
    if (!r.atEnd()) throw new MalformedPacketError('trailing bytes after row');
    return out;
  });
}

/** The column count that opens a result set. */
export function parseColumnCount(payload: Buffer): number {
  return guarded(() => {
    const n = new PayloadReader(payload).lenencInt();
    if (n > BigInt(MAX_RESULT_COLUMNS)) throw new MalformedPacketError('column count');
    return Number(n);
  });
}

/** AuthSwitchRequest: the plugin to continue with and its fresh nonce. @req CLIENT-005 */
export function parseAuthSwitch(payload: Buffer): { plugin: string; data: Buffer } {
  return guarded(() => {
    const r = new PayloadReader(payload);
    r.int1();
    const plugin = r.nulOrRestBytes().toString('utf8');
    let data = Buffer.from(r.rest());
    if (data.length > 0 && data[data.length - 1] === 0) data = data.subarray(0, data.length - 1);
    return { plugin, data };
  });
}

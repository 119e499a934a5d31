/**
 * One client connection: greeting, optional TLS upgrade, authentication (with auth switch and
 * caching_sha2_password's extra rounds), then COM_QUERY with text result sets and COM_QUIT.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_ssl-mode
 * @req CLIENT-002 CLIENT-003 CLIENT-004 CLIENT-005 CLIENT-006 CLIENT-011 CLIENT-017
 */
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { Capability, Command, Header, Sha2Status } from '../protocol/constants.js';
import { clearPassword, NATIVE_PLUGIN, rsaEncryptPassword, scrambleFor, SHA2_PLUGIN } from './auth.js';
import { PacketChannel } from './channel.js';
import { CR, ClientError, clientError, crMessages } from './errors.js';
import { MAX_AUTH_ROUNDS, MAX_RESULT_SETS } from './limits.js';
import {
  type ColumnInfo,
  type Greeting,
  handshakeResponsePacket,
  isEof,
  MORE_RESULTS_EXISTS,
  type OkInfo,
  parseAuthSwitch,
  parseColumnCount,
  parseColumnDefinition,
  parseEof,
  parseErr,
  parseGreeting,
  parseOk,
  parseTextRow,
  sslRequestPacket,
} from './packets.js';
import { describeEndpoint, type Endpoint, openStream } from './transport.js';

export type SslMode = 'DISABLED' | 'PREFERRED' | 'REQUIRED';

export interface ConnectParams {
  endpoint: Endpoint;
  user: string;
  password: string;
  database?: string;
  sslMode: SslMode;
  /** Ask the server for its RSA public key when full authentication needs it (--get-server-public-key). */
  getServerPublicKey: boolean;
  /** Seconds; 0 = no limit. */
  connectTimeout: number;
  /** Announce CLIENT_INTERACTIVE (the REPL), so the server applies interactive_timeout. */
  interactive: boolean;
  programName: string;
}

/** One result of a statement: a result set or an OK. */
export interface RowsResult {
  kind: 'rows';
  columns: ColumnInfo[];
  rows: (Buffer | null)[][];
  warnings: number;
  status: number;
}
export type StatementResult = RowsResult | { kind: 'ok'; ok: OkInfo };

/** Everything one COM_QUERY produced: results in order, then possibly the error that ended it. */
export interface QueryOutcome {
  results: StatementResult[];
  error?: ClientError;
}

/** Capabilities this client asks for (masked by what the server offers). @req CLIENT-002 */
const CLIENT_CAPABILITIES =
  Capability.LONG_PASSWORD |
  Capability.FOUND_ROWS |
  Capability.LONG_FLAG |
  Capability.PROTOCOL_41 |
  Capability.TRANSACTIONS |
  Capability.SECURE_CONNECTION |
  Capability.MULTI_STATEMENTS |
  Capability.MULTI_RESULTS |
  Capability.PS_MULTI_RESULTS |
  Capability.PLUGIN_AUTH |
  Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  Capability.CONNECT_ATTRS;

/** A connected, authenticated session. */
export class ClientConnection {
  private constructor(
    private readonly ch: PacketChannel,
    readonly greeting: Greeting,
    readonly capabilities: number,
    readonly tls: boolean,
  ) {}

  /** Connect and authenticate, or reject with a ClientError / NamespaceError. @req CLIENT-002 */
  static async connect(p: ConnectParams): Promise<ClientConnection> {
    const timeoutMs = p.connectTimeout > 0 ? p.connectTimeout * 1000 : undefined;
    const sock = await openStream(p.endpoint, timeoutMs);
    const where = describeEndpoint(p.endpoint);
    const ch = new PacketChannel(sock, where);
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = ClientConnection.handshake(ch, sock, p);
      if (!timeoutMs) return await work;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(clientError(CR.SERVER_LOST, crMessages.serverLostExtended('reading initial communication packet', 110))), timeoutMs);
      });
      return await Promise.race([work, expired]);
    } catch (err) {
      ch.close();
      // libmysqlclient reports a handshake cut short as 2013 with the extended wording.
      if (err instanceof ClientError && err.errno === CR.SERVER_LOST && !err.message.startsWith('Lost connection to MySQL server at')) {
        throw clientError(CR.SERVER_LOST, crMessages.serverLostExtended('reading initial communication packet', 0));
      }
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private static async handshake(ch: PacketChannel, sock: Socket, p: ConnectParams): Promise<ClientConnection> {
    const greeting = parseGreeting(await ch.read());
    if (!(greeting.capabilities & Capability.PROTOCOL_41)) throw clientError(CR.SERVER_HANDSHAKE_ERR, crMessages.handshake());
    let caps = CLIENT_CAPABILITIES;
    if (p.database) caps |= Capability.CONNECT_WITH_DB;
    if (p.interactive) caps |= Capability.INTERACTIVE;
    // Only what the server also speaks (the capabilities we depend on are checked above).
    caps = (caps & (greeting.capabilities | Capability.LONG_PASSWORD)) >>> 0;
    // A Unix socket is already private: PREFERRED does not add TLS there, as mysql.
    const mode: SslMode = p.endpoint.kind === 'socket' && p.sslMode === 'PREFERRED' ? 'DISABLED' : p.sslMode;
    let secure = p.endpoint.kind === 'socket';
    let useTls = false;
    if (mode !== 'DISABLED') {
      if (greeting.capabilities & Capability.SSL) useTls = true;
      else if (mode === 'REQUIRED') throw clientError(CR.SSL_CONNECTION_ERROR, crMessages.ssl("SSL is required but the server doesn't support it"));
    }
    if (useTls) {
      caps = (caps | Capability.SSL) >>> 0;
      ch.write(sslRequestPacket(caps));
      const raw = ch.detach();
      const secured = await upgrade(raw as Socket);
      ch.switchTo(secured);
      secure = true;
    }
    let plugin = greeting.authPlugin === NATIVE_PLUGIN || greeting.authPlugin === SHA2_PLUGIN ? greeting.authPlugin : SHA2_PLUGIN;
    let scramble = greeting.scramble;
    ch.write(
      handshakeResponsePacket({
        capabilities: caps,
        user: p.user,
        authResponse: scrambleFor(plugin, p.password, scramble),
        ...(p.database ? { database: p.database } : {}),
        plugin,
        attributes: { _client_name: 'refmysql', _os: process.platform, _pid: String(process.pid), program_name: p.programName },
      }),
    );
    // The server may switch plugins once, and caching_sha2_password may need more rounds.
    for (let round = 0; round < MAX_AUTH_ROUNDS; round++) {
      const pkt = await ch.read();
      const head = pkt[0];
      if (head === Header.OK) return new ClientConnection(ch, greeting, caps, useTls);
      if (head === Header.ERR) throw parseErr(pkt);
      if (head === Header.AUTH_SWITCH) {
        const sw = parseAuthSwitch(pkt);
        if (sw.plugin !== NATIVE_PLUGIN && sw.plugin !== SHA2_PLUGIN) {
          throw clientError(CR.AUTH_PLUGIN_CANNOT_LOAD, crMessages.pluginCannotLoad(sw.plugin, 'plugin not supported by this client'));
        }
        plugin = sw.plugin;
        scramble = sw.data.length >= 20 ? sw.data : scramble;
        ch.write(scrambleFor(plugin, p.password, scramble));
        continue;
      }
      if (head === Header.AUTH_MORE_DATA && plugin === SHA2_PLUGIN) {
        const status = pkt[1];
        if (status === Sha2Status.FAST_AUTH_SUCCESS && pkt.length === 2) continue; // the OK follows
        if (status === Sha2Status.PERFORM_FULL_AUTHENTICATION && pkt.length === 2) {
          if (secure) ch.write(clearPassword(p.password));
          else if (p.getServerPublicKey) {
            ch.write(Buffer.from([Sha2Status.REQUEST_PUBLIC_KEY]));
            const keyPkt = await ch.read();
            if (keyPkt[0] === Header.ERR) throw parseErr(keyPkt);
            const pem = keyPkt.subarray(1).toString('utf8');
            let block: Buffer;
            try {
              block = rsaEncryptPassword(p.password, scramble, pem);
            } catch {
              throw clientError(CR.AUTH_PLUGIN_ERR, crMessages.pluginErr(SHA2_PLUGIN, 'Failed to parse the public key received from the server.'));
            }
            ch.write(block);
          } else {
            throw clientError(CR.AUTH_PLUGIN_ERR, crMessages.pluginErr(SHA2_PLUGIN, 'Authentication requires secure connection.'));
          }
          continue;
        }
      }
      throw clientError(CR.MALFORMED_PACKET, crMessages.malformed());
    }
    throw clientError(CR.SERVER_HANDSHAKE_ERR, crMessages.handshake());
  }

  /** Run one COM_QUERY and collect every result it produced. @req CLIENT-011 */
  async query(sql: string): Promise<QueryOutcome> {
    const results: StatementResult[] = [];
    this.ch.resetSequence();
    try {
      this.ch.write(Buffer.concat([Buffer.from([Command.QUERY]), Buffer.from(sql, 'utf8')]));
      for (let i = 0; i < MAX_RESULT_SETS; i++) {
        const first = await this.ch.read();
        if (first[0] === Header.ERR) return { results, error: parseErr(first) };
        let more: boolean;
        if (first[0] === Header.OK) {
          const ok = parseOk(first, this.capabilities);
          results.push({ kind: 'ok', ok });
          more = (ok.status & MORE_RESULTS_EXISTS) !== 0;
        } else if (first[0] === 0xfb) {
          // LOCAL INFILE request: this client does not send files; answer with an empty file.
          this.ch.write(Buffer.alloc(0));
          continue;
        } else {
          const rs = await this.readResultSet(parseColumnCount(first));
          if ('error' in rs) return { results, error: rs.error };
          results.push(rs);
          more = (rs.status & MORE_RESULTS_EXISTS) !== 0;
        }
        if (!more) return { results };
      }
      return { results };
    } catch (err) {
      if (err instanceof ClientError) return { results, error: err };
      throw err;
    }
  }

  private async readResultSet(columns: number): Promise<RowsResult | { error: ClientError }> {
    const cols: ColumnInfo[] = [];
    for (let i = 0; i < columns; i++) cols.push(parseColumnDefinition(await this.ch.read()));
    const eof = await this.ch.read();
    if (!isEof(eof)) throw clientError(CR.MALFORMED_PACKET, crMessages.malformed());
    const rows: (Buffer | null)[][] = [];
    // Rows until the closing EOF (or an ERR raised part way, e.g. a killed query).
    for (;;) {
      const pkt = await this.ch.read();
      if (isEof(pkt)) {
        const e = parseEof(pkt);
        return { kind: 'rows', columns: cols, rows, warnings: e.warnings, status: e.status };
      }
      if (pkt[0] === Header.ERR) return { error: parseErr(pkt) };
      rows.push(parseTextRow(pkt, columns));
    }
  }

  /** Whether the connection can still carry commands. */
  get alive(): boolean {
    return !this.ch.broken;
  }

  /** COM_QUIT, then close. @req CLIENT-017 */
  quit(): void {
    if (!this.ch.broken) {
      try {
        this.ch.resetSequence();
        this.ch.write(Buffer.from([Command.QUIT]));
      } catch {
        // Already gone: nothing to say goodbye to.
      }
    }
    this.ch.close();
  }
}

/** Start TLS over the raw socket; mysql's PREFERRED and REQUIRED do not verify the certificate. @req CLIENT-006 */
function upgrade(raw: Socket): Promise<tls.TLSSocket> {
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({ socket: raw, rejectUnauthorized: false });
    const fail = (err: Error): void => reject(clientError(CR.SSL_CONNECTION_ERROR, crMessages.ssl(err.message)));
    s.once('error', fail);
    s.once('secureConnect', () => {
      s.off('error', fail);
      resolve(s);
    });
  });
}

/**
 * One client connection from greeting to goodbye: connection-time checks, Handshake v10,
 * optional TLS upgrade, authentication, then the command phase, which handles one command at
 * a time (packets that arrive meanwhile wait in a queue).
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_lifecycle.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
 * @req CORE-LOG-003 CORE-LOG-020
 * @req CORE-PROTO-003 CORE-PROTO-004 CORE-PROTO-009 CORE-PROTO-014 CORE-PROTO-015 CORE-PROTO-016 CORE-PROTO-017 CORE-PROTO-018 CORE-PROTO-019 CORE-PROTO-020 CORE-PROTO-021 CORE-PROTO-022 CORE-PROTO-023
 * @req CORE-PERF-021 CORE-PERF-023
 */
import { decodeStatement } from './commands/result-charset.js';
import { randomBytes } from 'node:crypto';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { ServerStatus, type AuthAccount, type ConnectionInfo, type ServerContext, type SessionApi } from '../kernel/protocol-port.js';
import { SqlError, sqlError } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import { authenticate, type AuthOutcome } from './auth/exchange.js';
import { handleChangeUser } from './commands/change-user.js';
import { handleFieldList } from './commands/field-list.js';
import { handleClose, handleExecute, handleFetch, handlePrepare, handleReset, handleSendLongData } from './commands/prepared.js';
import { handleQuery } from './commands/query.js';
import type { PreparedState, Wire } from './commands/wire.js';
import { Capability, Command, DEFAULT_AUTH_PLUGIN, DEFAULT_COLLATION_ID, Header, SetOption } from './constants.js';
import { DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_MAX_ALLOWED_PACKET, DEFAULT_WAIT_TIMEOUT_S, MAX_QUEUED_PACKETS, MAX_TIMER_MS, SCRAMBLE_LENGTH } from './limits.js';
import { MalformedPacketError, OutboundPackets, PacketDecoder, PacketTooLargeError, PayloadReader, type PayloadWriter, type Packet } from './packet-codec.js';
import { eofPacket, errPacket, handshakeV10Packet, okPacket, parseHandshakeResponse, type HandshakeResponse } from './packets.js';
import type { ProtocolOptions, SocketInfo } from './listener.js';
import { nextObservedConnection, publishWire, wireObserved, type WireEventKind } from '../kernel/wire-observer.js';
import type { ByteStream, IoThreads } from './io/io-threads.js';

export interface ProtocolStats {
  questions: number;
  startedAt: number;
}

/** Capabilities we offer in the greeting (SSL is added when TLS is configured). @req CORE-PROTO-003 */
export const SERVER_CAPABILITIES =
  (Capability.LONG_PASSWORD |
    Capability.FOUND_ROWS |
    Capability.LONG_FLAG |
    Capability.CONNECT_WITH_DB |
    Capability.NO_SCHEMA |
    Capability.ODBC |
    Capability.IGNORE_SPACE |
    Capability.PROTOCOL_41 |
    // LOAD DATA LOCAL may ask the client for a file (local_infile decides whether it does). CORE-LOAD-014
    Capability.LOCAL_FILES |
    Capability.INTERACTIVE |
    Capability.IGNORE_SIGPIPE |
    Capability.TRANSACTIONS |
    Capability.RESERVED |
    Capability.SECURE_CONNECTION |
    Capability.MULTI_STATEMENTS |
    Capability.MULTI_RESULTS |
    Capability.PS_MULTI_RESULTS |
    Capability.PLUGIN_AUTH |
    Capability.CONNECT_ATTRS |
    Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
    Capability.CAN_HANDLE_EXPIRED_PASSWORDS |
    Capability.SESSION_TRACK |
    Capability.DEPRECATE_EOF) >>>
  0;

/** Reduce `::ffff:a.b.c.d` to `a.b.c.d`. */
function plainAddress(a: string | undefined): string {
  if (!a) return '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/**
 * The host part printed in access-denied messages. We print 'localhost' for Unix sockets and
 * loopback addresses (MySQL prints the resolved name, and loopback resolves to localhost on
 * typical systems); any other peer is printed as its IP address.
 * @req CORE-PROTO-009
 */
export function clientHostForMessages(info: ConnectionInfo): string {
  if (info.transport === 'socket') return 'localhost';
  const a = info.remoteAddress;
  if (a === '127.0.0.1' || a === '::1' || a.startsWith('127.')) return 'localhost';
  return a;
}

function isOn(v: Value): boolean {
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.toUpperCase() === 'ON' || v === '1' || v.toUpperCase() === 'TRUE';
  return false;
}

function numberVar(ctx: ServerContext, name: string, dflt: number): number {
  let v: Value;
  try {
    v = ctx.globalVar(name);
  } catch {
    return dflt;
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

export class Connection implements Wire {
  readonly closed: Promise<void>;

  /** The socket is finished with: rows produced now would go nowhere. */
  get gone(): boolean {
    return this.ended || this.stream.destroyed;
  }
  private resolveClosed!: () => void;
  /** Where bytes go and come from: the socket, its TLS wrapper, or an I/O thread's stream. */
  private stream: ByteStream;
  private readonly decoder: PacketDecoder;
  private readonly inbox: Packet[] = [];
  private waiter: ((p: Packet | null) => void) | null = null;
  private seq = 0;
  /** The reply being built, framed and written at the next flush. */
  private readonly out = new OutboundPackets();
  private ended = false;
  private tlsActive = false;
  private scramble: Buffer = randomBytes(SCRAMBLE_LENGTH);
  private sessionRef: SessionApi | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The idle timer's length in milliseconds (the timer is reused while it stays the same). */
  private idleMs = 0;
  /** The command loop waits for the next command (the only time the idle timer may act). */
  private awaitingCommand = false;
  private busy = false;
  capabilities = 0;
  multiStatements = false;
  readonly prepared = new Map<number, PreparedState>();
  readonly connInfo: ConnectionInfo;
  private account: AuthAccount | null = null;
  private onData = (d: Buffer): void => this.receive(d);
  private onGone = (): void => this.terminate();
  private readonly remotePort: number;
  /** Number under which test observers see this connection (TRACE-013). */
  private readonly observedAs = nextObservedConnection();

  /** Tell wire observers (the test suite) what this client did. @req TRACE-013 */
  private observe(kind: WireEventKind, extra: { attributes?: Record<string, string>; command?: number } = {}): void {
    if (!wireObserved()) return;
    publishWire({ kind, conn: this.observedAs, protocol: 'classic', transport: this.info.transport, remotePort: this.remotePort, ...extra });
  }

  constructor(
    readonly ctx: ServerContext,
    readonly opts: ProtocolOptions,
    readonly socket: net.Socket,
    readonly info: SocketInfo,
    readonly stats: ProtocolStats,
    /** I/O threads to move the socket to once the client has logged in (null: keep it here). */
    private readonly io: IoThreads | null = null,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.stream = socket;
    this.remotePort = socket.remotePort ?? 0;
    this.decoder = new PacketDecoder(() => numberVar(ctx, 'max_allowed_packet', DEFAULT_MAX_ALLOWED_PACKET));
    const self = this;
    this.connInfo = {
      connectionId: 0,
      transport: info.transport,
      remoteAddress: info.transport === 'socket' ? 'localhost' : plainAddress(socket.remoteAddress),
      remotePort: socket.remotePort ?? 0,
      localAddress: plainAddress(socket.localAddress),
      localPort: socket.localPort ?? 0,
      get tls(): boolean {
        return self.tlsActive;
      },
      namespace: info.namespace ?? '',
      adminInterface: info.admin === true,
      close(reason: string): void {
        self.shutdown(reason);
      },
      readLocalFile(name: string): Promise<Buffer> {
        return self.readLocalFile(name);
      },
    };
  }

  get session(): SessionApi {
    if (!this.sessionRef) throw new Error('no session yet');
    return this.sessionRef;
  }

  get deprecateEof(): boolean {
    return (this.capabilities & Capability.DEPRECATE_EOF) !== 0;
  }

  /** Begin serving the socket. */
  start(): void {
    this.socket.setNoDelay(true);
    this.observe('accept');
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onGone);
    this.socket.on('close', this.onGone);
    this.run().catch((e: unknown) => {
      this.ctx.log('Error', 'MY-000000', 'Server', `connection ${this.connInfo.connectionId}: ${e instanceof Error ? e.message : String(e)}`);
      this.terminate();
    });
  }

  /**
   * LOAD DATA LOCAL INFILE: send the client a LOCAL INFILE request (0xFB and the file name, in
   * the command's packet sequence) and collect the packets it sends until the empty one that
   * ends the file; the statement's OK or ERR then continues the sequence.
   * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_local_infile_request.html
   * @req CORE-LOAD-015
   */
  async readLocalFile(name: string): Promise<Buffer> {
    this.write(Buffer.concat([Buffer.from([Header.LOCAL_INFILE]), Buffer.from(name, 'utf8')]));
    await this.flush();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const p = await this.readPacket();
      if (!p) throw sqlError('ER_NET_READ_ERROR');
      if (p.payload.length === 0) break;
      chunks.push(p.payload);
      size += p.payload.length;
    }
    return Buffer.concat(chunks, size);
  }

  /** Server-side close (KILL CONNECTION, shutdown, wait_timeout). */
  shutdown(reason: string): void {
    void reason;
    if (this.ended) return;
    if (!this.busy && this.sessionRef && reason === 'shutdown') {
      this.seq = 0;
      const e = sqlError('ER_SERVER_SHUTDOWN');
      this.write(errPacket(e.errno, e.sqlState, e.message));
      void this.flush();
    }
    this.endSocket();
  }

  // ---- input -------------------------------------------------------------------------------

  private receive(d: Buffer): void {
    if (this.ended) return;
    if (!this.sessionRef) this.observe('data');
    let packets: Packet[];
    try {
      packets = this.decoder.push(d);
    } catch (e) {
      if (e instanceof PacketTooLargeError) {
        for (const p of e.packets) this.deliver(p);
        // The command never reaches the executor; answer and hang up (after the command that
        // may be running has finished its reply). @req CORE-PROTO-020
        // Commands that arrived before the oversized packet are still answered first; the
        // reader sends the error when it runs out of packets.
        this.ended = true;
        this.tooLarge = true;
        this.wake(null);
        return;
      }
      throw e;
    }
    for (const p of packets) this.deliver(p);
  }

  private deliver(p: Packet): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(p);
    } else {
      this.inbox.push(p);
      // A client that pipelines faster than we execute is slowed down by TCP back-pressure
      // instead of growing the queue without bound. @req CORE-PROTO-022
      if (this.inbox.length >= MAX_QUEUED_PACKETS && !this.inputPaused) {
        this.inputPaused = true;
        this.stream.pause();
      }
    }
  }

  private inputPaused = false;

  private tooLarge = false;

  private sendTooLarge(): void {
    const err = sqlError('ER_NET_PACKET_TOO_LARGE');
    if (this.sessionRef) this.seq = 1;
    this.write(errPacket(err.errno, err.sqlState, err.message));
    void this.flush().finally(() => this.endSocket());
  }

  private wake(p: Packet | null): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(p);
    }
  }

  /** The next client packet; the reply continues its sequence. Null once the client is gone. */
  private async readPacket(): Promise<Packet | null> {
    const p = this.inbox.shift() ?? (this.ended ? null : await new Promise<Packet | null>((resolve) => (this.waiter = resolve)));
    if (this.inputPaused && this.inbox.length < MAX_QUEUED_PACKETS / 2) {
      this.inputPaused = false;
      this.stream.resume();
    }
    if (p) this.seq = (p.lastSeq + 1) & 0xff;
    return p;
  }

  // ---- output ------------------------------------------------------------------------------

  write(payload: Buffer): void {
    this.seq = this.out.add(payload, this.seq);
  }

  beginPacket(): PayloadWriter {
    return this.out.begin();
  }

  endPacket(): void {
    this.seq = this.out.end(this.seq);
  }

  abortPacket(): void {
    this.out.abort();
  }

  get pendingBytes(): number {
    return this.out.length;
  }

  async flush(): Promise<void> {
    if (this.out.empty) return;
    // The whole reply leaves in one write of one buffer. CORE-PERF-044
    const data = this.out.take();
    if (this.stream.destroyed || !this.stream.writable) return;
    const more = this.stream.write(data);
    if (!more && !this.stream.destroyed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
  }

  sendOk(o: { affectedRows?: bigint; lastInsertId?: bigint; info?: string; status?: number; warnings?: number } = {}): void {
    const status = o.status ?? (this.sessionRef ? this.sessionRef.statusFlags() : ServerStatus.AUTOCOMMIT);
    const warnings = o.warnings ?? (this.sessionRef ? this.sessionRef.warningCount() : 0);
    this.write(
      okPacket({
        affectedRows: o.affectedRows ?? 0n,
        lastInsertId: o.lastInsertId ?? 0n,
        status,
        warnings,
        ...(o.info !== undefined ? { info: o.info } : {}),
      }),
    );
  }

  sendError(e: unknown): void {
    let err: SqlError;
    if (e instanceof SqlError) err = e;
    else if (e instanceof MalformedPacketError) err = sqlError('ER_MALFORMED_PACKET');
    else {
      this.ctx.log('Error', 'MY-000000', 'Server', `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      err = sqlError('ER_UNKNOWN_ERROR');
    }
    this.write(errPacket(err.errno, err.sqlState, err.message));
    if (err.fatal) this.closeAfterFlush = true;
  }

  private closeAfterFlush = false;

  sendEndOfRows(status: number, warnings: number): void {
    if (this.deprecateEof) this.write(okPacket({ status, warnings, eofHeader: true }));
    else this.write(eofPacket(status, warnings));
  }

  sendEndOfMetadata(status: number, warnings: number): void {
    if (!this.deprecateEof) this.write(eofPacket(status, warnings));
  }

  countQuestion(): void {
    this.stats.questions++;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  private endSocket(): void {
    this.clearIdle();
    const s = this.stream;
    if (!s.destroyed) {
      s.end();
      // A peer that never reads must not keep the socket alive forever.
      setTimeout(() => s.destroy(), 2000).unref();
    }
  }

  private terminated = false;
  private terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.ended = true;
    this.clearIdle();
    this.wake(null);
    if (!this.stream.destroyed) this.stream.destroy();
    if (this.stream !== this.socket && !this.socket.destroyed) this.socket.destroy();
    const s = this.sessionRef;
    const done = (): void => this.resolveClosed();
    // A statement still running for a vanished client is asked to stop first.
    if (s && this.busy) s.interrupt();
    if (s) s.close().then(done, done);
    else done();
  }

  private async fail(e: SqlError): Promise<void> {
    this.write(errPacket(e.errno, e.sqlState, e.message));
    await this.flush();
    this.endSocket();
  }

  private async run(): Promise<void> {
    const ctx = this.ctx;
    this.connInfo.connectionId = ctx.nextConnectionId();
    // connect_timeout bounds the whole connection phase. @req CORE-PROTO-023
    const connectTimer = setTimeout(() => {
      if (!this.sessionRef) this.endSocket();
    }, Math.min(MAX_TIMER_MS, numberVar(ctx, 'connect_timeout', DEFAULT_CONNECT_TIMEOUT_S) * 1000));
    connectTimer.unref();
    try {
      await this.connectionPhase();
    } finally {
      clearTimeout(connectTimer);
    }
    if (this.sessionRef && !this.ended && this.io) await this.moveToIoThread(this.io);
    if (this.sessionRef && (!this.ended || this.inbox.length > 0 || this.tooLarge)) await this.commandLoop();
    else if (this.tooLarge) this.sendTooLarge();
  }

  /**
   * Hand the socket to an I/O thread (`--io-threads`): from here on its reads and writes happen
   * there and reach us through the thread's rings. Everything already written has left the
   * socket first, so replies stay in order; bytes this socket read but did not pass on yet are
   * decoded here before it closes. A TLS connection stays: its encryption state cannot move.
   * @req CORE-PERF-021 CORE-PERF-023
   */
  private async moveToIoThread(io: IoThreads): Promise<void> {
    const socket = this.socket;
    if (this.tlsActive || this.stream !== socket) return;
    if (socket.writableLength > 0) await new Promise<void>((resolve) => socket.write(Buffer.alloc(0), () => resolve()));
    if (this.ended || socket.destroyed || this.tooLarge) return;
    const moved = io.adopt(socket);
    if (!moved) return;
    socket.off('data', this.onData);
    socket.off('error', this.onGone);
    socket.off('close', this.onGone);
    socket.pause();
    while (socket.readableLength > 0) {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) break;
      this.receive(chunk);
    }
    // Closing our descriptor does not end the connection: the I/O thread holds a duplicate.
    socket.destroy();
    this.stream = moved;
    moved.on('data', this.onData);
    moved.on('error', this.onGone);
    moved.on('close', this.onGone);
    if (this.inputPaused) moved.pause();
  }

  /** Greeting, TLS, authentication, session creation. @req CORE-PROTO-003 */
  private async connectionPhase(): Promise<void> {
    const ctx = this.ctx;
    // Connection-time checks happen before the greeting, so the client sees the error first.
    // @req CORE-PROTO-009
    const max = numberVar(ctx, 'max_connections', 151);
    // The administrative interface is not subject to max_connections (NETNS-038).
    if (!this.connInfo.adminInterface && ctx.connectionCount() > max) return this.fail(sqlError('ER_CON_COUNT_ERROR'));
    if (!ctx.hostKnown(this.connInfo)) return this.fail(sqlError('ER_HOST_NOT_PRIVILEGED', clientHostForMessages(this.connInfo)));

    let caps = SERVER_CAPABILITIES;
    if (this.opts.tls) caps = (caps | Capability.SSL) >>> 0;
    this.write(
      handshakeV10Packet({
        serverVersion: ctx.version,
        connectionId: this.connInfo.connectionId,
        scramble: this.scramble,
        capabilities: caps,
        collationId: DEFAULT_COLLATION_ID,
        status: ServerStatus.AUTOCOMMIT,
        authPlugin: DEFAULT_AUTH_PLUGIN,
      }),
    );
    await this.flush();

    let p = await this.readPacket();
    if (!p) return;
    let hs: HandshakeResponse;
    try {
      hs = parseHandshakeResponse(p.payload);
      if (hs.sslRequest) {
        if (!this.opts.tls) return this.fail(sqlError('ER_HANDSHAKE_ERROR'));
        await this.upgradeToTls();
        p = await this.readPacket();
        if (!p) return;
        hs = parseHandshakeResponse(p.payload);
      }
    } catch {
      return this.fail(sqlError('ER_HANDSHAKE_ERROR'));
    }
    this.capabilities = (hs.capabilities & caps) >>> 0;
    this.multiStatements = (this.capabilities & Capability.MULTI_STATEMENTS) !== 0;
    this.connInfo.clientCapabilities = this.capabilities;
    this.connInfo.clientCollationId = hs.collationId;
    this.connInfo.connectAttributes = hs.attributes;
    this.observe('handshake', { attributes: Object.fromEntries(hs.attributes) });

    // @req CORE-PROTO-009
    if (isOnVar(ctx, 'require_secure_transport') && this.connInfo.transport === 'tcp' && !this.tlsActive) {
      return this.fail(sqlError('ER_SECURE_TRANSPORT_REQUIRED'));
    }
    const outcome = await this.authenticateUser(hs.user, hs.authResponse, hs.authPlugin);
    if (!outcome.ok) {
      // A refused login is a Connect line with the error's text. @req CORE-LOG-003
      if (outcome.error.errno === 1045) ctx.logCommand?.(this.connInfo, hs.user, Command.CONNECT, outcome.error.message);
      return this.fail(outcome.error);
    }
    const account = this.account!;
    const host = clientHostForMessages(this.connInfo);
    if (account.locked) return this.fail(sqlError('ER_ACCOUNT_HAS_BEEN_LOCKED', hs.user, host));
    if (account.requireSecureTransport && !this.tlsActive && this.connInfo.transport === 'tcp') {
      return this.fail(sqlError('ER_ACCESS_DENIED_ERROR', hs.user, host, hs.authResponse.length > 0 ? 'YES' : 'NO'));
    }
    if (account.passwordExpired && !(this.capabilities & Capability.CAN_HANDLE_EXPIRED_PASSWORDS)) {
      return this.fail(sqlError('ER_MUST_CHANGE_PASSWORD_LOGIN'));
    }
    try {
      this.sessionRef = await ctx.openSession(this.connInfo, account, hs.user, hs.database);
    } catch (e) {
      return this.fail(e instanceof SqlError ? e : sqlError('ER_UNKNOWN_ERROR'));
    }
    if (this.ended) {
      this.terminated = false;
      this.terminate();
      return;
    }
    this.sendOk();
    await this.flush();
  }

  /** Find the account and run the exchange; sets {@link account} on success. @req CORE-PROTO-005 */
  private async authenticateUser(user: string, response: Buffer, plugin: string | null): Promise<AuthOutcome> {
    const account = this.ctx.findAccount(user, this.connInfo);
    const outcome = await authenticate(
      {
        send: async (payload) => {
          this.write(payload);
          await this.flush();
        },
        read: async () => (await this.readPacket())?.payload ?? null,
        secure: this.tlsActive || this.connInfo.transport === 'socket',
        ...(this.opts.rsa ? { rsa: this.opts.rsa } : {}),
      },
      {
        user,
        host: clientHostForMessages(this.connInfo),
        account,
        clientPlugin: this.capabilities & Capability.PLUGIN_AUTH ? plugin ?? DEFAULT_AUTH_PLUGIN : null,
        firstResponse: response,
        scramble: this.scramble,
        canSwitch: (this.capabilities & Capability.PLUGIN_AUTH) !== 0,
      },
    );
    if (outcome.ok) this.account = account;
    return outcome;
  }

  /** SSLRequest: wrap the socket in a server-side TLS socket and continue over it. @req CORE-PROTO-004 */
  private async upgradeToTls(): Promise<void> {
    const t = this.opts.tls!;
    this.socket.off('data', this.onData);
    this.socket.pause();
    // Bytes of the TLS ClientHello may already sit in the decoder (same TCP segment as the
    // SSLRequest); put them back into the raw socket so the TLS layer reads them first.
    const leftover = this.decoder.drain();
    if (leftover.length > 0) this.socket.unshift(leftover);
    const secure = new tls.TLSSocket(this.socket, {
      isServer: true,
      secureContext: tls.createSecureContext({ key: t.key, cert: t.cert, ...(t.ca ? { ca: t.ca } : {}) }),
    });
    this.stream = secure;
    secure.on('data', this.onData);
    secure.on('error', this.onGone);
    secure.on('close', this.onGone);
    await new Promise<void>((resolve) => {
      secure.once('secure', () => resolve());
      secure.once('close', () => resolve());
    });
    this.tlsActive = !secure.destroyed;
    if (this.tlsActive) {
      const proto = secure.getProtocol();
      const cipher = secure.getCipher();
      if (proto) this.connInfo.tlsVersion = proto;
      // MySQL reports the OpenSSL cipher name.
      if (cipher) this.connInfo.tlsCipher = cipher.name;
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  /**
   * wait_timeout / interactive_timeout. One timer per connection, restarted with `refresh()` for
   * each command while its length stays the same (no timer made per command, CORE-PERF-050); it
   * acts only while the connection waits for a command. @req CORE-PROTO-021 CORE-PERF-050
   */
  private armIdle(): void {
    const interactive = (this.capabilities & Capability.INTERACTIVE) !== 0;
    const globalWait = numberVar(this.ctx, 'wait_timeout', DEFAULT_WAIT_TIMEOUT_S);
    let secs = interactive ? numberVar(this.ctx, 'interactive_timeout', DEFAULT_WAIT_TIMEOUT_S) : globalWait;
    // A session value that differs from the global one was set by the client (SET wait_timeout).
    const own = this.sessionWaitTimeout();
    if (own !== null && own !== globalWait) secs = own;
    if (!(secs > 0)) {
      this.clearIdle();
      return;
    }
    const ms = Math.min(MAX_TIMER_MS, secs * 1000);
    if (this.idleTimer !== null && this.idleMs === ms) {
      this.idleTimer.refresh();
      return;
    }
    this.clearIdle();
    this.idleMs = ms;
    this.idleTimer = setTimeout(() => {
      // Fired during a command or while its reply is flushed: the next wait restarts it.
      if (!this.awaitingCommand || this.ended) return;
      this.idleTimer = null;
      this.seq = 0;
      const e = sqlError('ER_CLIENT_INTERACTION_TIMEOUT');
      this.write(errPacket(e.errno, e.sqlState, e.message));
      void this.flush().finally(() => this.endSocket());
    }, ms);
    this.idleTimer.unref();
  }

  private sessionWaitTimeout(): number | null {
    let v: Value | undefined;
    try {
      v = this.sessionRef?.sysvar?.('wait_timeout');
    } catch {
      return null;
    }
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number') return v;
    return null;
  }

  /** Strictly one command at a time. @req CORE-PROTO-022 */
  private async commandLoop(): Promise<void> {
    // Ends when the client quits or disconnects.
    for (;;) {
      this.armIdle();
      this.awaitingCommand = true;
      const p = await this.readPacket();
      this.awaitingCommand = false;
      if (!p) {
        this.clearIdle();
        if (this.tooLarge) this.sendTooLarge();
        return;
      }
      this.busy = true;
      this.observe('command', { command: p.payload[0] ?? -1 });
      let quit = false;
      try {
        quit = await this.dispatch(p.payload);
      } catch (e) {
        this.sendError(e);
      }
      this.busy = false;
      await this.flush();
      if (quit || this.closeAfterFlush) {
        this.endSocket();
        return;
      }
    }
  }

  /** Returns true when the connection must end. @req CORE-PROTO-014 */
  private async dispatch(payload: Buffer): Promise<boolean> {
    if (payload.length === 0) {
      this.sendError(sqlError('ER_MALFORMED_PACKET'));
      return false;
    }
    const r = new PayloadReader(payload);
    const cmd = r.int1();
    const session = this.session;
    switch (cmd) {
      case Command.QUIT:
        // @req CORE-LOG-003
        session.logCommand?.(Command.QUIT, '');
        return true;
      case Command.INIT_DB: {
        const name = r.rest().toString('utf8');
        this.countQuestion();
        try {
          await session.useSchema(name);
          // Logged once the schema changed. @req CORE-LOG-003
          session.logCommand?.(Command.INIT_DB, name);
          this.sendOk();
        } catch (e) {
          this.sendError(e);
        }
        return false;
      }
      case Command.QUERY: {
        await handleQuery(this, decodeStatement(this.sessionRef, r.rest()));
        return false;
      }
      case Command.FIELD_LIST:
        await handleFieldList(this, r);
        return false;
      case Command.STATISTICS:
        session.logCommand?.(Command.STATISTICS, '');
        this.write(Buffer.from(this.statisticsText(), 'utf8'));
        return false;
      case Command.PROCESS_KILL: {
        const id = r.int4();
        this.countQuestion();
        try {
          for await (const _ of session.query(`KILL ${id}`, { multiStatements: false })) void _;
          if (!this.ended) this.sendOk();
        } catch (e) {
          this.sendError(e);
        }
        return false;
      }
      case Command.PING:
        this.sendOk();
        return false;
      case Command.CHANGE_USER:
        return handleChangeUser(this, r, {
          reauth: (user, response, plugin) => this.reauthenticate(user, response, plugin),
          account: () => this.account,
          host: () => clientHostForMessages(this.connInfo),
        });
      case Command.STMT_PREPARE:
        await handlePrepare(this, decodeStatement(this.sessionRef, r.rest()));
        return false;
      case Command.STMT_EXECUTE:
        await handleExecute(this, r);
        return false;
      case Command.STMT_SEND_LONG_DATA:
        handleSendLongData(this, r);
        return false;
      case Command.STMT_CLOSE:
        // Logged for a statement that exists, as MySQL does.
        if (payload.length >= 5 && session.preparedInfo(payload.readUInt32LE(1))) session.logCommand?.(Command.STMT_CLOSE, '');
        handleClose(this, r);
        return false;
      case Command.STMT_RESET:
        if (payload.length >= 5 && session.preparedInfo(payload.readUInt32LE(1))) session.logCommand?.(Command.STMT_RESET, '');
        handleReset(this, r);
        return false;
      case Command.STMT_FETCH:
        await handleFetch(this, r);
        return false;
      case Command.SET_OPTION: {
        const opt = r.int2();
        if (opt === SetOption.MULTI_STATEMENTS_ON) this.multiStatements = true;
        else if (opt === SetOption.MULTI_STATEMENTS_OFF) this.multiStatements = false;
        else {
          this.sendError(sqlError('ER_UNKNOWN_COM_ERROR'));
          return false;
        }
        this.sendEndOfRows(session.statusFlags(), session.warningCount());
        return false;
      }
      case Command.REFRESH:
        await this.refresh(r);
        return false;
      case Command.RESET_CONNECTION:
        session.logCommand?.(Command.RESET_CONNECTION, '');
        try {
          await session.reset();
          this.prepared.clear();
          this.sendOk();
        } catch (e) {
          this.sendError(e);
        }
        return false;
      default:
        this.sendError(sqlError('ER_UNKNOWN_COM_ERROR'));
        return false;
    }
  }

  /**
   * COM_REFRESH: its option bits (one byte in MySQL's protocol; older clients send four) name
   * the FLUSH operations the session runs. @req CORE-LOG-020
   */
  private async refresh(r: PayloadReader): Promise<void> {
    const session = this.session;
    if (!session.refresh) {
      this.sendError(sqlError('ER_UNKNOWN_COM_ERROR'));
      return;
    }
    let options = 0;
    for (let i = 0; i < 4 && r.remaining > 0; i++) options |= r.int1() << (8 * i);
    this.countQuestion();
    try {
      await session.refresh(options >>> 0);
      this.sendOk();
    } catch (e) {
      this.sendError(e);
    }
  }

  /** COM_CHANGE_USER's authentication step, with a fresh exchange on the same scramble. */
  private async reauthenticate(user: string, response: Buffer, plugin: string | null): Promise<{ outcome: AuthOutcome; account: AuthAccount | null }> {
    const prev = this.account;
    const outcome = await this.authenticateUser(user, response, plugin);
    const account = outcome.ok ? this.account : null;
    if (!outcome.ok) this.account = prev;
    return { outcome, account };
  }

  /** COM_STATISTICS text. @req CORE-PROTO-017 */
  private statisticsText(): string {
    const status = (name: string, dflt: number): number => {
      let v: Value | undefined;
      try {
        v = this.ctx.globalStatus?.(name);
      } catch {
        v = undefined;
      }
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
      return dflt;
    };
    const uptime = Math.max(1, status('Uptime', Math.floor((Date.now() - this.stats.startedAt) / 1000)));
    const threads = status('Threads_connected', this.ctx.connectionCount());
    const q = status('Questions', this.stats.questions);
    const qps = (q / uptime).toFixed(3);
    return (
      `Uptime: ${uptime}  Threads: ${threads}  Questions: ${q}  Slow queries: ${status('Slow_queries', 0)}  ` +
      `Opens: ${status('Opened_tables', 0)}  Flush tables: ${status('Flush_commands', 1)}  Open tables: ${status('Open_tables', 0)}  ` +
      `Queries per second avg: ${qps}`
    );
  }
}

function isOnVar(ctx: ServerContext, name: string): boolean {
  try {
    return isOn(ctx.globalVar(name));
  } catch {
    return false;
  }
}

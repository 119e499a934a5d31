/**
 * Bounded wire fuzzing of a running server: many short connections send random bytes or
 * mutated protocol packets (corrupted handshake responses, truncated commands, oversized length
 * headers, wrong sequence numbers), then the test checks that the damage stayed local: a session
 * opened before the fuzzing still works, a new connection still logs in and answers `SELECT 1`,
 * and neither the test process nor the server's error log saw an unhandled exception.
 *
 * Generation uses fast-check with a fixed seed; `FUZZ_RUNS` raises the number of cases (default
 * small so the suite stays quick). Every wait is bounded; nothing asserts on timing.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html
 * @req CORE-PEER-007
 */
import { Socket, connect } from 'node:net';
import fc from 'fast-check';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Upper bound for waiting on one server reply (a bound, not an expectation). */
const REPLY_WAIT_MS = 250;
/** Upper bound on bytes of any generated packet body. */
const MAX_BODY = 2048;

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_MULTI_RESULTS = 0x20000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const BASE_CAPS =
  CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH;

/** A packet reader with bounded waits over a raw socket. */
class RawSession {
  private buf = Buffer.alloc(0);
  private closed = false;
  private waiter: (() => void) | undefined;

  constructor(readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.buf = Buffer.concat([this.buf, b]);
      this.waiter?.();
    });
    const done = (): void => {
      this.closed = true;
      this.waiter?.();
    };
    socket.on('close', done);
    socket.on('error', done);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Next complete packet, or null if the connection closed or nothing came within the bound. */
  async next(waitMs = REPLY_WAIT_MS): Promise<{ seq: number; payload: Buffer } | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.buf.length >= 4) {
        const len = this.buf.readUIntLE(0, 3);
        if (this.buf.length >= 4 + len) {
          const seq = this.buf[3] ?? 0;
          const payload = this.buf.subarray(4, 4 + len);
          this.buf = this.buf.subarray(4 + len);
          return { seq, payload };
        }
      }
      const left = deadline - Date.now();
      if (this.closed || left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Give the server a bounded moment to react, then drop the connection. */
  async finish(): Promise<void> {
    await this.next(REPLY_WAIT_MS);
    this.socket.destroy();
  }
}

function openRaw(port: number): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawSession(s)));
    s.once('error', reject);
  });
}

function frame(seq: number, payload: Uint8Array, lengthOverride?: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(lengthOverride ?? payload.length, 0, 3);
  header[3] = seq & 0xff;
  return Buffer.concat([header, Buffer.from(payload)]);
}

/** The auth plugin the greeting names (defaults to mysql_native_password). */
function greetingPlugin(greeting: Buffer): string {
  const end = greeting.indexOf(0, 1);
  const tail = greeting.subarray(end + 1 + 4 + 8 + 1);
  const capsLow = tail.readUInt16LE(0);
  const capsHigh = tail.length >= 7 ? tail.readUInt16LE(5) : 0;
  const caps = capsLow | (capsHigh << 16);
  if ((caps & CLIENT_PLUGIN_AUTH) === 0 || tail.length < 18) return 'mysql_native_password';
  const authLen = tail[7] ?? 0;
  const part2 = Math.max(13, authLen - 8);
  const nameStart = 18 + part2;
  const nameEnd = tail.indexOf(0, nameStart);
  return tail.subarray(nameStart, nameEnd < 0 ? undefined : nameEnd).toString('latin1') || 'mysql_native_password';
}

/** A well-formed HandshakeResponse41 for root with an empty password. */
function handshakeResponse(plugin: string, db?: string): Buffer {
  const caps = BASE_CAPS | (db ? CLIENT_CONNECT_WITH_DB : 0);
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(caps >>> 0, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 45; // utf8mb4_general_ci
  return Buffer.concat([
    fixed,
    Buffer.from('root\0', 'latin1'),
    Buffer.from([0]), // empty auth response
    ...(db ? [Buffer.from(`${db}\0`, 'latin1')] : []),
    Buffer.from(`${plugin}\0`, 'latin1'),
  ]);
}

/** How many post-login scenarios actually got past authentication (they are pointless otherwise). */
const stats = { postLogin: 0, loggedIn: 0 };

/** Log in properly (answering an auth switch with an empty response); true when OK arrived. */
async function login(s: RawSession): Promise<boolean> {
  stats.postLogin++;
  const ok = await loginOnce(s);
  if (ok) stats.loggedIn++;
  return ok;
}

async function loginOnce(s: RawSession): Promise<boolean> {
  const greeting = await s.next(2000);
  if (!greeting) return false;
  s.write(frame(1, handshakeResponse(greetingPlugin(greeting.payload))));
  for (let i = 0; i < 4; i++) {
    const p = await s.next(2000);
    if (!p) return false;
    const kind = p.payload[0];
    if (kind === 0x00) return true;
    if (kind === 0xff) return false;
    if (kind === 0xfe) s.write(frame(p.seq + 1, Buffer.alloc(0)));
    // 0x01 = extra auth data (e.g. caching_sha2 fast-auth result); the OK follows.
  }
  return false;
}

type Scenario =
  | { kind: 'random-bytes'; afterGreeting: boolean; bytes: Uint8Array }
  | { kind: 'mutated-handshake'; flips: [number, number][]; cut: number; lengthDelta: number; seq: number }
  | { kind: 'bad-length-header'; declared: number; body: Uint8Array }
  | { kind: 'truncated-command'; command: number; body: Uint8Array; cut: number }
  | { kind: 'out-of-sequence'; seq: number; command: number; body: Uint8Array }
  | { kind: 'random-command'; command: number; body: Uint8Array }
  | { kind: 'huge-length'; body: Uint8Array };

const body = fc.uint8Array({ maxLength: MAX_BODY });
/**
 * Commands that a logged-in root may legitimately use to hurt others are left out, so a failure
 * always means a robustness bug: COM_DROP_DB (0x06), COM_SHUTDOWN (0x08), COM_PROCESS_KILL (0x0c).
 */
const HARMFUL_COMMANDS = new Set([0x06, 0x08, 0x0c]);
const commandByte = fc.oneof(
  fc.constantFrom(0x03, 0x02, 0x04, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x0e, 0x11, 0x1f),
  fc.integer({ min: 0, max: 255 }).filter((c) => !HARMFUL_COMMANDS.has(c)),
);
const scenario: fc.Arbitrary<Scenario> = fc.oneof(
  fc.record({ kind: fc.constant('random-bytes' as const), afterGreeting: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: MAX_BODY }) }),
  fc.record({
    kind: fc.constant('mutated-handshake' as const),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    cut: fc.nat(),
    lengthDelta: fc.integer({ min: -40, max: 40 }),
    seq: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({ kind: fc.constant('bad-length-header' as const), declared: fc.integer({ min: 0, max: 0xffffff }), body }),
  fc.record({ kind: fc.constant('truncated-command' as const), command: commandByte, body, cut: fc.nat() }),
  fc.record({ kind: fc.constant('out-of-sequence' as const), seq: fc.integer({ min: 1, max: 255 }), command: commandByte, body }),
  fc.record({ kind: fc.constant('random-command' as const), command: commandByte, body }),
  fc.record({ kind: fc.constant('huge-length' as const), body }),
);

/** Play one scenario on a fresh connection; the server may answer, error or close. */
async function play(port: number, sc: Scenario): Promise<void> {
  const s = await openRaw(port);
  try {
    switch (sc.kind) {
      case 'random-bytes': {
        if (sc.afterGreeting) await s.next(2000);
        s.write(sc.bytes);
        break;
      }
      case 'mutated-handshake': {
        const greeting = await s.next(2000);
        if (!greeting) break;
        const hr = Buffer.from(handshakeResponse(greetingPlugin(greeting.payload), 'test'));
        for (const [pos, val] of sc.flips) hr[pos % hr.length] = val;
        const kept = hr.subarray(0, hr.length - (sc.cut % hr.length));
        const declared = Math.max(0, kept.length + sc.lengthDelta);
        s.write(frame(sc.seq, kept, declared));
        break;
      }
      case 'bad-length-header': {
        if (!(await login(s))) break;
        s.write(frame(0, sc.body, sc.declared));
        break;
      }
      case 'truncated-command': {
        if (!(await login(s))) break;
        const full = Buffer.concat([Buffer.from([sc.command]), Buffer.from(sc.body)]);
        const kept = full.subarray(0, Math.max(1, full.length - (sc.cut % full.length)));
        // The header claims the full length; only part of the payload is ever sent.
        s.write(frame(0, kept, full.length));
        break;
      }
      case 'out-of-sequence': {
        if (!(await login(s))) break;
        s.write(frame(sc.seq, Buffer.concat([Buffer.from([sc.command]), Buffer.from(sc.body)])));
        break;
      }
      case 'random-command': {
        if (!(await login(s))) break;
        s.write(frame(0, Buffer.concat([Buffer.from([sc.command]), Buffer.from(sc.body)])));
        // Whatever came back, the connection should still be usable or closed; probe it once.
        await s.next(REPLY_WAIT_MS);
        s.write(frame(0, Buffer.from('\x03SELECT 1', 'latin1')));
        break;
      }
      case 'huge-length': {
        if (!(await login(s))) break;
        // 0xFFFFFF announces a multi-packet payload of 16 MB or more; we send a little and leave.
        s.write(frame(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(sc.body)]), 0xffffff));
        break;
      }
    }
    await s.finish();
  } finally {
    s.socket.destroy();
  }
}

describe('wire fuzzing: malformed traffic stays local to its connection', () => {
  let target: ServerTarget;
  let longLived: Connection;
  const processErrors: unknown[] = [];
  const onError = (e: unknown): void => {
    processErrors.push(e);
  };

  beforeAll(async () => {
    target = await startRefTarget();
    longLived = await target.connect();
    await longLived.query('SET @fuzz_marker = 42');
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
  }, 120_000);

  afterAll(async () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    await longLived?.end().catch(() => undefined);
    await target?.stop();
  }, 60_000);

  it(req('CORE-PEER-007', 'wire', `server survives ${RUNS} fuzzed connections (seed ${SEED})`), async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        await play(target.port, sc);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    // The scenarios that need a session really had one.
    expect(stats.loggedIn, `logins ${stats.loggedIn}/${stats.postLogin}`).toBe(stats.postLogin);

    // A session opened before the fuzzing still works and kept its state.
    const [rows] = await longLived.query({ sql: 'SELECT @fuzz_marker, 1 + 1', rowsAsArray: true });
    expect((rows as unknown[][])[0]?.map(String)).toEqual(['42', '2']);

    // A fresh connection logs in and answers.
    const fresh = await target.connect();
    try {
      const [r2] = await fresh.query({ sql: 'SELECT 1', rowsAsArray: true });
      expect((r2 as unknown[][])[0]?.map(String)).toEqual(['1']);
    } finally {
      await fresh.end();
    }

    // Nothing escaped: neither in this process (an in-process server) nor in the server log.
    expect(processErrors.map(String)).toEqual([]);
    const log = target.errorLogText();
    expect(log).not.toMatch(/uncaught|unhandled|TypeError|RangeError|ReferenceError|\[ERROR\]/i);
  }, 120_000 + RUNS * 1_000);
});

/**
 * The client's protocol handling against scripted servers on loopback: a forced auth switch,
 * COM_QUIT at the end of a session, --ssl-mode=REQUIRED against a server without TLS, a server
 * that never greets (--connect-timeout), and a truncated greeting. The client runs in-process
 * through runClient() with captured output; the server side is a raw socket speaking packets.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 * @req CLIENT-002 CLIENT-005 CLIENT-006 CLIENT-016 CLIENT-017
 */
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeScrambleResponse } from '../../src/accounts/credentials.js';
import { runClient } from '../../src/client/cli.js';
import { Capability } from '../../src/protocol/constants.js';
import { encodePacketBuffer, PacketDecoder, type Packet } from '../../src/protocol/packet-codec.js';
import { authSwitchPacket, handshakeV10Packet, okPacket, parseHandshakeResponse } from '../../src/protocol/packets.js';
import { req } from '../helpers/req.js';

const SERVER_CAPS = (Capability.LONG_PASSWORD | Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CONNECT_WITH_DB | Capability.MULTI_STATEMENTS | Capability.MULTI_RESULTS | Capability.TRANSACTIONS) >>> 0;
const SCRAMBLE = Buffer.from('abcdefghijklmnopqrst');

/** One accepted connection, seen packet by packet. */
interface Peer {
  sock: Socket;
  read(): Promise<Packet | null>;
  send(payload: Buffer, seq: number): void;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A loopback server running `script` for each connection; resolves with its port. */
async function scripted(script: (p: Peer) => Promise<void>): Promise<{ port: number; done: Promise<void> }> {
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    finish = res;
    fail = rej;
  });
  const srv = createServer((sock) => {
    const dec = new PacketDecoder();
    const queue: Packet[] = [];
    const waiters: ((p: Packet | null) => void)[] = [];
    let ended = false;
    sock.on('data', (d) => {
      for (const p of dec.push(d)) {
        const w = waiters.shift();
        if (w) w(p);
        else queue.push(p);
      }
    });
    const end = (): void => {
      ended = true;
      for (const w of waiters.splice(0)) w(null);
    };
    sock.on('close', end);
    sock.on('error', end);
    const peer: Peer = {
      sock,
      read: () => (queue.length ? Promise.resolve(queue.shift()!) : ended ? Promise.resolve(null) : new Promise((r) => waiters.push(r))),
      send: (payload, seq) => sock.write(encodePacketBuffer(payload, seq)),
    };
    script(peer).then(finish, fail);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, done };
}

async function client(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdin = new PassThrough();
  stdin.end();
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (b: Buffer) => o.push(b));
  err.on('data', (b: Buffer) => e.push(b));
  const code = await runClient(args, { stdin, stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(o).toString(), stderr: Buffer.concat(e).toString() };
}

function greeting(caps = SERVER_CAPS): Buffer {
  return handshakeV10Packet({ serverVersion: '8.0.40-fake', connectionId: 7, scramble: SCRAMBLE, capabilities: caps, collationId: 255, status: 2, authPlugin: 'caching_sha2_password' });
}

describe('refmysql protocol handling', () => {
  it(req(['CLIENT-005', 'CLIENT-017', 'CLIENT-002'], 'wire', 'follows an auth switch to mysql_native_password and ends with COM_QUIT'), async () => {
    const newNonce = Buffer.from('ZYXWVUTSRQPONMLKJIHG');
    const seen: string[] = [];
    const { port, done } = await scripted(async (p) => {
      p.send(greeting(), 0);
      const hs = parseHandshakeResponse((await p.read())!.payload);
      seen.push(`user=${hs.user} plugin=${hs.authPlugin} db=${hs.database}`);
      expect(hs.capabilities & Capability.MULTI_STATEMENTS).toBeTruthy();
      expect(hs.capabilities & Capability.MULTI_RESULTS).toBeTruthy();
      p.send(authSwitchPacket('mysql_native_password', newNonce), 2);
      const answer = (await p.read())!;
      expect(answer.seq).toBe(3);
      seen.push(`switch-answer-ok=${answer.payload.equals(nativeScrambleResponse('pw', newNonce))}`);
      p.send(okPacket({ affectedRows: 0n, lastInsertId: 0n, status: 2, warnings: 0 }), 4);
      const q = (await p.read())!;
      seen.push(`query=${q.payload.subarray(1).toString()}`);
      p.send(okPacket({ affectedRows: 5n, lastInsertId: 0n, status: 2, warnings: 0 }), 1);
      const quit = await p.read();
      seen.push(`next=${quit ? quit.payload.toString('hex') : 'closed'}`);
    });
    const r = await client(['-h127.0.0.1', `-P${port}`, '--ssl-mode=DISABLED', '-uu1', '-ppw', '-Dshop', '-e', 'DELETE FROM t']);
    await done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(seen).toEqual(['user=u1 plugin=caching_sha2_password db=shop', 'switch-answer-ok=true', 'query=DELETE FROM t', 'next=01']);
  });

  it(req('CLIENT-006', 'wire', '--ssl-mode=REQUIRED fails with 2026 when the server offers no TLS'), async () => {
    const { port } = await scripted(async (p) => {
      p.send(greeting(), 0);
      await p.read();
    });
    const r = await client(['-h127.0.0.1', `-P${port}`, '--ssl-mode=REQUIRED', '-uu1', '-e', 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ERROR 2026 (HY000): SSL connection error: SSL is required but the server doesn't support it\n");
  });

  it(req('CLIENT-016', 'wire', '--connect-timeout bounds the wait for a server that never greets'), async () => {
    const { port } = await scripted(async (p) => {
      await p.read();
    });
    const r = await client(['-h127.0.0.1', `-P${port}`, '--connect-timeout=1', '-uu1', '-e', 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ERROR 2013 (HY000): Lost connection to MySQL server at 'reading initial communication packet', system error: 110\n");
  });

  it(req('CLIENT-002', 'wire', 'a truncated greeting is reported as 2027 Malformed packet'), async () => {
    const { port } = await scripted(async (p) => {
      p.send(greeting().subarray(0, 20), 0);
      await p.read();
    });
    const r = await client(['-h127.0.0.1', `-P${port}`, '-uu1', '-e', 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ERROR 2027 (HY000): Malformed packet\n');
  });

  it(req('CLIENT-002', 'wire', 'property: whatever bytes a server sends, the client ends with an ERROR line and status 1'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 80 }), async (greetFirst, junk) => {
        const { port } = await scripted(async (p) => {
          if (greetFirst) {
            p.send(greeting(), 0);
            await p.read();
          }
          p.sock.end(Buffer.from(junk));
        });
        const r = await client(['-h127.0.0.1', `-P${port}`, '--ssl-mode=DISABLED', '-uu1', '-ppw', '-e', 'SELECT 1']);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^ERROR \d+ \([0-9A-Z]{5}\): .*\n$/);
        expect(r.stdout).toBe('');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  });
});

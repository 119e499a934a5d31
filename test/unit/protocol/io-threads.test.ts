/**
 * The byte ring between the main thread and an I/O thread, and the socket handoff to an I/O
 * thread, outside the server: records come out as they went in (across the ring's wrap-around
 * and when the consumer is slower than the producer), and a socket given to an I/O thread keeps
 * its connection, over TCP and over a Unix socket, with bytes in order both ways.
 *
 * @req CORE-PERF-021 CORE-PERF-022 CORE-PERF-023
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteRing, RecordKind } from '../../../src/protocol/io/byte-ring.js';
import { IoThreads } from '../../../src/protocol/io/io-threads.js';
import { duplicateDescriptor } from '../../../src/netns/namespace.js';
import { req } from '../../helpers/req.js';

interface Rec {
  conn: number;
  kind: RecordKind;
  bytes: number[];
}

describe('byte ring', () => {
  it(req(['CORE-PERF-022'], 'unit', 'records of any size come out in order, whole, across wrap-around'), () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ conn: fc.integer({ min: 1, max: 1000 }), len: fc.integer({ min: 0, max: 700 }), takeAfter: fc.boolean() }), { maxLength: 300 }),
        (ops) => {
          const ring = ByteRing.create(2048);
          const sent: Rec[] = [];
          const got: Rec[] = [];
          const take = (): number => ring.take((conn, kind, p) => got.push({ conn, kind, bytes: [...p] }));
          let n = 0;
          for (const op of ops) {
            const bytes = Array.from({ length: op.len }, (_, i) => (i * 7 + n) & 0xff);
            n++;
            const payload = Uint8Array.from(bytes);
            if (!ring.put(op.conn, RecordKind.Data, payload)) {
              // Full: the consumer catches up, then the record must fit.
              take();
              expect(ring.put(op.conn, RecordKind.Data, payload)).toBe(true);
            }
            sent.push({ conn: op.conn, kind: RecordKind.Data, bytes });
            if (op.takeAfter) take();
          }
          take();
          expect(got).toEqual(sent);
        },
      ),
      { numRuns: 200 },
    );
  });

  it(req(['CORE-PERF-022'], 'unit', 'a full ring refuses a record without writing any of it'), () => {
    const ring = ByteRing.create(1024);
    let accepted = 0;
    while (ring.put(1, RecordKind.Data, new Uint8Array(100))) accepted++;
    expect(accepted).toBeGreaterThan(0);
    let seen = 0;
    ring.take(() => seen++);
    expect(seen).toBe(accepted);
    expect(ring.take(() => seen++)).toBe(0);
  });
});

describe('socket handoff to an I/O thread', () => {
  const io = new IoThreads(2, duplicateDescriptor);
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-io-'));
  afterAll(async () => {
    await io.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An echo server whose accepted sockets move to an I/O thread; returns what the client saw. */
  async function echoThroughIoThread(transport: 'tcp' | 'unix'): Promise<{ echoed: Buffer; sent: Buffer; closedByServer: boolean }> {
    let adopted = 0;
    const server = net.createServer((sock) => {
      const s = io.adopt(sock);
      sock.pause();
      sock.destroy();
      if (!s) return;
      adopted++;
      let total = 0;
      s.on('data', (d: Buffer) => {
        total += d.length;
        s.write(d);
        // After 1 MiB the server ends the connection (its FIN must follow the echoed bytes).
        if (total >= 1 << 20) s.end();
      });
    });
    const path = join(dir, `echo-${transport}.sock`);
    await new Promise<void>((r) => (transport === 'tcp' ? server.listen(0, '127.0.0.1', () => r()) : server.listen(path, () => r())));
    try {
      const client = transport === 'tcp' ? net.connect((server.address() as net.AddressInfo).port, '127.0.0.1') : net.connect(path);
      const chunks: Buffer[] = [];
      const sent = Buffer.alloc(1 << 20);
      for (let i = 0; i < sent.length; i++) sent[i] = (i * 31 + (i >> 10)) & 0xff;
      const closed = new Promise<boolean>((r) => {
        client.on('end', () => r(true));
        client.on('error', () => r(false));
      });
      client.on('data', (d: Buffer) => chunks.push(d));
      await new Promise<void>((r) => client.on('connect', () => r()));
      // Writes of odd sizes, larger than one ring record.
      for (let off = 0; off < sent.length; off += 300_001) client.write(sent.subarray(off, Math.min(sent.length, off + 300_001)));
      const closedByServer = await closed;
      client.destroy();
      expect(adopted).toBe(1);
      return { echoed: Buffer.concat(chunks), sent, closedByServer };
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }

  for (const transport of ['tcp', 'unix'] as const) {
    it(req(['CORE-PERF-021', 'CORE-PERF-023'], 'unit', `a ${transport} socket moved to an I/O thread keeps its connection, byte order and end`), async () => {
      const r = await echoThroughIoThread(transport);
      expect(r.closedByServer).toBe(true);
      expect(r.echoed.length).toBe(r.sent.length);
      expect(r.echoed.equals(r.sent)).toBe(true);
    }, 30_000);
  }

  it(req(['CORE-PERF-023'], 'unit', 'a client that goes away is reported as a close of its stream'), async () => {
    const closed: Promise<void>[] = [];
    const server = net.createServer((sock) => {
      const s = io.adopt(sock);
      sock.pause();
      sock.destroy();
      if (s) closed.push(new Promise<void>((r) => s.on('close', () => r())));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await new Promise<void>((r) => client.on('connect', () => r()));
      while (closed.length === 0) await new Promise((r) => setTimeout(r, 10));
      client.destroy();
      await closed[0];
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

/**
 * The body of an I/O thread: it owns the sockets of the connections handed to it, copies what
 * clients send into its ring to the main thread, and writes to the sockets what the main thread
 * puts into the other ring. It knows nothing of packets or sessions; the main thread still
 * frames packets, runs commands and encodes results, so the engine's state is touched by the
 * main thread alone.
 *
 * @spec https://nodejs.org/docs/latest-v20.x/api/worker_threads.html
 * @req CORE-PERF-021 CORE-PERF-022 CORE-PERF-023
 */
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ByteRing, RecordKind } from './byte-ring.js';

export interface IoWorkerData {
  /** Main → I/O ring. */
  toIo: SharedArrayBuffer;
  /** I/O → main ring. */
  toMain: SharedArrayBuffer;
  /** Milliseconds the thread keeps polling its ring after the last record before it sleeps (0: sleep at once). */
  pollMs: number;
}

interface Client {
  socket: Socket;
  /** The socket's send buffer is full; the main thread was told (Blocked). */
  blocked: boolean;
  /** The main thread asked us to stop reading (its packet queue is long). */
  mainPaused: boolean;
  /** Bytes from this client wait for room in the ring. */
  ringPaused: boolean;
}

const data = workerData as IoWorkerData;
const inbound = new ByteRing(data.toIo);
const outbound = new ByteRing(data.toMain);
const clients = new Map<number, Client>();

/** Records for the main thread that did not fit the ring yet, in order. */
const pending: { conn: number; kind: RecordKind; payload?: Buffer }[] = [];
let waitingForSpace = false;

function send(conn: number, kind: RecordKind, payload?: Buffer): void {
  if (pending.length === 0 && putChunks(conn, kind, payload)) return;
  pending.push(payload ? { conn, kind, payload } : { conn, kind });
  // Stop reading the client whose bytes are queued until the main thread catches up.
  const c = clients.get(conn);
  if (c && kind === RecordKind.Data) {
    c.ringPaused = true;
    c.socket.pause();
  }
  if (!waitingForSpace) {
    waitingForSpace = true;
    void drainPending();
  }
}

/** Put a record, splitting Data longer than a record may carry; false if none of it fits. */
function putChunks(conn: number, kind: RecordKind, payload?: Buffer): boolean {
  const max = outbound.maxRecord;
  if (!payload || payload.length <= max) return outbound.put(conn, kind, payload);
  let off = 0;
  while (off < payload.length) {
    const end = Math.min(payload.length, off + max);
    if (!outbound.put(conn, kind, payload.subarray(off, end))) {
      // Keep the rest for later, in front of anything queued after it.
      pending.unshift({ conn, kind, payload: payload.subarray(off) });
      return true;
    }
    off = end;
  }
  return true;
}

async function drainPending(): Promise<void> {
  while (pending.length > 0) {
    await outbound.waitForSpace();
    while (pending.length > 0) {
      const r = pending.shift()!;
      const before = pending.length;
      if (!putChunks(r.conn, r.kind, r.payload)) {
        pending.unshift(r);
        break;
      }
      // A split record left its tail in front: wait for more room.
      if (pending.length > before) break;
      const c = clients.get(r.conn);
      if (c?.ringPaused && !pending.some((p) => p.conn === r.conn)) {
        c.ringPaused = false;
        if (!c.mainPaused) c.socket.resume();
      }
    }
  }
  waitingForSpace = false;
}

function adopt(conn: number, fd: number): void {
  const socket = new Socket({ fd, readable: true, writable: true });
  const c: Client = { socket, blocked: false, mainPaused: false, ringPaused: false };
  clients.set(conn, c);
  socket.on('data', (d: Buffer) => send(conn, RecordKind.Data, d));
  socket.on('drain', () => {
    if (c.blocked) {
      c.blocked = false;
      send(conn, RecordKind.Drain);
    }
  });
  // 'error' is followed by 'close'; the main thread learns of both through Close.
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clients.delete(conn);
    send(conn, RecordKind.Close);
  });
}

function onRecord(conn: number, kind: RecordKind, payload: Uint8Array): void {
  if (kind === RecordKind.Adopt) {
    adopt(conn, Buffer.from(payload.buffer, payload.byteOffset, 4).readInt32LE(0));
    return;
  }
  const c = clients.get(conn);
  if (!c) return;
  const s = c.socket;
  switch (kind) {
    case RecordKind.Data:
      if (s.destroyed || !s.writable) return;
      // The ring's bytes are reused once taken: the socket gets its own copy.
      if (!s.write(Buffer.from(payload)) && !c.blocked) {
        c.blocked = true;
        send(conn, RecordKind.Blocked);
      }
      return;
    case RecordKind.End:
      s.end();
      return;
    case RecordKind.Destroy:
      s.destroy();
      return;
    case RecordKind.Pause:
      c.mainPaused = true;
      s.pause();
      return;
    case RecordKind.Resume:
      c.mainPaused = false;
      if (!c.ringPaused) s.resume();
      return;
    default:
      return;
  }
}

/**
 * Take records as they come. With pollMs > 0 the thread stays awake for that long after the last
 * record, looking at the ring once per turn of its event loop (sockets are served in between),
 * so a busy main thread finds it awake and need not wake it.
 */
async function serve(): Promise<void> {
  const pollMs = data.pollMs;
  let lastRecord = performance.now();
  for (;;) {
    if (inbound.take(onRecord) > 0) lastRecord = performance.now();
    if (pollMs > 0 && performance.now() - lastRecord < pollMs) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    await inbound.waitForRecords();
    lastRecord = performance.now();
  }
}

void serve();
// A pending Atomics.waitAsync does not keep a thread alive; the port does, until the main
// thread terminates us at shutdown.
parentPort?.on('message', () => undefined);

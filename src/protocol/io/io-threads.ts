/**
 * I/O threads (`--io-threads=N`): after a client has authenticated on the main thread, its
 * socket moves to one of N worker threads, which from then on does the socket reads and writes.
 * The main thread keeps everything else (packet framing, commands, result encoding, the engine)
 * and talks to each I/O thread through two {@link ByteRing}s, one per direction. The connection
 * sees the moved socket as an {@link IoStream}, a {@link ByteStream} like the socket itself, so
 * the protocol code does not know which thread does its I/O.
 *
 * The socket moves as a file descriptor: descriptors belong to the process, so the main thread
 * duplicates the socket's descriptor (with the function the server passes in, from the native
 * addon: Node has no dup), puts the copy into the ring for the I/O thread, and closes its own
 * copy; the client sees nothing. TLS connections stay on the main
 * thread (the TLS state lives in the main thread's socket object).
 *
 * @spec https://nodejs.org/docs/latest-v20.x/api/worker_threads.html
 * @req CORE-PERF-020 CORE-PERF-021 CORE-PERF-022 CORE-PERF-023 CORE-PERF-024
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IO_RING_BYTES } from '../limits.js';
import { ByteRing, RecordKind } from './byte-ring.js';
import type { IoWorkerData } from './io-worker.js';

/**
 * What a connection needs of its byte transport: a net.Socket, a TLS socket or an
 * {@link IoStream}. Events: 'data' (Buffer), 'drain', 'close', 'error'.
 */
export interface ByteStream {
  readonly destroyed: boolean;
  readonly writable: boolean;
  /** Queue bytes; false asks the writer to wait for 'drain'. */
  write(data: Buffer): boolean;
  end(): void;
  destroy(): void;
  pause(): void;
  resume(): void;
  on(event: 'data', listener: (d: Buffer) => void): unknown;
  on(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off(event: 'data', listener: (d: Buffer) => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/**
 * The worker's script: next to this module in the build; when this module runs from the
 * TypeScript sources (the test runner), the built copy under dist/ (a worker cannot load .ts).
 */
function workerScript(): URL {
  const built = new URL('./io-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  return new URL('../../../dist/src/protocol/io/io-worker.js', import.meta.url);
}

interface Pending {
  conn: number;
  kind: RecordKind;
  payload?: Uint8Array;
}

/** One I/O thread as the main thread sees it. */
class IoThread {
  readonly toIo = ByteRing.create(IO_RING_BYTES);
  readonly toMain = ByteRing.create(IO_RING_BYTES);
  readonly streams = new Map<number, IoStream>();
  readonly worker: Worker;
  /** Records that did not fit the ring yet, in order (later records queue behind them). */
  private readonly pending: Pending[] = [];
  private waitingForSpace = false;
  private stopped = false;
  private wakeQueued = false;
  /** Wake the thread once per batch of records rather than once per record (see constructor). */
  private readonly wakeThread = (): void => {
    this.wakeQueued = false;
    this.toIo.wakeConsumer();
  };

  constructor(
    pollMs: number,
    /** Wake the thread after the current run of microtasks instead of at every record. */
    private readonly batchWake: boolean,
  ) {
    const data: IoWorkerData = { toIo: this.toIo.buffer, toMain: this.toMain.buffer, pollMs };
    this.worker = new Worker(workerScript(), { workerData: data });
    // Do not hold the process open: the listeners and sessions do that; shutdown terminates us.
    this.worker.unref();
    // A thread that dies takes its sockets with it: their connections end (sessions close) and
    // no new connection is given to it.
    this.worker.on('error', () => this.lost());
    this.worker.on('exit', () => this.lost());
    void this.pump();
  }

  /** Whether new connections may be given to this thread. */
  get usable(): boolean {
    return !this.stopped;
  }

  private lost(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of [...this.streams.values()]) s.socketClosed();
    this.streams.clear();
  }

  /** Send a record; false when it had to queue behind a full ring. */
  send(conn: number, kind: RecordKind, payload?: Uint8Array): boolean {
    if (this.pending.length === 0 && this.putChunks(conn, kind, payload)) return true;
    this.pending.push(payload ? { conn, kind, payload } : { conn, kind });
    if (!this.waitingForSpace) {
      this.waitingForSpace = true;
      void this.drainPending();
    }
    return false;
  }

  /** Put a record, split into pieces a record may carry; false if nothing fit. */
  private putChunks(conn: number, kind: RecordKind, payload?: Uint8Array): boolean {
    const max = this.toIo.maxRecord;
    if (this.batchWake && !this.wakeQueued) {
      this.wakeQueued = true;
      queueMicrotask(this.wakeThread);
    }
    const wake = !this.batchWake;
    if (!payload || payload.length <= max) return this.toIo.put(conn, kind, payload, wake);
    let off = 0;
    while (off < payload.length) {
      const end = Math.min(payload.length, off + max);
      if (!this.toIo.put(conn, kind, payload.subarray(off, end), wake)) {
        if (off === 0) return false;
        // The rest goes first once there is room.
        this.pending.unshift({ conn, kind, payload: payload.subarray(off) });
        if (!this.waitingForSpace) {
          this.waitingForSpace = true;
          void this.drainPending();
        }
        return true;
      }
      off = end;
    }
    return true;
  }

  private async drainPending(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      await this.toIo.waitForSpace();
      while (this.pending.length > 0) {
        const r = this.pending.shift()!;
        const before = this.pending.length;
        if (!this.putChunks(r.conn, r.kind, r.payload)) {
          this.pending.unshift(r);
          break;
        }
        if (this.pending.length > before) break;
      }
    }
    this.waitingForSpace = false;
    if (this.pending.length === 0) for (const s of this.streams.values()) s.ringDrained();
  }

  /** Whether records for `conn` still wait for room. */
  hasPending(conn: number): boolean {
    return this.pending.some((p) => p.conn === conn);
  }

  private readonly onRecord = (conn: number, kind: RecordKind, payload: Uint8Array): void => {
    const s = this.streams.get(conn);
    if (!s) return;
    switch (kind) {
      case RecordKind.Data:
        // The ring's bytes are reused once taken: the connection gets its own copy. A failure
        // in one connection's input ends that connection, never the loop serving the others.
        try {
          s.emitData(Buffer.from(payload));
        } catch {
          s.destroy();
          s.socketClosed();
        }
        return;
      case RecordKind.Blocked:
        s.socketBlocked(true);
        return;
      case RecordKind.Drain:
        s.socketBlocked(false);
        return;
      case RecordKind.Close:
        this.streams.delete(conn);
        s.socketClosed();
        return;
      default:
        return;
    }
  };

  private async pump(): Promise<void> {
    while (!this.stopped) {
      this.toMain.take(this.onRecord);
      await this.toMain.waitForRecords();
    }
  }

  async stop(): Promise<void> {
    this.lost();
    await this.worker.terminate();
  }
}

/**
 * A client socket owned by an I/O thread, seen from the main thread. Writes go into the ring at
 * once (the thread writes them to the socket in order); 'drain' follows a false write when the
 * ring had no room or the socket's send buffer was full.
 * @req CORE-PERF-023
 */
export class IoStream extends EventEmitter implements ByteStream {
  destroyed = false;
  writable = true;
  private blocked = false;
  private wantDrain = false;

  constructor(
    private readonly thread: IoThread,
    readonly conn: number,
  ) {
    super();
  }

  write(data: Buffer): boolean {
    if (this.destroyed || !this.writable) return false;
    const queued = !this.thread.send(this.conn, RecordKind.Data, data);
    if (queued || this.blocked) {
      this.wantDrain = true;
      return false;
    }
    return true;
  }

  end(): void {
    if (this.destroyed || !this.writable) return;
    this.writable = false;
    this.thread.send(this.conn, RecordKind.End);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writable = false;
    this.thread.send(this.conn, RecordKind.Destroy);
  }

  pause(): void {
    if (!this.destroyed) this.thread.send(this.conn, RecordKind.Pause);
  }

  resume(): void {
    if (!this.destroyed) this.thread.send(this.conn, RecordKind.Resume);
  }

  /** @internal */
  emitData(d: Buffer): void {
    this.emit('data', d);
  }

  /** @internal */
  socketBlocked(on: boolean): void {
    this.blocked = on;
    if (!on) this.ringDrained();
  }

  /** @internal Nothing of ours waits for ring room any more. */
  ringDrained(): void {
    if (this.wantDrain && !this.blocked && !this.thread.hasPending(this.conn)) {
      this.wantDrain = false;
      this.emit('drain');
    }
  }

  /** @internal */
  socketClosed(): void {
    this.destroyed = true;
    this.writable = false;
    this.emit('close');
  }
}

/** Duplicates a descriptor (dup(2)); null when it cannot. */
export type DuplicateDescriptor = (fd: number) => number | null;

/** The pool of I/O threads a protocol handler moves authenticated connections to. @req CORE-PERF-020 */
export class IoThreads {
  private readonly threads: IoThread[] = [];
  private nextConn = 1;
  private closed = false;

  /**
   * `pollMs`: see {@link IoWorkerData.pollMs}; `batchWake`: wake a sleeping I/O thread once per
   * run of microtasks rather than at every record. The server uses the defaults;
   * bench/second-core.mjs measures the alternatives.
   */
  constructor(
    count: number,
    private readonly duplicate: DuplicateDescriptor,
    pollMs = 0,
    batchWake = true,
  ) {
    for (let i = 0; i < count; i++) this.threads.push(new IoThread(pollMs, batchWake));
  }

  get size(): number {
    return this.threads.length;
  }

  /** Connections an I/O thread serves now. @req CORE-PERF-024 */
  get connections(): number {
    let n = 0;
    for (const t of this.threads) n += t.streams.size;
    return n;
  }

  /**
   * Give `socket`'s descriptor to the least busy I/O thread and return the stream that replaces
   * the socket; null when the socket cannot move (no descriptor, addon missing, shutting down),
   * and the caller keeps serving it. The caller must close its socket object right after
   * (without ending it) and read no more from it.
   */
  adopt(socket: Socket): IoStream | null {
    if (this.closed || !this.threads.some((t) => t.usable)) return null;
    const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return null;
    let thread: IoThread | null = null;
    for (const t of this.threads) if (t.usable && (!thread || t.streams.size < thread.streams.size)) thread = t;
    if (!thread) return null;
    const copy = this.duplicate(fd);
    if (copy === null) return null;
    const conn = this.nextConn;
    this.nextConn = (this.nextConn % 0x7fffffff) + 1;
    const stream = new IoStream(thread, conn);
    thread.streams.set(conn, stream);
    const payload = Buffer.alloc(4);
    payload.writeInt32LE(copy, 0);
    thread.send(conn, RecordKind.Adopt, payload);
    return stream;
  }

  /** Stop the threads (after every connection is closed); their sockets close with them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.stop()));
  }
}


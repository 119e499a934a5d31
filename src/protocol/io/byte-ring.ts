/**
 * A single-producer single-consumer ring of byte records in a SharedArrayBuffer: how the main
 * thread and an I/O thread pass client bytes and connection events to each other without
 * structured cloning. A record is a 12-byte header (connection number, kind, length) and its
 * payload, padded to 4 bytes; a record never wraps around the end (the writer pads instead).
 *
 * Waiting uses Atomics.waitAsync, so neither side blocks its event loop: the consumer sleeps on
 * the write position and the producer on the read position, each raising a flag first so the
 * other side calls Atomics.notify only when somebody actually sleeps (a busy consumer that finds
 * records on its next turn costs the producer no wake-up at all).
 *
 * @spec https://nodejs.org/docs/latest-v20.x/api/worker_threads.html
 * @req CORE-PERF-022
 */

/** What a record carries. */
export const enum RecordKind {
  /** Filler up to the end of the ring (the reader skips it). */
  Pad = 0,
  /** Client bytes (to the main thread) or bytes for the client (to the I/O thread). */
  Data = 1,
  /** Main → I/O: take over the socket whose descriptor is the payload (4 bytes, little-endian). */
  Adopt = 2,
  /** Main → I/O: end the socket after what was written (FIN). */
  End = 3,
  /** Main → I/O: destroy the socket now. */
  Destroy = 4,
  /** Main → I/O: stop reading the socket (input back-pressure). */
  Pause = 5,
  /** Main → I/O: read the socket again. */
  Resume = 6,
  /** I/O → main: the socket is closed; no record for this connection follows. */
  Close = 7,
  /** I/O → main: the socket's send buffer is full; wait for Drain before writing more. */
  Blocked = 8,
  /** I/O → main: the socket accepts writes again. */
  Drain = 9,
}

/** Atomics.waitAsync (Node 20 has it; the TypeScript library we target does not declare it). */
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, index: number, value: number): WaitAsyncResult }).waitAsync;

const HEAD = 0;
const TAIL = 1;
const CONSUMER_WAITING = 2;
const PRODUCER_WAITING = 3;
/** Bytes before the data area (control words, one cache line). */
const CONTROL_BYTES = 64;
const RECORD_HEADER = 12;

/** The record handler's view of a payload is valid only during the call. */
export type RecordHandler = (conn: number, kind: RecordKind, payload: Uint8Array) => void;

export class ByteRing {
  private readonly ctl: Int32Array;
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly capacity: number;
  private readonly mask: number;

  /** A new ring with `capacity` data bytes (a power of two, at least 1 KiB). */
  static create(capacity: number): ByteRing {
    if (capacity < 1024 || (capacity & (capacity - 1)) !== 0) throw new RangeError('ring capacity must be a power of two >= 1024');
    return new ByteRing(new SharedArrayBuffer(CONTROL_BYTES + capacity));
  }

  /**
   * The same ring seen from another thread (pass `buffer` in workerData). `wake`, when given,
   * replaces Atomics.notify for waking a sleeping consumer (the consumer then sleeps on its own
   * signal after {@link markWaiting}); bench/second-core.mjs compares the two.
   */
  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly wake?: () => void,
  ) {
    this.capacity = buffer.byteLength - CONTROL_BYTES;
    this.mask = this.capacity - 1;
    this.ctl = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
    this.words = new Int32Array(buffer, CONTROL_BYTES);
    this.bytes = new Uint8Array(buffer, CONTROL_BYTES);
  }

  /** Largest payload one record may carry. */
  get maxRecord(): number {
    return (this.capacity >> 1) - RECORD_HEADER;
  }

  /**
   * Append a record; false when it does not fit now (nothing is written then). With `wake`
   * false a sleeping consumer is not woken: the caller calls {@link wakeConsumer} after a batch.
   */
  put(conn: number, kind: RecordKind, payload?: Uint8Array, wake = true): boolean {
    const len = payload ? payload.length : 0;
    const need = RECORD_HEADER + ((len + 3) & ~3);
    let head = this.ctl[HEAD]!;
    let free = this.capacity - ((head - Atomics.load(this.ctl, TAIL)) | 0);
    let pos = head & this.mask;
    const contiguous = this.capacity - pos;
    if (contiguous < need) {
      if (free < contiguous + need) return false;
      if (contiguous >= RECORD_HEADER) {
        const w = pos >> 2;
        this.words[w] = 0;
        this.words[w + 1] = RecordKind.Pad;
        this.words[w + 2] = contiguous - RECORD_HEADER;
      }
      head = (head + contiguous) | 0;
      free -= contiguous;
      pos = 0;
    } else if (free < need) {
      return false;
    }
    const w = pos >> 2;
    this.words[w] = conn;
    this.words[w + 1] = kind;
    this.words[w + 2] = len;
    if (payload && len > 0) this.bytes.set(payload, pos + RECORD_HEADER);
    Atomics.store(this.ctl, HEAD, (head + need) | 0);
    if (wake) this.wakeConsumer();
    return true;
  }

  /** Wake the consumer if it sleeps (announced by {@link markWaiting} or {@link waitForRecords}). */
  wakeConsumer(): void {
    if (Atomics.load(this.ctl, CONSUMER_WAITING) !== 0) {
      Atomics.store(this.ctl, CONSUMER_WAITING, 0);
      if (this.wake) this.wake();
      else Atomics.notify(this.ctl, HEAD);
    }
  }

  /** Hand every record present to `fn` in order; returns how many there were. */
  take(fn: RecordHandler): number {
    let tail = this.ctl[TAIL]!;
    const head = Atomics.load(this.ctl, HEAD);
    let n = 0;
    while (tail !== head) {
      const pos = tail & this.mask;
      const contiguous = this.capacity - pos;
      if (contiguous < RECORD_HEADER) {
        tail = (tail + contiguous) | 0;
        continue;
      }
      const w = pos >> 2;
      const kind = this.words[w + 1]! as RecordKind;
      const len = this.words[w + 2]!;
      tail = (tail + RECORD_HEADER + ((len + 3) & ~3)) | 0;
      if (kind === RecordKind.Pad) continue;
      n++;
      fn(this.words[w]!, kind, this.bytes.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + len));
    }
    Atomics.store(this.ctl, TAIL, tail);
    if (n > 0 && Atomics.load(this.ctl, PRODUCER_WAITING) !== 0) {
      Atomics.store(this.ctl, PRODUCER_WAITING, 0);
      Atomics.notify(this.ctl, TAIL);
    }
    return n;
  }

  /** Announce that the consumer goes to sleep; false when records arrived meanwhile (do not sleep). */
  markWaiting(): boolean {
    Atomics.store(this.ctl, CONSUMER_WAITING, 1);
    if (Atomics.load(this.ctl, HEAD) !== this.ctl[TAIL]) {
      Atomics.store(this.ctl, CONSUMER_WAITING, 0);
      return false;
    }
    return true;
  }

  /** Resolves once records are present (at once if there are some already). */
  waitForRecords(): Promise<unknown> {
    const tail = this.ctl[TAIL]!;
    Atomics.store(this.ctl, CONSUMER_WAITING, 1);
    const r = waitAsync(this.ctl, HEAD, tail);
    if (!r.async) {
      Atomics.store(this.ctl, CONSUMER_WAITING, 0);
      return Promise.resolve();
    }
    return r.value;
  }

  /** Resolves once the consumer has taken records (at once if it did since `put` failed). */
  waitForSpace(): Promise<unknown> {
    const tail = Atomics.load(this.ctl, TAIL);
    Atomics.store(this.ctl, PRODUCER_WAITING, 1);
    // The consumer may have emptied the ring between the failed put and now: then do not sleep.
    if (((this.ctl[HEAD]! - tail) | 0) === 0) {
      Atomics.store(this.ctl, PRODUCER_WAITING, 0);
      return Promise.resolve();
    }
    const r = waitAsync(this.ctl, TAIL, tail);
    if (!r.async) {
      Atomics.store(this.ctl, PRODUCER_WAITING, 0);
      return Promise.resolve();
    }
    return r.value;
  }
}

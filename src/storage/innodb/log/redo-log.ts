/**
 * The InnoDB redo log of refmysqld: appending records, writing and fsyncing them with group
 * commit, checkpoints, and reading the log back at startup ({@link readRedoLog}).
 *
 * Records are opaque payloads built by the engine (see src/storage/innodb/README.md,
 * "Durability"). `append` is synchronous: it frames the record into the log buffer and
 * returns its end LSN. What happens next depends on innodb_flush_log_at_trx_commit, which the
 * engine maps onto these calls:
 *
 * - 1: `flushUpTo(end)` at commit; it resolves after a write and fsync covering the record.
 * - 2: `writeUpTo(end)` at commit (the OS has the bytes), and `startBackgroundFlush(1000,
 *   'flush')` fsyncs once a second.
 * - 0: nothing at commit; `startBackgroundFlush(1000, 'flush')` writes and fsyncs once a second.
 *
 * Group commit (INNODB-LOG-104): writes and fsyncs run one at a time. Callers that arrive
 * while one runs queue up, and the next round writes everything appended so far and, if any
 * of them asked for durability, fsyncs once for all of them. A round starts on a microtask,
 * so every commit appended in the same turn of the event loop shares it.
 *
 * Checkpoints (INNODB-LOG-105): `checkpoint(lsn)` makes the log up to `lsn` durable, writes
 * the checkpoint LSN into the alternate checkpoint slot of the file holding it (so a torn
 * checkpoint write leaves the previous one), fsyncs, and then removes the files wholly below
 * it. The log does not stall when its files pass the capacity; the engine watches
 * `checkpointAge` and checkpoints in time.
 *
 * Failure (INNODB-LOG-106): a failed write or fsync stops the log for good; see
 * {@link RedoLogFailedError}.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @req INNODB-BAK-005 INNODB-REC-012 INNODB-REC-014 INNODB-LIMIT-014
 * @req INNODB-LOG-101 INNODB-LOG-104 INNODB-LOG-105 INNODB-LOG-106 INNODB-LOG-107
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { RedoLogFailedError } from './errors.js';
import { nodeLogFileIo, type LogFileIo } from './file-io.js';
import { checkFileSize, RedoFileSet, type IoCounters, type LiveFile } from './file-set.js';
import { fileOffsetOf, redoDirPath } from './format.js';
import { LOG_BLOCK_SIZE, LOG_BUFFER_SIZE_DEFAULT, REDO_LOG_CAPACITY_MAX, redoFileSize } from './limits.js';
import { LogBuffer } from './log-buffer.js';
import { blockStart, isDataLsn, normalizeLsn } from './lsn.js';
import { encodeRecord } from './record.js';
import { scanRedoLog, type RedoScan } from './reader.js';

export { readRedoLog, type RedoLogContents, type RedoRecord } from './reader.js';
export { RedoLogFailedError } from './errors.js';
export { REDO_FIRST_LSN } from './lsn.js';

/** Counters of the log, for SHOW ENGINE INNODB STATUS and the Innodb_* status variables. */
export interface RedoStats {
  /** The current LSN: where the next record starts. */
  lsn: bigint;
  /** Up to here the log has been handed to the OS. */
  written: bigint;
  /** Up to here the log has been fsynced. */
  flushed: bigint;
  /** The last durable checkpoint LSN. */
  checkpointLsn: bigint;
  /** Completed write calls to the redo files. */
  logIos: number;
  /** Completed fsyncs of redo files and of the redo directory. */
  fsyncs: number;
  pendingWrites: number;
  pendingFsyncs: number;
}

/** How {@link RedoLog.open} sets up the log. */
export interface RedoLogOptions {
  /**
   * Where appending continues: the `endLsn` that readRedoLog returned. When the directory has
   * no usable log, or `startLsn` lies beyond its end, a new log starts at this LSN (rounded up
   * to a data position, at least REDO_FIRST_LSN) and the old files are removed.
   */
  startLsn: bigint;
  /** innodb_redo_log_capacity in bytes; each new file is capacity/32. */
  capacity: number;
  /** A file size to use instead of capacity/32 (tests use small files). */
  fileSizeOverride?: number;
  /** innodb_log_buffer_size: buffered bytes that start a write on their own. */
  logBufferSize?: number;
  /** The file operations; node:fs/promises unless a test injects failures. */
  io?: LogFileIo;
}

interface Waiter {
  readonly lsn: bigint;
  readonly sync: boolean;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class RedoLog {
  private readonly counters: IoCounters;
  private written: bigint;
  private flushed: bigint;
  private checkpointLsnValue: bigint;
  private checkpointNo: bigint;
  private waiters: Waiter[] = [];
  private roundScheduled = false;
  private roundsRunning = false;
  /** Serialises every I/O on the files: write rounds, checkpoints, close. */
  private ioTail: Promise<void> = Promise.resolve();
  private failure: RedoLogFailedError | null = null;
  private closed = false;
  /** close() has begun: no more appends, while it flushes what is buffered. */
  private closing = false;
  private closeDone: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly buffer: LogBuffer,
    private readonly files: RedoFileSet,
    private readonly logBufferSize: number,
    private readonly capacityBytes: number,
    counters: IoCounters,
    checkpointLsn: bigint,
    checkpointNo: bigint,
  ) {
    this.counters = counters;
    this.written = buffer.lsn;
    this.flushed = buffer.lsn;
    this.checkpointLsnValue = checkpointLsn;
    this.checkpointNo = checkpointNo;
  }

  /**
   * Opens the log of `datadir`, creating `#innodb_redo` and its first file when missing
   * (INNODB-BAK-005). When `startLsn` is the end of the existing log, appending continues
   * there: the torn tail after it (a half-written block, files beyond it) is cut off first,
   * so that nothing stale can later be read as part of the log. A `startLsn` before the
   * end of the existing log is refused (it would overwrite records).
   */
  static async open(datadir: string, opts: RedoLogOptions): Promise<RedoLog> {
    const io = opts.io ?? nodeLogFileIo;
    if (!Number.isSafeInteger(opts.capacity) || opts.capacity <= 0 || opts.capacity > REDO_LOG_CAPACITY_MAX) {
      throw new RangeError(`redo log capacity ${opts.capacity} is out of range`);
    }
    const fileSize = opts.fileSizeOverride ?? redoFileSize(opts.capacity);
    const bad = checkFileSize(fileSize);
    if (bad !== null) throw new RangeError(bad);
    const logBufferSize = opts.logBufferSize ?? LOG_BUFFER_SIZE_DEFAULT;
    const scan = await scanRedoLog(datadir, io, false);
    const dir = redoDirPath(datadir);
    await io.mkdir(dir);
    for (const name of scan.tmpNames) await io.unlink(join(dir, name));
    const counters: IoCounters = { logIos: 0, fsyncs: 0, pendingWrites: 0, pendingFsyncs: 0 };
    const start = normalizeLsn(opts.startLsn);
    const usable = scan.exists && scan.checkpoint !== null;
    if (usable && start < scan.endLsn) {
      throw new Error(`redo log start LSN ${start} is before the end of the existing log (${scan.endLsn})`);
    }
    const log =
      usable && start === scan.endLsn
        ? await RedoLog.continueLog(io, scan, fileSize, counters, logBufferSize, opts.capacity)
        : await RedoLog.freshLog(io, scan, start, fileSize, counters, logBufferSize, opts.capacity);
    return log;
  }

  /** Continues the scanned log at its end, after cutting off its torn tail. */
  private static async continueLog(
    io: LogFileIo,
    scan: RedoScan,
    fileSize: number,
    counters: IoCounters,
    logBufferSize: number,
    capacity: number,
  ): Promise<RedoLog> {
    const cp = scan.checkpoint;
    if (cp === null) throw new Error('redo log has no checkpoint');
    const end = scan.endLsn;
    const endBlock = blockStart(end);
    const keep = scan.chain.filter((f) => f.header.startLsn <= endBlock);
    const last = keep[keep.length - 1];
    if (last !== undefined && endBlock < last.endLsn) {
      // Cut the file after the block holding the end (kept: its bytes before the end are
      // rewritten from tailBlock), or at that block when it was not read back whole.
      const cut = fileOffsetOf(endBlock, last.header.startLsn) + (scan.tailBlock === null ? 0 : LOG_BLOCK_SIZE);
      if (cut < last.physicalSize) {
        const h = await io.open(last.path, 'readwrite');
        try {
          await h.truncate(cut);
          await h.sync();
          counters.fsyncs++;
        } finally {
          await h.close();
        }
      }
    }
    const kept = new Set(keep.map((f) => f.name));
    const stray = (await io.readdir(scan.dir)) ?? [];
    let removed = 0;
    for (const f of scan.files) {
      if (!kept.has(f.name)) {
        await io.unlink(f.path);
        removed++;
      }
    }
    for (const name of stray) {
      if (/^#ib_redo\d+$/.test(name) && !kept.has(name) && !scan.files.some((f) => f.name === name)) {
        await io.unlink(join(scan.dir, name));
        removed++;
      }
    }
    if (removed > 0) {
      await io.syncDir(scan.dir);
      counters.fsyncs++;
    }
    const uuid = scan.chain[0]?.header.uuid ?? 0;
    const live: LiveFile[] = keep.map((f) => ({
      number: f.header.fileNumber,
      path: f.path,
      startLsn: f.header.startLsn,
      endLsn: f.endLsn,
      handle: null,
      dirty: false,
    }));
    const files = new RedoFileSet(io, scan.dir, uuid, fileSize, counters, live, scan.maxFileNumber + 1);
    const buffer = new LogBuffer(end, scan.tailBlock);
    return new RedoLog(buffer, files, logBufferSize, capacity, counters, cp.lsn, cp.number);
  }

  /** Starts a new log at `start`, then removes the files of the old one. */
  private static async freshLog(
    io: LogFileIo,
    scan: RedoScan,
    start: bigint,
    fileSize: number,
    counters: IoCounters,
    logBufferSize: number,
    capacity: number,
  ): Promise<RedoLog> {
    const uuid = randomInt(1, 0xffff_ffff);
    const files = new RedoFileSet(io, scan.dir, uuid, fileSize, counters, [], scan.maxFileNumber + 1);
    const number = (scan.checkpoint?.number ?? 0n) + 1n;
    await files.create(blockStart(start), { number, lsn: start, uuid });
    const old = (await io.readdir(scan.dir)) ?? [];
    const fresh = new Set(files.list().map((f) => f.number));
    let removed = 0;
    for (const name of old) {
      const m = /^#ib_redo(\d+)$/.exec(name);
      if (m !== null && !fresh.has(Number(m[1]))) {
        await io.unlink(join(scan.dir, name));
        removed++;
      }
    }
    if (removed > 0) {
      await io.syncDir(scan.dir);
      counters.fsyncs++;
    }
    return new RedoLog(new LogBuffer(start, null), files, logBufferSize, capacity, counters, start, number);
  }

  private usableOrThrow(): void {
    if (this.failure !== null) throw this.failure;
    if (this.closed || this.closing) throw new Error('the redo log is closed');
  }

  private unusable(): Error | null {
    if (this.failure !== null) return this.failure;
    if (this.closed) return new Error('the redo log is closed');
    return null;
  }

  /**
   * Frames `payload` into the log buffer; the record's end LSN. Nothing is written yet
   * (see writeUpTo / flushUpTo). Throws the failure once the log has failed.
   */
  append(payload: Buffer): bigint {
    this.usableOrThrow();
    const { end } = this.buffer.append(encodeRecord(payload));
    if (!this.roundScheduled && !this.roundsRunning && this.buffer.bytesFrom(this.written) >= this.logBufferSize) {
      this.writeUpTo(end).catch(() => undefined);
    }
    return end;
  }

  /** Resolves when the log up to `lsn` has been written to the OS (no fsync). */
  writeUpTo(lsn: bigint): Promise<void> {
    return this.waitFor(lsn, false);
  }

  /** Resolves when the log up to `lsn` has been written and fsynced (group commit). */
  flushUpTo(lsn: bigint): Promise<void> {
    return this.waitFor(lsn, true);
  }

  private waitFor(lsn: bigint, sync: boolean): Promise<void> {
    const bad = this.unusable();
    if (bad !== null) return Promise.reject(bad);
    if (lsn > this.buffer.lsn) {
      return Promise.reject(new RangeError(`redo LSN ${lsn} is beyond the current LSN ${this.buffer.lsn}`));
    }
    if ((sync ? this.flushed : this.written) >= lsn) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ lsn, sync, resolve, reject });
      this.scheduleRound();
    });
  }

  private scheduleRound(): void {
    if (this.roundScheduled || this.roundsRunning) return;
    this.roundScheduled = true;
    queueMicrotask(() => {
      this.roundScheduled = false;
      void this.runRounds();
    });
  }

  /** Runs exclusive I/O: one operation on the files at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.ioTail.then(fn);
    this.ioTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async runRounds(): Promise<void> {
    if (this.roundsRunning) return;
    this.roundsRunning = true;
    try {
      while (this.waiters.length > 0 && this.failure === null) {
        const sync = this.waiters.some((w) => w.sync);
        await this.exclusive(() => this.round(sync));
        this.settle();
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.roundsRunning = false;
    }
  }

  /** One group-commit round: write everything buffered, then fsync when asked. */
  private async round(sync: boolean): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const target = this.buffer.lsn;
    if (target > this.written) {
      const sealed = this.buffer.seal(this.written, target, this.checkpointNo);
      if (sealed !== null) await this.files.writeBlocks(sealed.blockLsn, sealed.image);
      this.written = target;
      this.buffer.release(target);
    }
    if (sync && this.flushed < this.written) {
      const upTo = this.written;
      await this.files.syncDirty();
      this.flushed = upTo;
    }
  }

  private settle(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if ((w.sync ? this.flushed : this.written) >= w.lsn) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Puts the log in the failed state (once) and fails every waiter; the error to throw. */
  private fail(e: unknown): RedoLogFailedError {
    if (this.failure === null) {
      this.failure = e instanceof RedoLogFailedError ? e : new RedoLogFailedError(e);
      this.stopBackgroundFlush();
    }
    const failure = this.failure;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(failure);
    return failure;
  }

  /**
   * Records `lsn` (a record boundary: an LSN append returned, or stats.lsn) as the checkpoint
   * LSN: the log up to it is made durable first, then the checkpoint is written and fsynced,
   * then the files wholly below it are removed. An LSN at or below the current checkpoint is
   * a no-op.
   */
  async checkpoint(lsn: bigint): Promise<void> {
    const bad = this.unusable();
    if (bad !== null) throw bad;
    if (!isDataLsn(lsn) || lsn > this.buffer.lsn) {
      throw new RangeError(`redo LSN ${lsn} is not a record boundary of this log`);
    }
    if (lsn <= this.checkpointLsnValue) return;
    await this.flushUpTo(lsn);
    await this.exclusive(async () => {
      if (this.failure !== null) throw this.failure;
      if (lsn <= this.checkpointLsnValue) return;
      const number = this.checkpointNo + 1n;
      try {
        await this.files.writeCheckpoint({ number, lsn, uuid: this.uuid });
        this.checkpointNo = number;
        this.checkpointLsnValue = lsn;
        await this.files.removeBelow(lsn);
      } catch (e) {
        throw this.fail(e);
      }
    });
  }

  private get uuid(): number {
    return this.files.uuid;
  }

  /** The log's counters. */
  get stats(): RedoStats {
    return {
      lsn: this.buffer.lsn,
      written: this.written,
      flushed: this.flushed,
      checkpointLsn: this.checkpointLsnValue,
      logIos: this.counters.logIos,
      fsyncs: this.counters.fsyncs,
      pendingWrites: this.counters.pendingWrites,
      pendingFsyncs: this.counters.pendingFsyncs,
    };
  }

  /** The current LSN: where the next record starts. */
  get lsn(): bigint {
    return this.buffer.lsn;
  }

  /**
   * Bytes of log between the last checkpoint and the current LSN (headers included, as LSNs
   * count them). The engine checkpoints when this passes a fraction of {@link capacity}.
   */
  get checkpointAge(): bigint {
    return this.buffer.lsn - this.checkpointLsnValue;
  }

  /** innodb_redo_log_capacity the log was opened with. */
  get capacity(): number {
    return this.capacityBytes;
  }

  /** The live files (numbers and LSN ranges), oldest first. */
  get liveFiles(): { number: number; startLsn: bigint; endLsn: bigint }[] {
    return this.files.list();
  }

  /** The failure that stopped the log, or null while it works. */
  get failed(): RedoLogFailedError | null {
    return this.failure;
  }

  /**
   * Writes ('write') or writes and fsyncs ('flush') the whole log every `intervalMs`, for
   * innodb_flush_log_at_trx_commit 0 and 2. Replaces an earlier timer; the timer does not
   * keep the process alive.
   */
  startBackgroundFlush(intervalMs: number, mode: 'write' | 'flush'): void {
    this.stopBackgroundFlush();
    if (this.failure !== null || this.closing) return;
    const t = setInterval(() => {
      if (this.failure !== null || this.closed) return;
      const lsn = this.buffer.lsn;
      (mode === 'flush' ? this.flushUpTo(lsn) : this.writeUpTo(lsn)).catch(() => undefined);
    }, intervalMs);
    t.unref();
    this.timer = t;
  }

  stopBackgroundFlush(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Stops the timer, writes and fsyncs everything appended, and closes the files. Rejects
   * with the failure when the log has failed (the files are closed all the same).
   */
  close(): Promise<void> {
    this.closeDone ??= this.shutdown();
    return this.closeDone;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.stopBackgroundFlush();
    let err: Error | null = this.failure;
    if (err === null) {
      try {
        await this.flushUpTo(this.buffer.lsn);
      } catch (e) {
        err = e instanceof Error ? e : new Error(String(e));
      }
    }
    this.closed = true;
    await this.exclusive(() => this.files.closeAll()).catch(() => undefined);
    if (err !== null) throw err;
  }
}

/**
 * The live `#ib_redoN` files of an open redo log: which LSNs each holds, writing runs of log
 * blocks into them (continuing in a new file when one is full), fsyncing the files written
 * since the last fsync, writing checkpoint blocks, and removing files wholly below the
 * checkpoint.
 *
 * A new file is prepared as `#ib_redoN_tmp` (header and empty checkpoint slots written and
 * fsynced), then renamed to `#ib_redoN` and the directory fsynced, so every named file has a
 * valid header and survives a crash once anything in it was reported durable.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-BAK-005 INNODB-LOG-102 INNODB-LOG-105
 */
import { join } from 'node:path';
import type { LogFileHandle, LogFileIo } from './file-io.js';
import {
  checkpointSlotOffset,
  encodeCheckpointBlock,
  encodeFileHeader,
  fileEndLsn,
  fileOffsetOf,
  redoFileName,
  type CheckpointRecord,
} from './format.js';
import { LOG_BLOCK_SIZE, LOG_FILE_HDR_SIZE } from './limits.js';
import { blockStart } from './lsn.js';

/** I/O counters of the log (Innodb_log_writes, Innodb_os_log_fsyncs, pending counts). */
export interface IoCounters {
  logIos: number;
  fsyncs: number;
  pendingWrites: number;
  pendingFsyncs: number;
}

/** One live redo file. */
export interface LiveFile {
  readonly number: number;
  readonly path: string;
  readonly startLsn: bigint;
  readonly endLsn: bigint;
  handle: LogFileHandle | null;
  /** Written since its last fsync. */
  dirty: boolean;
}

export class RedoFileSet {
  private readonly files: LiveFile[];

  constructor(
    private readonly io: LogFileIo,
    private readonly dir: string,
    readonly uuid: number,
    private readonly fileSize: number,
    private readonly counters: IoCounters,
    files: LiveFile[],
    private nextNumber: number,
  ) {
    this.files = files;
  }

  /** The live files' numbers and LSN ranges, oldest first. */
  list(): { number: number; startLsn: bigint; endLsn: bigint }[] {
    return this.files.map((f) => ({ number: f.number, startLsn: f.startLsn, endLsn: f.endLsn }));
  }

  private async timedWrite(h: LogFileHandle, data: Buffer, position: number): Promise<void> {
    this.counters.pendingWrites++;
    try {
      await h.write(data, position);
      this.counters.logIos++;
    } finally {
      this.counters.pendingWrites--;
    }
  }

  private async timedSync(h: LogFileHandle): Promise<void> {
    this.counters.pendingFsyncs++;
    try {
      await h.sync();
      this.counters.fsyncs++;
    } finally {
      this.counters.pendingFsyncs--;
    }
  }

  private async syncDir(): Promise<void> {
    this.counters.pendingFsyncs++;
    try {
      await this.io.syncDir(this.dir);
      this.counters.fsyncs++;
    } finally {
      this.counters.pendingFsyncs--;
    }
  }

  /**
   * Creates the next file, starting at the block-aligned `startLsn`, with `checkpoint` in its
   * slot when given; durable (file and name) when this resolves.
   */
  async create(startLsn: bigint, checkpoint: CheckpointRecord | null): Promise<LiveFile> {
    const number = this.nextNumber++;
    const tmp = join(this.dir, redoFileName(number, true));
    const path = join(this.dir, redoFileName(number));
    const head = Buffer.alloc(LOG_FILE_HDR_SIZE);
    encodeFileHeader({ uuid: this.uuid, startLsn, fileNumber: number, fileSize: this.fileSize }).copy(head, 0);
    if (checkpoint !== null) encodeCheckpointBlock(checkpoint).copy(head, checkpointSlotOffset(checkpoint.number));
    const h = await this.io.open(tmp, 'create');
    try {
      await this.timedWrite(h, head, 0);
      await this.timedSync(h);
      await this.io.rename(tmp, path);
      await this.syncDir();
    } catch (e) {
      await h.close().catch(() => undefined);
      throw e;
    }
    const file: LiveFile = { number, path, startLsn, endLsn: fileEndLsn(startLsn, this.fileSize), handle: h, dirty: false };
    this.files.push(file);
    return file;
  }

  /** The file holding the block at `blockLsn`, creating the files up to it when they do not exist yet. */
  private async fileFor(blockLsn: bigint): Promise<LiveFile> {
    for (;;) {
      for (const f of this.files) {
        if (blockLsn >= f.startLsn && blockLsn < f.endLsn) return f;
      }
      const last = this.files[this.files.length - 1];
      if (last === undefined || blockLsn < last.startLsn) {
        throw new Error(`redo log has no file for LSN ${blockLsn}`);
      }
      await this.create(last.endLsn, null);
    }
  }

  private async handleOf(f: LiveFile): Promise<LogFileHandle> {
    if (f.handle === null) f.handle = await this.io.open(f.path, 'readwrite');
    return f.handle;
  }

  /** Writes the sealed blocks `image` at `blockLsn`, continuing into new files as each fills. */
  async writeBlocks(blockLsn: bigint, image: Buffer): Promise<void> {
    let at = 0;
    let lsn = blockLsn;
    while (at < image.length) {
      const f = await this.fileFor(lsn);
      const n = Math.min(image.length - at, Number(f.endLsn - lsn));
      const h = await this.handleOf(f);
      f.dirty = true;
      await this.timedWrite(h, image.subarray(at, at + n), fileOffsetOf(lsn, f.startLsn));
      at += n;
      lsn += BigInt(n);
    }
  }

  /** fsyncs every file written since its last fsync; then closes the handles of full files. */
  async syncDirty(): Promise<void> {
    const current = this.files[this.files.length - 1];
    for (const f of this.files) {
      if (!f.dirty || f.handle === null) continue;
      await this.timedSync(f.handle);
      f.dirty = false;
      if (f !== current) {
        const h = f.handle;
        f.handle = null;
        await h.close();
      }
    }
  }

  /** Durably writes `cp` into its slot of the file holding the checkpoint LSN. */
  async writeCheckpoint(cp: CheckpointRecord): Promise<void> {
    const f = await this.fileFor(blockStart(cp.lsn));
    const h = await this.handleOf(f);
    await this.timedWrite(h, encodeCheckpointBlock(cp), checkpointSlotOffset(cp.number));
    await this.timedSync(h);
  }

  /** Removes the files wholly below `lsn` (their last block ends at or before the block holding it). */
  async removeBelow(lsn: bigint): Promise<number> {
    const cut = blockStart(lsn);
    const gone = this.files.filter((f) => f.endLsn <= cut && !f.dirty);
    if (gone.length === 0) return 0;
    for (const f of gone) {
      if (f.handle !== null) {
        const h = f.handle;
        f.handle = null;
        await h.close();
      }
      await this.io.unlink(f.path);
      this.files.splice(this.files.indexOf(f), 1);
    }
    await this.syncDir();
    return gone.length;
  }

  /** Closes every open handle. */
  async closeAll(): Promise<void> {
    for (const f of this.files) {
      if (f.handle === null) continue;
      const h = f.handle;
      f.handle = null;
      await h.close();
    }
  }
}

/** Size check of a redo file size: whole blocks, room for the header and at least one log block. */
export function checkFileSize(fileSize: number): string | null {
  if (!Number.isSafeInteger(fileSize) || fileSize % LOG_BLOCK_SIZE !== 0 || fileSize < LOG_FILE_HDR_SIZE + LOG_BLOCK_SIZE) {
    return `redo file size ${fileSize} must be a multiple of ${LOG_BLOCK_SIZE} of at least ${LOG_FILE_HDR_SIZE + LOG_BLOCK_SIZE} bytes`;
  }
  return null;
}

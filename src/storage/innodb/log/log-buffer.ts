/**
 * The log buffer: records appended but not yet written, laid out as the 512-byte blocks they
 * will be written as, so that a write is one copy of a run of blocks.
 *
 * The buffer holds the blocks from the one holding the written LSN to the one holding the
 * current LSN. The last block is usually partly filled; it is written again, with more data,
 * by the next write (as InnoDB does), so it stays in the buffer until a later block is
 * started. Like InnoDB, this relies on a 512-byte aligned write reaching the disk whole or not
 * at all; a rewrite torn inside a block would also lose that block's earlier records. A write takes a sealed *copy* of the blocks (data length, checkpoint number and
 * checksum filled in), so appends may go on while the copy is being written.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-LOG-101 INNODB-LOG-104
 */
import { HDR_FIRST_REC_OFFSET, initLogBlock, sealLogBlock } from './format.js';
import { LOG_BLOCK_DATA_END, LOG_BLOCK_HDR_SIZE, LOG_BLOCK_SIZE } from './limits.js';
import { blockOffset, blockStart, isDataLsn } from './lsn.js';

const BLOCK = BigInt(LOG_BLOCK_SIZE);
const INITIAL_BLOCKS = 64;

/** A run of sealed blocks ready to be written at `blockLsn`. */
export interface SealedBlocks {
  readonly blockLsn: bigint;
  readonly image: Buffer;
}

export class LogBuffer {
  private buf: Buffer;
  /** LSN of the first block in `buf`. */
  private base: bigint;
  private current: bigint;

  /**
   * A buffer whose next record starts at the data position `startLsn`. `tail` is the block
   * already on disk that holds `startLsn`, when there is one: its bytes before `startLsn`
   * are kept, since the block is written again with them.
   */
  constructor(startLsn: bigint, tail: Buffer | null) {
    if (!isDataLsn(startLsn)) throw new RangeError(`redo LSN ${startLsn} is not a data position`);
    this.buf = Buffer.alloc(INITIAL_BLOCKS * LOG_BLOCK_SIZE);
    this.base = blockStart(startLsn);
    this.current = startLsn;
    const off = blockOffset(startLsn);
    if (tail !== null && tail.length === LOG_BLOCK_SIZE) {
      tail.copy(this.buf, 0, 0, off);
      const first = this.buf.readUInt16BE(HDR_FIRST_REC_OFFSET);
      if (first > off) this.buf.writeUInt16BE(0, HDR_FIRST_REC_OFFSET);
    }
    initLogBlock(this.buf.subarray(0, LOG_BLOCK_SIZE), this.base);
  }

  /** The LSN where the next record starts. */
  get lsn(): bigint {
    return this.current;
  }

  /** Bytes of buffered blocks from the block holding `written` on. */
  bytesFrom(written: bigint): number {
    return Number(blockStart(this.current) - blockStart(written)) + blockOffset(this.current);
  }

  private blockIndex(lsn: bigint): number {
    return Number((blockStart(lsn) - this.base) / BLOCK);
  }

  private ensureBlocks(count: number): void {
    const need = count * LOG_BLOCK_SIZE;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.alloc(size);
    this.buf.copy(grown, 0);
    this.buf = grown;
  }

  /** Appends a framed record; its start and end LSN. */
  append(record: Buffer): { start: bigint; end: bigint } {
    const start = this.current;
    let idx = this.blockIndex(start);
    let off = blockOffset(start);
    let at = idx * LOG_BLOCK_SIZE;
    if (this.buf.readUInt16BE(at + HDR_FIRST_REC_OFFSET) === 0) this.buf.writeUInt16BE(off, at + HDR_FIRST_REC_OFFSET);
    let done = 0;
    while (done < record.length) {
      const n = Math.min(record.length - done, LOG_BLOCK_DATA_END - off);
      record.copy(this.buf, at + off, done, done + n);
      done += n;
      off += n;
      if (off === LOG_BLOCK_DATA_END) {
        idx++;
        this.ensureBlocks(idx + 1);
        at = idx * LOG_BLOCK_SIZE;
        const block = this.buf.subarray(at, at + LOG_BLOCK_SIZE);
        block.fill(0);
        initLogBlock(block, this.base + BigInt(idx) * BLOCK);
        off = LOG_BLOCK_HDR_SIZE;
      }
    }
    this.current = this.base + BigInt(idx) * BLOCK + BigInt(off);
    return { start, end: this.current };
  }

  /**
   * A sealed copy of the blocks holding the data from `from` up to `to` (data positions,
   * `from < to <= lsn`), or null when there is none. A block that `to` has not entered yet
   * (offset 12) is left out.
   */
  seal(from: bigint, to: bigint, checkpointNo: bigint): SealedBlocks | null {
    if (to <= from) return null;
    const first = this.blockIndex(from);
    const toOff = blockOffset(to);
    const last = toOff === LOG_BLOCK_HDR_SIZE ? this.blockIndex(to) - 1 : this.blockIndex(to);
    if (last < first) return null;
    const image = Buffer.from(this.buf.subarray(first * LOG_BLOCK_SIZE, (last + 1) * LOG_BLOCK_SIZE));
    for (let i = 0; i <= last - first; i++) {
      const block = image.subarray(i * LOG_BLOCK_SIZE, (i + 1) * LOG_BLOCK_SIZE);
      const isLastOfTo = first + i === this.blockIndex(to);
      sealLogBlock(block, isLastOfTo ? toOff : LOG_BLOCK_DATA_END, checkpointNo);
    }
    return { blockLsn: this.base + BigInt(first) * BLOCK, image };
  }

  /** Drops the blocks before the one holding `written`: they are on disk and complete. */
  release(written: bigint): void {
    const idx = this.blockIndex(written);
    if (idx <= 0) return;
    const keepEnd = (this.blockIndex(this.current) + 1) * LOG_BLOCK_SIZE;
    this.buf.copy(this.buf, 0, idx * LOG_BLOCK_SIZE, keepEnd);
    this.base += BigInt(idx) * BLOCK;
  }
}

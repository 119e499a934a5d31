/**
 * LSN arithmetic for the redo log stream.
 *
 * An LSN is a byte position in the log stream, and (as in InnoDB) the stream counts the
 * block headers and trailers: the block holding LSN `x` starts at `x - x % 512`, and the
 * data of a block lies at offsets 12..507 of it. So LSNs map to file offsets by plain
 * subtraction, and a block's number follows from its LSN.
 *
 * A record boundary is always a *data position*: an LSN whose offset in its block is in
 * [12, 508). When a record ends exactly at the end of a block's data area, its end LSN is the
 * first data position of the next block (offset 12), which is also where the next record
 * starts. Every LSN the log hands out (append's end LSN, stats.lsn, the checkpoint LSN,
 * readRedoLog's endLsn) is such a position.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-LOG-101
 */
import {
  LOG_BLOCK_DATA_END,
  LOG_BLOCK_DATA_SIZE,
  LOG_BLOCK_HDR_SIZE,
  LOG_BLOCK_SIZE,
  LOG_START_LSN,
} from './limits.js';

const BLOCK = BigInt(LOG_BLOCK_SIZE);
const HDR = BigInt(LOG_BLOCK_HDR_SIZE);

/** The first data position of a new log: LOG_START_LSN plus one block header (INNODB-LOG-101). */
export const REDO_FIRST_LSN = LOG_START_LSN + HDR;

/** The LSN of the first byte of the block holding `lsn`. */
export function blockStart(lsn: bigint): bigint {
  return lsn - (lsn % BLOCK);
}

/** The offset of `lsn` inside its block (0..511). */
export function blockOffset(lsn: bigint): number {
  return Number(lsn % BLOCK);
}

/** Whether `lsn` is a data position (offset 12..507 of its block). */
export function isDataLsn(lsn: bigint): boolean {
  if (lsn < 0n) return false;
  const off = blockOffset(lsn);
  return off >= LOG_BLOCK_HDR_SIZE && off < LOG_BLOCK_DATA_END;
}

/** The smallest data position at or after `lsn`, never before {@link REDO_FIRST_LSN}. */
export function normalizeLsn(lsn: bigint): bigint {
  if (lsn < REDO_FIRST_LSN) return REDO_FIRST_LSN;
  const off = blockOffset(lsn);
  if (off < LOG_BLOCK_HDR_SIZE) return blockStart(lsn) + HDR;
  if (off >= LOG_BLOCK_DATA_END) return blockStart(lsn) + BLOCK + HDR;
  return lsn;
}

/** The data position `n` data bytes after the data position `lsn` (headers and trailers skipped). */
export function advanceLsn(lsn: bigint, n: number): bigint {
  const total = blockOffset(lsn) - LOG_BLOCK_HDR_SIZE + n;
  const blocks = Math.floor(total / LOG_BLOCK_DATA_SIZE);
  const rem = total % LOG_BLOCK_DATA_SIZE;
  return blockStart(lsn) + BigInt(blocks) * BLOCK + HDR + BigInt(rem);
}

/** Data bytes between two data positions `from <= to`. */
export function dataBytesBetween(from: bigint, to: bigint): bigint {
  const blocks = (blockStart(to) - blockStart(from)) / BLOCK;
  return blocks * BigInt(LOG_BLOCK_DATA_SIZE) + BigInt(blockOffset(to) - blockOffset(from));
}

/**
 * The number a block carries in its header: its index in the stream, 1-based, wrapping at
 * 2^30 like InnoDB's. A reader compares it with the number the block's position implies, so
 * a block written at the wrong place is not taken for log.
 */
export function blockNumber(blockLsn: bigint): number {
  return Number((blockLsn / BLOCK) & 0x3fff_ffffn) + 1;
}

/**
 * The on-disk format of the redo log: where the files live, how they are named, and the
 * layout of the header blocks and log blocks. Everything here is a pure codec; the files
 * themselves are read and written by reader.ts and file-set.ts.
 *
 * Directory: `datadir/#innodb_redo/`. Files: `#ib_redo<N>` with N increasing from 0; a file
 * being prepared is written as `#ib_redo<N>_tmp` and renamed once its header is durable, so a
 * reader never sees a named file without a header (INNODB-BAK-005).
 *
 * Each file starts with a 2048-byte header region of four 512-byte blocks, every one ending
 * in a crc32 of its first 508 bytes (all integers big-endian, as InnoDB writes them):
 *
 * ```
 * block 0, format:     0 u32 format version  4 u32 log uuid     8 u64 start LSN of the file
 *                     16 creator (32 bytes, "refmysql", zero padded)
 *                     48 u32 flags (0)       52 u32 file number  56 u64 file size in bytes
 *                     64 magic "rfmyredo"   508 u32 crc32
 * block 1, checkpoint 1 and block 3, checkpoint 2:
 *                      0 u64 checkpoint number  8 u64 checkpoint LSN  16 u32 log uuid
 *                    508 u32 crc32
 * block 2: unused (zeros)
 * ```
 *
 * Checkpoints alternate between blocks 1 and 3 (odd numbers in block 1, even in block 3), so a
 * torn checkpoint write leaves the previous checkpoint readable. An all-zero block never
 * passes its checksum, so an unwritten checkpoint slot reads as absent.
 *
 * After the header come log blocks; the block whose LSN is `b` sits at offset
 * `2048 + (b - fileStartLsn)`. A log block is:
 *
 * ```
 *   0 u32 block number (see lsn.ts)     4 u16 data length: the offset where its data ends,
 *                                           512 when the block is full
 *   6 u16 offset of the first record that starts in this block, 0 if none does
 *   8 u32 checkpoint number when the block was written
 *  12..507 data                       508 u32 crc32 of bytes 0..507
 * ```
 *
 * The uuid ties a log's files together: a file copied in from another log is not read as
 * part of this one.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-BAK-005 INNODB-LOG-101 INNODB-LOG-102
 */
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  LOG_BLOCK_DATA_END,
  LOG_BLOCK_HDR_SIZE,
  LOG_BLOCK_SIZE,
  LOG_FILE_HDR_SIZE,
} from './limits.js';
import { blockNumber } from './lsn.js';

/** The redo directory's name inside the datadir (INNODB-BAK-005). */
export const REDO_DIR_NAME = '#innodb_redo';

/** Prefix of every redo file's name (INNODB-BAK-005). */
export const REDO_FILE_PREFIX = '#ib_redo';

/** Suffix of a redo file still being prepared (INNODB-BAK-005). */
export const REDO_TMP_SUFFIX = '_tmp';

/** The format version this code writes and reads (INNODB-LOG-102). */
export const REDO_FORMAT_VERSION = 1;

/** The creator string in every file header (INNODB-LOG-102). */
export const REDO_CREATOR = 'refmysql';

/** Magic bytes of the format block (INNODB-LOG-102). */
export const REDO_MAGIC = 'rfmyredo';

/** Offsets inside the header region of the two checkpoint blocks (INNODB-LOG-102). */
export const CHECKPOINT_1_OFFSET = 1 * LOG_BLOCK_SIZE;
export const CHECKPOINT_2_OFFSET = 3 * LOG_BLOCK_SIZE;

const CREATOR_OFFSET = 16;
const CREATOR_LENGTH = 32;
const MAGIC_OFFSET = 64;
const CRC_OFFSET = LOG_BLOCK_DATA_END;

/** `datadir/#innodb_redo`. */
export function redoDirPath(datadir: string): string {
  return join(datadir, REDO_DIR_NAME);
}

/** `#ib_redo<N>` or `#ib_redo<N>_tmp`. */
export function redoFileName(n: number, tmp = false): string {
  return `${REDO_FILE_PREFIX}${n}${tmp ? REDO_TMP_SUFFIX : ''}`;
}

const NAME = /^#ib_redo(0|[1-9][0-9]{0,9})(_tmp)?$/;

/** The number and state of a redo file name, or null when the name is not one. */
export function parseRedoFileName(name: string): { n: number; tmp: boolean } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { n: Number(m[1]), tmp: m[2] !== undefined };
}

/** Which checkpoint slot a checkpoint number goes to. */
export function checkpointSlotOffset(checkpointNo: bigint): number {
  return checkpointNo % 2n === 1n ? CHECKPOINT_1_OFFSET : CHECKPOINT_2_OFFSET;
}

/** The contents of a redo file's format block. */
export interface RedoFileHeader {
  readonly format: number;
  readonly uuid: number;
  readonly startLsn: bigint;
  readonly creator: string;
  readonly flags: number;
  readonly fileNumber: number;
  readonly fileSize: number;
}

/** The crc a 512-byte block carries in its trailer: crc32 of its first 508 bytes. */
export function blockChecksum(block: Buffer): number {
  return crc32(block.subarray(0, CRC_OFFSET));
}

function stampChecksum(block: Buffer): void {
  block.writeUInt32BE(blockChecksum(block), CRC_OFFSET);
}

function checksumOk(block: Buffer): boolean {
  return block.length === LOG_BLOCK_SIZE && block.readUInt32BE(CRC_OFFSET) === blockChecksum(block);
}

/** One format block (512 bytes) for `h`. */
export function encodeFileHeader(h: Omit<RedoFileHeader, 'format' | 'creator' | 'flags'>): Buffer {
  const b = Buffer.alloc(LOG_BLOCK_SIZE);
  b.writeUInt32BE(REDO_FORMAT_VERSION, 0);
  b.writeUInt32BE(h.uuid >>> 0, 4);
  b.writeBigUInt64BE(h.startLsn, 8);
  b.write(REDO_CREATOR, CREATOR_OFFSET, CREATOR_LENGTH, 'latin1');
  b.writeUInt32BE(0, 48);
  b.writeUInt32BE(h.fileNumber >>> 0, 52);
  b.writeBigUInt64BE(BigInt(h.fileSize), 56);
  b.write(REDO_MAGIC, MAGIC_OFFSET, 'latin1');
  stampChecksum(b);
  return b;
}

/** The format block's contents, or a sentence saying why it is not a valid one. */
export function decodeFileHeader(b: Buffer): RedoFileHeader | string {
  if (b.length < LOG_BLOCK_SIZE) return 'the file is shorter than its header';
  const block = b.subarray(0, LOG_BLOCK_SIZE);
  if (!checksumOk(block)) return 'the header block checksum does not match';
  if (block.toString('latin1', MAGIC_OFFSET, MAGIC_OFFSET + REDO_MAGIC.length) !== REDO_MAGIC) {
    return 'the header has no refmysql redo magic';
  }
  const format = block.readUInt32BE(0);
  if (format !== REDO_FORMAT_VERSION) return `unknown redo format version ${format}`;
  const fileSize = Number(block.readBigUInt64BE(56));
  const startLsn = block.readBigUInt64BE(8);
  if (fileSize <= LOG_FILE_HDR_SIZE || fileSize % LOG_BLOCK_SIZE !== 0 || startLsn % BigInt(LOG_BLOCK_SIZE) !== 0n) {
    return 'the header describes an impossible file layout';
  }
  const creatorRaw = block.toString('latin1', CREATOR_OFFSET, CREATOR_OFFSET + CREATOR_LENGTH);
  const nul = creatorRaw.indexOf('\0');
  return {
    format,
    uuid: block.readUInt32BE(4),
    startLsn,
    creator: nul < 0 ? creatorRaw : creatorRaw.slice(0, nul),
    flags: block.readUInt32BE(48),
    fileNumber: block.readUInt32BE(52),
    fileSize,
  };
}

/** A checkpoint as recorded in a checkpoint block. */
export interface CheckpointRecord {
  readonly number: bigint;
  readonly lsn: bigint;
  readonly uuid: number;
}

/** One checkpoint block (512 bytes). */
export function encodeCheckpointBlock(c: CheckpointRecord): Buffer {
  const b = Buffer.alloc(LOG_BLOCK_SIZE);
  b.writeBigUInt64BE(c.number, 0);
  b.writeBigUInt64BE(c.lsn, 8);
  b.writeUInt32BE(c.uuid >>> 0, 16);
  stampChecksum(b);
  return b;
}

/** The checkpoint a block records, or null when the block is torn or was never written. */
export function decodeCheckpointBlock(b: Buffer): CheckpointRecord | null {
  if (!checksumOk(b)) return null;
  return { number: b.readBigUInt64BE(0), lsn: b.readBigUInt64BE(8), uuid: b.readUInt32BE(16) };
}

/** The header fields of a log block. */
export interface LogBlockHeader {
  readonly blockNo: number;
  /** Offset where the block's data ends; 512 when the block is full. */
  readonly dataLen: number;
  /** Offset of the first record starting in the block; 0 when none does. */
  readonly firstRecGroup: number;
  readonly checkpointNo: number;
}

/** Offsets of the log block header fields. */
export const HDR_NO_OFFSET = 0;
export const HDR_DATA_LEN_OFFSET = 4;
export const HDR_FIRST_REC_OFFSET = 6;
export const HDR_CHECKPOINT_NO_OFFSET = 8;

/** Starts an empty log block at `blockLsn` inside `block` (512 bytes, zeroed by the caller). */
export function initLogBlock(block: Buffer, blockLsn: bigint): void {
  block.writeUInt32BE(blockNumber(blockLsn), HDR_NO_OFFSET);
}

/**
 * Completes a log block image for writing: its data length (`dataEnd`, the offset where its
 * data ends; 508 is stored as 512, "full"), the checkpoint number, and the checksum.
 */
export function sealLogBlock(block: Buffer, dataEnd: number, checkpointNo: bigint): void {
  block.writeUInt16BE(dataEnd >= LOG_BLOCK_DATA_END ? LOG_BLOCK_SIZE : dataEnd, HDR_DATA_LEN_OFFSET);
  block.writeUInt32BE(Number(checkpointNo & 0xffff_ffffn), HDR_CHECKPOINT_NO_OFFSET);
  stampChecksum(block);
}

/**
 * The header of the log block that should be at `blockLsn`, or a sentence saying why the
 * bytes there are not that block (torn, never written, or misplaced).
 */
export function checkLogBlock(block: Buffer, blockLsn: bigint): LogBlockHeader | string {
  if (block.length !== LOG_BLOCK_SIZE) return 'the block is incomplete';
  if (!checksumOk(block)) return 'the block checksum does not match';
  const blockNo = block.readUInt32BE(HDR_NO_OFFSET);
  if (blockNo !== blockNumber(blockLsn)) return `the block number ${blockNo} does not belong at this position`;
  const dataLen = block.readUInt16BE(HDR_DATA_LEN_OFFSET);
  if (dataLen !== LOG_BLOCK_SIZE && (dataLen < LOG_BLOCK_HDR_SIZE || dataLen >= LOG_BLOCK_DATA_END)) {
    return `the block data length ${dataLen} is impossible`;
  }
  const firstRecGroup = block.readUInt16BE(HDR_FIRST_REC_OFFSET);
  const dataEnd = dataLen === LOG_BLOCK_SIZE ? LOG_BLOCK_DATA_END : dataLen;
  if (firstRecGroup !== 0 && (firstRecGroup < LOG_BLOCK_HDR_SIZE || firstRecGroup >= dataEnd)) {
    return `the block first-record offset ${firstRecGroup} is impossible`;
  }
  return { blockNo, dataLen, firstRecGroup, checkpointNo: block.readUInt32BE(HDR_CHECKPOINT_NO_OFFSET) };
}

/** The offset in its block where a valid block's data ends (508 for a full block). */
export function dataEndOf(h: LogBlockHeader): number {
  return h.dataLen === LOG_BLOCK_SIZE ? LOG_BLOCK_DATA_END : h.dataLen;
}

/** The file offset of the log block at `blockLsn` in a file starting at `fileStartLsn`. */
export function fileOffsetOf(blockLsn: bigint, fileStartLsn: bigint): number {
  return LOG_FILE_HDR_SIZE + Number(blockLsn - fileStartLsn);
}

/** The LSN just past the last log block of a file of `fileSize` bytes starting at `startLsn`. */
export function fileEndLsn(startLsn: bigint, fileSize: number): bigint {
  return startLsn + BigInt(fileSize - LOG_FILE_HDR_SIZE);
}

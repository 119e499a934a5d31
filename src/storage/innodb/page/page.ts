/**
 * The FIL page: the unit InnoDB reads and writes. Every page of every tablespace file starts
 * with the 38-byte FIL header and ends with the 8-byte FIL trailer (offsets in limits.ts, the
 * same as real InnoDB's); what lies between belongs to the page type.
 *
 * Checksum (innodb_checksum_algorithm=crc32). Real InnoDB computes CRC-32C of two ranges and
 * XORs them; Node's zlib offers the IEEE CRC-32, so ours is
 *
 *     checksum = (crc32(page[4, 26)) XOR crc32(page[38, size - 8))) >>> 0
 *
 * i.e. the header from the page number to the page type, and the body. The two ranges leave
 * out the checksum field itself, the file-flush-LSN and space-id fields (which InnoDB also
 * leaves out, since they can be rewritten without a new checksum in old formats) and the
 * trailer. The same value is stored at offset 0 and at size-8; the trailer's last word holds
 * the low 32 bits of the header LSN, so a page whose beginning and end come from different
 * writes (a torn write) is caught even when each half is self-consistent.
 *
 * A page of zeros is a page that was allocated but never written: it verifies as 'all-zero',
 * not as corrupt (INNODB-PAGE-102).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_checksum_algorithm
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @req INNODB-PAGE-101 INNODB-PAGE-102 INNODB-LIMIT-022
 */
import { crc32 } from 'node:zlib';
import {
  FIL_NULL,
  FIL_PAGE_DATA,
  FIL_PAGE_END_CHKSUM_FROM_END,
  FIL_PAGE_END_LSN_FROM_END,
  FIL_PAGE_FILE_FLUSH_LSN,
  FIL_PAGE_LSN,
  FIL_PAGE_NEXT,
  FIL_PAGE_OFFSET,
  FIL_PAGE_PREV,
  FIL_PAGE_SPACE_ID,
  FIL_PAGE_SPACE_OR_CHKSUM,
  FIL_PAGE_TYPE,
  isValidPageSize,
} from './limits.js';

/** The header fields a caller chooses when it makes a page. */
export interface PageFields {
  pageNo: number;
  spaceId: number;
  type: number;
  /** Default FIL_NULL. */
  prev?: number;
  /** Default FIL_NULL. */
  next?: number;
  /** Default 0n. */
  lsn?: bigint;
  /** Meaningful on page 0 only; default 0n. */
  flushLsn?: bigint;
}

/** Every field of the FIL header and trailer, as stored. */
export interface PageHeader {
  checksum: number;
  pageNo: number;
  prev: number;
  next: number;
  lsn: bigint;
  type: number;
  flushLsn: bigint;
  spaceId: number;
  trailerChecksum: number;
  trailerLsnLow: number;
}

/** What {@link verifyPage} found; only 'ok' and 'all-zero' are healthy pages. */
export type PageStatus = 'ok' | 'checksum' | 'lsn-mismatch' | 'page-no' | 'space-id' | 'all-zero';

const U64_MAX = (1n << 64n) - 1n;

function checkSize(buf: Buffer): number {
  if (!isValidPageSize(buf.length)) throw new RangeError(`not a page: ${buf.length} bytes is not a valid innodb_page_size`);
  return buf.length;
}

function u32(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${name} ${n} is not a u32`);
  return n;
}

function u64(name: string, n: bigint): bigint {
  if (n < 0n || n > U64_MAX) throw new RangeError(`${name} ${n} is not a u64`);
  return n;
}

/** A zeroed page of `pageSize` bytes with its FIL header filled in (not yet sealed). */
export function newPage(pageSize: number, fields: PageFields): Buffer {
  if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
  if (!Number.isInteger(fields.type) || fields.type < 0 || fields.type > 0xffff) throw new RangeError(`page type ${fields.type} is not a u16`);
  const buf = Buffer.alloc(pageSize);
  buf.writeUInt32BE(u32('page number', fields.pageNo), FIL_PAGE_OFFSET);
  buf.writeUInt32BE(u32('prev', fields.prev ?? FIL_NULL), FIL_PAGE_PREV);
  buf.writeUInt32BE(u32('next', fields.next ?? FIL_NULL), FIL_PAGE_NEXT);
  buf.writeBigUInt64BE(u64('LSN', fields.lsn ?? 0n), FIL_PAGE_LSN);
  buf.writeUInt16BE(fields.type, FIL_PAGE_TYPE);
  buf.writeBigUInt64BE(u64('flush LSN', fields.flushLsn ?? 0n), FIL_PAGE_FILE_FLUSH_LSN);
  buf.writeUInt32BE(u32('space id', fields.spaceId), FIL_PAGE_SPACE_ID);
  return buf;
}

/** The FIL header and trailer of a page (no verification). */
export function readHeader(buf: Buffer): PageHeader {
  const size = checkSize(buf);
  return {
    checksum: buf.readUInt32BE(FIL_PAGE_SPACE_OR_CHKSUM),
    pageNo: buf.readUInt32BE(FIL_PAGE_OFFSET),
    prev: buf.readUInt32BE(FIL_PAGE_PREV),
    next: buf.readUInt32BE(FIL_PAGE_NEXT),
    lsn: buf.readBigUInt64BE(FIL_PAGE_LSN),
    type: buf.readUInt16BE(FIL_PAGE_TYPE),
    flushLsn: buf.readBigUInt64BE(FIL_PAGE_FILE_FLUSH_LSN),
    spaceId: buf.readUInt32BE(FIL_PAGE_SPACE_ID),
    trailerChecksum: buf.readUInt32BE(size - FIL_PAGE_END_CHKSUM_FROM_END),
    trailerLsnLow: buf.readUInt32BE(size - FIL_PAGE_END_LSN_FROM_END),
  };
}

/** The crc32 checksum of a page as defined in the module comment. */
export function pageChecksum(buf: Buffer): number {
  const size = checkSize(buf);
  const head = crc32(buf.subarray(FIL_PAGE_OFFSET, FIL_PAGE_FILE_FLUSH_LSN));
  const body = crc32(buf.subarray(FIL_PAGE_DATA, size - FIL_PAGE_END_CHKSUM_FROM_END));
  return (head ^ body) >>> 0;
}

/** Make a page ready for the disk: checksum at both ends, low LSN word in the trailer. Returns `buf`. */
export function sealPage(buf: Buffer): Buffer {
  const size = checkSize(buf);
  const sum = pageChecksum(buf);
  buf.writeUInt32BE(sum, FIL_PAGE_SPACE_OR_CHKSUM);
  buf.writeUInt32BE(sum, size - FIL_PAGE_END_CHKSUM_FROM_END);
  buf.writeUInt32BE(Number(buf.readBigUInt64BE(FIL_PAGE_LSN) & 0xffffffffn), size - FIL_PAGE_END_LSN_FROM_END);
  return buf;
}

const zeroPages = new Map<number, Buffer>();

/** Whether every byte of the page is zero (a page never written). */
export function isAllZero(buf: Buffer): boolean {
  let zero = zeroPages.get(buf.length);
  if (!zero) zeroPages.set(buf.length, (zero = Buffer.alloc(buf.length)));
  return buf.equals(zero);
}

/**
 * Check a page read from disk: checksums at both ends, the trailer's LSN word, and (when given)
 * that it is the page and tablespace the caller asked for. The checksum is checked first since
 * a failed checksum makes every other field untrustworthy.
 */
export function verifyPage(buf: Buffer, expectedPageNo?: number, expectedSpaceId?: number): PageStatus {
  const size = checkSize(buf);
  if (isAllZero(buf)) return 'all-zero';
  const sum = pageChecksum(buf);
  if (buf.readUInt32BE(FIL_PAGE_SPACE_OR_CHKSUM) !== sum || buf.readUInt32BE(size - FIL_PAGE_END_CHKSUM_FROM_END) !== sum) return 'checksum';
  const lsnLow = Number(buf.readBigUInt64BE(FIL_PAGE_LSN) & 0xffffffffn);
  if (buf.readUInt32BE(size - FIL_PAGE_END_LSN_FROM_END) !== lsnLow) return 'lsn-mismatch';
  if (expectedPageNo !== undefined && buf.readUInt32BE(FIL_PAGE_OFFSET) !== expectedPageNo) return 'page-no';
  if (expectedSpaceId !== undefined && buf.readUInt32BE(FIL_PAGE_SPACE_ID) !== expectedSpaceId) return 'space-id';
  return 'ok';
}

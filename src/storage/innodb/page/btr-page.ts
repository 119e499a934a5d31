/**
 * The B+tree page (FIL_PAGE_INDEX) as it sits in a tablespace file, and its decoded form
 * ({@link BtrPage}) as the buffer pool keeps it. Our body is simpler than real InnoDB's compact
 * record format (no record headers, directory slots or infimum/supremum records): the tree
 * keeps pages decoded and searches them in memory, so the bytes only need to carry the entries
 * in key order.
 *
 * A page is the FIL header (with FIL_PAGE_PREV/NEXT holding a leaf's neighbours, as in InnoDB,
 * and FIL_NULL on node pages), then the body:
 *
 *     index id   u32
 *     level      u16   0 for a leaf, 1 above the leaves, and so on
 *     n entries  u16
 *     entries    key length u16, key bytes (btr/key-codec.ts), then
 *                  leaf: value length u32, value bytes
 *                  node: child page number u32
 *
 * then zeros up to the FIL trailer. `BtrPage.bytes` counts the entries only (the sum of
 * {@link entryBytes}); the fixed header is left out, so a page fits when `bytes` is at most
 * {@link btrPageCapacity}.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-physical-structure.html (15.6.2.2 The Physical Structure of an InnoDB Index)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @req INNODB-BTR-104 INNODB-BTR-101
 */
import { decodeKey } from '../btr/key-codec.js';
import type { BtrPage, LeafEntry, NodeEntry } from '../btr/page-store.js';
import { FIL_NULL, FIL_PAGE_DATA, FIL_PAGE_DATA_END, FIL_PAGE_INDEX } from './limits.js';
import { newPage, readHeader, sealPage } from './page.js';

/** Index id u32, level u16, entry count u16 (INNODB-BTR-104). */
export const BTR_PAGE_HEADER_BYTES = 8;
/** An entry's key length is a u16 (INNODB-BTR-104). */
export const BTR_MAX_KEY_BYTES = 0xffff;
/** A leaf entry's value length is a u32 (INNODB-BTR-104). */
const BTR_MAX_VALUE_BYTES = 0xffffffff;
/** The level and entry count fields are u16 (INNODB-BTR-104). */
const U16_MAX = 0xffff;

const LEVEL_AT = FIL_PAGE_DATA + 4;
const COUNT_AT = FIL_PAGE_DATA + 6;
const ENTRIES_AT = FIL_PAGE_DATA + BTR_PAGE_HEADER_BYTES;

/** Encoded size of one entry: a leaf entry when `value` is a Buffer, a node pointer when null. */
export function entryBytes(keyBytes: Buffer, value: Buffer | null): number {
  return 2 + keyBytes.length + 4 + (value === null ? 0 : value.length);
}

/** Body bytes the entries of one page may take (INNODB-BTR-101). */
export function btrPageCapacity(pageSize: number): number {
  return pageSize - FIL_PAGE_DATA - FIL_PAGE_DATA_END - BTR_PAGE_HEADER_BYTES;
}

/**
 * The largest entry the tree accepts (INNODB-BTR-101). Half a page: then a page that
 * overflows by one entry always splits into two pages that each fit, and a page always holds
 * at least two entries (InnoDB's rule for the same reason, 15.22).
 */
export function maxBtrEntryBytes(pageSize: number): number {
  return Math.floor(btrPageCapacity(pageSize) / 2);
}

/** The sum of {@link entryBytes} over a page's entries: what `BtrPage.bytes` must equal. */
export function computeBtrPageBytes(page: BtrPage): number {
  let n = 0;
  if (page.kind === 'leaf') for (const e of page.entries) n += entryBytes(e.keyBytes, e.value);
  else for (const e of page.entries) n += entryBytes(e.keyBytes, null);
  return n;
}

/** A sealed FIL_PAGE_INDEX page holding `page`; throws a RangeError when the entries do not fit. */
export function encodeBtrPage(page: BtrPage, pageNo: number, spaceId: number, lsn: bigint, pageSize: number): Buffer {
  // the size comes from the entries themselves, not from `page.bytes`: a wrong count must not
  // let a write run into the trailer
  const bytes = computeBtrPageBytes(page);
  const capacity = btrPageCapacity(pageSize);
  if (bytes > capacity) throw new RangeError(`btr page ${pageNo}: entries take ${bytes} bytes, a ${pageSize}-byte page holds ${capacity}`);
  if (page.entries.length > U16_MAX) throw new RangeError(`btr page ${pageNo}: ${page.entries.length} entries`);
  const level = page.kind === 'leaf' ? 0 : page.level;
  if (page.kind === 'node' && (!Number.isInteger(level) || level < 1 || level > U16_MAX)) throw new RangeError(`btr page ${pageNo}: node level ${level}`);
  const buf = newPage(pageSize, {
    pageNo,
    spaceId,
    type: FIL_PAGE_INDEX,
    prev: page.kind === 'leaf' ? page.prev : FIL_NULL,
    next: page.kind === 'leaf' ? page.next : FIL_NULL,
    lsn,
  });
  buf.writeUInt32BE(page.indexId, FIL_PAGE_DATA);
  buf.writeUInt16BE(level, LEVEL_AT);
  buf.writeUInt16BE(page.entries.length, COUNT_AT);
  let at = ENTRIES_AT;
  for (const e of page.entries) {
    if (e.keyBytes.length > BTR_MAX_KEY_BYTES) throw new RangeError(`btr page ${pageNo}: key of ${e.keyBytes.length} bytes`);
    buf.writeUInt16BE(e.keyBytes.length, at);
    at += 2;
    at += e.keyBytes.copy(buf, at);
    if (page.kind === 'leaf') {
      const v = (e as LeafEntry).value;
      buf.writeUInt32BE(v.length, at);
      at += 4;
      at += v.copy(buf, at);
    } else {
      buf.writeUInt32BE((e as NodeEntry).child, at);
      at += 4;
    }
  }
  return sealPage(buf);
}

/**
 * The decoded form of a FIL_PAGE_INDEX page (gen 0, bytes computed). The checksum is not
 * checked here (the buffer pool runs verifyPage first); a body whose lengths run past the page,
 * or whose keys do not decode, throws an Error naming the page and entry.
 */
export function decodeBtrPage(buf: Buffer): BtrPage {
  const h = readHeader(buf);
  const fail = (what: string): never => {
    throw new Error(`malformed btr page ${h.pageNo}: ${what}`);
  };
  if (h.type !== FIL_PAGE_INDEX) fail(`page type ${h.type} is not FIL_PAGE_INDEX (${FIL_PAGE_INDEX})`);
  const end = buf.length - FIL_PAGE_DATA_END;
  const indexId = buf.readUInt32BE(FIL_PAGE_DATA);
  const level = buf.readUInt16BE(LEVEL_AT);
  const count = buf.readUInt16BE(COUNT_AT);
  const leaf = level === 0;
  // every entry takes at least a key length and a u32: refuse a count the body cannot hold up front
  if (count * entryBytes(Buffer.alloc(0), null) > end - ENTRIES_AT) fail(`${count} entries cannot fit in the body`);
  const leafEntries: LeafEntry[] = [];
  const nodeEntries: NodeEntry[] = [];
  let bytes = 0;
  let at = ENTRIES_AT;
  // One private copy of the page that every entry is a view of: entries do not see later writes
  // to the I/O buffer, and a page's entries live and die with one allocation of their own
  // (small copies from Node's shared slabs would keep whole slabs alive after eviction).
  const own = Buffer.allocUnsafeSlow(buf.length);
  buf.copy(own);
  const slice = (from: number, len: number): Buffer => own.subarray(from, from + len);
  for (let i = 0; i < count; i++) {
    if (at + 2 > end) fail(`entry ${i} of ${count} starts past the body`);
    const keyLen = buf.readUInt16BE(at);
    if (at + 2 + keyLen + 4 > end) fail(`entry ${i}: key of ${keyLen} bytes runs past the body`);
    const keyBytes = slice(at + 2, keyLen);
    at += 2 + keyLen;
    let key;
    try {
      key = decodeKey(keyBytes);
    } catch (e) {
      fail(`entry ${i}: ${(e as Error).message}`);
    }
    const word = buf.readUInt32BE(at);
    at += 4;
    if (leaf) {
      if (word > BTR_MAX_VALUE_BYTES || at + word > end) fail(`entry ${i}: value of ${word} bytes runs past the body`);
      const value = slice(at, word);
      at += word;
      leafEntries.push({ key: key!, keyBytes, value });
      bytes += entryBytes(keyBytes, value);
    } else {
      nodeEntries.push({ key: key!, keyBytes, child: word });
      bytes += entryBytes(keyBytes, null);
    }
  }
  if (leaf) return { kind: 'leaf', indexId, gen: 0, bytes, entries: leafEntries, prev: h.prev, next: h.next };
  return { kind: 'node', indexId, gen: 0, bytes, level, entries: nodeEntries };
}

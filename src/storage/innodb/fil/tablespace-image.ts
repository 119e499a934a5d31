/**
 * The format of a file-per-table tablespace (<schema>/<table>.ibd), version 2: page 0 holds the
 * header, the table's indexes are B+trees of index pages (page/btr-page.ts) updated in place by
 * checkpoints through the buffer pool, long records and the SDI live in chains of BLOB pages, and
 * freed pages form a free list. This module reads and writes the header, encodes and decodes the
 * pages that are not B+tree nodes, and reads a whole file back without the trees' help (CHECK
 * TABLE, forced recovery past corrupt pages, IMPORT TABLESPACE) by visiting every page in
 * page-number order.
 *
 *     page 0      FIL_PAGE_TYPE_FSP_HDR, its FIL "file flush LSN" = the header's flushed LSN; body:
 *                   38 magic 'RMIBD'           43 format version u8 (2)
 *                   44 space id u32            48 page size u32
 *                   52 table id u64            60 flushed LSN u64
 *                   68 record count u64        76 page count u32 (pages in the file)
 *                   80 free list head u32      84 has auto-increment u8   85 auto-increment u64
 *                   93 next hidden row id u64 101 SDI first page u32     105 SDI length u32
 *                  109 index count u16, then per index: index id u32, root page u32
 *                  then row format, schema, name (u16 length + UTF-8 each), extra (u16 length + bytes)
 *     index page  FIL_PAGE_INDEX, a B+tree node or leaf (page/btr-page.ts). A clustered leaf's
 *                 value is a record: u8 flags (bit 0: off-page), u48 DB_TRX_ID of the transaction
 *                 that wrote it, then the row record, or (off-page) u32 first BLOB page + u32 length.
 *     BLOB page   FIL_PAGE_TYPE_BLOB: 38 bytes on this page u32, 42 next BLOB page u32, 46 the bytes
 *     free page   FIL_PAGE_TYPE_ALLOCATED, FIL next = the next free page (FIL_NULL at the end)
 *
 * A tablespace that would need page 2^32 - 1 or beyond is full (INNODB-LIMIT-016): 1114.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3 Forcing InnoDB Recovery)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-file-per-table-tablespaces.html (15.6.3.2)
 * @req INNODB-LIMIT-010 INNODB-LIMIT-011 INNODB-LIMIT-016 INNODB-FORCE-014 INNODB-PAGE-103 INNODB-BTR-101
 */
import { open } from 'node:fs/promises';
import { sqlError } from '../../../kernel/errors.js';
import type { KeyPart } from '../../keys.js';
import { Btree } from '../btr/btree.js';
import { encodeKey } from '../btr/key-codec.js';
import type { BtrPage, LeafEntry, LeafPage, NodeEntry, PageStore } from '../btr/page-store.js';
import { btrPageCapacity, decodeBtrPage, encodeBtrPage, entryBytes, maxBtrEntryBytes } from '../page/btr-page.js';
import {
  FIL_NULL,
  FIL_PAGE_DATA,
  FIL_PAGE_DATA_END,
  FIL_PAGE_INDEX,
  FIL_PAGE_NEXT,
  FIL_PAGE_SPACE_ID,
  FIL_PAGE_TYPE,
  FIL_PAGE_TYPE_ALLOCATED,
  FIL_PAGE_TYPE_BLOB,
  FIL_PAGE_TYPE_FSP_HDR,
  PAGE_SIZES,
  isValidPageSize,
} from '../page/limits.js';
import { newPage, readHeader, sealPage, verifyPage } from '../page/page.js';
import { ByteCursor, FormatError } from './byte-cursor.js';
import { MAX_PAGE_NO, MAX_RECORD_BYTES, TABLESPACE_EXTRA_MAX, TABLESPACE_FORMAT_VERSION, TABLESPACE_MAGIC } from './limits.js';

/** What the engine says about the table when it writes the image. */
export interface TablespaceMeta {
  spaceId: number;
  /** ROW_FORMAT name, e.g. 'DYNAMIC'. */
  rowFormat: string;
  schema: string;
  name: string;
  tableId: number;
  /** The table's AUTO_INCREMENT counter, null when it has none. */
  autoIncrement: bigint | null;
  /** Next DB_ROW_ID for a table without a usable key. */
  nextRowId: bigint;
  /** Free-form engine bytes, at most TABLESPACE_EXTRA_MAX. */
  extra: Buffer;
}

/** One index of the tablespace: its id (1 = the clustered index) and its root page. */
export interface IndexRoot {
  id: number;
  root: number;
}

/** The header as the engine sees it: the meta plus the page size, flushed LSN and record count. */
export interface TablespaceHeader extends TablespaceMeta {
  pageSize: number;
  /** Every change up to this LSN is in the file (also FIL_PAGE_FILE_FLUSH_LSN of page 0). */
  flushedLsn: bigint;
  /** Records in the clustered index. */
  recordCount: number;
}

/** The header as stored on page 0, with the layout fields. */
export interface StoredTablespaceHeader extends TablespaceHeader {
  /** Pages in the file. */
  pageCount: number;
  /** First page of the free list, FIL_NULL when none is free. */
  freeHead: number;
  /** The SDI's BLOB chain (FIL_NULL and 0 when there is none). */
  sdiPage: number;
  sdiLength: number;
  /** The clustered index first, then the secondary indexes in definition order. */
  indexes: IndexRoot[];
}

/** A page of a tablespace failed its checks (checksum, LSN, number, structure) or is missing. */
export class TablespaceCorruptError extends Error {
  constructor(
    readonly spaceId: number | null,
    readonly path: string,
    readonly pageNo: number,
    readonly reason: string,
  ) {
    super(`InnoDB: corrupt page [space=${spaceId ?? '?'}, page number=${pageNo}] in file '${path}': ${reason}`);
    this.name = 'TablespaceCorruptError';
  }
}

const MAGIC = Buffer.from(TABLESPACE_MAGIC, 'latin1');
/** Offset of the page-size field of page 0, readable before the page size is known. */
export const HEADER_PAGE_SIZE_OFFSET = FIL_PAGE_DATA + 10;
/** The clustered index's id in every tablespace; secondary indexes follow from 2. */
export const CLUSTERED_INDEX_ID = 1;

// BLOB page body
const BLOB_PART_LEN = FIL_PAGE_DATA;
const BLOB_NEXT = FIL_PAGE_DATA + 4;
const BLOB_DATA = FIL_PAGE_DATA + 8;

/** Bytes of record a BLOB page holds. */
export function blobCapacity(pageSize: number): number {
  return pageSize - FIL_PAGE_DATA_END - BLOB_DATA;
}

/** A page that is not a B+tree node: part of a BLOB chain, or free. */
export interface BlobPage {
  readonly kind: 'blob';
  data: Buffer;
  next: number;
  gen: number;
}
export interface FreePage {
  readonly kind: 'free';
  next: number;
  gen: number;
}
/** Any page of a tablespace but page 0, decoded. */
export type SpacePage = BtrPage | BlobPage | FreePage;

/** The sealed bytes of a decoded page. */
export function encodeSpacePage(page: SpacePage, pageNo: number, spaceId: number, lsn: bigint, pageSize: number): Buffer {
  if (page.kind === 'leaf' || page.kind === 'node') return encodeBtrPage(page, pageNo, spaceId, lsn, pageSize);
  if (page.kind === 'free') return sealPage(newPage(pageSize, { pageNo, spaceId, type: FIL_PAGE_TYPE_ALLOCATED, lsn, next: page.next }));
  const buf = newPage(pageSize, { pageNo, spaceId, type: FIL_PAGE_TYPE_BLOB, lsn });
  if (page.data.length > blobCapacity(pageSize)) throw new RangeError(`BLOB part of ${page.data.length} bytes does not fit a page`);
  buf.writeUInt32BE(page.data.length, BLOB_PART_LEN);
  buf.writeUInt32BE(page.next, BLOB_NEXT);
  page.data.copy(buf, BLOB_DATA);
  return sealPage(buf);
}

/** A page read from a file, checked and decoded; throws TablespaceCorruptError when it fails. */
export function decodeSpacePage(buf: Buffer, pageNo: number, spaceId: number, path: string): SpacePage {
  const fail = (reason: string): never => {
    throw new TablespaceCorruptError(spaceId, path, pageNo, reason);
  };
  const status = verifyPage(buf, pageNo, spaceId);
  if (status === 'all-zero') return { kind: 'free', next: FIL_NULL, gen: 0 };
  if (status !== 'ok') fail(`${status} check failed`);
  const type = buf.readUInt16BE(FIL_PAGE_TYPE);
  if (type === FIL_PAGE_INDEX) {
    try {
      return decodeBtrPage(buf);
    } catch (e) {
      return fail(`malformed index page: ${(e as Error).message}`);
    }
  }
  if (type === FIL_PAGE_TYPE_ALLOCATED) return { kind: 'free', next: buf.readUInt32BE(FIL_PAGE_NEXT), gen: 0 };
  if (type === FIL_PAGE_TYPE_BLOB) {
    const part = buf.readUInt32BE(BLOB_PART_LEN);
    if (part > blobCapacity(buf.length)) fail(`BLOB part length ${part}`);
    return { kind: 'blob', data: Buffer.from(buf.subarray(BLOB_DATA, BLOB_DATA + part)), next: buf.readUInt32BE(BLOB_NEXT), gen: 0 };
  }
  return fail(`page type ${type} where a B+tree, BLOB or free page belongs`);
}

// A clustered leaf's value. @req INNODB-LIMIT-011
const VALUE_EXTERNAL = 1;
const VALUE_HEADER = 7;

/** A clustered record as stored: inline bytes or a reference to its BLOB chain, and its DB_TRX_ID. */
export type StoredRecord = { trxId: bigint; inline: Buffer } | { trxId: bigint; first: number; length: number };

export function encodeClusterValue(r: StoredRecord): Buffer {
  const ext = 'first' in r;
  const out = Buffer.alloc(VALUE_HEADER + (ext ? 8 : r.inline.length));
  out[0] = ext ? VALUE_EXTERNAL : 0;
  out.writeUIntBE(Number(r.trxId & 0xffffffffffffn), 1, 6);
  if (ext) {
    out.writeUInt32BE(r.first, VALUE_HEADER);
    out.writeUInt32BE(r.length, VALUE_HEADER + 4);
  } else r.inline.copy(out, VALUE_HEADER);
  return out;
}

export function decodeClusterValue(v: Buffer): StoredRecord {
  if (v.length < VALUE_HEADER) throw new FormatError(`clustered record of ${v.length} bytes`);
  const trxId = BigInt(v.readUIntBE(1, 6));
  if (v[0] === VALUE_EXTERNAL) {
    if (v.length !== VALUE_HEADER + 8) throw new FormatError('malformed off-page reference');
    return { trxId, first: v.readUInt32BE(VALUE_HEADER), length: v.readUInt32BE(VALUE_HEADER + 4) };
  }
  if (v[0] !== 0) throw new FormatError(`bad record flags ${v[0]}`);
  return { trxId, inline: v.subarray(VALUE_HEADER) };
}

/** The largest record kept in its leaf page; longer ones go off-page. @req INNODB-LIMIT-011 */
export function maxInlineRecord(pageSize: number, keyBytes: number): number {
  return maxBtrEntryBytes(pageSize) - keyBytes - VALUE_HEADER - 16;
}

/** Hands out page numbers in order; asking past MAX_PAGE_NO is "table is full" (INNODB-LIMIT-016). */
export class PageAllocator {
  constructor(
    private readonly tableName: string,
    private nextNo = 0,
  ) {}

  take(): number {
    if (this.nextNo > MAX_PAGE_NO) throw sqlError('ER_RECORD_FILE_FULL', this.tableName);
    return this.nextNo++;
  }

  get count(): number {
    return this.nextNo;
  }
}

/** Page 0's bytes for a header. */
export function writeHeaderPage(h: StoredTablespaceHeader, lsn: bigint): Buffer {
  const page = newPage(h.pageSize, { pageNo: 0, spaceId: h.spaceId, type: FIL_PAGE_TYPE_FSP_HDR, lsn, flushLsn: h.flushedLsn });
  const c = new ByteCursor(page.subarray(0, h.pageSize - FIL_PAGE_DATA_END), FIL_PAGE_DATA);
  try {
    c.putBytes(MAGIC);
    c.putU8(TABLESPACE_FORMAT_VERSION);
    c.putU32(h.spaceId);
    c.putU32(h.pageSize);
    c.putU64(h.tableId);
    c.putU64(h.flushedLsn);
    c.putU64(h.recordCount);
    c.putU32(h.pageCount);
    c.putU32(h.freeHead);
    c.putU8(h.autoIncrement === null ? 0 : 1);
    c.putU64(h.autoIncrement ?? 0n);
    c.putU64(h.nextRowId);
    c.putU32(h.sdiPage);
    c.putU32(h.sdiLength);
    c.putU16(h.indexes.length);
    for (const i of h.indexes) {
      c.putU32(i.id);
      c.putU32(i.root);
    }
    c.putStr16(h.rowFormat);
    c.putStr16(h.schema);
    c.putStr16(h.name);
    c.putBytes16(h.extra);
  } catch (e) {
    if (e instanceof FormatError) throw new RangeError(`tablespace header of ${h.schema}.${h.name} does not fit page 0: ${e.message}`);
    throw e;
  }
  return sealPage(page);
}

function checkMeta(m: TablespaceHeaderInput, pageSize: number, lsn: bigint): void {
  if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
  if (m.pageSize !== undefined && m.pageSize !== pageSize) throw new RangeError(`header page size ${m.pageSize} differs from ${pageSize}`);
  if (m.flushedLsn !== undefined && m.flushedLsn !== lsn) throw new RangeError(`header flushed LSN ${m.flushedLsn} differs from ${lsn}`);
  if (!Number.isInteger(m.spaceId) || m.spaceId < 0 || m.spaceId > 0xffffffff) throw new RangeError(`space id ${m.spaceId} is not a u32`);
  if (!Number.isSafeInteger(m.tableId) || m.tableId < 0) throw new RangeError(`table id ${m.tableId} out of range`);
  if (m.extra.length > TABLESPACE_EXTRA_MAX) throw new RangeError(`tablespace extra is ${m.extra.length} bytes, more than ${TABLESPACE_EXTRA_MAX}`);
}

/** What {@link buildTablespaceImage} takes: the meta, and optionally the derived fields. */
export type TablespaceHeaderInput = TablespaceMeta & Partial<TablespaceHeader> & { secondaryIndexes?: number };

/** An in-memory page store for building a file in one go. */
class ImageStore implements PageStore {
  readonly pages: SpacePage[] = [];
  constructor(
    readonly pageSize: number,
    private readonly alloc: PageAllocator,
  ) {}
  get(pageNo: number): BtrPage {
    const p = this.pages[pageNo];
    if (!p || p.kind === 'blob' || p.kind === 'free') throw new Error(`page ${pageNo} is not an index page`);
    return p;
  }
  allocate(page: SpacePage): number {
    const no = this.alloc.take();
    this.pages[no] = page;
    return no;
  }
  modified(pageNo: number, page: BtrPage): void {
    this.pages[pageNo] = page;
  }
  free(pageNo: number): void {
    this.pages[pageNo] = { kind: 'free', next: FIL_NULL, gen: 0 };
  }
}

/** Put `data` in a new BLOB chain of `store`; its first page. */
function writeChain(store: ImageStore, data: Buffer): number {
  const cap = blobCapacity(store.pageSize);
  let first = FIL_NULL;
  let prev: BlobPage | null = null;
  for (let at = 0; at < data.length; at += cap) {
    const page: BlobPage = { kind: 'blob', data: data.subarray(at, at + cap), next: FIL_NULL, gen: 0 };
    const no = store.allocate(page);
    if (prev) prev.next = no;
    else first = no;
    prev = page;
  }
  return first;
}

/**
 * Fill the (empty) tree rooted at `root` with `entries`, given in key order: leaves filled to
 * capacity left to right, then each level of node pointers above them, the top level written
 * into the root page so that its number stays the tree's.
 */
function bulkLoad(store: ImageStore, root: number, indexId: number, entries: LeafEntry[]): void {
  const capacity = btrPageCapacity(store.pageSize);
  const chunks = <T extends { keyBytes: Buffer }>(list: T[], size: (e: T) => number): { items: T[]; bytes: number }[] => {
    const out: { items: T[]; bytes: number }[] = [{ items: [], bytes: 0 }];
    for (const e of list) {
      const n = size(e);
      let last = out[out.length - 1]!;
      if (last.items.length > 0 && last.bytes + n > capacity) out.push((last = { items: [], bytes: 0 }));
      last.items.push(e);
      last.bytes += n;
    }
    return out;
  };
  const leaves = chunks(entries, (e) => entryBytes(e.keyBytes, e.value));
  if (leaves.length === 1) {
    store.modified(root, { kind: 'leaf', indexId, gen: 0, bytes: leaves[0]!.bytes, entries: leaves[0]!.items, prev: FIL_NULL, next: FIL_NULL });
    return;
  }
  let level: NodeEntry[] = [];
  const leafPages: LeafPage[] = [];
  for (const c of leaves) {
    const page: LeafPage = { kind: 'leaf', indexId, gen: 0, bytes: c.bytes, entries: c.items, prev: FIL_NULL, next: FIL_NULL };
    const no = store.allocate(page);
    const prev = leafPages[leafPages.length - 1];
    if (prev) {
      prev.next = no;
      page.prev = level[level.length - 1]!.child;
    }
    leafPages.push(page);
    level.push({ key: c.items[0]!.key, keyBytes: c.items[0]!.keyBytes, child: no });
  }
  for (let height = 1; ; height++) {
    const nodes = chunks(level, (e) => entryBytes(e.keyBytes, null));
    if (nodes.length === 1) {
      store.modified(root, { kind: 'node', indexId, gen: 0, bytes: nodes[0]!.bytes, level: height, entries: nodes[0]!.items });
      return;
    }
    const up: NodeEntry[] = [];
    for (const c of nodes) {
      const no = store.allocate({ kind: 'node', indexId, gen: 0, bytes: c.bytes, level: height, entries: c.items });
      up.push({ key: c.items[0]!.key, keyBytes: c.items[0]!.keyBytes, child: no });
    }
    level = up;
  }
}

/**
 * The sealed pages of a new tablespace: its first record (the SDI) in a BLOB chain, and the
 * others as the clustered index's records, keyed by `keyOf` (by default their position), plus
 * an empty tree for each of `meta.secondaryIndexes`. Every page is stamped with `lsn`.
 * Throws SqlError 1114 past 2^32 - 1 pages, RangeError for a bad page size, meta or record.
 */
export function buildTablespaceImage(
  meta: TablespaceHeaderInput,
  records: Iterable<Buffer>,
  pageSize: number,
  lsn: bigint,
  keyOf: (record: Buffer, i: number) => KeyPart[] = (_r, i) => [i],
  compare: (a: readonly KeyPart[], b: readonly KeyPart[]) => number = (a, b) => Number(a[0]) - Number(b[0]),
): Buffer[] {
  checkMeta(meta, pageSize, lsn);
  const alloc = new PageAllocator(meta.name);
  alloc.take(); // page 0
  const store = new ImageStore(pageSize, alloc);
  const indexes: IndexRoot[] = [];
  const clusteredRoot = Btree.create(store, CLUSTERED_INDEX_ID);
  indexes.push({ id: CLUSTERED_INDEX_ID, root: clusteredRoot });
  for (let i = 0; i < (meta.secondaryIndexes ?? 0); i++) indexes.push({ id: CLUSTERED_INDEX_ID + 1 + i, root: Btree.create(store, CLUSTERED_INDEX_ID + 1 + i) });
  let sdiPage = FIL_NULL;
  let sdiLength = 0;
  // Bulk load: the records in key order, appended to the last leaf, which splits as it fills.
  const rows: { key: KeyPart[]; rec: Buffer }[] = [];
  let i = -1;
  for (const rec of records) {
    if (rec.length > MAX_RECORD_BYTES) throw new RangeError(`record of ${rec.length} bytes: records must be below 4 GB`);
    if (i === -1) {
      sdiPage = writeChain(store, rec);
      sdiLength = rec.length;
    } else rows.push({ key: keyOf(rec, i), rec });
    i++;
  }
  rows.sort((a, b) => compare(a.key, b.key));
  const entries: LeafEntry[] = rows.map((r) => {
    const keyBytes = encodeKey(r.key);
    const value =
      r.rec.length <= maxInlineRecord(pageSize, keyBytes.length)
        ? encodeClusterValue({ trxId: 0n, inline: r.rec })
        : encodeClusterValue({ trxId: 0n, first: writeChain(store, r.rec), length: r.rec.length });
    return { key: r.key, keyBytes, value };
  });
  bulkLoad(store, clusteredRoot, CLUSTERED_INDEX_ID, entries);
  const header: StoredTablespaceHeader = {
    spaceId: meta.spaceId,
    rowFormat: meta.rowFormat,
    schema: meta.schema,
    name: meta.name,
    tableId: meta.tableId,
    autoIncrement: meta.autoIncrement,
    nextRowId: meta.nextRowId,
    extra: meta.extra,
    pageSize,
    flushedLsn: lsn,
    recordCount: rows.length,
    pageCount: alloc.count,
    freeHead: FIL_NULL,
    sdiPage,
    sdiLength,
    indexes,
  };
  const out: Buffer[] = [writeHeaderPage(header, lsn)];
  for (let no = 1; no < alloc.count; no++) out.push(encodeSpacePage(store.pages[no]!, no, meta.spaceId, lsn, pageSize));
  return out;
}

/**
 * The header held by page 0 of a tablespace. Throws {@link TablespaceCorruptError} (page 0)
 * when the page fails its checksum or is not one of our headers.
 */
export function parseTablespaceHeader(page0: Buffer, path = '(image)'): StoredTablespaceHeader {
  const fail = (reason: string): never => {
    throw new TablespaceCorruptError(page0.length >= FIL_PAGE_DATA ? page0.readUInt32BE(FIL_PAGE_SPACE_ID) : null, path, 0, reason);
  };
  if (!isValidPageSize(page0.length)) fail(`page 0 is ${page0.length} bytes, not a page`);
  const status = verifyPage(page0, 0);
  if (status !== 'ok') fail(`page 0 ${status === 'all-zero' ? 'was never written' : `fails its ${status} check`}`);
  const fil = readHeader(page0);
  if (fil.type !== FIL_PAGE_TYPE_FSP_HDR) fail(`page 0 has type ${fil.type}, not FSP_HDR`);
  const c = new ByteCursor(page0.subarray(0, page0.length - FIL_PAGE_DATA_END), FIL_PAGE_DATA);
  try {
    if (!c.bytes(MAGIC.length).equals(MAGIC)) fail('not a refmysql tablespace (bad magic)');
    const version = c.u8();
    if (version !== TABLESPACE_FORMAT_VERSION) fail(`unknown tablespace format version ${version}`);
    const spaceId = c.u32();
    const pageSize = c.u32();
    if (spaceId !== fil.spaceId) fail(`space id ${spaceId} differs from the FIL header's ${fil.spaceId}`);
    if (pageSize !== page0.length) fail(`page size ${pageSize} differs from the page's ${page0.length} bytes`);
    const tableId = c.u64n();
    const flushedLsn = c.u64();
    const recordCount = c.u64n();
    const pageCount = c.u32();
    const freeHead = c.u32();
    const hasAuto = c.u8();
    const auto = c.u64();
    const nextRowId = c.u64();
    const sdiPage = c.u32();
    const sdiLength = c.u32();
    const n = c.u16();
    const indexes: IndexRoot[] = [];
    for (let i = 0; i < n; i++) indexes.push({ id: c.u32(), root: c.u32() });
    if (hasAuto > 1) fail(`bad auto-increment flag ${hasAuto}`);
    if (pageCount < 1) fail('page count 0');
    if (n < 1 || indexes.some((x) => x.root === 0 || x.root >= pageCount)) fail('bad index roots');
    return {
      spaceId,
      pageSize,
      tableId,
      flushedLsn,
      recordCount,
      pageCount,
      freeHead,
      sdiPage,
      sdiLength,
      indexes,
      autoIncrement: hasAuto ? auto : null,
      nextRowId,
      rowFormat: c.str16(),
      schema: c.str16(),
      name: c.str16(),
      extra: c.bytes16(),
    };
  } catch (e) {
    if (e instanceof FormatError) fail(`malformed header: ${e.message}`);
    throw e;
  }
}

export interface ReadImageOptions {
  /** innodb_force_recovery >= 1: skip corrupt pages instead of failing (INNODB-FORCE-014). */
  ignoreCorrupt: boolean;
  /** The file the pages came from, for error messages. */
  path?: string;
}

export interface TablespaceContents {
  header: StoredTablespaceHeader;
  /** The SDI first (when its chain is readable), then the clustered records of healthy pages, in page order. */
  records: Buffer[];
  /** Numbers of the pages that failed their checks or are missing, ascending. */
  corruptPages: number[];
  /** Every B+tree page's index id and level (CHECK TABLE's structure checks), by page number. */
  indexPages: Map<number, BtrPage>;
}

/** Page `i` of a whole-file buffer, or undefined past its end (a partial page is returned as is). */
function pagesOf(file: Buffer): (i: number) => Buffer | undefined {
  let size = 0;
  if (file.length >= HEADER_PAGE_SIZE_OFFSET + 4) size = file.readUInt32BE(HEADER_PAGE_SIZE_OFFSET);
  if (!isValidPageSize(size)) size = file.length >= PAGE_SIZES[0] ? PAGE_SIZES[0] : file.length;
  return (i) => (i * size < file.length && size > 0 ? file.subarray(i * size, (i + 1) * size) : undefined);
}

/**
 * Read a tablespace back without its trees: its header, its SDI and the records of every
 * clustered leaf page, visiting pages in page-number order. `source` is the whole file or a
 * function giving page i (undefined past the end). A page that fails its checks, is missing or
 * is malformed throws {@link TablespaceCorruptError}, unless `ignoreCorrupt`, in which case it is
 * listed in corruptPages (of missing pages, only the first) and the records of the healthy
 * pages come back. A bad page 0 always throws: without the header nothing else can be read.
 */
export function readTablespaceImage(source: Buffer | ((i: number) => Buffer | undefined), opts: ReadImageOptions): TablespaceContents {
  const path = opts.path ?? '(image)';
  const pageAt = Buffer.isBuffer(source) ? pagesOf(source) : source;
  const page0 = pageAt(0);
  if (!page0) throw new TablespaceCorruptError(null, path, 0, 'the file is empty');
  const header = parseTablespaceHeader(page0, path);
  const { spaceId, pageSize } = header;
  const corrupt = new Set<number>();
  const bad = (pageNo: number, reason: string): null => {
    if (!opts.ignoreCorrupt) throw new TablespaceCorruptError(spaceId, path, pageNo, reason);
    corrupt.add(pageNo);
    return null;
  };
  const decoded = new Map<number, SpacePage>();
  let missingFrom = -1;
  for (let no = 1; no < header.pageCount; no++) {
    const page = pageAt(no);
    if (!page) {
      bad(no, `page missing: the file ends before its ${header.pageCount} pages`);
      missingFrom = no;
      break;
    }
    if (page.length !== pageSize) {
      bad(no, `partial page of ${page.length} bytes`);
      continue;
    }
    try {
      decoded.set(no, decodeSpacePage(page, no, spaceId, path));
    } catch (e) {
      if (!(e instanceof TablespaceCorruptError)) throw e;
      bad(no, e.reason);
    }
  }
  const chain = (first: number, total: number): Buffer | null => {
    const out = Buffer.allocUnsafe(total);
    let got = 0;
    let no = first;
    for (let left = Math.ceil(total / blobCapacity(pageSize)); left > 0; left--) {
      const p = decoded.get(no);
      if (!p) return corrupt.has(no) || (missingFrom >= 0 && no >= missingFrom) ? null : bad(no, 'BLOB page missing');
      if (p.kind !== 'blob') return bad(no, `page type where a BLOB page belongs`);
      if (p.data.length === 0 || p.data.length > total - got) return bad(no, `BLOB part length ${p.data.length}`);
      p.data.copy(out, got);
      got += p.data.length;
      if ((got === total) !== (p.next === FIL_NULL)) return bad(no, `BLOB chain ends wrongly (${got} of ${total} bytes, next ${p.next})`);
      no = p.next;
    }
    return got === total ? out : bad(no, `BLOB chain holds ${got} of ${total} bytes`);
  };
  const records: Buffer[] = [];
  if (header.sdiPage !== FIL_NULL) {
    const sdi = chain(header.sdiPage, header.sdiLength);
    if (sdi) records.push(sdi);
  }
  const indexPages = new Map<number, BtrPage>();
  let clustered = 0;
  for (const [no, p] of decoded) {
    if (p.kind !== 'leaf' && p.kind !== 'node') continue;
    indexPages.set(no, p);
    if (p.kind !== 'leaf' || p.indexId !== CLUSTERED_INDEX_ID) continue;
    for (const e of p.entries) {
      clustered++;
      let r: StoredRecord;
      try {
        r = decodeClusterValue(e.value);
      } catch (err) {
        bad(no, (err as Error).message);
        break;
      }
      const rec = 'inline' in r ? Buffer.from(r.inline) : chain(r.first, r.length);
      if (rec) records.push(rec);
    }
  }
  if (corrupt.size === 0 && clustered !== header.recordCount) {
    bad(0, `header says ${header.recordCount} records, the clustered index holds ${clustered}`);
  }
  return { header, records, corruptPages: [...corrupt].sort((a, b) => a - b), indexPages };
}

/** The header of the tablespace file at `path`, reading page 0 only (fs errors such as ENOENT pass through). */
export async function readTablespaceHeader(path: string): Promise<StoredTablespaceHeader> {
  const fh = await open(path, 'r');
  try {
    // the page size is at a fixed offset inside the smallest page, so read that much first
    const probe = Buffer.alloc(PAGE_SIZES[0]);
    const { bytesRead } = await fh.read(probe, 0, probe.length, 0);
    const size = bytesRead >= HEADER_PAGE_SIZE_OFFSET + 4 ? probe.readUInt32BE(HEADER_PAGE_SIZE_OFFSET) : 0;
    if (!isValidPageSize(size)) return parseTablespaceHeader(probe.subarray(0, bytesRead), path);
    const page0 = Buffer.alloc(size);
    const got = size === probe.length ? bytesRead : (await fh.read(page0, 0, size, 0)).bytesRead;
    if (size === probe.length) probe.copy(page0);
    if (got < size) throw new TablespaceCorruptError(probe.readUInt32BE(FIL_PAGE_SPACE_ID), path, 0, `file too short for page 0 (${got} of ${size} bytes)`);
    return parseTablespaceHeader(page0, path);
  } finally {
    await fh.close();
  }
}

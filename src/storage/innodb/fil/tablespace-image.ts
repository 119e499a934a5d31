/**
 * The image of a file-per-table tablespace (<schema>/<table>.ibd): what a checkpoint writes for
 * one table and what startup reads back. Stage 1 writes a table's committed rows whole at each
 * checkpoint, so the image is built from a snapshot of records (opaque byte strings, usually
 * from row/record-codec.ts) rather than updated page by page.
 *
 * Pages, all sealed with the FIL header/trailer of page/page.ts and carrying the checkpoint's
 * LSN:
 *
 *     page 0      FIL_PAGE_TYPE_FSP_HDR, its FIL "file flush LSN" = the image's LSN; body at 38:
 *                   38 magic 'RMIBD'           43 format version u8
 *                   44 space id u32            48 page size u32
 *                   52 table id u64            60 flushed LSN u64
 *                   68 record count u64        76 page count u32 (pages in the file)
 *                   80 first data page u32 (FIL_NULL: no records)
 *                   84 has auto-increment u8   85 auto-increment u64
 *                   93 next hidden row id u64
 *                  101 row format, schema, name (u16 length + UTF-8 each), extra (u16 length + bytes)
 *     data page   FIL_PAGE_INDEX, linked with FIL prev/next in record order; body at 38:
 *                   38 entry count u16, 40 first free byte u16, entries from 42:
 *                   inline   u8 0, u16 length, the record (length < page size / 2)
 *                   external u8 1, u32 first BLOB page, u32 total length
 *     BLOB page   FIL_PAGE_TYPE_BLOB, one chain per off-page record (INNODB-LIMIT-011); body:
 *                   38 bytes on this page u32, 42 next BLOB page u32 (FIL_NULL at the end),
 *                   46 the bytes
 *
 * Page numbers are handed out in order, so the data pages, read in page-number order, give the
 * records in the order they were written; a reader that meets a corrupt page therefore still
 * finds every healthy data page after it (innodb_force_recovery=1, INNODB-FORCE-014). A
 * tablespace that would need page 2^32 - 1 or beyond is full (INNODB-LIMIT-016): 1114.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html (15.21.3 Forcing InnoDB Recovery)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-file-per-table-tablespaces.html (15.6.3.2)
 * @req INNODB-LIMIT-010 INNODB-LIMIT-011 INNODB-LIMIT-016 INNODB-FORCE-014 INNODB-PAGE-103
 */
import { open } from 'node:fs/promises';
import { sqlError } from '../../../kernel/errors.js';
import {
  FIL_NULL,
  FIL_PAGE_DATA,
  FIL_PAGE_DATA_END,
  FIL_PAGE_INDEX,
  FIL_PAGE_NEXT,
  FIL_PAGE_SPACE_ID,
  FIL_PAGE_TYPE,
  FIL_PAGE_TYPE_BLOB,
  FIL_PAGE_TYPE_FSP_HDR,
  PAGE_SIZES,
  isValidPageSize,
} from '../page/limits.js';
import { newPage, readHeader, sealPage, verifyPage } from '../page/page.js';
import { ByteCursor, FormatError } from './byte-cursor.js';
import {
  MAX_PAGE_NO,
  MAX_RECORD_BYTES,
  TABLESPACE_EXTRA_MAX,
  TABLESPACE_FORMAT_VERSION,
  TABLESPACE_MAGIC,
  maxInlineRecordBytes,
} from './limits.js';

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

/** The header as the engine sees it: the meta plus the page size, flushed LSN and record count. */
export interface TablespaceHeader extends TablespaceMeta {
  pageSize: number;
  /** Every change up to this LSN is in the file (also FIL_PAGE_FILE_FLUSH_LSN of page 0). */
  flushedLsn: bigint;
  /** Records in the image (every record given to the builder). */
  recordCount: number;
}

/** The header as stored on page 0, with the layout fields the builder derived. */
export interface StoredTablespaceHeader extends TablespaceHeader {
  /** Pages in the file. */
  pageCount: number;
  /** FIL_NULL when there are no records. */
  firstDataPage: number;
}

/**
 * What {@link buildTablespaceImage} takes: the meta, and optionally the derived fields, which
 * must then agree with its arguments (pageSize, flushedLsn) or are recomputed (recordCount).
 */
export type TablespaceHeaderInput = TablespaceMeta & Partial<TablespaceHeader>;

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

// data page body
const DATA_COUNT = FIL_PAGE_DATA;
const DATA_FREE = FIL_PAGE_DATA + 2;
const DATA_ENTRIES = FIL_PAGE_DATA + 4;
const ENTRY_INLINE = 0;
const ENTRY_EXTERNAL = 1;
const INLINE_OVERHEAD = 3;
const EXTERNAL_SIZE = 9;
// BLOB page body
const BLOB_PART_LEN = FIL_PAGE_DATA;
const BLOB_NEXT = FIL_PAGE_DATA + 4;
const BLOB_DATA = FIL_PAGE_DATA + 8;

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
}

function writeHeaderPage(h: StoredTablespaceHeader, lsn: bigint): Buffer {
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
    c.putU32(h.firstDataPage);
    c.putU8(h.autoIncrement === null ? 0 : 1);
    c.putU64(h.autoIncrement ?? 0n);
    c.putU64(h.nextRowId);
    c.putStr16(h.rowFormat);
    c.putStr16(h.schema);
    c.putStr16(h.name);
    c.putBytes16(h.extra);
  } catch (e) {
    if (e instanceof FormatError) throw new RangeError(`tablespace header of ${h.schema}.${h.name} does not fit page 0: ${e.message}`);
    throw e;
  }
  return page;
}

function checkMeta(m: TablespaceHeaderInput, pageSize: number, lsn: bigint): void {
  if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
  if (m.pageSize !== undefined && m.pageSize !== pageSize) throw new RangeError(`header page size ${m.pageSize} differs from ${pageSize}`);
  if (m.flushedLsn !== undefined && m.flushedLsn !== lsn) throw new RangeError(`header flushed LSN ${m.flushedLsn} differs from ${lsn}`);
  if (!Number.isInteger(m.spaceId) || m.spaceId < 0 || m.spaceId > 0xffffffff) throw new RangeError(`space id ${m.spaceId} is not a u32`);
  if (!Number.isSafeInteger(m.tableId) || m.tableId < 0) throw new RangeError(`table id ${m.tableId} out of range`);
  if (m.extra.length > TABLESPACE_EXTRA_MAX) throw new RangeError(`tablespace extra is ${m.extra.length} bytes, more than ${TABLESPACE_EXTRA_MAX}`);
}

/**
 * The sealed pages of a tablespace holding `records` in order, every page stamped with `lsn`
 * (also the header's flushed LSN); the header's recordCount is the number of records given.
 * Throws SqlError 1114 when it would need more than 2^32 - 1 pages, RangeError for a bad page
 * size, meta field or record (>= 4 GB).
 */
export function buildTablespaceImage(meta: TablespaceHeaderInput, records: Iterable<Buffer>, pageSize: number, lsn: bigint): Buffer[] {
  checkMeta(meta, pageSize, lsn);
  const alloc = new PageAllocator(meta.name);
  const pages: Buffer[] = [];
  const fresh = (type: number, prev = FIL_NULL): { no: number; page: Buffer } => {
    const no = alloc.take();
    const page = newPage(pageSize, { pageNo: no, spaceId: meta.spaceId, type, lsn, prev });
    pages.push(page);
    return { no, page };
  };
  fresh(FIL_PAGE_TYPE_FSP_HDR); // page 0, rewritten once the counts are known

  const dataEnd = pageSize - FIL_PAGE_DATA_END;
  const inlineMax = maxInlineRecordBytes(pageSize);
  const blobCapacity = dataEnd - BLOB_DATA;
  let firstDataPage = FIL_NULL;
  let cur: { no: number; page: Buffer } | null = null;
  let free = 0;
  let count = 0;

  for (const rec of records) {
    if (rec.length > MAX_RECORD_BYTES) throw new RangeError(`record of ${rec.length} bytes: records must be below 4 GB`);
    const inline = rec.length <= inlineMax;
    const size = inline ? INLINE_OVERHEAD + rec.length : EXTERNAL_SIZE;
    if (cur === null || free + size > dataEnd) {
      const next = fresh(FIL_PAGE_INDEX, cur?.no ?? FIL_NULL);
      if (cur) cur.page.writeUInt32BE(next.no, FIL_PAGE_NEXT);
      else firstDataPage = next.no;
      cur = next;
      free = DATA_ENTRIES;
    }
    const page = cur.page;
    if (inline) {
      page.writeUInt8(ENTRY_INLINE, free);
      page.writeUInt16BE(rec.length, free + 1);
      rec.copy(page, free + INLINE_OVERHEAD);
    } else {
      let first = FIL_NULL;
      let prevBlob: Buffer | null = null;
      for (let at = 0; at < rec.length; at += blobCapacity) {
        const blob = fresh(FIL_PAGE_TYPE_BLOB);
        const part = Math.min(blobCapacity, rec.length - at);
        blob.page.writeUInt32BE(part, BLOB_PART_LEN);
        blob.page.writeUInt32BE(FIL_NULL, BLOB_NEXT);
        rec.copy(blob.page, BLOB_DATA, at, at + part);
        if (prevBlob) prevBlob.writeUInt32BE(blob.no, BLOB_NEXT);
        else first = blob.no;
        prevBlob = blob.page;
      }
      page.writeUInt8(ENTRY_EXTERNAL, free);
      page.writeUInt32BE(first, free + 1);
      page.writeUInt32BE(rec.length, free + 5);
    }
    free += size;
    page.writeUInt16BE(page.readUInt16BE(DATA_COUNT) + 1, DATA_COUNT);
    page.writeUInt16BE(free, DATA_FREE);
    count++;
  }

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
    recordCount: count,
    pageCount: pages.length,
    firstDataPage,
  };
  pages[0] = writeHeaderPage(header, lsn);
  for (const p of pages) sealPage(p);
  return pages;
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
    const firstDataPage = c.u32();
    const hasAuto = c.u8();
    const auto = c.u64();
    const nextRowId = c.u64();
    if (hasAuto > 1) fail(`bad auto-increment flag ${hasAuto}`);
    if (pageCount < 1) fail('page count 0');
    return {
      spaceId,
      pageSize,
      tableId,
      flushedLsn,
      recordCount,
      pageCount,
      firstDataPage,
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
  records: Buffer[];
  /** Numbers of the pages that failed their checks or are missing, ascending. */
  corruptPages: number[];
}

/** Page `i` of a whole-file buffer, or undefined past its end (a partial page is returned as is). */
function pagesOf(file: Buffer): (i: number) => Buffer | undefined {
  let size = 0;
  if (file.length >= HEADER_PAGE_SIZE_OFFSET + 4) size = file.readUInt32BE(HEADER_PAGE_SIZE_OFFSET);
  if (!isValidPageSize(size)) size = file.length >= PAGE_SIZES[0] ? PAGE_SIZES[0] : file.length;
  return (i) => (i * size < file.length && size > 0 ? file.subarray(i * size, (i + 1) * size) : undefined);
}

/**
 * Read a tablespace back: its header and its records in order. `source` is the whole file or a
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
  /** Page `no` if it is present and passes its checks (and has `type`, when given); otherwise reports it. */
  const healthy = (no: number, type?: number): Buffer | null => {
    const page = no < header.pageCount ? pageAt(no) : undefined;
    if (!page) return bad(no, 'page missing (file too short)');
    if (page.length !== pageSize) return bad(no, `partial page of ${page.length} bytes`);
    const status = verifyPage(page, no, spaceId);
    if (status === 'all-zero') return type === undefined ? null : bad(no, 'page never written');
    if (status !== 'ok') return bad(no, `${status} check failed`);
    const actual = page.readUInt16BE(FIL_PAGE_TYPE);
    if (type !== undefined && actual !== type) return bad(no, `page type ${actual}, expected ${type}`);
    return page;
  };
  const capacity = pageSize - FIL_PAGE_DATA_END - BLOB_DATA;
  /** An off-page record from its BLOB chain; null when a page of the chain is bad (reported). */
  const readBlob = (first: number, total: number): Buffer | null => {
    const out = Buffer.allocUnsafe(total);
    let got = 0;
    let no = first;
    // the chain can have no more pages than the length needs, so a looping chain ends too
    for (let left = Math.ceil(total / capacity); left > 0; left--) {
      const page = healthy(no, FIL_PAGE_TYPE_BLOB);
      if (!page) return null;
      const part = page.readUInt32BE(BLOB_PART_LEN);
      if (part === 0 || part > capacity || part > total - got) return bad(no, `BLOB part length ${part}`);
      page.copy(out, got, BLOB_DATA, BLOB_DATA + part);
      got += part;
      const next = page.readUInt32BE(BLOB_NEXT);
      if ((got === total) !== (next === FIL_NULL)) return bad(no, `BLOB chain ends wrongly (${got} of ${total} bytes, next ${next})`);
      no = next;
    }
    return got === total ? out : bad(no, `BLOB chain holds ${got} of ${total} bytes`);
  };

  const records: Buffer[] = [];
  for (let no = 1; no < header.pageCount; no++) {
    if (!pageAt(no)) {
      bad(no, `page missing: the file ends before its ${header.pageCount} pages`);
      break; // the pages after it are missing too; the first one names the problem
    }
    const page = healthy(no);
    if (!page || page.readUInt16BE(FIL_PAGE_TYPE) !== FIL_PAGE_INDEX) continue;
    const found = readDataPage(page, pageSize - FIL_PAGE_DATA_END, readBlob);
    if (typeof found === 'string') bad(no, found);
    else for (const r of found) if (r) records.push(r);
  }
  if (corrupt.size === 0 && records.length !== header.recordCount) {
    bad(0, `header says ${header.recordCount} records, the data pages hold ${records.length}`);
  }
  return { header, records, corruptPages: [...corrupt].sort((a, b) => a - b) };
}

/** The entries of a data page (null for an off-page record that could not be read), or why the page is malformed. */
function readDataPage(page: Buffer, dataEnd: number, blob: (first: number, total: number) => Buffer | null): (Buffer | null)[] | string {
  const n = page.readUInt16BE(DATA_COUNT);
  const free = page.readUInt16BE(DATA_FREE);
  if (free < DATA_ENTRIES || free > dataEnd) return `bad free offset ${free}`;
  const out: (Buffer | null)[] = [];
  let at = DATA_ENTRIES;
  for (let i = 0; i < n; i++) {
    const kind = at < free ? page[at] : undefined;
    if (kind === ENTRY_INLINE && at + INLINE_OVERHEAD <= free) {
      const len = page.readUInt16BE(at + 1);
      if (at + INLINE_OVERHEAD + len > free) return `entry ${i} runs past the free offset`;
      out.push(Buffer.from(page.subarray(at + INLINE_OVERHEAD, at + INLINE_OVERHEAD + len)));
      at += INLINE_OVERHEAD + len;
    } else if (kind === ENTRY_EXTERNAL && at + EXTERNAL_SIZE <= free) {
      out.push(blob(page.readUInt32BE(at + 1), page.readUInt32BE(at + 5)));
      at += EXTERNAL_SIZE;
    } else {
      return `entry ${i} at offset ${at} is malformed`;
    }
  }
  if (at !== free) return `entries end at ${at}, free offset is ${free}`;
  return out;
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

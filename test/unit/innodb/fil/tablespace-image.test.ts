/**
 * File-per-table tablespace images, format 2: page 0's header at its documented offsets, the
 * clustered index as a B+tree whose leaves are linked in key order, the SDI and long records in
 * BLOB chains (the inline limit of about half a page), the page and clustered-value codecs, exact
 * round trips for every page size, corruption handling with and without innodb_force_recovery=1,
 * reading page 0 from a file, and the limits on page numbers, tablespace size and space ids.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../../src/kernel/errors.js';
import {
  DICT_SPACE_ID,
  FIRST_USER_SPACE_ID,
  INVALID_SPACE_ID,
  MAX_PAGE_NO,
  MAX_SESSION_TEMP_SPACE_ID,
  MAX_TABLESPACE_BYTES,
  MAX_UNDO_SPACE_ID,
  MAX_USER_SPACE_ID,
  MIN_SESSION_TEMP_SPACE_ID,
  MIN_UNDO_SPACE_ID,
  PAGES_PER_TABLESPACE,
  REDO_SPACE_FIRST_ID,
  SPACE_ID_COUNT,
  SYSTEM_SPACE_ID,
  TEMP_SPACE_ID,
  isUserSpaceId,
} from '../../../../src/storage/innodb/fil/limits.js';
import type { BtrPage, LeafPage, NodePage } from '../../../../src/storage/innodb/btr/page-store.js';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import {
  CLUSTERED_INDEX_ID,
  PageAllocator,
  TablespaceCorruptError,
  blobCapacity,
  buildTablespaceImage,
  decodeClusterValue,
  decodeSpacePage,
  encodeClusterValue,
  encodeSpacePage,
  maxInlineRecord,
  parseTablespaceHeader,
  readTablespaceHeader,
  readTablespaceImage,
  writeHeaderPage,
  type SpacePage,
  type TablespaceMeta,
} from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { decodeBtrPage } from '../../../../src/storage/innodb/page/btr-page.js';
import { FIL_NULL, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB, FIL_PAGE_TYPE_FSP_HDR, PAGE_SIZES } from '../../../../src/storage/innodb/page/limits.js';
import { newPage, readHeader, sealPage, verifyPage } from '../../../../src/storage/innodb/page/page.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const tempDir = tempDirs('refmysql-ibd-');

const meta: TablespaceMeta = {
  spaceId: 42,
  rowFormat: 'DYNAMIC',
  schema: 'shop',
  name: 'orders',
  tableId: 1234,
  autoIncrement: 18446744073709551615n,
  nextRowId: 7n,
  extra: Buffer.from('engine bytes'),
};

/** Buffer lists compared with Buffer.equals (toEqual walks big buffers byte by byte, slowly). */
const sameBuffers = (a: readonly Buffer[], b: readonly Buffer[]): boolean => a.length === b.length && a.every((x, i) => x.equals(b[i]!));

const rec = (i: number, len = 20): Buffer => Buffer.alloc(len, `r${i};`);

function expectCorrupt(f: () => unknown, pageNo: number): TablespaceCorruptError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TablespaceCorruptError);
    expect((e as TablespaceCorruptError).pageNo).toBe(pageNo);
    return e as TablespaceCorruptError;
  }
  throw new Error('did not throw');
}

describe('tablespace image layout', () => {
  it(req(['INNODB-PAGE-103'], 'unit', 'page 0 is an FSP_HDR page holding the header at the documented offsets'), () => {
    const lsn = 0x0102030405n;
    // the first record is the SDI (a BLOB chain), the second the only clustered record
    const pages = buildTablespaceImage(meta, [rec(1), rec(2)], 4096, lsn);
    expect(pages.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB]);
    const p0 = pages[0]!;
    expect(p0.readUInt16BE(24)).toBe(FIL_PAGE_TYPE_FSP_HDR);
    expect(p0.readBigUInt64BE(26)).toBe(lsn); // FIL file flush LSN
    expect(p0.readUInt32BE(34)).toBe(42);
    expect(p0.subarray(38, 43).toString('latin1')).toBe('RMIBD');
    expect(p0[43]).toBe(2); // format version 2: B+tree index pages
    expect(p0.readUInt32BE(44)).toBe(42);
    expect(p0.readUInt32BE(48)).toBe(4096);
    expect(p0.readBigUInt64BE(52)).toBe(1234n);
    expect(p0.readBigUInt64BE(60)).toBe(lsn);
    expect(p0.readBigUInt64BE(68)).toBe(1n); // clustered records (the SDI is not one)
    expect(p0.readUInt32BE(76)).toBe(3); // pages
    expect(p0.readUInt32BE(80)).toBe(FIL_NULL); // no free page
    expect(p0[84]).toBe(1);
    expect(p0.readBigUInt64BE(85)).toBe(18446744073709551615n);
    expect(p0.readBigUInt64BE(93)).toBe(7n);
    expect(p0.readUInt32BE(101)).toBe(2); // SDI first page
    expect(p0.readUInt32BE(105)).toBe(20); // SDI length
    expect(p0.readUInt16BE(109)).toBe(1); // one index: the clustered one, rooted at page 1
    expect(p0.readUInt32BE(111)).toBe(CLUSTERED_INDEX_ID);
    expect(p0.readUInt32BE(115)).toBe(1);
    expect(p0.readUInt16BE(119)).toBe(7);
    expect(p0.subarray(121, 128).toString()).toBe('DYNAMIC');
    expect(p0.readUInt16BE(128)).toBe(4);
    expect(p0.subarray(130, 134).toString()).toBe('shop');
    expect(p0.readUInt16BE(134)).toBe(6);
    expect(p0.subarray(136, 142).toString()).toBe('orders');
    expect(p0.readUInt16BE(142)).toBe(12);
    expect(p0.subarray(144, 156).toString()).toBe('engine bytes');
    expect(parseTablespaceHeader(p0)).toMatchObject({ ...meta, pageCount: 3, freeHead: FIL_NULL, sdiPage: 2, sdiLength: 20, recordCount: 1, indexes: [{ id: 1, root: 1 }] });
    // page 1: the clustered root, a leaf with one entry (key [0], an inline record)
    const d = pages[1]!;
    const key = encodeKey([0]);
    expect(d.readUInt16BE(24)).toBe(FIL_PAGE_INDEX);
    expect([d.readUInt32BE(8), d.readUInt32BE(12)]).toEqual([FIL_NULL, FIL_NULL]); // no neighbours
    expect(d.readUInt32BE(38)).toBe(CLUSTERED_INDEX_ID);
    expect(d.readUInt16BE(42)).toBe(0); // level 0: a leaf
    expect(d.readUInt16BE(44)).toBe(1);
    expect(d.readUInt16BE(46)).toBe(key.length);
    expect(d.subarray(48, 48 + key.length).equals(key)).toBe(true);
    let at = 48 + key.length;
    expect(d.readUInt32BE(at)).toBe(7 + 20); // flags, DB_TRX_ID, the record
    expect(d[at + 4]).toBe(0); // inline
    expect(d.readUIntBE(at + 5, 6)).toBe(0); // DB_TRX_ID 0: written by no transaction
    at += 11;
    expect(d.subarray(at, at + 20).equals(rec(2))).toBe(true);
    // page 2: the SDI's one BLOB page
    const b = pages[2]!;
    expect(b.readUInt32BE(38)).toBe(20);
    expect(b.readUInt32BE(42)).toBe(FIL_NULL);
    expect(b.subarray(46, 66).equals(rec(1))).toBe(true);
    for (const [i, p] of pages.entries()) {
      expect(verifyPage(p, i, 42)).toBe('ok');
      expect(readHeader(p).lsn).toBe(lsn);
    }
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'clustered leaf pages are linked prev/next in key order under a node root'), () => {
    const records = Array.from({ length: 400 }, (_, i) => rec(i, 50));
    // keys run against the input order: record i (after the SDI) gets key 398 - i
    const pages = buildTablespaceImage(meta, records, 4096, 1n, (_r, i) => [398 - i]);
    const decoded = new Map<number, BtrPage>();
    pages.forEach((p, i) => {
      if (readHeader(p).type === FIL_PAGE_INDEX) decoded.set(i, decodeBtrPage(p));
    });
    const root = decoded.get(1)!;
    expect(root.kind).toBe('node');
    const leaves = [...decoded].filter(([, p]) => p.kind === 'leaf') as [number, LeafPage][];
    expect(leaves.length).toBeGreaterThan(3);
    // walk the chain from the leaf without a prev link
    const byNo = new Map(leaves);
    const first = leaves.filter(([, p]) => p.prev === FIL_NULL);
    expect(first.length).toBe(1);
    const chain: number[] = [];
    for (let no = first[0]![0], prev = FIL_NULL; no !== FIL_NULL; prev = no, no = byNo.get(no)!.next) {
      expect(byNo.get(no)!.prev).toBe(prev);
      expect(readHeader(pages[no]!).prev).toBe(prev); // the FIL header carries the links
      chain.push(no);
    }
    expect(chain.length).toBe(leaves.length);
    const keys = chain.flatMap((no) => byNo.get(no)!.entries.map((e) => e.key[0] as number));
    expect(keys).toEqual(Array.from({ length: 399 }, (_, k) => k));
    // the root points at the leaves in chain order, keyed by their first keys
    expect((root as NodePage).entries.map((e) => e.child)).toEqual(chain);
    // the page-order read gives the SDI, then the rows in key order (leaves were laid out in key order)
    expect(readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }).records).toEqual([records[0], ...records.slice(1).reverse()]);
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'a record up to the inline limit (about half a page) stays in its leaf, a longer one goes to BLOB pages'), () => {
    const sdi = Buffer.from('sdi');
    const keyBytes = encodeKey([0]).length;
    for (const size of PAGE_SIZES) {
      const limit = maxInlineRecord(size, keyBytes);
      expect(limit).toBeGreaterThan(size / 2 - 100);
      expect(limit).toBeLessThan(size / 2);
      const small = buildTablespaceImage(meta, [sdi, Buffer.alloc(limit, 1)], size, 1n);
      expect(small.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB]);
      const inline = decodeClusterValue((decodeBtrPage(small[1]!) as LeafPage).entries[0]!.value);
      expect('inline' in inline && inline.inline.equals(Buffer.alloc(limit, 1))).toBe(true);
      const big = Buffer.alloc(limit + 1, 2);
      const pages = buildTablespaceImage(meta, [sdi, big], size, 1n);
      expect(pages.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB, FIL_PAGE_TYPE_BLOB]);
      // the leaf holds an external reference: flag 1, DB_TRX_ID, first BLOB page, total length
      const value = (decodeBtrPage(pages[1]!) as LeafPage).entries[0]!.value;
      expect(value.length).toBe(15);
      expect(value[0]).toBe(1);
      expect(value.readUInt32BE(7)).toBe(3);
      expect(value.readUInt32BE(11)).toBe(limit + 1);
      expect(decodeClusterValue(value)).toEqual({ trxId: 0n, first: 3, length: limit + 1 });
      expect(pages[3]!.readUInt32BE(38)).toBe(limit + 1);
      expect(pages[3]!.readUInt32BE(42)).toBe(FIL_NULL);
      const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }).records;
      expect(sameBuffers(back, [sdi, big])).toBe(true);
    }
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'a record of many pages is a BLOB chain'), () => {
    const big = Buffer.alloc(20000);
    for (let i = 0; i < big.length; i++) big[i] = i * 7;
    const pages = buildTablespaceImage(meta, [rec(0), big, rec(2)], 4096, 1n);
    const blobs = pages.map((p, i) => ({ i, p })).filter((x) => readHeader(x.p).type === FIL_PAGE_TYPE_BLOB);
    expect(blobCapacity(4096)).toBe(4096 - 54);
    // one page for the SDI, the rest for the big record
    expect(blobs.length).toBe(1 + Math.ceil(20000 / blobCapacity(4096)));
    const ref = decodeClusterValue((decodeBtrPage(pages[1]!) as LeafPage).entries[0]!.value);
    expect('first' in ref && ref.length).toBe(20000);
    // the chain: consecutive pages, each full but the last, linked by next
    const chain = blobs.slice(1);
    expect('first' in ref && ref.first).toBe(chain[0]!.i);
    chain.forEach((x, k) => {
      expect(x.p.readUInt32BE(42)).toBe(k === chain.length - 1 ? FIL_NULL : chain[k + 1]!.i);
      expect(x.p.readUInt32BE(38)).toBe(k === chain.length - 1 ? 20000 - k * blobCapacity(4096) : blobCapacity(4096));
    });
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false });
    expect(sameBuffers(back.records, [rec(0), big, rec(2)])).toBe(true);
    expect(back.header.recordCount).toBe(2);
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'an empty table is page 0 and an empty leaf root per index, plus the SDI chain when records are given'), () => {
    const bare = { ...meta, autoIncrement: null, extra: Buffer.alloc(0) };
    const pages = buildTablespaceImage(bare, [], 16384, 5n);
    expect(pages.length).toBe(2);
    expect(decodeBtrPage(pages[1]!)).toEqual({ kind: 'leaf', indexId: CLUSTERED_INDEX_ID, gen: 0, bytes: 0, entries: [], prev: FIL_NULL, next: FIL_NULL });
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false });
    expect(back.records).toEqual([]);
    expect(back.header).toMatchObject({ sdiPage: FIL_NULL, sdiLength: 0, freeHead: FIL_NULL, pageCount: 2, recordCount: 0, autoIncrement: null, flushedLsn: 5n, pageSize: 16384 });
    expect(back.header.indexes).toEqual([{ id: CLUSTERED_INDEX_ID, root: 1 }]);
    expect([...back.indexPages.keys()]).toEqual([1]);
    // with the SDI alone and two secondary indexes: one empty leaf root each, then the SDI's page
    const sdi = Buffer.from('{"dd_object":{}}');
    const withSdi = buildTablespaceImage({ ...bare, secondaryIndexes: 2 }, [sdi], 16384, 5n);
    expect(withSdi.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX, FIL_PAGE_INDEX, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB]);
    for (const no of [1, 2, 3]) expect(decodeBtrPage(withSdi[no]!)).toMatchObject({ kind: 'leaf', indexId: no, entries: [] });
    const back2 = readTablespaceImage(Buffer.concat(withSdi), { ignoreCorrupt: false });
    expect(sameBuffers(back2.records, [sdi])).toBe(true);
    expect(back2.header).toMatchObject({ sdiPage: 4, sdiLength: sdi.length, pageCount: 5, recordCount: 0 });
    expect(back2.header.indexes).toEqual([
      { id: 1, root: 1 },
      { id: 2, root: 2 },
      { id: 3, root: 3 },
    ]);
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'bad meta is refused before anything is built'), () => {
    expect(() => buildTablespaceImage(meta, [], 1000, 1n)).toThrow(RangeError);
    expect(() => buildTablespaceImage({ ...meta, extra: Buffer.alloc(1025) }, [], 4096, 1n)).toThrow(RangeError);
    expect(() => buildTablespaceImage({ ...meta, spaceId: 2 ** 32 }, [], 4096, 1n)).toThrow(RangeError);
    expect(() => buildTablespaceImage({ ...meta, pageSize: 8192 }, [], 4096, 1n)).toThrow(RangeError);
    expect(() => buildTablespaceImage({ ...meta, flushedLsn: 2n }, [], 4096, 1n)).toThrow(RangeError);
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'any records round-trip through any page size, from a buffer or a page function'), () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAGE_SIZES),
        // the SDI is never empty (an empty one is stored as no SDI at all)
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.oneof(fc.nat(200), fc.nat(70000)), { maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.string(),
        (size, sdiLen, lens, lsn, name) => {
          const records = [Buffer.alloc(sdiLen, 0xee), ...lens.map((n, i) => Buffer.alloc(n, i + 1))];
          const pages = buildTablespaceImage({ ...meta, name }, records, size, lsn);
          const a = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false });
          const b = readTablespaceImage((i) => pages[i], { ignoreCorrupt: false });
          for (const back of [a, b]) {
            expect(sameBuffers(back.records, records)).toBe(true);
            expect(back.corruptPages).toEqual([]);
            expect(back.header).toMatchObject({ ...meta, name, pageSize: size, flushedLsn: lsn, recordCount: lens.length, pageCount: pages.length, sdiLength: sdiLen });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'encodeSpacePage and decodeSpacePage round-trip BLOB, free and index pages'), () => {
    const blob: SpacePage = { kind: 'blob', data: Buffer.from('part of a chain'), next: 9, gen: 0 };
    const free: SpacePage = { kind: 'free', next: 4, gen: 0 };
    const k = encodeKey([5]);
    const leaf: SpacePage = { kind: 'leaf', indexId: 2, gen: 0, bytes: 0, entries: [{ key: [5], keyBytes: k, value: Buffer.from('v') }], prev: 3, next: FIL_NULL };
    for (const page of [blob, free, leaf]) {
      const buf = encodeSpacePage(page, 6, 42, 11n, 4096);
      expect(verifyPage(buf, 6, 42)).toBe('ok');
      const back = decodeSpacePage(buf, 6, 42, 'x.ibd');
      if (page.kind === 'leaf') expect(back).toEqual({ ...page, bytes: 2 + k.length + 4 + 1 });
      else expect(back).toEqual(page);
    }
    // a page never written reads as free; a wrong page number, a flipped byte or an unknown type is corrupt
    expect(decodeSpacePage(Buffer.alloc(4096), 6, 42, 'x.ibd')).toEqual({ kind: 'free', next: FIL_NULL, gen: 0 });
    const good = encodeSpacePage(blob, 6, 42, 11n, 4096);
    expect(() => decodeSpacePage(good, 7, 42, 'x.ibd')).toThrow(TablespaceCorruptError);
    const flipped = Buffer.from(good);
    flipped[100] ^= 1;
    expect(() => decodeSpacePage(flipped, 6, 42, 'x.ibd')).toThrow(TablespaceCorruptError);
    const undo = sealPage(newPage(4096, { pageNo: 6, spaceId: 42, type: 2, lsn: 1n }));
    expect(() => decodeSpacePage(undo, 6, 42, 'x.ibd')).toThrow(TablespaceCorruptError);
    expect(() => encodeSpacePage({ kind: 'blob', data: Buffer.alloc(blobCapacity(4096) + 1), next: FIL_NULL, gen: 0 }, 6, 42, 1n, 4096)).toThrow(RangeError);
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'clustered values: inline or off-page, with a 48-bit DB_TRX_ID'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 48n - 1n }), fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (trxId, bytes, first, length) => {
        const inline = { trxId, inline: Buffer.from(bytes) };
        const v = encodeClusterValue(inline);
        expect(v.length).toBe(7 + bytes.length);
        expect(decodeClusterValue(v)).toEqual(inline);
        const ext = { trxId, first: first >>> 0, length: length >>> 0 };
        expect(decodeClusterValue(encodeClusterValue(ext))).toEqual(ext);
      }),
      { numRuns: RUNS },
    );
    expect(() => decodeClusterValue(Buffer.alloc(6))).toThrow();
    expect(() => decodeClusterValue(Buffer.from([2, 0, 0, 0, 0, 0, 0]))).toThrow(); // unknown flags
    expect(() => decodeClusterValue(Buffer.from([1, 0, 0, 0, 0, 0, 0, 1]))).toThrow(); // short reference
  });
});

describe('corrupt tablespaces', () => {
  // 4 KB pages, 150-byte records: the SDI on page 2, then about 24 records a leaf from page 3,
  // under a node root on page 1
  const records = Array.from({ length: 120 }, (_, i) => rec(i, 150));
  const image = () => buildTablespaceImage(meta, records, 4096, 9n);
  /** The clustered leaves of an image, by page number, with their entry counts. */
  const leavesOf = (pages: readonly Buffer[]): { no: number; count: number }[] =>
    pages.flatMap((p, no) => (readHeader(p).type === FIL_PAGE_INDEX && p.readUInt16BE(42) === 0 ? [{ no, count: p.readUInt16BE(44) }] : []));

  it(req(['INNODB-FORCE-014'], 'unit', 'the test image: node root, SDI page, then leaves in key order'), () => {
    const pages = image();
    expect(readHeader(pages[1]!).type).toBe(FIL_PAGE_INDEX);
    expect(pages[1]!.readUInt16BE(42)).toBe(1);
    expect(readHeader(pages[2]!).type).toBe(FIL_PAGE_TYPE_BLOB);
    const leaves = leavesOf(pages);
    expect(leaves.map((l) => l.no)).toEqual(Array.from({ length: pages.length - 3 }, (_, k) => k + 3));
    expect(leaves.reduce((n, l) => n + l.count, 0)).toBe(119);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a corrupt leaf page fails the read, naming space, file and page'), () => {
    const pages = image();
    pages[4]![500] ^= 0xff;
    const e = expectCorrupt(() => readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false, path: './shop/orders.ibd' }), 4);
    expect(e.spaceId).toBe(42);
    expect(e.message).toContain('space=42');
    expect(e.message).toContain('page number=4');
    expect(e.message).toContain('./shop/orders.ibd');
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'with innodb_force_recovery=1 the records of the healthy pages come back'), () => {
    const pages = image();
    const [l1, l2] = leavesOf(pages);
    pages[l2!.no]![500] ^= 0xff;
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: true });
    expect(back.corruptPages).toEqual([l2!.no]);
    const rows = records.slice(1);
    expect(back.records).toEqual([records[0], ...rows.slice(0, l1!.count), ...rows.slice(l1!.count + l2!.count)]);
    // a corrupt node page costs no record: the read goes through the leaves in page order
    const rootHit = image();
    rootHit[1]![60] ^= 0xff;
    const all = readTablespaceImage(Buffer.concat(rootHit), { ignoreCorrupt: true });
    expect(all.corruptPages).toEqual([1]);
    expect(all.records).toEqual(records);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a corrupt BLOB page loses only its record'), () => {
    const big = Buffer.alloc(9000, 9);
    // page 1 the leaf root, page 2 the SDI, pages 3..5 the big record's chain
    const pages = buildTablespaceImage(meta, [rec(0), rec(1), big, rec(3)], 4096, 1n);
    pages[4]![100] ^= 1; // the second page of the chain
    expectCorrupt(() => readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }), 4);
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: true });
    expect(back.records).toEqual([rec(0), rec(1), rec(3)]);
    expect(back.corruptPages).toEqual([4]);
    // the SDI's page: the SDI is lost, the rows are not
    const sdiHit = buildTablespaceImage(meta, [rec(0), rec(1), big, rec(3)], 4096, 1n);
    sdiHit[2]![100] ^= 1;
    const back2 = readTablespaceImage(Buffer.concat(sdiHit), { ignoreCorrupt: true });
    expect(back2.corruptPages).toEqual([2]);
    expect(sameBuffers(back2.records, [rec(1), big, rec(3)])).toBe(true);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a torn page (trailer from another write) and a misplaced page are corrupt'), () => {
    const torn = image();
    torn[3]!.writeUInt32BE(1, 4096 - 4);
    expectCorrupt(() => readTablespaceImage(Buffer.concat(torn), { ignoreCorrupt: false }), 3);
    const swapped = image();
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(readTablespaceImage(Buffer.concat(swapped), { ignoreCorrupt: true }).corruptPages).toEqual([3, 4]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a file cut short reports its partial page and its first missing page'), () => {
    const pages = image();
    const [l1, l2] = leavesOf(pages);
    expect([l1!.no, l2!.no]).toEqual([3, 4]);
    const cut = Buffer.concat(pages).subarray(0, 5 * 4096 + 100);
    expectCorrupt(() => readTablespaceImage(cut, { ignoreCorrupt: false }), 5);
    const back = readTablespaceImage(cut, { ignoreCorrupt: true });
    expect(back.corruptPages).toEqual([5, 6]); // page 5 is partial, page 6 the first missing
    expect(back.records).toEqual(records.slice(0, 1 + l1!.count + l2!.count));
    expect(readTablespaceImage((i) => (i < 4 ? pages[i] : undefined), { ignoreCorrupt: true }).corruptPages).toEqual([4]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a header whose record count disagrees with the leaves is corrupt at page 0'), () => {
    const pages = image();
    const h = parseTablespaceHeader(pages[0]!);
    const wrong = [writeHeaderPage({ ...h, recordCount: h.recordCount + 1 }, 9n), ...pages.slice(1)];
    expectCorrupt(() => readTablespaceImage(Buffer.concat(wrong), { ignoreCorrupt: false }), 0);
    expect(readTablespaceImage(Buffer.concat(wrong), { ignoreCorrupt: true }).corruptPages).toEqual([0]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a bad page 0 always throws: without the header nothing can be read'), () => {
    const pages = image();
    pages[0]![60] ^= 1;
    for (const ignoreCorrupt of [false, true]) expectCorrupt(() => readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt }), 0);
    expectCorrupt(() => readTablespaceImage(Buffer.alloc(0), { ignoreCorrupt: true }), 0);
    expectCorrupt(() => readTablespaceImage(Buffer.alloc(100, 1), { ignoreCorrupt: true }), 0);
    expectCorrupt(() => readTablespaceImage(Buffer.alloc(4096 * 3), { ignoreCorrupt: true }), 0); // never written
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'damaged images only ever give a subsequence of the records or TablespaceCorruptError'), () => {
    const big = Buffer.alloc(5000, 5);
    const recs = [...records.slice(0, 40), big, ...records.slice(40, 60)];
    const clean = Buffer.concat(buildTablespaceImage(meta, recs, 4096, 3n));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(clean.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), fc.boolean(), (flips, ignoreCorrupt) => {
        const file = Buffer.from(clean);
        for (const [at, x] of flips) file[at] ^= x;
        try {
          const back = readTablespaceImage(file, { ignoreCorrupt });
          let k = 0;
          for (const r of back.records) {
            while (k < recs.length && !recs[k]!.equals(r)) k++;
            expect(k).toBeLessThan(recs.length);
            k++;
          }
        } catch (e) {
          expect(e).toBeInstanceOf(TablespaceCorruptError);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('readTablespaceHeader', () => {
  it(req(['INNODB-REC-011'], 'unit', 'reads page 0 of a file for every page size'), async () => {
    const dir = tempDir();
    for (const size of PAGE_SIZES) {
      const path = join(dir, `t${size}.ibd`);
      writeFileSync(path, Buffer.concat(buildTablespaceImage(meta, [rec(0), rec(1)], size, 77n)));
      expect(await readTablespaceHeader(path)).toMatchObject({
        ...meta,
        pageSize: size,
        flushedLsn: 77n,
        recordCount: 1,
        pageCount: 3,
        freeHead: FIL_NULL,
        sdiPage: 2,
        sdiLength: 20,
        indexes: [{ id: CLUSTERED_INDEX_ID, root: 1 }],
      });
    }
  });

  it(req(['INNODB-REC-011'], 'unit', 'a short, empty or damaged file is a TablespaceCorruptError; a missing one an fs error'), async () => {
    const dir = tempDir();
    const page0 = buildTablespaceImage(meta, [], 16384, 1n)[0]!;
    const cases: [string, Buffer][] = [
      ['empty.ibd', Buffer.alloc(0)],
      ['short.ibd', page0.subarray(0, 5000)],
      ['garbage.ibd', Buffer.alloc(20000, 0x5a)],
      ['flipped.ibd', Buffer.from(page0).fill(1, 200, 201)],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(join(dir, name), bytes);
      await expect(readTablespaceHeader(join(dir, name))).rejects.toBeInstanceOf(TablespaceCorruptError);
    }
    await expect(readTablespaceHeader(join(dir, 'missing.ibd'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('tablespace limits', () => {
  it(req(['INNODB-LIMIT-016', 'INNODB-LIMIT-017'], 'unit', 'the largest tablespace is 2^32 pages: 16, 32, 64, 128, 256 TB by page size'), () => {
    const TB = 2 ** 40;
    expect(MAX_TABLESPACE_BYTES).toEqual({ 4096: 16 * TB, 8192: 32 * TB, 16384: 64 * TB, 32768: 128 * TB, 65536: 256 * TB });
    for (const size of PAGE_SIZES) expect(MAX_TABLESPACE_BYTES[size]).toBe(PAGES_PER_TABLESPACE * size);
  });

  it(req(['INNODB-LIMIT-016'], 'unit', 'page numbers are u32: a tablespace that needs page 2^32 is full (1114)'), () => {
    expect(MAX_PAGE_NO).toBe(2 ** 32 - 2); // 2^32 - 1 is FIL_NULL, the "no page" link
    const alloc = new PageAllocator('orders', MAX_PAGE_NO - 1);
    expect(alloc.take()).toBe(MAX_PAGE_NO - 1);
    expect(alloc.take()).toBe(MAX_PAGE_NO);
    let err: unknown;
    try {
      alloc.take();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlError);
    expect(err).toMatchObject({ errno: 1114, sqlState: 'HY000', message: "The table 'orders' is full" });
    expect(() => new PageAllocator('t', 2 ** 32).take()).toThrow(SqlError);
  });

  it(req(['INNODB-LIMIT-018'], 'unit', 'space ids are u32 with the reserved blocks of MySQL 8.0'), () => {
    expect(SPACE_ID_COUNT).toBe(4294967296);
    expect(SYSTEM_SPACE_ID).toBe(0);
    expect([INVALID_SPACE_ID, DICT_SPACE_ID, TEMP_SPACE_ID, REDO_SPACE_FIRST_ID]).toEqual([0xffffffff, 0xfffffffe, 0xfffffffd, 0xfffffff0]);
    expect(MAX_UNDO_SPACE_ID).toBe(0xffffffef);
    expect(MIN_UNDO_SPACE_ID).toBe(0xfffffff0 - 127 * 512);
    expect(MAX_SESSION_TEMP_SPACE_ID).toBe(MIN_UNDO_SPACE_ID - 1000);
    expect(MIN_SESSION_TEMP_SPACE_ID).toBe(MIN_UNDO_SPACE_ID - 401000);
    expect(FIRST_USER_SPACE_ID).toBe(1);
    expect(MAX_USER_SPACE_ID).toBe(MIN_SESSION_TEMP_SPACE_ID - 1);
    expect(isUserSpaceId(0)).toBe(false);
    expect(isUserSpaceId(1)).toBe(true);
    expect(isUserSpaceId(MAX_USER_SPACE_ID)).toBe(true);
    for (const id of [MIN_SESSION_TEMP_SPACE_ID, MAX_SESSION_TEMP_SPACE_ID, MIN_UNDO_SPACE_ID, MAX_UNDO_SPACE_ID, REDO_SPACE_FIRST_ID, TEMP_SPACE_ID, DICT_SPACE_ID, INVALID_SPACE_ID, 2 ** 32, 1.5, -1]) {
      expect(isUserSpaceId(id)).toBe(false);
    }
  });
});

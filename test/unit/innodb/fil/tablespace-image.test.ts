/**
 * File-per-table tablespace images: page 0's header at its documented offsets, data pages
 * linked in order, the half-page rule that sends a record to BLOB pages, exact round trips for
 * every page size, corruption handling with and without innodb_force_recovery=1, reading page 0
 * from a file, and the limits on page numbers, tablespace size and space ids.
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
import {
  PageAllocator,
  TablespaceCorruptError,
  buildTablespaceImage,
  readTablespaceHeader,
  readTablespaceImage,
  type TablespaceMeta,
} from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { FIL_NULL, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB, FIL_PAGE_TYPE_FSP_HDR, PAGE_SIZES } from '../../../../src/storage/innodb/page/limits.js';
import { readHeader, verifyPage } from '../../../../src/storage/innodb/page/page.js';
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
    const pages = buildTablespaceImage(meta, [rec(1), rec(2)], 4096, lsn);
    const p0 = pages[0]!;
    expect(p0.readUInt16BE(24)).toBe(FIL_PAGE_TYPE_FSP_HDR);
    expect(p0.readBigUInt64BE(26)).toBe(lsn); // FIL file flush LSN
    expect(p0.readUInt32BE(34)).toBe(42);
    expect(p0.subarray(38, 43).toString('latin1')).toBe('RMIBD');
    expect(p0[43]).toBe(1);
    expect(p0.readUInt32BE(44)).toBe(42);
    expect(p0.readUInt32BE(48)).toBe(4096);
    expect(p0.readBigUInt64BE(52)).toBe(1234n);
    expect(p0.readBigUInt64BE(60)).toBe(lsn);
    expect(p0.readBigUInt64BE(68)).toBe(2n);
    expect(p0.readUInt32BE(76)).toBe(2); // pages
    expect(p0.readUInt32BE(80)).toBe(1); // first data page
    expect(p0[84]).toBe(1);
    expect(p0.readBigUInt64BE(85)).toBe(18446744073709551615n);
    expect(p0.readBigUInt64BE(93)).toBe(7n);
    expect(p0.readUInt16BE(101)).toBe(7);
    expect(p0.subarray(103, 110).toString()).toBe('DYNAMIC');
    expect(p0.readUInt16BE(110)).toBe(4);
    expect(p0.subarray(112, 116).toString()).toBe('shop');
    expect(p0.readUInt16BE(116)).toBe(6);
    expect(p0.subarray(118, 124).toString()).toBe('orders');
    expect(p0.readUInt16BE(124)).toBe(12);
    expect(p0.subarray(126, 138).toString()).toBe('engine bytes');
    // the data page: two inline entries
    const d = pages[1]!;
    expect(d.readUInt16BE(24)).toBe(FIL_PAGE_INDEX);
    expect(d.readUInt16BE(38)).toBe(2);
    expect(d.readUInt16BE(40)).toBe(42 + 2 * 23);
    expect(d[42]).toBe(0);
    expect(d.readUInt16BE(43)).toBe(20);
    expect(d.subarray(45, 65).equals(rec(1))).toBe(true);
    for (const [i, p] of pages.entries()) {
      expect(verifyPage(p, i, 42)).toBe('ok');
      expect(readHeader(p).lsn).toBe(lsn);
    }
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'data pages are linked prev/next in record order'), () => {
    const records = Array.from({ length: 400 }, (_, i) => rec(i, 50));
    const pages = buildTablespaceImage(meta, records, 4096, 1n);
    const data = pages.map((p, i) => ({ i, h: readHeader(p) })).filter((x) => x.h.type === FIL_PAGE_INDEX);
    expect(data.length).toBeGreaterThan(3);
    data.forEach((x, k) => {
      expect(x.h.prev).toBe(k === 0 ? FIL_NULL : data[k - 1]!.i);
      expect(x.h.next).toBe(k === data.length - 1 ? FIL_NULL : data[k + 1]!.i);
    });
    expect(readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }).records).toEqual(records);
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'a record shorter than half a page stays in its data page, a longer one goes to BLOB pages'), () => {
    for (const size of PAGE_SIZES) {
      const small = buildTablespaceImage(meta, [Buffer.alloc(size / 2 - 1, 1)], size, 1n);
      expect(small.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX]);
      const big = Buffer.alloc(size / 2, 2);
      const pages = buildTablespaceImage(meta, [big], size, 1n);
      expect(pages.map((p) => readHeader(p).type)).toEqual([FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB]);
      // the data page holds an external reference: flag, first BLOB page, total length
      expect(pages[1]![42]).toBe(1);
      expect(pages[1]!.readUInt32BE(43)).toBe(2);
      expect(pages[1]!.readUInt32BE(47)).toBe(size / 2);
      expect(pages[2]!.readUInt32BE(38)).toBe(size / 2);
      expect(pages[2]!.readUInt32BE(42)).toBe(FIL_NULL);
      expect(readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }).records[0]!.equals(big)).toBe(true);
    }
  });

  it(req(['INNODB-LIMIT-011'], 'unit', 'a record of many pages is a BLOB chain'), () => {
    const big = Buffer.alloc(20000);
    for (let i = 0; i < big.length; i++) big[i] = i * 7;
    const pages = buildTablespaceImage(meta, [rec(0), big, rec(2)], 4096, 1n);
    const blobs = pages.filter((p) => readHeader(p).type === FIL_PAGE_TYPE_BLOB);
    expect(blobs.length).toBe(Math.ceil(20000 / (4096 - 54)));
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false });
    expect(sameBuffers(back.records, [rec(0), big, rec(2)])).toBe(true);
    expect(back.header.recordCount).toBe(3);
  });

  it(req(['INNODB-PAGE-103'], 'unit', 'an empty table is page 0 alone, with no first data page'), () => {
    const pages = buildTablespaceImage({ ...meta, autoIncrement: null, extra: Buffer.alloc(0) }, [], 16384, 5n);
    expect(pages.length).toBe(1);
    const back = readTablespaceImage(pages[0]!, { ignoreCorrupt: false });
    expect(back.records).toEqual([]);
    expect(back.header).toMatchObject({ firstDataPage: FIL_NULL, pageCount: 1, recordCount: 0, autoIncrement: null, flushedLsn: 5n, pageSize: 16384 });
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
        fc.array(fc.oneof(fc.nat(200), fc.nat(70000)), { maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.string(),
        (size, lens, lsn, name) => {
          const records = lens.map((n, i) => Buffer.alloc(n, i + 1));
          const pages = buildTablespaceImage({ ...meta, name }, records, size, lsn);
          const a = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false });
          const b = readTablespaceImage((i) => pages[i], { ignoreCorrupt: false });
          for (const back of [a, b]) {
            expect(sameBuffers(back.records, records)).toBe(true);
            expect(back.corruptPages).toEqual([]);
            expect(back.header).toMatchObject({ ...meta, name, pageSize: size, flushedLsn: lsn, recordCount: records.length, pageCount: pages.length });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('corrupt tablespaces', () => {
  // 4 KB pages, 150-byte records: about 26 records a page
  const records = Array.from({ length: 120 }, (_, i) => rec(i, 150));
  const image = () => buildTablespaceImage(meta, records, 4096, 9n);

  it(req(['INNODB-FORCE-014'], 'unit', 'a corrupt data page fails the read, naming space, file and page'), () => {
    const pages = image();
    pages[2]![500] ^= 0xff;
    const e = expectCorrupt(() => readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false, path: './shop/orders.ibd' }), 2);
    expect(e.spaceId).toBe(42);
    expect(e.message).toContain('space=42');
    expect(e.message).toContain('page number=2');
    expect(e.message).toContain('./shop/orders.ibd');
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'with innodb_force_recovery=1 the records of the healthy pages come back'), () => {
    const pages = image();
    const perPage = pages[1]!.readUInt16BE(38);
    pages[2]![500] ^= 0xff;
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: true });
    expect(back.corruptPages).toEqual([2]);
    expect(back.records).toEqual([...records.slice(0, perPage), ...records.slice(2 * perPage)]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a corrupt BLOB page loses only its record'), () => {
    const big = Buffer.alloc(9000, 9);
    const pages = buildTablespaceImage(meta, [rec(0), big, rec(2)], 4096, 1n);
    pages[3]![100] ^= 1; // the second page of the chain
    expectCorrupt(() => readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: false }), 3);
    const back = readTablespaceImage(Buffer.concat(pages), { ignoreCorrupt: true });
    expect(back.records).toEqual([rec(0), rec(2)]);
    expect(back.corruptPages).toEqual([3]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a torn page (trailer from another write) and a misplaced page are corrupt'), () => {
    const torn = image();
    torn[3]!.writeUInt32BE(1, 4096 - 4);
    expectCorrupt(() => readTablespaceImage(Buffer.concat(torn), { ignoreCorrupt: false }), 3);
    const swapped = image();
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(readTablespaceImage(Buffer.concat(swapped), { ignoreCorrupt: true }).corruptPages).toEqual([2, 3]);
  });

  it(req(['INNODB-FORCE-014'], 'unit', 'a file cut short reports its partial page and its first missing page'), () => {
    const pages = image();
    const cut = Buffer.concat(pages).subarray(0, 3 * 4096 + 100);
    expectCorrupt(() => readTablespaceImage(cut, { ignoreCorrupt: false }), 3);
    const back = readTablespaceImage(cut, { ignoreCorrupt: true });
    expect(back.corruptPages).toEqual([3, 4]); // page 3 is partial, page 4 the first missing
    expect(back.records.length).toBe(2 * pages[1]!.readUInt16BE(38));
    expect(readTablespaceImage((i) => (i < 2 ? pages[i] : undefined), { ignoreCorrupt: true }).corruptPages).toEqual([2]);
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
      writeFileSync(path, Buffer.concat(buildTablespaceImage(meta, [rec(1)], size, 77n)));
      expect(await readTablespaceHeader(path)).toMatchObject({ ...meta, pageSize: size, flushedLsn: 77n, recordCount: 1 });
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

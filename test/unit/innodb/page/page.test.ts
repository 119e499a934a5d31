/**
 * The FIL page format: header and trailer bytes at InnoDB's offsets (built here by hand and
 * compared with newPage + sealPage), the crc32 checksum over [4, 26) and [38, size - 8), the
 * valid page sizes, and what verifyPage reports for healthy, never-written, corrupt, torn and
 * misplaced pages.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_SIZE,
  FIL_NULL,
  FIL_PAGE_INDEX,
  FIL_PAGE_TYPE_ALLOCATED,
  FIL_PAGE_TYPE_BLOB,
  FIL_PAGE_TYPE_FSP_HDR,
  FIL_PAGE_TYPE_SYS,
  PAGE_SIZES,
  isValidPageSize,
} from '../../../../src/storage/innodb/page/limits.js';
import { newPage, pageChecksum, readHeader, sealPage, verifyPage } from '../../../../src/storage/innodb/page/page.js';
import { req } from '../../../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** A sealed page built without the module: fields at their offsets, checksum by the documented formula. */
function handMade(size: number, f: { no: number; prev: number; next: number; lsn: bigint; type: number; flush: bigint; space: number }, body?: Buffer): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(f.no, 4);
  b.writeUInt32BE(f.prev, 8);
  b.writeUInt32BE(f.next, 12);
  b.writeBigUInt64BE(f.lsn, 16);
  b.writeUInt16BE(f.type, 24);
  b.writeBigUInt64BE(f.flush, 26);
  b.writeUInt32BE(f.space, 34);
  body?.copy(b, 38, 0, Math.min(body.length, size - 46));
  const sum = (crc32(b.subarray(4, 26)) ^ crc32(b.subarray(38, size - 8))) >>> 0;
  b.writeUInt32BE(sum, 0);
  b.writeUInt32BE(sum, size - 8);
  b.writeUInt32BE(Number(f.lsn & 0xffffffffn), size - 4);
  return b;
}

describe('page format', () => {
  it(req(['INNODB-LIMIT-022'], 'unit', 'page sizes are 4, 8, 16 (default), 32 and 64 KB'), () => {
    expect([...PAGE_SIZES]).toEqual([4096, 8192, 16384, 32768, 65536]);
    expect(DEFAULT_PAGE_SIZE).toBe(16384);
    for (const bad of [0, 1024, 2048, 16383, 16385, 131072]) {
      expect(isValidPageSize(bad)).toBe(false);
      expect(() => newPage(bad, { pageNo: 0, spaceId: 0, type: 0 })).toThrow(RangeError);
      expect(() => verifyPage(Buffer.alloc(bad))).toThrow(RangeError);
    }
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'page type codes are real InnoDB numbers'), () => {
    expect([FIL_PAGE_INDEX, FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_TYPE_SYS, FIL_PAGE_TYPE_BLOB, FIL_PAGE_TYPE_ALLOCATED]).toEqual([17855, 8, 6, 10, 0]);
    expect(FIL_NULL).toBe(0xffffffff);
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'newPage + sealPage produce the hand-built header, body and trailer bytes'), () => {
    for (const size of PAGE_SIZES) {
      const f = { no: 7, prev: 6, next: FIL_NULL, lsn: 0x1_2345_6789_abcdn, type: FIL_PAGE_INDEX, flush: 0n, space: 42 };
      const body = Buffer.from('some record bytes');
      const page = newPage(size, { pageNo: 7, prev: 6, lsn: f.lsn, type: FIL_PAGE_INDEX, spaceId: 42 });
      body.copy(page, 38);
      expect(sealPage(page).equals(handMade(size, f, body))).toBe(true);
      expect(page.readUInt32BE(size - 4)).toBe(0x6789abcd);
    }
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'readHeader returns every header and trailer field'), () => {
    const page = handMade(8192, { no: 0, prev: FIL_NULL, next: 3, lsn: 99n, type: FIL_PAGE_TYPE_FSP_HDR, flush: 1234n, space: 0xfffffffe });
    const h = readHeader(page);
    expect(h).toEqual({
      checksum: page.readUInt32BE(0),
      pageNo: 0,
      prev: FIL_NULL,
      next: 3,
      lsn: 99n,
      type: FIL_PAGE_TYPE_FSP_HDR,
      flushLsn: 1234n,
      spaceId: 0xfffffffe,
      trailerChecksum: page.readUInt32BE(0),
      trailerLsnLow: 99,
    });
    expect(pageChecksum(page)).toBe(h.checksum);
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'newPage refuses out-of-range header fields'), () => {
    expect(() => newPage(4096, { pageNo: 2 ** 32, spaceId: 0, type: 0 })).toThrow(RangeError);
    expect(() => newPage(4096, { pageNo: 0, spaceId: -1, type: 0 })).toThrow(RangeError);
    expect(() => newPage(4096, { pageNo: 0, spaceId: 0, type: 0x10000 })).toThrow(RangeError);
    expect(() => newPage(4096, { pageNo: 0, spaceId: 0, type: 0, lsn: 2n ** 64n })).toThrow(RangeError);
  });
});

describe('verifyPage', () => {
  const sealed = () => handMade(4096, { no: 5, prev: 4, next: 6, lsn: 0xdead_beef_0001n, type: FIL_PAGE_INDEX, flush: 0n, space: 9 }, Buffer.from('body'));

  it(req(['INNODB-PAGE-101'], 'unit', 'a sealed page is ok, also checked against its number and space'), () => {
    expect(verifyPage(sealed())).toBe('ok');
    expect(verifyPage(sealed(), 5, 9)).toBe('ok');
  });

  it(req(['INNODB-PAGE-102'], 'unit', 'an all-zero page is a never-written page, not a corrupt one'), () => {
    for (const size of PAGE_SIZES) expect(verifyPage(Buffer.alloc(size), 3, 1)).toBe('all-zero');
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'a changed body, header or checksum field fails the checksum'), () => {
    const body = sealed();
    body[1000] ^= 1;
    expect(verifyPage(body)).toBe('checksum');
    const head = sealed();
    head[17] ^= 0x80; // LSN
    expect(verifyPage(head)).toBe('checksum');
    const front = sealed();
    front[0] ^= 1;
    expect(verifyPage(front)).toBe('checksum');
    const back = sealed();
    back[4096 - 8] ^= 1;
    expect(verifyPage(back)).toBe('checksum');
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'a trailer LSN from another write is an lsn mismatch (torn page)'), () => {
    const p = sealed();
    p.writeUInt32BE(0x12345678, 4096 - 4);
    expect(verifyPage(p)).toBe('lsn-mismatch');
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'a healthy page in the wrong place reports page-no or space-id'), () => {
    expect(verifyPage(sealed(), 6, 9)).toBe('page-no');
    expect(verifyPage(sealed(), 5, 10)).toBe('space-id');
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'the flush-LSN and space-id fields are outside the checksum, as in InnoDB'), () => {
    const p = sealed();
    p.writeBigUInt64BE(777n, 26);
    p.writeUInt32BE(10, 34);
    expect(verifyPage(p)).toBe('ok');
    expect(verifyPage(p, 5, 9)).toBe('space-id');
  });

  it(req(['INNODB-PAGE-101'], 'unit', 'any single changed byte inside the checksummed ranges is detected'), () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAGE_SIZES),
        fc.uint8Array({ maxLength: 512 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (size, body, lsn, pos, x) => {
          const p = newPage(size, { pageNo: 1, spaceId: 2, type: FIL_PAGE_INDEX, lsn });
          Buffer.from(body).copy(p, 38);
          sealPage(p);
          expect(verifyPage(p, 1, 2)).toBe('ok');
          const ranges = [
            [4, 26],
            [38, size - 8],
          ] as const;
          const [from, to] = ranges[pos % 2]!;
          p[from + (pos % (to - from))] ^= x;
          expect(verifyPage(p, 1, 2)).toBe('checksum');
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/**
 * The FIL_PAGE_INDEX page codec: leaf and node pages round-trip through encodeBtrPage /
 * decodeBtrPage at every page size, the sealed page verifies, the body sits where the format
 * says, the size helpers agree with the bytes written, and a malformed body is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import type { BtrPage, LeafEntry, LeafPage, NodeEntry, NodePage } from '../../../../src/storage/innodb/btr/page-store.js';
import {
  BTR_PAGE_HEADER_BYTES,
  btrPageCapacity,
  computeBtrPageBytes,
  decodeBtrPage,
  encodeBtrPage,
  entryBytes,
  maxBtrEntryBytes,
} from '../../../../src/storage/innodb/page/btr-page.js';
import { FIL_NULL, FIL_PAGE_INDEX, FIL_PAGE_TYPE_BLOB, PAGE_SIZES } from '../../../../src/storage/innodb/page/limits.js';
import { newPage, readHeader, sealPage, verifyPage } from '../../../../src/storage/innodb/page/page.js';
import type { KeyPart } from '../../../../src/storage/keys.js';
import { req } from '../../../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const keyArb: fc.Arbitrary<KeyPart[]> = fc.array(
  fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.bigInt(), fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))),
  { maxLength: 4 },
);

/** Entries trimmed so the page fits its size. */
function fit<E>(entries: E[], size: (e: E) => number, pageSize: number): E[] {
  const out: E[] = [];
  let used = 0;
  for (const e of entries) {
    if (used + size(e) > btrPageCapacity(pageSize)) break;
    used += size(e);
    out.push(e);
  }
  return out;
}

const leafArb = fc
  .record({
    pageSize: fc.constantFrom(...PAGE_SIZES),
    indexId: fc.nat({ max: 0xffffffff }),
    prev: fc.oneof(fc.constant(FIL_NULL), fc.nat({ max: 0xfffffffe })),
    next: fc.oneof(fc.constant(FIL_NULL), fc.nat({ max: 0xfffffffe })),
    entries: fc.array(fc.tuple(keyArb, fc.uint8Array({ maxLength: 3000 })), { maxLength: 60 }),
  })
  .map(({ pageSize, indexId, prev, next, entries }) => {
    const es: LeafEntry[] = fit(
      entries.map(([key, v]) => ({ key, keyBytes: encodeKey(key), value: Buffer.from(v) })),
      (e) => entryBytes(e.keyBytes, e.value),
      pageSize,
    );
    const page: LeafPage = { kind: 'leaf', indexId, gen: 0, bytes: 0, entries: es, prev, next };
    page.bytes = computeBtrPageBytes(page);
    return { pageSize, page: page as BtrPage };
  });

const nodeArb = fc
  .record({
    pageSize: fc.constantFrom(...PAGE_SIZES),
    indexId: fc.nat({ max: 0xffffffff }),
    level: fc.integer({ min: 1, max: 0xffff }),
    entries: fc.array(fc.tuple(keyArb, fc.nat({ max: 0xffffffff })), { maxLength: 400 }),
  })
  .map(({ pageSize, indexId, level, entries }) => {
    const es: NodeEntry[] = fit(
      entries.map(([key, child]) => ({ key, keyBytes: encodeKey(key), child })),
      (e) => entryBytes(e.keyBytes, null),
      pageSize,
    );
    const page: NodePage = { kind: 'node', indexId, gen: 0, bytes: 0, level, entries: es };
    page.bytes = computeBtrPageBytes(page);
    return { pageSize, page: page as BtrPage };
  });

describe('btr page codec', () => {
  it(req(['INNODB-BTR-104'], 'unit', 'size helpers: header, entry size, capacity and the half-page entry limit'), () => {
    expect(BTR_PAGE_HEADER_BYTES).toBe(8);
    expect(entryBytes(Buffer.alloc(10), Buffer.alloc(100))).toBe(2 + 10 + 4 + 100);
    expect(entryBytes(Buffer.alloc(10), null)).toBe(2 + 10 + 4);
    expect(btrPageCapacity(16384)).toBe(16384 - 38 - 8 - 8);
    expect(maxBtrEntryBytes(16384)).toBe(Math.floor((16384 - 54) / 2));
    expect(maxBtrEntryBytes(4096)).toBe(2021);
    for (const size of PAGE_SIZES) expect(2 * maxBtrEntryBytes(size)).toBeLessThanOrEqual(btrPageCapacity(size));
  });

  it(req(['INNODB-BTR-104'], 'unit', 'leaf and node pages round-trip and verify'), () => {
    fc.assert(
      fc.property(fc.oneof(leafArb, nodeArb), fc.nat({ max: 0xfffffffe }), fc.nat({ max: 0xffffffff }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), ({ pageSize, page }, pageNo, spaceId, lsn) => {
        const buf = encodeBtrPage({ ...page, gen: 17 } as BtrPage, pageNo, spaceId, lsn, pageSize);
        expect(buf.length).toBe(pageSize);
        expect(verifyPage(buf, pageNo, spaceId)).toBe('ok');
        const h = readHeader(buf);
        expect(h.type).toBe(FIL_PAGE_INDEX);
        expect(h.lsn).toBe(lsn);
        expect(h.prev).toBe(page.kind === 'leaf' ? page.prev : FIL_NULL);
        expect(h.next).toBe(page.kind === 'leaf' ? page.next : FIL_NULL);
        const back = decodeBtrPage(buf);
        // gen is not stored: a decoded page starts at 0
        expect(back).toEqual(page);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['INNODB-BTR-104'], 'unit', 'the body is laid out as documented after the 38-byte FIL header'), () => {
    const key = [7, 'k'];
    const kb = encodeKey(key);
    const leaf: LeafPage = { kind: 'leaf', indexId: 0x01020304, gen: 0, bytes: 0, prev: 3, next: 9, entries: [{ key, keyBytes: kb, value: Buffer.from('vv') }] };
    leaf.bytes = computeBtrPageBytes(leaf);
    const buf = encodeBtrPage(leaf, 5, 1, 0n, 4096);
    expect(buf.readUInt32BE(38)).toBe(0x01020304);
    expect(buf.readUInt16BE(42)).toBe(0);
    expect(buf.readUInt16BE(44)).toBe(1);
    expect(buf.readUInt16BE(46)).toBe(kb.length);
    expect(buf.subarray(48, 48 + kb.length).equals(kb)).toBe(true);
    expect(buf.readUInt32BE(48 + kb.length)).toBe(2);
    expect(buf.subarray(52 + kb.length, 54 + kb.length).toString()).toBe('vv');
    const node: NodePage = { kind: 'node', indexId: 1, gen: 0, bytes: 0, level: 3, entries: [{ key, keyBytes: kb, child: 0xabcdef }] };
    const nbuf = encodeBtrPage(node, 6, 1, 0n, 4096);
    expect(nbuf.readUInt16BE(42)).toBe(3);
    expect(nbuf.readUInt32BE(48 + kb.length)).toBe(0xabcdef);
  });

  it(req(['INNODB-BTR-104'], 'unit', 'a page whose entries do not fit is refused when encoding'), () => {
    const kb = encodeKey([1]);
    const leaf: LeafPage = { kind: 'leaf', indexId: 1, gen: 0, bytes: 0, prev: FIL_NULL, next: FIL_NULL, entries: [{ key: [1], keyBytes: kb, value: Buffer.alloc(btrPageCapacity(4096)) }] };
    expect(() => encodeBtrPage(leaf, 3, 1, 0n, 4096)).toThrow(RangeError);
    leaf.entries = [{ key: [1], keyBytes: kb, value: Buffer.alloc(btrPageCapacity(4096) - entryBytes(kb, Buffer.alloc(0))) }];
    expect(verifyPage(encodeBtrPage(leaf, 3, 1, 0n, 4096))).toBe('ok');
  });

  it(req(['INNODB-BTR-104'], 'unit', 'a malformed body throws a clear Error'), () => {
    const kb = encodeKey([1, 'abc']);
    const leaf: LeafPage = { kind: 'leaf', indexId: 1, gen: 0, bytes: 0, prev: FIL_NULL, next: FIL_NULL, entries: [{ key: [1, 'abc'], keyBytes: kb, value: Buffer.from('x') }] };
    const good = encodeBtrPage(leaf, 4, 1, 0n, 4096);
    const patch = (f: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      f(b);
      return sealPage(b);
    };
    expect(() => decodeBtrPage(patch((b) => b.writeUInt16BE(5000, 44)))).toThrow(/malformed btr page 4: 5000 entries cannot fit in the body/);
    expect(() => decodeBtrPage(patch((b) => b.writeUInt16BE(673, 44)))).toThrow(/malformed btr page 4: entry \d+: key of 0 bytes runs past the body/);
    expect(() => decodeBtrPage(patch((b) => b.writeUInt16BE(0xffff, 46)))).toThrow(/malformed btr page 4: entry 0: key of 65535 bytes runs past the body/);
    expect(() => decodeBtrPage(patch((b) => b.writeUInt32BE(0xfffffff0, 48 + kb.length)))).toThrow(/entry 0: value of \d+ bytes runs past the body/);
    expect(() => decodeBtrPage(patch((b) => (b[48] = 0x7f)))).toThrow(/malformed btr page 4: entry 0: malformed key: unknown tag 127/);
    const blob = sealPage(newPage(4096, { pageNo: 4, spaceId: 1, type: FIL_PAGE_TYPE_BLOB }));
    expect(() => decodeBtrPage(blob)).toThrow(/page type 10 is not FIL_PAGE_INDEX/);
    expect(() => decodeBtrPage(Buffer.alloc(100))).toThrow(RangeError);
  });
});

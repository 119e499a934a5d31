/**
 * The redo log's codecs: LSN arithmetic (LSNs count block headers and trailers), the file
 * header and checkpoint blocks, the log block header and trailer, and the record framing.
 * Expected bytes are built here by hand, not with the encoders under test.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { req } from '../../../helpers/req.js';
import {
  REDO_FIRST_LSN,
  advanceLsn,
  blockNumber,
  blockOffset,
  dataBytesBetween,
  isDataLsn,
  normalizeLsn,
} from '../../../../src/storage/innodb/log/lsn.js';
import {
  checkLogBlock,
  checkpointSlotOffset,
  decodeCheckpointBlock,
  decodeFileHeader,
  encodeCheckpointBlock,
  encodeFileHeader,
  initLogBlock,
  parseRedoFileName,
  redoFileName,
  sealLogBlock,
} from '../../../../src/storage/innodb/log/format.js';
import { VarintReader, encodeRecord, encodeVarint } from '../../../../src/storage/innodb/log/record.js';

const dataLsn = fc.bigInt({ min: 8204n, max: 1n << 45n }).map(normalizeLsn);

describe('LSN arithmetic', () => {
  it(req(['INNODB-LOG-101'], 'unit', 'the first LSN is 8192 + 12 and block offsets 12..507 are data positions'), () => {
    expect(REDO_FIRST_LSN).toBe(8204n);
    expect(isDataLsn(8204n)).toBe(true);
    expect(isDataLsn(8192n + 507n)).toBe(true);
    expect(isDataLsn(8192n + 508n)).toBe(false);
    expect(isDataLsn(8192n + 11n)).toBe(false);
    expect(normalizeLsn(8192n + 508n)).toBe(8704n + 12n);
    expect(normalizeLsn(8704n + 3n)).toBe(8704n + 12n);
    expect(normalizeLsn(0n)).toBe(8204n);
    // 496 data bytes fill one block; the end LSN is then the next block's first data position.
    expect(advanceLsn(8204n, 496)).toBe(8704n + 12n);
    expect(advanceLsn(8204n, 495)).toBe(8192n + 507n);
    expect(blockNumber(8192n)).toBe(17);
  });

  it(req(['INNODB-LOG-101'], 'unit', 'advancing by n data bytes and counting them back agree; results are data positions'), () => {
    fc.assert(
      fc.property(dataLsn, fc.nat(100_000), (lsn, n) => {
        const to = advanceLsn(lsn, n);
        expect(isDataLsn(to)).toBe(true);
        expect(dataBytesBetween(lsn, to)).toBe(BigInt(n));
        // Headers and trailers are counted: the LSN distance exceeds the data bytes by 16 per block crossed.
        const crossed = (to - (to % 512n) - (lsn - (lsn % 512n))) / 512n;
        expect(to - lsn).toBe(BigInt(n) + crossed * 16n);
      }),
    );
  });
});

describe('redo file names', () => {
  it(req(['INNODB-BAK-005'], 'unit', '#ib_redoN and #ib_redoN_tmp'), () => {
    expect(redoFileName(0)).toBe('#ib_redo0');
    expect(redoFileName(12, true)).toBe('#ib_redo12_tmp');
    expect(parseRedoFileName('#ib_redo12')).toEqual({ n: 12, tmp: false });
    expect(parseRedoFileName('#ib_redo7_tmp')).toEqual({ n: 7, tmp: true });
    expect(parseRedoFileName('#ib_redo')).toBeNull();
    expect(parseRedoFileName('#ib_redo01')).toBeNull();
    expect(parseRedoFileName('ib_logfile0')).toBeNull();
    fc.assert(fc.property(fc.nat(1_000_000), fc.boolean(), (n, tmp) => {
      expect(parseRedoFileName(redoFileName(n, tmp))).toEqual({ n, tmp });
    }));
  });
});

function expectedBlock(fill: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(512);
  fill(b);
  b.writeUInt32BE(crc32(b.subarray(0, 508)), 508);
  return b;
}

describe('header and checkpoint blocks', () => {
  it(req(['INNODB-LOG-102'], 'unit', 'format block layout: version, uuid, start LSN, creator, number, size, magic, crc32'), () => {
    const got = encodeFileHeader({ uuid: 0xdeadbeef, startLsn: 8192n, fileNumber: 3, fileSize: 6144 });
    const want = expectedBlock((b) => {
      b.writeUInt32BE(1, 0);
      b.writeUInt32BE(0xdeadbeef, 4);
      b.writeBigUInt64BE(8192n, 8);
      b.write('refmysql', 16, 'latin1');
      b.writeUInt32BE(3, 52);
      b.writeBigUInt64BE(6144n, 56);
      b.write('rfmyredo', 64, 'latin1');
    });
    expect(got.equals(want)).toBe(true);
    expect(decodeFileHeader(got)).toEqual({
      format: 1, uuid: 0xdeadbeef, startLsn: 8192n, creator: 'refmysql', flags: 0, fileNumber: 3, fileSize: 6144,
    });
  });

  it(req(['INNODB-LOG-102'], 'unit', 'checkpoint block layout; odd numbers go to block 1, even to block 3'), () => {
    const got = encodeCheckpointBlock({ number: 5n, lsn: 9000n, uuid: 7 });
    const want = expectedBlock((b) => {
      b.writeBigUInt64BE(5n, 0);
      b.writeBigUInt64BE(9000n, 8);
      b.writeUInt32BE(7, 16);
    });
    expect(got.equals(want)).toBe(true);
    expect(decodeCheckpointBlock(got)).toEqual({ number: 5n, lsn: 9000n, uuid: 7 });
    expect(decodeCheckpointBlock(Buffer.alloc(512))).toBeNull();
    expect(checkpointSlotOffset(1n)).toBe(512);
    expect(checkpointSlotOffset(2n)).toBe(1536);
  });

  it(req(['INNODB-LOG-102'], 'unit', 'decoders never throw on random or damaged blocks'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => {
        const b = Buffer.from(bytes);
        const h = decodeFileHeader(b);
        expect(typeof h === 'string' || typeof h === 'object').toBe(true);
        decodeCheckpointBlock(b);
        checkLogBlock(b, 8192n);
      }),
    );
    fc.assert(
      fc.property(fc.nat(511), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = encodeCheckpointBlock({ number: 9n, lsn: 123456n, uuid: 1 });
        b[at] = (b[at] as number) ^ x;
        expect(decodeCheckpointBlock(b)).toBeNull();
        const h = encodeFileHeader({ uuid: 1, startLsn: 8192n, fileNumber: 0, fileSize: 6144 });
        h[at] = (h[at] as number) ^ x;
        expect(typeof decodeFileHeader(h)).toBe('string');
      }),
    );
  });
});

describe('log blocks', () => {
  it(req(['INNODB-LOG-101'], 'unit', 'block header: number, data length (512 when full), first record, checkpoint number; crc32 trailer'), () => {
    const b = Buffer.alloc(512);
    initLogBlock(b, 8704n);
    b.writeUInt16BE(40, 6);
    b.fill(0xab, 12, 100);
    sealLogBlock(b, 100, 3n);
    const want = expectedBlock((w) => {
      w.writeUInt32BE(8704 / 512 + 1, 0);
      w.writeUInt16BE(100, 4);
      w.writeUInt16BE(40, 6);
      w.writeUInt32BE(3, 8);
      w.fill(0xab, 12, 100);
    });
    expect(b.equals(want)).toBe(true);
    expect(checkLogBlock(b, 8704n)).toEqual({ blockNo: 18, dataLen: 100, firstRecGroup: 40, checkpointNo: 3 });
    expect(checkLogBlock(b, 9216n)).toMatch(/block number/);
    sealLogBlock(b, 508, 3n);
    expect(b.readUInt16BE(4)).toBe(512);
    b[300] = 1;
    expect(checkLogBlock(b, 8704n)).toMatch(/checksum/);
  });
});

describe('record framing', () => {
  it(req(['INNODB-LOG-103'], 'unit', 'a record is a varint length, the payload and a crc32 of both'), () => {
    const payload = Buffer.alloc(300, 7);
    const len = Buffer.from([0xac, 0x02]);
    const want = Buffer.concat([len, payload, Buffer.alloc(4)]);
    want.writeUInt32BE(crc32(Buffer.concat([len, payload])), 302);
    expect(encodeRecord(payload).equals(want)).toBe(true);
    const empty = Buffer.alloc(5);
    empty.writeUInt32BE(crc32(Buffer.from([0])), 1);
    expect(encodeRecord(Buffer.alloc(0)).equals(empty)).toBe(true);
  });

  it(req(['INNODB-LOG-103'], 'unit', 'varint round trip; non-minimal or over-long lengths are refused'), () => {
    fc.assert(
      fc.property(fc.nat(1024 * 1024 * 1024), (n) => {
        const r = new VarintReader();
        let out: number | 'more' | 'bad' = 'more';
        for (const byte of encodeVarint(n)) out = r.push(byte);
        expect(out).toBe(n);
        expect(r.encoded().equals(encodeVarint(n))).toBe(true);
      }),
    );
    const nonMinimal = new VarintReader();
    nonMinimal.push(0x81);
    expect(nonMinimal.push(0x00)).toBe('bad');
    const tooLong = new VarintReader();
    let res: number | 'more' | 'bad' = 'more';
    for (const byte of [0xff, 0xff, 0xff, 0xff, 0x7f]) res = tooLong.push(byte);
    expect(res).toBe('bad');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes) => {
        const r = new VarintReader();
        for (const byte of bytes) {
          const v = r.push(byte);
          if (v !== 'more') {
            expect(v === 'bad' || (Number.isSafeInteger(v) && v <= 1024 * 1024 * 1024)).toBe(true);
            break;
          }
        }
      }),
    );
  });
});

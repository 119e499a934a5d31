/**
 * The end of the redo log after a crash: the last file cut at every offset of its last
 * blocks, and (fast-check) random payloads with a random cut and random byte flips in the
 * tail. readRedoLog must return exactly a prefix of what was appended, never a record with
 * wrong bytes; and a log reopened at the end it reports must continue cleanly, with nothing
 * of the torn tail showing up again.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';
import { RedoLog, readRedoLog, type RedoRecord } from '../../../../src/storage/innodb/log/redo-log.js';

const tmp = tempDirs('redo-torn-');
const REDO = '#innodb_redo';
const BLOCKS_PER_FILE = 8;
const FILE_SIZE = 2048 + BLOCKS_PER_FILE * 512;

interface Sent {
  lsn: bigint;
  end: bigint;
  payload: Buffer;
}

async function writeLog(datadir: string, payloads: readonly Buffer[]): Promise<Sent[]> {
  const log = await RedoLog.open(datadir, { startLsn: 0n, capacity: 8 << 20, fileSizeOverride: FILE_SIZE });
  const sent: Sent[] = [];
  for (const payload of payloads) {
    const lsn = log.lsn;
    sent.push({ lsn, end: log.append(payload), payload });
    // Several writes, so the partly filled last block is written more than once.
    if (sent.length % 3 === 0) await log.writeUpTo(log.lsn);
  }
  await log.close();
  return sent;
}

function lastFile(datadir: string): string {
  const names = readdirSync(join(datadir, REDO)).filter((n) => /^#ib_redo\d+$/.test(n));
  names.sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
  return join(datadir, REDO, names[names.length - 1] as string);
}

/** A record as one string (comparing strings is much cheaper than deep-comparing Buffers). */
function key(r: Sent | RedoRecord): string {
  return `${r.lsn}-${r.end}:${r.payload.toString('hex')}`;
}

function expectPrefix(got: readonly RedoRecord[], sent: readonly Sent[]): void {
  expect(got.length).toBeLessThanOrEqual(sent.length);
  expect(got.map(key)).toEqual(sent.slice(0, got.length).map(key));
}

/** The LSN of the block holding a record's last byte. */
function lastByteBlock(s: Sent): bigint {
  const lastByte = s.end % 512n === 12n ? s.end - 13n : s.end - 1n;
  return lastByte - (lastByte % 512n);
}

describe('torn tail of the redo log', () => {
  it(req(['INNODB-LOG-101', 'INNODB-LOG-103', 'INNODB-REC-012'], 'unit', 'cutting the last file at every offset of its last three blocks leaves exactly the records whose blocks are whole'), async () => {
    const src = tmp();
    const payloads = Array.from({ length: 45 }, (_, i) => Buffer.alloc((i * 53) % 300, i + 1));
    const sent = await writeLog(src, payloads);
    const path = lastFile(src);
    const full = readFileSync(path);
    const fileStart = full.readBigUInt64BE(8);
    const d = tmp();
    cpSync(join(src, REDO), join(d, REDO), { recursive: true });
    const target = join(d, REDO, path.slice(path.lastIndexOf('#')));
    let previous = -1;
    for (let cut = Math.max(2048, full.length - 3 * 512); cut <= full.length; cut++) {
      writeFileSync(target, full.subarray(0, cut));
      const back = await readRedoLog(d);
      expectPrefix(back.records, sent);
      // A record survives exactly when the block holding its last byte is whole on disk.
      const wholeEnd = fileStart + BigInt(Math.floor((cut - 2048) / 512) * 512);
      const expected = sent.filter((s) => lastByteBlock(s) + 512n <= wholeEnd || lastByteBlock(s) < fileStart).length;
      expect(back.records.length).toBe(expected);
      expect(back.records.length).toBeGreaterThanOrEqual(previous);
      previous = back.records.length;
      if (cut === full.length) expect(back.warnings).toEqual([]);
      else if (back.records.length < sent.length) expect(back.warnings.length).toBeGreaterThan(0);
    }
    expect(previous).toBe(sent.length);
  });

  it(req(['INNODB-LOG-101', 'INNODB-LOG-103', 'INNODB-LOG-107', 'INNODB-REC-012'], 'unit', 'random payloads, cut and byte flips in the tail: a prefix, never a wrong record; reopening continues cleanly'), async () => {
    const flip = fc.record({ at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), x: fc.integer({ min: 1, max: 255 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 700, size: 'max' }), { minLength: 1, maxLength: 30, size: 'max' }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.array(flip, { maxLength: 4 }),
        async (raw, cutAt, flips) => {
          const d = tmp();
          const sent = await writeLog(d, raw.map((u) => Buffer.from(u)));
          const path = lastFile(d);
          const full = readFileSync(path);
          const from = Math.max(2048, full.length - 4 * 512);
          const cut = from + Math.floor(cutAt * (full.length - from));
          const torn = Buffer.from(full.subarray(0, cut));
          for (const f of flips) {
            if (cut <= from) break;
            const at = from + Math.floor(f.at * (cut - from));
            torn[at] = (torn[at] as number) ^ f.x;
          }
          writeFileSync(path, torn);

          const back = await readRedoLog(d);
          expect(back.exists).toBe(true);
          expectPrefix(back.records, sent);
          const kept = sent.slice(0, back.records.length);
          expect(back.endLsn).toBe(kept.length > 0 ? kept[kept.length - 1]?.end : back.checkpointLsn);

          // Restart: continue at the end read back, append, and read again.
          const log = await RedoLog.open(d, { startLsn: back.endLsn, capacity: 8 << 20, fileSizeOverride: FILE_SIZE });
          const more: Sent[] = [];
          for (let i = 0; i < 3; i++) {
            const payload = Buffer.from(`after restart ${i}`);
            const lsn = log.lsn;
            more.push({ lsn, end: log.append(payload), payload });
          }
          await log.close();
          const again = await readRedoLog(d);
          expect(again.warnings).toEqual([]);
          expect(again.records.map(key)).toEqual([...kept, ...more].map(key));
        },
      ),
      { numRuns: 150 },
    );
  });

  it(req(['INNODB-LOG-103', 'INNODB-LOG-107'], 'unit', 'valid old blocks after a torn one are cut off at reopen and never read back'), async () => {
    const d = tmp();
    // 40 records of 100 bytes: about 8 blocks, spread over two files.
    const sent = await writeLog(d, Array.from({ length: 40 }, (_, i) => Buffer.alloc(100, i + 1)));
    const first = join(d, REDO, '#ib_redo0');
    const bytes = readFileSync(first);
    // Tear block 3 of the first file; blocks 4.. and the second file stay valid.
    bytes[2048 + 3 * 512 + 200] = (bytes[2048 + 3 * 512 + 200] as number) ^ 0xff;
    writeFileSync(first, bytes);
    const back = await readRedoLog(d);
    expectPrefix(back.records, sent);
    expect(back.records.length).toBeLessThan(sent.length);
    expect(back.warnings.join()).toMatch(/checksum/);
    const log = await RedoLog.open(d, { startLsn: back.endLsn, capacity: 8 << 20, fileSizeOverride: FILE_SIZE });
    const lsn = log.lsn;
    const extra = { lsn, end: log.append(Buffer.from('one more')), payload: Buffer.from('one more') };
    await log.close();
    expect(readdirSync(join(d, REDO)).filter((n) => n.startsWith('#ib_redo'))).toEqual(['#ib_redo0']);
    const again = await readRedoLog(d);
    expect(again.warnings).toEqual([]);
    expect(again.records.map(key)).toEqual([...sent.slice(0, back.records.length), extra].map(key));
  });

  it(req(['INNODB-LOG-103'], 'unit', 'a missing file in the middle ends the log at the file before it'), async () => {
    const d = tmp();
    const sent = await writeLog(d, Array.from({ length: 200 }, (_, i) => Buffer.alloc(90, i)));
    const names = readdirSync(join(d, REDO)).filter((n) => /^#ib_redo\d+$/.test(n));
    expect(names.length).toBeGreaterThan(3);
    const firstFile = readFileSync(join(d, REDO, '#ib_redo0'));
    const secondStart = firstFile.readBigUInt64BE(8) + BigInt(FILE_SIZE - 2048);
    rmSync(join(d, REDO, '#ib_redo2'));
    const back = await readRedoLog(d);
    expectPrefix(back.records, sent);
    const thirdStart = secondStart + BigInt(FILE_SIZE - 2048);
    expect(back.records.length).toBe(sent.filter((s) => lastByteBlock(s) < thirdStart).length);
    expect(back.warnings.join()).toMatch(/does not continue/);
  });

  it(req(['INNODB-LOG-101', 'INNODB-LOG-102'], 'unit', 'random garbage in place of redo files never makes the reader throw'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 0, maxLength: 5000 }), { minLength: 1, maxLength: 3 }), fc.boolean(), async (files, withHeader) => {
        const d = tmp();
        const sent = await writeLog(d, [Buffer.from('seed record')]);
        const dir = join(d, REDO);
        const real = readFileSync(lastFile(d));
        files.forEach((bytes, i) => {
          const body = withHeader && i === 0 ? Buffer.concat([real.subarray(0, 2048), Buffer.from(bytes)]) : Buffer.from(bytes);
          writeFileSync(join(dir, `#ib_redo${i}`), body);
        });
        const back = await readRedoLog(d);
        expect(back.exists).toBe(true);
        expectPrefix(back.records, sent);
      }),
      { numRuns: 60 },
    );
  });
});

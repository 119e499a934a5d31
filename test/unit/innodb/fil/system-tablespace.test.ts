/**
 * The system tablespace ibdata1: its page layout, the state round trip for every page size,
 * alternating copies (a torn write of one leaves the previous state), serialised writes, and
 * clear SystemTablespaceErrors for an empty, truncated or damaged file (INNODB-TRBL-010).
 */
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SystemTablespaceError,
  initSystemTablespace,
  readSystemTablespace,
  writeSystemState,
  type SystemState,
} from '../../../../src/storage/innodb/fil/system-tablespace.js';
import { FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_TYPE_SYS, PAGE_SIZES } from '../../../../src/storage/innodb/page/limits.js';
import { readHeader, verifyPage } from '../../../../src/storage/innodb/page/page.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-ibdata-');

const state = (n: bigint, extra = ''): SystemState => ({ nextSpaceId: n, nextTrxId: n * 10n, nextRowId: n * 100n, extra: Buffer.from(extra) });

async function fresh(pageSize = 16384, s = state(1n)): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  await initSystemTablespace(dir, pageSize, s);
  return { dir, file: join(dir, 'ibdata1') };
}

async function expectUnusable(dir: string, text: string): Promise<void> {
  const err = await readSystemTablespace(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SystemTablespaceError);
  expect((err as Error).message).toContain('ibdata1');
  expect((err as Error).message).toContain(text);
}

describe('system tablespace', () => {
  it(req(['INNODB-SYS-101'], 'unit', 'ibdata1 is an FSP header page and two state pages, laid out as documented'), async () => {
    const { file } = await fresh(4096, state(3n, 'xyz'));
    const f = readFileSync(file);
    expect(f.length).toBe(3 * 4096);
    const p0 = f.subarray(0, 4096);
    expect(readHeader(p0)).toMatchObject({ pageNo: 0, spaceId: 0, type: FIL_PAGE_TYPE_FSP_HDR });
    expect(p0.subarray(38, 43).toString('latin1')).toBe('RMSYS');
    expect(p0[43]).toBe(1);
    expect(p0.readUInt32BE(44)).toBe(4096);
    for (const [no, seq] of [
      [1, 1n],
      [2, 0n],
    ] as const) {
      const p = f.subarray(no * 4096, (no + 1) * 4096);
      expect(verifyPage(p, no, 0)).toBe('ok');
      expect(readHeader(p)).toMatchObject({ type: FIL_PAGE_TYPE_SYS, lsn: seq });
      expect(p.subarray(38, 43).toString('latin1')).toBe('RMSYS');
      expect(p.readBigUInt64BE(44)).toBe(seq);
      expect(p.readUInt32BE(52)).toBe(4096);
      expect([p.readBigUInt64BE(56), p.readBigUInt64BE(64), p.readBigUInt64BE(72)]).toEqual([3n, 30n, 300n]);
      expect(p.readUInt32BE(80)).toBe(3);
      expect(p.subarray(84, 87).toString()).toBe('xyz');
    }
  });

  it(req(['INNODB-SYS-101', 'INNODB-LIMIT-022'], 'unit', 'the state and the page size found come back for every page size'), async () => {
    for (const size of PAGE_SIZES) {
      const { dir } = await fresh(size, state(5n, 'e'));
      expect(await readSystemTablespace(dir)).toEqual({ pageSize: size, ...state(5n, 'e') });
    }
  });

  it(req(['INNODB-SYS-101'], 'unit', 'a missing ibdata1 reads as null; initialising over an existing one fails'), async () => {
    const dir = tempDir();
    expect(await readSystemTablespace(dir)).toBeNull();
    await initSystemTablespace(dir, 16384, state(1n));
    await expect(initSystemTablespace(dir, 16384, state(2n))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(initSystemTablespace(dir, 1000, state(2n))).rejects.toThrow(RangeError);
  });

  it(req(['INNODB-SYS-102'], 'unit', 'writes alternate between the copies, each with the next sequence number'), async () => {
    const { dir, file } = await fresh(4096);
    const seqOf = (no: number) => readFileSync(file).readBigUInt64BE(no * 4096 + 44);
    await writeSystemState(dir, state(2n));
    expect([seqOf(1), seqOf(2)]).toEqual([1n, 2n]);
    await writeSystemState(dir, state(3n));
    expect([seqOf(1), seqOf(2)]).toEqual([3n, 2n]);
    await writeSystemState(dir, state(4n, 'four'));
    expect([seqOf(1), seqOf(2)]).toEqual([3n, 4n]);
    expect(await readSystemTablespace(dir)).toEqual({ pageSize: 4096, ...state(4n, 'four') });
  });

  it(req(['INNODB-SYS-102'], 'unit', 'a torn write of the newer copy leaves the previous state; the next write replaces the torn copy'), async () => {
    const { dir, file } = await fresh(8192);
    await writeSystemState(dir, state(2n)); // copy 2, seq 2
    await writeSystemState(dir, state(3n)); // copy 1, seq 3
    const f = readFileSync(file);
    f.fill(0x33, 8192 + 100, 8192 + 4096); // tear copy 1
    writeFileSync(file, f);
    expect(await readSystemTablespace(dir)).toEqual({ pageSize: 8192, ...state(2n) });
    await writeSystemState(dir, state(4n));
    expect(verifyPage(readFileSync(file).subarray(8192, 16384), 1, 0)).toBe('ok');
    expect(await readSystemTablespace(dir)).toEqual({ pageSize: 8192, ...state(4n) });
  });

  it(req(['INNODB-SYS-102'], 'unit', 'concurrent writes run one at a time and the last one wins'), async () => {
    const { dir, file } = await fresh(4096);
    await Promise.all([2n, 3n, 4n, 5n, 6n].map((n) => writeSystemState(dir, state(n))));
    expect(await readSystemTablespace(dir)).toEqual({ pageSize: 4096, ...state(6n) });
    const f = readFileSync(file);
    expect([f.readBigUInt64BE(4096 + 44), f.readBigUInt64BE(8192 + 44)].sort()).toEqual([5n, 6n]);
  });

  it(req(['INNODB-SYS-101'], 'unit', 'a state that does not fit a page or a counter beyond u64 is refused'), async () => {
    const { dir } = await fresh(4096);
    await expect(writeSystemState(dir, state(1n, 'x'.repeat(5000)))).rejects.toThrow(RangeError);
    await expect(writeSystemState(dir, state(2n ** 64n))).rejects.toThrow(RangeError);
    expect(await readSystemTablespace(dir)).toEqual({ pageSize: 4096, ...state(1n) });
  });
});

describe('unusable ibdata1', () => {
  it(req(['INNODB-TRBL-010'], 'unit', 'a zero-length ibdata1 is a clear SystemTablespaceError, for reads and writes'), async () => {
    const { dir, file } = await fresh();
    truncateSync(file, 0);
    await expectUnusable(dir, 'empty');
    await expect(writeSystemState(dir, state(2n))).rejects.toBeInstanceOf(SystemTablespaceError);
  });

  it(req(['INNODB-TRBL-010'], 'unit', 'a truncated ibdata1 is a SystemTablespaceError'), async () => {
    for (const len of [1, 100, 4095, 16384, 2 * 16384 + 5]) {
      const { dir, file } = await fresh();
      truncateSync(file, len);
      await expectUnusable(dir, 'truncated');
    }
  });

  it(req(['INNODB-TRBL-010'], 'unit', 'a damaged page 0, both copies damaged, or a foreign file is a SystemTablespaceError'), async () => {
    const a = await fresh();
    const f = readFileSync(a.file);
    f[200] ^= 1;
    writeFileSync(a.file, f);
    await expectUnusable(a.dir, 'page 0');

    const b = await fresh();
    const g = readFileSync(b.file);
    g[16384 + 500] ^= 1;
    g[2 * 16384 + 500] ^= 1;
    writeFileSync(b.file, g);
    await expectUnusable(b.dir, 'both copies');

    const c = tempDir();
    writeFileSync(join(c, 'ibdata1'), Buffer.alloc(3 * 16384, 0x41));
    await expectUnusable(c, 'does not identify');
  });

  it(req(['INNODB-TRBL-010'], 'unit', 'writing the state without an ibdata1 is a SystemTablespaceError'), async () => {
    const dir = tempDir();
    await expect(writeSystemState(dir, state(1n))).rejects.toBeInstanceOf(SystemTablespaceError);
    expect(existsSync(join(dir, 'ibdata1'))).toBe(false);
  });
});

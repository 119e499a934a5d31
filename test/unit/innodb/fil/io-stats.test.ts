/**
 * Data-file I/O counting: the file helpers and the doublewrite file count every write call, its
 * bytes, every fsync and the pages written in place, into the engine's FileIoStats.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Doublewrite } from '../../../../src/storage/innodb/fil/doublewrite.js';
import { writeFileInPlace, writeFully } from '../../../../src/storage/innodb/fil/file-io.js';
import { FileIoStats } from '../../../../src/storage/innodb/fil/io-stats.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const dir = tempDirs('refmysql-iostats-');

describe('FileIoStats', () => {
  it(req(['INNODB-MON-010'], 'unit', 'writes, bytes, fsyncs and in-place pages are counted; nothing is pending afterwards'), async () => {
    const d = dir();
    const io = new FileIoStats();
    const pages = [Buffer.alloc(4096, 1), Buffer.alloc(4096, 2)];
    await writeFileInPlace(join(d, 'a.ibd'), pages, io);
    expect(io.writes).toBeGreaterThanOrEqual(1);
    expect(io.bytesWritten).toBe(8192);
    expect(io.fsyncs).toBe(2); // the file and, since it was created, its directory
    expect(io.pagesWritten).toBe(2);
    const fh = await open(join(d, 'b'), 'w');
    await writeFully(fh, Buffer.from('xyz'), 0, io);
    await fh.close();
    expect(io.bytesWritten).toBe(8195);
    expect(io.pendingWrites + io.pendingFsyncs + io.pendingReads).toBe(0);
    const r = await io.read(() => readFile(join(d, 'a.ibd')));
    expect(r.length).toBe(8192);
    expect([io.reads, io.bytesRead]).toEqual([1, 8192]);
  });

  it(req(['INNODB-MON-103'], 'unit', 'a doublewrite batch counts its pages and one batch, then the in-place pages'), async () => {
    const d = dir();
    const io = new FileIoStats();
    const dw = new Doublewrite(d, 4096, {}, io);
    await dw.writeBatch([{ path: join(d, 'x.ibd'), pages: [Buffer.alloc(4096), Buffer.alloc(4096), Buffer.alloc(4096)] }]);
    expect(io.doublewriteBatches).toBe(1);
    expect(io.doublewritePages).toBe(3);
    expect(io.pagesWritten).toBe(3);
    expect(io.fsyncs).toBeGreaterThanOrEqual(3);
  });

  it(req(['INNODB-MON-010'], 'unit', 'a failed write is not counted and leaves nothing pending'), async () => {
    const io = new FileIoStats();
    await expect(io.write(10, () => Promise.reject(new Error('EIO')))).rejects.toThrow('EIO');
    expect([io.writes, io.bytesWritten, io.pendingWrites]).toEqual([0, 0, 0]);
  });
});

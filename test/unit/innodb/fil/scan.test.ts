/**
 * The startup scan of a tablespace file (fil/scan.ts): a sound file has no bad page; a flipped
 * byte in any page after page 0 names that page (in whichever read batch it falls); several bad
 * pages are listed in order; a file cut short names its first missing (or partial) page and
 * nothing after it; a page that was never written (all zeros) is not corrupt.
 */
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCAN_BATCH_PAGES, scanTablespace } from '../../../../src/storage/innodb/fil/scan.js';
import { buildTablespaceImage, type TablespaceMeta } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { FIL_PAGE_FILE_FLUSH_LSN } from '../../../../src/storage/innodb/page/limits.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-scan-');
const PS = 4096;
const SPACE = 23;

const meta: TablespaceMeta = { spaceId: SPACE, rowFormat: 'DYNAMIC', schema: 'db', name: 't', tableId: 3, autoIncrement: null, nextRowId: 1n, extra: Buffer.alloc(0) };

/** A file of more than two scan batches: 1000-byte records, three to a 4 KB leaf. */
const image = buildTablespaceImage(meta, [Buffer.from('sdi'), ...Array.from({ length: 400 }, (_, i) => Buffer.alloc(1000, i % 251))], PS, 5n);
const clean = Buffer.concat(image);
const PAGES = image.length;

function fileOf(bytes: Buffer): string {
  const path = join(tempDir(), 't.ibd');
  writeFileSync(path, bytes);
  return path;
}

describe('scanTablespace', () => {
  it(req(['INNODB-REC-003'], 'unit', 'a sound file has no corrupt page'), async () => {
    expect(PAGES).toBeGreaterThan(2 * SCAN_BATCH_PAGES);
    expect(await scanTablespace(fileOf(clean), PAGES, PS, SPACE)).toEqual({ corruptPages: [] });
  });

  // Any byte but the file flush LSN, which only page 0 uses and no checksum covers (as in InnoDB).
  it(req(['INNODB-REC-003'], 'unit', 'a flipped byte in one page is reported, in every batch and at batch edges'), async () => {
    const path = fileOf(clean);
    const edges = [1, SCAN_BATCH_PAGES - 1, SCAN_BATCH_PAGES, SCAN_BATCH_PAGES + 1, 2 * SCAN_BATCH_PAGES, PAGES - 1];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 1, max: PAGES - 1 })), fc.nat(PS - 1).filter((at) => at < FIL_PAGE_FILE_FLUSH_LSN || at >= FIL_PAGE_FILE_FLUSH_LSN + 8), fc.integer({ min: 1, max: 255 }), async (page, at, x) => {
        const bad = Buffer.from(clean);
        bad[page * PS + at] ^= x;
        writeFileSync(path, bad);
        expect(await scanTablespace(path, PAGES, PS, SPACE)).toEqual({ corruptPages: [page] });
      }),
      { numRuns: 40 },
    );
  });

  it(req(['INNODB-REC-003'], 'unit', 'several bad pages are listed in page order; page 0 is not the scan\'s business'), async () => {
    const bad = Buffer.from(clean);
    for (const page of [PAGES - 2, 3, SCAN_BATCH_PAGES + 7]) bad[page * PS + 99] ^= 0x40;
    bad[200] ^= 1; // page 0
    // a page written at the wrong place: right checksum, wrong page number
    image[5]!.copy(bad, 6 * PS);
    expect(await scanTablespace(fileOf(bad), PAGES, PS, SPACE)).toEqual({ corruptPages: [3, 6, SCAN_BATCH_PAGES + 7, PAGES - 2] });
    // a page of another space
    expect((await scanTablespace(fileOf(clean), PAGES, PS, SPACE + 1)).corruptPages).toEqual(Array.from({ length: PAGES - 1 }, (_, i) => i + 1));
  });

  it(req(['INNODB-REC-003'], 'unit', 'a truncated file reports its first missing page, and nothing after it'), async () => {
    for (const pages of [1, 2, SCAN_BATCH_PAGES, SCAN_BATCH_PAGES + 1, SCAN_BATCH_PAGES + 2, PAGES - 1]) {
      const path = fileOf(clean);
      truncateSync(path, pages * PS);
      expect({ pages, ...(await scanTablespace(path, PAGES, PS, SPACE)) }).toEqual({ pages, corruptPages: [pages] });
      // cut inside the page: the partial page is the first one missing
      truncateSync(path, pages * PS - 10);
      expect({ pages, ...(await scanTablespace(path, PAGES, PS, SPACE)) }).toEqual({ pages, corruptPages: [Math.max(1, pages - 1)] });
    }
    // a bad page before the cut is reported too
    const bad = Buffer.from(clean.subarray(0, 10 * PS));
    bad[4 * PS + 10] ^= 2;
    expect(await scanTablespace(fileOf(bad), PAGES, PS, SPACE)).toEqual({ corruptPages: [4, 10] });
  });

  it(req(['INNODB-REC-003'], 'unit', 'a page never written (all zeros) is not corrupt; pages past the page count are not read'), async () => {
    const zeroed = Buffer.from(clean);
    zeroed.fill(0, 7 * PS, 8 * PS);
    expect(await scanTablespace(fileOf(zeroed), PAGES, PS, SPACE)).toEqual({ corruptPages: [] });
    const longer = Buffer.concat([clean, Buffer.alloc(3 * PS, 0x77)]);
    expect(await scanTablespace(fileOf(longer), PAGES, PS, SPACE)).toEqual({ corruptPages: [] });
    expect(await scanTablespace(fileOf(longer), PAGES + 3, PS, SPACE)).toEqual({ corruptPages: [PAGES, PAGES + 1, PAGES + 2] });
    await expect(scanTablespace(join(tempDir(), 'missing.ibd'), PAGES, PS, SPACE)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

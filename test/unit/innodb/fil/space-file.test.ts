/**
 * An open tablespace file (fil/space-file.ts) over files made by buildTablespaceImage: the header
 * and the SDI read at open, pages read back asynchronously and synchronously (decoded as the
 * image's codec decodes them), pages outside the file or cut short refused as corrupt, page
 * allocation past the end and from the free list (a stack threaded through the free pages, the
 * top in the header), the free list found again at open, and "table is full" (1114) past the
 * last page number.
 */
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlError } from '../../../../src/kernel/errors.js';
import { MAX_PAGE_NO } from '../../../../src/storage/innodb/fil/limits.js';
import { SpaceFile } from '../../../../src/storage/innodb/fil/space-file.js';
import {
  TablespaceCorruptError,
  blobCapacity,
  buildTablespaceImage,
  decodeSpacePage,
  encodeSpacePage,
  parseTablespaceHeader,
  writeHeaderPage,
  type TablespaceMeta,
} from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { FIL_NULL } from '../../../../src/storage/innodb/page/limits.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-space-file-');
const PS = 4096;

const meta: TablespaceMeta = {
  spaceId: 17,
  rowFormat: 'DYNAMIC',
  schema: 'shop',
  name: 'orders',
  tableId: 99,
  autoIncrement: 5n,
  nextRowId: 1n,
  extra: Buffer.alloc(0),
};

const opened: SpaceFile[] = [];
afterEach(() => {
  for (const f of opened.splice(0)) f.close();
});

/** Write an image of `rows` 200-byte records after `sdi` and open it. */
function make(rows = 100, sdi = Buffer.from('{"sdi":1}')): { file: SpaceFile; pages: Buffer[]; path: string } {
  const records = [sdi, ...Array.from({ length: rows }, (_, i) => Buffer.alloc(200, i % 250))];
  const pages = buildTablespaceImage(meta, records, PS, 12n);
  const path = join(tempDir(), 'orders.ibd');
  writeFileSync(path, Buffer.concat(pages));
  const file = SpaceFile.open(path);
  opened.push(file);
  return { file, pages, path };
}

function reopen(path: string): SpaceFile {
  const f = SpaceFile.open(path);
  opened.push(f);
  return f;
}

describe('SpaceFile.open and reads', () => {
  it(req(['INNODB-BUF-101'], 'unit', 'open reads the header, the SDI and its chain; no page is free'), () => {
    const { file, pages, path } = make();
    expect(file.path).toBe(path);
    expect(file.spaceId).toBe(17);
    expect(file.pageSize).toBe(PS);
    expect(file.header).toMatchObject({ ...meta, pageSize: PS, flushedLsn: 12n, recordCount: 100, pageCount: pages.length, freeHead: FIL_NULL, sdiPage: 2, indexes: [{ id: 1, root: 1 }] });
    expect(file.sdi?.toString()).toBe('{"sdi":1}');
    expect(file.sdiPages).toEqual([2]);
    expect(file.freePages).toBe(0);
    // an SDI of several pages: every page of its chain, in order
    const big = Buffer.alloc(3 * blobCapacity(PS) + 10, 0x33);
    const { file: f2 } = make(3, big);
    expect(f2.sdi!.equals(big)).toBe(true);
    expect(f2.sdiPages).toEqual([2, 3, 4, 5]);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'every page reads back, synchronously and asynchronously, as the codec decodes it'), async () => {
    const { file, pages, path } = make(300);
    expect(pages.length).toBeGreaterThan(10);
    for (let no = 1; no < pages.length; no++) {
      const want = decodeSpacePage(pages[no]!, no, 17, path);
      expect(file.readSync(no)).toEqual(want);
      expect(await file.read(no)).toEqual(want);
    }
    // reads go through the descriptor: several at once are fine
    const all = await Promise.all(pages.slice(1).map((_, i) => file.read(i + 1)));
    expect(all.map((p) => p.kind)).toEqual(pages.slice(1).map((_, i) => decodeSpacePage(pages[i + 1]!, i + 1, 17, path).kind));
  });

  it(req(['INNODB-BUF-101'], 'unit', 'page 0, pages past the end and pages cut short are refused as corrupt'), async () => {
    const { file, pages, path } = make(300);
    const n = pages.length;
    for (const no of [0, n, n + 5]) {
      expect(() => file.readSync(no)).toThrow(TablespaceCorruptError);
      expect(() => file.read(no)).toThrow(TablespaceCorruptError);
    }
    truncateSync(path, (n - 1) * PS + 100); // the last page is cut short
    expect(() => file.readSync(n - 1)).toThrow(/file too short/);
    await expect(file.read(n - 1)).rejects.toBeInstanceOf(TablespaceCorruptError);
    expect(file.readSync(n - 2).kind).toBe(decodeSpacePage(pages[n - 2]!, n - 2, 17, path).kind);
    // a flipped byte: the checksum fails
    const bad = Buffer.concat(pages);
    bad[3 * PS + 500] ^= 1;
    writeFileSync(path, bad);
    const f = reopen(path);
    expect(() => f.readSync(3)).toThrow(TablespaceCorruptError);
    await expect(f.read(3)).rejects.toMatchObject({ pageNo: 3, spaceId: 17 });
  });

  it(req(['INNODB-BUF-101'], 'unit', 'a damaged header or SDI chain fails the open'), () => {
    const { pages, path } = make(10);
    const p0 = Buffer.concat(pages);
    p0[60] ^= 1;
    writeFileSync(path, p0);
    expect(() => SpaceFile.open(path)).toThrow(TablespaceCorruptError);
    // the SDI's first page is an index page
    const header = { ...parseTablespaceHeader(pages[0]!), sdiPage: 1 };
    writeFileSync(path, Buffer.concat([writeHeaderPage(header, 12n), ...pages.slice(1)]));
    expect(() => SpaceFile.open(path)).toThrow(/not a BLOB page/);
    writeFileSync(path, Buffer.alloc(0));
    expect(() => SpaceFile.open(path)).toThrow(TablespaceCorruptError);
  });
});

describe('SpaceFile allocation', () => {
  it(req(['INNODB-BUF-101'], 'unit', 'with no free page, allocation takes the pages past the end in order'), () => {
    const { file, pages } = make(10);
    const n = pages.length;
    expect([file.allocate(), file.allocate(), file.allocate()]).toEqual([n, n + 1, n + 2]);
    expect(file.header.pageCount).toBe(n + 3);
    expect(file.header.freeHead).toBe(FIL_NULL);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'released pages form a stack: the last released is allocated first, and each free page names the next'), () => {
    const { file, pages } = make(300);
    const n = pages.length;
    expect(file.release(4)).toEqual({ kind: 'free', next: FIL_NULL, gen: 0 });
    expect(file.header.freeHead).toBe(4);
    expect(file.release(7)).toEqual({ kind: 'free', next: 4, gen: 0 });
    expect(file.release(5)).toEqual({ kind: 'free', next: 7, gen: 0 });
    expect(file.freePages).toBe(3);
    expect(file.header.freeHead).toBe(5);
    expect(file.allocate()).toBe(5);
    expect(file.header.freeHead).toBe(7);
    expect(file.allocate()).toBe(7);
    expect(file.allocate()).toBe(4);
    expect(file.header.freeHead).toBe(FIL_NULL);
    expect(file.freePages).toBe(0);
    expect(file.allocate()).toBe(n);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'the free list written with the header is found again at open'), () => {
    const { file, pages, path } = make(300);
    const written = [...pages];
    // release three leaves as a checkpoint would: each free page written, then the header
    for (const no of [6, 3, 9]) written[no] = encodeSpacePage(file.release(no), no, 17, 20n, PS);
    written[0] = writeHeaderPage({ ...file.header, flushedLsn: 20n }, 20n);
    writeFileSync(path, Buffer.concat(written));
    const again = reopen(path);
    expect(again.header.freeHead).toBe(9);
    expect(again.freePages).toBe(3);
    expect(again.readSync(9)).toEqual({ kind: 'free', next: 3, gen: 0 });
    expect([again.allocate(), again.allocate(), again.allocate()]).toEqual([9, 3, 6]);
    expect(again.allocate()).toBe(pages.length);
  });

  it(req(['INNODB-LIMIT-016'], 'unit', 'allocation past MAX_PAGE_NO is "table is full" (1114); a free page can still be reused'), () => {
    const { file } = make(10);
    file.header.pageCount = MAX_PAGE_NO;
    expect(file.allocate()).toBe(MAX_PAGE_NO); // the last page number there is (2^32 - 1 is FIL_NULL)
    let err: unknown;
    try {
      file.allocate();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlError);
    expect(err).toMatchObject({ errno: 1114, sqlState: 'HY000', message: "The table 'orders' is full" });
    expect(file.header.pageCount).toBe(MAX_PAGE_NO + 1); // unchanged by the refusal
    file.release(3);
    expect(file.allocate()).toBe(3);
    expect(() => file.allocate()).toThrow(SqlError);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'close is idempotent'), () => {
    const { file } = make(1);
    file.close();
    file.close();
  });
});

/**
 * The doublewrite file: a batch reaches its targets exactly (created, overwritten, cut to
 * size; or, for a sparse target, only its pages at their page numbers); a crash after the doublewrite phase or in the middle of the in-place phase (a torn
 * page) is repaired by recoverDoublewrite; an incomplete or corrupt batch is ignored; failures
 * reject, leaving targets untouched when they happen before the in-place phase; batches run
 * one at a time.
 */
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Doublewrite, recoverDoublewrite, type DoublewriteHooks } from '../../../../src/storage/innodb/fil/doublewrite.js';
import { doublewriteFileName } from '../../../../src/storage/innodb/fil/limits.js';
import { buildTablespaceImage, readTablespaceImage, type TablespaceMeta } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { verifyPage } from '../../../../src/storage/innodb/page/page.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-dblwr-');
const PS = 4096;

const meta = (spaceId: number): TablespaceMeta => ({
  spaceId,
  rowFormat: 'DYNAMIC',
  schema: 'db',
  name: `t${spaceId}`,
  tableId: spaceId,
  autoIncrement: null,
  nextRowId: 1n,
  extra: Buffer.alloc(0),
});

/** The sealed pages of a small table whose records all carry `tag`. */
function image(spaceId: number, tag: string, n = 60, lsn = 1n): Buffer[] {
  return buildTablespaceImage(meta(spaceId), Array.from({ length: n }, (_, i) => Buffer.from(`${tag}-${i}`.padEnd(100, '.'))), PS, lsn);
}

const crash = (): never => {
  throw new Error('simulated crash');
};

function setup(hooks: DoublewriteHooks = {}) {
  const dir = tempDir();
  mkdirSync(join(dir, 'db'));
  const a = join(dir, 'db', 'a.ibd');
  const b = join(dir, 'db', 'b.ibd');
  return { dir, a, b, dw: new Doublewrite(dir, PS, hooks) };
}

describe('Doublewrite.writeBatch', () => {
  it(req(['INNODB-DBLWR-101'], 'unit', 'writes every target in place: created, overwritten, and cut to its pages'), async () => {
    const { dir, a, b, dw } = setup();
    writeFileSync(b, Buffer.alloc(PS * 50, 7)); // longer than the new image
    const ia = image(1, 'a');
    const ib = image(2, 'b', 10);
    await dw.writeBatch([
      { path: a, pages: ia },
      { path: b, pages: ib },
    ]);
    expect(readFileSync(a).equals(Buffer.concat(ia))).toBe(true);
    expect(readFileSync(b).equals(Buffer.concat(ib))).toBe(true);
    expect(dw.path).toBe(join(dir, '#ib_4096_0.dblwr'));
    expect(existsSync(join(dir, doublewriteFileName(PS)))).toBe(true);
    // the batch is marked applied: recovery has nothing to do
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [] });
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'the doublewrite file holds the header, the pages in order and the end marker'), async () => {
    const { dir, a, dw } = setup();
    const ia = image(1, 'a', 5);
    await dw.writeBatch([{ path: a, pages: ia }]);
    const f = readFileSync(join(dir, '#ib_4096_0.dblwr'));
    expect(f.subarray(0, 7).toString('latin1')).toBe('RMDBLWR');
    expect(f[8]).toBe(2); // applied
    expect(f.readUInt32BE(16)).toBe(PS);
    expect(f[7]).toBe(2); // format version 2: targets carry a `placed` byte
    const len = Buffer.byteLength(a);
    expect(f.readUInt32BE(20)).toBe(32 + 2 + len + 4 + 1);
    expect(f.readUInt32BE(24)).toBe(1);
    expect(f.readUInt32BE(28)).toBe(ia.length);
    expect(f.readUInt16BE(32)).toBe(len);
    expect(f.subarray(34, 34 + len).toString()).toBe(a);
    expect(f.readUInt32BE(34 + len)).toBe(ia.length);
    expect(f[34 + len + 4]).toBe(0); // not placed: the whole file from page 0
    expect(f.length).toBe(PS + ia.length * PS + 16);
    expect(f.subarray(PS, PS + ia.length * PS).equals(Buffer.concat(ia))).toBe(true);
    expect(f.subarray(f.length - 16, f.length - 8).toString('latin1')).toBe('RMDBLEND');
    expect(f.readUInt32BE(f.length - 8)).toBe(f.readUInt32BE(12));
    // the checksum: crc32 of header bytes [16, header length), then of the pages
    expect(f.readUInt32BE(12)).toBe(crc32(Buffer.concat([f.subarray(16, f.readUInt32BE(20)), ...ia])));
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'a sparse target is stored with placed = 1 and its page numbers after the page count'), async () => {
    const { dir, a, b, dw } = setup();
    const ia = image(1, 'a', 5);
    writeFileSync(b, Buffer.concat(image(2, 'b', 200)));
    const ib = image(2, 'b2', 200);
    await dw.writeBatch([
      { path: a, pages: ia },
      { path: b, pages: [ib[5]!, ib[2]!], pageNos: [5, 2] },
    ]);
    const f = readFileSync(join(dir, '#ib_4096_0.dblwr'));
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    const headerLength = 32 + (2 + la + 4 + 1) + (2 + lb + 4 + 1 + 2 * 4);
    expect(f.readUInt32BE(20)).toBe(headerLength);
    expect(f.readUInt32BE(24)).toBe(2);
    expect(f.readUInt32BE(28)).toBe(ia.length + 2);
    let at = 32 + 2 + la + 4 + 1;
    expect(f.readUInt16BE(at)).toBe(lb);
    at += 2 + lb;
    expect(f.readUInt32BE(at)).toBe(2);
    expect(f[at + 4]).toBe(1); // placed
    expect([f.readUInt32BE(at + 5), f.readUInt32BE(at + 9)]).toEqual([5, 2]);
    expect(at + 13).toBe(headerLength);
    // the pages follow the header page, target after target, in the order given
    expect(f.subarray(PS, PS + (ia.length + 2) * PS).equals(Buffer.concat([...ia, ib[5]!, ib[2]!]))).toBe(true);
    expect(f.readUInt32BE(12)).toBe(crc32(Buffer.concat([f.subarray(16, headerLength), ...ia, ib[5]!, ib[2]!])));
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'a sparse target (pageNos) writes only those pages in place and leaves the others'), async () => {
    const { a, b, dw } = setup();
    const old = image(1, 'old', 200);
    const fresh = image(1, 'new', 200);
    writeFileSync(a, Buffer.concat(old));
    expect(old.length).toBeGreaterThan(8);
    const nos = [7, 3, 4, 5, old.length - 1];
    await dw.writeBatch([{ path: a, pages: nos.map((n) => fresh[n]!), pageNos: nos }]);
    const file = readFileSync(a);
    expect(file.length).toBe(old.length * PS); // not cut
    for (let n = 0; n < old.length; n++) {
      const want = nos.includes(n) ? fresh[n]! : old[n]!;
      expect({ n, same: file.subarray(n * PS, (n + 1) * PS).equals(want) }).toEqual({ n, same: true });
    }
    // past the end: the file grows to the page written (the gap reads as zeros), and a missing file is created
    const far = old.length + 3;
    await dw.writeBatch([
      { path: a, pages: [fresh[1]!], pageNos: [far] },
      { path: b, pages: [fresh[2]!], pageNos: [2] },
    ]);
    const grown = readFileSync(a);
    expect(grown.length).toBe((far + 1) * PS);
    expect(grown.subarray(far * PS).equals(fresh[1]!)).toBe(true);
    expect(grown.subarray(old.length * PS, far * PS).equals(Buffer.alloc((far - old.length) * PS))).toBe(true);
    const nb = readFileSync(b);
    expect(nb.length).toBe(3 * PS);
    expect(nb.subarray(2 * PS).equals(fresh[2]!)).toBe(true);
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'a sparse target whose page numbers do not match its pages is refused before any write'), async () => {
    const { a, dw } = setup();
    const pages = image(1, 'x', 5);
    await expect(dw.writeBatch([{ path: a, pages: pages.slice(0, 2), pageNos: [1] }])).rejects.toThrow(RangeError);
    expect(existsSync(a)).toBe(false);
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'pages of the wrong size and a bad page size are refused before any write'), async () => {
    const { a, dw } = setup();
    await expect(dw.writeBatch([{ path: a, pages: [Buffer.alloc(100)] }])).rejects.toThrow(RangeError);
    expect(existsSync(a)).toBe(false);
    expect(() => new Doublewrite(tempDir(), 1000)).toThrow(RangeError);
  });

  it(req(['INNODB-DBLWR-102'], 'unit', 'a failing in-place write (target is a directory) rejects, and later batches still run'), async () => {
    const { dir, a, dw } = setup();
    const bad = join(dir, 'db', 'dir.ibd');
    mkdirSync(bad);
    await expect(dw.writeBatch([{ path: bad, pages: image(1, 'x') }])).rejects.toMatchObject({ code: 'EISDIR' });
    await dw.writeBatch([{ path: a, pages: image(2, 'y') }]);
    expect(readFileSync(a).equals(Buffer.concat(image(2, 'y')))).toBe(true);
  });

  it(req(['INNODB-DBLWR-102'], 'unit', 'a failure before the in-place phase leaves every target untouched'), async () => {
    const { dir, a, b, dw } = setup();
    const old = Buffer.concat(image(1, 'old'));
    writeFileSync(a, old);
    mkdirSync(join(dir, '#ib_4096_0.dblwr')); // the doublewrite file cannot be opened
    await expect(dw.writeBatch([{ path: a, pages: image(1, 'new') }, { path: b, pages: image(2, 'new') }])).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readFileSync(a).equals(old)).toBe(true);
    expect(existsSync(b)).toBe(false);
  });

  it(req(['INNODB-DBLWR-101'], 'unit', 'concurrent batches run one at a time, in call order'), async () => {
    const events: string[] = [];
    let batch = 0;
    const { a, dw } = setup({
      afterDoublewrite: async () => {
        events.push(`dblwr ${++batch}`);
        await new Promise((r) => setTimeout(r, 5));
      },
      afterInPlace: () => void events.push(`in-place ${batch}`),
    });
    const writes = ['one', 'two', 'three'].map((tag) => dw.writeBatch([{ path: a, pages: image(1, tag) }]));
    await Promise.all(writes);
    expect(events).toEqual(['dblwr 1', 'in-place 1', 'dblwr 2', 'in-place 2', 'dblwr 3', 'in-place 3']);
    expect(readFileSync(a).equals(Buffer.concat(image(1, 'three')))).toBe(true);
  });
});

describe('recoverDoublewrite', () => {
  it(req(['INNODB-DBLWR-103'], 'unit', 'a crash after the doublewrite phase: recovery writes the batch in place'), async () => {
    const { dir, a, b, dw } = setup({ afterDoublewrite: crash });
    const old = Buffer.concat(image(1, 'old'));
    writeFileSync(a, old);
    const ia = image(1, 'new', 80, 5n);
    const ib = image(2, 'new', 3, 5n);
    await expect(dw.writeBatch([{ path: a, pages: ia }, { path: b, pages: ib }])).rejects.toThrow('simulated crash');
    expect(readFileSync(a).equals(old)).toBe(true); // nothing in place yet
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [a, b] });
    expect(readFileSync(a).equals(Buffer.concat(ia))).toBe(true);
    expect(readFileSync(b).equals(Buffer.concat(ib))).toBe(true);
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [] }); // marked applied
  });

  it(req(['INNODB-DBLWR-103'], 'unit', 'a torn page from a crash in the in-place phase is repaired'), async () => {
    const { dir, a, dw } = setup({ afterInPlace: crash });
    const pages = image(1, 'v2', 120, 9n);
    await expect(dw.writeBatch([{ path: a, pages }])).rejects.toThrow('simulated crash');
    // tear page 3: its first half is garbage, as if the crash stopped the write midway
    const file = readFileSync(a);
    file.fill(0xa5, 3 * PS, 3 * PS + PS / 2);
    writeFileSync(a, file);
    expect(verifyPage(file.subarray(3 * PS, 4 * PS), 3, 1)).toBe('checksum');
    expect(() => readTablespaceImage(file, { ignoreCorrupt: false })).toThrow();
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [a] });
    const repaired = readFileSync(a);
    expect(repaired.equals(Buffer.concat(pages))).toBe(true);
    expect(readTablespaceImage(repaired, { ignoreCorrupt: false }).records.length).toBe(120);
  });

  it(req(['INNODB-DBLWR-103'], 'unit', 'a pending sparse batch is replayed at its page numbers, mended torn pages and all'), async () => {
    const { dir, a, b, dw } = setup({ afterInPlace: crash });
    const old = image(1, 'old', 200, 3n);
    const fresh = image(1, 'new', 200, 8n);
    writeFileSync(a, Buffer.concat(old));
    const last = old.length - 1;
    expect(last).toBeGreaterThan(4);
    const nos = [0, 2, 3, last];
    const full = image(2, 'whole', 10, 8n);
    await expect(
      dw.writeBatch([
        { path: a, pages: nos.map((n) => fresh[n]!), pageNos: nos },
        { path: b, pages: full },
      ]),
    ).rejects.toThrow('simulated crash');
    // the crash tore page 3 of a, and the in-place write of its last page never happened
    const file = readFileSync(a);
    file.fill(0x5a, 3 * PS + 100, 3 * PS + PS / 2);
    old[last]!.copy(file, last * PS);
    writeFileSync(a, file);
    expect(verifyPage(file.subarray(3 * PS, 4 * PS), 3, 1)).toBe('checksum');
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [a, b] });
    const repaired = readFileSync(a);
    expect(repaired.length).toBe(old.length * PS);
    for (let n = 0; n < old.length; n++) {
      const want = nos.includes(n) ? fresh[n]! : old[n]!;
      expect({ n, same: repaired.subarray(n * PS, (n + 1) * PS).equals(want) }).toEqual({ n, same: true });
    }
    expect(readFileSync(b).equals(Buffer.concat(full))).toBe(true);
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [] }); // marked applied
  });

  it(req(['INNODB-DBLWR-103'], 'unit', 'an incomplete batch (cut anywhere) is ignored and the targets are left alone'), async () => {
    const { dir, a, dw } = setup({ afterDoublewrite: crash });
    const old = Buffer.concat(image(1, 'old'));
    writeFileSync(a, old);
    await expect(dw.writeBatch([{ path: a, pages: image(1, 'new') }])).rejects.toThrow('simulated crash');
    const dblwr = join(dir, '#ib_4096_0.dblwr');
    const full = readFileSync(dblwr);
    for (const len of [0, 1, 31, PS, PS + 1, full.length - PS, full.length - 16, full.length - 1]) {
      writeFileSync(dblwr, full.subarray(0, len));
      expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [] });
      expect(readFileSync(a).equals(old)).toBe(true);
    }
  });

  it(req(['INNODB-DBLWR-103'], 'unit', 'a batch whose bytes changed fails its checksum and is ignored'), async () => {
    const { dir, a, dw } = setup({ afterDoublewrite: crash });
    await expect(dw.writeBatch([{ path: a, pages: image(1, 'new') }])).rejects.toThrow();
    const dblwr = join(dir, '#ib_4096_0.dblwr');
    const full = readFileSync(dblwr);
    for (const at of [13, 17, 40, PS + 10, full.length - 16 - PS + 50, full.length - 10]) {
      const f = Buffer.from(full);
      f[at] ^= 0x10;
      writeFileSync(dblwr, f);
      expect({ at, ...(await recoverDoublewrite(dir, PS)) }).toEqual({ at, applied: [] });
    }
    expect(existsSync(a)).toBe(false);
  });

  it(req(['INNODB-DBLWR-103'], 'unit', 'no doublewrite file, or one for another page size, means nothing to do'), async () => {
    const dir = tempDir();
    expect(await recoverDoublewrite(dir, PS)).toEqual({ applied: [] });
    const { dir: d2, a, dw } = setup({ afterDoublewrite: crash });
    await expect(dw.writeBatch([{ path: a, pages: image(1, 'x') }])).rejects.toThrow();
    expect(await recoverDoublewrite(d2, 8192)).toEqual({ applied: [] });
    expect(statSync(join(d2, '#ib_4096_0.dblwr')).size).toBeGreaterThan(0);
    truncateSync(join(d2, '#ib_4096_0.dblwr'), 0);
    expect(await recoverDoublewrite(d2, PS)).toEqual({ applied: [] });
  });
});

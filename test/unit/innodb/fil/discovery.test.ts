/**
 * Tablespace discovery: .ibd files in the scanned directories and their schema subdirectories
 * are found by space id from page 0; deeper files and other names are not scanned; unreadable
 * files, damaged headers, missing directories and duplicate space ids are reported as problems.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverTablespaces } from '../../../../src/storage/innodb/fil/discovery.js';
import { buildTablespaceImage } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { req } from '../../../helpers/req.js';
import { tempDirs } from '../../../helpers/temp-dir.js';

const tempDir = tempDirs('refmysql-discovery-');

function ibd(path: string, spaceId: number, name: string, pageSize = 16384): void {
  const meta = { spaceId, rowFormat: 'DYNAMIC', schema: 'db', name, tableId: spaceId, autoIncrement: null, nextRowId: 1n, extra: Buffer.alloc(0) };
  writeFileSync(path, Buffer.concat(buildTablespaceImage(meta, [Buffer.from('row')], pageSize, 3n)));
}

describe('discoverTablespaces', () => {
  it(req(['INNODB-REC-011', 'INNODB-REC-030'], 'unit', 'finds .ibd files in each directory and its schema subdirectories'), async () => {
    const datadir = tempDir();
    const extra = tempDir();
    mkdirSync(join(datadir, 'db1'));
    mkdirSync(join(datadir, 'db2'));
    mkdirSync(join(datadir, 'db1', 'deeper'));
    ibd(join(datadir, 'db1', 't1.ibd'), 5, 't1');
    ibd(join(datadir, 'db2', 't2.ibd'), 6, 't2', 4096);
    ibd(join(datadir, 'top.ibd'), 7, 'top');
    ibd(join(datadir, 'db1', 'deeper', 't3.ibd'), 8, 't3'); // two levels down: not scanned
    ibd(join(datadir, 'db1', 't9.ibd.bak'), 9, 't9'); // not a .ibd name
    writeFileSync(join(datadir, 'db1', 't1.frm'), 'x');
    ibd(join(extra, 'ext.ibd'), 10, 'ext');
    const { found, problems } = await discoverTablespaces([datadir, extra, datadir]);
    expect(problems).toEqual([]);
    expect([...found.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 10]);
    expect(found.get(5)).toMatchObject({ path: join(datadir, 'db1', 't1.ibd'), header: { name: 't1', spaceId: 5, flushedLsn: 3n, pageSize: 16384 } });
    expect(found.get(6)!.header.pageSize).toBe(4096);
    expect(found.get(10)!.path).toBe(join(extra, 'ext.ibd'));
  });

  it(req(['INNODB-REC-011'], 'unit', 'a duplicate space id is a problem naming both files; the first file found keeps the id'), async () => {
    const datadir = tempDir();
    mkdirSync(join(datadir, 'a'));
    mkdirSync(join(datadir, 'b'));
    ibd(join(datadir, 'a', 't.ibd'), 5, 't');
    ibd(join(datadir, 'b', 'copy.ibd'), 5, 'copy');
    const { found, problems } = await discoverTablespaces([datadir]);
    expect(found.get(5)!.path).toBe(join(datadir, 'a', 't.ibd'));
    expect(problems).toEqual([{ path: join(datadir, 'b', 'copy.ibd'), error: expect.stringContaining(join(datadir, 'a', 't.ibd')) }]);
  });

  it(req(['INNODB-REC-011'], 'unit', 'damaged or empty files and missing directories are problems, not crashes'), async () => {
    const datadir = tempDir();
    mkdirSync(join(datadir, 'db'));
    ibd(join(datadir, 'db', 'ok.ibd'), 11, 'ok');
    writeFileSync(join(datadir, 'db', 'empty.ibd'), '');
    writeFileSync(join(datadir, 'db', 'junk.ibd'), Buffer.alloc(16384, 0x77));
    const missing = join(datadir, 'no-such-dir');
    const { found, problems } = await discoverTablespaces([datadir, missing]);
    expect([...found.keys()]).toEqual([11]);
    expect(problems.map((p) => p.path).sort()).toEqual([join(datadir, 'db', 'empty.ibd'), join(datadir, 'db', 'junk.ibd'), missing].sort());
    for (const p of problems) expect(p.error).not.toBe('');
  });
});

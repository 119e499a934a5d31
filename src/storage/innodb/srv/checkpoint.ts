/**
 * Checkpoints (the page cleaner's work): bring each changed table's B+trees up to date with its
 * committed rows, write the pages that changed through the doublewrite file, then move the redo
 * log's checkpoint so the log before it can be dropped.
 *
 * The capture is one synchronous turn at a known LSN: every transaction whose commit record is
 * at or below it is in the capture and none after it (commits append their record and become
 * committed in the same turn). For each table, the records changed since its last checkpoint
 * are applied to its trees through the buffer pool, a record at a time; the dirty pages are
 * written in batches so that a checkpoint never holds more dirty pages than half the pool.
 * Every batch carries the tablespace header (page 0) and leaves a complete set of trees on
 * disk; only the last one moves the header's flushed LSN to the capture LSN. The redo of a
 * change is idempotent (a whole row image put under its key, or a key removed), so a crash
 * between two batches replays from the old flushed LSN over trees that already hold part of
 * it, and ends in the same state. The checkpoint LSN is the capture LSN, held back to the
 * prepare record of the oldest prepared transaction, whose rows are in no tablespace yet.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-checkpoints.html (15.11.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool-flushing.html (15.8.3.5)
 * @req INNODB-CKPT-101 INNODB-CKPT-102 INNODB-REC-013 INNODB-BUF-103
 */
import { encodeSdi } from '../dict/sdi.js';
import type { Doublewrite } from '../fil/doublewrite.js';
import { blobCapacity, decodeSpacePage, encodeSpacePage, writeHeaderPage, type BlobPage, type SpacePage } from '../fil/tablespace-image.js';
import type { BufferPool } from '../buf/buf-pool.js';
import type { CapturedChange } from '../index/innodb-table.js';
import { FIL_NULL } from '../page/limits.js';
import { CHECKPOINT_ENCODE_BATCH } from './limits.js';
import type { Space } from './spaces.js';

export interface CheckpointTarget {
  space: Space;
  changes: CapturedChange[];
  autoInc: bigint;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The table's SDI, rewritten into a new BLOB chain when the definition changed (rename, import). */
function refreshSdi(space: Space, pool: BufferPool<SpacePage>): void {
  const disk = space.table.disk!;
  const file = disk.file;
  const sdi = encodeSdi(space.table.def);
  if (file.sdi && file.sdi.equals(sdi)) return;
  const h = file.header;
  // The old chain's pages are known without reading them: they were allocated together.
  const cap = blobCapacity(file.pageSize);
  const pages: { no: number; page: BlobPage }[] = [];
  for (let at = 0; at < sdi.length; at += cap) pages.push({ no: file.allocate(), page: { kind: 'blob', data: sdi.subarray(at, at + cap), next: FIL_NULL, gen: 0 } });
  pages.forEach((p, i) => {
    p.page.next = pages[i + 1]?.no ?? FIL_NULL;
    pool.create(file.spaceId, p.no, p.page);
  });
  if (file.sdiPages) for (const no of file.sdiPages) pool.put(file.spaceId, no, file.release(no));
  h.sdiPage = pages[0]?.no ?? FIL_NULL;
  h.sdiLength = sdi.length;
  file.sdi = sdi;
  file.sdiPages = pages.map((p) => p.no);
}

/** Write the space's dirty pages and its header at `flushedLsn`, stamped with `lsn`. */
async function writeBatch(space: Space, pool: BufferPool<SpacePage>, dblwr: Doublewrite, lsn: bigint, flushedLsn: bigint): Promise<void> {
  const disk = space.table.disk!;
  const file = disk.file;
  const dirty = disk.dirtyPages();
  const h = file.header;
  h.flushedLsn = flushedLsn;
  const pages = [writeHeaderPage(h, lsn)];
  const pageNos = [0];
  for (const d of dirty) {
    pages.push(encodeSpacePage(d.page, d.pageNo, file.spaceId, lsn, file.pageSize));
    pageNos.push(d.pageNo);
  }
  await dblwr.writeBatch([{ path: file.path, pages, pageNos }]);
  pool.written(file.spaceId, dirty);
  // The pages stay in the pool as decoded from the bytes just written: one allocation per page
  // instead of the many small buffers the changes were made of (which pin memory long after).
  for (let i = 0; i < dirty.length; i++) {
    const d = dirty[i]!;
    if (d.page.kind === 'leaf' || d.page.kind === 'node') pool.refresh(file.spaceId, d.pageNo, d.page, decodeSpacePage(pages[i + 1]!, d.pageNo, file.spaceId, file.path));
  }
}

/**
 * Apply one table's capture and write it. `dirtyLimit`: write a batch once this many pages are
 * dirty. The header's counters (auto-increment, next row id) are the capture's.
 */
export async function checkpointSpace(t: CheckpointTarget, pool: BufferPool<SpacePage>, dblwr: Doublewrite, lsn: bigint, nextRowId: bigint, dirtyLimit: number): Promise<void> {
  const { space } = t;
  const disk = space.table.disk!;
  const h = disk.file.header;
  const def = space.table.def;
  h.autoIncrement = def.columns.some((c) => c.autoIncrement) ? t.autoInc : null;
  h.nextRowId = nextRowId;
  h.schema = def.schema;
  h.name = def.name;
  h.rowFormat = space.table.rowFormat;
  refreshSdi(space, pool);
  const before = space.flushedLsn;
  for (let i = 0; i < t.changes.length; i++) {
    await disk.apply(t.changes[i]!);
    if (pool.dirtyPages >= dirtyLimit) await writeBatch(space, pool, dblwr, lsn, before);
    else if (i % CHECKPOINT_ENCODE_BATCH === CHECKPOINT_ENCODE_BATCH - 1) await turn();
  }
  await writeBatch(space, pool, dblwr, lsn, lsn);
}

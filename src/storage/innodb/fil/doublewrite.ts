/**
 * The doublewrite file (`#ib_<page size>_0.dblwr` in the data directory). A page write can be
 * torn by a crash: part of the page new, part old, and no redo record can rebuild a page that
 * is neither. So every batch of page writes goes first, complete and synced, to the doublewrite
 * file; only then are the pages written in place. After a crash, a complete batch in the file is
 * written in place again, repairing any page the crash tore; a batch that is not complete in the
 * file is ignored, since no in-place write of it had begun.
 *
 * File layout (one batch; each batch replaces the previous one):
 *
 *      0 magic 'RMDBLWR'   7 format version u8   8 state u8 (1 pending, 2 applied)   9..11 zero
 *     12 batch checksum u32: crc32 of bytes [16, header length), then of every page, in order
 *     16 page size u32    20 header length u32   24 target count u32   28 page count u32
 *     32 targets: path (u16 length + UTF-8), page count u32, placed u8 (1: the page numbers
 *        follow, u32 each; 0: the pages are the whole file from page 0); repeated
 *        zero padding up to a page boundary
 *        the pages, target after target
 *        end marker, 16 bytes: 'RMDBLEND', batch checksum u32, page count u32
 *
 * The state byte is outside the checksum: marking a batch applied is a one-byte write.
 *
 * Callers run {@link recoverDoublewrite} at startup before the first {@link Doublewrite.writeBatch},
 * and keep a file out of DROP/RENAME while a batch that names it is in flight. When a batch is
 * rejected during the in-place phase it stays pending in the file: the next start repairs it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4 Doublewrite Buffer)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2 InnoDB Recovery)
 * @req INNODB-DBLWR-101 INNODB-DBLWR-102 INNODB-DBLWR-103
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { isValidPageSize } from '../page/limits.js';
import { ByteCursor, FormatError } from './byte-cursor.js';
import { syncDir, writeAll, writeFileInPlace, writeFully, writePagesAt } from './file-io.js';
import type { FileIoStats } from './io-stats.js';
import { DOUBLEWRITE_FORMAT_VERSION, DOUBLEWRITE_MAGIC, doublewriteFileName } from './limits.js';

/** One file's new contents: exactly these pages, from page 0; or, with `pageNos`, these pages
 *  written at those page numbers and the rest of the file left as it is. */
export interface DoublewriteTarget {
  path: string;
  pages: Buffer[];
  pageNos?: number[];
}

/** Test seams between the phases of a batch; a hook that throws stands for a crash there. */
export interface DoublewriteHooks {
  /** The batch is complete and synced in the doublewrite file; nothing written in place yet. */
  afterDoublewrite?: () => void | Promise<void>;
  /** Every target is written in place and synced; the batch is not yet marked applied. */
  afterInPlace?: () => void | Promise<void>;
}

const MAGIC = Buffer.from(DOUBLEWRITE_MAGIC, 'latin1');
const END_MAGIC = Buffer.from('RMDBLEND', 'latin1');
const STATE_OFFSET = 8;
const STATE_PENDING = 1;
const STATE_APPLIED = 2;
const CHECKSUM_OFFSET = 12;
const SUMMED_FROM = 16;
const FIXED_HEADER = 32;
const END_MARKER = 16;

function checksum(header: Buffer, headerLength: number, pages: Iterable<Buffer>): number {
  let sum = crc32(header.subarray(SUMMED_FROM, headerLength));
  for (const p of pages) sum = crc32(p, sum);
  return sum >>> 0;
}

function headerPagesFor(headerLength: number, pageSize: number): number {
  return Math.ceil(headerLength / pageSize);
}

function encodeBatch(targets: readonly DoublewriteTarget[], pageSize: number): { header: Buffer; end: Buffer } {
  const paths = targets.map((t) => Buffer.from(t.path, 'utf8'));
  const headerLength = FIXED_HEADER + targets.reduce((n, t, i) => n + 2 + paths[i]!.length + 4 + 1 + (t.pageNos ? 4 * t.pageNos.length : 0), 0);
  const total = targets.reduce((n, t) => n + t.pages.length, 0);
  if (total > 0xffffffff) throw new RangeError(`a doublewrite batch of ${total} pages is too large`);
  const header = Buffer.alloc(headerPagesFor(headerLength, pageSize) * pageSize);
  const c = new ByteCursor(header);
  c.putBytes(MAGIC);
  c.putU8(DOUBLEWRITE_FORMAT_VERSION);
  c.putU8(STATE_PENDING);
  c.putBytes(Buffer.alloc(3));
  c.putU32(0); // the checksum, once the rest is written
  c.putU32(pageSize);
  c.putU32(headerLength);
  c.putU32(targets.length);
  c.putU32(total);
  targets.forEach((t, i) => {
    c.putBytes16(paths[i]!);
    c.putU32(t.pages.length);
    c.putU8(t.pageNos ? 1 : 0);
    if (t.pageNos) {
      if (t.pageNos.length !== t.pages.length) throw new RangeError(`doublewrite target '${t.path}' has ${t.pages.length} pages and ${t.pageNos.length} page numbers`);
      for (const no of t.pageNos) c.putU32(no);
    }
  });
  const sum = checksum(header, headerLength, targets.flatMap((t) => t.pages));
  header.writeUInt32BE(sum, CHECKSUM_OFFSET);
  const end = Buffer.alloc(END_MARKER);
  END_MAGIC.copy(end, 0);
  end.writeUInt32BE(sum, 8);
  end.writeUInt32BE(total, 12);
  return { header, end };
}

/** A complete, checksum-valid, pending batch in `file`, or null (anything else is ignored). */
function decodeBatch(file: Buffer, pageSize: number): DoublewriteTarget[] | null {
  try {
    const c = new ByteCursor(file);
    if (!c.bytes(MAGIC.length).equals(MAGIC)) return null;
    if (c.u8() !== DOUBLEWRITE_FORMAT_VERSION || c.u8() !== STATE_PENDING) return null;
    c.bytes(3);
    const sum = c.u32();
    if (c.u32() !== pageSize) return null;
    const headerLength = c.u32();
    const count = c.u32();
    const total = c.u32();
    if (headerLength < FIXED_HEADER || headerLength > file.length) return null;
    const body = new ByteCursor(file.subarray(0, headerLength), FIXED_HEADER);
    const list: { path: string; n: number; pageNos?: number[] }[] = [];
    let pages = 0;
    for (let i = 0; i < count; i++) {
      const path = body.str16();
      const n = body.u32();
      const placed = body.u8();
      if (placed > 1) return null;
      const pageNos = placed ? Array.from({ length: n }, () => body.u32()) : undefined;
      list.push(pageNos ? { path, n, pageNos } : { path, n });
      pages += n;
    }
    if (body.pos !== headerLength || pages !== total) return null;
    const start = headerPagesFor(headerLength, pageSize) * pageSize;
    const endAt = start + total * pageSize;
    if (file.length < endAt + END_MARKER) return null; // the batch never finished reaching the file
    const end = file.subarray(endAt, endAt + END_MARKER);
    if (!end.subarray(0, 8).equals(END_MAGIC) || end.readUInt32BE(8) !== sum || end.readUInt32BE(12) !== total) return null;
    let at = start;
    const targets = list.map(({ path, n, pageNos }) => {
      const t: DoublewriteTarget = pageNos ? { path, pages: [], pageNos } : { path, pages: [] };
      for (let k = 0; k < n; k++, at += pageSize) t.pages.push(file.subarray(at, at + pageSize));
      return t;
    });
    if (checksum(file, headerLength, targets.flatMap((t) => t.pages)) !== sum) return null;
    return targets;
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

async function markApplied(fh: FileHandle, io?: FileIoStats): Promise<void> {
  await writeFully(fh, Buffer.of(STATE_APPLIED), STATE_OFFSET, io);
  await (io ? io.sync(() => fh.datasync()) : fh.datasync());
}

/** @req INNODB-DBLWR-101 INNODB-DBLWR-102 */
export class Doublewrite {
  readonly path: string;
  /** Batches run one at a time, in call order. */
  private chain: Promise<unknown> = Promise.resolve();
  private dirSynced = false;

  constructor(
    readonly dir: string,
    readonly pageSize: number,
    private readonly hooks: DoublewriteHooks = {},
    /** Counts the batch's writes and fsyncs (the monitor's FILE I/O, Innodb_data_*, Innodb_dblwr_*). */
    private readonly io?: FileIoStats,
  ) {
    if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
    this.path = join(dir, doublewriteFileName(pageSize));
  }

  /**
   * Write every target's pages durably: to the doublewrite file (synced), then in place (each
   * file created if missing, written from page 0, cut to its pages, synced), then mark the batch
   * applied. Rejects with the fs error (ENOSPC, EIO, EISDIR, ...); a failure before the in-place
   * phase leaves every target file as it was.
   */
  writeBatch(targets: readonly DoublewriteTarget[]): Promise<void> {
    const run = this.chain.then(() => this.write(targets));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(targets: readonly DoublewriteTarget[]): Promise<void> {
    for (const t of targets) {
      if (t.path === '') throw new RangeError('doublewrite target without a path');
      for (const p of t.pages) if (p.length !== this.pageSize) throw new RangeError(`page of ${p.length} bytes for '${t.path}', expected ${this.pageSize}`);
    }
    const { header, end } = encodeBatch(targets, this.pageSize);
    const fh = await open(this.path, 'w');
    const io = this.io;
    try {
      let pos = await writeAll(fh, [header], 0, io);
      for (const t of targets) pos = await writeAll(fh, t.pages, pos, io);
      await writeFully(fh, end, pos, io);
      await (io ? io.sync(() => fh.sync()) : fh.sync());
      if (io) {
        io.doublewriteBatches++;
        for (const t of targets) io.doublewritePages += t.pages.length;
      }
      if (!this.dirSynced) {
        await syncDir(this.dir, io);
        this.dirSynced = true;
      }
      await this.hooks.afterDoublewrite?.();
      for (const t of targets) await (t.pageNos ? writePagesAt(t.path, t.pages, t.pageNos, io) : writeFileInPlace(t.path, t.pages, io));
      await this.hooks.afterInPlace?.();
      await markApplied(fh, io);
    } finally {
      await fh.close();
    }
  }
}

/**
 * Startup repair: if the doublewrite file for `pageSize` in `dir` holds a complete, valid batch
 * not yet marked applied, write it in place again (rewriting an intact page is harmless) and mark
 * it applied. Returns the paths written; none when the file is missing, incomplete, corrupt or
 * already applied.
 * @req INNODB-DBLWR-103
 */
export async function recoverDoublewrite(dir: string, pageSize: number): Promise<{ applied: string[] }> {
  if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
  const path = join(dir, doublewriteFileName(pageSize));
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { applied: [] };
    throw e;
  }
  const targets = decodeBatch(file, pageSize);
  if (!targets) return { applied: [] };
  for (const t of targets) await (t.pageNos ? writePagesAt(t.path, t.pages, t.pageNos) : writeFileInPlace(t.path, t.pages));
  const fh = await open(path, 'r+');
  try {
    await markApplied(fh);
  } finally {
    await fh.close();
  }
  return { applied: targets.map((t) => t.path) };
}

/**
 * The file operations the tablespace layer needs for durability: writing whole buffers (a
 * short write is retried, never silently dropped), writing a file's pages in place, and
 * syncing a directory so that a file created in it survives a crash.
 *
 * Every function takes an optional {@link FileIoStats} that counts its write and fsync calls
 * (the monitor's FILE I/O section).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4 Doublewrite Buffer)
 * @req INNODB-DBLWR-101 INNODB-MON-010
 */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileIoStats } from './io-stats.js';

/** Pages are gathered into writes of about this many bytes. */
const WRITE_CHUNK = 1 << 20;

/** Write all of `buf` at `pos`. */
export async function writeFully(fh: FileHandle, buf: Buffer, pos: number, io?: FileIoStats): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const call = (): Promise<{ bytesWritten: number }> => fh.write(buf, off, buf.length - off, pos + off);
    const { bytesWritten } = io ? await io.write(buf.length - off, call) : await call();
    if (bytesWritten <= 0) throw Object.assign(new Error(`short write at offset ${pos + off}`), { code: 'EIO' });
    off += bytesWritten;
  }
}

/** Write `bufs` one after another from `pos`; returns the position after them. */
export async function writeAll(fh: FileHandle, bufs: readonly Buffer[], pos: number, io?: FileIoStats): Promise<number> {
  for (let i = 0; i < bufs.length; ) {
    const group: Buffer[] = [];
    let bytes = 0;
    while (i < bufs.length && (group.length === 0 || bytes + bufs[i]!.length <= WRITE_CHUNK)) {
      bytes += bufs[i]!.length;
      group.push(bufs[i++]!);
    }
    await writeFully(fh, group.length === 1 ? group[0]! : Buffer.concat(group, bytes), pos, io);
    pos += bytes;
  }
  return pos;
}

/** fsync a directory, so that files created or renamed in it are durable (best effort where unsupported). */
export async function syncDir(dir: string, io?: FileIoStats): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EPERM') return;
    throw e;
  }
  try {
    await (io ? io.sync(() => fh.sync()) : fh.sync());
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EBADF' && code !== 'EPERM') throw e;
  } finally {
    await fh.close();
  }
}

/** Open `path` for writing in place, creating it when missing (`created` says so). */
async function openForWrite(path: string): Promise<{ fh: FileHandle; created: boolean }> {
  try {
    return { fh: await open(path, 'r+'), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { fh: await open(path, 'w+'), created: true };
  }
}

/**
 * Make the file at `path` hold exactly `pages`: create it when missing, write every page from
 * offset 0, cut it to their length, fsync it, and fsync its directory when it was created.
 */
export async function writeFileInPlace(path: string, pages: readonly Buffer[], io?: FileIoStats): Promise<void> {
  const { fh, created } = await openForWrite(path);
  try {
    const end = await writeAll(fh, pages, 0, io);
    await fh.truncate(end);
    await (io ? io.sync(() => fh.sync()) : fh.sync());
  } finally {
    await fh.close();
  }
  if (io) io.pagesWritten += pages.length;
  if (created) await syncDir(dirname(path), io);
}

/**
 * Write `pages` at their page numbers into the file at `path` (created when missing), leaving
 * every other page as it is, then fsync it (and its directory when it was created).
 */
export async function writePagesAt(path: string, pages: readonly Buffer[], pageNos: readonly number[], io?: FileIoStats): Promise<void> {
  const { fh, created } = await openForWrite(path);
  try {
    // Runs of consecutive page numbers go in one write call.
    for (let i = 0; i < pages.length; ) {
      let j = i + 1;
      while (j < pages.length && pageNos[j] === pageNos[j - 1]! + 1) j++;
      await writeAll(fh, pages.slice(i, j), pageNos[i]! * pages[i]!.length, io);
      i = j;
    }
    await (io ? io.sync(() => fh.sync()) : fh.sync());
  } finally {
    await fh.close();
  }
  if (io) io.pagesWritten += pages.length;
  if (created) await syncDir(dirname(path), io);
}

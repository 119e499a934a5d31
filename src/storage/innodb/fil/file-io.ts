/**
 * The file operations the tablespace layer needs for durability: writing whole buffers (a
 * short write is retried, never silently dropped), writing a file's pages in place, and
 * syncing a directory so that a file created in it survives a crash.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4 Doublewrite Buffer)
 * @req INNODB-DBLWR-101
 */
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Pages are gathered into writes of about this many bytes. */
const WRITE_CHUNK = 1 << 20;

/** Write all of `buf` at `pos`. */
export async function writeFully(fh: FileHandle, buf: Buffer, pos: number): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off, pos + off);
    if (bytesWritten <= 0) throw Object.assign(new Error(`short write at offset ${pos + off}`), { code: 'EIO' });
    off += bytesWritten;
  }
}

/** Write `bufs` one after another from `pos`; returns the position after them. */
export async function writeAll(fh: FileHandle, bufs: readonly Buffer[], pos: number): Promise<number> {
  for (let i = 0; i < bufs.length; ) {
    const group: Buffer[] = [];
    let bytes = 0;
    while (i < bufs.length && (group.length === 0 || bytes + bufs[i]!.length <= WRITE_CHUNK)) {
      bytes += bufs[i]!.length;
      group.push(bufs[i++]!);
    }
    await writeFully(fh, group.length === 1 ? group[0]! : Buffer.concat(group, bytes), pos);
    pos += bytes;
  }
  return pos;
}

/** fsync a directory, so that files created or renamed in it are durable (best effort where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EPERM') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EBADF' && code !== 'EPERM') throw e;
  } finally {
    await fh.close();
  }
}

/**
 * Make the file at `path` hold exactly `pages`: create it when missing, write every page from
 * offset 0, cut it to their length, fsync it, and fsync its directory when it was created.
 */
export async function writeFileInPlace(path: string, pages: readonly Buffer[]): Promise<void> {
  let created = false;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fh = await open(path, 'w+');
    created = true;
  }
  try {
    const end = await writeAll(fh, pages, 0);
    await fh.truncate(end);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (created) await syncDir(dirname(path));
}

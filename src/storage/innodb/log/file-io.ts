/**
 * The file operations the redo log needs, behind a small interface so that tests can put a
 * failing disk under the log (EIO on fsync, ENOSPC on write) and check that it stops instead
 * of carrying on. {@link nodeLogFileIo} is the real implementation on node:fs/promises.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-LOG-106
 */
import { open, mkdir, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';

/** An open redo file. Positions are byte offsets in the file. */
export interface LogFileHandle {
  /** Reads into `buffer` from `position` until it is full or the file ends; the bytes read. */
  read(buffer: Buffer, position: number): Promise<number>;
  /** Writes all of `buffer` at `position`. */
  write(buffer: Buffer, position: number): Promise<void>;
  /** fsync: the file's data and size are on stable storage when this resolves. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/**
 * How a file is opened: 'read' an existing file read-only, 'readwrite' an existing file,
 * 'create' a new empty file (emptying one that exists).
 */
export type LogFileMode = 'read' | 'readwrite' | 'create';

/** The file-system operations of the redo log. */
export interface LogFileIo {
  open(path: string, mode: LogFileMode): Promise<LogFileHandle>;
  /** The names in `dir`, or null when it does not exist. */
  readdir(dir: string): Promise<string[] | null>;
  /** Creates `dir` and its parents when missing. */
  mkdir(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a file that is already gone is not an error. */
  unlink(path: string): Promise<void>;
  /** fsync of a directory, so that created, renamed and removed names are durable. */
  syncDir(dir: string): Promise<void>;
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

class NodeLogFile implements LogFileHandle {
  constructor(private readonly fh: FileHandle) {}

  async read(buffer: Buffer, position: number): Promise<number> {
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await this.fh.read(buffer, done, buffer.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  async write(buffer: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < buffer.length) {
      const { bytesWritten } = await this.fh.write(buffer, done, buffer.length - done, position + done);
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.fh.sync();
  }

  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.fh.stat()).size;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

const FLAGS: Record<LogFileMode, string> = { read: 'r', readwrite: 'r+', create: 'w+' };

/** The redo log's file operations on the real file system. */
export const nodeLogFileIo: LogFileIo = {
  async open(path, mode) {
    return new NodeLogFile(await open(path, FLAGS[mode]));
  },
  async readdir(dir) {
    try {
      return await readdir(dir);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return null;
      throw e;
    }
  },
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  rename(from, to) {
    return rename(from, to);
  },
  async unlink(path) {
    try {
      await unlink(path);
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
  },
  async syncDir(dir) {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

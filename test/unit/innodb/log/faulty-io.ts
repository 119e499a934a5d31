/**
 * A LogFileIo for tests: the real file system underneath, with switches that make fsync or
 * write fail with an errno code, an optional delay on every fsync (to hold a group-commit
 * round open), and counters of the calls that reached the disk.
 */
import { nodeLogFileIo, type LogFileHandle, type LogFileIo } from '../../../../src/storage/innodb/log/file-io.js';

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected failure`), { code });
}

export class FaultyIo implements LogFileIo {
  /** errno code fsync fails with, or null. */
  failSync: string | null = null;
  /** errno code write fails with, or null. */
  failWrite: string | null = null;
  /** Milliseconds every fsync of a file takes. */
  syncDelayMs = 0;
  /** fsyncs of files that reached the real disk. */
  syncCalls = 0;
  /** writes that reached the real disk. */
  writeCalls = 0;

  async open(path: string, mode: 'read' | 'readwrite' | 'create'): Promise<LogFileHandle> {
    const inner = await nodeLogFileIo.open(path, mode);
    return {
      read: (buffer, position) => inner.read(buffer, position),
      write: async (buffer, position) => {
        if (this.failWrite !== null) throw errno(this.failWrite);
        this.writeCalls++;
        await inner.write(buffer, position);
      },
      sync: async () => {
        if (this.syncDelayMs > 0) await new Promise((r) => setTimeout(r, this.syncDelayMs));
        if (this.failSync !== null) throw errno(this.failSync);
        this.syncCalls++;
        await inner.sync();
      },
      truncate: (length) => inner.truncate(length),
      size: () => inner.size(),
      close: () => inner.close(),
    };
  }

  readdir(dir: string): Promise<string[] | null> {
    return nodeLogFileIo.readdir(dir);
  }

  mkdir(dir: string): Promise<void> {
    return nodeLogFileIo.mkdir(dir);
  }

  rename(from: string, to: string): Promise<void> {
    return nodeLogFileIo.rename(from, to);
  }

  unlink(path: string): Promise<void> {
    return nodeLogFileIo.unlink(path);
  }

  async syncDir(dir: string): Promise<void> {
    if (this.failSync !== null) throw errno(this.failSync);
    await nodeLogFileIo.syncDir(dir);
  }
}

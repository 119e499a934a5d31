/**
 * An append-only file of small records, the building block of the dictionary journal and the
 * DDL log. Each record is one line, `<crc32 as 8 hex digits> <JSON>\n`, so a reader can tell a
 * whole record from one that a crash cut short: the first line that is incomplete or fails its
 * checksum ends the valid part, and opening the file cuts that torn tail off (otherwise later
 * appends would land behind garbage).
 *
 * Appends are serialised in call order. `append(records, true)` returns once the records are on
 * disk (fdatasync); `append(records, false)` only orders them: they reach the disk with the next
 * synced append at the latest, because syncing a file flushes every earlier write to it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-DICT-001 CORE-DICT-004
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDir } from '../util/atomic-file.js';

/** One encoded line (with its newline). */
export function encodeRecord(record: unknown): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/**
 * The records of a journal text and the length of its valid prefix. A line without its newline,
 * with a wrong checksum or with text that is not JSON ends the valid part.
 */
export function decodeRecords(text: string): { records: unknown[]; validLength: number } {
  const records: unknown[] = [];
  let pos = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl);
    if (line.length < 10 || line[8] !== ' ') break;
    const json = line.slice(9);
    if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) break;
    try {
      records.push(JSON.parse(json));
    } catch {
      break;
    }
    pos = nl + 1;
  }
  return { records, validLength: Buffer.byteLength(text.slice(0, pos), 'utf8') };
}

export class JournalFile {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private size: number,
  ) {}

  /** Open (creating it durably when absent) and read the valid records; a torn tail is cut off. */
  static async open(path: string): Promise<{ journal: JournalFile; records: unknown[] }> {
    let text = '';
    let existed = true;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
      existed = false;
    }
    const { records, validLength } = decodeRecords(text);
    if (!existed || validLength !== Buffer.byteLength(text, 'utf8')) {
      await withFile(path, async (fh) => {
        await fh.truncate(validLength);
        await fh.sync();
      });
      if (!existed) await syncDir(dirname(path));
    }
    return { journal: new JournalFile(path, validLength), records };
  }

  /** Bytes of valid records in the file. */
  get bytes(): number {
    return this.size;
  }

  /** Append records in call order; with `sync`, resolve once they are durable. */
  append(records: readonly unknown[], sync: boolean): Promise<void> {
    const text = records.map(encodeRecord).join('');
    return this.enqueue(() =>
      withFile(this.path, async (fh) => {
        const buf = Buffer.from(text, 'utf8');
        let off = 0;
        while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
        this.size += buf.length;
        if (sync) await fh.datasync();
      }),
    );
  }

  /** Empty the file (its records are no longer needed) and make that durable. */
  reset(): Promise<void> {
    return this.enqueue(() =>
      withFile(this.path, async (fh) => {
        await fh.truncate(0);
        await fh.sync();
        this.size = 0;
      }),
    );
  }

  /** Wait for queued appends; later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/**
 * Run `work` on the file opened for appending, and close it. The file is not kept open between
 * operations: a journal whose owner is dropped without close() leaves no descriptor behind.
 */
async function withFile(path: string, work: (fh: FileHandle) => Promise<void>): Promise<void> {
  const fh = await open(path, 'a', 0o640);
  try {
    await work(fh);
  } finally {
    await fh.close();
  }
}

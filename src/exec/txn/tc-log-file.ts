/**
 * A file transaction-coordinator log in the data directory (`tc.log`, `--log-tc`), used when
 * more than one two-phase-commit engine is installed and no binary log takes the role. MySQL
 * memory-maps a page-structured file; ours is an append-only text file of our own format:
 *
 *     refmysql tc.log 1
 *     C <crc32 of the rest, 8 hex digits> <xid key> <xid key> ...
 *
 * One `C` line per group-commit batch. A line cut short by a crash (no newline) or whose
 * checksum does not match ends the readable log: its transactions were never acknowledged, so
 * recovery rolls them back. Once every logged transaction has completed in every engine and the
 * file has grown past --log-tc-size, it is cut back to its header; recovery empties it too.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-options.html#option_mysqld_log-tc
 * @req CORE-TXN-033
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { xidKey, type Xid } from '../../kernel/xid.js';
import { TC_LOG_DEFAULT_SIZE, TC_LOG_MIN_SIZE } from './limits.js';
import type { TcLog } from './tc-log.js';

const HEADER = 'refmysql tc.log 1\n';
const HEADER_BYTES = Buffer.byteLength(HEADER);

/** The log file is not one of ours (MySQL: "Bad magic header in tc log"). */
export class TcLogFormatError extends Error {}

function checksum(text: string): string {
  return crc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0');
}

/** The XID keys of the intact records of a log file's text. */
export function parseTcLog(text: string): Set<string> {
  if (!text.startsWith(HEADER)) throw new TcLogFormatError('Bad magic header in tc log');
  const keys = new Set<string>();
  const body = text.slice(HEADER.length);
  let pos = 0;
  for (;;) {
    const nl = body.indexOf('\n', pos);
    if (nl < 0) break; // a torn last line: never synced, never acknowledged
    const m = /^C ([0-9a-f]{8}) (.*)$/.exec(body.slice(pos, nl));
    if (!m || checksum(m[2]!) !== m[1]) break;
    for (const k of m[2]!.split(' ')) if (k !== '') keys.add(k);
    pos = nl + 1;
  }
  return keys;
}

/** @req CORE-TXN-033 */
export class FileTcLog implements TcLog {
  private size: number;
  /** Records written whose transactions have not been forgotten yet. */
  private outstanding = 0;
  /** File operations run one at a time, in call order (a cut must never overtake a write). */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fh: FileHandle,
    private readonly logged: Set<string>,
    private readonly compactAt: number,
    size: number,
  ) {
    this.size = size;
  }

  /** Open (creating it when absent) the log at `path`; throws {@link TcLogFormatError} for a file that is not a tc.log of ours. */
  static async open(path: string, sizeLimit = TC_LOG_DEFAULT_SIZE): Promise<FileTcLog> {
    const fh = await open(path, 'a+');
    try {
      const text = (await fh.readFile()).toString('utf8');
      const limit = Math.max(sizeLimit, TC_LOG_MIN_SIZE);
      if (text.length === 0) {
        await fh.write(HEADER, null, 'utf8');
        await fh.sync();
        return new FileTcLog(fh, new Set(), limit, HEADER_BYTES);
      }
      return new FileTcLog(fh, parseTcLog(text), limit, Buffer.byteLength(text));
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async recover(): Promise<ReadonlySet<string>> {
    return new Set(this.logged);
  }

  write(batch: readonly Xid[]): Promise<void> {
    const keys = batch.map(xidKey).join(' ');
    const line = Buffer.from(`C ${checksum(keys)} ${keys}\n`, 'utf8');
    this.outstanding += batch.length;
    return this.serial(async () => {
      // The file is open for appending: every write lands at its end.
      await this.fh.write(line, 0, line.length, null);
      this.size += line.length;
    });
  }

  sync(): Promise<void> {
    return this.serial(() => this.fh.datasync());
  }

  forget(xids: readonly Xid[]): Promise<void> {
    this.outstanding = Math.max(0, this.outstanding - xids.length);
    return this.serial(async () => {
      if (this.outstanding === 0 && this.size >= this.compactAt) await this.cut();
    });
  }

  recovered(): Promise<void> {
    this.logged.clear();
    return this.serial(() => this.cut());
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.fh.close();
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Cut the file back to its header (nothing logged is needed any more). */
  private async cut(): Promise<void> {
    await this.fh.truncate(HEADER_BYTES);
    await this.fh.sync();
    this.size = HEADER_BYTES;
  }
}

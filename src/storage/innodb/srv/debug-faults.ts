/**
 * Debug knobs for proving InnoDB's fault handling through the real server binary, in the spirit
 * of MySQL's debug builds (`DBUG_EXECUTE_IF`). They are read once from the environment variable
 * `REFMYSQL_DEBUG_INNODB_FAULTS` when this module loads; unset (the normal case) nothing here
 * runs: the engine gets the ordinary doublewrite and redo file operations.
 *
 * The value is a comma-separated list of entries:
 *
 * - `tear_after_doublewrite[=<file suffix>]`: when a batch of pages is complete and synced in
 *   the doublewrite file, write the first half of its bytes in place (ending in the middle of a
 *   page), sync, and SIGKILL the process: a torn in-place write that the next start must repair
 *   from the doublewrite file. With a suffix (`test/t.ibd`) only the first batch that writes a
 *   file of that name is torn, and only inside that file (the batch's other files are written
 *   whole): a test then knows which table the tear hit, whatever else the checkpoint writes.
 * - `slow_recovery_rollback=<ms>`: the background rollback of the transactions a crash left open
 *   waits that long before each one, so a test can meet their locks after startup.
 * - `redo_fail=<write|sync>:<ERRNO>:<trigger file>`: once `<trigger file>` exists, every write
 *   (or fsync) of a redo file fails with that errno (EIO, ENOSPC, ...): a disk that goes bad or
 *   full while the server runs. The test creates the file when it wants the fault.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-doublewrite-buffer.html (15.6.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-io.html (15.21.1)
 * @req INNODB-DBLWR-103 INNODB-LOG-106 INNODB-REC-022
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Doublewrite, type DoublewriteTarget } from '../fil/doublewrite.js';
import type { LogFileHandle, LogFileIo } from '../log/file-io.js';

/** The environment variable holding the knobs. */
export const INNODB_FAULTS_ENV = 'REFMYSQL_DEBUG_INNODB_FAULTS';

export interface RedoFault {
  op: 'write' | 'sync';
  /** errno code, e.g. 'EIO'. */
  code: string;
  /** The fault is active while this file exists. */
  trigger: string;
}

export interface InnodbFaults {
  tearAfterDoublewrite: boolean;
  /** Tear only the batch, and only the file, whose path ends so (null: the first batch, from its start). */
  tearFile: string | null;
  /** Delay before each recovered transaction's background rollback (0: none). */
  slowRecoveryRollbackMs: number;
  redo: RedoFault | null;
}

/** Parse the knobs; unknown entries are ignored (a typo must not change a production server). */
export function parseFaults(value: string | undefined): InnodbFaults {
  const out: InnodbFaults = { tearAfterDoublewrite: false, tearFile: null, slowRecoveryRollbackMs: 0, redo: null };
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === 'tear_after_doublewrite') out.tearAfterDoublewrite = true;
    if (entry.startsWith('tear_after_doublewrite=')) {
      out.tearAfterDoublewrite = true;
      out.tearFile = entry.slice('tear_after_doublewrite='.length);
    }
    const slow = /^slow_recovery_rollback=(\d+)$/.exec(entry);
    if (slow) out.slowRecoveryRollbackMs = Number(slow[1]);
    const m = /^redo_fail=(write|sync):([A-Z]+):(.+)$/.exec(entry);
    if (m) out.redo = { op: m[1] as 'write' | 'sync', code: m[2]!, trigger: m[3]! };
  }
  return out;
}

const fromEnv: InnodbFaults = parseFaults(process.env[INNODB_FAULTS_ENV]);

/** The knobs the process was started with. */
export function activeFaults(): InnodbFaults {
  return fromEnv;
}

function errnoError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected failure, ${op} '${path}'`);
  e.code = code;
  e.syscall = op;
  e.path = path;
  return e;
}

/** `io` with the redo fault applied to the files it opens. */
export function faultyLogFileIo(io: LogFileIo, fault: RedoFault): LogFileIo {
  const active = (): boolean => existsSync(fault.trigger);
  const wrap = (h: LogFileHandle, path: string): LogFileHandle => ({
    read: (b, p) => h.read(b, p),
    write: (b, p) => (fault.op === 'write' && active() ? Promise.reject(errnoError(fault.code, 'write', path)) : h.write(b, p)),
    sync: () => (fault.op === 'sync' && active() ? Promise.reject(errnoError(fault.code, 'fsync', path)) : h.sync()),
    truncate: (n) => h.truncate(n),
    size: () => h.size(),
    close: () => h.close(),
  });
  return {
    open: async (path, mode) => wrap(await io.open(path, mode), path),
    readdir: (d) => io.readdir(d),
    mkdir: (d) => io.mkdir(d),
    rename: (a, b) => io.rename(a, b),
    unlink: (p) => io.unlink(p),
    syncDir: (d) => io.syncDir(d),
  };
}

/**
 * Write the first half of the batch's bytes in place, ending mid-page, then die. With `file`,
 * the batch's other targets are written whole first and the tear is in that file's pages.
 */
async function tearAndDie(all: readonly DoublewriteTarget[], file: string | null): Promise<never> {
  let targets = all;
  if (file !== null) {
    targets = all.filter((t) => t.path.endsWith(file));
    for (const t of all.filter((x) => !x.path.endsWith(file))) await writeWhole(t);
  }
  const total = targets.reduce((n, t) => n + t.pages.length, 0);
  const pageSize = targets[0]?.pages[0]?.length ?? 0;
  let left = Math.floor((total * pageSize) / 2) + Math.floor(pageSize / 3);
  for (const t of targets) {
    if (left <= 0) break;
    const fh = await open(t.path, 'r+').catch(() => open(t.path, 'w'));
    try {
      for (let i = 0; i < t.pages.length && left > 0; i++) {
        const page = t.pages[i]!;
        const n = Math.min(page.length, left);
        // A target with page numbers writes each page at its own place.
        await fh.write(page, 0, n, (t.pageNos?.[i] ?? i) * page.length);
        left -= n;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  process.kill(process.pid, 'SIGKILL');
  // The signal ends the process on its way back from the kernel; never run on regardless.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  return new Promise<never>(() => undefined);
}

/**
 * The engine's doublewrite file, built from Doublewrite's own constructor arguments: the
 * ordinary one, or with `tear_after_doublewrite` one that tears the in-place write of its first
 * batch and kills the process.
 */
export function createDoublewrite(faults: InnodbFaults, ...args: ConstructorParameters<typeof Doublewrite>): Doublewrite {
  if (!faults.tearAfterDoublewrite) return new Doublewrite(...args);
  // Batches run one at a time in call order, so the hook belongs to the oldest batch queued.
  const queued: (readonly DoublewriteTarget[])[] = [];
  class TearingDoublewrite extends Doublewrite {
    override writeBatch(targets: readonly DoublewriteTarget[]): Promise<void> {
      queued.push(targets);
      return super.writeBatch(targets);
    }
  }
  const [dir, pageSize, hooks, ...rest] = args;
  const file = faults.tearFile;
  let torn = false;
  const afterDoublewrite = async (): Promise<void> => {
    const batch = queued.shift() ?? [];
    if (torn || (file !== null && !batch.some((t) => t.path.endsWith(file)))) return;
    torn = true;
    await tearAndDie(batch, file);
  };
  return new TearingDoublewrite(dir, pageSize, { ...hooks, afterDoublewrite }, ...rest);
}

/** Write a target's pages in place, whole, and sync. */
async function writeWhole(t: DoublewriteTarget): Promise<void> {
  const fh = await open(t.path, 'r+').catch(() => open(t.path, 'w'));
  try {
    for (let i = 0; i < t.pages.length; i++) {
      const page = t.pages[i]!;
      await fh.write(page, 0, page.length, (t.pageNos?.[i] ?? i) * page.length);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Crash-safe small-file writes shared by the catalog, accounts and the server (auto.cnf,
 * mysqld-auto.cnf). A reader never sees a half-written file: we write a temporary sibling,
 * fsync it, rename it over the target, then fsync the directory so the rename itself is durable.
 *
 * Usage (catalog, accounts): `await writeFileAtomic(path, text)` / `writeFileAtomicSync(path, text)`,
 * `await readJsonIfExists<T>(path)` / `readJsonIfExistsSync<T>(path)` (undefined when the file is absent).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-directory.html
 * @req CORE-SRV-020
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

let tempCounter = 0;

function tempName(path: string): string {
  tempCounter = (tempCounter + 1) % 1_000_000;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
}

/** fsync a directory so that a rename inside it survives a crash (best effort: some
 *  file systems refuse to open directories for syncing). */
function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here: nothing more we can do */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsync a directory so that a file created or renamed in it survives a crash (best effort). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort, see syncDirSync */
  }
}

/**
 * Replace `path` with `data` atomically and durably.
 * @req CORE-SRV-020
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  const h = await open(tmp, 'w', 0o640);
  try {
    await h.writeFile(data);
    await h.sync();
  } catch (err) {
    await h.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await h.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(path));
}

/** Synchronous twin of {@link writeFileAtomic} for startup and shutdown paths. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  const fd = openSync(tmp, 'w', 0o640);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* ignore */
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncDirSync(dirname(path));
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/** Parse a JSON file, or `undefined` when it does not exist. Malformed JSON throws. */
export async function readJsonIfExists<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return JSON.parse(text) as T;
}

/** Synchronous twin of {@link readJsonIfExists}. */
export function readJsonIfExistsSync<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return JSON.parse(text) as T;
}

/**
 * The system tablespace, `ibdata1` in the data directory. In stage 1 it holds the engine's
 * instance-wide state: the page size the instance was created with (fixed for its life,
 * INNODB-LIMIT-022) and the counters that must never go backwards across restarts (next space
 * id, next transaction id, next hidden row id), plus free bytes for the engine.
 *
 * The file is pages of the instance's page size, all in space 0:
 *
 *     page 0    FIL_PAGE_TYPE_FSP_HDR: 38 magic 'RMSYS', 43 format version u8, 44 page size u32
 *     page 1,2  FIL_PAGE_TYPE_SYS, two copies of the state; body at 38:
 *                 magic 'RMSYS', format version u8, sequence u64, page size u32,
 *                 next space id u64, next trx id u64, next row id u64, extra (u32 length + bytes)
 *
 * A state write goes to the older copy (lower sequence, or the one that fails its checks) with
 * the next sequence number, then fsync, so a write torn by a crash leaves the other copy, the
 * previous state, readable. The page LSN of a copy is its sequence number.
 *
 * A missing file reads as null (a new instance); a file that is empty, too short or whose
 * pages are all damaged is a {@link SystemTablespaceError} naming the file, for the startup to
 * report (INNODB-TRBL-010: the remedy is to remove InnoDB's files and initialise again).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-system-tablespace.html (15.6.3.1 The System Tablespace)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html (15.21.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22 InnoDB Limits)
 * @req INNODB-SYS-101 INNODB-SYS-102 INNODB-TRBL-010 INNODB-LIMIT-022
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FIL_PAGE_DATA, FIL_PAGE_DATA_END, FIL_PAGE_TYPE_FSP_HDR, FIL_PAGE_TYPE_SYS, PAGE_SIZES, isValidPageSize } from '../page/limits.js';
import { newPage, readHeader, sealPage, verifyPage } from '../page/page.js';
import { ByteCursor, FormatError } from './byte-cursor.js';
import { syncDir, writeFully } from './file-io.js';
import { SYSTEM_FORMAT_VERSION, SYSTEM_MAGIC, SYSTEM_SPACE_ID, SYSTEM_TABLESPACE_FILE } from './limits.js';

/** The instance-wide state kept in ibdata1. */
export interface SystemState {
  nextSpaceId: bigint;
  nextTrxId: bigint;
  nextRowId: bigint;
  /** Free-form engine bytes; at most a page minus the state's own fields. */
  extra: Buffer;
}

/** The state as read back, with the page size the file was made with. */
export interface StoredSystemState extends SystemState {
  pageSize: number;
}

/** ibdata1 exists but cannot be used (empty, truncated, damaged, or not ours). */
export class SystemTablespaceError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`InnoDB: the system tablespace '${path}' is unusable: ${reason}`);
    this.name = 'SystemTablespaceError';
  }
}

const MAGIC = Buffer.from(SYSTEM_MAGIC, 'latin1');
/** Offset of the page-size field of page 0, readable before the page size is known. */
const PAGE0_SIZE_OFFSET = FIL_PAGE_DATA + MAGIC.length + 1;
/** The pages holding the two copies of the state. */
const COPY_PAGES = [1, 2] as const;
const FILE_PAGES = 3;

function fileOf(datadir: string): string {
  return join(datadir, SYSTEM_TABLESPACE_FILE);
}

function headerPage(pageSize: number): Buffer {
  const page = newPage(pageSize, { pageNo: 0, spaceId: SYSTEM_SPACE_ID, type: FIL_PAGE_TYPE_FSP_HDR });
  const c = new ByteCursor(page, FIL_PAGE_DATA);
  c.putBytes(MAGIC);
  c.putU8(SYSTEM_FORMAT_VERSION);
  c.putU32(pageSize);
  return sealPage(page);
}

function statePage(pageSize: number, pageNo: number, seq: bigint, s: SystemState): Buffer {
  const page = newPage(pageSize, { pageNo, spaceId: SYSTEM_SPACE_ID, type: FIL_PAGE_TYPE_SYS, lsn: seq });
  const c = new ByteCursor(page.subarray(0, pageSize - FIL_PAGE_DATA_END), FIL_PAGE_DATA);
  try {
    c.putBytes(MAGIC);
    c.putU8(SYSTEM_FORMAT_VERSION);
    c.putU64(seq);
    c.putU32(pageSize);
    c.putU64(s.nextSpaceId);
    c.putU64(s.nextTrxId);
    c.putU64(s.nextRowId);
    c.putU32(s.extra.length);
    c.putBytes(s.extra);
  } catch (e) {
    if (e instanceof FormatError) throw new RangeError(`system state does not fit a ${pageSize}-byte page: ${e.message}`);
    throw e;
  }
  return sealPage(page);
}

/** The state in a copy page with its sequence number, or null when the page fails any check. */
function readCopy(page: Buffer, pageNo: number, pageSize: number): { seq: bigint; state: SystemState } | null {
  if (page.length !== pageSize || verifyPage(page, pageNo, SYSTEM_SPACE_ID) !== 'ok' || readHeader(page).type !== FIL_PAGE_TYPE_SYS) return null;
  const c = new ByteCursor(page.subarray(0, pageSize - FIL_PAGE_DATA_END), FIL_PAGE_DATA);
  try {
    if (!c.bytes(MAGIC.length).equals(MAGIC) || c.u8() !== SYSTEM_FORMAT_VERSION) return null;
    const seq = c.u64();
    if (c.u32() !== pageSize) return null;
    const nextSpaceId = c.u64();
    const nextTrxId = c.u64();
    const nextRowId = c.u64();
    return { seq, state: { nextSpaceId, nextTrxId, nextRowId, extra: c.bytes(c.u32()) } };
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

async function readAt(fh: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, pos);
  return buf.subarray(0, bytesRead);
}

interface Inspection {
  pageSize: number;
  copies: ({ seq: bigint; state: SystemState } | null)[];
}

/** Page size and both copies of an open ibdata1; throws SystemTablespaceError when unusable. */
async function inspect(fh: FileHandle, path: string): Promise<Inspection> {
  const size = (await fh.stat()).size;
  if (size === 0) throw new SystemTablespaceError(path, 'the file is empty (0 bytes)');
  const probe = await readAt(fh, 0, PAGE_SIZES[0]);
  if (probe.length < PAGE_SIZES[0]) throw new SystemTablespaceError(path, `the file is truncated (${size} bytes)`);
  const pageSize = probe.readUInt32BE(PAGE0_SIZE_OFFSET);
  if (!isValidPageSize(pageSize) || !probe.subarray(FIL_PAGE_DATA, FIL_PAGE_DATA + MAGIC.length).equals(MAGIC)) {
    throw new SystemTablespaceError(path, 'page 0 does not identify a refmysql system tablespace');
  }
  if (size < FILE_PAGES * pageSize) throw new SystemTablespaceError(path, `the file is truncated (${size} bytes, ${FILE_PAGES} pages of ${pageSize} expected)`);
  const page0 = await readAt(fh, 0, pageSize);
  const status = verifyPage(page0, 0, SYSTEM_SPACE_ID);
  if (status !== 'ok') throw new SystemTablespaceError(path, `page 0 fails its ${status} check`);
  if (page0.readUInt8(FIL_PAGE_DATA + MAGIC.length) !== SYSTEM_FORMAT_VERSION) throw new SystemTablespaceError(path, 'unknown format version');
  const copies = [];
  for (const no of COPY_PAGES) copies.push(readCopy(await readAt(fh, no * pageSize, pageSize), no, pageSize));
  if (copies.every((c) => c === null)) throw new SystemTablespaceError(path, 'both copies of the system state are damaged');
  return { pageSize, copies };
}

/**
 * Create ibdata1 for a new instance with `state` in both copies. Fails (EEXIST) when the file
 * already exists.
 */
export async function initSystemTablespace(datadir: string, pageSize: number, state: SystemState): Promise<void> {
  if (!isValidPageSize(pageSize)) throw new RangeError(`invalid innodb_page_size ${pageSize}`);
  const pages = [headerPage(pageSize), statePage(pageSize, COPY_PAGES[0], 1n, state), statePage(pageSize, COPY_PAGES[1], 0n, state)];
  const fh = await open(fileOf(datadir), 'wx');
  try {
    await writeFully(fh, Buffer.concat(pages), 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await syncDir(datadir);
}

/** The newest intact state and the file's page size; null when ibdata1 does not exist. */
export async function readSystemTablespace(datadir: string): Promise<StoredSystemState | null> {
  const path = fileOf(datadir);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const { pageSize, copies } = await inspect(fh, path);
    const newest = copies.reduce((a, b) => (a === null || (b !== null && b.seq > a.seq) ? b : a))!;
    return { pageSize, ...newest.state };
  } finally {
    await fh.close();
  }
}

/** Per data directory, state writes run one at a time (each picks the copy to overwrite). */
const writing = new Map<string, Promise<unknown>>();

/**
 * Store `state` durably: over the older (or damaged) copy, with the next sequence number, then
 * fsync. Throws SystemTablespaceError when ibdata1 is missing or unusable.
 */
export function writeSystemState(datadir: string, state: SystemState): Promise<void> {
  const key = resolve(datadir);
  const run = (writing.get(key) ?? Promise.resolve()).then(() => write(datadir, state));
  const tail = run.catch(() => undefined);
  writing.set(key, tail);
  void tail.then(() => {
    if (writing.get(key) === tail) writing.delete(key);
  });
  return run;
}

async function write(datadir: string, state: SystemState): Promise<void> {
  const path = fileOf(datadir);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SystemTablespaceError(path, 'the file is missing');
    throw e;
  }
  try {
    const { pageSize, copies } = await inspect(fh, path);
    const seqs = copies.map((c) => (c === null ? -1n : c.seq));
    const slot = seqs[0]! <= seqs[1]! ? 0 : 1;
    const next = (seqs[0]! > seqs[1]! ? seqs[0]! : seqs[1]!) + 1n;
    const pageNo = COPY_PAGES[slot];
    await writeFully(fh, statePage(pageSize, pageNo, next, state), pageNo * pageSize);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

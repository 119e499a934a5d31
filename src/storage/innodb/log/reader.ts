/**
 * Reading the redo log back at startup: find the newest valid checkpoint, then read every
 * complete record from the checkpoint LSN onward, across files, until the log ends.
 *
 * The log ends at the first of: the end of the written blocks, a block that fails its
 * checksum or sits at the wrong place (a torn or never-completed write), a block whose header
 * contradicts the records (its first-record offset), or a record that is incomplete or fails
 * its crc. After a crash that is where the write in flight was cut; everything before it is
 * returned, nothing after it, so the result is always a prefix of what was appended. A torn
 * tail is reported in `warnings`; a cleanly closed log reads back without warnings.
 *
 * The redo application that consumes these records runs at startup before any connection is
 * accepted (INNODB-REC-012); a missing or empty `#innodb_redo` directory means there is
 * nothing to apply (`exists: false`, INNODB-REC-014).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-REC-012 INNODB-REC-014 INNODB-BAK-005 INNODB-LOG-101 INNODB-LOG-102 INNODB-LOG-103
 */
import { join } from 'node:path';
import { nodeLogFileIo, type LogFileHandle, type LogFileIo } from './file-io.js';
import {
  CHECKPOINT_1_OFFSET,
  CHECKPOINT_2_OFFSET,
  checkLogBlock,
  dataEndOf,
  decodeCheckpointBlock,
  decodeFileHeader,
  fileEndLsn,
  fileOffsetOf,
  parseRedoFileName,
  redoDirPath,
  type CheckpointRecord,
  type RedoFileHeader,
} from './format.js';
import { LOG_BLOCK_DATA_END, LOG_BLOCK_HDR_SIZE, LOG_BLOCK_SIZE, LOG_FILE_HDR_SIZE } from './limits.js';
import { blockOffset, blockStart, isDataLsn, normalizeLsn } from './lsn.js';
import { RECORD_CRC_SIZE, VarintReader, recordCrc } from './record.js';

/** One record read back: its start and end LSN and its payload. */
export interface RedoRecord {
  /** The LSN of the record's first byte. */
  lsn: bigint;
  /** The LSN just past the record: the next record's start. */
  end: bigint;
  payload: Buffer;
}

/** What {@link readRedoLog} found. */
export interface RedoLogContents {
  /** False when `#innodb_redo` is missing or holds no redo file (INNODB-REC-014). */
  exists: boolean;
  /** The newest durable checkpoint LSN; 0n when there is none. */
  checkpointLsn: bigint;
  /** Every complete record from the checkpoint on, in LSN order. */
  records: RedoRecord[];
  /** Where the log ends: the end of the last complete record (the checkpoint LSN when there is none); 0n when there is no checkpoint. */
  endLsn: bigint;
  /** Damage found: torn tails, unreadable files, a missing checkpoint. */
  warnings: string[];
}

/** A redo file with a valid header. */
export interface ScannedFile {
  readonly name: string;
  readonly path: string;
  readonly header: RedoFileHeader;
  /** The file's length on disk. */
  readonly physicalSize: number;
  /** The LSN just past its last possible block. */
  readonly endLsn: bigint;
}

/** Everything the writer needs to continue a log, beyond what {@link readRedoLog} returns. */
export interface RedoScan extends RedoLogContents {
  readonly dir: string;
  /** Highest N of any `#ib_redoN` or `#ib_redoN_tmp` name present; -1 when none. */
  readonly maxFileNumber: number;
  /** Names of `_tmp` files left by an interrupted file creation. */
  readonly tmpNames: readonly string[];
  /** Every redo file with a valid header, by number. */
  readonly files: readonly ScannedFile[];
  /** The checkpoint found, with its number; null when none. */
  readonly checkpoint: CheckpointRecord | null;
  /** The files the log runs through, from the checkpoint's file on. */
  readonly chain: readonly ScannedFile[];
  /** A copy of the valid block holding `endLsn`, when it was read; null otherwise. */
  readonly tailBlock: Buffer | null;
}

/** Blocks read from a file at once. */
const READ_CHUNK_BLOCKS = 128;

type CursorStep = { lsn: bigint; block: Buffer } | { end: 'clean' | 'partial' };

/** Reads the chain's log blocks in order, one file after the other. */
class BlockCursor {
  private fileIdx = 0;
  private handle: LogFileHandle | null = null;
  private chunk = Buffer.alloc(0);
  private chunkLsn = 0n;
  private next: bigint;

  constructor(
    private readonly io: LogFileIo,
    private readonly chain: readonly ScannedFile[],
    firstBlockLsn: bigint,
  ) {
    this.next = firstBlockLsn;
  }

  async step(): Promise<CursorStep> {
    for (;;) {
      const file = this.chain[this.fileIdx];
      if (file === undefined) return { end: 'clean' };
      if (this.next >= file.endLsn) {
        await this.closeFile();
        this.fileIdx++;
        continue;
      }
      const rel = this.next - this.chunkLsn;
      if (this.chunk.length > 0 && rel >= 0n && rel + BigInt(LOG_BLOCK_SIZE) <= BigInt(this.chunk.length)) {
        const at = Number(rel);
        const block = this.chunk.subarray(at, at + LOG_BLOCK_SIZE);
        const lsn = this.next;
        this.next += BigInt(LOG_BLOCK_SIZE);
        return { lsn, block };
      }
      const offset = fileOffsetOf(this.next, file.header.startLsn);
      if (offset >= file.physicalSize) return { end: 'clean' };
      if (offset + LOG_BLOCK_SIZE > file.physicalSize) return { end: 'partial' };
      if (this.handle === null) this.handle = await this.io.open(file.path, 'read');
      const blocksLeft = Number((file.endLsn - this.next) / BigInt(LOG_BLOCK_SIZE));
      const buf = Buffer.alloc(Math.min(READ_CHUNK_BLOCKS, blocksLeft) * LOG_BLOCK_SIZE);
      const got = await this.handle.read(buf, offset);
      this.chunk = buf.subarray(0, got - (got % LOG_BLOCK_SIZE));
      this.chunkLsn = this.next;
      if (this.chunk.length === 0) return { end: got > 0 ? 'partial' : 'clean' };
    }
  }

  private async closeFile(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    this.chunk = Buffer.alloc(0);
    if (h !== null) await h.close();
  }

  close(): Promise<void> {
    return this.closeFile();
  }
}

interface Parsed {
  records: RedoRecord[];
  endLsn: bigint;
  tailBlock: Buffer | null;
  warning: string | null;
}

/** Reads records from a checkpoint LSN to the end of the stream. */
class RecordParser {
  private block: Buffer | null = null;
  private blockLsn = 0n;
  private firstRecGroup = 0;
  private dataEnd = 0;
  private pos = 0;
  /** Whether the current block was entered from the block before it, so its first-record offset can be checked. */
  private checkFirst = false;
  /** Whether a record has started in the current block yet. */
  private startSeen = false;
  /** Why the stream ended early; null while it has not, or when it ended cleanly. */
  private stop: string | null = null;
  private clean = false;

  constructor(
    private readonly cursor: BlockCursor,
    private readonly checkpointLsn: bigint,
  ) {}

  /** Moves to the next block; false (with `stop` or `clean` set) when the stream ends. */
  private async advance(): Promise<boolean> {
    if (this.block !== null && this.checkFirst && !this.startSeen && this.firstRecGroup !== 0) {
      this.stop = `block at LSN ${this.blockLsn} names a record start that is not there`;
      return false;
    }
    const step = await this.cursor.step();
    if ('end' in step) {
      if (step.end === 'clean') this.clean = true;
      else this.stop = 'the last block of the log is incomplete (torn write)';
      return false;
    }
    const h = checkLogBlock(step.block, step.lsn);
    if (typeof h === 'string') {
      this.stop = `block at LSN ${step.lsn}: ${h}`;
      return false;
    }
    const first = this.block === null;
    this.block = step.block;
    this.blockLsn = step.lsn;
    this.firstRecGroup = h.firstRecGroup;
    this.dataEnd = dataEndOf(h);
    this.checkFirst = !first;
    this.startSeen = false;
    this.pos = first ? blockOffset(this.checkpointLsn) : LOG_BLOCK_HDR_SIZE;
    if (first && this.dataEnd < this.pos) {
      this.stop = `the block holding the checkpoint LSN ${this.checkpointLsn} ends before it`;
      return false;
    }
    return true;
  }

  /** Makes `pos` point at an unread data byte; false at the end of the stream. */
  private async ensure(): Promise<Buffer | null> {
    if (this.block !== null && this.pos < this.dataEnd) return this.block;
    if (this.block !== null && this.dataEnd < LOG_BLOCK_DATA_END) {
      this.clean = true;
      return null;
    }
    return (await this.advance()) ? this.block : null;
  }

  /** The current block when it has an unread data byte (no await needed), else null. */
  private available(): Buffer | null {
    return this.block !== null && this.pos < this.dataEnd ? this.block : null;
  }

  /** The LSN of the next unread byte (a data position). */
  private here(): bigint {
    return normalizeLsn(this.blockLsn + BigInt(this.pos));
  }

  /** Reads the next record; null when the stream ends before a complete, valid one. */
  private async readRecord(): Promise<RedoRecord | null> {
    if (this.available() === null && (await this.ensure()) === null) return null;
    const start = this.here();
    if (this.checkFirst && !this.startSeen && this.firstRecGroup !== this.pos) {
      this.stop = `block at LSN ${this.blockLsn} gives its first record at offset ${this.firstRecGroup}, found one at ${this.pos}`;
      return null;
    }
    this.startSeen = true;
    const varint = new VarintReader();
    let length: number | 'more' | 'bad' = 'more';
    while (length === 'more') {
      const b = this.available() ?? (await this.ensure());
      if (b === null) {
        this.stop ??= 'the last record is incomplete';
        return null;
      }
      length = varint.push(b[this.pos++] as number);
    }
    if (length === 'bad') {
      this.stop = `the record at LSN ${start} has an impossible length`;
      return null;
    }
    const body = Buffer.allocUnsafe(length + RECORD_CRC_SIZE);
    let filled = 0;
    while (filled < body.length) {
      const b = this.available() ?? (await this.ensure());
      if (b === null) {
        this.stop ??= 'the last record is incomplete';
        return null;
      }
      const n = Math.min(body.length - filled, this.dataEnd - this.pos);
      b.copy(body, filled, this.pos, this.pos + n);
      filled += n;
      this.pos += n;
    }
    const payload = body.subarray(0, length);
    if (body.readUInt32BE(length) !== recordCrc(varint.encoded(), payload)) {
      this.stop = `the record at LSN ${start} fails its checksum`;
      return null;
    }
    return { lsn: start, end: this.here(), payload };
  }

  async run(collect: boolean): Promise<Parsed> {
    const records: RedoRecord[] = [];
    let endLsn = this.checkpointLsn;
    // The valid block holding endLsn, when it has been read: a writer continuing the log
    // rewrites it with the bytes before endLsn intact.
    let tail: Buffer | null = null;
    if (await this.advance()) {
      tail = this.block;
      for (;;) {
        const r = await this.readRecord();
        if (r === null) break;
        endLsn = r.end;
        tail = blockStart(endLsn) === this.blockLsn ? this.block : null;
        if (collect) records.push(r);
      }
    }
    let warning: string | null = null;
    if (this.stop !== null) warning = `redo log ends at LSN ${endLsn}: ${this.stop}`;
    else if (!this.clean) warning = `redo log ends at LSN ${endLsn} early`;
    return { records, endLsn, tailBlock: tail === null ? null : Buffer.from(tail), warning };
  }
}

async function parseStream(
  io: LogFileIo,
  chain: readonly ScannedFile[],
  checkpointLsn: bigint,
  collect: boolean,
): Promise<Parsed> {
  const cursor = new BlockCursor(io, chain, blockStart(checkpointLsn));
  try {
    return await new RecordParser(cursor, checkpointLsn).run(collect);
  } finally {
    await cursor.close();
  }
}

/**
 * Scans `datadir/#innodb_redo`: its files, the newest checkpoint, and (with `collect`) the
 * records after it. The writer uses this to continue a log; {@link readRedoLog} is the
 * recovery view of it. Throws only on I/O errors; damage is reported in `warnings`.
 */
export async function scanRedoLog(datadir: string, io: LogFileIo = nodeLogFileIo, collect = true): Promise<RedoScan> {
  const dir = redoDirPath(datadir);
  const names = (await io.readdir(dir)) ?? [];
  const warnings: string[] = [];
  const tmpNames: string[] = [];
  const numbered: { n: number; name: string }[] = [];
  let maxFileNumber = -1;
  for (const name of names) {
    const p = parseRedoFileName(name);
    if (p === null) continue;
    maxFileNumber = Math.max(maxFileNumber, p.n);
    if (p.tmp) tmpNames.push(name);
    else numbered.push({ n: p.n, name });
  }
  numbered.sort((a, b) => a.n - b.n);
  const empty = {
    dir,
    maxFileNumber,
    tmpNames,
    files: [] as ScannedFile[],
    checkpoint: null,
    chain: [] as ScannedFile[],
    tailBlock: null,
    checkpointLsn: 0n,
    records: [] as RedoRecord[],
    endLsn: 0n,
    warnings,
  };
  if (numbered.length === 0) return { ...empty, exists: false };

  const files: ScannedFile[] = [];
  const checkpoints: { cp: CheckpointRecord; file: ScannedFile }[] = [];
  for (const { n, name } of numbered) {
    const path = join(dir, name);
    const h = await io.open(path, 'read');
    let head: Buffer;
    let size: number;
    try {
      size = await h.size();
      head = Buffer.alloc(LOG_FILE_HDR_SIZE);
      const got = await h.read(head, 0);
      head = head.subarray(0, got);
    } finally {
      await h.close();
    }
    const header = decodeFileHeader(head);
    if (typeof header === 'string') {
      warnings.push(`redo file ${name} ignored: ${header}`);
      continue;
    }
    if (header.fileNumber !== n) {
      warnings.push(`redo file ${name} ignored: its header says it is file ${header.fileNumber}`);
      continue;
    }
    const file: ScannedFile = { name, path, header, physicalSize: size, endLsn: fileEndLsn(header.startLsn, header.fileSize) };
    files.push(file);
    for (const off of [CHECKPOINT_1_OFFSET, CHECKPOINT_2_OFFSET]) {
      if (head.length < off + LOG_BLOCK_SIZE) continue;
      const cp = decodeCheckpointBlock(head.subarray(off, off + LOG_BLOCK_SIZE));
      if (cp === null || cp.uuid !== header.uuid || !isDataLsn(cp.lsn)) continue;
      if (blockStart(cp.lsn) < header.startLsn || blockStart(cp.lsn) >= file.endLsn) continue;
      checkpoints.push({ cp, file });
    }
  }

  let best: { cp: CheckpointRecord; file: ScannedFile } | null = null;
  for (const c of checkpoints) {
    if (best === null || c.cp.lsn > best.cp.lsn || (c.cp.lsn === best.cp.lsn && c.cp.number > best.cp.number)) best = c;
  }
  if (best === null) {
    warnings.push('no valid checkpoint in any redo file');
    return { ...empty, files, exists: true };
  }

  const chain: ScannedFile[] = [best.file];
  const uuid = best.file.header.uuid;
  for (const f of files) {
    const last = chain[chain.length - 1] as ScannedFile;
    if (f.header.uuid !== uuid || f.header.fileNumber <= last.header.fileNumber) continue;
    if (f.header.startLsn !== last.endLsn) {
      warnings.push(`redo file ${f.name} does not continue ${last.name}; it and later files are ignored`);
      break;
    }
    chain.push(f);
  }

  const parsed = await parseStream(io, chain, best.cp.lsn, collect);
  if (parsed.warning !== null) warnings.push(parsed.warning);
  const endFile = chain.findIndex((f) => blockStart(parsed.endLsn) < f.endLsn);
  if (endFile >= 0 && endFile < chain.length - 1) {
    warnings.push(`redo files after ${chain[endFile]?.name ?? ''} lie beyond the end of the log and are ignored`);
  }
  return {
    ...empty,
    exists: true,
    files,
    checkpoint: best.cp,
    chain,
    tailBlock: parsed.tailBlock,
    checkpointLsn: best.cp.lsn,
    records: parsed.records,
    endLsn: parsed.endLsn,
  };
}

/**
 * The redo log of `datadir` as recovery sees it: the newest checkpoint and every complete
 * record from it on (INNODB-REC-012); `exists: false` when there is no redo to apply
 * (INNODB-REC-014). Throws only when a file cannot be read at all.
 */
export async function readRedoLog(datadir: string, io: LogFileIo = nodeLogFileIo): Promise<RedoLogContents> {
  const s = await scanRedoLog(datadir, io, true);
  return { exists: s.exists, checkpointLsn: s.checkpointLsn, records: s.records, endLsn: s.endLsn, warnings: s.warnings };
}

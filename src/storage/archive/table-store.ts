/**
 * One ARCHIVE table's shared state (MySQL's Archive_share): the open `.ARZ` file and its member
 * index, the compression buffer of plain inserts, the rows of bulk inserts still in progress,
 * the row count and the AUTO_INCREMENT state. Every handler of the table uses the same store.
 *
 * Visibility. A plain INSERT's row goes into the buffer; a reader first turns the buffer into a
 * member (so the next SELECT sees every acknowledged plain insert) and then fixes how many rows
 * it will return. A bulk insert (multi-row INSERT, INSERT ... SELECT) keeps its rows apart until
 * it ends, unless a plain insert arrives meanwhile: then what the bulk has so far joins the
 * buffer before the plain row.
 *
 * Durability. Members are appended and the header rewritten after each one; the first append
 * after a clean state marks the file dirty. FLUSH TABLES, closing the last handler and shutdown
 * write the buffer, sync the file and mark it clean. Opening a dirty file (a crash) keeps every
 * complete member, cuts off a torn tail and recounts the rows. Opening a clean file whose
 * members do not all read back marks the table crashed: reads and inserts fail with 1194 until
 * REPAIR TABLE, and CHECK TABLE reports it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-023 ARCHIVE-040 ARCHIVE-041 ARCHIVE-042 ARCHIVE-043 ARCHIVE-044 ARCHIVE-045 ARCHIVE-050 ARCHIVE-051 ARCHIVE-052 ARCHIVE-053
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import type { TableDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row } from '../../kernel/value.js';
import { decodeHeader, encodeHeader, encodeMember, memberRecords, scanMembers, type ArzHeader, type MemberInfo } from './arz-file.js';
import { ARCHIVE_FLUSH_BYTES, ARCHIVE_OPTIMIZE_MEMBER_BYTES, ARN_EXTENSION, ARZ_DATA_START, ARZ_EXTENSION, ARZ_STATE_CLEAN, ARZ_STATE_DIRTY } from './limits.js';
import { ArchiveCorruptError, encodeRecord, rowLayout, unpackRow, type RowLayout } from './row-codec.js';

/** One generation of the data file. OPTIMIZE and REPAIR replace it; readers that still use the
 *  old one keep it open until they finish. */
export class ArzData {
  refs = 0;
  retired = false;
  constructor(
    readonly fd: number,
    readonly members: MemberInfo[],
    public end: number,
  ) {}

  release(): void {
    this.refs--;
    if (this.retired && this.refs <= 0) closeSync(this.fd);
  }

  /** Read one member's bytes. */
  read(m: MemberInfo): Buffer {
    const b = Buffer.allocUnsafe(m.length);
    let got = 0;
    while (got < m.length) {
      const n = readSync(this.fd, b, got, m.length - got, m.offset + got);
      if (n === 0) throw new ArchiveCorruptError('member cut off');
      got += n;
    }
    return b;
  }
}

/** What a reader sees: a file generation and how many of its rows. */
export interface ReadSnapshot {
  data: ArzData;
  rows: number;
}

interface Bulk {
  records: Buffer[];
  bytes: number;
}

export class ArchiveTableStore {
  def: TableDef;
  layout: RowLayout;
  path: string;
  data: ArzData | null = null;
  /** Rows in the file's members. */
  fileRows = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly bulks = new Map<number, Bulk>();
  /** Largest AUTO_INCREMENT value stored in a row (null: none yet); the manual's "current
   *  maximum column value" that a unique AUTO_INCREMENT key never goes below. */
  maxAuto: bigint | null = null;
  /** Next value to hand out: above every value stored or handed out, and at least the table's
   *  AUTO_INCREMENT option (so ALTER TABLE ... AUTO_INCREMENT=n resets the sequence). */
  private nextReserve = 1n;
  longest = 0;
  shortest = 0;
  /** Why the table is marked crashed (reads fail with 1194), or null. */
  crashed: string | null = null;
  private dirtyOnDisk = false;
  /** Handlers open on the table. */
  opens = 0;
  /** Handle of the next inserted row: its position in the table when no other connection's
   *  bulk insert is interleaved (the handles cursors return are the positions). */
  private inserted = 0;

  private constructor(def: TableDef, path: string) {
    this.def = def;
    this.layout = rowLayout(def);
    this.path = path;
  }

  get autoCol(): number {
    return this.def.columns.findIndex((c) => c.autoIncrement);
  }

  /** Whether the AUTO_INCREMENT column's index is PRIMARY or UNIQUE: then values at or below
   *  the largest stored are refused. @req ARCHIVE-023 */
  private get uniqueAuto(): boolean {
    const ai = this.autoCol;
    return ai >= 0 && this.def.indexes.some((i) => (i.kind === 'PRIMARY' || i.kind === 'UNIQUE') && i.parts[0]?.column === ai);
  }

  /** Rows a reader starting now would see (file plus buffer). @req ARCHIVE-052 */
  get rows(): number {
    return this.fileRows + this.pending.length;
  }

  /** Size of the data file in bytes. */
  get fileSize(): number {
    return this.data ? this.data.end : 0;
  }

  /** Create the table's empty file. */
  static create(def: TableDef, path: string): ArchiveTableStore {
    const st = new ArchiveTableStore(def, path);
    st.nextReserve = def.autoIncrementStart > 0n ? def.autoIncrementStart : 1n;
    const fd = openSync(path, 'w+');
    writeSync(fd, encodeHeader(st.header(ARZ_STATE_CLEAN, ARZ_DATA_START)), 0, ARZ_DATA_START, 0);
    fsyncSync(fd);
    st.data = new ArzData(fd, [], ARZ_DATA_START);
    return st;
  }

  /** Open an existing file: recover after a crash, or find it damaged. */
  static open(def: TableDef, path: string): ArchiveTableStore {
    const st = new ArchiveTableStore(def, path);
    const fd = openSync(path, 'r+');
    const file = readFileSync(path);
    let header: ArzHeader | null = null;
    try {
      header = decodeHeader(file);
    } catch (e) {
      if (!(e instanceof ArchiveCorruptError)) throw e;
      st.crashed = e.message;
    }
    const start = header?.dataStart ?? ARZ_DATA_START;
    const scan = scanMembers(file, Math.min(start, file.length), st.layout, st.autoCol);
    st.data = new ArzData(fd, scan.members, scan.end);
    st.fileRows = scan.rows;
    st.inserted = scan.rows;
    st.longest = scan.longest;
    st.shortest = scan.shortest;
    // The header keeps the sequence (next value - 1); the rows say the largest value stored.
    st.maxAuto = scan.maxAuto;
    const fromHeader = (header ? header.autoIncrement : 0n) + 1n;
    st.nextReserve = scan.maxAuto !== null && scan.maxAuto + 1n > fromHeader ? scan.maxAuto + 1n : fromHeader;
    if (!header) return st;
    if (header.dirty === ARZ_STATE_DIRTY) {
      // A crash while the table was written: complete members stay, a torn tail goes.
      if (scan.end < file.length) ftruncateSync(fd, scan.end);
      st.writeHeader(ARZ_STATE_CLEAN);
      fsyncSync(fd);
    } else if (scan.error !== undefined || scan.end !== file.length || scan.rows !== header.rows) {
      st.crashed = scan.error ?? (scan.rows !== header.rows ? `header counts ${header.rows} rows, the data holds ${scan.rows}` : 'bytes after the last member');
    }
    return st;
  }

  private header(dirty: number, end: number): ArzHeader {
    return {
      dataStart: ARZ_DATA_START,
      rows: this.fileRows,
      flushPos: end,
      checkPos: 0,
      autoIncrement: this.nextReserve > 0n ? this.nextReserve - 1n : 0n,
      longestRow: this.longest,
      shortestRow: this.shortest,
      dirty,
    };
  }

  private writeHeader(dirty: number): void {
    const d = this.data!;
    writeSync(d.fd, encodeHeader(this.header(dirty, d.end)), 0, ARZ_DATA_START, 0);
    this.dirtyOnDisk = dirty === ARZ_STATE_DIRTY;
  }

  redefine(def: TableDef): void {
    this.def = def;
    this.layout = rowLayout(def);
  }

  private refuseCrashed(): void {
    if (this.crashed !== null) throw sqlError('ER_CRASHED_ON_USAGE', this.def.name);
  }

  /** Begin a bulk insert for a connection: its rows stay apart until it ends. @req ARCHIVE-045 */
  startBulk(connection: number): void {
    if (!this.bulks.has(connection)) this.bulks.set(connection, { records: [], bytes: 0 });
  }

  /** The bulk insert ended (or failed): its rows join the table. @req ARCHIVE-045 */
  endBulk(connection: number): void {
    const b = this.bulks.get(connection);
    if (!b) return;
    this.bulks.delete(connection);
    for (const r of b.records) this.pushPending(r);
  }

  /**
   * Insert a row: checked against the AUTO_INCREMENT rule, packed, and buffered (or kept with
   * the connection's bulk insert). @req ARCHIVE-023 ARCHIVE-044 ARCHIVE-045
   */
  insert(connection: number, row: Row): number {
    this.refuseCrashed();
    const ai = this.autoCol;
    let auto: bigint | null = null;
    if (ai >= 0) {
      const v = row[ai];
      auto = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : null;
      // @req ARCHIVE-023: the sequence never goes down under a unique AUTO_INCREMENT key.
      if (auto !== null && this.maxAuto !== null && auto <= this.maxAuto && this.uniqueAuto) throw sqlError('ER_DUP_KEY', this.def.name);
    }
    const rec = encodeRecord(this.layout, row);
    if (auto !== null && (this.maxAuto === null || auto > this.maxAuto)) this.maxAuto = auto;
    if (auto !== null && auto >= this.nextReserve) this.nextReserve = auto + 1n;
    const n = rec.length - 4;
    if (n > this.longest) this.longest = n;
    if (this.shortest === 0 || n < this.shortest) this.shortest = n;
    const bulk = this.bulks.get(connection);
    if (bulk) {
      bulk.records.push(rec);
      bulk.bytes += rec.length;
    } else {
      // A plain insert during others' bulk inserts makes what they have so far visible too.
      for (const [conn, b] of this.bulks) {
        for (const r of b.records) this.pushPending(r);
        this.bulks.set(conn, { records: [], bytes: 0 });
      }
      this.pushPending(rec);
    }
    return this.inserted++;
  }

  private pushPending(rec: Buffer): void {
    this.pending.push(rec);
    this.pendingBytes += rec.length;
    if (this.pendingBytes >= ARCHIVE_FLUSH_BYTES) this.flushPending();
  }

  /** Turn the buffered rows into a member at the end of the file. @req ARCHIVE-040 ARCHIVE-053 */
  flushPending(): void {
    if (this.pending.length === 0) return;
    const d = this.data!;
    if (!this.dirtyOnDisk) {
      this.writeHeader(ARZ_STATE_DIRTY);
      fsyncSync(d.fd);
    }
    const raw = Buffer.concat(this.pending);
    const member = encodeMember(raw);
    writeSync(d.fd, member, 0, member.length, d.end);
    d.members.push({ offset: d.end, length: member.length, rawLength: raw.length, firstRow: this.fileRows, rows: this.pending.length });
    d.end += member.length;
    this.fileRows += this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.writeHeader(ARZ_STATE_DIRTY);
  }

  /** FLUSH TABLES / last close / shutdown: everything buffered is written and synced, and the
   *  file is marked clean. */
  flushClean(): void {
    if (!this.data || this.crashed !== null) return;
    this.flushPending();
    if (!this.dirtyOnDisk) return;
    fsyncSync(this.data.fd);
    this.writeHeader(ARZ_STATE_CLEAN);
    fsyncSync(this.data.fd);
  }

  /** A reader starts: buffered plain inserts are flushed, and the rows it will return are
   *  fixed now (a consistent read). @req ARCHIVE-044 ARCHIVE-051 */
  snapshot(): ReadSnapshot {
    this.refuseCrashed();
    this.flushPending();
    const d = this.data!;
    d.refs++;
    return { data: d, rows: this.fileRows };
  }

  reserveAuto(): bigint {
    const first = this.nextReserve;
    this.nextReserve = first + 1n;
    return first;
  }

  observeAuto(v: bigint): void {
    if (v >= this.nextReserve) this.nextReserve = v + 1n;
  }

  /** The next AUTO_INCREMENT value SHOW TABLE STATUS reports. */
  get nextAuto(): bigint {
    return this.nextReserve;
  }

  /**
   * CHECK TABLE: read every row back and compare the count with the header's. A failure marks
   * the table crashed. @req ARCHIVE-043
   */
  check(): string | null {
    if (this.crashed !== null) return this.crashed;
    this.flushPending();
    const d = this.data!;
    let rows = 0;
    try {
      for (const m of d.members) {
        const { raw, records } = memberRecords(d.read(m), this.layout);
        for (const [s, e] of records) unpackRow(this.layout, raw, s, e);
        if (records.length !== m.rows) throw new ArchiveCorruptError('member row count changed');
        rows += records.length;
      }
      const size = fstatSync(d.fd).size;
      if (size !== d.end) throw new ArchiveCorruptError(`file is ${size} bytes, its members end at ${d.end}`);
    } catch (e) {
      if (!(e instanceof ArchiveCorruptError)) throw e;
      this.crashed = e.message;
      return e.message;
    }
    if (rows !== this.fileRows) {
      this.crashed = `counted ${rows} rows, expected ${this.fileRows}`;
      return this.crashed;
    }
    return null;
  }

  /**
   * OPTIMIZE / REPAIR: write every readable row again into a new file (`.ARN`) in large members,
   * then put it in place of the `.ARZ`. Readers still on the old file finish on it. Returns the
   * number of rows kept. @req ARCHIVE-004 ARCHIVE-042 ARCHIVE-053
   */
  rebuild(): number {
    if (this.crashed === null) this.flushPending();
    const old = this.data!;
    const tmp = this.path.slice(0, -ARZ_EXTENSION.length) + ARN_EXTENSION;
    // Rows come from a fresh walk of the file, which stops at the first damaged member.
    const file = readFileSync(this.path);
    const scan = scanMembers(file, ARZ_DATA_START, this.layout, this.autoCol);
    const fd = openSync(tmp, 'w+');
    const members: MemberInfo[] = [];
    let end = ARZ_DATA_START;
    let rows = 0;
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    let chunkRows = 0;
    const emit = (): void => {
      if (chunk.length === 0) return;
      const raw = Buffer.concat(chunk);
      const m = encodeMember(raw);
      writeSync(fd, m, 0, m.length, end);
      members.push({ offset: end, length: m.length, rawLength: raw.length, firstRow: rows, rows: chunkRows });
      end += m.length;
      rows += chunkRows;
      chunk = [];
      chunkBytes = 0;
      chunkRows = 0;
    };
    try {
      for (const m of scan.members) {
        const { raw, records } = memberRecords(file.subarray(m.offset, m.offset + m.length), this.layout);
        for (const [s, e] of records) {
          chunk.push(raw.subarray(s - 4, e));
          chunkBytes += e - s + 4;
          chunkRows++;
          if (chunkBytes >= ARCHIVE_OPTIMIZE_MEMBER_BYTES) emit();
        }
      }
      emit();
      this.fileRows = rows;
      this.longest = scan.longest;
      this.shortest = scan.shortest;
      this.maxAuto = scan.maxAuto;
      this.data = new ArzData(fd, members, end);
      this.writeHeader(ARZ_STATE_CLEAN);
      fsyncSync(fd);
      renameSync(tmp, this.path);
    } catch (e) {
      closeSync(fd);
      if (existsSync(tmp)) unlinkSync(tmp);
      this.data = old;
      throw e;
    }
    old.retired = true;
    if (old.refs <= 0) closeSync(old.fd);
    this.crashed = null;
    return rows;
  }

  /** Release the file (drop, shutdown). */
  closeFile(): void {
    const d = this.data;
    this.data = null;
    if (!d) return;
    d.retired = true;
    if (d.refs <= 0) closeSync(d.fd);
  }
}

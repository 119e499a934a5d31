/**
 * The `.ARZ` data file: the azio version-3 header with its meta block, then the rows as one or
 * more compressed members. Each member is a complete raw-deflate stream of whole records,
 * followed by the CRC32 and the length of its uncompressed bytes (the trailer gzip also uses),
 * so a member written whole is readable on its own and a member cut short by a crash is
 * recognised and dropped.
 *
 * Header (78 bytes, integers little-endian): magic 0xFE, version 3, minor 1, block size,
 * strategy, frm position/length (0: the dictionary holds the definition), meta position/length,
 * then from offset 21 the data start offset, row count, flush position (end of the last complete
 * member), check position, auto-increment (the largest value stored), longest and shortest
 * packed row, comment position/length, and the dirty byte (0 clean, 1 open for writing).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-040 ARCHIVE-041
 */
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  ARZ_DATA_START,
  ARZ_HEADER_SIZE,
  ARZ_MAGIC,
  ARZ_MEMBER_TRAILER,
  ARZ_META_SIZE,
  ARZ_MINOR_VERSION,
  ARZ_OFFSETS as O,
  ARZ_STATE_CLEAN,
  ARZ_STATE_DIRTY,
  ARZ_VERSION,
} from './limits.js';
import { ArchiveCorruptError, splitRecords, unpackRow, type RowLayout } from './row-codec.js';

export interface ArzHeader {
  dataStart: number;
  rows: number;
  flushPos: number;
  checkPos: number;
  /** The largest AUTO_INCREMENT value stored (the table option's value - 1 on an empty table). */
  autoIncrement: bigint;
  longestRow: number;
  shortestRow: number;
  dirty: number;
}

/** The 78 header bytes. @req ARCHIVE-041 */
export function encodeHeader(h: ArzHeader): Buffer {
  const b = Buffer.alloc(ARZ_DATA_START);
  b[O.magic] = ARZ_MAGIC;
  b[O.version] = ARZ_VERSION;
  b[O.minor] = ARZ_MINOR_VERSION;
  b[O.blockSize] = 0;
  b[O.strategy] = constants.Z_DEFAULT_STRATEGY;
  b.writeUInt32LE(0, O.frmPos);
  b.writeUInt32LE(0, O.frmLen);
  b.writeUInt32LE(O.dataStart, O.metaPos);
  b.writeUInt32LE(ARZ_META_SIZE, O.metaLen);
  b.writeBigUInt64LE(BigInt(h.dataStart), O.dataStart);
  b.writeBigUInt64LE(BigInt(h.rows), O.rows);
  b.writeBigUInt64LE(BigInt(h.flushPos), O.flushPos);
  b.writeBigUInt64LE(BigInt(h.checkPos), O.checkPos);
  b.writeBigUInt64LE(BigInt.asUintN(64, h.autoIncrement), O.autoIncrement);
  b.writeUInt32LE(h.longestRow >>> 0, O.longestRow);
  b.writeUInt32LE(h.shortestRow >>> 0, O.shortestRow);
  b.writeUInt32LE(0, O.commentPos);
  b.writeUInt32LE(0, O.commentLen);
  b[O.dirty] = h.dirty;
  return b;
}

/** Read and check the header; throws {@link ArchiveCorruptError} when it is not one. @req ARCHIVE-041 */
export function decodeHeader(b: Buffer): ArzHeader {
  if (b.length < ARZ_DATA_START) throw new ArchiveCorruptError('file shorter than its header');
  if (b[O.magic] !== ARZ_MAGIC) throw new ArchiveCorruptError('bad magic byte');
  if (b[O.version] !== ARZ_VERSION) throw new ArchiveCorruptError(`unsupported version ${b[O.version]}`);
  const num = (off: number): number => {
    const v = b.readBigUInt64LE(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveCorruptError('header field out of range');
    return Number(v);
  };
  const dirty = b[O.dirty]!;
  if (dirty !== ARZ_STATE_CLEAN && dirty !== ARZ_STATE_DIRTY) throw new ArchiveCorruptError(`bad state byte ${dirty}`);
  const h: ArzHeader = {
    dataStart: num(O.dataStart),
    rows: num(O.rows),
    flushPos: num(O.flushPos),
    checkPos: num(O.checkPos),
    autoIncrement: b.readBigUInt64LE(O.autoIncrement),
    longestRow: b.readUInt32LE(O.longestRow),
    shortestRow: b.readUInt32LE(O.shortestRow),
    dirty,
  };
  if (h.dataStart < ARZ_HEADER_SIZE + ARZ_META_SIZE) throw new ArchiveCorruptError('data start inside the header');
  return h;
}

/** Compress whole records into one member: raw deflate, CRC32, uncompressed length. @req ARCHIVE-040 ARCHIVE-041 */
export function encodeMember(raw: Buffer): Buffer {
  const z = deflateRawSync(raw);
  const out = Buffer.allocUnsafe(z.length + ARZ_MEMBER_TRAILER);
  z.copy(out, 0);
  out.writeUInt32LE(crc32(raw) >>> 0, z.length);
  out.writeUInt32LE(raw.length >>> 0, z.length + 4);
  return out;
}

/** Where one member lies in the file and what it holds. */
export interface MemberInfo {
  offset: number;
  /** Bytes of the member, deflate data and trailer. */
  length: number;
  rawLength: number;
  /** Ordinal of its first row in the table, and how many rows it holds. */
  firstRow: number;
  rows: number;
}

/**
 * Inflate the member whose bytes start `b` (more bytes may follow); returns its rows' bytes and
 * the member's length. Throws {@link ArchiveCorruptError} when the deflate data is cut off or
 * damaged or the trailer disagrees.
 */
export function inflateMember(b: Buffer): { raw: Buffer; length: number } {
  let raw: Buffer;
  let used: number;
  try {
    const r = inflateRawSync(b, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    raw = r.buffer;
    used = r.engine.bytesWritten;
  } catch (e) {
    throw new ArchiveCorruptError(`member does not inflate (${(e as { code?: string }).code ?? 'error'})`);
  }
  if (used <= 0 || used + ARZ_MEMBER_TRAILER > b.length) throw new ArchiveCorruptError('member trailer cut off');
  const crc = b.readUInt32LE(used);
  const len = b.readUInt32LE(used + 4);
  if (len !== raw.length >>> 0) throw new ArchiveCorruptError('member length mismatch');
  if (crc !== crc32(raw) >>> 0) throw new ArchiveCorruptError('member checksum mismatch');
  return { raw, length: used + ARZ_MEMBER_TRAILER };
}

/** What a walk over a file's members found. */
export interface MemberScan {
  members: MemberInfo[];
  rows: number;
  /** End of the last complete, readable member. */
  end: number;
  /** Largest value of the AUTO_INCREMENT column among the rows read (null: none). */
  maxAuto: bigint | null;
  longest: number;
  shortest: number;
  /** Why the walk stopped before the end of the file, if it did. */
  error?: string;
}

/**
 * Walk the members from `start` to the end of `file`, checking each one (inflates, checksum,
 * every record decodes) and stopping at the first that fails. `autoCol` is decoded to find the
 * largest AUTO_INCREMENT value; other fields are checked but not materialised.
 */
export function scanMembers(file: Buffer, start: number, layout: RowLayout, autoCol: number): MemberScan {
  const wanted = layout.columns > 0 ? Array.from({ length: layout.columns }, (_, i) => i === autoCol) : [];
  const out: MemberScan = { members: [], rows: 0, end: start, maxAuto: null, longest: 0, shortest: 0 };
  let p = start;
  while (p < file.length) {
    try {
      const { raw, length } = inflateMember(file.subarray(p));
      const recs = splitRecords(raw, layout);
      for (const [s, e] of recs) {
        const row = unpackRow(layout, raw, s, e, wanted);
        const n = e - s;
        if (n > out.longest) out.longest = n;
        if (out.shortest === 0 || n < out.shortest) out.shortest = n;
        if (autoCol >= 0) {
          const v = row[autoCol];
          if (typeof v === 'bigint' && (out.maxAuto === null || v > out.maxAuto)) out.maxAuto = v;
        }
      }
      out.members.push({ offset: p, length, rawLength: raw.length, firstRow: out.rows, rows: recs.length });
      out.rows += recs.length;
      p += length;
      out.end = p;
    } catch (e) {
      if (!(e instanceof ArchiveCorruptError)) throw e;
      out.error = e.message;
      return out;
    }
  }
  return out;
}

/** Rows of one member, read from its exact bytes. */
export function memberRecords(bytes: Buffer, layout: RowLayout): { raw: Buffer; records: Array<[number, number]> } {
  const { raw, length } = inflateMember(bytes);
  if (length !== bytes.length) throw new ArchiveCorruptError('member length changed');
  return { raw, records: splitRecords(raw, layout) };
}

export { ARZ_STATE_CLEAN, ARZ_STATE_DIRTY };

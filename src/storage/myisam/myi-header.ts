/**
 * The header of the .MYI index file: the fixed part (magic, create options, section lengths,
 * key counts), the state (open counter, state flags, record and deleted counts, file lengths,
 * AUTO_INCREMENT, key roots, statistics), the base information (key start, maximum file
 * lengths, record lengths, pointer sizes) and the key definitions.
 *
 * The fixed part and the first state fields sit at the offsets of Appendix A of the
 * requirements inventory (open counter at 24, state flags at 26, records at 28, deleted at 36,
 * key file length at 60, data file length at 68); integers are big-endian, as MyISAM stores
 * them. The order of the later fields follows MyISAM's state layout; their exact offsets are
 * ours.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisam-table-close.html (16.2.4.2)
 * @req MYISAM-026 MYISAM-130 MYISAM-003 MYISAM-008
 */
import { MYI_MAGIC } from './limits.js';
import type { ColumnInfo } from './record-codec.js';

/** Bytes that are not a .MYI header we can read. */
export class HeaderCorrupt extends Error {}

export interface MyiKeyPartDef {
  column: number;
  /** Prefix length (0 = whole column). */
  length: number;
  /** 1 = DESC, 2 = nullable column. */
  flags: number;
}

export interface MyiKeyDef {
  /** 1 = unique, 2 = primary. */
  flag: number;
  blockSize: number;
  keyLength: number;
  parts: MyiKeyPartDef[];
}

export interface MyiHeader {
  options: number;
  uniques: number;
  language: number;
  blockSizeIndex: number;
  // state
  openCount: number;
  changed: number;
  sortKey: number;
  records: bigint;
  deleted: bigint;
  split: bigint;
  dellink: bigint;
  keyFileLength: bigint;
  dataFileLength: bigint;
  empty: bigint;
  keyEmpty: bigint;
  autoIncrement: bigint;
  checksum: bigint;
  process: number;
  unique: number;
  status: number;
  updateCount: number;
  keyRoots: bigint[];
  keyDel: bigint;
  version: number;
  keyMap: bigint;
  createTime: bigint;
  recoverTime: bigint;
  checkTime: bigint;
  recPerKeyRows: bigint;
  /** Statistics: estimated rows per distinct value of each key prefix (one per key part). */
  recPerKeyPart: number[];
  // base
  keystart: bigint;
  maxDataFileLength: bigint;
  maxKeyFileLength: bigint;
  maxRows: bigint;
  meanRowLength: number;
  reclength: number;
  minBlockLength: number;
  fields: number;
  recRefLength: number;
  keyRefLength: number;
  autoKey: number;
  blobs: number;
  keys: MyiKeyDef[];
  /** Column descriptions (one per field), so that offline tools can read the records. */
  columns: ColumnInfo[];
}

/** Offsets of the fixed part and the state (Appendix A). */
export const OFF = {
  magic: 0,
  options: 4,
  headerLength: 6,
  stateLength: 8,
  baseLength: 10,
  basePos: 12,
  keyParts: 14,
  uniqueKeyParts: 16,
  keys: 18,
  uniques: 19,
  language: 20,
  blockSizeIndex: 21,
  fulltextKeys: 22,
  openCount: 24,
  changed: 26,
  sortKey: 27,
  records: 28,
  deleted: 36,
  split: 44,
  dellink: 52,
  keyFileLength: 60,
  dataFileLength: 68,
  empty: 76,
  keyEmpty: 84,
  autoIncrement: 92,
  checksum: 100,
  process: 108,
  unique: 112,
  status: 116,
  updateCount: 120,
  keyRoots: 124,
} as const;

const BASE_LENGTH = 100;
const KEY_DEF_BYTES = 7;
const KEY_PART_BYTES = 5;
const COLUMN_BYTES = 6;

function keyPartCount(h: Pick<MyiHeader, 'keys'>): number {
  return h.keys.reduce((n, k) => n + k.parts.length, 0);
}

/** Length of the state section for a table with `keys` keys and `parts` key parts. */
export function stateLength(keys: number, parts: number): number {
  return 100 + 8 * keys + 8 + 12 + 8 + 24 + 8 + 4 * parts;
}

/** Total header length (where the key definitions end). */
export function headerLength(h: Pick<MyiHeader, 'keys' | 'columns'>): number {
  const parts = keyPartCount(h);
  return 24 + stateLength(h.keys.length, parts) + BASE_LENGTH + h.keys.length * KEY_DEF_BYTES + parts * KEY_PART_BYTES + h.columns.length * COLUMN_BYTES;
}

export function encodeHeader(h: MyiHeader): Buffer {
  const parts = keyPartCount(h);
  const sLen = stateLength(h.keys.length, parts);
  const basePos = 24 + sLen;
  const b = Buffer.alloc(headerLength(h));
  MYI_MAGIC.copy(b, 0);
  b.writeUInt16BE(h.options, OFF.options);
  b.writeUInt16BE(b.length, OFF.headerLength);
  b.writeUInt16BE(sLen, OFF.stateLength);
  b.writeUInt16BE(BASE_LENGTH, OFF.baseLength);
  b.writeUInt16BE(basePos, OFF.basePos);
  b.writeUInt16BE(parts, OFF.keyParts);
  b.writeUInt16BE(h.keys.filter((k) => k.flag & 1).reduce((n, k) => n + k.parts.length, 0), OFF.uniqueKeyParts);
  b[OFF.keys] = h.keys.length;
  b[OFF.uniques] = h.uniques;
  b[OFF.language] = h.language;
  b[OFF.blockSizeIndex] = h.blockSizeIndex;
  b[OFF.fulltextKeys] = 0;
  b.writeUInt16BE(Math.max(0, Math.min(0xffff, h.openCount)), OFF.openCount);
  b[OFF.changed] = h.changed;
  b[OFF.sortKey] = h.sortKey;
  const big = [h.records, h.deleted, h.split, h.dellink, h.keyFileLength, h.dataFileLength, h.empty, h.keyEmpty, h.autoIncrement, h.checksum];
  big.forEach((v, i) => b.writeBigUInt64BE(BigInt.asUintN(64, v), OFF.records + 8 * i));
  b.writeUInt32BE(h.process >>> 0, OFF.process);
  b.writeUInt32BE(h.unique >>> 0, OFF.unique);
  b.writeUInt32BE(h.status >>> 0, OFF.status);
  b.writeUInt32BE(h.updateCount >>> 0, OFF.updateCount);
  let p: number = OFF.keyRoots;
  for (const r of h.keyRoots) {
    b.writeBigUInt64BE(BigInt.asUintN(64, r), p);
    p += 8;
  }
  b.writeBigUInt64BE(BigInt.asUintN(64, h.keyDel), p);
  p += 8;
  p += 8; // sec_index_changed, sec_index_used
  b.writeUInt32BE(h.version >>> 0, p);
  p += 4;
  for (const v of [h.keyMap, h.createTime, h.recoverTime, h.checkTime, h.recPerKeyRows]) {
    b.writeBigUInt64BE(BigInt.asUintN(64, v), p);
    p += 8;
  }
  for (let i = 0; i < parts; i++) {
    b.writeUInt32BE(Math.max(0, Math.min(0xffffffff, Math.round(h.recPerKeyPart[i] ?? 0))), p);
    p += 4;
  }
  // base information
  p = basePos;
  for (const v of [h.keystart, h.maxDataFileLength, h.maxKeyFileLength, h.maxRows, 0n]) {
    b.writeBigUInt64BE(BigInt.asUintN(64, v), p);
    p += 8;
  }
  for (const v of [h.meanRowLength, h.reclength, h.reclength, h.minBlockLength, h.reclength, h.minBlockLength, h.columns.length, 0]) {
    b.writeUInt32BE(v >>> 0, p);
    p += 4;
  }
  b[p++] = h.recRefLength;
  b[p++] = h.keyRefLength;
  b[p++] = h.keys.length;
  b[p++] = h.autoKey;
  p += 2;
  b.writeUInt16BE(h.blobs, p);
  p = basePos + BASE_LENGTH;
  for (const k of h.keys) {
    b.writeUInt16BE(k.flag, p);
    b[p + 2] = k.parts.length;
    b.writeUInt16BE(k.blockSize, p + 3);
    b.writeUInt16BE(k.keyLength, p + 5);
    p += KEY_DEF_BYTES;
    for (const kp of k.parts) {
      b.writeUInt16BE(kp.column, p);
      b.writeUInt16BE(kp.length, p + 2);
      b[p + 4] = kp.flags;
      p += KEY_PART_BYTES;
    }
  }
  for (const c of h.columns) {
    b.writeUInt32BE(c.width, p);
    b[p + 4] = (c.nullable ? 1 : 0) | (c.binary ? 2 : 0);
    p += COLUMN_BYTES;
  }
  return b;
}

/** Just the state fields that change while a table is in use, for a small rewrite. */
export function encodeStateHead(h: MyiHeader): Buffer {
  return encodeHeader(h).subarray(0, OFF.keyRoots + 8 * h.keys.length);
}

export function decodeHeader(b: Buffer): MyiHeader {
  if (b.length < OFF.keyRoots) throw new HeaderCorrupt('file shorter than the .MYI header');
  if (!b.subarray(0, 4).equals(MYI_MAGIC)) throw new HeaderCorrupt('bad .MYI magic number');
  const hLen = b.readUInt16BE(OFF.headerLength);
  const sLen = b.readUInt16BE(OFF.stateLength);
  const baseLen = b.readUInt16BE(OFF.baseLength);
  const basePos = b.readUInt16BE(OFF.basePos);
  const nParts = b.readUInt16BE(OFF.keyParts);
  const nKeys = b[OFF.keys]!;
  if (nKeys > 64 || nParts > 64 * 16) throw new HeaderCorrupt('bad key counts in the .MYI header');
  if (sLen !== stateLength(nKeys, nParts) || baseLen !== BASE_LENGTH || basePos !== 24 + sLen) throw new HeaderCorrupt('bad section lengths in the .MYI header');
  if (basePos + BASE_LENGTH > b.length) throw new HeaderCorrupt('file shorter than the .MYI header');
  const nFields = b.readUInt32BE(basePos + 40 + 24);
  if (nFields < 1 || nFields > 4096) throw new HeaderCorrupt('bad field count in the .MYI header');
  if (hLen > b.length || hLen !== basePos + BASE_LENGTH + nKeys * KEY_DEF_BYTES + nParts * KEY_PART_BYTES + nFields * COLUMN_BYTES) throw new HeaderCorrupt('bad .MYI header length');
  const big = (o: number): bigint => b.readBigUInt64BE(o);
  let p: number = OFF.keyRoots;
  const keyRoots: bigint[] = [];
  for (let i = 0; i < nKeys; i++, p += 8) keyRoots.push(big(p));
  const keyDel = big(p);
  p += 16;
  const version = b.readUInt32BE(p);
  p += 4;
  const [keyMap, createTime, recoverTime, checkTime, recPerKeyRows] = [0, 1, 2, 3, 4].map((i) => big(p + 8 * i)) as [bigint, bigint, bigint, bigint, bigint];
  p += 40;
  const recPerKeyPart: number[] = [];
  for (let i = 0; i < nParts; i++, p += 4) recPerKeyPart.push(b.readUInt32BE(p));
  p = basePos;
  const keystart = big(p);
  const maxDataFileLength = big(p + 8);
  const maxKeyFileLength = big(p + 16);
  const maxRows = big(p + 24);
  p += 40;
  const meanRowLength = b.readUInt32BE(p);
  const reclength = b.readUInt32BE(p + 4);
  const minBlockLength = b.readUInt32BE(p + 12);
  const fields = b.readUInt32BE(p + 24);
  p += 32;
  const recRefLength = b[p]!;
  const keyRefLength = b[p + 1]!;
  const autoKey = b[p + 3]!;
  const blobs = b.readUInt16BE(p + 6);
  if (recRefLength < 2 || recRefLength > 8 || keyRefLength < 2 || keyRefLength > 8) throw new HeaderCorrupt('bad pointer sizes in the .MYI header');
  p = basePos + BASE_LENGTH;
  const keys: MyiKeyDef[] = [];
  let seenParts = 0;
  for (let i = 0; i < nKeys; i++) {
    const flag = b.readUInt16BE(p);
    const np = b[p + 2]!;
    const blockSize = b.readUInt16BE(p + 3);
    const keyLength = b.readUInt16BE(p + 5);
    p += KEY_DEF_BYTES;
    seenParts += np;
    if (seenParts > nParts || (blockSize !== 1024 && blockSize !== 2048 && blockSize !== 4096)) throw new HeaderCorrupt('bad key definition in the .MYI header');
    const parts: MyiKeyPartDef[] = [];
    for (let j = 0; j < np; j++, p += KEY_PART_BYTES) parts.push({ column: b.readUInt16BE(p), length: b.readUInt16BE(p + 2), flags: b[p + 4]! });
    keys.push({ flag, blockSize, keyLength, parts });
  }
  if (seenParts !== nParts) throw new HeaderCorrupt('key part count does not match the key definitions');
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < nFields; i++, p += COLUMN_BYTES) {
    const flags = b[p + 4]!;
    columns.push({ width: b.readUInt32BE(p), nullable: (flags & 1) !== 0, binary: (flags & 2) !== 0 });
  }
  return {
    options: b.readUInt16BE(OFF.options),
    uniques: b[OFF.uniques]!,
    language: b[OFF.language]!,
    blockSizeIndex: b[OFF.blockSizeIndex]!,
    openCount: b.readUInt16BE(OFF.openCount),
    changed: b[OFF.changed]!,
    sortKey: b[OFF.sortKey]!,
    records: big(OFF.records),
    deleted: big(OFF.deleted),
    split: big(OFF.split),
    dellink: big(OFF.dellink),
    keyFileLength: big(OFF.keyFileLength),
    dataFileLength: big(OFF.dataFileLength),
    empty: big(OFF.empty),
    keyEmpty: big(OFF.keyEmpty),
    autoIncrement: big(OFF.autoIncrement),
    checksum: big(OFF.checksum),
    process: b.readUInt32BE(OFF.process),
    unique: b.readUInt32BE(OFF.unique),
    status: b.readUInt32BE(OFF.status),
    updateCount: b.readUInt32BE(OFF.updateCount),
    keyRoots,
    keyDel,
    version,
    keyMap,
    createTime,
    recoverTime,
    checkTime,
    recPerKeyRows,
    recPerKeyPart,
    keystart,
    maxDataFileLength,
    maxKeyFileLength,
    maxRows,
    meanRowLength,
    reclength,
    minBlockLength,
    fields,
    recRefLength,
    keyRefLength,
    autoKey,
    blobs,
    keys,
    columns,
  };
}

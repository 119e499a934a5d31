/**
 * The compressed (packed, read-only) data file format that `refmyisampack` writes and the engine
 * reads back. MySQL's myisampack builds Huffman trees per column; refmysql's format is its own
 * (decision in spec/16.2-myisam.md): each record is compressed on its own with raw deflate
 * (node:zlib) against a preset dictionary shared by the whole table, so a record can still be
 * read alone from its offset (key entries point at record offsets) while repeated column
 * contents across rows cost almost nothing.
 *
 * Layout (integers big-endian):
 * - 0..3   magic FE FE 08 52
 * - 4..7   offset of the first record (the header length)
 * - 8..11  number of records
 * - 12     the table's format before packing (0 fixed, 1 dynamic), kept for unpacking
 * - 13..15 reserved (0)
 * - 16..19 length of the dictionary once inflated
 * - 20..   the dictionary, deflated
 * - then each record: its compressed length (one byte below 254; 254 + 2 bytes; 255 + 4
 *   bytes) and the deflated bytes of the record in the dynamic record layout (no padding).
 *
 * A record's pointer is the offset of its length prefix. Reading checks every length and turns
 * any zlib failure into a {@link RecordCorrupt}, so random bytes give an error, never a crash.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/compressed-format.html (16.2.3.3)
 * @req MYISAM-110 MYISAM-111 MYISAM-112 MYISAM-029
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Row } from '../../kernel/value.js';
import { RecordCorrupt, RecordLayout, type ColumnInfo } from './record-codec.js';

/** Magic number opening a packed .MYD. */
export const PACKED_MAGIC = Buffer.from([0xfe, 0xfe, 0x08, 0x52]);
/** Fixed part of the packed file header, before the dictionary. */
export const PACKED_HEADER = 20;
/** Largest preset dictionary raw deflate can use. */
const MAX_DICTIONARY = 32 * 1024;
/** No record inflates beyond this (a damaged record must not exhaust memory). */
const MAX_RECORD_BYTES = 1 << 26;

export interface PackedRecord {
  ptr: number;
  row: Row;
}

function lengthPrefix(n: number): Buffer {
  if (n < 254) return Buffer.from([n]);
  if (n <= 0xffff) return Buffer.from([254, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 255;
  b.writeUInt32BE(n, 1);
  return b;
}

/**
 * The dictionary: records spread over the table, up to an eighth of their total size (so a small
 * table does not pay for a dictionary bigger than what it saves) and deflate's 32 KB window.
 */
function buildDictionary(encoded: readonly Buffer[]): Buffer {
  const total = encoded.reduce((n, b) => n + b.length, 0);
  const budget = Math.min(MAX_DICTIONARY, Math.ceil(total / 8));
  if (budget === 0 || encoded.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  let size = 0;
  const step = Math.max(1, Math.floor(encoded.length / 64));
  for (let i = 0; i < encoded.length && size < budget; i += step) {
    parts.push(encoded[i]!);
    size += encoded[i]!.length;
  }
  const dict = Buffer.concat(parts);
  return dict.subarray(Math.max(0, dict.length - budget));
}

/** Pack rows (columns as the .MYI describes them) into a packed data file. */
export function packRecords(columns: readonly ColumnInfo[], rows: readonly Row[], sourceFormat: 'fixed' | 'dynamic'): { data: Buffer; ptrs: number[] } {
  const layout = new RecordLayout(columns, 'dynamic');
  const encoded = rows.map((r) => layout.encode(r));
  const dict = buildDictionary(encoded);
  const opts = dict.length > 0 ? { level: 9, dictionary: dict } : { level: 9 };
  const zdict = deflateRawSync(dict, { level: 9 });
  const head = Buffer.alloc(PACKED_HEADER);
  PACKED_MAGIC.copy(head, 0);
  head.writeUInt32BE(PACKED_HEADER + zdict.length, 4);
  head.writeUInt32BE(rows.length, 8);
  head[12] = sourceFormat === 'dynamic' ? 1 : 0;
  head.writeUInt32BE(dict.length, 16);
  const parts: Buffer[] = [head, zdict];
  let at = PACKED_HEADER + zdict.length;
  const ptrs: number[] = [];
  for (const e of encoded) {
    const z = deflateRawSync(e, opts);
    const pre = lengthPrefix(z.length);
    ptrs.push(at);
    parts.push(pre, z);
    at += pre.length + z.length;
  }
  return { data: Buffer.concat(parts), ptrs };
}

/** Whether data file bytes start like a packed file. */
export function isPackedData(data: Buffer): boolean {
  return data.length >= 4 && data.subarray(0, 4).equals(PACKED_MAGIC);
}

/** The format the table had before it was packed (byte 12). */
export function packedSourceFormat(data: Buffer): 'fixed' | 'dynamic' {
  if (data.length < PACKED_HEADER || !isPackedData(data)) throw new RecordCorrupt('not a packed data file');
  return data[12] === 1 ? 'dynamic' : 'fixed';
}

function inflate(buf: Buffer, dict: Buffer | undefined): Buffer {
  try {
    return inflateRawSync(buf, dict && dict.length > 0 ? { dictionary: dict, maxOutputLength: MAX_RECORD_BYTES } : { maxOutputLength: MAX_RECORD_BYTES });
  } catch (e) {
    throw new RecordCorrupt(`compressed record does not inflate: ${(e as Error).message}`);
  }
}

/**
 * Read every record of a packed data file. Throws RecordCorrupt when the header is unreadable;
 * a damaged record stops the walk (the rest of the file has no reliable boundaries) and is
 * counted in `bad`.
 */
export function unpackRecords(columns: readonly ColumnInfo[], data: Buffer): { records: PackedRecord[]; bad: number; expected: number } {
  if (data.length < PACKED_HEADER || !isPackedData(data)) throw new RecordCorrupt('not a packed data file');
  const start = data.readUInt32BE(4);
  const expected = data.readUInt32BE(8);
  const dictLen = data.readUInt32BE(16);
  if (start < PACKED_HEADER || start > data.length || dictLen > MAX_DICTIONARY || data[12]! > 1) throw new RecordCorrupt('bad packed data file header');
  const dict = inflate(data.subarray(PACKED_HEADER, start), undefined);
  if (dict.length !== dictLen) throw new RecordCorrupt('packed dictionary has the wrong length');
  const layout = new RecordLayout(columns, 'dynamic');
  const records: PackedRecord[] = [];
  let pos = start;
  let bad = 0;
  while (pos < data.length) {
    const ptr = pos;
    try {
      const first = data[pos]!;
      let len: number;
      if (first < 254) {
        len = first;
        pos += 1;
      } else if (first === 254) {
        if (pos + 3 > data.length) throw new RecordCorrupt('record length runs past the file');
        len = data.readUInt16BE(pos + 1);
        pos += 3;
      } else {
        if (pos + 5 > data.length) throw new RecordCorrupt('record length runs past the file');
        len = data.readUInt32BE(pos + 1);
        pos += 5;
      }
      if (len === 0 || pos + len > data.length) throw new RecordCorrupt('record runs past the file');
      const raw = inflate(data.subarray(pos, pos + len), dict);
      records.push({ ptr, row: layout.decode(raw) });
      pos += len;
    } catch (e) {
      if (!(e instanceof RecordCorrupt)) throw e;
      bad++;
      break;
    }
  }
  if (bad === 0 && records.length !== expected) bad++;
  return { records, bad, expected };
}

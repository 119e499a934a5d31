/**
 * The framing of one redo record inside the log stream: the payload's length as an unsigned
 * LEB128 varint, the payload, and a big-endian crc32 of the varint and payload together.
 *
 * The payload is opaque here (the engine builds it). The per-record crc is what finds the end
 * of the log when the blocks themselves look sound: a record whose bytes were only partly
 * written, or written over by garbage that happens to sit in valid blocks, fails it, and the
 * reader stops there. The crc covers the length too, so a damaged length cannot make the
 * reader take a wrong slice of bytes as a record.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-redo-log.html (15.6.5)
 * @req INNODB-LOG-103
 */
import { crc32 } from 'node:zlib';
import { REDO_RECORD_MAX_PAYLOAD } from './limits.js';

/** Bytes of the crc that closes every record (INNODB-LOG-103). */
export const RECORD_CRC_SIZE = 4;

/** Longest varint a valid length can take (INNODB-LOG-103). */
export const RECORD_MAX_VARINT = 5;

/** The varint encoding of `n` (0 <= n < 2^35). */
export function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

/** The crc a record carries, over its length varint and payload. */
export function recordCrc(lengthBytes: Buffer, payload: Buffer): number {
  return crc32(payload, crc32(lengthBytes));
}

/** The framed bytes of a record carrying `payload`. */
export function encodeRecord(payload: Buffer): Buffer {
  if (payload.length > REDO_RECORD_MAX_PAYLOAD) {
    throw new RangeError(`redo record payload of ${payload.length} bytes exceeds ${REDO_RECORD_MAX_PAYLOAD}`);
  }
  const len = encodeVarint(payload.length);
  const out = Buffer.allocUnsafe(len.length + payload.length + RECORD_CRC_SIZE);
  len.copy(out, 0);
  payload.copy(out, len.length);
  out.writeUInt32BE(recordCrc(len, payload), len.length + payload.length);
  return out;
}

/**
 * Incremental decoder of a length varint, byte by byte: the decoded length when complete,
 * 'more' when it needs another byte, 'bad' when the bytes cannot be a valid length.
 */
export class VarintReader {
  private value = 0;
  private scale = 1;
  private readonly bytes: number[] = [];

  push(byte: number): number | 'more' | 'bad' {
    this.bytes.push(byte);
    this.value += (byte & 0x7f) * this.scale;
    this.scale *= 0x80;
    if (byte & 0x80) return this.bytes.length >= RECORD_MAX_VARINT ? 'bad' : 'more';
    // A non-minimal encoding (a trailing zero group) is never written, so it marks damage.
    if (this.bytes.length > 1 && byte === 0) return 'bad';
    return this.value > REDO_RECORD_MAX_PAYLOAD ? 'bad' : this.value;
  }

  /** The bytes pushed so far. */
  encoded(): Buffer {
    return Buffer.from(this.bytes);
  }
}

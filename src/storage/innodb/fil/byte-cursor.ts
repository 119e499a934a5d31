/**
 * A bounds-checked cursor over a fixed buffer, for the small binary headers of our tablespace,
 * system tablespace and doublewrite files. Integers are big-endian like every InnoDB on-disk
 * field; strings and byte strings carry a length prefix. Reading or writing past the end, or a
 * string that is not UTF-8, throws {@link FormatError}, which each file's reader turns into
 * its own corruption error.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-file-space.html (15.11.2 File Space Management)
 * @req INNODB-PAGE-103
 */

/** The bytes do not hold what the reader expected (too short, a bad length, invalid UTF-8). */
export class FormatError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteCursor {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  private need(n: number): number {
    if (n > this.buf.length - this.pos) throw new FormatError(`needs ${n} bytes at offset ${this.pos} of ${this.buf.length}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.buf.readUInt8(this.need(1));
  }
  u16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  u32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  u64(): bigint {
    return this.buf.readBigUInt64BE(this.need(8));
  }
  /** A u64 that must be a safe integer (counts, ids). */
  u64n(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError(`value ${v} out of range`);
    return Number(v);
  }
  bytes(n: number): Buffer {
    const at = this.need(n);
    return Buffer.from(this.buf.subarray(at, at + n));
  }
  /** Bytes with a u16 length prefix. */
  bytes16(): Buffer {
    return this.bytes(this.u16());
  }
  /** A UTF-8 string with a u16 byte-length prefix. */
  str16(): string {
    const len = this.u16();
    const at = this.need(len);
    try {
      return utf8.decode(this.buf.subarray(at, at + len));
    } catch {
      throw new FormatError(`invalid UTF-8 at offset ${at}`);
    }
  }

  putU8(v: number): void {
    this.buf.writeUInt8(v, this.need(1));
  }
  putU16(v: number): void {
    this.buf.writeUInt16BE(v, this.need(2));
  }
  putU32(v: number): void {
    this.buf.writeUInt32BE(v, this.need(4));
  }
  putU64(v: bigint | number): void {
    this.buf.writeBigUInt64BE(BigInt(v), this.need(8));
  }
  putBytes(b: Uint8Array): void {
    this.buf.set(b, this.need(b.length));
  }
  putBytes16(b: Uint8Array): void {
    if (b.length > 0xffff) throw new FormatError(`${b.length} bytes do not fit a u16 length`);
    this.putU16(b.length);
    this.putBytes(b);
  }
  putStr16(s: string): void {
    this.putBytes16(Buffer.from(s, 'utf8'));
  }
}

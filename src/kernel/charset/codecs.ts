/**
 * Codecs of MySQL's character sets: text to bytes and bytes to text for all 41 charsets.
 *
 * Single-byte charsets use the byte tables in sbcs-data.ts (MySQL's own mappings, so latin1 is
 * cp1252 with 0x81/0x8D/0x8F/0x90/0x9D passed through); the east-asian multi-byte charsets go
 * through the platform's WHATWG decoders (TextDecoder; the kernel imports no package), with
 * encoders built by inverting them, held to MySQL's repertoire (big5 without the HKSCS rows,
 * gb2312 to its EUC rows) and corrected by MySQL's own mappings where they differ (mb-data.ts);
 * the Unicode charsets are coded here directly.
 * Characters a charset cannot hold encode as '?', as MySQL's conversion does; bytes that are not
 * a valid sequence decode as '?' and never throw.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-conversion.html
 * @req CORE-CS-010 CORE-CS-011 CORE-CS-012 CORE-CS-013 CORE-CS-016 CORE-CS-017
 */
import { MB_OVERRIDES } from './mb-data.js';
import { SBCS_DECODE } from './sbcs-data.js';

const QUESTION = 0x3f;

interface SbcsCodec {
  dec: string;
  enc: Map<number, number>;
}

const sbcs = new Map<string, SbcsCodec>();
/** Table codec of a single-byte charset, built on first use. @req CORE-CS-010 */
function sbcsCodec(cs: string): SbcsCodec | undefined {
  let c = sbcs.get(cs);
  if (c) return c;
  const dec = SBCS_DECODE[cs];
  if (dec === undefined) return undefined;
  const enc = new Map<number, number>();
  for (let b = 0; b < 256; b++) {
    const cp = dec.charCodeAt(b);
    // bytes without a character decode to '?' or U+FFFD; they are no target for encoding
    if ((cp === QUESTION && b !== QUESTION) || cp === 0xfffd) continue;
    if (!enc.has(cp)) enc.set(cp, b);
  }
  c = { dec, enc };
  sbcs.set(cs, c);
  return c;
}

/** MySQL charset name -> WHATWG encoding label, for the multi-byte east-asian charsets. */
const PLATFORM_LABEL: Readonly<Record<string, string>> = {
  big5: 'big5',
  cp932: 'shift_jis',
  sjis: 'shift_jis',
  ujis: 'euc-jp',
  eucjpms: 'euc-jp',
  euckr: 'euc-kr',
  gb2312: 'gbk',
  gbk: 'gbk',
  gb18030: 'gb18030',
};

const decoders = new Map<string, TextDecoder>();
function platformDecode(b: Buffer, label: string): string {
  let d = decoders.get(label);
  if (!d) {
    d = new TextDecoder(label);
    decoders.set(label, d);
  }
  return d.decode(b);
}

/**
 * Encoder of a WHATWG multi-byte encoding, built once by decoding every candidate sequence
 * (single bytes, then two-byte, then three-byte, then gb18030's four-byte BMP sequences, in
 * ascending order) and keeping the first sequence that gives each code point.
 */
const encoders = new Map<string, Map<number, Buffer>>();
function platformEncoder(label: string): Map<number, Buffer> {
  let m = encoders.get(label);
  if (m) return m;
  const enc = new Map<number, Buffer>();
  const d = new TextDecoder(label);
  const tryBytes = (bytes: number[]): void => {
    const s = d.decode(Buffer.from(bytes));
    const cp = s.codePointAt(0);
    if (cp === undefined || cp === 0xfffd || s.length !== (cp > 0xffff ? 2 : 1)) return;
    if (!enc.has(cp)) enc.set(cp, Buffer.from(bytes));
  };
  for (let a = 0x80; a <= 0xff; a++) tryBytes([a]);
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) tryBytes([a, b]);
  if (label === 'euc-jp') for (let a = 0xa1; a <= 0xfe; a++) for (let b = 0xa1; b <= 0xfe; b++) tryBytes([0x8f, a, b]);
  if (label === 'gb18030') {
    for (let a = 0x81; a <= 0x84; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let e = 0x30; e <= 0x39; e++) tryBytes([a, b, c, e]);
  }
  encoders.set(label, enc);
  m = enc;
  return m;
}

/** gb18030's four-byte form of a supplementary code point (a linear range from 0x90308130). */
function gb18030Supplementary(cp: number): Buffer {
  let n = cp - 0x10000;
  const b4 = 0x30 + (n % 10);
  n = Math.floor(n / 10);
  const b3 = 0x81 + (n % 126);
  n = Math.floor(n / 126);
  const b2 = 0x30 + (n % 10);
  const b1 = 0x90 + Math.floor(n / 10);
  return Buffer.from([b1, b2, b3, b4]);
}

/** Whether a multi-byte sequence the platform codec produced belongs to MySQL's repertoire of the charset. */
function inRepertoire(cs: string, b: Buffer): boolean {
  if (b.length === 1) return true;
  const lead = b[0]!, trail = b[1]!;
  switch (cs) {
    case 'big5':
      // plain Big5: lead 0xA1..0xF9 (the WHATWG table also has the HKSCS rows 0x87..0xA0)
      return lead >= 0xa1 && lead <= 0xf9;
    case 'gb2312':
      return lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe;
    default:
      return true;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Text with unpaired surrogates replaced by '?' (they are no character in any charset). */
function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '?');
}

interface MbOverrides {
  enc: Map<number, Buffer>;
  /** Keyed by seqKey(). */
  dec: Map<number, number>;
}

/** A number naming a byte sequence of up to four bytes (its value plus its length above 2^32). */
function seqKey(b: Buffer, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 256 + b[i + k]!;
  return v + n * 0x100000000;
}
const mbCache = new Map<string, MbOverrides | null>();
/** MySQL's own mappings where they differ from the platform codec's, expanded from mb-data.ts runs. @req CORE-CS-017 */
function mbOverrides(cs: string): MbOverrides | null {
  let o = mbCache.get(cs);
  if (o !== undefined) return o;
  const src = MB_OVERRIDES[cs];
  o = null;
  if (src) {
    o = { enc: new Map(), dec: new Map() };
    for (const [k, v, n] of runsOf(src.enc)) {
      for (let i = 0; i < n; i++) {
        const val = v.value === QUESTION ? QUESTION : v.value + i;
        o.enc.set(k.value + i, Buffer.from(val.toString(16).padStart(v.width, '0'), 'hex'));
      }
    }
    for (const [k, v, n] of runsOf(src.dec)) {
      for (let i = 0; i < n; i++) o.dec.set(k.value + i + (k.width / 2) * 0x100000000, v.value + i);
    }
  }
  mbCache.set(cs, o);
  return o;
}

interface Hex {
  value: number;
  width: number;
}
function* runsOf(spec: string): Generator<[Hex, Hex, number]> {
  if (spec === '') return;
  for (const item of spec.split(',')) {
    const [left, right] = item.split(':') as [string, string];
    const [start, count] = left.split('+') as [string, string | undefined];
    yield [{ value: parseInt(start, 16), width: start.length }, { value: parseInt(right, 16), width: right.length }, count ? parseInt(count, 16) : 1];
  }
}

/** Bytes the character starting at `i` takes (by its lead byte) in a multi-byte charset. */
function seqLen(cs: string, b: Buffer, i: number): number {
  const x = b[i]!;
  if (x < 0x80) return 1;
  switch (cs) {
    case 'sjis':
    case 'cp932':
      return (x >= 0x81 && x <= 0x9f) || (x >= 0xe0 && x <= 0xfc) ? 2 : 1;
    case 'ujis':
    case 'eucjpms':
      return x === 0x8f ? 3 : x === 0x8e || (x >= 0xa1 && x <= 0xfe) ? 2 : 1;
    case 'gb18030': {
      const y = b[i + 1];
      return x >= 0x81 && x <= 0xfe ? (y !== undefined && y >= 0x30 && y <= 0x39 ? 4 : 2) : 1;
    }
    default:
      return x >= 0x81 && x <= 0xfe ? 2 : 1;
  }
}

function platformDecodeSeq(b: Buffer, name: string): string {
  if (b.length === 0) return '';
  return platformDecode(b, name).replace(/\ufffd/g, '?');
}

/**
 * Decode a multi-byte charset one character at a time (split by lead byte), each sequence through
 * MySQL's override table or the platform decoder, cached per sequence. The platform decoder
 * drops some invalid bytes silently; a sequence that decodes to nothing becomes '?'.
 */
const seqCache = new Map<string, Map<number, string>>();
/** Sequences cached per charset before the cache starts over (a bound on memory, not a limit of SQL). */
const SEQ_CACHE_MAX = 100_000;
function decodeMb(b: Buffer, cs: string, name: string): string {
  const ov = mbOverrides(cs);
  let cache = seqCache.get(cs);
  if (!cache) {
    cache = new Map();
    seqCache.set(cs, cache);
  }
  let out = '';
  let asciiFrom = -1;
  for (let i = 0; i < b.length; ) {
    if (b[i]! < 0x80) {
      if (asciiFrom < 0) asciiFrom = i;
      i++;
      continue;
    }
    if (asciiFrom >= 0) {
      out += b.toString('latin1', asciiFrom, i);
      asciiFrom = -1;
    }
    const n = Math.min(seqLen(cs, b, i), b.length - i);
    const key = seqKey(b, i, n);
    let ch = cache.get(key);
    if (ch === undefined) {
      const own = ov?.dec.get(key);
      if (own !== undefined) ch = String.fromCodePoint(own);
      else {
        const d = platformDecodeSeq(b.subarray(i, i + n), name);
        // a character MySQL cannot encode in this charset is no character of it (gbk's 0xFF
        // decodes to a private-use code point on the platform, MySQL refuses the byte)
        ch = d === '' || ([...d].length === 1 && d !== '?' && encodeMbChar(d, cs)[0] === QUESTION) ? '?' : d;
      }
      if (cache.size >= SEQ_CACHE_MAX) cache.clear();
      cache.set(key, ch);
    }
    out += ch;
    i += n;
  }
  if (asciiFrom >= 0) out += b.toString('latin1', asciiFrom);
  return out;
}

/**
 * One character of a multi-byte charset through the platform codec alone, held to MySQL's
 * repertoire but without the override table (scripts/charset-tables.mjs derives the overrides).
 */
export function platformEncodeChar(ch: string, cs: string): Buffer {
  const name = PLATFORM_LABEL[cs];
  if (name === undefined) return Buffer.from(ch, 'utf8');
  const cp = ch.codePointAt(0)!;
  const b = platformEncoder(name).get(cp) ?? (name === 'gb18030' && cp > 0xffff ? gb18030Supplementary(cp) : undefined);
  return b !== undefined && inRepertoire(cs, b) ? b : Buffer.from([QUESTION]);
}

/** One character of a multi-byte charset with MySQL's mapping (overrides first). */
function encodeMbChar(ch: string, cs: string): Buffer {
  return mbOverrides(cs)?.enc.get(ch.codePointAt(0)!) ?? platformEncodeChar(ch, cs);
}

/** Bytes through the platform codec alone (no override table); invalid sequences give '?'. */
export function platformDecodeRaw(b: Buffer, cs: string): string {
  const name = PLATFORM_LABEL[cs];
  return name === undefined ? b.toString('utf8') : platformDecodeSeq(b, name);
}

/**
 * Byte offset of the first sequence that is no character of a multi-byte east-asian charset, or
 * -1 (single-byte charsets accept every byte). Stores use it to refuse ill-formed bytes (1366).
 * @req CORE-CS-015
 */
export function invalidSequenceAt(b: Buffer, cs: string): number {
  const name = PLATFORM_LABEL[cs];
  if (name === undefined) return -1;
  for (let i = 0; i < b.length; ) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const n = seqLen(cs, b, i);
    if (i + n > b.length || decodeMb(b.subarray(i, i + n), cs, name) === '?') return i;
    i += n;
  }
  return -1;
}

export function isSingleByteCharset(cs: string): boolean {
  return SBCS_DECODE[cs] !== undefined;
}

/** Encode text in a (normalised) charset name; unrepresentable characters become '?'. @req CORE-CS-011 */
export function encodeIn(s: string, cs: string): Buffer {
  switch (cs) {
    case 'utf8mb4':
    case 'binary':
      return Buffer.from(s, 'utf8');
    case 'utf8mb3':
      // characters outside the BMP cannot be stored in utf8mb3
      return Buffer.from(/[\u{10000}-\u{10ffff}]/u.test(s) ? s.replace(/[\u{10000}-\u{10ffff}]/gu, '?') : s, 'utf8');
    case 'utf16le':
      return Buffer.from(wellFormed(s), 'utf16le');
    case 'utf16':
      return Buffer.from(wellFormed(s), 'utf16le').swap16();
    case 'ucs2': {
      const t = s.replace(/[\u{10000}-\u{10ffff}]/gu, '?').replace(/[\ud800-\udfff]/g, '?');
      return Buffer.from(t, 'utf16le').swap16();
    }
    case 'utf32': {
      const cps = [...wellFormed(s)];
      const out = Buffer.alloc(cps.length * 4);
      cps.forEach((ch, i) => out.writeUInt32BE(ch.codePointAt(0)!, i * 4));
      return out;
    }
  }
  const t = sbcsCodec(cs);
  if (t) {
    const out = Buffer.alloc(s.length);
    let n = 0;
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      out[n++] = t.enc.get(cp) ?? QUESTION;
    }
    return out.subarray(0, n);
  }
  const name = PLATFORM_LABEL[cs];
  if (name === undefined) return Buffer.from(s, 'utf8');
  if (/^[\x00-\x7f]*$/.test(s)) return Buffer.from(s, 'latin1');
  const parts: Buffer[] = [];
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) {
      parts.push(Buffer.from([ch.charCodeAt(0)]));
      continue;
    }
    parts.push(encodeMbChar(ch, cs));
  }
  return Buffer.concat(parts);
}

/** Decode bytes of a (normalised) charset; invalid sequences become '?', never an exception. @req CORE-CS-012 */
export function decodeIn(b: Buffer, cs: string): string {
  switch (cs) {
    case 'utf8mb4':
    case 'utf8mb3':
    case 'binary':
      return b.toString('utf8');
    case 'utf16le':
    case 'utf16':
    case 'ucs2':
      return decodeUtf16(b, cs === 'utf16le', cs === 'ucs2');
    case 'utf32': {
      let out = '';
      const whole = b.length - (b.length % 4);
      for (let i = 0; i < whole; i += 4) {
        const cp = b.readUInt32BE(i);
        out += cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '?' : String.fromCodePoint(cp);
      }
      return whole < b.length ? out + '?' : out;
    }
  }
  const t = sbcsCodec(cs);
  if (t) {
    let out = '';
    for (const x of b) out += t.dec[x];
    return out;
  }
  const name = PLATFORM_LABEL[cs];
  if (name === undefined) return b.toString('utf8');
  return decodeMb(b, cs, name);
}

/** @req CORE-CS-016 */
function decodeUtf16(b: Buffer, le: boolean, ucs2: boolean): string {
  const whole = b.length - (b.length % 2);
  let out = '';
  for (let i = 0; i < whole; i += 2) {
    const u = le ? b.readUInt16LE(i) : b.readUInt16BE(i);
    if (u >= 0xd800 && u <= 0xdbff && !ucs2 && i + 3 < whole) {
      const v = le ? b.readUInt16LE(i + 2) : b.readUInt16BE(i + 2);
      if (v >= 0xdc00 && v <= 0xdfff) {
        out += String.fromCharCode(u, v);
        i += 2;
        continue;
      }
    }
    out += u >= 0xd800 && u <= 0xdfff ? '?' : String.fromCharCode(u);
  }
  return whole < b.length ? out + '?' : out;
}

/** Bytes the text takes in a (normalised) charset. @req CORE-CS-013 */
export function byteLengthIn(s: string, cs: string): number {
  if (cs === 'utf8mb4' || cs === 'binary') return Buffer.byteLength(s, 'utf8');
  if (isSingleByteCharset(cs)) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++;
    }
    return n;
  }
  if (/^[\x00-\x7f]*$/.test(s)) {
    if (cs === 'ucs2' || cs === 'utf16' || cs === 'utf16le') return s.length * 2;
    if (cs === 'utf32') return s.length * 4;
    return s.length;
  }
  return encodeIn(s, cs).length;
}

/**
 * Encryption and compression functions: AES_ENCRYPT / AES_DECRYPT (mode from
 * block_encryption_mode, MySQL's key folding, optional IV and the 8.0.30 KDF arguments) and
 * COMPRESS / UNCOMPRESS / UNCOMPRESSED_LENGTH (zlib behind a 4-byte little-endian length).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/encryption-functions.html
 * @req CORE-FN-005 CORE-FN-006
 */
import { createCipheriv, createDecipheriv, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { sqlError } from '../../../kernel/errors.js';
import type { Value } from '../../../kernel/value.js';
import { toStringValue } from '../../types/convert.js';
import { charsetOf, maxBytesPerChar } from '../../../kernel/charset/index.js';
import { intType, stringType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { lenient, strict } from './helpers.js';
import {
  AES_BLOCK_BYTES, AES_KDF_ITERATIONS_MAX, AES_KDF_ITERATIONS_MIN, AES_KDF_ITERATIONS_TEXT_MAX, AES_KDF_OPTION_MAX,
  COMPRESS_LENGTH_MASK, COMPRESS_PREFIX_BYTES,
} from './limits.js';
import { defineFunction } from './registry.js';

/** Bytes of an argument (strings in their UTF-8 form). */
export function bytesOf(v: Value): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(toStringValue(v) ?? '', 'utf8');
}

/** A block_encryption_mode value taken apart. */
export interface AesMode {
  bits: 128 | 192 | 256;
  chain: 'ecb' | 'cbc' | 'cfb1' | 'cfb8' | 'cfb128' | 'ofb';
}

export function parseAesMode(text: string): AesMode {
  const m = /^aes-(128|192|256)-(ecb|cbc|cfb1|cfb8|cfb128|ofb)$/i.exec(text);
  if (!m) return { bits: 128, chain: 'ecb' };
  return { bits: Number(m[1]) as AesMode['bits'], chain: m[2]!.toLowerCase() as AesMode['chain'] };
}

/** ECB and CBC pad to whole blocks (PKCS#7); the stream-like modes do not. */
function padded(mode: AesMode): boolean {
  return mode.chain === 'ecb' || mode.chain === 'cbc';
}

/** Length of the ciphertext of `n` bytes. @req CORE-FN-005 */
export function aesSize(n: number, mode: AesMode): number {
  return padded(mode) ? AES_BLOCK_BYTES * (Math.floor(n / AES_BLOCK_BYTES) + 1) : n;
}

/**
 * MySQL's key folding: the key's bytes are XORed, cyclically, into a zero buffer of the
 * mode's key size, so a short key is zero-padded and a long one wraps around.
 * @req CORE-FN-005
 */
export function foldKey(key: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let k = 0; k < key.length; k++) out[k % size]! ^= key[k]!;
  return out;
}

/** KDF arguments after validation: [name, salt?, info-or-iterations?]. */
export type KdfOptions = string[];

/** Derive the real key from the key argument through the chosen KDF (SHA-512 based). */
export function deriveKey(key: Buffer, size: number, kdf: KdfOptions): Buffer {
  const salt = Buffer.from(kdf[1] ?? '', 'utf8');
  if (kdf[0] === 'hkdf') return Buffer.from(hkdfSync('sha512', key, salt, Buffer.from(kdf[2] ?? '', 'utf8'), size));
  const iterations = kdf[2] !== undefined ? parseInt(kdf[2], 10) : AES_KDF_ITERATIONS_MIN;
  return pbkdf2Sync(key, salt, iterations, size, 'sha512');
}

function cipherName(mode: AesMode): string {
  const chain = mode.chain === 'cfb128' ? 'cfb' : mode.chain;
  return `aes-${mode.bits}-${chain}`;
}

/** Encrypt with a prepared key (and IV for the chained modes). @req CORE-FN-005 */
export function aesEncrypt(data: Buffer, key: Buffer, mode: AesMode, iv: Buffer | null): Buffer {
  const c = createCipheriv(cipherName(mode), key, mode.chain === 'ecb' ? null : iv!.subarray(0, AES_BLOCK_BYTES));
  c.setAutoPadding(padded(mode));
  return Buffer.concat([c.update(data), c.final()]);
}

/** Decrypt; null when the data is not a valid ciphertext for this key (bad length or padding). @req CORE-FN-005 */
export function aesDecrypt(data: Buffer, key: Buffer, mode: AesMode, iv: Buffer | null): Buffer | null {
  try {
    const d = createDecipheriv(cipherName(mode), key, mode.chain === 'ecb' ? null : iv!.subarray(0, AES_BLOCK_BYTES));
    d.setAutoPadding(padded(mode));
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    return null;
  }
}

/** The IV argument: required (16+ bytes) by the chained modes, ignored with a warning by ECB. */
function ivOf(vals: Value[], mode: AesMode, fn: string, rt: Runtime): Buffer | null {
  if (mode.chain === 'ecb') {
    if (vals.length === 3) rt.warn('Warning', 'WARN_OPTION_IGNORED', 'IV');
    return null;
  }
  if (vals.length < 3) throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', fn);
  const iv = vals[2];
  if (iv === null || iv === undefined || bytesOf(iv).length < AES_BLOCK_BYTES) throw sqlError('ER_AES_INVALID_IV', fn, AES_BLOCK_BYTES);
  return bytesOf(iv);
}

/** One KDF option's text; NULL or too long is 3238. */
function kdfOption(v: Value | undefined, max: number): string {
  if (v === null || v === undefined) throw sqlError('ER_AES_INVALID_KDF_OPTION_SIZE', max);
  const t = Buffer.isBuffer(v) ? v.toString('latin1') : toStringValue(v) ?? '';
  if (Buffer.byteLength(t) > max - 1) throw sqlError('ER_AES_INVALID_KDF_OPTION_SIZE', max);
  return t;
}

/** The KDF arguments (4th to 6th), validated as MySQL does. @req CORE-FN-005 */
function kdfOf(vals: Value[], fn: string): KdfOptions {
  if (vals.length <= 3) return [];
  const name = kdfOption(vals[3], AES_KDF_OPTION_MAX);
  // The names are case-sensitive.
  if (name !== 'hkdf' && name !== 'pbkdf2_hmac') throw sqlError('ER_AES_INVALID_KDF_NAME', fn);
  const out = [name];
  if (vals.length <= 4) return out;
  out.push(kdfOption(vals[4], AES_KDF_OPTION_MAX));
  if (vals.length <= 5) return out;
  out.push(kdfOption(vals[5], name === 'pbkdf2_hmac' ? AES_KDF_ITERATIONS_TEXT_MAX : AES_KDF_OPTION_MAX));
  if (name === 'pbkdf2_hmac') {
    const iter = parseInt(out[2]!, 10) || 0;
    if (iter < AES_KDF_ITERATIONS_MIN || iter > AES_KDF_ITERATIONS_MAX) throw sqlError('ER_AES_INVALID_KDF_ITERATIONS', fn);
  }
  return out;
}

function modeOf(rt: Runtime): AesMode {
  return parseAesMode(String(rt.sysVar('block_encryption_mode', 'session') ?? 'aes-128-ecb'));
}

/** The key the cipher uses: folded, or derived through the KDF. */
function keyFor(raw: Buffer, mode: AesMode, kdf: KdfOptions, warn: boolean, rt: Runtime): Buffer {
  const size = mode.bits / 8;
  if (kdf.length > 0) return foldKey(deriveKey(raw, size, kdf), size);
  if (warn && raw.length > size) rt.warn('Warning', 'WARN_AES_KEY_SIZE', size);
  return foldKey(raw, size);
}

/** @req CORE-FN-005 */
defineFunction('AES_ENCRYPT', 2, 6, (args): CompiledExpr => {
  const type = stringType(aesSize(args[0]!.type.length, { bits: 128, chain: 'ecb' }), true, 'binary');
  return lenient(args, type, (vals, rt) => {
    const [data, key] = vals;
    if (data === null || key === null) return null;
    const mode = modeOf(rt);
    const iv = ivOf(vals, mode, 'aes_encrypt', rt);
    const kdf = kdfOf(vals, 'aes_encrypt');
    return aesEncrypt(bytesOf(data!), keyFor(bytesOf(key!), mode, kdf, true, rt), mode, iv);
  });
});

/** @req CORE-FN-005 */
defineFunction('AES_DECRYPT', 2, 6, (args): CompiledExpr => {
  const type = stringType(args[0]!.type.length, true, 'binary');
  return lenient(args, type, (vals, rt) => {
    const [data, key] = vals;
    if (data === null || key === null) return null;
    const mode = modeOf(rt);
    const iv = ivOf(vals, mode, 'aes_decrypt', rt);
    const kdf = kdfOf(vals, 'aes_decrypt');
    return aesDecrypt(bytesOf(data!), keyFor(bytesOf(key!), mode, kdf, false, rt), mode, iv);
  });
});

/**
 * COMPRESS: '' stays ''; otherwise the length (4 bytes, little-endian) then the zlib stream,
 * with a '.' appended when the result would end in a space (so CHAR trailing-space removal
 * cannot damage it).
 * @req CORE-FN-006
 */
export function compress(data: Buffer): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  const head = Buffer.alloc(COMPRESS_PREFIX_BYTES);
  head.writeUInt32LE(data.length & COMPRESS_LENGTH_MASK, 0);
  const body = deflateSync(data);
  const out = Buffer.concat([head, body]);
  return out[out.length - 1] === 0x20 ? Buffer.concat([out, Buffer.from('.')]) : out;
}

/** Outcome of UNCOMPRESS: the bytes, or the warning that makes it NULL. */
export type Uncompressed = { ok: Buffer } | { warn: 'ER_ZLIB_Z_DATA_ERROR' | 'ER_ZLIB_Z_BUF_ERROR' | 'ER_TOO_BIG_FOR_UNCOMPRESS' };

/** UNCOMPRESS of COMPRESS's format, bounded by max_allowed_packet. @req CORE-FN-006 */
export function uncompress(data: Buffer, maxPacket: number): Uncompressed {
  if (data.length === 0) return { ok: Buffer.alloc(0) };
  if (data.length <= COMPRESS_PREFIX_BYTES) return { warn: 'ER_ZLIB_Z_DATA_ERROR' };
  const declared = data.readUInt32LE(0) & COMPRESS_LENGTH_MASK;
  if (declared > maxPacket) return { warn: 'ER_TOO_BIG_FOR_UNCOMPRESS' };
  try {
    // The declared length is the output buffer: more data than that is a buffer error.
    const out = inflateSync(data.subarray(COMPRESS_PREFIX_BYTES), { maxOutputLength: Math.max(1, declared) });
    // zlib reports output into a zero-length buffer as a data error, a longer overflow as a buffer error.
    if (out.length > declared) return { warn: declared === 0 ? 'ER_ZLIB_Z_DATA_ERROR' : 'ER_ZLIB_Z_BUF_ERROR' };
    return { ok: out };
  } catch (e) {
    return { warn: (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' && declared > 0 ? 'ER_ZLIB_Z_BUF_ERROR' : 'ER_ZLIB_Z_DATA_ERROR' };
  }
}

/** Longest argument in bytes: characters times the charset's widest character. */
function maxBytes(t: { length: number; binary?: boolean; collation?: string }): number {
  return t.binary ? t.length : t.length * maxBytesPerChar(charsetOf(t.collation ?? 'utf8mb4_0900_ai_ci'));
}

/** @req CORE-FN-006 */
defineFunction('COMPRESS', 1, 1, (args): CompiledExpr =>
  strict(args, stringType(Math.min(4294967295, Math.floor((maxBytes(args[0]!.type) * 120) / 100) + 12), true, 'binary'), ([v]) => compress(bytesOf(v!))),
);

function maxPacketOf(rt: Runtime): number {
  return Number(rt.sysVar('max_allowed_packet', 'session') ?? 67108864);
}

/** @req CORE-FN-006 */
defineFunction('UNCOMPRESS', 1, 1, (args): CompiledExpr =>
  strict(args, stringType(4294967295, true, 'binary'), ([v], rt) => {
    const max = maxPacketOf(rt);
    const r = uncompress(bytesOf(v!), max);
    if ('ok' in r) return r.ok;
    if (r.warn === 'ER_TOO_BIG_FOR_UNCOMPRESS') rt.warn('Warning', r.warn, max);
    else rt.warn('Warning', r.warn);
    return null;
  }),
);

/** UNCOMPRESSED_LENGTH: the declared length; NULL (with a data-error warning) for a value too short to hold one. @req CORE-FN-006 */
defineFunction('UNCOMPRESSED_LENGTH', 1, 1, (args): CompiledExpr =>
  strict(args, intType(10, true), ([v], rt) => {
    const b = bytesOf(v!);
    if (b.length === 0) return 0n;
    if (b.length <= COMPRESS_PREFIX_BYTES) {
      rt.warn('Warning', 'ER_ZLIB_Z_DATA_ERROR');
      return null;
    }
    return BigInt(b.readUInt32LE(0) & COMPRESS_LENGTH_MASK);
  }),
);

/**
 * Bit-set string functions and the population count: MAKE_SET(bits, str1, ...) lists the
 * strings whose bit is on, EXPORT_SET(bits, on, off[, separator[, count]]) spells a bit mask
 * with one string per bit (lowest bit first), BIT_COUNT(n) counts the bits that are on.
 *
 * The bit mask is read as MySQL reads it: an integer converted to 64 unsigned bits, so -1 has
 * every bit on. A binary string given to BIT_COUNT is counted byte by byte, as in 8.0.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-functions.html#function_make-set
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-functions.html#function_export-set
 * @spec https://dev.mysql.com/doc/refman/8.0/en/bit-functions.html#function_bit-count
 * @req CORE-FN-002 CORE-FN-003 CORE-FN-004
 */
import type { Value } from '../../../kernel/value.js';
import { intType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { i, lenient, out, strResult, textOf } from './helpers.js';
import { defineFunction } from './registry.js';
import { BIT_SET_WIDTH } from './limits.js';

/** The 64-bit unsigned mask an argument stands for (negative integers wrap). */
export function maskOf(v: Value, rt: Runtime, hexNumber = false): bigint {
  // A hex or bit literal is an unsigned number in this context: its bytes, big-endian.
  if (hexNumber && Buffer.isBuffer(v)) return BigInt.asUintN(BIT_SET_WIDTH, v.length ? BigInt('0x' + v.toString('hex')) : 0n);
  return BigInt.asUintN(BIT_SET_WIDTH, i(v, rt));
}

/**
 * MAKE_SET: the strings whose bit is on, comma-separated, NULL members skipped; only a NULL
 * mask makes the result NULL.
 * @req CORE-FN-002
 */
export function makeSet(mask: bigint, members: (string | null)[]): string {
  const picked: string[] = [];
  for (let k = 0; k < members.length && k < BIT_SET_WIDTH; k++) {
    const m = members[k];
    if (m !== null && m !== undefined && (mask >> BigInt(k)) & 1n) picked.push(m);
  }
  return picked.join(',');
}

defineFunction('MAKE_SET', 2, Infinity, (args): CompiledExpr => {
  const strs = args.slice(1);
  const sum = strs.reduce((a, x) => a + x.type.length, 0) + Math.max(0, strs.length - 1);
  const type = strResult(strs, sum, args[0]!.type.nullable);
  const T = textOf(type), o = out(type);
  const hex = args[0]!.type.hexNumber === true;
  return lenient(args, type, ([bits, ...rest], rt) => {
    if (bits === null || bits === undefined) return null;
    return o(makeSet(maskOf(bits, rt, hex), rest.map((x) => (x === null || x === undefined ? null : T(x)))));
  });
});

/**
 * EXPORT_SET: for each of the lowest `count` bits (64 when omitted or out of 0..64), `on` or
 * `off`, joined by the separator (',' by default). Any NULL argument gives NULL.
 * @req CORE-FN-003
 */
export function exportSet(mask: bigint, on: string, off: string, sep: string, count: number): string {
  const parts: string[] = [];
  for (let k = 0; k < count; k++) parts.push((mask >> BigInt(k)) & 1n ? on : off);
  return parts.join(sep);
}

defineFunction('EXPORT_SET', 3, 5, (args): CompiledExpr => {
  const strs = args.slice(1, 4);
  const width = Math.max(args[1]!.type.length, args[2]!.type.length);
  const sepLen = args[3] ? args[3].type.length : 1;
  const type = strResult(strs, BIT_SET_WIDTH * width + (BIT_SET_WIDTH - 1) * sepLen, args.some((a) => a.type.nullable));
  const T = textOf(type), o = out(type);
  const hex = args[0]!.type.hexNumber === true;
  return lenient(args, type, (vals, rt) => {
    if (vals.some((v) => v === null)) return null;
    let count = BIT_SET_WIDTH;
    if (vals.length > 4) {
      // A count outside 0..64 (negative ones read as huge unsigned numbers) means all 64 bits.
      const c = BigInt.asUintN(64, i(vals[4]!, rt));
      if (c < BigInt(BIT_SET_WIDTH)) count = Number(c);
    }
    return o(exportSet(maskOf(vals[0]!, rt, hex), T(vals[1]!), T(vals[2]!), vals.length > 3 ? T(vals[3]!) : ',', count));
  });
});

/** Bits on in a byte string. */
function popcountBytes(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    let y = x;
    while (y) {
      c += y & 1;
      y >>= 1;
    }
  }
  return c;
}

/** BIT_COUNT: bits on in the 64-bit integer, or in every byte of a binary string. @req CORE-FN-004 */
defineFunction('BIT_COUNT', 1, 1, (args): CompiledExpr => {
  const a = args[0]!;
  const bytes = a.type.kind === 'string' && a.type.binary === true && a.type.hexNumber !== true;
  return lenient(args, intType(2, a.type.nullable), ([v], rt) => {
    if (v === null || v === undefined) return null;
    if (bytes && Buffer.isBuffer(v)) return BigInt(popcountBytes(v));
    let m = maskOf(v, rt, a.type.hexNumber === true), c = 0n;
    while (m) {
      c += m & 1n;
      m >>= 1n;
    }
    return c;
  });
});

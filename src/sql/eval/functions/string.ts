/**
 * String functions: CONCAT, CONCAT_WS, LENGTH, CHAR_LENGTH, UPPER/LOWER, SUBSTRING, LEFT/RIGHT,
 * TRIM family, LPAD/RPAD, REPLACE, REPEAT, REVERSE, LOCATE/INSTR, HEX/UNHEX, ASCII/ORD, CHAR,
 * SPACE, FORMAT, INSERT, FIELD, FIND_IN_SET, ELT, QUOTE, STRCMP, SUBSTRING_INDEX, hashes, base64,
 * CRC32, SOUNDEX, the REGEXP_* functions and CHARSET/COLLATION/COERCIBILITY.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-functions.html
 * @req CORE-EXPR-020 CORE-EXPR-021 CORE-EXPR-022 CORE-EXPR-031
 */
import { bytesOf as charsetBytes } from '../charset-convert.js';
import { createHash } from 'node:crypto';
import { sqlError } from '../../../kernel/errors.js';
import { byteLength, charsetOf, compareStrings, DEFAULT_COLLATION, foldForMatch, isCaseInsensitive, resolveCharsetCollation } from '../../../kernel/charset/index.js';
import { toDecimal, toStringValue } from '../../types/convert.js';
import { decRound } from '../../types/decimal-math.js';
import { MAX_STRING_RESULT } from '../../types/limits.js';
import { Decimal, type Value } from '../../../kernel/value.js';
import { compareValues } from '../../types/compare.js';
import { doubleType, intType, pickCollation, stringType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { defineFunction } from './registry.js';
import { localizeNumber, numericLocale } from './locale.js';
import { cpLength, cpSlice, d, i, lenient, n, out, s, sb, strict, strResult, textOf } from './helpers.js';
import { makeRegExp } from './pattern.js';

const sumLen = (args: CompiledExpr[]) => args.reduce((a, x) => a + (x.type.kind === 'string' ? x.type.length : Math.max(x.type.length, 1)), 0);

function tooBig(rt: Runtime, fn: string): null {
  rt.warn('Warning', 'ER_WARN_ALLOWED_PACKET_OVERFLOWED', fn, MAX_STRING_RESULT);
  return null;
}

defineFunction('CONCAT', 1, Infinity, (args) => {
  const type = strResult(args, sumLen(args));
  const o = out(type);
  // A binary result holds each argument's bytes in that argument's own character set. @req CORE-CS-066
  const Ts = args.map((a) => (type.binary && a.type.kind === 'string' && !a.type.binary ? binaryText(charsetOfType(a.type)) : textOf(type)));
  if (args.length === 2) {
    const T0 = Ts[0]!, T1 = Ts[1]!;
    return strict(args, type, ([x, y]) => o(T0(x!) + T1(y!)));
  }
  return strict(args, type, (vals) => {
    let r = '';
    for (let k = 0; k < vals.length; k++) r += Ts[k]!(vals[k]!);
    return o(r);
  });
});

/** Text of a value's bytes in a character set, one code unit per byte (a binary result's form). */
function binaryText(charset: string): (v: Value) => string {
  if (charset === 'utf8mb4' || charset === 'utf8mb3') return sb;
  return (v) => (Buffer.isBuffer(v) ? v.toString('latin1') : charsetBytes(v ?? '', charset).toString('latin1'));
}

defineFunction('CONCAT_WS', 2, Infinity, (args) => {
  const type = strResult(args, sumLen(args), args[0]!.type.nullable);
  const T = textOf(type), o = out(type);
  const evs = args.map((a) => a.eval);
  return {
    type,
    eval: (row, rt) => {
      const sep = evs[0]!(row, rt);
      if (sep === null) return null;
      const parts: string[] = [];
      for (let k = 1; k < evs.length; k++) {
        const v = evs[k]!(row, rt);
        if (v !== null) parts.push(T(v));
      }
      return o(parts.join(T(sep)));
    },
  };
});

function charsetOfType(t: ExprType): string {
  return t.binary ? 'binary' : charsetOf(t.collation ?? DEFAULT_COLLATION);
}

defineFunction(['LENGTH', 'OCTET_LENGTH'], 1, 1, (args) => {
  const cs = charsetOfType(args[0]!.type);
  return strict(args, intType(10, args[0]!.type.nullable), ([v]) => BigInt(Buffer.isBuffer(v) ? v.length : byteLength(s(v!), cs)));
});
defineFunction('BIT_LENGTH', 1, 1, (args) => {
  const cs = charsetOfType(args[0]!.type);
  return strict(args, intType(10, args[0]!.type.nullable), ([v]) => BigInt(8 * (Buffer.isBuffer(v) ? v.length : byteLength(s(v!), cs))));
});
defineFunction(['CHAR_LENGTH', 'CHARACTER_LENGTH'], 1, 1, (args) =>
  strict(args, intType(10, args[0]!.type.nullable), ([v]) => BigInt(Buffer.isBuffer(v) ? v.length : cpLength(s(v!)))),
);

function upper(x: string): string {
  if (/^[\x00-\x7f]*$/.test(x)) return x.toUpperCase();
  let r = '';
  for (const ch of x) {
    const u = ch.toUpperCase();
    r += [...u].length === 1 ? u : ch;
  }
  return r;
}
function lower(x: string): string {
  if (/^[\x00-\x7f]*$/.test(x)) return x.toLowerCase();
  let r = '';
  for (const ch of x) {
    const u = ch.toLowerCase();
    r += [...u].length === 1 ? u : ch;
  }
  return r;
}
defineFunction(['UPPER', 'UCASE'], 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length);
  // binary strings are returned unchanged (no case in bytes)
  if (type.binary) return strict(args, type, ([v]) => (Buffer.isBuffer(v) ? v : Buffer.from(s(v!), 'utf8')));
  return strict(args, type, ([v]) => upper(s(v!)));
});
defineFunction(['LOWER', 'LCASE'], 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length);
  if (type.binary) return strict(args, type, ([v]) => (Buffer.isBuffer(v) ? v : Buffer.from(s(v!), 'utf8')));
  return strict(args, type, ([v]) => lower(s(v!)));
});

/** MySQL's SUBSTRING position rules: 1-based, negative counts from the end, 0 gives ''. */
function substring(x: string, pos: number, len: number | undefined): string {
  const L = cpLength(x);
  if (pos === 0 || (len !== undefined && len <= 0)) return '';
  let start = pos > 0 ? pos - 1 : L + pos;
  if (start < 0 || start >= L) return '';
  if (start < 0) start = 0;
  return cpSlice(x, start, len === undefined ? Infinity : len);
}
defineFunction(['SUBSTRING', 'SUBSTR', 'MID'], 2, 3, (args) => {
  const type = strResult([args[0]!], args[0]!.type.length, args.some((a) => a.type.nullable));
  const T = textOf(type), o = out(type);
  return strict(args, type, (v, rt) => o(substring(T(v[0]!), n(v[1]!, rt), v.length > 2 ? n(v[2]!, rt) : undefined)));
});
defineFunction('LEFT', 2, 2, (args) => {
  const type = strResult([args[0]!], args[0]!.type.length, args.some((a) => a.type.nullable));
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, l], rt) => { const k = n(l!, rt); return o(k <= 0 ? '' : cpSlice(T(x!), 0, k)); });
});
defineFunction('RIGHT', 2, 2, (args) => {
  const type = strResult([args[0]!], args[0]!.type.length, args.some((a) => a.type.nullable));
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, l], rt) => {
    const k = n(l!, rt);
    const t = T(x!);
    const L = cpLength(t);
    return o(k <= 0 ? '' : k >= L ? t : cpSlice(t, L - k));
  });
});

function trimWith(x: string, r: string, leading: boolean, trailing: boolean): string {
  if (r === '') return x;
  if (leading) while (x.startsWith(r)) x = x.slice(r.length);
  if (trailing) while (x.endsWith(r) && x.length > 0) x = x.slice(0, x.length - r.length);
  return x;
}
defineFunction('TRIM', 1, 2, (args, ctx) => {
  const opt = (ctx.call.option ?? 'BOTH').toUpperCase();
  const type = strResult([args[0]!], args[0]!.type.length, args.some((a) => a.type.nullable));
  const T = textOf(type), o = out(type);
  const lead = opt !== 'TRAILING', trail = opt !== 'LEADING';
  return strict(args, type, (v) => o(trimWith(T(v[0]!), v.length > 1 ? T(v[1]!) : ' ', lead, trail)));
});
defineFunction('LTRIM', 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([v]) => o(T(v!).replace(/^ +/, '')));
});
defineFunction('RTRIM', 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([v]) => o(T(v!).replace(/ +$/, '')));
});

function pad(left: boolean) {
  return (args: CompiledExpr[]) => {
    const type = strResult([args[0]!, args[2]!], 255, true);
    const T = textOf(type), o = out(type);
    return strict(args, type, ([x, l, p], rt) => {
      const len = n(l!, rt);
      if (len < 0) return null;
      if (len > MAX_STRING_RESULT) return tooBig(rt, left ? 'lpad' : 'rpad');
      const str = T(x!), padStr = T(p!);
      const L = cpLength(str);
      if (len <= L) return o(cpSlice(str, 0, len));
      if (padStr === '') return null;
      const need = len - L;
      const padChars = [...padStr];
      let fill = '';
      for (let k = 0; k < need; k++) fill += padChars[k % padChars.length];
      return o(left ? fill + str : str + fill);
    });
  };
}
defineFunction('LPAD', 3, 3, pad(true));
defineFunction('RPAD', 3, 3, pad(false));

defineFunction('REPLACE', 3, 3, (args) => {
  const type = strResult(args, args[0]!.type.length);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, f, t]) => {
    const from = T(f!);
    return o(from === '' ? T(x!) : T(x!).split(from).join(T(t!)));
  });
});
defineFunction('REPEAT', 2, 2, (args) => {
  const type = strResult([args[0]!], 65535, true);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, c], rt) => {
    const k = n(c!, rt);
    const str = T(x!);
    if (k <= 0 || str === '') return o('');
    if (str.length * k > MAX_STRING_RESULT) return tooBig(rt, 'repeat');
    return o(str.repeat(k));
  });
});
defineFunction('REVERSE', 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x]) => o([...T(x!)].reverse().join('')));
});
defineFunction('SPACE', 1, 1, (args) =>
  strict(args, stringType(255, true), ([c], rt) => {
    const k = n(c!, rt);
    if (k > MAX_STRING_RESULT) return tooBig(rt, 'space');
    return k <= 0 ? '' : ' '.repeat(k);
  }),
);

/** LOCATE(substr, str[, pos]) with collation-aware matching. */
function locate(sub: string, str: string, pos: number, coll: string): number {
  if (pos < 1) return 0;
  const ci = isCaseInsensitive(coll);
  const hay = cpSlice(str, pos - 1);
  if (cpLength(str) < pos - 1) return 0;
  if (sub === '') return pos <= cpLength(str) + 1 ? pos : 0;
  if (!ci) {
    const k = hay.indexOf(sub);
    return k < 0 ? 0 : cpLength(hay.slice(0, k)) + pos;
  }
  const subF = foldForMatch(sub, coll);
  const chars = [...hay];
  for (let k = 0; k < chars.length; k++) {
    let acc = '';
    for (let j = k; j < chars.length && acc.length < subF.length + 4; j++) {
      acc += chars[j];
      if (foldForMatch(acc, coll) === subF) return k + pos;
    }
  }
  return 0;
}
defineFunction('LOCATE', 2, 3, (args) => {
  const coll = args[0]!.type.binary || args[1]!.type.binary ? 'binary' : pickCollation(args[0]!.type, args[1]!.type);
  return strict(args, intType(11, true), (v, rt) => BigInt(locate(s(v[0]!), s(v[1]!), v.length > 2 ? n(v[2]!, rt) : 1, coll)));
});
defineFunction('INSTR', 2, 2, (args) => {
  const coll = args[0]!.type.binary || args[1]!.type.binary ? 'binary' : pickCollation(args[0]!.type, args[1]!.type);
  return strict(args, intType(11, true), ([x, sub]) => BigInt(locate(s(sub!), s(x!), 1, coll)));
});

defineFunction('HEX', 1, 1, (args) => {
  const t = args[0]!.type;
  const numeric = (t.kind === 'int' || t.kind === 'decimal' || t.kind === 'double') && !t.dynamic;
  const cs = charsetOfType(t);
  return strict(args, stringType(t.length * 2 || 2, t.nullable), ([v], rt) => {
    if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal || (numeric && typeof v !== 'string')) {
      return BigInt.asUintN(64, i(v!, rt)).toString(16).toUpperCase();
    }
    // the bytes of the argument's own character set @req CORE-CS-066
    const b = Buffer.isBuffer(v) ? v : charsetBytes(v!, cs);
    return b.toString('hex').toUpperCase();
  });
});
defineFunction('UNHEX', 1, 1, (args) =>
  strict(args, stringType(Math.ceil(args[0]!.type.length / 2), true, 'binary'), ([v]) => {
    let h = s(v!);
    if (!/^[0-9a-fA-F]*$/.test(h)) return null;
    if (h.length % 2) h = '0' + h;
    return Buffer.from(h, 'hex');
  }),
);
defineFunction('ASCII', 1, 1, (args) =>
  strict(args, intType(3, args[0]!.type.nullable), ([v]) => {
    const b = Buffer.isBuffer(v) ? v : charsetBytes(v!, charsetOfType(args[0]!.type));
    return BigInt(b.length ? b[0]! : 0);
  }),
);
defineFunction('ORD', 1, 1, (args) =>
  strict(args, intType(21, args[0]!.type.nullable, true), ([v]) => {
    const b = Buffer.isBuffer(v) ? v : Buffer.from([...s(v!)][0] ?? '', 'utf8');
    if (b.length === 0) return 0n;
    if (Buffer.isBuffer(v)) return BigInt(b[0]!);
    let r = 0n;
    for (const x of b) r = r * 256n + BigInt(x);
    return r;
  }),
);
defineFunction('CHAR', 1, Infinity, (args, ctx) => {
  const using = ctx.call.option;
  const coll = using ? resolveCharsetCollation(using, undefined).collation : 'binary';
  const type = stringType(args.length * 4, false, coll);
  const evs = args.map((a) => a.eval);
  return {
    type,
    eval: (row, rt) => {
      const bytes: number[] = [];
      for (const e of evs) {
        const v = e(row, rt);
        if (v === null) continue;
        let x = BigInt.asUintN(32, i(v, rt));
        const part: number[] = [];
        do {
          part.unshift(Number(x & 0xffn));
          x >>= 8n;
        } while (x > 0n);
        bytes.push(...part);
      }
      const b = Buffer.from(bytes);
      return coll === 'binary' ? b : b.toString('utf8');
    },
  };
});

/** FORMAT(X, D): rounded to D decimals with ',' grouping. */
export function formatNumber(v: Value, dec: number, rt: Runtime): string {
  const D = Math.max(0, Math.min(30, dec));
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    const dd = toDecimal(v)!;
    text = decRound(dd, D).toString();
  } else {
    const dd = toDecimal(v, rt)!;
    text = decRound(dd, D).toString();
  }
  let neg = false;
  if (text.startsWith('-')) {
    neg = true;
    text = text.slice(1);
  }
  let [ip, fp = ''] = text.split('.');
  fp = fp.padEnd(D, '0').slice(0, D);
  ip = ip!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const r = D > 0 ? `${ip}.${fp}` : ip;
  return (neg && /[1-9]/.test(r) ? '-' : '') + r;
}
/** FORMAT(X, D[, locale]): the locale's decimal point and grouping; unknown or NULL is en_US with 1649. @req CORE-FN-011 */
defineFunction('FORMAT', 2, 3, (args) => {
  const base = strict(args.slice(0, 2), stringType(args[0]!.type.length + 30, true), ([x, dd], rt) => formatNumber(x!, n(dd!, rt), rt));
  if (args.length < 3) return base;
  const loc = args[2]!.eval;
  return {
    type: base.type,
    eval: (row, rt) => {
      const text = base.eval(row, rt);
      if (text === null) return null;
      const name = loc(row, rt);
      const l = name === null ? undefined : numericLocale(s(name));
      if (!l) {
        rt.warn('Warning', 'ER_UNKNOWN_LOCALE', name === null ? 'NULL' : s(name));
        return text;
      }
      return localizeNumber(String(text), l);
    },
  };
});

defineFunction('INSERT', 4, 4, (args) => {
  const type = strResult([args[0]!, args[3]!], args[0]!.type.length + args[3]!.type.length);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, p, l, ns], rt) => {
    const str = T(x!);
    const pos = n(p!, rt), len = n(l!, rt);
    const L = cpLength(str);
    if (pos < 1 || pos > L) return o(str);
    const end = len < 0 || pos - 1 + len > L ? L : pos - 1 + len;
    return o(cpSlice(str, 0, pos - 1) + T(ns!) + cpSlice(str, end));
  });
});

defineFunction('FIELD', 2, Infinity, (args) => {
  const first = args[0]!;
  const allStr = args.every((a) => a.type.kind === 'string');
  const coll = allStr ? args.map((a) => a.type).reduce((a, b) => ({ ...a, collation: pickCollation(a, b) })).collation ?? DEFAULT_COLLATION : DEFAULT_COLLATION;
  const evs = args.map((a) => a.eval);
  return {
    type: intType(3, false),
    eval: (row, rt) => {
      const v = evs[0]!(row, rt);
      if (v === null) return 0n;
      for (let k = 1; k < evs.length; k++) {
        const w = evs[k]!(row, rt);
        if (w === null) continue;
        const c = allStr ? compareStrings(s(v), s(w), coll) : compareValues(typeof v === 'string' && !allStr ? d(v, rt) : v, typeof w === 'string' && !allStr ? d(w, rt) : w);
        if (c === 0) return BigInt(k);
      }
      return 0n;
    },
  };
  void first;
});
defineFunction('FIND_IN_SET', 2, 2, (args) => {
  const coll = pickCollation(args[0]!.type, args[1]!.type);
  return strict(args, intType(3, true), ([x, list]) => {
    const needle = s(x!);
    if (needle.includes(',')) return 0n;
    const items = s(list!);
    if (items === '') return 0n;
    const parts = items.split(',');
    for (let k = 0; k < parts.length; k++) if (compareStrings(parts[k]!, needle, coll) === 0) return BigInt(k + 1);
    return 0n;
  });
});
defineFunction('ELT', 2, Infinity, (args) => {
  const type = strResult(args.slice(1), Math.max(...args.slice(1).map((a) => a.type.length)), true);
  const T = textOf(type), o = out(type);
  const evs = args.map((a) => a.eval);
  return {
    type,
    eval: (row, rt) => {
      const k = evs[0]!(row, rt);
      if (k === null) return null;
      const idx = n(k, rt);
      if (idx < 1 || idx >= evs.length) return null;
      const v = evs[idx]!(row, rt);
      return v === null ? null : o(T(v));
    },
  };
});
defineFunction('QUOTE', 1, 1, (args) => {
  const type = strResult(args, args[0]!.type.length * 2 + 2, false);
  const T = textOf(type), o = out(type);
  const e = args[0]!.eval;
  return {
    type,
    eval: (row, rt) => {
      const v = e(row, rt);
      if (v === null) return o('NULL');
      return o("'" + T(v).replace(/[\\'\0\x1a]/g, (c) => (c === '\0' ? '\\0' : c === '\x1a' ? '\\Z' : '\\' + c)) + "'");
    },
  };
});
defineFunction('STRCMP', 2, 2, (args) => {
  const coll = args[0]!.type.binary || args[1]!.type.binary ? 'binary' : pickCollation(args[0]!.type, args[1]!.type);
  return strict(args, intType(2, true), ([a, b]) => BigInt(compareStrings(s(a!), s(b!), coll)));
});
defineFunction('SUBSTRING_INDEX', 3, 3, (args) => {
  const type = strResult([args[0]!], args[0]!.type.length, true);
  const T = textOf(type), o = out(type);
  return strict(args, type, ([x, dl, c], rt) => {
    const str = T(x!), delim = T(dl!);
    const count = n(c!, rt);
    if (delim === '' || count === 0) return o('');
    const parts = str.split(delim);
    if (count > 0) return o(parts.slice(0, count).join(delim));
    return o(parts.slice(Math.max(0, parts.length + count)).join(delim));
  });
});

function bytesOf(v: Value): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(toStringValue(v)!, 'utf8');
}
defineFunction('MD5', 1, 1, (args) => strict(args, stringType(32, true), ([v]) => createHash('md5').update(bytesOf(v!)).digest('hex')));
defineFunction(['SHA1', 'SHA'], 1, 1, (args) => strict(args, stringType(40, true), ([v]) => createHash('sha1').update(bytesOf(v!)).digest('hex')));
defineFunction('SHA2', 2, 2, (args) =>
  strict(args, stringType(128, true), ([v, l], rt) => {
    const len = n(l!, rt);
    const alg = len === 0 || len === 256 ? 'sha256' : len === 224 ? 'sha224' : len === 384 ? 'sha384' : len === 512 ? 'sha512' : null;
    return alg ? createHash(alg).update(bytesOf(v!)).digest('hex') : null;
  }),
);
defineFunction('TO_BASE64', 1, 1, (args) =>
  strict(args, stringType(Math.ceil(args[0]!.type.length / 3) * 4, true), ([v]) => {
    const b64 = bytesOf(v!).toString('base64');
    return b64.replace(/(.{76})(?=.)/g, '$1\n');
  }),
);
defineFunction('FROM_BASE64', 1, 1, (args) =>
  strict(args, stringType(args[0]!.type.length, true, 'binary'), ([v]) => {
    const t = s(v!).replace(/[\s]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 === 1) return null;
    return Buffer.from(t, 'base64');
  }),
);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let k = 0; k < 256; k++) {
    let c = k;
    for (let j = 0; j < 8; j++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[k] = c >>> 0;
  }
  return t;
})();
export function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
defineFunction('CRC32', 1, 1, (args) => strict(args, intType(10, true, true), ([v]) => BigInt(crc32(bytesOf(v!)))));

const SOUNDEX_CODES: Record<string, string> = {
  B: '1', F: '1', P: '1', V: '1', C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2',
  D: '3', T: '3', L: '4', M: '5', N: '5', R: '6',
};
defineFunction('SOUNDEX', 1, 1, (args) =>
  strict(args, stringType(Math.max(4, args[0]!.type.length), true), ([v]) => {
    const letters = s(v!).toUpperCase().replace(/[^A-Z]/g, '');
    if (!letters) return '';
    let r = letters[0]!;
    let last = SOUNDEX_CODES[r] ?? '';
    for (const ch of letters.slice(1)) {
      const c = SOUNDEX_CODES[ch];
      if (c && c !== last) r += c;
      // Letters without a code (vowels, H, W, Y) are skipped: equal codes on either side of
      // them still collapse, as in MySQL (SOUNDEX('Tymczak') = 'T520'). @req CORE-FN-017
      if (c) last = c;
    }
    return r.length < 4 ? r.padEnd(4, '0') : r;
  }),
);

// ---- REGEXP_* -----------------------------------------------------------------------------
function regexCi(args: CompiledExpr[]): boolean {
  const t0 = args[0]!.type, t1 = args[1]!.type;
  if (t0.binary || t1.binary) return false;
  return isCaseInsensitive(pickCollation(t0, t1));
}
defineFunction('REGEXP_LIKE', 2, 3, (args) => {
  const ci = regexCi(args);
  return strict(args, intType(1, true), (v) => (makeRegExp(s(v[1]!), ci, v.length > 2 ? s(v[2]!) : '').test(s(v[0]!)) ? 1n : 0n));
});
defineFunction('REGEXP_REPLACE', 3, 6, (args) => {
  const ci = regexCi(args);
  const type = strResult([args[0]!], Math.max(args[0]!.type.length, 255), true);
  return strict(args, type, (v, rt) => {
    const str = s(v[0]!);
    const pos = v.length > 3 ? n(v[3]!, rt) : 1;
    const occ = v.length > 4 ? n(v[4]!, rt) : 0;
    const mt = v.length > 5 ? s(v[5]!) : '';
    if (pos < 1 || pos > cpLength(str) + 1) throw sqlError('ER_REGEXP_INDEX_OUT_OF_BOUNDS_ERROR');
    const head = cpSlice(str, 0, pos - 1);
    const tail = cpSlice(str, pos - 1);
    const repl = s(v[2]!).replace(/\$(\d)/g, '$$$1');
    const re = makeRegExp(s(v[1]!), ci, mt, true);
    if (occ === 0) return head + tail.replace(re, repl);
    let k = 0;
    return head + tail.replace(re, (m: string, ...rest: unknown[]) => {
      k++;
      if (k !== occ) return m;
      const groups = rest.slice(0, -2) as string[];
      return repl.replace(/\$(\d)/g, (_x, g: string) => (g === '0' ? m : groups[Number(g) - 1] ?? ''));
    });
  });
});
defineFunction('REGEXP_SUBSTR', 2, 5, (args) => {
  const ci = regexCi(args);
  const type = strResult([args[0]!], args[0]!.type.length, true);
  return strict(args, type, (v, rt) => {
    const str = s(v[0]!);
    const pos = v.length > 2 ? n(v[2]!, rt) : 1;
    const occ = Math.max(1, v.length > 3 ? n(v[3]!, rt) : 1);
    const re = makeRegExp(s(v[1]!), ci, v.length > 4 ? s(v[4]!) : '', true);
    const tail = cpSlice(str, Math.max(0, pos - 1));
    let k = 0;
    for (const m of tail.matchAll(re)) if (++k === occ) return m[0];
    return null;
  });
});
defineFunction('REGEXP_INSTR', 2, 6, (args) => {
  const ci = regexCi(args);
  return strict(args, intType(11, true), (v, rt) => {
    const str = s(v[0]!);
    const pos = v.length > 2 ? n(v[2]!, rt) : 1;
    const occ = Math.max(1, v.length > 3 ? n(v[3]!, rt) : 1);
    const opt = v.length > 4 ? n(v[4]!, rt) : 0;
    const re = makeRegExp(s(v[1]!), ci, v.length > 5 ? s(v[5]!) : '', true);
    const tail = cpSlice(str, Math.max(0, pos - 1));
    let k = 0;
    for (const m of tail.matchAll(re)) {
      if (++k === occ) {
        const at = cpLength(tail.slice(0, m.index)) + pos;
        return BigInt(opt ? at + cpLength(m[0]) : at);
      }
    }
    return 0n;
  });
});

// ---- charset introspection ------------------------------------------------------------------
defineFunction('CHARSET', 1, 1, (args) => {
  const t = args[0]!.type;
  const cs = t.kind === 'string' && !t.binary ? charsetOf(t.collation ?? DEFAULT_COLLATION) : t.kind === 'json' ? 'utf8mb4' : 'binary';
  return { type: stringType(64, false, 'utf8mb3_general_ci'), eval: () => cs, constant: true };
});
defineFunction('COLLATION', 1, 1, (args) => {
  const t = args[0]!.type;
  const c = t.kind === 'string' && !t.binary ? t.collation ?? DEFAULT_COLLATION : t.kind === 'json' ? 'utf8mb4_bin' : 'binary';
  return { type: stringType(64, false, 'utf8mb3_general_ci'), eval: () => c, constant: true };
});
defineFunction('COERCIBILITY', 1, 1, (args) => {
  const t = args[0]!.type;
  const c = t.kind === 'null' ? 6 : t.kind === 'string' ? t.coercibility ?? 4 : 5;
  return { type: intType(1, false), eval: () => BigInt(c), constant: true };
});
/**
 * WEIGHT_STRING(str [AS CHAR(n) | AS BINARY(n)]): AS CHAR(n) pads the string with spaces to n
 * characters (or cuts it), AS BINARY(n) takes its bytes padded with 0x00 to n (or cut), whose
 * weights are the bytes themselves. @req CORE-FN-018
 */
defineFunction('WEIGHT_STRING', 1, 2, (args, ctx) => {
  const option = args.length > 1 ? ctx.call.option : undefined;
  const coll = args[0]!.type.collation ?? DEFAULT_COLLATION;
  return strict(args, stringType(Math.max(args[0]!.type.length, 1) * 4, true, 'binary'), ([v, len], rt) => {
    if (option === 'BINARY') {
      const bytes = Buffer.isBuffer(v) ? v : Buffer.from(s(v!), 'utf8');
      const size = n(len!, rt);
      return bytes.length >= size ? bytes.subarray(0, size) : Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
    }
    let text = s(v!);
    if (option === 'CHAR') {
      const size = n(len!, rt);
      // The pad character is the collation's space: 0x00 for binary strings.
      const pad = args[0]!.type.binary ? '\0' : ' ';
      text = cpLength(text) >= size ? cpSlice(text, 0, size) : text + pad.repeat(size - cpLength(text));
    }
    if (args[0]!.type.binary) return Buffer.isBuffer(v) && option !== 'CHAR' ? v : Buffer.from(text, 'latin1');
    return Buffer.from(foldForMatch(text, coll), 'utf8');
  });
});

export { doubleType, sb, lower, upper };

/**
 * Miscellaneous functions: SLEEP (asynchronous, never blocks the event loop), UUID,
 * UUID_SHORT, UUID_TO_BIN/BIN_TO_UUID, INET_ATON/NTOA, INET6_ATON/NTOA, IS_IPV4/IS_IPV6,
 * BENCHMARK (bounded), GET_LOCK/RELEASE_LOCK/IS_FREE_LOCK/IS_USED_LOCK, VALUES(), NAME_CONST.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/miscellaneous-functions.html
 * @req CORE-EXPR-091 CORE-EXPR-092 CORE-EXPR-093
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { sqlError } from '../../../kernel/errors.js';
import { toDouble } from '../../types/convert.js';
import { BENCHMARK_MAX_LOOPS, USER_LOCK_NAME_MAX_CHARS } from '../../types/limits.js';
import type { Row, Value } from '../../../kernel/value.js';
import { doubleType, intType, NULL_TYPE, stringType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { asyncExpr } from '../async-expr.js';
import { n, s, strict } from './helpers.js';
import { defineFunction } from './registry.js';

/** Longest single timer Node accepts (ms); longer sleeps re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Poll interval for a runtime without a statement signal. */
const SLEEP_POLL_MS = 50;

/**
 * Wait `ms` milliseconds; 1 when the statement was interrupted first (KILL QUERY,
 * max_execution_time), else 0. With the statement's signal the wait ends the moment it fires.
 */
function sleepFor(ms: number, rt: Runtime): Promise<Value> {
  if (rt.isInterrupted() || rt.signal?.reason) return Promise.resolve(1n);
  const signal = rt.signal;
  const end = Date.now() + ms;
  return new Promise<Value>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const off = signal
      ? signal.onAbort(() => {
          if (timer) clearTimeout(timer);
          resolve(1n);
        })
      : () => undefined;
    const arm = (): void => {
      const left = end - Date.now();
      if (!signal && rt.isInterrupted()) {
        resolve(1n);
        return;
      }
      if (left <= 0) {
        off();
        resolve(0n);
        return;
      }
      timer = setTimeout(arm, Math.min(left, signal ? MAX_TIMER_MS : SLEEP_POLL_MS));
    };
    arm();
  });
}

/** SLEEP(n): an async expression that wakes at once when the statement is interrupted. @req CORE-EXPR-091 CORE-CONC-003 */
defineFunction('SLEEP', 1, 1, (args): CompiledExpr => {
  const e = args[0]!.eval;
  const evalAsync = async (row: Row, rt: Runtime): Promise<Value> => {
    const v = e(row, rt);
    if (v === null) {
      rt.warn('Warning', 'ER_WRONG_ARGUMENTS', 'sleep.');
      return 0n;
    }
    const secs = toDouble(v, rt)!;
    if (secs < 0) {
      rt.warn('Warning', 'ER_WRONG_ARGUMENTS', 'sleep.');
      return 0n;
    }
    return sleepFor(secs * 1000, rt);
  };
  return asyncExpr(intType(21, false), evalAsync);
});

defineFunction('UUID', 0, 0, (): CompiledExpr => ({ type: stringType(36, false, 'utf8mb3_general_ci'), eval: () => uuidV1() }));

let uuidClockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
const uuidNode = (() => {
  const b = randomBytes(6);
  b[0]! |= 0x01;
  return b.toString('hex');
})();
let lastUuidTime = 0n;
/** Time-based (version 1) UUIDs like MySQL's UUID(). */
function uuidV1(): string {
  let t = BigInt(Date.now()) * 10000n + 0x01b21dd213814000n;
  if (t <= lastUuidTime) {
    t = lastUuidTime + 1n;
  }
  lastUuidTime = t;
  const h = t.toString(16).padStart(16, '0');
  const timeLow = h.slice(8, 16), timeMid = h.slice(4, 8), timeHi = '1' + h.slice(1, 4);
  const seq = (0x8000 | uuidClockSeq).toString(16);
  void randomUUID;
  return `${timeLow}-${timeMid}-${timeHi}-${seq}-${uuidNode}`;
}
let uuidShort = (BigInt(Math.floor(Date.now() / 1000)) << 24n);
defineFunction('UUID_SHORT', 0, 0, (): CompiledExpr => ({ type: intType(21, false, true), eval: () => (uuidShort = uuidShort + 1n) }));
defineFunction('UUID_TO_BIN', 1, 2, (args) =>
  strict(args, stringType(16, true, 'binary'), (v, rt) => {
    const hex = s(v[0]!).replace(/^\{|\}$/g, '').replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'string', s(v[0]!), 'uuid_to_bin');
    let h = hex.toLowerCase();
    if (v.length > 1 && n(v[1]!, rt)) h = h.slice(12, 16) + h.slice(8, 12) + h.slice(0, 8) + h.slice(16);
    return Buffer.from(h, 'hex');
  }),
);
defineFunction('BIN_TO_UUID', 1, 2, (args) =>
  strict(args, stringType(36, true, 'utf8mb3_general_ci'), (v, rt) => {
    const b = Buffer.isBuffer(v[0]) ? v[0] : Buffer.from(s(v[0]!), 'latin1');
    if (b.length !== 16) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'string', b.toString('hex'), 'bin_to_uuid');
    let h = b.toString('hex');
    if (v.length > 1 && n(v[1]!, rt)) h = h.slice(8, 16) + h.slice(4, 8) + h.slice(0, 4) + h.slice(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }),
);
defineFunction('IS_UUID', 1, 1, (args) =>
  strict(args, intType(1, true), ([v]) => (/^(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i.test(s(v!)) ? 1n : 0n)),
);

/** INET_ATON accepts short forms: '127.1' = 127.0.0.1. */
export function inetAton(t: string): bigint | null {
  if (!/^\d+(\.\d+){0,3}$/.test(t)) return null;
  const parts = t.split('.').map(Number);
  if (parts.some((x) => x > 255)) return null;
  let r = 0n;
  if (parts.length === 1) return BigInt(parts[0]!);
  const last = parts.pop()!;
  for (const p of parts) r = r * 256n + BigInt(p);
  r = r * 256n ** BigInt(4 - parts.length) + BigInt(last);
  return r;
}
defineFunction('INET_ATON', 1, 1, (args) => strict(args, intType(21, true, true), ([v]) => inetAton(s(v!))));
defineFunction('INET_NTOA', 1, 1, (args) =>
  strict(args, stringType(31, true, 'utf8mb3_general_ci'), ([v], rt) => {
    const x = BigInt(n(v!, rt));
    if (x < 0n || x > 0xffffffffn) return null;
    return [24n, 16n, 8n, 0n].map((sh) => String((x >> sh) & 255n)).join('.');
  }),
);
function ipv6Bytes(t: string): Buffer | null {
  if (!isIPv6(t)) return null;
  let str = t;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(str);
  if (v4) {
    tail = v4[1]!.split('.').map(Number);
    str = str.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = str.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const fill = rest !== undefined ? 8 - h.length - r.length : 0;
  const groups = [...h, ...Array(fill).fill('0'), ...r];
  const b = Buffer.alloc(16);
  groups.forEach((g, k) => b.writeUInt16BE(parseInt(g || '0', 16), k * 2));
  if (tail.length) tail.forEach((x, k) => (b[12 + k] = x));
  return b;
}
defineFunction('INET6_ATON', 1, 1, (args) =>
  strict(args, stringType(16, true, 'binary'), ([v]) => {
    const t = s(v!);
    if (isIPv4(t)) return Buffer.from(t.split('.').map(Number));
    return ipv6Bytes(t);
  }),
);
defineFunction('INET6_NTOA', 1, 1, (args) =>
  strict(args, stringType(39, true, 'utf8mb3_general_ci'), ([v]) => {
    if (!Buffer.isBuffer(v)) return null;
    if (v.length === 4) return [...v].join('.');
    if (v.length !== 16) return null;
    const groups: number[] = [];
    for (let k = 0; k < 8; k++) groups.push(v.readUInt16BE(k * 2));
    // IPv4-compatible / mapped forms print the last 32 bits dotted
    if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || (groups[5] === 0 && groups[6] !== 0))) {
      const prefix = groups[5] === 0xffff ? '::ffff:' : '::';
      return prefix + [...v.subarray(12)].join('.');
    }
    let bestStart = -1, bestLen = 0;
    for (let k = 0; k < 8; ) {
      if (groups[k] === 0) {
        let j = k;
        while (j < 8 && groups[j] === 0) j++;
        if (j - k > bestLen && j - k > 1) { bestStart = k; bestLen = j - k; }
        k = j;
      } else k++;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) return hex.join(':');
    return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
  }),
);
defineFunction('IS_IPV4', 1, 1, (args) => strict(args, intType(1, false), ([v]) => (isIPv4(s(v!)) ? 1n : 0n)));
defineFunction('IS_IPV6', 1, 1, (args) => strict(args, intType(1, false), ([v]) => (isIPv6(s(v!)) ? 1n : 0n)));
defineFunction('IS_IPV4_MAPPED', 1, 1, (args) => strict(args, intType(1, false), ([v]) => (Buffer.isBuffer(v) && v.length === 16 && v.subarray(0, 10).every((x) => x === 0) && v[10] === 0xff && v[11] === 0xff ? 1n : 0n)));
defineFunction('IS_IPV4_COMPAT', 1, 1, (args) => strict(args, intType(1, false), ([v]) => (Buffer.isBuffer(v) && v.length === 16 && v.subarray(0, 12).every((x) => x === 0) ? 1n : 0n)));

/** BENCHMARK(count, expr): evaluates expr up to a bounded number of times, returns 0. */
defineFunction('BENCHMARK', 2, 2, (args): CompiledExpr => {
  const ce = args[0]!.eval, xe = args[1]!.eval;
  return {
    type: intType(1, false),
    eval: (row: Row, rt: Runtime): Value => {
      const c = ce(row, rt);
      if (c === null) return null;
      const k = Math.min(n(c, rt), BENCHMARK_MAX_LOOPS);
      if (k < 0) {
        rt.warn('Warning', 'ER_WRONG_VALUE_FOR_TYPE', 'count', String(k), 'benchmark');
        return null;
      }
      for (let j = 0; j < k; j++) {
        if ((j & 1023) === 0 && rt.isInterrupted()) break;
        xe(row, rt);
      }
      return 0n;
    },
  };
});

// ---- named locks ------------------------------------------------------------------------------
// The locks live in the session's lock manager (rt.locks): GET_LOCK waits for another
// session's lock, and deadlocks, KILL and disconnects are handled there. A runtime without a
// session (nothing evaluates these functions there today) keeps them per process, never waiting.
// @req CORE-LOCK-010 CORE-LOCK-012 CORE-LOCK-013 CORE-LOCK-015

/** The lock name of an argument: utf8 text of 1..64 characters, compared without case; 3057 otherwise. @req CORE-LOCK-013 */
function lockName(v: Value): string {
  if (v === null) throw sqlError('ER_USER_LOCK_WRONG_NAME', 'NULL');
  const name = s(v);
  if (name === '' || [...name].length > USER_LOCK_NAME_MAX_CHARS) throw sqlError('ER_USER_LOCK_WRONG_NAME', name);
  return name.toLowerCase();
}

/** GET_LOCK's timeout: whole seconds (rounded as an integer argument is), NULL = 0, negative = no limit. @req CORE-LOCK-015 */
function lockTimeout(v: Value, rt: Runtime): number {
  if (v === null) return 0;
  const t = typeof v === 'bigint' ? Number(v) : Math.round(toDouble(v, rt) ?? 0);
  return t < 0 ? Infinity : t;
}

const localLocks = new Map<string, { owner: number; count: number }>();
defineFunction('GET_LOCK', 2, 2, (args): CompiledExpr => {
  const ne = args[0]!.eval, te = args[1]!.eval;
  const evalAsync = async (row: Row, rt: Runtime): Promise<Value> => {
    const name = lockName(ne(row, rt));
    const timeout = lockTimeout(te(row, rt), rt);
    if (rt.locks) return (await rt.locks.get(name, timeout)) ? 1n : 0n;
    const held = localLocks.get(name);
    if (held && held.owner !== rt.info.connectionId()) return 0n;
    if (held) held.count++;
    else localLocks.set(name, { owner: rt.info.connectionId(), count: 1 });
    return 1n;
  };
  return asyncExpr(intType(1, true), evalAsync);
});
defineFunction('RELEASE_LOCK', 1, 1, (args): CompiledExpr => {
  const ne = args[0]!.eval;
  return {
    type: intType(1, true),
    eval: (row: Row, rt: Runtime): Value => {
      const name = lockName(ne(row, rt));
      if (rt.locks) {
        const r = rt.locks.release(name);
        return r === null ? null : r ? 1n : 0n;
      }
      const held = localLocks.get(name);
      if (!held) return null;
      if (held.owner !== rt.info.connectionId()) return 0n;
      if (--held.count === 0) localLocks.delete(name);
      return 1n;
    },
  };
});
defineFunction('IS_FREE_LOCK', 1, 1, (args): CompiledExpr => {
  const ne = args[0]!.eval;
  return {
    type: intType(1, true),
    eval: (row: Row, rt: Runtime): Value => {
      const name = lockName(ne(row, rt));
      const holder = rt.locks ? rt.locks.usedBy(name) : localLocks.get(name)?.owner ?? null;
      return holder === null ? 1n : 0n;
    },
  };
});
defineFunction('IS_USED_LOCK', 1, 1, (args): CompiledExpr => {
  const ne = args[0]!.eval;
  return {
    type: intType(21, true, true),
    eval: (row: Row, rt: Runtime): Value => {
      const name = lockName(ne(row, rt));
      const holder = rt.locks ? rt.locks.usedBy(name) : localLocks.get(name)?.owner ?? null;
      return holder === null ? null : BigInt(holder);
    },
  };
});
defineFunction('RELEASE_ALL_LOCKS', 0, 0, (): CompiledExpr => ({
  type: intType(21, false, true),
  eval: (_row: Row, rt: Runtime) => {
    if (rt.locks) return BigInt(rt.locks.releaseAll());
    let k = 0;
    for (const [name, l] of localLocks) if (l.owner === rt.info.connectionId()) { localLocks.delete(name); k += l.count; }
    return BigInt(k);
  },
}));

/** VALUES(col) written as a function call inside ON DUPLICATE KEY UPDATE. */
defineFunction('VALUES', 1, 1, (_args, ctx): CompiledExpr => {
  const a = ctx.call.args[0]!;
  if (a.type !== 'column' || !ctx.scope.valuesRef) return { type: { ...NULL_TYPE }, eval: () => null };
  return ctx.scope.valuesRef(a.name);
}, true);
defineFunction('NAME_CONST', 2, 2, (args) => args[1]!);
defineFunction('RANDOM_BYTES', 1, 1, (args) =>
  strict(args, stringType(1024, true, 'binary'), ([v], rt) => {
    const k = n(v!, rt);
    if (k < 1 || k > 1024) throw sqlError('ER_DATA_OUT_OF_RANGE', 'length', 'random_bytes');
    return randomBytes(k);
  }),
);

export { doubleType };

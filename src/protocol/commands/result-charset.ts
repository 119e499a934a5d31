/**
 * character_set_client and character_set_results on the wire: statement text arrives in the
 * client's character set, and result text leaves in the results character set, whose default
 * collation the column definitions then name (with the column length recounted for its widest
 * character). character_set_results NULL sends each column's text in the column's own character
 * set, unconverted, with the column's own collation.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-connection.html
 * @req CORE-CS-054 CORE-CS-055
 */
import { collationById, collationId, decode, encode, findCharset, normalizeCharsetName } from '../../kernel/charset/index.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import type { SessionApi } from '../../kernel/protocol-port.js';
import type { Value } from '../../kernel/value.js';

/** Column length limit of the protocol (4 bytes). */
const MAX_COLUMN_LENGTH = 4294967295;
const BINARY_ID = 63;

/** Character sets whose bytes are UTF-8 (our strings encode to them directly). */
function isUtf8(charset: string): boolean {
  return charset === 'utf8mb4' || charset === 'utf8mb3';
}

/** A session variable, or undefined where the session has none (a session without variables). */
function readVar(session: SessionApi | null, name: string): Value | undefined {
  try {
    return session?.sysvar?.(name);
  } catch {
    return undefined;
  }
}

/** The session's character_set_client ('utf8mb4' when unknown). */
export function clientCharset(session: SessionApi | null): string {
  const v = readVar(session, 'character_set_client');
  const cs = typeof v === 'string' ? normalizeCharsetName(v) : 'utf8mb4';
  return findCharset(cs) ? cs : 'utf8mb4';
}

/** The text of a statement in the session's character_set_client. @req CORE-CS-054 */
export function decodeStatement(session: SessionApi | null, bytes: Buffer): string {
  const cs = clientCharset(session);
  if (isUtf8(cs) || cs === 'binary') return bytes.toString('utf8');
  return decode(bytes, cs);
}

/** Per-column text encoders for a result (null entries: the default UTF-8 path). */
export type TextEncoders = ReadonlyArray<((s: string) => Buffer) | null>;

/**
 * The column definitions and text encoders for a result under the session's
 * character_set_results. Returns the columns unchanged and no encoders for a UTF-8 result whose
 * columns already name it. @req CORE-CS-055
 */
export function resultCharset(session: SessionApi, columns: readonly ResultColumn[]): ResultCharset {
  const v = readVar(session, 'character_set_results');
  // A prepared statement (or a cached plan) sends the same column array every time: its answer
  // under the same character_set_results is reused, and so are the encoded column definitions
  // keyed by the column objects it returns.
  const key = v === null ? null : typeof v === 'string' ? v : '';
  const hit = memo.get(columns);
  if (hit && hit.key === key) return hit.out;
  const out = computeResultCharset(v, columns);
  memo.set(columns, { key, out });
  return out;
}

/** The result columns and encoders of one result under one character_set_results. */
export interface ResultCharset {
  columns: readonly ResultColumn[];
  encoders: TextEncoders | null;
}

const memo = new WeakMap<readonly ResultColumn[], { key: string | null; out: ResultCharset }>();

function computeResultCharset(v: Value | undefined, columns: readonly ResultColumn[]): ResultCharset {
  const results = v === null ? null : typeof v === 'string' && v !== '' ? findCharset(v) ?? null : findCharset('utf8mb4') ?? null;
  if (v !== null && results === null) return { columns, encoders: null };
  let changed = false;
  const out: ResultColumn[] = [];
  const encoders: Array<((s: string) => Buffer) | null> = [];
  let anyEncoder = false;
  for (const c of columns) {
    if (c.charsetId === BINARY_ID) {
      out.push(c);
      encoders.push(null);
      continue;
    }
    const source = collationById(c.charsetId)?.charset ?? 'utf8mb4';
    if (results === null) {
      // NULL: the column's own bytes and collation
      out.push(c);
      const enc = isUtf8(source) ? null : (s: string): Buffer => encode(s, source);
      encoders.push(enc);
      if (enc) anyEncoder = true;
      continue;
    }
    const id = collationId(results.defaultCollation);
    let length = c.length;
    if (source !== results.name) {
      const srcMax = findCharset(source)?.maxlen ?? 4;
      length = Math.min(Math.floor(c.length / srcMax) * results.maxlen, MAX_COLUMN_LENGTH);
    }
    if (id !== c.charsetId || length !== c.length) {
      out.push({ ...c, charsetId: id, length });
      changed = true;
    } else out.push(c);
    const cs = results.name;
    const enc = isUtf8(cs) ? null : (s: string): Buffer => encode(s, cs);
    encoders.push(enc);
    if (enc) anyEncoder = true;
  }
  return { columns: changed ? out : columns, encoders: anyEncoder ? encoders : null };
}

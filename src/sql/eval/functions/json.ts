/**
 * JSON functions: JSON_OBJECT, JSON_ARRAY, JSON_EXTRACT and the -> / ->> operators,
 * JSON_UNQUOTE, JSON_QUOTE, JSON_TYPE, JSON_VALID, JSON_LENGTH, JSON_DEPTH, JSON_KEYS,
 * JSON_CONTAINS, JSON_CONTAINS_PATH, JSON_SET/INSERT/REPLACE/REMOVE, JSON_ARRAY_APPEND,
 * JSON_MERGE_PRESERVE/PATCH, JSON_PRETTY, JSON_SEARCH (one/all, no escape). Values are
 * carried as canonical JSON text.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-functions.html
 * @req CORE-EXPR-070 CORE-EXPR-071 CORE-EXPR-072
 */
import { sqlError } from '../../../kernel/errors.js';
import { toStringValue } from '../../types/convert.js';
import { formatDouble } from '../../types/format.js';
import { JsonNumber, JsonObject, JsonParseError, jsonEquals, jsonToText, jsonTypeName, numberFromText, parseJson, quoteJsonString, type JsonValue } from '../../types/json.js';
import { Decimal, Temporal, type Row, type Value } from '../../../kernel/value.js';
import { intType, jsonType, stringType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { lenient, n, s, strict } from './helpers.js';
import { defineFunction, type FnContext } from './registry.js';

// ---- SQL value <-> JSON value ---------------------------------------------------------------
function temporalJson(t: Temporal): string {
  if (t.kind === 'DATE') return t.toString();
  const full = new Temporal(t.kind, t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro, 6, t.negative);
  return full.toString();
}

/** A SQL value as a JSON scalar/document (json-typed values are parsed). */
export function sqlToJson(v: Value, t: ExprType, fn: string, pos: number): JsonValue {
  if (v === null) return null;
  if (t.kind === 'json') return parseDoc(s(v), fn, pos);
  if (typeof v === 'bigint' && t.boolean) return v !== 0n;
  if (typeof v === 'bigint') return new JsonNumber(v > 9223372036854775807n ? 'uint' : 'int', v.toString());
  if (typeof v === 'number') return new JsonNumber('double', formatDouble(v));
  if (v instanceof Decimal) return new JsonNumber('decimal', v.toString());
  if (v instanceof Temporal) return temporalJson(v);
  if (Buffer.isBuffer(v)) return `base64:type15:${v.toString('base64')}`;
  return v;
}

/** Parse a JSON document argument; 3141 on bad text. */
export function parseDoc(text: string, fn: string, pos: number): JsonValue {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonParseError) throw sqlError('ER_INVALID_JSON_TEXT_IN_PARAM', pos, fn, e.reason, e.position);
    throw e;
  }
}

/** A document argument: JSON-typed or a string holding JSON text. */
export function docArg(v: Value, t: ExprType, fn: string, pos: number): JsonValue {
  if (t.kind === 'json' || typeof v === 'string' || Buffer.isBuffer(v)) {
    if (Buffer.isBuffer(v) && t.kind !== 'json') throw sqlError('ER_INVALID_JSON_CHARSET', 'binary');
    return parseDoc(s(v), fn, pos);
  }
  if (t.kind === 'null' || v === null) return null;
  throw sqlError('ER_INVALID_TYPE_FOR_JSON', pos, fn);
}

/** CAST(x AS JSON): strings are parsed, other values become JSON scalars. */
export function toJsonText(v: Value, t: ExprType, fn: string, pos: number): Value {
  if (v === null) return null;
  if (t.kind === 'json' || typeof v === 'string') return jsonToText(parseDoc(s(v), fn, pos));
  if (Buffer.isBuffer(v)) throw sqlError('ER_INVALID_CAST_TO_JSON');
  return jsonToText(sqlToJson(v, t, fn, pos));
}

// ---- paths ----------------------------------------------------------------------------------
type Leg = { k: 'key'; name: string } | { k: 'idx'; i: number; last: boolean } | { k: 'anykey' } | { k: 'anyidx' } | { k: 'deep' };

const pathCache = new Map<string, Leg[]>();
/** Parse a JSON path expression ('$.a[1].b', '$**.c', '$[last]'); 3143 on syntax errors. */
export function parsePath(p: string): Leg[] {
  const hit = pathCache.get(p);
  if (hit) return hit;
  let i = 0;
  const fail = (): never => {
    throw sqlError('ER_INVALID_JSON_PATH', i);
  };
  const ws = () => { while (p[i] === ' ') i++; };
  ws();
  if (p[i] !== '$') fail();
  i++;
  const legs: Leg[] = [];
  for (;;) {
    ws();
    if (i >= p.length) break;
    const c = p[i];
    if (c === '.') {
      i++;
      ws();
      if (p[i] === '*') { i++; legs.push({ k: 'anykey' }); continue; }
      if (p[i] === '"') {
        let j = i + 1, name = '';
        while (j < p.length && p[j] !== '"') {
          if (p[j] === '\\') j++;
          name += p[j++];
        }
        if (j >= p.length) { i = j; fail(); }
        i = j + 1;
        legs.push({ k: 'key', name });
        continue;
      }
      const m = /^[A-Za-z_$][\w$]*/.exec(p.slice(i));
      if (!m) fail();
      i += m![0].length;
      legs.push({ k: 'key', name: m![0] });
    } else if (c === '[') {
      i++;
      ws();
      if (p[i] === '*') { i++; ws(); if (p[i] !== ']') fail(); i++; legs.push({ k: 'anyidx' }); continue; }
      const m = /^(last(?:\s*-\s*(\d+))?|\d+)\s*\]/.exec(p.slice(i));
      if (!m) fail();
      i += m![0].length;
      if (m![1]!.startsWith('last')) legs.push({ k: 'idx', i: Number(m![2] ?? 0), last: true });
      else legs.push({ k: 'idx', i: Number(m![1]), last: false });
    } else if (c === '*' && p[i + 1] === '*') {
      i += 2;
      legs.push({ k: 'deep' });
      if (i >= p.length) fail();
    } else fail();
  }
  if (pathCache.size > 500) pathCache.clear();
  pathCache.set(p, legs);
  return legs;
}

export function hasWildcard(legs: Leg[]): boolean {
  return legs.some((l) => l.k === 'anykey' || l.k === 'anyidx' || l.k === 'deep');
}

/** All values selected by a path. */
export function select(doc: JsonValue, legs: Leg[], at = 0, out: JsonValue[] = []): JsonValue[] {
  if (at === legs.length) {
    out.push(doc);
    return out;
  }
  const leg = legs[at]!;
  switch (leg.k) {
    case 'key':
      if (doc instanceof JsonObject && doc.map.has(leg.name)) select(doc.map.get(leg.name)!, legs, at + 1, out);
      break;
    case 'idx': {
      const arr = Array.isArray(doc) ? doc : [doc]; // a scalar acts as a one-element array
      const idx = leg.last ? arr.length - 1 - leg.i : leg.i;
      if (idx >= 0 && idx < arr.length) select(arr[idx]!, legs, at + 1, out);
      break;
    }
    case 'anykey':
      if (doc instanceof JsonObject) for (const k of doc.keys()) select(doc.map.get(k)!, legs, at + 1, out);
      break;
    case 'anyidx':
      if (Array.isArray(doc)) for (const x of doc) select(x, legs, at + 1, out);
      break;
    case 'deep': {
      select(doc, legs, at + 1, out);
      const kids = doc instanceof JsonObject ? doc.keys().map((k) => doc.map.get(k)!) : Array.isArray(doc) ? doc : [];
      for (const x of kids) select(x, legs, at, out);
      break;
    }
  }
  return out;
}

/** Extract: one value, an array of matches for wildcard paths, or undefined. */
export function jsonExtract(doc: JsonValue, paths: string[]): JsonValue | undefined {
  const all: JsonValue[] = [];
  let wild = paths.length > 1;
  for (const p of paths) {
    const legs = parsePath(p);
    if (hasWildcard(legs)) wild = true;
    select(doc, legs, 0, all);
  }
  if (all.length === 0) return undefined;
  return wild ? all : all[0];
}

function clone(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof JsonObject) {
    const o = new JsonObject();
    for (const [k, x] of v.map) o.map.set(k, clone(x));
    return o;
  }
  return v;
}

/** Apply a modification at a path: mode set/insert/replace/append. Returns the new document. */
function modify(doc: JsonValue, legs: Leg[], value: JsonValue, mode: 'set' | 'insert' | 'replace' | 'append'): JsonValue {
  if (hasWildcard(legs)) throw sqlError('ER_INVALID_JSON_PATH_WILDCARD');
  if (legs.length === 0) {
    if (mode === 'append') return Array.isArray(doc) ? [...doc, value] : [doc, value];
    return mode === 'insert' ? doc : value;
  }
  const parentLegs = legs.slice(0, -1);
  const last = legs[legs.length - 1]!;
  const parents = select(doc, parentLegs);
  if (parents.length === 0) return doc;
  const parent = parents[0]!;
  const setChild = (newChild: JsonValue): JsonValue => {
    // rebuild along the path so the parent slot gets the new child
    return replaceAt(doc, parentLegs, 0, (p) => {
      if (last.k === 'key' && p instanceof JsonObject) {
        const o = clone(p) as JsonObject;
        o.map.set(last.name, newChild);
        return o;
      }
      if (last.k === 'idx') {
        const arr = Array.isArray(p) ? [...p] : [p];
        const idx = last.last ? arr.length - 1 - last.i : last.i;
        if (idx < arr.length && idx >= 0) arr[idx] = newChild;
        else arr.push(newChild);
        return arr;
      }
      return p;
    });
  };
  const existing = select(parent, [last]);
  const exists = existing.length > 0;
  if (mode === 'append') {
    if (!exists) return doc;
    const cur = existing[0]!;
    return setChild(Array.isArray(cur) ? [...cur, value] : [cur, value]);
  }
  if (exists && mode === 'insert') return doc;
  if (!exists && mode === 'replace') return doc;
  if (!exists) {
    if (last.k === 'key' && !(parent instanceof JsonObject)) return doc;
  }
  return setChild(value);
}

export function replaceAt(doc: JsonValue, legs: Leg[], at: number, f: (v: JsonValue) => JsonValue): JsonValue {
  if (at === legs.length) return f(doc);
  const leg = legs[at]!;
  if (leg.k === 'key' && doc instanceof JsonObject && doc.map.has(leg.name)) {
    const o = clone(doc) as JsonObject;
    o.map.set(leg.name, replaceAt(doc.map.get(leg.name)!, legs, at + 1, f));
    return o;
  }
  if (leg.k === 'idx') {
    const arr = Array.isArray(doc) ? [...doc] : [doc];
    const idx = leg.last ? arr.length - 1 - leg.i : leg.i;
    if (idx >= 0 && idx < arr.length) {
      arr[idx] = replaceAt(arr[idx]!, legs, at + 1, f);
      return Array.isArray(doc) ? arr : arr[0]!;
    }
  }
  return doc;
}

function removeAt(doc: JsonValue, legs: Leg[]): JsonValue {
  if (legs.length === 0) throw sqlError('ER_INVALID_JSON_PATH_ARRAY_CELL');
  if (hasWildcard(legs)) throw sqlError('ER_INVALID_JSON_PATH_WILDCARD');
  const last = legs[legs.length - 1]!;
  return replaceAt(doc, legs.slice(0, -1), 0, (p) => {
    if (last.k === 'key' && p instanceof JsonObject && p.map.has(last.name)) {
      const o = clone(p) as JsonObject;
      o.map.delete(last.name);
      return o;
    }
    if (last.k === 'idx' && Array.isArray(p)) {
      const idx = last.last ? p.length - 1 - last.i : last.i;
      if (idx >= 0 && idx < p.length) return p.filter((_x, k) => k !== idx);
    }
    return p;
  });
}

function unquote(j: JsonValue): string {
  return typeof j === 'string' ? j : jsonToText(j);
}

// ---- registrations --------------------------------------------------------------------------
const J = (nullable = true) => jsonType(nullable);

defineFunction('JSON_OBJECT', 0, Infinity, (args, ctx) => {
  if (args.length % 2) throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', 'json_object');
  void ctx;
  return lenient(args, J(false), (vals) => {
    const o = new JsonObject();
    for (let k = 0; k < vals.length; k += 2) {
      if (vals[k] === null) throw sqlError('ER_JSON_DOCUMENT_NULL_KEY');
      o.map.set(s(vals[k]!), sqlToJson(vals[k + 1]!, args[k + 1]!.type, 'json_object', k + 2));
    }
    return jsonToText(o);
  });
});
defineFunction('JSON_ARRAY', 0, Infinity, (args) =>
  lenient(args, J(false), (vals) => jsonToText(vals.map((v, k) => sqlToJson(v, args[k]!.type, 'json_array', k + 1)))),
);

function extractFn(args: CompiledExpr[], fn: string): CompiledExpr {
  const t0 = args[0]!.type;
  return strict(args, J(), (vals) => {
    const doc = docArg(vals[0]!, t0, fn, 1);
    const r = jsonExtract(doc, vals.slice(1).map((v) => s(v)));
    return r === undefined ? null : jsonToText(r);
  });
}
defineFunction('JSON_EXTRACT', 2, Infinity, (args) => extractFn(args, 'json_extract'));

/** `col->'$.path'` and `col->>'$.path'`. */
export function compileJsonPathOp(op: '->' | '->>', l: CompiledExpr, r: CompiledExpr): CompiledExpr {
  const ex = extractFn([l, r], 'json_extract');
  if (op === '->') return ex;
  const f = ex.eval;
  return { type: stringType(65535, true, 'utf8mb4_bin'), eval: (row: Row, rt: Runtime) => { const v = f(row, rt); return v === null ? null : unquote(parseJson(s(v))); } };
}

defineFunction('JSON_UNQUOTE', 1, 1, (args) =>
  strict(args, stringType(65535, true, 'utf8mb4_bin'), ([v]) => {
    const t = s(v!);
    if (args[0]!.type.kind === 'json') return unquote(parseJson(t));
    if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
      try {
        const j = parseJson(t);
        return typeof j === 'string' ? j : t;
      } catch (e) {
        if (e instanceof JsonParseError) throw sqlError('ER_INVALID_JSON_TEXT_IN_PARAM', 1, 'json_unquote', e.reason, e.position);
        throw e;
      }
    }
    return t;
  }),
);
defineFunction('JSON_QUOTE', 1, 1, (args) => strict(args, stringType(65535, true, 'utf8mb4_bin'), ([v]) => quoteJsonString(s(v!))));
defineFunction('JSON_TYPE', 1, 1, (args) => strict(args, stringType(51, true, 'utf8mb4_bin'), ([v]) => jsonTypeName(docArg(v!, args[0]!.type, 'json_type', 1))));
defineFunction('JSON_VALID', 1, 1, (args) =>
  strict(args, intType(1, true), ([v]) => {
    if (args[0]!.type.kind === 'json') return 1n;
    if (typeof v !== 'string') return 0n;
    try {
      parseJson(v);
      return 1n;
    } catch {
      return 0n;
    }
  }),
);
defineFunction('JSON_LENGTH', 1, 2, (args) =>
  strict(args, intType(10, true), (vals) => {
    let doc: JsonValue | undefined = docArg(vals[0]!, args[0]!.type, 'json_length', 1);
    if (vals.length > 1) {
      doc = jsonExtract(doc, [s(vals[1]!)]);
      if (doc === undefined) return null;
    }
    if (Array.isArray(doc)) return BigInt(doc.length);
    if (doc instanceof JsonObject) return BigInt(doc.map.size);
    return 1n;
  }),
);
function depth(v: JsonValue): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depth));
  if (v instanceof JsonObject) return 1 + Math.max(0, ...[...v.map.values()].map(depth));
  return 1;
}
defineFunction('JSON_DEPTH', 1, 1, (args) => strict(args, intType(10, true), ([v]) => BigInt(depth(docArg(v!, args[0]!.type, 'json_depth', 1)))));
defineFunction('JSON_KEYS', 1, 2, (args) =>
  strict(args, J(), (vals) => {
    let doc: JsonValue | undefined = docArg(vals[0]!, args[0]!.type, 'json_keys', 1);
    if (vals.length > 1) doc = jsonExtract(doc, [s(vals[1]!)]);
    if (!(doc instanceof JsonObject)) return null;
    return jsonToText(doc.keys());
  }),
);

/** JSON_CONTAINS(target, candidate): MySQL's containment rules. */
export function jsonContains(target: JsonValue, cand: JsonValue): boolean {
  if (Array.isArray(target)) {
    if (Array.isArray(cand)) return cand.every((c) => target.some((t) => jsonContains(t, c)));
    return target.some((t) => jsonContains(t, cand));
  }
  if (target instanceof JsonObject) {
    if (!(cand instanceof JsonObject)) return false;
    for (const [k, v] of cand.map) if (!target.map.has(k) || !jsonContains(target.map.get(k)!, v)) return false;
    return true;
  }
  return jsonEquals(target, cand);
}
defineFunction('JSON_CONTAINS', 2, 3, (args) =>
  strict(args, intType(1, true), (vals) => {
    let target: JsonValue | undefined = docArg(vals[0]!, args[0]!.type, 'json_contains', 1);
    const cand = docArg(vals[1]!, args[1]!.type, 'json_contains', 2);
    if (vals.length > 2) {
      target = jsonExtract(target, [s(vals[2]!)]);
      if (target === undefined) return null;
    }
    return jsonContains(target, cand) ? 1n : 0n;
  }),
);
defineFunction('JSON_CONTAINS_PATH', 3, Infinity, (args) =>
  strict(args, intType(1, true), (vals) => {
    const doc = docArg(vals[0]!, args[0]!.type, 'json_contains_path', 1);
    const mode = s(vals[1]!).toLowerCase();
    if (mode !== 'one' && mode !== 'all') throw sqlError('ER_JSON_BAD_ONE_OR_ALL_ARG', 'json_contains_path');
    const found = vals.slice(2).map((p) => select(doc, parsePath(s(p))).length > 0);
    return (mode === 'one' ? found.some(Boolean) : found.every(Boolean)) ? 1n : 0n;
  }),
);

function modifier(fn: string, mode: 'set' | 'insert' | 'replace' | 'append') {
  return (args: CompiledExpr[], ctx: FnContext): CompiledExpr => {
    if (args.length % 2 === 0) throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', ctx.call.name.toLowerCase());
    return lenient(args, J(), (vals) => {
      if (vals[0] === null) return null;
      let doc = docArg(vals[0], args[0]!.type, fn, 1);
      for (let k = 1; k < vals.length; k += 2) {
        if (vals[k] === null) return null;
        doc = modify(doc, parsePath(s(vals[k]!)), sqlToJson(vals[k + 1]!, args[k + 1]!.type, fn, k + 2), mode);
      }
      return jsonToText(doc);
    });
  };
}
defineFunction('JSON_SET', 3, Infinity, modifier('json_set', 'set'));
defineFunction('JSON_INSERT', 3, Infinity, modifier('json_insert', 'insert'));
defineFunction('JSON_REPLACE', 3, Infinity, modifier('json_replace', 'replace'));
defineFunction('JSON_ARRAY_APPEND', 3, Infinity, modifier('json_array_append', 'append'));
defineFunction('JSON_REMOVE', 2, Infinity, (args) =>
  strict(args, J(), (vals) => {
    let doc = docArg(vals[0]!, args[0]!.type, 'json_remove', 1);
    for (const p of vals.slice(1)) doc = removeAt(doc, parsePath(s(p)));
    return jsonToText(doc);
  }),
);

function mergePreserve(a: JsonValue, b: JsonValue): JsonValue {
  if (a instanceof JsonObject && b instanceof JsonObject) {
    const o = clone(a) as JsonObject;
    for (const [k, v] of b.map) o.map.set(k, o.map.has(k) ? mergePreserve(o.map.get(k)!, v) : v);
    return o;
  }
  const x = Array.isArray(a) ? a : [a];
  const y = Array.isArray(b) ? b : [b];
  return [...x, ...y];
}
function mergePatch(a: JsonValue, b: JsonValue): JsonValue {
  if (!(b instanceof JsonObject)) return b;
  const o = a instanceof JsonObject ? (clone(a) as JsonObject) : new JsonObject();
  for (const [k, v] of b.map) {
    if (v === null) o.map.delete(k);
    else o.map.set(k, mergePatch(o.map.get(k) ?? null, v));
  }
  return o;
}
defineFunction(['JSON_MERGE_PRESERVE', 'JSON_MERGE'], 2, Infinity, (args) =>
  strict(args, J(), (vals) => jsonToText(vals.map((v, k) => docArg(v, args[k]!.type, 'json_merge_preserve', k + 1)).reduce(mergePreserve))),
);
defineFunction('JSON_MERGE_PATCH', 2, Infinity, (args) =>
  lenient(args, J(), (vals) => {
    let acc: JsonValue | undefined;
    for (let k = 0; k < vals.length; k++) {
      const v = vals[k]!;
      const j = v === null ? null : docArg(v, args[k]!.type, 'json_merge_patch', k + 1);
      if (acc === undefined) acc = j;
      else acc = mergePatch(acc, j);
      if (v === null && k === 0) return null;
    }
    return acc === undefined || acc === null ? null : jsonToText(acc);
  }),
);
function pretty(v: JsonValue, ind: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[\n' + v.map((x) => ind + '  ' + pretty(x, ind + '  ')).join(',\n') + '\n' + ind + ']';
  }
  if (v instanceof JsonObject) {
    const ks = v.keys();
    if (ks.length === 0) return '{}';
    return '{\n' + ks.map((k) => ind + '  ' + quoteJsonString(k) + ': ' + pretty(v.map.get(k)!, ind + '  ')).join(',\n') + '\n' + ind + '}';
  }
  return jsonToText(v);
}
defineFunction('JSON_PRETTY', 1, 1, (args) => strict(args, stringType(65535, true, 'utf8mb4_bin'), ([v]) => pretty(docArg(v!, args[0]!.type, 'json_pretty', 1), '')));
defineFunction('JSON_STORAGE_SIZE', 1, 1, (args) => strict(args, intType(10, true), ([v]) => BigInt(Buffer.byteLength(jsonToText(docArg(v!, args[0]!.type, 'json_storage_size', 1))))));
defineFunction('JSON_SEARCH', 3, 5, (args) =>
  strict(args.slice(0, 3), J(), (vals) => {
    const doc = docArg(vals[0]!, args[0]!.type, 'json_search', 1);
    const mode = s(vals[1]!).toLowerCase();
    if (mode !== 'one' && mode !== 'all') throw sqlError('ER_JSON_BAD_ONE_OR_ALL_ARG', 'json_search');
    const pat = s(vals[2]!);
    const re = new RegExp('^' + pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 's');
    const hits: string[] = [];
    const walk = (v: JsonValue, path: string) => {
      if (typeof v === 'string') {
        if (re.test(v)) hits.push(path);
      } else if (Array.isArray(v)) v.forEach((x, k) => walk(x, `${path}[${k}]`));
      else if (v instanceof JsonObject) for (const k of v.keys()) walk(v.map.get(k)!, `${path}.${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteJsonString(k)}`);
    };
    walk(doc, '$');
    if (!hits.length) return null;
    return mode === 'one' || hits.length === 1 ? quoteJsonString(hits[0]!) : jsonToText(hits);
  }),
);
defineFunction('JSON_VALUE', 2, 2, (args) =>
  strict(args, stringType(512, true, 'utf8mb4_bin'), ([v, p]) => {
    const r = jsonExtract(docArg(v!, args[0]!.type, 'json_value', 1), [s(p!)]);
    return r === undefined || r === null ? null : unquote(r);
  }),
);
defineFunction(['MEMBER_OF', 'MEMBER OF'], 2, 2, (args) =>
  strict(args, intType(1, true), ([v, arr]) => {
    const a = docArg(arr!, args[1]!.type, 'member of', 2);
    const x = args[0]!.type.kind === 'json' ? parseJson(s(v!)) : sqlToJson(v!, args[0]!.type, 'member of', 1);
    return (Array.isArray(a) ? a : [a]).some((y) => jsonEquals(y, x)) ? 1n : 0n;
  }),
);

export { numberFromText, toStringValue, n };

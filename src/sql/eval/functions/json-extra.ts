/**
 * JSON functions the audit found missing: JSON_OVERLAPS(a, b) (do two documents share an
 * element, a key/value pair or, for scalars, the value), JSON_ARRAY_INSERT(doc, path, val, ...)
 * (insert into an array at a cell, shifting the rest) and JSON_STORAGE_FREE(doc) (space freed by
 * partial updates: always 0 here, since documents are rewritten whole).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-search-functions.html#function_json-overlaps
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-modification-functions.html#function_json-array-insert
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-utility-functions.html#function_json-storage-free
 * @req CORE-FN-013 CORE-FN-014 CORE-FN-015
 */
import { sqlError } from '../../../kernel/errors.js';
import { JsonObject, jsonEquals, jsonToText, type JsonValue } from '../../types/json.js';
import { boolType, intType, jsonType } from '../type-rules.js';
import type { CompiledExpr } from '../types.js';
import { lenient, s, strict } from './helpers.js';
import { docArg, hasWildcard, parsePath, replaceAt, select, sqlToJson } from './json.js';
import { defineFunction, type FnContext } from './registry.js';

/** JSON_OVERLAPS' rule. @req CORE-FN-013 */
export function jsonOverlaps(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.some((x) => b.some((y) => jsonEquals(x, y)));
  if (Array.isArray(a)) return a.some((x) => jsonEquals(x, b));
  if (Array.isArray(b)) return b.some((y) => jsonEquals(a, y));
  if (a instanceof JsonObject && b instanceof JsonObject) {
    for (const [k, v] of a.map) if (b.map.has(k) && jsonEquals(v, b.map.get(k)!)) return true;
    return false;
  }
  return jsonEquals(a, b);
}

/** @req CORE-FN-013 */
defineFunction('JSON_OVERLAPS', 2, 2, (args): CompiledExpr =>
  strict(args, boolType(true), ([a, b]) => (jsonOverlaps(docArg(a!, args[0]!.type, 'json_overlaps', 1), docArg(b!, args[1]!.type, 'json_overlaps', 2)) ? 1n : 0n)),
);

/**
 * Insert `value` at an array cell: the path must end in an array index (3165), without
 * wildcards (3149); a cell past the end appends; a parent that is not an array, or a missing
 * parent, leaves the document unchanged.
 * @req CORE-FN-014
 */
export function arrayInsert(doc: JsonValue, pathText: string, value: JsonValue): JsonValue {
  const legs = parsePath(pathText);
  if (hasWildcard(legs)) throw sqlError('ER_INVALID_JSON_PATH_WILDCARD');
  const last = legs[legs.length - 1];
  if (!last || last.k !== 'idx') throw sqlError('ER_INVALID_JSON_PATH_ARRAY_CELL');
  const parentLegs = legs.slice(0, -1);
  const parents = select(doc, parentLegs);
  if (parents.length === 0 || !Array.isArray(parents[0])) return doc;
  return replaceAt(doc, parentLegs, 0, (p) => {
    const arr = [...(p as JsonValue[])];
    const idx = last.last ? arr.length - 1 - last.i : last.i;
    arr.splice(Math.max(0, Math.min(idx, arr.length)), 0, value);
    return arr;
  });
}

/** @req CORE-FN-014 */
defineFunction('JSON_ARRAY_INSERT', 3, Infinity, (args: CompiledExpr[], ctx: FnContext): CompiledExpr => {
  if (args.length % 2 === 0) throw sqlError('ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT', ctx.call.name.toLowerCase());
  return lenient(args, jsonType(), (vals) => {
    if (vals[0] === null) return null;
    let doc = docArg(vals[0]!, args[0]!.type, 'json_array_insert', 1);
    for (let k = 1; k < vals.length; k += 2) {
      if (vals[k] === null) return null;
      doc = arrayInsert(doc, s(vals[k]!), sqlToJson(vals[k + 1]!, args[k + 1]!.type, 'json_array_insert', k + 2));
    }
    return jsonToText(doc);
  });
});

/** @req CORE-FN-015 */
defineFunction('JSON_STORAGE_FREE', 1, 1, (args): CompiledExpr =>
  strict(args, intType(10, true), ([v]) => {
    docArg(v!, args[0]!.type, 'json_storage_free', 1);
    return 0n;
  }),
);

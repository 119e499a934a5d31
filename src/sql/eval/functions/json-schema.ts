/**
 * JSON_SCHEMA_VALID(schema, doc) and JSON_SCHEMA_VALIDATION_REPORT(schema, doc): a JSON Schema
 * draft-4 validator of our own. MySQL validates with a streaming validator, so the first failure
 * it reports is the first one met while walking the document in text order; we walk the same way
 * (a value's type first, then its members or elements, then the keywords judged on the whole
 * value such as required, enum and the combinators) so the report names the same location and
 * keyword for the common cases.
 *
 * Only draft-4 keywords count (const, if/then/else and other later keywords are ignored, as in
 * MySQL). Local references ('#', '#/definitions/x', any JSON pointer into the schema) are followed;
 * anything else is a remote reference, which MySQL refuses with 1235 before validating. A
 * reference cycle that comes back to the same document location adds no constraint.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-validation-functions.html
 * @req CORE-FN-030 CORE-FN-031 CORE-FN-032
 */
import { sqlError } from '../../../kernel/errors.js';
import { JsonNumber, JsonObject, jsonEquals, jsonToText, type JsonValue } from '../../types/json.js';
import { boolType, jsonType } from '../type-rules.js';
import type { CompiledExpr } from '../types.js';
import { strict } from './helpers.js';
import { docArg } from './json.js';
import { defineFunction } from './registry.js';

/** The first failure: where in the schema, where in the document, which keyword. */
export interface SchemaFailure {
  schemaLocation: string;
  documentLocation: string;
  keyword: string;
}

/** One JSON pointer token in URI-fragment form: ~ and / escaped, then every byte outside
 *  letters, digits and -._~ percent-encoded (as MySQL's report writes locations). */
function token(s: string): string {
  const escaped = s.replace(/~/g, '~0').replace(/\//g, '~1');
  let out = '';
  for (const b of Buffer.from(escaped, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function member(o: JsonValue, k: string): JsonValue | undefined {
  return o instanceof JsonObject ? o.map.get(k) : undefined;
}

/** Resolve a local '#...' pointer inside the schema; undefined when it names nothing. */
function resolvePointer(root: JsonValue, ref: string): JsonValue | undefined {
  let frag = ref.slice(1);
  try {
    frag = decodeURIComponent(frag);
  } catch {
    return undefined;
  }
  if (frag === '') return root;
  if (!frag.startsWith('/')) return undefined;
  let cur: JsonValue | undefined = root;
  for (const raw of frag.slice(1).split('/')) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur instanceof JsonObject) cur = cur.map.get(t);
    else if (Array.isArray(cur) && /^(0|[1-9]\d*)$/.test(t)) cur = cur[Number(t)];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * Every $ref in the schema must be local: MySQL refuses a schema with a remote reference
 * (error 1235) whether or not validation would reach it.
 * @req CORE-FN-032
 */
function checkRefs(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const x of v) checkRefs(x);
  } else if (v instanceof JsonObject) {
    const ref = v.map.get('$ref');
    if (typeof ref === 'string' && !ref.startsWith('#')) throw sqlError('ER_NOT_SUPPORTED_YET', 'references in JSON Schema');
    for (const x of v.map.values()) checkRefs(x);
  }
}

function isInteger(v: JsonValue): boolean {
  return v instanceof JsonNumber && (v.kind === 'int' || v.kind === 'uint');
}

function typeMatches(name: string, v: JsonValue): boolean {
  switch (name) {
    case 'object': return v instanceof JsonObject;
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    case 'number': return v instanceof JsonNumber;
    case 'integer': return isInteger(v);
    default: return false;
  }
}

function num(v: JsonValue | undefined): number | undefined {
  return v instanceof JsonNumber ? v.toNumber() : undefined;
}

function isMultiple(x: JsonNumber, m: JsonNumber): boolean {
  if (isInteger(x) && isInteger(m)) {
    const d = BigInt(m.text);
    return d === 0n || BigInt(x.text) % d === 0n;
  }
  const a = x.toNumber(), b = m.toNumber();
  if (b === 0) return true;
  const q = Math.floor(a / b);
  return !(a - q * b > 0);
}

const patternCache = new Map<string, RegExp | null>();
/** A schema pattern as a regular expression; one that does not compile constrains nothing. */
function regex(src: string): RegExp | null {
  let r = patternCache.get(src);
  if (r === undefined) {
    try {
      r = new RegExp(src, 'u');
    } catch {
      r = null;
    }
    if (patternCache.size > 200) patternCache.clear();
    patternCache.set(src, r);
  }
  return r;
}

/** Validate `doc` against `schema`; null when valid, else the first failure. @req CORE-FN-030 CORE-FN-031 */
export function validateSchema(schema: JsonValue, doc: JsonValue): SchemaFailure | null {
  if (!(schema instanceof JsonObject)) throw sqlError('ER_INVALID_JSON_TYPE', 1, 'json_schema_valid', 'object');
  checkRefs(schema);
  const active = new Set<string>();

  const check = (s: JsonValue, sLoc: string, v: JsonValue, dLoc: string): SchemaFailure | null => {
    if (!(s instanceof JsonObject)) return null;
    const fail = (keyword: string): SchemaFailure => ({ schemaLocation: sLoc, documentLocation: dLoc, keyword });
    const ref = s.map.get('$ref');
    if (typeof ref === 'string') {
      // a reference replaces its sibling keywords (draft 4)
      const target = resolvePointer(schema, ref);
      if (target === undefined) return null;
      const key = `${ref}\u0000${dLoc}`;
      if (active.has(key)) return null;
      active.add(key);
      try {
        return check(target, ref === '#' ? '#' : ref, v, dLoc);
      } finally {
        active.delete(key);
      }
    }
    const m = (k: string): JsonValue | undefined => s.map.get(k);

    // type first, as a streaming validator meets it at the value's start
    const type = m('type');
    if (typeof type === 'string' && !typeMatches(type, v)) return fail('type');
    if (Array.isArray(type) && !type.some((t) => typeof t === 'string' && typeMatches(t, v))) return fail('type');

    if (v instanceof JsonObject) {
      const props = m('properties'), pats = m('patternProperties'), addl = m('additionalProperties');
      for (const [k, x] of v.map) {
        let matched = false;
        const pv = member(props ?? null, k);
        if (pv !== undefined) {
          matched = true;
          const f = check(pv, `${sLoc}/properties/${token(k)}`, x, `${dLoc}/${token(k)}`);
          if (f) return f;
        }
        if (pats instanceof JsonObject) {
          for (const [p, ps] of pats.map) {
            const re = regex(p);
            if (re && re.test(k)) {
              matched = true;
              const f = check(ps, `${sLoc}/patternProperties/${token(p)}`, x, `${dLoc}/${token(k)}`);
              if (f) return f;
            }
          }
        }
        if (!matched && addl !== undefined) {
          if (addl === false) return fail('additionalProperties');
          if (addl instanceof JsonObject) {
            const f = check(addl, `${sLoc}/additionalProperties`, x, `${dLoc}/${token(k)}`);
            if (f) return f;
          }
        }
      }
      const req = m('required');
      if (Array.isArray(req) && req.some((r) => typeof r === 'string' && !v.map.has(r))) return fail('required');
      const minP = num(m('minProperties')), maxP = num(m('maxProperties'));
      if (minP !== undefined && v.map.size < minP) return fail('minProperties');
      if (maxP !== undefined && v.map.size > maxP) return fail('maxProperties');
      const deps = m('dependencies');
      if (deps instanceof JsonObject) {
        for (const [k, d] of deps.map) {
          if (!v.map.has(k)) continue;
          if (Array.isArray(d) && d.some((r) => typeof r === 'string' && !v.map.has(r))) return fail('dependencies');
          if (d instanceof JsonObject && check(d, `${sLoc}/dependencies/${token(k)}`, v, dLoc)) return fail('dependencies');
        }
      }
    } else if (Array.isArray(v)) {
      const items = m('items'), addl = m('additionalItems');
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (items instanceof JsonObject) {
          const f = check(items, `${sLoc}/items`, x, `${dLoc}/${i}`);
          if (f) return f;
        } else if (Array.isArray(items)) {
          if (i < items.length) {
            const f = check(items[i]!, `${sLoc}/items/${i}`, x, `${dLoc}/${i}`);
            if (f) return f;
          } else if (addl === false) {
            return fail('additionalItems');
          } else if (addl instanceof JsonObject) {
            const f = check(addl, `${sLoc}/additionalItems`, x, `${dLoc}/${i}`);
            if (f) return f;
          }
        }
      }
      const minI = num(m('minItems')), maxI = num(m('maxItems'));
      if (minI !== undefined && v.length < minI) return fail('minItems');
      if (maxI !== undefined && v.length > maxI) return fail('maxItems');
      if (m('uniqueItems') === true) {
        for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) if (jsonEquals(v[i]!, v[j]!)) return fail('uniqueItems');
      }
    } else if (typeof v === 'string') {
      const len = [...v].length;
      const minL = num(m('minLength')), maxL = num(m('maxLength'));
      if (minL !== undefined && len < minL) return fail('minLength');
      if (maxL !== undefined && len > maxL) return fail('maxLength');
      const pat = m('pattern');
      if (typeof pat === 'string') {
        const re = regex(pat);
        if (re && !re.test(v)) return fail('pattern');
      }
    } else if (v instanceof JsonNumber) {
      const x = v.toNumber();
      const min = num(m('minimum')), max = num(m('maximum'));
      // draft 4: exclusiveMinimum/Maximum are flags on minimum/maximum, reported under those names
      if (min !== undefined && (m('exclusiveMinimum') === true ? x <= min : x < min)) return fail('minimum');
      if (max !== undefined && (m('exclusiveMaximum') === true ? x >= max : x > max)) return fail('maximum');
      const mult = m('multipleOf');
      if (mult instanceof JsonNumber && !isMultiple(v, mult)) return fail('multipleOf');
    }

    // keywords judged on the whole value
    const en = m('enum');
    if (Array.isArray(en) && !en.some((e) => jsonEquals(e, v))) return fail('enum');
    const allOf = m('allOf');
    if (Array.isArray(allOf) && allOf.some((x, i) => check(x, `${sLoc}/allOf/${i}`, v, dLoc) !== null)) return fail('allOf');
    const anyOf = m('anyOf');
    if (Array.isArray(anyOf) && !anyOf.some((x, i) => check(x, `${sLoc}/anyOf/${i}`, v, dLoc) === null)) return fail('anyOf');
    const oneOf = m('oneOf');
    if (Array.isArray(oneOf) && oneOf.filter((x, i) => check(x, `${sLoc}/oneOf/${i}`, v, dLoc) === null).length !== 1) return fail('oneOf');
    const not = m('not');
    if (not instanceof JsonObject && check(not, `${sLoc}/not`, v, dLoc) === null) return fail('not');
    return null;
  };
  return check(schema, '#', doc, '#');
}

/** The report object MySQL returns: {"valid": true} or the failure's four members. @req CORE-FN-031 */
export function validationReport(f: SchemaFailure | null): JsonObject {
  const o = new JsonObject();
  o.map.set('valid', f === null);
  if (f) {
    o.map.set('reason', `The JSON document location '${f.documentLocation}' failed requirement '${f.keyword}' at JSON Schema location '${f.schemaLocation}'`);
    o.map.set('schema-location', f.schemaLocation);
    o.map.set('document-location', f.documentLocation);
    o.map.set('schema-failed-keyword', f.keyword);
  }
  return o;
}

/** @req CORE-FN-030 */
defineFunction('JSON_SCHEMA_VALID', 2, 2, (args): CompiledExpr =>
  strict(args, boolType(true), ([a, b]) => {
    const schema = docArg(a!, args[0]!.type, 'json_schema_valid', 1);
    const doc = docArg(b!, args[1]!.type, 'json_schema_valid', 2);
    return validateSchema(schema, doc) === null ? 1n : 0n;
  }),
);

/** @req CORE-FN-031 */
defineFunction('JSON_SCHEMA_VALIDATION_REPORT', 2, 2, (args): CompiledExpr =>
  strict(args, jsonType(true), ([a, b]) => {
    const schema = docArg(a!, args[0]!.type, 'json_schema_validation_report', 1);
    if (!(schema instanceof JsonObject)) throw sqlError('ER_INVALID_JSON_TYPE', 1, 'json_schema_validation_report', 'object');
    const doc = docArg(b!, args[1]!.type, 'json_schema_validation_report', 2);
    return jsonToText(validationReport(validateSchema(schema, doc)));
  }),
);

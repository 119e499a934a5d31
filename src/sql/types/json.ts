/**
 * The JSON document model used by the JSON type and functions: a parser that keeps numbers
 * exact, MySQL's normalisation (object keys sorted by length then bytes, last duplicate key
 * wins) and the canonical text form (`{"a": 1, "b": [1, 2]}`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json.html
 * @req CORE-TYPE-070 CORE-TYPE-071
 */
import { formatDouble } from './format.js';

export type JsonValue =
  | null
  | boolean
  | string
  | JsonNumber
  | JsonValue[]
  | JsonObject;

/** Numbers keep their kind: integers print without a point, doubles as MySQL prints doubles. */
export class JsonNumber {
  constructor(readonly kind: 'int' | 'uint' | 'double' | 'decimal', readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
}

export class JsonObject {
  readonly map = new Map<string, JsonValue>();
  /** Keys in MySQL's storage order: shorter first, then by UTF-8 bytes. */
  keys(): string[] {
    return [...this.map.keys()].sort(compareJsonKeys);
  }
}

export function compareJsonKeys(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8'), bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) return ba.length - bb.length;
  return Buffer.compare(ba, bb);
}

export class JsonParseError extends Error {
  constructor(readonly reason: string, readonly position: number) {
    super(reason);
  }
}

/** Parse JSON text; throws JsonParseError with MySQL's reason text and character position. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (reason: string): never => {
    throw new JsonParseError(reason, i);
  };
  let depth = 0;
  const value = (): JsonValue => {
    ws();
    if (i >= n) fail(/^\s*$/.test(text) ? 'The document is empty.' : 'Invalid value.');
    const c = text[i]!;
    if (c === '{') {
      if (++depth > 100) fail('The JSON document exceeds the maximum depth.');
      i++;
      const o = new JsonObject();
      ws();
      if (text[i] === '}') {
        i++;
        depth--;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Missing a name for object member.');
        const k = str();
        ws();
        if (text[i] !== ':') fail('Missing a colon after a name of object member.');
        i++;
        const v = value();
        o.map.set(k, v);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          depth--;
          return o;
        }
        fail('Missing a comma or \'}\' after an object member.');
      }
    }
    if (c === '[') {
      if (++depth > 100) fail('The JSON document exceeds the maximum depth.');
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        depth--;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          depth--;
          return a;
        }
        fail("Missing a comma or ']' after an array element.");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('Invalid value.');
    i += m![0].length;
    return numberFromText(m![0], !!(m![1] || m![2]));
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= n) fail('Missing a closing quotation mark in string.');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('Incorrect hex digit after \\u escape in string.');
            out += String.fromCharCode(parseInt(h, 16));
            i += 4;
            break;
          }
          default:
            i--;
            fail('Invalid escape character in string.');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('Invalid encoding in string.');
      out += c;
      i++;
    }
  };
  const v = value();
  ws();
  if (i < n) fail('The document root must not be followed by other values.');
  return v;
}

export function numberFromText(t: string, isDouble: boolean): JsonNumber {
  if (isDouble) return new JsonNumber('double', formatDouble(Number(t)));
  const b = BigInt(t);
  if (b > 9223372036854775807n) {
    if (b <= 18446744073709551615n) return new JsonNumber('uint', b.toString());
    return new JsonNumber('double', formatDouble(Number(t)));
  }
  if (b < -9223372036854775808n) return new JsonNumber('double', formatDouble(Number(t)));
  return new JsonNumber('int', b.toString());
}

/** Quote a string the way MySQL's JSON printer does. */
export function quoteJsonString(s: string): string {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Canonical text of a JSON value. @req CORE-TYPE-071 */
export function jsonToText(v: JsonValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return quoteJsonString(v);
  if (v instanceof JsonNumber) {
    if (v.kind === 'double') {
      const n = Number(v.text);
      const s = formatDouble(n);
      return /[.eE]|inf|NaN/.test(s) ? s : s + '.0';
    }
    return v.text;
  }
  if (Array.isArray(v)) return '[' + v.map(jsonToText).join(', ') + ']';
  return '{' + v.keys().map((k) => quoteJsonString(k) + ': ' + jsonToText(v.map.get(k)!)).join(', ') + '}';
}

/** Type name as JSON_TYPE reports it. */
export function jsonTypeName(v: JsonValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (typeof v === 'string') return 'STRING';
  if (v instanceof JsonNumber) return v.kind === 'int' ? 'INTEGER' : v.kind === 'uint' ? 'UNSIGNED INTEGER' : v.kind === 'decimal' ? 'DECIMAL' : 'DOUBLE';
  if (Array.isArray(v)) return 'ARRAY';
  return 'OBJECT';
}

/** Deep equality of JSON values (numbers compare numerically). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.toNumber() === b.toNumber();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]!));
  if (a instanceof JsonObject && b instanceof JsonObject) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!b.map.has(k) || !jsonEquals(v, b.map.get(k)!)) return false;
    return true;
  }
  return a === b;
}

/** Normalise JSON text to canonical form; throws JsonParseError. */
export function normalizeJsonText(text: string): string {
  return jsonToText(parseJson(text));
}

/**
 * ExtractValue(xml, xpath) and UpdateXML(xml, xpath, new_xml). The XPath argument must be
 * constant (1105 otherwise); a malformed XPath is error 1105, a malformed document gives NULL
 * with warning 1525 ("Incorrect XML value: 'parse error at ...'").
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xml-functions.html
 * @req CORE-FN-008 CORE-FN-009 CORE-FN-010
 */
import { sqlError } from '../../../kernel/errors.js';
import type { Value } from '../../../kernel/value.js';
import { toStringValue } from '../../types/convert.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { lenient, out, s, strResult } from './helpers.js';
import { defineFunction } from './registry.js';
import { parseXml, XmlParseError, type XmlDoc } from './xml-doc.js';
import { evalXPath, parseXPath, resultText, type XPathExpr } from './xpath.js';

/** Result length of both functions: MySQL declares them as long as a LONGTEXT. @req CORE-FN-008 */
const XML_RESULT_LENGTH = 4294967295;

/** MySQL's refusal of an XPath that depends on the row. @req CORE-FN-010 */
const NON_CONSTANT_XPATH = 'Only constant XPATH queries are supported';

/** Parse a document, or warn 1525 and give null. */
function docOf(text: string, rt: Runtime): XmlDoc | null {
  try {
    return parseXml(text);
  } catch (e) {
    if (e instanceof XmlParseError) {
      rt.warn('Warning', 'ER_WRONG_VALUE', 'XML', e.message);
      return null;
    }
    throw e;
  }
}

/** The compiled XPath of a constant argument, parsed once per text. */
function xpathCache(): (text: string) => XPathExpr {
  let last: { text: string; expr: XPathExpr } | null = null;
  return (text) => {
    if (last?.text !== text) last = { text, expr: parseXPath(text) };
    return last.expr;
  };
}

function userVarText(rt: Runtime): (name: string) => string | null {
  return (name) => {
    const v: Value = rt.userVar(name);
    return v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : toStringValue(v);
  };
}

/** @req CORE-FN-008 */
defineFunction(['EXTRACTVALUE'], 2, 2, (args): CompiledExpr => {
  if (!args[1]!.constant) throw sqlError('ER_UNKNOWN_ERROR_TEXT', NON_CONSTANT_XPATH);
  // The result may be as long as any text (LONGTEXT in the metadata).
  const type = strResult([args[0]!], XML_RESULT_LENGTH, true);
  const o = out(type);
  const xp = xpathCache();
  return lenient(args, type, ([x, p], rt) => {
    if (p === null || p === undefined) return null;
    const expr = xp(s(p));
    if (x === null || x === undefined) return null;
    const doc = docOf(Buffer.isBuffer(x) ? x.toString('utf8') : s(x), rt);
    if (!doc) return null;
    const r = resultText(doc, evalXPath(expr, doc, userVarText(rt), rt));
    return r === null ? null : o(r);
  });
});

/**
 * UpdateXML: the one node the path selects is replaced by the new text (an element with its
 * tags, an attribute with its value, a text node together with its element); no match or
 * several matches leave the document as it was; a path that is not a node set gives NULL.
 * @req CORE-FN-009
 */
export function updateXml(doc: XmlDoc, expr: XPathExpr, replacement: string, userVar: (name: string) => string | null, rt?: Runtime): string | null {
  const v = evalXPath(expr, doc, userVar, rt);
  if (v.t !== 'set') return null;
  if (v.nodes.length !== 1 || v.nodes[0] === 0) return v.nodes[0] === 0 && v.nodes.length === 1 ? replacement : doc.source;
  let n = doc.nodes[v.nodes[0]!]!;
  if (n.kind === 'text' && doc.nodes[n.parent]!.kind === 'elem') n = doc.nodes[n.parent]!;
  return doc.source.slice(0, n.beg) + replacement + doc.source.slice(n.end);
}

/** @req CORE-FN-009 */
defineFunction(['UPDATEXML'], 3, 3, (args): CompiledExpr => {
  if (!args[1]!.constant) throw sqlError('ER_UNKNOWN_ERROR_TEXT', NON_CONSTANT_XPATH);
  const type = strResult([args[0]!, args[2]!], XML_RESULT_LENGTH, true);
  const o = out(type);
  const xp = xpathCache();
  return lenient(args, type, ([x, p, r], rt) => {
    if (p === null || p === undefined) return null;
    const expr = xp(s(p));
    if (x === null || x === undefined || r === null || r === undefined) return null;
    const doc = docOf(Buffer.isBuffer(x) ? x.toString('utf8') : s(x), rt);
    if (!doc) return null;
    const res = updateXml(doc, expr, Buffer.isBuffer(r) ? r.toString('utf8') : s(r), userVarText(rt), rt);
    return res === null ? null : o(res);
  });
});

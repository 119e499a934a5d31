/**
 * The small XML parser behind ExtractValue and UpdateXML. It is as lax as MySQL's own: no
 * entity decoding, text kept as written (whitespace included), attribute values quoted, `<?..?>`
 * and `<!..>` read as elements that close at once, comments skipped, CDATA kept as text. A
 * malformed document gives MySQL's message ("parse error at line L pos P: ...", P counted as
 * MySQL counts it: from the previous newline, or from the start on the first line).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xml-functions.html
 * @req CORE-FN-008 CORE-FN-010
 */
import { XML_MAX_DEPTH } from './limits.js';

export type XmlNodeKind = 'root' | 'elem' | 'attr' | 'text';

/** One node; `beg`/`end` delimit the text UpdateXML replaces (the element with its tags, the
 *  attribute with its value). */
export interface XmlNode {
  kind: XmlNodeKind;
  name: string;
  parent: number;
  /** Text of a text node, value of an attribute. */
  text: string;
  beg: number;
  end: number;
  children: number[];
  attrs: number[];
}

export interface XmlDoc {
  source: string;
  nodes: XmlNode[];
}

/** A document that does not parse: MySQL's message text. */
export class XmlParseError extends Error {}

type Lex =
  | { t: 'eof' } | { t: 'ident'; v: string; beg: number } | { t: 'string'; v: string } | { t: 'comment' } | { t: 'cdata'; v: string }
  | { t: 'char'; v: string } | { t: 'unknown' };

const ID0 = /[A-Za-z_:\u0080-\uffff]/;
const ID1 = /[A-Za-z0-9_:.\-\u0080-\uffff]/;

class Scanner {
  cur = 0;
  constructor(readonly src: string) {}

  /** The next token inside markup (spaces skipped). */
  scan(): Lex {
    const s = this.src;
    while (this.cur < s.length && /\s/.test(s[this.cur]!)) this.cur++;
    if (this.cur >= s.length) return { t: 'eof' };
    if (s.startsWith('<!--', this.cur)) {
      const e = s.indexOf('-->', this.cur + 4);
      this.cur = e < 0 ? s.length : e + 3;
      return { t: 'comment' };
    }
    if (s.startsWith('<![CDATA[', this.cur)) {
      const start = this.cur + 9;
      const e = s.indexOf(']]>', start);
      this.cur = e < 0 ? s.length : e + 3;
      return { t: 'cdata', v: s.slice(start, e < 0 ? s.length : e) };
    }
    const c = s[this.cur]!;
    if ('?=/<>!'.includes(c)) {
      this.cur++;
      return { t: 'char', v: c };
    }
    if (c === '"' || c === "'") {
      const e = s.indexOf(c, this.cur + 1);
      const v = s.slice(this.cur + 1, e < 0 ? s.length : e);
      this.cur = e < 0 ? s.length : e + 1;
      return { t: 'string', v };
    }
    if (ID0.test(c)) {
      const beg = this.cur;
      this.cur++;
      while (this.cur < s.length && ID1.test(s[this.cur]!)) this.cur++;
      return { t: 'ident', v: s.slice(beg, this.cur), beg };
    }
    // An unknown character is reported where it stands (the scanner does not move past it).
    return { t: 'unknown' };
  }

  /** MySQL's "line L pos P" of the scanner's position. */
  where(): string {
    let line = 1, beg = 0;
    for (let k = 0; k < this.cur && k < this.src.length; k++) {
      if (this.src[k] === '\n') {
        line++;
        beg = k;
      }
    }
    return `line ${line} pos ${this.cur - beg + 1}`;
  }
}

function lexName(l: Lex): string {
  switch (l.t) {
    case 'eof': return 'END-OF-INPUT';
    case 'ident': return 'IDENT';
    case 'string': return 'STRING';
    case 'comment': return 'COMMENT';
    case 'cdata': return 'CDATA';
    case 'char': return `'${l.v}'`;
    default: return 'unknown token';
  }
}

/**
 * Parse a document into nodes (index 0 is the root). Throws XmlParseError with MySQL's text.
 * @req CORE-FN-008 CORE-FN-010
 */
export function parseXml(src: string): XmlDoc {
  const nodes: XmlNode[] = [{ kind: 'root', name: '', parent: -1, text: '', beg: 0, end: src.length, children: [], attrs: [] }];
  const sc = new Scanner(src);
  const stack: number[] = [0];
  const fail = (msg: string): never => {
    throw new XmlParseError(`parse error at ${sc.where()}: ${msg}`);
  };
  const add = (n: Omit<XmlNode, 'children' | 'attrs'>): number => {
    nodes.push({ ...n, children: [], attrs: [] });
    return nodes.length - 1;
  };
  const top = (): number => stack[stack.length - 1]!;
  while (sc.cur < src.length) {
    if (src[sc.cur] !== '<') {
      const beg = sc.cur;
      const e = src.indexOf('<', beg);
      sc.cur = e < 0 ? src.length : e;
      const p = top();
      nodes[p]!.children.push(add({ kind: 'text', name: '', parent: p, text: src.slice(beg, sc.cur), beg: nodes[p]!.beg, end: nodes[p]!.end }));
      continue;
    }
    const tagBeg = sc.cur;
    let lex = sc.scan();
    if (lex.t === 'comment') continue;
    if (lex.t === 'cdata') {
      const p = top();
      nodes[p]!.children.push(add({ kind: 'text', name: '', parent: p, text: lex.v, beg: nodes[p]!.beg, end: nodes[p]!.end }));
      continue;
    }
    lex = sc.scan();
    if (lex.t === 'char' && lex.v === '/') {
      const name = sc.scan();
      if (name.t !== 'ident') fail(`${lexName(name)} unexpected (ident wanted)`);
      const open = top();
      const nm = (name as { v: string }).v;
      if (open === 0) fail(`'</${nm}>' unexpected (END-OF-INPUT wanted)`);
      if (nodes[open]!.name !== nm) fail(`'</${nm}>' unexpected ('</${nodes[open]!.name}>' wanted)`);
      const gt = sc.scan();
      if (!(gt.t === 'char' && gt.v === '>')) fail(`${lexName(gt)} unexpected ('>' wanted)`);
      nodes[open]!.end = sc.cur;
      stack.pop();
      continue;
    }
    let special: string | null = null;
    if (lex.t === 'char' && (lex.v === '?' || lex.v === '!')) {
      special = lex.v;
      lex = sc.scan();
    }
    if (lex.t !== 'ident') fail(`${lexName(lex)} unexpected (ident or '/' wanted)`);
    const p = top();
    // <?...?> and <!...> are read like tags but leave no node behind.
    const el = add({ kind: 'elem', name: (lex as { v: string }).v, parent: p, text: '', beg: tagBeg, end: src.length });
    if (special === null) nodes[p]!.children.push(el);
    stack.push(el);
    if (stack.length > XML_MAX_DEPTH) fail('too deep');
    lex = sc.scan();
    while (lex.t === 'ident' || lex.t === 'string') {
      const nameLex = lex;
      const attrBeg = nameLex.t === 'ident' ? nameLex.beg : sc.cur;
      let attrEnd = sc.cur;
      lex = sc.scan();
      let value = '';
      if (lex.t === 'char' && lex.v === '=') {
        const v = sc.scan();
        if (v.t !== 'ident' && v.t !== 'string') fail(`${lexName(v)} unexpected (ident or string wanted)`);
        value = (v as { v: string }).v;
        attrEnd = sc.cur;
        lex = sc.scan();
      }
      const a = add({ kind: 'attr', name: nameLex.v, parent: el, text: value, beg: attrBeg, end: attrEnd });
      nodes[el]!.attrs.push(a);
      nodes[a]!.children.push(add({ kind: 'text', name: '', parent: a, text: value, beg: attrBeg, end: attrEnd }));
    }
    let closed = special !== null;
    if (lex.t === 'char' && lex.v === '/') {
      closed = true;
      lex = sc.scan();
    }
    if (lex.t === 'char' && lex.v === '?' && special === '?') lex = sc.scan();
    if (!(lex.t === 'char' && lex.v === '>')) fail(`${lexName(lex)} unexpected ('>' wanted)`);
    if (closed) {
      nodes[el]!.end = sc.cur;
      stack.pop();
    }
  }
  if (stack.length > 1) fail('unexpected END-OF-INPUT');
  return { source: src, nodes };
}

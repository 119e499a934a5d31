/**
 * The XPath subset of ExtractValue and UpdateXML: absolute and relative location paths, `//`,
 * the axes (child, descendant, descendant-or-self, self, parent, ancestor, ancestor-or-self,
 * attribute, following-sibling, preceding-sibling), `@attr`, `*`, `text()`, `node()`, `.`,
 * `..`, predicates (a number is a position), `|`, arithmetic (`+ - * div mod`), comparisons,
 * `and`/`or`, `$@user_variable`, and the functions MySQL implements (count, sum, last,
 * position, true, false, not, boolean, number, floor, ceiling, round, concat, contains,
 * string-length, substring). A malformed expression is MySQL's error 1105 naming the text from
 * the offending token on (at most 31 characters).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xml-functions.html
 * @req CORE-FN-008 CORE-FN-009 CORE-FN-010
 */
import { sqlError } from '../../../kernel/errors.js';
import { toDouble, type Warner } from '../../types/convert.js';
import { XPATH_ERROR_CONTEXT, XPATH_MAX_DEPTH } from './limits.js';
import type { XmlDoc, XmlNode } from './xml-doc.js';

type Tok = { t: 'num' | 'str' | 'name' | 'op' | 'var' | 'eof' | 'bad'; v: string; pos: number };

export type XPathExpr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'var'; name: string }
  | { k: 'neg'; e: XPathExpr }
  | { k: 'bin'; op: string; l: XPathExpr; r: XPathExpr }
  | { k: 'union'; l: XPathExpr; r: XPathExpr }
  | { k: 'fn'; name: string; args: XPathExpr[] }
  | { k: 'path'; absolute: boolean; base?: XPathExpr; steps: Step[] };

interface Step {
  axis: string;
  test: { kind: 'name'; name: string } | { kind: 'any' } | { kind: 'text' } | { kind: 'node' };
  preds: XPathExpr[];
}

const AXES = new Set(['child', 'descendant', 'descendant-or-self', 'self', 'parent', 'ancestor', 'ancestor-or-self', 'attribute', 'following-sibling', 'preceding-sibling', 'following', 'preceding']);
/** Functions and their argument counts. */
const FUNCS: Record<string, [number, number]> = {
  count: [1, 1], sum: [1, 1], last: [0, 0], position: [0, 0], true: [0, 0], false: [0, 0], not: [1, 1], boolean: [1, 1],
  number: [0, 1], floor: [1, 1], ceiling: [1, 1], round: [1, 1], concat: [2, 255], contains: [2, 2], 'string-length': [0, 1], substring: [2, 3],
};
const OPS = ['//', '::', '..', '!=', '<=', '>=', '/', '[', ']', '(', ')', '@', ',', '|', '+', '-', '*', '=', '<', '>', '.'];

/** Syntax error 1105 quoting the expression from `pos`. @req CORE-FN-010 */
function syntaxError(q: string, pos: number): Error {
  return sqlError('ER_UNKNOWN_ERROR_TEXT', `XPATH syntax error: '${q.slice(pos, pos + XPATH_ERROR_CONTEXT)}'`);
}

function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let k = 0;
  const operatorAllowed = (): boolean => {
    const p = out[out.length - 1];
    if (!p) return false;
    if (p.t === 'op') return p.v === ')' || p.v === ']' || p.v === '.' || p.v === '..';
    return p.t !== 'bad';
  };
  while (k < q.length) {
    const c = q[k]!;
    if (/\s/.test(c)) {
      k++;
      continue;
    }
    const pos = k;
    const num = /^(\d+(\.\d*)?|\.\d+)/.exec(q.slice(k));
    if (num) {
      out.push({ t: 'num', v: num[0], pos });
      k += num[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const e = q.indexOf(c, k + 1);
      if (e < 0) {
        out.push({ t: 'bad', v: c, pos });
        break;
      }
      out.push({ t: 'str', v: q.slice(k + 1, e), pos });
      k = e + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$@?[A-Za-z_][\w.-]*/.exec(q.slice(k));
      if (!m) {
        out.push({ t: 'bad', v: c, pos });
        k++;
        continue;
      }
      out.push({ t: 'var', v: m[0].slice(1), pos });
      k += m[0].length;
      continue;
    }
    const name = /^[A-Za-z_\u0080-\uffff][\w.\-\u0080-\uffff]*(:[A-Za-z_\u0080-\uffff][\w.\-\u0080-\uffff]*)?/.exec(q.slice(k));
    if (name) {
      let v = name[0];
      // 'axis::' must not swallow the first colon as a prefix separator.
      if (v.includes(':') && q.startsWith('::', k + v.indexOf(':'))) v = v.slice(0, v.indexOf(':'));
      const isOp = operatorAllowed() && (v === 'and' || v === 'or' || v === 'div' || v === 'mod');
      out.push({ t: isOp ? 'op' : 'name', v, pos });
      k += v.length;
      continue;
    }
    const op = OPS.find((o) => q.startsWith(o, k));
    if (op) {
      // '*' after an operand is multiplication, else the any-name test.
      out.push({ t: 'op', v: op === '*' && operatorAllowed() ? 'mul' : op, pos });
      k += op.length;
      continue;
    }
    out.push({ t: 'bad', v: c, pos });
    k++;
  }
  out.push({ t: 'eof', v: '', pos: q.length });
  return out;
}

class Parser {
  private k = 0;
  private depth = 0;
  constructor(private readonly q: string, private readonly toks: Tok[]) {}

  private get cur(): Tok {
    return this.toks[this.k]!;
  }
  private peek(n = 1): Tok {
    return this.toks[Math.min(this.k + n, this.toks.length - 1)]!;
  }
  private isOp(v: string, t = this.cur): boolean {
    return t.t === 'op' && t.v === v;
  }
  private fail(): never {
    throw syntaxError(this.q, this.cur.pos);
  }
  private expect(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.k++;
  }

  parseAll(): XPathExpr {
    const e = this.expr();
    if (this.cur.t !== 'eof') this.fail();
    return e;
  }

  private expr(): XPathExpr {
    if (++this.depth > XPATH_MAX_DEPTH) this.fail();
    try {
      return this.binary(0);
    } finally {
      this.depth--;
    }
  }

  private static LEVELS = [['or'], ['and'], ['=', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['mul', 'div', 'mod']];

  private binary(level: number): XPathExpr {
    if (level === Parser.LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    while (this.cur.t === 'op' && Parser.LEVELS[level]!.includes(this.cur.v)) {
      const op = this.cur.v;
      this.k++;
      l = { k: 'bin', op, l, r: this.binary(level + 1) };
    }
    return l;
  }

  private unary(): XPathExpr {
    if (this.isOp('-')) {
      this.k++;
      if (++this.depth > XPATH_MAX_DEPTH) this.fail();
      try {
        return { k: 'neg', e: this.unary() };
      } finally {
        this.depth--;
      }
    }
    let l = this.path();
    while (this.isOp('|')) {
      this.k++;
      l = { k: 'union', l, r: this.path() };
    }
    return l;
  }

  private startsStep(t = this.cur): boolean {
    if (t.t === 'name') return true;
    return t.t === 'op' && (t.v === '@' || t.v === '*' || t.v === '.' || t.v === '..');
  }

  private isFunctionCall(): boolean {
    return this.cur.t === 'name' && this.isOp('(', this.peek()) && FUNCS[this.cur.v] !== undefined;
  }

  private path(): XPathExpr {
    if (this.isOp('/')) {
      this.k++;
      return { k: 'path', absolute: true, steps: this.startsStep() ? this.relative() : [] };
    }
    if (this.isOp('//')) {
      this.k++;
      if (!this.startsStep()) this.fail();
      return { k: 'path', absolute: true, steps: [descendantOrSelf(), ...this.relative()] };
    }
    if (this.cur.t === 'num' || this.cur.t === 'str' || this.cur.t === 'var' || this.isOp('(') || this.isFunctionCall()) {
      const base = this.primary();
      if (this.isOp('/') || this.isOp('//')) {
        const dbl = this.isOp('//');
        this.k++;
        if (!this.startsStep()) this.fail();
        return { k: 'path', absolute: false, base, steps: [...(dbl ? [descendantOrSelf()] : []), ...this.relative()] };
      }
      return base;
    }
    if (!this.startsStep()) this.fail();
    return { k: 'path', absolute: false, steps: this.relative() };
  }

  private primary(): XPathExpr {
    const t = this.cur;
    if (t.t === 'num') {
      this.k++;
      return { k: 'num', v: Number(t.v) };
    }
    if (t.t === 'str') {
      this.k++;
      return { k: 'str', v: t.v };
    }
    if (t.t === 'var') {
      // Only user variables ($@name) exist outside stored programs.
      if (!t.v.startsWith('@')) throw sqlError('ER_UNKNOWN_ERROR_TEXT', `Unknown XPATH variable at: '${this.q.slice(t.pos, t.pos + 1 + t.v.length)}'`);
      this.k++;
      return { k: 'var', name: t.v.slice(1) };
    }
    if (this.isOp('(')) {
      this.k++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    const name = t.v;
    this.k += 2;
    const args: XPathExpr[] = [];
    if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.k++;
        args.push(this.expr());
      }
    }
    const [min, max] = FUNCS[name]!;
    if (args.length < min || args.length > max) this.fail();
    this.expect(')');
    return { k: 'fn', name, args };
  }

  private relative(): Step[] {
    const steps = [this.step()];
    while (this.isOp('/') || this.isOp('//')) {
      const dbl = this.isOp('//');
      this.k++;
      if (dbl) steps.push(descendantOrSelf());
      if (!this.startsStep()) this.fail();
      steps.push(this.step());
    }
    return steps;
  }

  private step(): Step {
    if (this.isOp('.')) {
      this.k++;
      return { axis: 'self', test: { kind: 'node' }, preds: [] };
    }
    if (this.isOp('..')) {
      this.k++;
      return { axis: 'parent', test: { kind: 'node' }, preds: [] };
    }
    let axis = 'child';
    if (this.isOp('@')) {
      axis = 'attribute';
      this.k++;
    } else if (this.cur.t === 'name' && this.isOp('::', this.peek())) {
      if (!AXES.has(this.cur.v)) this.fail();
      axis = this.cur.v;
      this.k += 2;
    }
    let test: Step['test'];
    if (this.isOp('*')) {
      this.k++;
      test = { kind: 'any' };
    } else if (this.cur.t === 'name') {
      const v = this.cur.v;
      if ((v === 'text' || v === 'node') && this.isOp('(', this.peek())) {
        this.k += 2;
        this.expect(')');
        test = { kind: v };
      } else {
        this.k++;
        test = { kind: 'name', name: v };
      }
    } else {
      this.fail();
    }
    const preds: XPathExpr[] = [];
    while (this.isOp('[')) {
      this.k++;
      preds.push(this.expr());
      this.expect(']');
    }
    return { axis, test, preds };
  }
}

function descendantOrSelf(): Step {
  return { axis: 'descendant-or-self', test: { kind: 'node' }, preds: [] };
}

/** Compile an XPath expression; error 1105 when it is not in the subset. @req CORE-FN-010 */
export function parseXPath(q: string): XPathExpr {
  return new Parser(q, lex(q)).parseAll();
}

// ---- evaluation ----

export type XValue = { t: 'set'; nodes: number[] } | { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'bool'; v: boolean };

interface Ctx {
  doc: XmlDoc;
  node: number;
  pos: number;
  size: number;
  userVar(name: string): string | null;
}

/** The text nodes a node set stands for: text nodes in it and text children of its other nodes,
 *  in document order. */
function textNodes(doc: XmlDoc, nodes: number[]): number[] {
  const picked = new Set<number>();
  for (const x of nodes) {
    const n = doc.nodes[x]!;
    if (n.kind === 'text') picked.add(x);
    else for (const c of n.children) if (doc.nodes[c]!.kind === 'text') picked.add(c);
  }
  return [...picked].sort((a, b) => a - b);
}
/** A node set as a string: its text nodes joined by single spaces (what ExtractValue returns). */
function setText(doc: XmlDoc, nodes: number[]): string {
  return textNodes(doc, nodes).map((x) => doc.nodes[x]!.text).join(' ');
}

function toNum(doc: XmlDoc, v: XValue): number {
  switch (v.t) {
    case 'num': return v.v;
    case 'bool': return v.v ? 1 : 0;
    case 'str': return strNum(v.v);
    default: return strNum(setText(doc, v.nodes));
  }
}
/** Where conversion warnings of the running evaluation go (evaluation is synchronous; set by
 *  evalXPath for its duration). */
let warner: Warner | undefined;

/** A text as SQL reads it as a number: its numeric prefix, 0 when there is none (with MySQL's
 *  1292 warning when a runtime is listening). */
function strNum(x: string): number {
  if (warner) return toDouble(x, warner) ?? 0;
  const m = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(x);
  return m ? Number(m[0]) : 0;
}
function toStr(doc: XmlDoc, v: XValue): string {
  switch (v.t) {
    case 'str': return v.v;
    case 'bool': return v.v ? '1' : '0';
    case 'num': return numText(v.v);
    default: return setText(doc, v.nodes);
  }
}
function toBool(v: XValue): boolean {
  switch (v.t) {
    case 'bool': return v.v;
    case 'num': return v.v !== 0 && !Number.isNaN(v.v);
    case 'str': return v.v.length > 0;
    default: return v.nodes.length > 0;
  }
}
/** Round half to even (C's rint), as MySQL rounds doubles. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x), diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
export function numText(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(15)));
}

function matches(doc: XmlDoc, i: number, step: Step): boolean {
  const n: XmlNode = doc.nodes[i]!;
  switch (step.test.kind) {
    case 'node': return true;
    case 'text': return n.kind === 'text';
    case 'any': return step.axis === 'attribute' ? n.kind === 'attr' : n.kind === 'elem';
    default: return (n.kind === 'elem' || n.kind === 'attr') && n.name === step.test.name;
  }
}

function descendants(doc: XmlDoc, i: number, out: number[]): void {
  const stack = [...doc.nodes[i]!.children].reverse();
  while (stack.length) {
    const c = stack.pop()!;
    out.push(c);
    const kids = doc.nodes[c]!.children;
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
}

/** Nodes on an axis from `i`, in axis order (reverse axes nearest first). */
function axisNodes(doc: XmlDoc, i: number, axis: string): number[] {
  const n = doc.nodes[i]!;
  const out: number[] = [];
  switch (axis) {
    case 'child': return n.kind === 'attr' ? [] : [...n.children];
    case 'attribute': return [...n.attrs];
    case 'self': return [i];
    case 'parent': return n.parent >= 0 ? [n.parent] : [];
    case 'descendant': descendants(doc, i, out); return out;
    case 'descendant-or-self': out.push(i); descendants(doc, i, out); return out;
    case 'ancestor':
    case 'ancestor-or-self': {
      let p = axis === 'ancestor' ? n.parent : i;
      while (p >= 0) {
        out.push(p);
        p = doc.nodes[p]!.parent;
      }
      return out;
    }
    case 'following-sibling':
    case 'preceding-sibling': {
      if (n.parent < 0 || n.kind === 'attr') return [];
      const sibs = doc.nodes[n.parent]!.children;
      const at = sibs.indexOf(i);
      return axis === 'following-sibling' ? sibs.slice(at + 1) : sibs.slice(0, at).reverse();
    }
    case 'following': {
      // Everything after the node in document order that is not its descendant.
      return docOrder(doc).filter((x) => x > i && !isDescendant(doc, x, i) && doc.nodes[x]!.kind !== 'attr');
    }
    default:
      return docOrder(doc).filter((x) => x < i && !isDescendant(doc, i, x) && doc.nodes[x]!.kind !== 'attr').reverse();
  }
}

function isDescendant(doc: XmlDoc, x: number, anc: number): boolean {
  for (let p = doc.nodes[x]!.parent; p >= 0; p = doc.nodes[p]!.parent) if (p === anc) return true;
  return false;
}

function docOrder(doc: XmlDoc): number[] {
  return doc.nodes.map((_, k) => k);
}

function uniqSorted(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

function compare(doc: XmlDoc, op: string, l: XValue, r: XValue): boolean {
  const rel = (a: number, b: number): boolean => (op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b);
  if (l.t === 'set' || r.t === 'set') {
    if (l.t === 'set' && r.t === 'set') {
      const rt = textNodes(doc, r.nodes);
      return textNodes(doc, l.nodes).some((a) => rt.some((b) => compare(doc, op, { t: 'str', v: doc.nodes[a]!.text }, { t: 'str', v: doc.nodes[b]!.text })));
    }
    const [set, other, flip] = l.t === 'set' ? [l, r, false] : [r as Extract<XValue, { t: 'set' }>, l, true];
    if (other.t === 'bool') return compare(doc, op, flip ? other : { t: 'bool', v: toBool(set) }, flip ? { t: 'bool', v: toBool(set) } : other);
    // Each text node of the set is compared; a set without text compares false.
    return textNodes(doc, set.nodes).some((x) => {
      const nv: XValue = other.t === 'num' ? { t: 'num', v: strNum(doc.nodes[x]!.text) } : { t: 'str', v: doc.nodes[x]!.text };
      return flip ? compare(doc, op, other, nv) : compare(doc, op, nv, other);
    });
  }
  if (op === '=' || op === '!=') {
    let eq: boolean;
    if (l.t === 'bool' || r.t === 'bool') eq = toBool(l) === toBool(r);
    else if (l.t === 'num' || r.t === 'num') eq = toNum(doc, l) === toNum(doc, r);
    else eq = toStr(doc, l) === toStr(doc, r);
    return op === '=' ? eq : !eq;
  }
  return rel(toNum(doc, l), toNum(doc, r));
}

function evalSteps(ctx: Ctx, start: number[], steps: Step[]): number[] {
  let cur = start;
  for (const step of steps) {
    const next: number[] = [];
    const perContext = cur.map((c) => axisNodes(ctx.doc, c, step.axis).filter((x) => matches(ctx.doc, x, step)));
    // position() counts within one context node, last() over the whole step (as MySQL does).
    const total = perContext.reduce((n, c) => n + c.length, 0);
    for (const first of perContext) {
      let cand = first;
      for (const p of step.preds) {
        const size = p === step.preds[0] ? total : cand.length;
        cand = cand.filter((x, k) => {
          const v = evalX(p, { ...ctx, node: x, pos: k + 1, size });
          return v.t === 'num' ? v.v === k + 1 : toBool(v);
        });
      }
      next.push(...cand);
    }
    cur = uniqSorted(next);
  }
  return cur;
}

/** Evaluate an expression against a document. */
export function evalX(e: XPathExpr, ctx: Ctx): XValue {
  const doc = ctx.doc;
  switch (e.k) {
    case 'num': return { t: 'num', v: e.v };
    case 'str': return { t: 'str', v: e.v };
    case 'var': {
      const v = ctx.userVar(e.name);
      return { t: 'str', v: v ?? '' };
    }
    case 'neg': return { t: 'num', v: -toNum(doc, evalX(e.e, ctx)) };
    case 'union': {
      const l = evalX(e.l, ctx), r = evalX(e.r, ctx);
      return { t: 'set', nodes: uniqSorted([...(l.t === 'set' ? l.nodes : []), ...(r.t === 'set' ? r.nodes : [])]) };
    }
    case 'path': {
      let start: number[];
      if (e.base) {
        const b = evalX(e.base, ctx);
        start = b.t === 'set' ? b.nodes : [];
      } else start = e.absolute ? [0] : [ctx.node];
      return { t: 'set', nodes: evalSteps(ctx, start, e.steps) };
    }
    case 'bin': {
      const l = evalX(e.l, ctx);
      if (e.op === 'or') return { t: 'bool', v: toBool(l) || toBool(evalX(e.r, ctx)) };
      if (e.op === 'and') return { t: 'bool', v: toBool(l) && toBool(evalX(e.r, ctx)) };
      const r = evalX(e.r, ctx);
      if (['=', '!=', '<', '>', '<=', '>='].includes(e.op)) return { t: 'bool', v: compare(doc, e.op, l, r) };
      const a = toNum(doc, l), b = toNum(doc, r);
      switch (e.op) {
        case '+': return { t: 'num', v: a + b };
        case '-': return { t: 'num', v: a - b };
        case 'mul': return { t: 'num', v: a * b };
        // div is an integer division (truncating), as MySQL builds it; by zero it is NULL.
        case 'div': return { t: 'num', v: b === 0 ? divisionByZero() : Math.trunc(a / b) };
        default: return { t: 'num', v: b === 0 ? divisionByZero() : a % b };
      }
    }
    default: return callFn(e.name, e.args, ctx);
  }
}

/** x div 0 and x mod 0: NULL, with warning 1365 as SQL's division gives. */
function divisionByZero(): number {
  warner?.warn('Warning', 'ER_DIVISION_BY_ZERO');
  return NaN;
}

function callFn(name: string, args: XPathExpr[], ctx: Ctx): XValue {
  const doc = ctx.doc;
  const a = args.map((x) => evalX(x, ctx));
  const num = (k: number): number => toNum(doc, a[k]!);
  const str = (k: number): string => (a[k] ? toStr(doc, a[k]!) : setText(doc, [ctx.node]));
  switch (name) {
    case 'count': return { t: 'num', v: a[0]!.t === 'set' ? a[0]!.nodes.length : 0 };
    case 'sum': return { t: 'num', v: a[0]!.t === 'set' ? textNodes(doc, a[0]!.nodes).reduce((s, x) => s + strNum(doc.nodes[x]!.text), 0) : num(0) };
    case 'last': return { t: 'num', v: ctx.size };
    case 'position': return { t: 'num', v: ctx.pos };
    case 'true': return { t: 'bool', v: true };
    case 'false': return { t: 'bool', v: false };
    case 'not': return { t: 'bool', v: !toBool(a[0]!) };
    case 'boolean': return { t: 'bool', v: toBool(a[0]!) };
    case 'number': return { t: 'num', v: a[0] ? num(0) : strNum(setText(doc, [ctx.node])) };
    case 'floor': return { t: 'num', v: Math.floor(num(0)) };
    case 'ceiling': return { t: 'num', v: Math.ceil(num(0)) };
    case 'round': return { t: 'num', v: roundHalfEven(num(0)) };
    case 'concat': return { t: 'str', v: a.map((x) => toStr(doc, x)).join('') };
    case 'contains': return { t: 'bool', v: str(0).includes(str(1)) };
    case 'string-length': return { t: 'num', v: [...str(0)].length };
    default: {
      const s = [...str(0)];
      const from = Math.round(num(1));
      const len = a.length > 2 ? Math.round(num(2)) : Infinity;
      const start = Math.max(1, from);
      const end = len === Infinity ? s.length + 1 : from + len;
      return { t: 'str', v: s.slice(start - 1, Math.max(start - 1, end - 1)).join('') };
    }
  }
}

/** Evaluate from the document root. */
export function evalXPath(e: XPathExpr, doc: XmlDoc, userVar: (name: string) => string | null, w?: Warner): XValue {
  const saved = warner;
  warner = w;
  try {
    return evalX(e, { doc, node: 0, pos: 1, size: 1, userVar });
  } finally {
    warner = saved;
  }
}

/**
 * ExtractValue's text of a result: for a node set, the text nodes among the nodes or directly
 * under them, in document order, joined by single spaces; a number, string or boolean as text
 * (NULL for a division by zero).
 * @req CORE-FN-008
 */
export function resultText(doc: XmlDoc, v: XValue): string | null {
  if (v.t !== 'set') {
    if (v.t === 'num' && !Number.isFinite(v.v)) return null;
    return toStr(doc, v);
  }
  return setText(doc, v.nodes);
}

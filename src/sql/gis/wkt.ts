/**
 * Well-known text (WKT): the parser behind ST_GeomFromText and its family, and the printer
 * behind ST_AsText. The parser is case-insensitive and tolerant of white space, accepts
 * MULTIPOINT members with or without parentheses, GEOMCOLLECTION as a synonym and
 * GEOMETRYCOLLECTION EMPTY / (); anything else (unknown words, missing or extra tokens,
 * unclosed or short rings, non-finite numbers) is a GisDataError. The printer writes MySQL
 * 8.0's compact form (no space after commas, MULTIPOINT members in parentheses) with numbers
 * printed as MySQL prints a DOUBLE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gis-data-formats.html#gis-wkt-format
 * @req CORE-GIS-007 CORE-GIS-008
 */
import { formatDouble } from '../types/format.js';
import { GIS_MAX_NESTING, GIS_MAX_POINTS } from './limits.js';
import type { Geometry, XY } from './model.js';
import { GisDataError, samePoint } from './wkb.js';

function bad(): never {
  throw new GisDataError('invalid WKT');
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_]+/;

class Lexer {
  pos = 0;
  points = 0;
  constructor(readonly s: string) {}
  skip(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
  }
  peekChar(): string {
    this.skip();
    return this.s[this.pos] ?? '';
  }
  accept(c: string): boolean {
    if (this.peekChar() === c) {
      this.pos++;
      return true;
    }
    return false;
  }
  expect(c: string): void {
    if (!this.accept(c)) bad();
  }
  word(): string | null {
    this.skip();
    const m = WORD.exec(this.s.slice(this.pos, this.pos + 40));
    if (!m) return null;
    this.pos += m[0].length;
    return m[0].toUpperCase();
  }
  number(): number {
    this.skip();
    const m = NUMBER.exec(this.s.slice(this.pos, this.pos + 400));
    if (!m) bad();
    this.pos += m[0].length;
    const v = Number(m[0]);
    if (!Number.isFinite(v)) bad();
    return v;
  }
  point(): XY {
    if (++this.points > GIS_MAX_POINTS) bad();
    const x = this.number();
    return { x, y: this.number() };
  }
  /** `p, p, ...` with at least `min` points. */
  pointList(min: number): XY[] {
    const out = [this.point()];
    while (this.accept(',')) out.push(this.point());
    if (out.length < min) bad();
    return out;
  }
  parenPoints(min: number): XY[] {
    this.expect('(');
    const ps = this.pointList(min);
    this.expect(')');
    return ps;
  }
  ring(): XY[] {
    const r = this.parenPoints(4);
    if (!samePoint(r[0]!, r[r.length - 1]!)) bad();
    return r;
  }
  polygonBody(): XY[][] {
    this.expect('(');
    const rings = [this.ring()];
    while (this.accept(',')) rings.push(this.ring());
    this.expect(')');
    return rings;
  }
  list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.accept(',')) out.push(item());
    this.expect(')');
    return out;
  }
  geometry(depth: number): Geometry {
    if (depth > GIS_MAX_NESTING) bad();
    const w = this.word();
    switch (w) {
      case 'POINT': { this.expect('('); const p = this.point(); this.expect(')'); return { type: 'POINT', x: p.x, y: p.y }; }
      case 'LINESTRING': return { type: 'LINESTRING', points: this.parenPoints(2) };
      case 'POLYGON': return { type: 'POLYGON', rings: this.polygonBody() };
      case 'MULTIPOINT':
        return {
          type: 'MULTIPOINT',
          points: this.list(() => {
            if (this.accept('(')) { const p = this.point(); this.expect(')'); return p; }
            return this.point();
          }),
        };
      case 'MULTILINESTRING': return { type: 'MULTILINESTRING', lines: this.list(() => this.parenPoints(2)) };
      case 'MULTIPOLYGON': return { type: 'MULTIPOLYGON', polygons: this.list(() => this.polygonBody()) };
      case 'GEOMETRYCOLLECTION': case 'GEOMCOLLECTION': {
        const save = this.pos;
        if (this.word() === 'EMPTY') return { type: 'GEOMETRYCOLLECTION', geoms: [] };
        this.pos = save;
        this.expect('(');
        if (this.accept(')')) return { type: 'GEOMETRYCOLLECTION', geoms: [] };
        const geoms = [this.geometry(depth + 1)];
        while (this.accept(',')) geoms.push(this.geometry(depth + 1));
        this.expect(')');
        return { type: 'GEOMETRYCOLLECTION', geoms };
      }
      default: bad();
    }
  }
}

/** Parse a WKT text; the whole text must be one geometry (white space around is fine). @req CORE-GIS-007 */
export function parseWkt(text: string): Geometry {
  const lx = new Lexer(text);
  const g = lx.geometry(0);
  lx.skip();
  if (lx.pos !== text.length) bad();
  return g;
}

/** A coordinate as MySQL prints a DOUBLE (shortest round-trip digits). */
export function coordText(n: number): string {
  return formatDouble(n);
}

const pt = (p: XY): string => `${coordText(p.x)} ${coordText(p.y)}`;
const seq = (ps: XY[]): string => `(${ps.map(pt).join(',')})`;
const poly = (rs: XY[][]): string => `(${rs.map(seq).join(',')})`;

/** WKT text of a geometry, as ST_AsText prints it. @req CORE-GIS-008 */
export function printWkt(g: Geometry): string {
  switch (g.type) {
    case 'POINT': return `POINT(${pt(g)})`;
    case 'LINESTRING': return `LINESTRING${seq(g.points)}`;
    case 'POLYGON': return `POLYGON${poly(g.rings)}`;
    case 'MULTIPOINT': return `MULTIPOINT(${g.points.map((p) => `(${pt(p)})`).join(',')})`;
    case 'MULTILINESTRING': return `MULTILINESTRING(${g.lines.map(seq).join(',')})`;
    case 'MULTIPOLYGON': return `MULTIPOLYGON(${g.polygons.map(poly).join(',')})`;
    case 'GEOMETRYCOLLECTION':
      return g.geoms.length === 0 ? 'GEOMETRYCOLLECTION EMPTY' : `GEOMETRYCOLLECTION(${g.geoms.map(printWkt).join(',')})`;
  }
}

/**
 * Well-known binary (WKB) and MySQL's internal geometry format: a 4-byte little-endian SRID
 * followed by the geometry's WKB, always written little-endian. Decoding accepts both byte
 * orders, refuses 3D/measured type codes, structurally invalid values (a linestring of one
 * point, an open or too short polygon ring, an empty multi-geometry, a member of the wrong
 * class, counts larger than the bytes that follow, non-finite coordinates, trailing bytes) and
 * never allocates more than the input can describe, so random bytes give an error, not a crash.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gis-data-formats.html#gis-wkb-format
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gis-data-formats.html#gis-internal-format
 * @req CORE-GIS-002 CORE-GIS-003
 */
import { GIS_MAX_NESTING, GIS_MAX_POINTS, SRID_PREFIX_BYTES } from './limits.js';
import { WKB_CODE, WKB_TYPE, type GeomType, type Geometry, type Geo, type XY } from './model.js';

/** Raised for input that is not a valid geometry; callers turn it into the SQL error they need. */
export class GisDataError extends Error {}

function bad(): never {
  throw new GisDataError('invalid geometry data');
}

class Reader {
  pos = 0;
  le = true;
  points = 0;
  constructor(readonly buf: Buffer) {}
  need(n: number): void {
    if (this.pos + n > this.buf.length) bad();
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u32(): number {
    this.need(4);
    const v = this.le ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.le ? this.buf.readDoubleLE(this.pos) : this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    if (!Number.isFinite(v)) bad();
    return v;
  }
  /** A count of items each at least `minBytes` long; refused when the rest of the input cannot hold them. */
  count(minBytes: number): number {
    const n = this.u32();
    if (n * minBytes > this.buf.length - this.pos) bad();
    return n;
  }
  point(): XY {
    if (++this.points > GIS_MAX_POINTS) bad();
    const x = this.f64();
    return { x, y: this.f64() };
  }
  points_(min: number): XY[] {
    const n = this.count(16);
    if (n < min) bad();
    const out: XY[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.point();
    return out;
  }
  ring(): XY[] {
    const r = this.points_(4);
    if (!samePoint(r[0]!, r[r.length - 1]!)) bad();
    return r;
  }
  /** One WKB geometry (byte order, type, body); `want` restricts the class (members of multi-geometries). */
  geometry(depth: number, want?: GeomType): Geometry {
    if (depth > GIS_MAX_NESTING) bad();
    const order = this.u8();
    if (order > 1) bad();
    this.le = order === 1;
    const t = WKB_TYPE[this.u32()];
    if (t === undefined || (want !== undefined && t !== want)) bad();
    switch (t) {
      case 'POINT': { const p = this.point(); return { type: 'POINT', x: p.x, y: p.y }; }
      case 'LINESTRING': return { type: 'LINESTRING', points: this.points_(2) };
      case 'POLYGON': {
        const n = this.count(4);
        if (n < 1) bad();
        const rings: XY[][] = [];
        for (let i = 0; i < n; i++) rings.push(this.ring());
        return { type: 'POLYGON', rings };
      }
      case 'MULTIPOINT': {
        const n = this.count(21);
        if (n < 1) bad();
        const points: XY[] = [];
        for (let i = 0; i < n; i++) { const p = this.geometry(depth + 1, 'POINT') as { x: number; y: number }; points.push({ x: p.x, y: p.y }); }
        return { type: 'MULTIPOINT', points };
      }
      case 'MULTILINESTRING': {
        const n = this.count(9);
        if (n < 1) bad();
        const lines: XY[][] = [];
        for (let i = 0; i < n; i++) lines.push((this.geometry(depth + 1, 'LINESTRING') as { points: XY[] }).points);
        return { type: 'MULTILINESTRING', lines };
      }
      case 'MULTIPOLYGON': {
        const n = this.count(9);
        if (n < 1) bad();
        const polygons: XY[][][] = [];
        for (let i = 0; i < n; i++) polygons.push((this.geometry(depth + 1, 'POLYGON') as { rings: XY[][] }).rings);
        return { type: 'MULTIPOLYGON', polygons };
      }
      case 'GEOMETRYCOLLECTION': {
        const n = this.count(9);
        const geoms: Geometry[] = [];
        for (let i = 0; i < n; i++) geoms.push(this.geometry(depth + 1));
        return { type: 'GEOMETRYCOLLECTION', geoms };
      }
    }
  }
}

export function samePoint(a: XY, b: XY): boolean {
  return a.x === b.x && a.y === b.y;
}

/** Decode one WKB geometry occupying the whole buffer. @req CORE-GIS-003 */
export function decodeWkb(buf: Buffer): Geometry {
  const r = new Reader(buf);
  const g = r.geometry(0);
  if (r.pos !== buf.length) bad();
  return g;
}

/** Decode MySQL's internal format (SRID + WKB). @req CORE-GIS-002 */
export function decodeInternal(buf: Buffer): Geo {
  if (buf.length < SRID_PREFIX_BYTES + 5) bad();
  return { srid: buf.readUInt32LE(0), g: decodeWkb(buf.subarray(SRID_PREFIX_BYTES)) };
}

class Writer {
  private chunks: Buffer[] = [];
  u8(v: number): void { const b = Buffer.alloc(1); b[0] = v; this.chunks.push(b); }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0, 0); this.chunks.push(b); }
  pt(p: XY): void { const b = Buffer.alloc(16); b.writeDoubleLE(p.x, 0); b.writeDoubleLE(p.y, 8); this.chunks.push(b); }
  line(ps: XY[]): void { this.u32(ps.length); for (const p of ps) this.pt(p); }
  head(t: GeomType): void { this.u8(1); this.u32(WKB_CODE[t]); }
  geometry(g: Geometry): void {
    this.head(g.type);
    switch (g.type) {
      case 'POINT': this.pt(g); break;
      case 'LINESTRING': this.line(g.points); break;
      case 'POLYGON': this.u32(g.rings.length); for (const r of g.rings) this.line(r); break;
      case 'MULTIPOINT': this.u32(g.points.length); for (const p of g.points) { this.head('POINT'); this.pt(p); } break;
      case 'MULTILINESTRING': this.u32(g.lines.length); for (const l of g.lines) { this.head('LINESTRING'); this.line(l); } break;
      case 'MULTIPOLYGON':
        this.u32(g.polygons.length);
        for (const p of g.polygons) { this.head('POLYGON'); this.u32(p.length); for (const r of p) this.line(r); }
        break;
      case 'GEOMETRYCOLLECTION': this.u32(g.geoms.length); for (const c of g.geoms) this.geometry(c); break;
    }
  }
  done(): Buffer { return Buffer.concat(this.chunks); }
}

/** Little-endian WKB of a geometry. @req CORE-GIS-002 */
export function encodeWkb(g: Geometry): Buffer {
  const w = new Writer();
  w.geometry(g);
  return w.done();
}

/** MySQL's internal format of a geometry. @req CORE-GIS-002 */
export function encodeInternal(geo: Geo): Buffer {
  const head = Buffer.alloc(SRID_PREFIX_BYTES);
  head.writeUInt32LE(geo.srid >>> 0, 0);
  return Buffer.concat([head, encodeWkb(geo.g)]);
}

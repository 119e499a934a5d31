/**
 * Planar measures and predicates on the geometry model, written for refmysqld: area (shoelace),
 * length, centroid, envelope, minimum distance, point location (ray casting with an explicit
 * boundary test), segment intersection, and the DE-9IM style relation tests behind
 * ST_Contains, ST_Within, ST_Intersects, ST_Disjoint, ST_Equals, ST_Touches, ST_Crosses and
 * ST_Overlaps. The relation matrix is built from sample points of each geometry (vertices,
 * crossing points, mid-points of the pieces the crossings cut segments into, and points just
 * beside each boundary piece for areas), each located in the other geometry; this is exact for
 * points, linestrings and polygons whose pieces meet at the computed crossing points, which is
 * what the tests cover. Geographic (ellipsoidal) measures are in geodesy.ts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-relation-functions-object-shapes.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gis-general-property-functions.html
 * @req CORE-GIS-014 CORE-GIS-015 CORE-GIS-016 CORE-GIS-017 CORE-GIS-018 CORE-GIS-019
 */
import { allPoints, dimension, simpleParts, type Geometry, type XY } from './model.js';

export interface Box {
  minX: number; minY: number; maxX: number; maxY: number;
}

/** Bounding box of a geometry; null for an empty collection. */
export function envelopeBox(g: Geometry): Box | null {
  const ps = allPoints(g);
  if (ps.length === 0) return null;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of ps) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

/** ST_Envelope's result: a point, a segment for a degenerate box, else the box polygon. @req CORE-GIS-016 */
export function envelopeGeometry(b: Box): Geometry {
  if (b.minX === b.maxX && b.minY === b.maxY) return { type: 'POINT', x: b.minX, y: b.minY };
  if (b.minX === b.maxX || b.minY === b.maxY) return { type: 'LINESTRING', points: [{ x: b.minX, y: b.minY }, { x: b.maxX, y: b.maxY }] };
  return {
    type: 'POLYGON',
    rings: [[{ x: b.minX, y: b.minY }, { x: b.maxX, y: b.minY }, { x: b.maxX, y: b.maxY }, { x: b.minX, y: b.maxY }, { x: b.minX, y: b.minY }]],
  };
}

/** Signed area of a ring (positive when counter-clockwise). */
export function ringSignedArea(r: XY[]): number {
  let s = 0;
  for (let i = 0; i + 1 < r.length; i++) s += r[i]!.x * r[i + 1]!.y - r[i + 1]!.x * r[i]!.y;
  return s / 2;
}

function polygonArea(rings: XY[][]): number {
  let a = Math.abs(ringSignedArea(rings[0]!));
  for (const h of rings.slice(1)) a -= Math.abs(ringSignedArea(h));
  return a;
}

/** Planar area: polygons and multipolygons (and areas inside collections); 0 for other classes. @req CORE-GIS-014 */
export function area(g: Geometry): number {
  let a = 0;
  for (const p of simpleParts(g)) if (p.type === 'POLYGON') a += polygonArea(p.rings);
  return a;
}

function lineLength(ps: XY[]): number {
  let l = 0;
  for (let i = 0; i + 1 < ps.length; i++) l += Math.hypot(ps[i + 1]!.x - ps[i]!.x, ps[i + 1]!.y - ps[i]!.y);
  return l;
}

/** Planar length of a linestring or multilinestring. @req CORE-GIS-014 */
export function length(g: Geometry): number {
  return simpleParts(g).reduce((s, p) => s + (p.type === 'LINESTRING' ? lineLength(p.points) : 0), 0);
}

/** Whether a linestring's ends coincide. */
export function isClosedLine(ps: XY[]): boolean {
  const a = ps[0]!, b = ps[ps.length - 1]!;
  return a.x === b.x && a.y === b.y;
}

/**
 * Centroid of the parts of highest dimension: area-weighted for surfaces, length-weighted for
 * curves, the mean for points; null for an empty collection. @req CORE-GIS-015
 */
export function centroid(g: Geometry): XY | null {
  const dim = dimension(g);
  const parts = simpleParts(g).filter((p) => dimension(p) === dim);
  if (dim === 2) {
    let sx = 0, sy = 0, sa = 0;
    for (const p of parts) {
      if (p.type !== 'POLYGON') continue;
      p.rings.forEach((r, i) => {
        const sign = (i === 0 ? 1 : -1) * Math.sign(ringSignedArea(r) || 1);
        for (let k = 0; k + 1 < r.length; k++) {
          const c = r[k]!.x * r[k + 1]!.y - r[k + 1]!.x * r[k]!.y;
          sx += sign * (r[k]!.x + r[k + 1]!.x) * c;
          sy += sign * (r[k]!.y + r[k + 1]!.y) * c;
          sa += sign * c;
        }
      });
    }
    if (sa !== 0) return { x: sx / (3 * sa), y: sy / (3 * sa) };
  }
  if (dim >= 1) {
    let sx = 0, sy = 0, sl = 0;
    for (const p of parts.flatMap(segmentsOf)) {
      const l = Math.hypot(p[1].x - p[0].x, p[1].y - p[0].y);
      sx += ((p[0].x + p[1].x) / 2) * l;
      sy += ((p[0].y + p[1].y) / 2) * l;
      sl += l;
    }
    if (sl > 0) return { x: sx / sl, y: sy / sl };
  }
  const ps = parts.flatMap(allPoints);
  if (ps.length === 0) return null;
  return { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
}

type Seg = [XY, XY];

function segmentsOf(g: Geometry): Seg[] {
  const out: Seg[] = [];
  const add = (ps: XY[]): void => { for (let i = 0; i + 1 < ps.length; i++) out.push([ps[i]!, ps[i + 1]!]); };
  for (const p of simpleParts(g)) {
    if (p.type === 'LINESTRING') add(p.points);
    else if (p.type === 'POLYGON') p.rings.forEach(add);
  }
  return out;
}

function cross(o: XY, a: XY, b: XY): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

function onSegment(p: XY, a: XY, b: XY): boolean {
  if (cross(a, b, p) !== 0) return false;
  return Math.min(a.x, b.x) <= p.x && p.x <= Math.max(a.x, b.x) && Math.min(a.y, b.y) <= p.y && p.y <= Math.max(a.y, b.y);
}

/** Points where two segments meet (none, one, or the two ends of a shared piece). */
function segmentIntersections(a: XY, b: XY, c: XY, d: XY): XY[] {
  const d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [{ x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) }];
  }
  const out: XY[] = [];
  if (onSegment(a, c, d)) out.push(a);
  if (onSegment(b, c, d)) out.push(b);
  if (onSegment(c, a, b)) out.push(c);
  if (onSegment(d, a, b)) out.push(d);
  return out;
}

type Loc = 'I' | 'B' | 'E';

/** Where a point lies relative to a ring: inside, on it, or outside. */
function ringLocation(p: XY, r: XY[]): Loc {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[i]!, b = r[j]!;
    if (onSegment(p, a, b)) return 'B';
    if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside ? 'I' : 'E';
}

function polygonLocation(p: XY, rings: XY[][]): Loc {
  const outer = ringLocation(p, rings[0]!);
  if (outer !== 'I') return outer;
  for (const h of rings.slice(1)) {
    const l = ringLocation(p, h);
    if (l === 'B') return 'B';
    if (l === 'I') return 'E';
  }
  return 'I';
}

/** Boundary points of the curves of a geometry: ends of open linestrings, counted mod 2. */
function curveBoundary(parts: Geometry[]): XY[] {
  const counts = new Map<string, { p: XY; n: number }>();
  for (const g of parts) {
    if (g.type !== 'LINESTRING' || isClosedLine(g.points)) continue;
    for (const p of [g.points[0]!, g.points[g.points.length - 1]!]) {
      const k = `${p.x},${p.y}`;
      const e = counts.get(k);
      if (e) e.n++;
      else counts.set(k, { p, n: 1 });
    }
  }
  return [...counts.values()].filter((e) => e.n % 2 === 1).map((e) => e.p);
}

/** Location of a point in a geometry (union semantics for collections). */
export function locate(p: XY, g: Geometry): Loc {
  const parts = simpleParts(g);
  let boundary = false;
  const ends = curveBoundary(parts);
  for (const q of parts) {
    let l: Loc = 'E';
    if (q.type === 'POINT') l = q.x === p.x && q.y === p.y ? 'I' : 'E';
    else if (q.type === 'LINESTRING') {
      for (let i = 0; i + 1 < q.points.length && l === 'E'; i++) if (onSegment(p, q.points[i]!, q.points[i + 1]!)) l = 'I';
      if (l === 'I' && ends.some((e) => e.x === p.x && e.y === p.y)) l = 'B';
    } else if (q.type === 'POLYGON') l = polygonLocation(p, q.rings);
    if (l === 'I') return 'I';
    if (l === 'B') boundary = true;
  }
  return boundary ? 'B' : 'E';
}

interface Sample { p: XY; loc: Loc; dim: number }

/** Sample points of `g` tagged with their location in `g`, cut at the crossings with `other`. */
function samples(g: Geometry, other: Geometry): Sample[] {
  const out: Sample[] = [];
  const parts = simpleParts(g);
  const ends = curveBoundary(parts);
  const otherSegs = segmentsOf(other);
  const otherPts = allPoints(other);
  const pieces = (ps: XY[], ring: boolean, rings?: XY[][]): void => {
    for (let i = 0; i + 1 < ps.length; i++) {
      const a = ps[i]!, b = ps[i + 1]!;
      const cuts: XY[] = [a, b];
      for (const s of otherSegs) cuts.push(...segmentIntersections(a, b, s[0], s[1]));
      for (const q of otherPts) if (onSegment(q, a, b)) cuts.push(q);
      const dx = b.x - a.x, dy = b.y - a.y;
      const t = (q: XY): number => (Math.abs(dx) >= Math.abs(dy) ? (dx === 0 ? 0 : (q.x - a.x) / dx) : (q.y - a.y) / dy);
      cuts.sort((u, v) => t(u) - t(v));
      for (let k = 0; k < cuts.length; k++) {
        const c = cuts[k]!;
        const isEnd = !ring && ends.some((e) => e.x === c.x && e.y === c.y);
        out.push({ p: c, loc: ring ? 'B' : isEnd ? 'B' : 'I', dim: 0 });
        const n = cuts[k + 1];
        if (!n || (n.x === c.x && n.y === c.y)) continue;
        const m = { x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 };
        out.push({ p: m, loc: ring ? 'B' : 'I', dim: 1 });
        if (ring && rings) {
          // points just beside the boundary piece: those inside the polygon are interior samples
          const len = Math.hypot(n.x - c.x, n.y - c.y);
          const scale = Math.max(Math.abs(m.x), Math.abs(m.y), 1);
          const eps = Math.min(len / 4, scale * 1e-9);
          for (const sgn of [1, -1]) {
            const q = { x: m.x - (sgn * (n.y - c.y) / len) * eps, y: m.y + (sgn * (n.x - c.x) / len) * eps };
            if (polygonLocation(q, rings) === 'I') out.push({ p: q, loc: 'I', dim: 2 });
          }
        }
      }
    }
  };
  for (const q of parts) {
    if (q.type === 'POINT') out.push({ p: { x: q.x, y: q.y }, loc: 'I', dim: 0 });
    else if (q.type === 'LINESTRING') {
      pieces(q.points, false);
      if (q.points.every((p) => p.x === q.points[0]!.x && p.y === q.points[0]!.y)) out.push({ p: q.points[0]!, loc: 'I', dim: 0 });
    } else if (q.type === 'POLYGON') for (const r of q.rings) pieces(r, true, q.rings);
  }
  return out;
}

/** The parts of the DE-9IM matrix the predicates need, with the dimension of interior ∩ interior. */
export interface Matrix {
  II: number; // -1 empty, else dimension
  IB: boolean; BI: boolean; BB: boolean;
  IE: boolean; BE: boolean; EI: boolean; EB: boolean;
}

export function relate(a: Geometry, b: Geometry): Matrix {
  const m: Matrix = { II: -1, IB: false, BI: false, BB: false, IE: false, BE: false, EI: false, EB: false };
  const maxII = Math.min(dimension(a), dimension(b));
  for (const s of samples(a, b)) {
    const l = locate(s.p, b);
    if (s.loc === 'I' && l === 'I') m.II = Math.max(m.II, Math.min(s.dim, maxII));
    else if (s.loc === 'I' && l === 'B') m.IB = true;
    else if (s.loc === 'B' && l === 'I') m.BI = true;
    else if (s.loc === 'B' && l === 'B') m.BB = true;
    else if (s.loc === 'I' && l === 'E') m.IE = true;
    else if (s.loc === 'B' && l === 'E') m.BE = true;
  }
  for (const s of samples(b, a)) {
    const l = locate(s.p, a);
    if (s.loc === 'I' && l === 'I') m.II = Math.max(m.II, Math.min(s.dim, maxII));
    else if (s.loc === 'I' && l === 'B') m.BI = true;
    else if (s.loc === 'B' && l === 'I') m.IB = true;
    else if (s.loc === 'B' && l === 'B') m.BB = true;
    else if (s.loc === 'I' && l === 'E') m.EI = true;
    else if (s.loc === 'B' && l === 'E') m.EB = true;
  }
  return m;
}

export type Relation = 'contains' | 'within' | 'intersects' | 'disjoint' | 'equals' | 'touches' | 'crosses' | 'overlaps' | 'covers' | 'coveredby';

/** The named spatial relations in terms of the matrix. @req CORE-GIS-018 */
export function related(rel: Relation, a: Geometry, b: Geometry): boolean {
  if (allPoints(a).length === 0 || allPoints(b).length === 0) return rel === 'disjoint';
  const m = relate(a, b);
  const intersects = m.II >= 0 || m.IB || m.BI || m.BB;
  const da = dimension(a), db = dimension(b);
  switch (rel) {
    case 'intersects': return intersects;
    case 'disjoint': return !intersects;
    case 'within': return m.II >= 0 && !m.IE && !m.BE;
    case 'contains': return m.II >= 0 && !m.EI && !m.EB;
    case 'coveredby': return intersects && !m.IE && !m.BE;
    case 'covers': return intersects && !m.EI && !m.EB;
    case 'equals': return intersects && !m.IE && !m.BE && !m.EI && !m.EB;
    case 'touches': return (da > 0 || db > 0) && m.II < 0 && (m.IB || m.BI || m.BB);
    case 'crosses':
      if (da < db) return m.II >= 0 && m.IE;
      if (da === 1 && db === 1) return m.II === 0;
      return false;
    case 'overlaps':
      return da === db && m.II === da && m.IE && m.EI;
  }
}

function pointSegDist(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x, dy = b.y - a.y;
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Minimum planar distance; 0 when the geometries intersect; null when one is empty. @req CORE-GIS-019 */
export function distance(a: Geometry, b: Geometry): number | null {
  const pa = allPoints(a), pb = allPoints(b);
  if (pa.length === 0 || pb.length === 0) return null;
  if (related('intersects', a, b)) return 0;
  const sa = segmentsOf(a), sb = segmentsOf(b);
  let best = Infinity;
  for (const p of pa) {
    for (const q of pb) best = Math.min(best, Math.hypot(p.x - q.x, p.y - q.y));
    for (const s of sb) best = Math.min(best, pointSegDist(p, s[0], s[1]));
  }
  for (const q of pb) for (const s of sa) best = Math.min(best, pointSegDist(q, s[0], s[1]));
  return best;
}

/** MBR relations: the same predicates applied to the two envelopes. @req CORE-GIS-017 */
export function mbrRelated(rel: Relation, a: Geometry, b: Geometry): boolean | null {
  const ba = envelopeBox(a), bb = envelopeBox(b);
  if (!ba || !bb) return null;
  return related(rel, envelopeGeometry(ba), envelopeGeometry(bb));
}

/** Whether a linestring (or each of a multi-geometry's members) has no self-intersection. @req CORE-GIS-013 */
export function isSimple(g: Geometry): boolean {
  switch (g.type) {
    case 'POINT': case 'POLYGON': case 'MULTIPOLYGON': return true;
    case 'MULTIPOINT': return new Set(g.points.map((p) => `${p.x},${p.y}`)).size === g.points.length;
    case 'LINESTRING': return lineSimple(g.points);
    case 'MULTILINESTRING': return g.lines.every(lineSimple);
    case 'GEOMETRYCOLLECTION': return g.geoms.every(isSimple);
  }
}

function lineSimple(ps: XY[]): boolean {
  const closed = isClosedLine(ps);
  const n = ps.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const hits = segmentIntersections(ps[i]!, ps[i + 1]!, ps[j]!, ps[j + 1]!);
      const adjacent = j === i + 1 || (closed && i === 0 && j === n - 1);
      const shared = adjacent ? (j === i + 1 ? ps[j]! : ps[0]!) : null;
      if (hits.some((h) => !shared || h.x !== shared.x || h.y !== shared.y)) return false;
    }
  }
  return true;
}

/** Basic validity: simple rings of non-zero area, holes inside the shell, no self-crossing lines in rings. @req CORE-GIS-025 */
export function isValid(g: Geometry): boolean {
  for (const p of simpleParts(g)) {
    if (p.type === 'LINESTRING' && p.points.every((q) => q.x === p.points[0]!.x && q.y === p.points[0]!.y)) return false;
    if (p.type !== 'POLYGON') continue;
    for (const r of p.rings) if (ringSignedArea(r) === 0 || !lineSimple(r)) return false;
    for (const h of p.rings.slice(1)) if (h.some((q) => polygonLocation(q, [p.rings[0]!]) === 'E')) return false;
  }
  return true;
}

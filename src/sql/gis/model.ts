/**
 * The geometry model the spatial functions work on: the seven OpenGIS classes MySQL stores,
 * each with plain x/y coordinates as they are kept in the internal format (for a geographic
 * SRS x is the longitude and y the latitude, whatever axis order the SRS announces).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/opengis-geometry-model.html
 * @req CORE-GIS-001 CORE-GIS-002
 */

export type GeomType =
  | 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON' | 'GEOMETRYCOLLECTION';

export interface XY {
  x: number;
  y: number;
}

export type Geometry =
  | { type: 'POINT'; x: number; y: number }
  | { type: 'LINESTRING'; points: XY[] }
  | { type: 'POLYGON'; rings: XY[][] }
  | { type: 'MULTIPOINT'; points: XY[] }
  | { type: 'MULTILINESTRING'; lines: XY[][] }
  | { type: 'MULTIPOLYGON'; polygons: XY[][][] }
  | { type: 'GEOMETRYCOLLECTION'; geoms: Geometry[] };

/** A geometry with the SRID it is defined in. */
export interface Geo {
  srid: number;
  g: Geometry;
}

/** WKB type codes (2D only). */
export const WKB_CODE: Record<GeomType, number> = {
  POINT: 1, LINESTRING: 2, POLYGON: 3, MULTIPOINT: 4, MULTILINESTRING: 5, MULTIPOLYGON: 6, GEOMETRYCOLLECTION: 7,
};
export const WKB_TYPE: readonly (GeomType | undefined)[] = [
  undefined, 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION',
];

/** The name ST_GeometryType and error messages use (MySQL 8.0 says GEOMCOLLECTION). @req CORE-GIS-012 */
export function typeName(t: GeomType): string {
  return t === 'GEOMETRYCOLLECTION' ? 'GEOMCOLLECTION' : t;
}

/** Column subtypes a geometry column may declare; GEOMETRY accepts every class. */
export type GeomColumnType = GeomType | 'GEOMETRY';

/** Whether a value of class `t` may be stored in a column declared `col`. @req CORE-GIS-004 */
export function fitsColumn(col: GeomColumnType, t: GeomType): boolean {
  return col === 'GEOMETRY' || col === t;
}

/** Every point of a geometry, in order. */
export function allPoints(g: Geometry): XY[] {
  switch (g.type) {
    case 'POINT': return [{ x: g.x, y: g.y }];
    case 'LINESTRING': case 'MULTIPOINT': return g.points;
    case 'POLYGON': return g.rings.flat();
    case 'MULTILINESTRING': return g.lines.flat();
    case 'MULTIPOLYGON': return g.polygons.flat(2);
    case 'GEOMETRYCOLLECTION': return g.geoms.flatMap(allPoints);
  }
}

/** Apply `f` to every coordinate pair, keeping the structure. */
export function mapPoints(g: Geometry, f: (p: XY) => XY): Geometry {
  const line = (ps: XY[]): XY[] => ps.map(f);
  switch (g.type) {
    case 'POINT': { const p = f({ x: g.x, y: g.y }); return { type: 'POINT', x: p.x, y: p.y }; }
    case 'LINESTRING': return { type: 'LINESTRING', points: line(g.points) };
    case 'MULTIPOINT': return { type: 'MULTIPOINT', points: line(g.points) };
    case 'POLYGON': return { type: 'POLYGON', rings: g.rings.map(line) };
    case 'MULTILINESTRING': return { type: 'MULTILINESTRING', lines: g.lines.map(line) };
    case 'MULTIPOLYGON': return { type: 'MULTIPOLYGON', polygons: g.polygons.map((p) => p.map(line)) };
    case 'GEOMETRYCOLLECTION': return { type: 'GEOMETRYCOLLECTION', geoms: g.geoms.map((c) => mapPoints(c, f)) };
  }
}

/** Swap x and y of every point. @req CORE-GIS-024 */
export function swapXY(g: Geometry): Geometry {
  return mapPoints(g, (p) => ({ x: p.y, y: p.x }));
}

/** Empty only for a collection with no non-empty member (MySQL has no other empty geometry). */
export function isEmpty(g: Geometry): boolean {
  return g.type === 'GEOMETRYCOLLECTION' && g.geoms.every(isEmpty);
}

/** Topological dimension: 0 points, 1 curves, 2 surfaces; a collection the highest of its members (-1 if empty). */
export function dimension(g: Geometry): number {
  switch (g.type) {
    case 'POINT': case 'MULTIPOINT': return 0;
    case 'LINESTRING': case 'MULTILINESTRING': return 1;
    case 'POLYGON': case 'MULTIPOLYGON': return 2;
    case 'GEOMETRYCOLLECTION': return g.geoms.reduce((m, c) => Math.max(m, dimension(c)), -1);
  }
}

/** Split multi-geometries and collections into their simple members (points, lines, polygons). */
export function simpleParts(g: Geometry): Geometry[] {
  switch (g.type) {
    case 'MULTIPOINT': return g.points.map((p) => ({ type: 'POINT', x: p.x, y: p.y }));
    case 'MULTILINESTRING': return g.lines.map((l) => ({ type: 'LINESTRING', points: l }));
    case 'MULTIPOLYGON': return g.polygons.map((r) => ({ type: 'POLYGON', rings: r }));
    case 'GEOMETRYCOLLECTION': return g.geoms.flatMap(simpleParts);
    default: return [g];
  }
}

/** Members of a multi-geometry or collection, as ST_GeometryN counts them. */
export function members(g: Geometry): Geometry[] | null {
  switch (g.type) {
    case 'MULTIPOINT': case 'MULTILINESTRING': case 'MULTIPOLYGON': case 'GEOMETRYCOLLECTION': return simpleMembers(g);
    default: return null;
  }
}
function simpleMembers(g: Geometry): Geometry[] {
  if (g.type === 'GEOMETRYCOLLECTION') return g.geoms;
  return simpleParts(g);
}

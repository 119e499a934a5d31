/**
 * The spatial (ST_*) functions: constructors from WKT, WKB and GeoJSON and from coordinates,
 * exporters (ST_AsText, ST_AsBinary, ST_AsGeoJSON), property accessors (ST_X, ST_SRID,
 * ST_NumPoints, ...), measures (ST_Area, ST_Length, ST_Distance, ST_Distance_Sphere),
 * MBR and exact relation predicates, validity, ST_SwapXY and the geohash functions. Geometry
 * arguments and results are MySQL's internal format (SRID + WKB); the work is in src/sql/gis/.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-function-reference.html
 * @req CORE-GIS-007 CORE-GIS-008 CORE-GIS-009 CORE-GIS-010 CORE-GIS-011 CORE-GIS-012 CORE-GIS-013
 * @req CORE-GIS-014 CORE-GIS-015 CORE-GIS-016 CORE-GIS-017 CORE-GIS-018 CORE-GIS-019 CORE-GIS-020
 * @req CORE-GIS-021 CORE-GIS-022 CORE-GIS-023 CORE-GIS-024 CORE-GIS-025 CORE-GIS-030
 */
import { ColumnFlag, MysqlType } from '../../../kernel/column-type.js';
import { sqlError } from '../../../kernel/errors.js';
import type { Value } from '../../../kernel/value.js';
import { area, centroid, distance, envelopeBox, envelopeGeometry, isClosedLine, isSimple, isValid, length, mbrRelated, related, type Relation } from '../../gis/algorithms.js';
import { andoyer, haversine } from '../../gis/geodesy.js';
import { decodeGeohash, encodeGeohash } from '../../gis/geohash.js';
import { fromGeoJson, toGeoJson } from '../../gis/geojson.js';
import { EARTH_RADIUS_DEFAULT, GEOHASH_MAX_LENGTH } from '../../gis/limits.js';
import { dimension, isEmpty, members, simpleParts, swapXY, typeName, type GeomType, type Geo, type Geometry, type XY } from '../../gis/model.js';
import { requireSrs } from '../../gis/srs.js';
import {
  checkGeographicRange, checkLatitude, checkLongitude, geoArg, geoValue, parseAxisOption, toExternalOrder, toInternalOrder, type AxisOrder,
} from '../../gis/value.js';
import { decodeWkb, encodeWkb, GisDataError } from '../../gis/wkb.js';
import { parseWkt, printWkt } from '../../gis/wkt.js';
import { JsonParseError, jsonToText, parseJson } from '../../types/json.js';
import { doubleType, intType, jsonType, stringType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { d, n, s, strict } from './helpers.js';
import { defineFunction, type FnContext } from './registry.js';

/** Result type of a function returning a geometry: MYSQL_TYPE_GEOMETRY, binary. @req CORE-GIS-001 */
export function geometryType(nullable = true): ExprType {
  return {
    kind: 'string', binary: true, collation: 'binary', length: 4294967295, decimals: 0, nullable,
    mysqlType: MysqlType.GEOMETRY, flags: ColumnFlag.BLOB | ColumnFlag.BINARY,
  };
}

const fnName = (ctx: FnContext): string => ctx.call.name.toLowerCase();
const out = (srid: number, g: Geometry): Buffer => geoValue({ srid, g });

/** Register NULL-propagating `names` whose body gets the argument values and the called name in lower case. */
function def(names: string[], min: number, max: number, type: (args: CompiledExpr[]) => ExprType, body: (v: Value[], rt: Runtime, fn: string) => Value): void {
  defineFunction(names, min, max, (args, ctx) => {
    const fn = fnName(ctx);
    return strict(args, type(args), (v, rt) => body(v, rt, fn));
  });
}

/** An SRID argument: an unsigned 32-bit number, else 1690 naming the function. */
function srid(v: Value, rt: Runtime, fn: string): number {
  const x = n(v, rt);
  if (x < 0 || x > 0xffffffff) throw sqlError('ER_DATA_OUT_OF_RANGE', 'SRID', fn);
  return x;
}

// ---------------------------------------------------------------- constructors from WKT / WKB

const TEXT_FAMILY: [string[], GeomType | null][] = [
  [['ST_GEOMFROMTEXT', 'ST_GEOMETRYFROMTEXT'], null],
  [['ST_POINTFROMTEXT'], 'POINT'],
  [['ST_LINEFROMTEXT', 'ST_LINESTRINGFROMTEXT'], 'LINESTRING'],
  [['ST_POLYFROMTEXT', 'ST_POLYGONFROMTEXT'], 'POLYGON'],
  [['ST_MPOINTFROMTEXT', 'ST_MULTIPOINTFROMTEXT'], 'MULTIPOINT'],
  [['ST_MLINEFROMTEXT', 'ST_MULTILINESTRINGFROMTEXT'], 'MULTILINESTRING'],
  [['ST_MPOLYFROMTEXT', 'ST_MULTIPOLYGONFROMTEXT'], 'MULTIPOLYGON'],
  [['ST_GEOMCOLLFROMTEXT', 'ST_GEOMETRYCOLLECTIONFROMTEXT', 'ST_GEOMCOLLFROMTXT'], 'GEOMETRYCOLLECTION'],
];

/** Finish an imported geometry: class check, SRID check, axis order, geographic ranges. */
function imported(g: Geometry, want: GeomType | null, sridV: number, order: AxisOrder, fn: string): Buffer {
  if (want && g.type !== want) throw sqlError('ER_GIS_INVALID_DATA', fn);
  const srs = requireSrs(sridV);
  const internal = toInternalOrder(g, srs, order);
  checkGeographicRange(internal, srs, fn);
  return out(sridV, internal);
}

/** @req CORE-GIS-007 CORE-GIS-010 */
for (const [names, want] of TEXT_FAMILY) {
  def(names, 1, 3, () => geometryType(), (v, rt, fn) => {
    let g: Geometry;
    try {
      g = parseWkt(s(v[0]!));
    } catch (e) {
      if (e instanceof GisDataError) throw sqlError('ER_GIS_INVALID_DATA', fn);
      throw e;
    }
    return imported(g, want, v.length > 1 ? srid(v[1]!, rt, fn) : 0, parseAxisOption(v.length > 2 ? s(v[2]!) : null, fn), fn);
  });
}

const WKB_FAMILY: [string[], GeomType | null][] = [
  [['ST_GEOMFROMWKB', 'ST_GEOMETRYFROMWKB'], null],
  [['ST_POINTFROMWKB'], 'POINT'],
  [['ST_LINEFROMWKB', 'ST_LINESTRINGFROMWKB'], 'LINESTRING'],
  [['ST_POLYFROMWKB', 'ST_POLYGONFROMWKB'], 'POLYGON'],
  [['ST_MPOINTFROMWKB', 'ST_MULTIPOINTFROMWKB'], 'MULTIPOINT'],
  [['ST_MLINEFROMWKB', 'ST_MULTILINESTRINGFROMWKB'], 'MULTILINESTRING'],
  [['ST_MPOLYFROMWKB', 'ST_MULTIPOLYGONFROMWKB'], 'MULTIPOLYGON'],
  [['ST_GEOMCOLLFROMWKB', 'ST_GEOMETRYCOLLECTIONFROMWKB'], 'GEOMETRYCOLLECTION'],
];

/** @req CORE-GIS-007 CORE-GIS-010 */
for (const [names, want] of WKB_FAMILY) {
  def(names, 1, 3, () => geometryType(), (v, rt, fn) => {
    const buf = Buffer.isBuffer(v[0]) ? v[0] : Buffer.from(s(v[0]!), 'latin1');
    let g: Geometry;
    try {
      g = decodeWkb(buf);
    } catch (e) {
      if (e instanceof GisDataError) throw sqlError('ER_GIS_INVALID_DATA', fn);
      throw e;
    }
    return imported(g, want, v.length > 1 ? srid(v[1]!, rt, fn) : 0, parseAxisOption(v.length > 2 ? s(v[2]!) : null, fn), fn);
  });
}

// ---------------------------------------------------------------- exporters

/** @req CORE-GIS-008 */
def(['ST_ASTEXT', 'ST_ASWKT'], 1, 2, () => stringType(4294967295, true), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  return printWkt(toExternalOrder(geo.g, geo.srid, parseAxisOption(v.length > 1 ? s(v[1]!) : null, fn)));
});

/** @req CORE-GIS-008 */
def(['ST_ASBINARY', 'ST_ASWKB'], 1, 2, () => stringType(4294967295, true, 'binary'), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  return encodeWkb(toExternalOrder(geo.g, geo.srid, parseAxisOption(v.length > 1 ? s(v[1]!) : null, fn)));
});

/** @req CORE-GIS-009 */
def(['ST_ASGEOJSON'], 1, 3, () => jsonType(true), (v, rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  const digits = v.length > 1 ? n(v[1]!, rt) : 2 ** 31 - 1;
  const options = v.length > 2 ? n(v[2]!, rt) : 0;
  if (digits < 0) throw sqlError('ER_INCORRECT_TYPE', 'max decimal digits', 'st_asgeojson');
  if (options < 0 || options > 7) throw sqlError('ER_INCORRECT_TYPE', 'options', 'st_asgeojson');
  return jsonToText(toGeoJson(geo.g, digits, options, geo.srid));
});

/** @req CORE-GIS-009 */
def(['ST_GEOMFROMGEOJSON'], 1, 3, () => geometryType(), (v, rt, fn) => {
  let doc;
  try {
    doc = parseJson(s(v[0]!));
  } catch (e) {
    if (e instanceof JsonParseError) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
    throw e;
  }
  const { g, srid: crs } = fromGeoJson(doc, fn);
  const target = v.length > 2 ? srid(v[2]!, rt, fn) : crs ?? 4326;
  const srs = requireSrs(target);
  checkGeographicRange(g, srs, fn);
  return out(target, g);
});

// ---------------------------------------------------------------- constructors from values

/** @req CORE-GIS-011 */
defineFunction(['POINT'], 2, 2, (args) => strict(args, geometryType(), (v, rt) => out(0, { type: 'POINT', x: d(v[0]!, rt), y: d(v[1]!, rt) })));

/** Members of a constructor call: all of class `want`, one SRID. */
function parts(v: Value[], fn: string, want: GeomType | null): { srid: number; gs: Geometry[] } {
  const geos = v.map((x) => geoArg(x, fn));
  for (const g of geos) {
    if (want && g.g.type !== want) throw sqlError('ER_GIS_INVALID_DATA', fn);
    if (g.srid !== geos[0]!.srid) throw sqlError('ER_GIS_DIFFERENT_SRIDS', fn, geos[0]!.srid, g.srid);
  }
  return { srid: geos[0]?.srid ?? 0, gs: geos.map((g) => g.g) };
}
const xy = (g: Geometry): XY => (g.type === 'POINT' ? { x: g.x, y: g.y } : { x: 0, y: 0 });
const ptsOf = (g: Geometry): XY[] => (g.type === 'LINESTRING' ? g.points : []);

/** @req CORE-GIS-011 */
def(['LINESTRING'], 2, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, 'POINT');
  return out(p.srid, { type: 'LINESTRING', points: p.gs.map(xy) });
});
def(['MULTIPOINT'], 1, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, 'POINT');
  return out(p.srid, { type: 'MULTIPOINT', points: p.gs.map(xy) });
});
def(['MULTILINESTRING'], 1, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, 'LINESTRING');
  return out(p.srid, { type: 'MULTILINESTRING', lines: p.gs.map(ptsOf) });
});
function ringsOf(gs: Geometry[], fn: string): XY[][] {
  return gs.map((g) => {
    const r = ptsOf(g);
    if (r.length < 4 || !isClosedLine(r)) throw sqlError('ER_GIS_INVALID_DATA', fn);
    return r;
  });
}
def(['POLYGON'], 1, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, 'LINESTRING');
  return out(p.srid, { type: 'POLYGON', rings: ringsOf(p.gs, fn) });
});
def(['MULTIPOLYGON'], 1, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, 'POLYGON');
  return out(p.srid, { type: 'MULTIPOLYGON', polygons: p.gs.map((g) => (g.type === 'POLYGON' ? g.rings : [])) });
});
def(['GEOMETRYCOLLECTION', 'GEOMCOLLECTION'], 0, Infinity, () => geometryType(), (v, _rt, fn) => {
  const p = parts(v, fn, null);
  return out(p.srid, { type: 'GEOMETRYCOLLECTION', geoms: p.gs });
});

// ---------------------------------------------------------------- accessors

function expect(geo: Geo, want: GeomType, fn: string): void {
  if (geo.g.type !== want) throw sqlError('ER_UNEXPECTED_GEOMETRY_TYPE', want, typeName(geo.g.type), fn);
}

/**
 * ST_X / ST_Y / ST_Latitude / ST_Longitude: getter with one argument, setter with two. For an
 * SRS with latitude first ST_X is the latitude. @req CORE-GIS-012
 */
function coordinateFunction(name: string, pick: (geo: Geo) => 'x' | 'y', geographicOnly: boolean): void {
  defineFunction([name], 1, 2, (args, ctx) => {
    const fn = fnName(ctx);
    const type = args.length === 1 ? doubleType(true) : geometryType();
    return strict(args, type, (v, rt) => {
      const geo = geoArg(v[0]!, fn);
      expect(geo, 'POINT', fn);
      const srs = requireSrs(geo.srid);
      if (geographicOnly && !srs.geographic) throw sqlError('ER_SRS_NOT_GEOGRAPHIC', fn, geo.srid);
      const axis = pick(geo);
      const p = geo.g as { x: number; y: number };
      if (v.length === 1) return p[axis];
      const nv = d(v[1]!, rt);
      if (srs.geographic) {
        if (axis === 'y') checkLatitude(nv, fn);
        else checkLongitude(nv, fn);
      }
      return out(geo.srid, { type: 'POINT', x: axis === 'x' ? nv : p.x, y: axis === 'y' ? nv : p.y });
    });
  });
}
const latFirst = (geo: Geo): boolean => requireSrs(geo.srid).latFirst;
coordinateFunction('ST_X', (geo) => (latFirst(geo) ? 'y' : 'x'), false);
coordinateFunction('ST_Y', (geo) => (latFirst(geo) ? 'x' : 'y'), false);
coordinateFunction('ST_LATITUDE', () => 'y', true);
coordinateFunction('ST_LONGITUDE', () => 'x', true);

/** ST_SRID(g) and ST_SRID(g, srid). @req CORE-GIS-012 */
defineFunction(['ST_SRID'], 1, 2, (args, ctx) => {
  const fn = fnName(ctx);
  return strict(args, args.length === 1 ? intType(10, true, true) : geometryType(), (v, rt) => {
    const geo = geoArg(v[0]!, fn);
    if (v.length === 1) return BigInt(geo.srid);
    const target = srid(v[1]!, rt, fn);
    const srs = requireSrs(target);
    checkGeographicRange(geo.g, srs, fn);
    return out(target, geo.g);
  });
});

def(['ST_GEOMETRYTYPE'], 1, 1, () => stringType(20, true), (v, _rt, fn) => typeName(geoArg(v[0]!, fn).g.type));
def(['ST_DIMENSION'], 1, 1, () => intType(11, true), (v, _rt, fn) => BigInt(dimension(geoArg(v[0]!, fn).g)));
def(['ST_ISEMPTY'], 1, 1, () => intType(1, true), (v, _rt, fn) => (isEmpty(geoArg(v[0]!, fn).g) ? 1n : 0n));
def(['ST_ISSIMPLE'], 1, 1, () => intType(1, true), (v, _rt, fn) => (isSimple(geoArg(v[0]!, fn).g) ? 1n : 0n));
def(['ST_ISVALID'], 1, 1, () => intType(1, true), (v, _rt, fn) => (isValid(geoArg(v[0]!, fn).g) ? 1n : 0n));
/** ST_Validate: the geometry when valid, else NULL. @req CORE-GIS-025 */
def(['ST_VALIDATE'], 1, 1, () => geometryType(), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  return isValid(geo.g) ? out(geo.srid, geo.g) : null;
});

function line(v: Value, fn: string): { geo: Geo; pts: XY[] } {
  const geo = geoArg(v, fn);
  expect(geo, 'LINESTRING', fn);
  return { geo, pts: (geo.g as { points: XY[] }).points };
}
const pointOut = (srid: number, p: XY): Buffer => out(srid, { type: 'POINT', x: p.x, y: p.y });

/** @req CORE-GIS-013 */
def(['ST_NUMPOINTS'], 1, 1, () => intType(10, true, true), (v, _rt, fn) => BigInt(line(v[0]!, fn).pts.length));
def(['ST_STARTPOINT'], 1, 1, () => geometryType(), (v, _rt, fn) => { const l = line(v[0]!, fn); return pointOut(l.geo.srid, l.pts[0]!); });
def(['ST_ENDPOINT'], 1, 1, () => geometryType(), (v, _rt, fn) => { const l = line(v[0]!, fn); return pointOut(l.geo.srid, l.pts[l.pts.length - 1]!); });
def(['ST_POINTN'], 2, 2, () => geometryType(), (v, rt, fn) => {
  const l = line(v[0]!, fn);
  const i = n(v[1]!, rt);
  return i < 1 || i > l.pts.length ? null : pointOut(l.geo.srid, l.pts[i - 1]!);
});
def(['ST_ISCLOSED'], 1, 1, () => intType(1, true), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  if (geo.g.type === 'LINESTRING') return isClosedLine(geo.g.points) ? 1n : 0n;
  if (geo.g.type === 'MULTILINESTRING') return geo.g.lines.every(isClosedLine) ? 1n : 0n;
  throw sqlError('ER_UNEXPECTED_GEOMETRY_TYPE', 'LINESTRING', typeName(geo.g.type), fn);
});

function polygon(v: Value, fn: string): { geo: Geo; rings: XY[][] } {
  const geo = geoArg(v, fn);
  expect(geo, 'POLYGON', fn);
  return { geo, rings: (geo.g as { rings: XY[][] }).rings };
}
const lineOut = (srid: number, ps: XY[]): Buffer => out(srid, { type: 'LINESTRING', points: ps });
def(['ST_EXTERIORRING'], 1, 1, () => geometryType(), (v, _rt, fn) => { const p = polygon(v[0]!, fn); return lineOut(p.geo.srid, p.rings[0]!); });
def(['ST_NUMINTERIORRINGS', 'ST_NUMINTERIORRING'], 1, 1, () => intType(10, true, true), (v, _rt, fn) => BigInt(polygon(v[0]!, fn).rings.length - 1));
def(['ST_INTERIORRINGN'], 2, 2, () => geometryType(), (v, rt, fn) => {
  const p = polygon(v[0]!, fn);
  const i = n(v[1]!, rt);
  return i < 1 || i >= p.rings.length ? null : lineOut(p.geo.srid, p.rings[i]!);
});

/** @req CORE-GIS-013 */
def(['ST_NUMGEOMETRIES'], 1, 1, () => intType(10, true, true), (v, _rt, fn) => BigInt((members(geoArg(v[0]!, fn).g) ?? [0]).length));
def(['ST_GEOMETRYN'], 2, 2, () => geometryType(), (v, rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  const ms = members(geo.g) ?? [geo.g];
  const i = n(v[1]!, rt);
  return i < 1 || i > ms.length ? null : out(geo.srid, ms[i - 1]!);
});

// ---------------------------------------------------------------- measures

function cartesianOnly(geo: Geo, fn: string): void {
  if (requireSrs(geo.srid).geographic) throw sqlError('ER_NOT_IMPLEMENTED_FOR_GEOGRAPHIC_SRS', fn, typeName(geo.g.type));
}

/** @req CORE-GIS-014 */
def(['ST_AREA'], 1, 1, () => doubleType(true), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  if (geo.g.type !== 'POLYGON' && geo.g.type !== 'MULTIPOLYGON') throw sqlError('ER_UNEXPECTED_GEOMETRY_TYPE', 'POLYGON/MULTIPOLYGON', typeName(geo.g.type), fn);
  cartesianOnly(geo, fn);
  return area(geo.g);
});

/** @req CORE-GIS-014 */
def(['ST_LENGTH'], 1, 2, () => doubleType(true), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  if (geo.g.type !== 'LINESTRING' && geo.g.type !== 'MULTILINESTRING') throw sqlError('ER_UNEXPECTED_GEOMETRY_TYPE', 'LINESTRING/MULTILINESTRING', typeName(geo.g.type), fn);
  const srs = requireSrs(geo.srid);
  if (!srs.geographic) return length(geo.g);
  const f = 1 / srs.inverseFlattening!;
  let sum = 0;
  for (const p of simpleParts(geo.g)) {
    if (p.type !== 'LINESTRING') continue;
    for (let i = 0; i + 1 < p.points.length; i++) sum += andoyer(p.points[i]!, p.points[i + 1]!, srs.semiMajor!, f);
  }
  return sum;
});

/** @req CORE-GIS-015 */
def(['ST_CENTROID'], 1, 1, () => geometryType(), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  cartesianOnly(geo, fn);
  const c = centroid(geo.g);
  return c ? pointOut(geo.srid, c) : out(geo.srid, { type: 'GEOMETRYCOLLECTION', geoms: [] });
});

/** @req CORE-GIS-016 */
def(['ST_ENVELOPE'], 1, 1, () => geometryType(), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  cartesianOnly(geo, fn);
  const b = envelopeBox(geo.g);
  return b ? out(geo.srid, envelopeGeometry(b)) : out(geo.srid, { type: 'GEOMETRYCOLLECTION', geoms: [] });
});

function pair(v: Value[], fn: string): [Geo, Geo] {
  const a = geoArg(v[0]!, fn), b = geoArg(v[1]!, fn);
  if (a.srid !== b.srid) throw sqlError('ER_GIS_DIFFERENT_SRIDS', fn, a.srid, b.srid);
  return [a, b];
}

function pointsOnly(g: Geometry): XY[] | null {
  if (g.type === 'POINT') return [{ x: g.x, y: g.y }];
  if (g.type === 'MULTIPOINT') return g.points;
  return null;
}

/** @req CORE-GIS-019 */
def(['ST_DISTANCE'], 2, 3, () => doubleType(true), (v, _rt, fn) => {
  const [a, b] = pair(v, fn);
  const srs = requireSrs(a.srid);
  if (!srs.geographic) return distance(a.g, b.g);
  const pa = pointsOnly(a.g), pb = pointsOnly(b.g);
  if (!pa || !pb) throw sqlError('ER_NOT_IMPLEMENTED_FOR_GEOGRAPHIC_SRS', fn, `${typeName(a.g.type)}, ${typeName(b.g.type)}`);
  const f = 1 / srs.inverseFlattening!;
  let best = Infinity;
  for (const p of pa) for (const q of pb) best = Math.min(best, andoyer(p, q, srs.semiMajor!, f));
  return best;
});

/** @req CORE-GIS-020 */
def(['ST_DISTANCE_SPHERE'], 2, 3, () => doubleType(true), (v, rt, fn) => {
  const [a, b] = pair(v, fn);
  const pa = pointsOnly(a.g), pb = pointsOnly(b.g);
  if (!pa || !pb) throw sqlError('ER_GIS_UNSUPPORTED_ARGUMENT', fn);
  const r = v.length > 2 ? d(v[2]!, rt) : EARTH_RADIUS_DEFAULT;
  if (!(r > 0)) throw sqlError('ER_WRONG_ARGUMENTS', fn);
  for (const p of [...pa, ...pb]) {
    checkLongitude(p.x, fn);
    checkLatitude(p.y, fn);
  }
  let best = Infinity;
  for (const p of pa) for (const q of pb) best = Math.min(best, haversine(p, q, r));
  return best;
});

// ---------------------------------------------------------------- relations

const MBR: [string[], Relation][] = [
  [['MBRCONTAINS'], 'contains'], [['MBRWITHIN'], 'within'], [['MBRINTERSECTS'], 'intersects'],
  [['MBREQUALS'], 'equals'], [['MBRDISJOINT'], 'disjoint'], [['MBROVERLAPS'], 'overlaps'],
  [['MBRTOUCHES'], 'touches'], [['MBRCOVERS'], 'covers'], [['MBRCOVEREDBY'], 'coveredby'],
];
/** @req CORE-GIS-017 */
for (const [names, rel] of MBR) {
  def(names, 2, 2, () => intType(1, true), (v, _rt, fn) => {
    const [a, b] = pair(v, fn);
    const r = mbrRelated(rel, a.g, b.g);
    return r === null ? null : r ? 1n : 0n;
  });
}

const EXACT: [string[], Relation][] = [
  [['ST_CONTAINS'], 'contains'], [['ST_WITHIN'], 'within'], [['ST_INTERSECTS'], 'intersects'],
  [['ST_DISJOINT'], 'disjoint'], [['ST_EQUALS'], 'equals'], [['ST_TOUCHES'], 'touches'],
  [['ST_CROSSES'], 'crosses'], [['ST_OVERLAPS'], 'overlaps'],
];
/** @req CORE-GIS-018 */
for (const [names, rel] of EXACT) {
  def(names, 2, 2, () => intType(1, true), (v, _rt, fn) => {
    const [a, b] = pair(v, fn);
    return related(rel, a.g, b.g) ? 1n : 0n;
  });
}

// ---------------------------------------------------------------- utilities

/** @req CORE-GIS-024 */
def(['ST_SWAPXY'], 1, 1, () => geometryType(), (v, _rt, fn) => {
  const geo = geoArg(v[0]!, fn);
  return out(geo.srid, swapXY(geo.g));
});

// ---------------------------------------------------------------- geohash

/** ST_GeoHash(lon, lat, len) or ST_GeoHash(point, len). @req CORE-GIS-030 */
defineFunction(['ST_GEOHASH'], 2, 3, (args, ctx) => {
  const fn = ctx.call.name.toUpperCase();
  return strict(args, stringType(GEOHASH_MAX_LENGTH, true), (v, rt) => {
    let lon: number, lat: number;
    if (v.length === 2) {
      const geo = geoArg(v[0]!, fn.toLowerCase());
      expect(geo, 'POINT', fn.toLowerCase());
      const p = geo.g as { x: number; y: number };
      lon = p.x;
      lat = p.y;
    } else {
      lon = d(v[0]!, rt);
      lat = d(v[1]!, rt);
    }
    const len = n(v[v.length - 1]!, rt);
    if (lon < -180 || lon > 180) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'longitude', String(lon), fn);
    if (lat < -90 || lat > 90) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'latitude', String(lat), fn);
    if (len < 1 || len > GEOHASH_MAX_LENGTH) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'max geohash length', String(len), fn);
    return encodeGeohash(lon, lat, len);
  });
});

function geohashArg(args: CompiledExpr[], fn: string): void {
  const t = args[0]!.type;
  if ((t.kind !== 'string' && t.kind !== 'null') || t.binary) throw sqlError('ER_INCORRECT_TYPE', 'geohash', fn);
}
function decodeArg(v: Value, fn: string): XY {
  const text = s(v);
  const p = decodeGeohash(text);
  if (!p) throw sqlError('ER_WRONG_VALUE_FOR_TYPE', 'geohash', text, fn);
  return p;
}
/** @req CORE-GIS-030 */
defineFunction(['ST_LATFROMGEOHASH'], 1, 1, (args, ctx) => {
  const fn = ctx.call.name.toUpperCase();
  geohashArg(args, fn);
  return strict(args, doubleType(true), (v) => decodeArg(v[0]!, fn).y);
});
defineFunction(['ST_LONGFROMGEOHASH'], 1, 1, (args, ctx) => {
  const fn = ctx.call.name.toUpperCase();
  geohashArg(args, fn);
  return strict(args, doubleType(true), (v) => decodeArg(v[0]!, fn).x);
});
defineFunction(['ST_POINTFROMGEOHASH'], 2, 2, (args, ctx) => {
  const fn = ctx.call.name.toUpperCase();
  geohashArg(args, fn);
  return strict(args, geometryType(), (v, rt) => {
    const p = decodeArg(v[0]!, fn);
    const target = srid(v[1]!, rt, fn);
    requireSrs(target);
    return out(target, { type: 'POINT', x: p.x, y: p.y });
  });
});

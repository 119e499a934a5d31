/**
 * GeoJSON (RFC 7946) conversion for ST_AsGeoJSON and ST_GeomFromGeoJSON. Output follows MySQL:
 * a JSON object with "type" and "coordinates" (or "geometries"), coordinates rounded to
 * max_dec_digits, optionally a "bbox" (option bit 1) and a short (bit 2) or long (bit 4) CRS
 * name for SRIDs other than 0. Input requires "type" and "coordinates"/"geometries", accepts
 * Feature and FeatureCollection, and yields SRID 4326 unless a "crs" member says otherwise.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-geojson-functions.html
 * @req CORE-GIS-009
 */
import { sqlError } from '../../kernel/errors.js';
import { JsonNumber, JsonObject, type JsonValue } from '../types/json.js';
import { envelopeBox } from './algorithms.js';
import type { Geometry, XY } from './model.js';

const NAMES: Record<Geometry['type'], string> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTIPOINT: 'MultiPoint',
  MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon', GEOMETRYCOLLECTION: 'GeometryCollection',
};

function num(n: number, digits: number): JsonNumber {
  const f = 10 ** Math.min(digits, 300);
  const v = digits >= 17 ? n : Math.round(n * f) / f;
  return new JsonNumber('double', String(v));
}

function obj(entries: [string, JsonValue][]): JsonObject {
  const o = new JsonObject();
  for (const [k, v] of entries) o.map.set(k, v);
  return o;
}

/** GeoJSON object of a geometry (points already in output axis order). @req CORE-GIS-009 */
export function toGeoJson(g: Geometry, digits: number, options: number, srid: number): JsonObject {
  const pt = (p: XY): JsonValue[] => [num(p.x, digits), num(p.y, digits)];
  const body = (h: Geometry): JsonObject => {
    const entries: [string, JsonValue][] = [['type', NAMES[h.type]]];
    switch (h.type) {
      case 'POINT': entries.push(['coordinates', pt(h)]); break;
      case 'LINESTRING': case 'MULTIPOINT': entries.push(['coordinates', h.points.map(pt)]); break;
      case 'POLYGON': entries.push(['coordinates', h.rings.map((r) => r.map(pt))]); break;
      case 'MULTILINESTRING': entries.push(['coordinates', h.lines.map((r) => r.map(pt))]); break;
      case 'MULTIPOLYGON': entries.push(['coordinates', h.polygons.map((p) => p.map((r) => r.map(pt)))]); break;
      case 'GEOMETRYCOLLECTION': entries.push(['geometries', h.geoms.map(body)]); break;
    }
    return obj(entries);
  };
  const o = body(g);
  if (options & 1) {
    const b = envelopeBox(g);
    if (b) o.map.set('bbox', [num(b.minX, digits), num(b.minY, digits), num(b.maxX, digits), num(b.maxY, digits)]);
  }
  if (srid !== 0 && options & 6) {
    const name = options & 4 ? `urn:ogc:def:crs:EPSG::${srid}` : `EPSG:${srid}`;
    o.map.set('crs', obj([['type', 'name'], ['properties', obj([['name', name]])]]));
  }
  return o;
}

function member(o: JsonObject, key: string, fn: string): JsonValue {
  if (!o.map.has(key)) throw sqlError('ER_INVALID_GEOJSON_MISSING_MEMBER', fn, key);
  return o.map.get(key)!;
}

function arr(v: JsonValue, key: string, fn: string): JsonValue[] {
  if (!Array.isArray(v)) throw sqlError('ER_INVALID_GEOJSON_WRONG_TYPE', fn, key, 'array');
  return v;
}

function position(v: JsonValue, fn: string): XY {
  const a = arr(v, 'coordinates', fn);
  if (a.length < 2) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  const [x, y] = a;
  if (!(x instanceof JsonNumber) || !(y instanceof JsonNumber)) throw sqlError('ER_INVALID_GEOJSON_WRONG_TYPE', fn, 'coordinates', 'number');
  const p = { x: x.toNumber(), y: y.toNumber() };
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  return p;
}

function positions(v: JsonValue, fn: string, min: number, ring = false): XY[] {
  const ps = arr(v, 'coordinates', fn).map((p) => position(p, fn));
  if (ps.length < min) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  if (ring && (ps[0]!.x !== ps[ps.length - 1]!.x || ps[0]!.y !== ps[ps.length - 1]!.y)) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  return ps;
}

function nonEmpty<T>(xs: T[], fn: string): T[] {
  if (xs.length === 0) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  return xs;
}

/** A geometry from a GeoJSON value; `crs` receives the SRID a "crs" member names. @req CORE-GIS-009 */
export function fromGeoJson(v: JsonValue, fn: string, depth = 0): { g: Geometry; srid: number | null } {
  if (!(v instanceof JsonObject)) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  if (depth > 64) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  const t = member(v, 'type', fn);
  if (typeof t !== 'string') throw sqlError('ER_INVALID_GEOJSON_WRONG_TYPE', fn, 'type', 'string');
  let srid: number | null = null;
  const crs = v.map.get('crs');
  if (crs instanceof JsonObject) {
    const props = crs.map.get('properties');
    const name = props instanceof JsonObject ? props.map.get('name') : undefined;
    const m = typeof name === 'string' ? /(?:EPSG:+|urn:ogc:def:crs:EPSG::?)(\d+)$/i.exec(name) : null;
    if (!m) throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
    srid = Number(m[1]);
  }
  const coords = (): JsonValue => member(v, 'coordinates', fn);
  let g: Geometry;
  switch (t) {
    case 'Point': { const p = position(coords(), fn); g = { type: 'POINT', x: p.x, y: p.y }; break; }
    case 'LineString': g = { type: 'LINESTRING', points: positions(coords(), fn, 2) }; break;
    case 'Polygon': g = { type: 'POLYGON', rings: nonEmpty(arr(coords(), 'coordinates', fn).map((r) => positions(r, fn, 4, true)), fn) }; break;
    case 'MultiPoint': g = { type: 'MULTIPOINT', points: nonEmpty(positions(coords(), fn, 1), fn) }; break;
    case 'MultiLineString': g = { type: 'MULTILINESTRING', lines: nonEmpty(arr(coords(), 'coordinates', fn).map((l) => positions(l, fn, 2)), fn) }; break;
    case 'MultiPolygon':
      g = {
        type: 'MULTIPOLYGON',
        polygons: nonEmpty(arr(coords(), 'coordinates', fn).map((p) => nonEmpty(arr(p, 'coordinates', fn).map((r) => positions(r, fn, 4, true)), fn)), fn),
      };
      break;
    case 'GeometryCollection':
      g = { type: 'GEOMETRYCOLLECTION', geoms: arr(member(v, 'geometries', fn), 'geometries', fn).map((c) => fromGeoJson(c, fn, depth + 1).g) };
      break;
    case 'Feature': {
      const inner = member(v, 'geometry', fn);
      if (inner === null) g = { type: 'GEOMETRYCOLLECTION', geoms: [] };
      else g = fromGeoJson(inner, fn, depth + 1).g;
      break;
    }
    case 'FeatureCollection':
      g = {
        type: 'GEOMETRYCOLLECTION',
        geoms: arr(member(v, 'features', fn), 'features', fn).map((f) => fromGeoJson(f, fn, depth + 1).g),
      };
      break;
    default:
      throw sqlError('ER_INVALID_GEOJSON_UNSPECIFIED', fn);
  }
  return { g, srid };
}

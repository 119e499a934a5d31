/**
 * Geometry values as SQL functions see them: decoding an argument (internal format, with the
 * SRID checked against the known systems), encoding a result, axis-order handling for SRSs
 * whose axis order puts latitude first, and the geographic coordinate range checks.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/gis-data-formats.html#gis-internal-format
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-function-argument-handling.html
 * @req CORE-GIS-002 CORE-GIS-006 CORE-GIS-010
 */
import { sqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { allPoints, swapXY, type Geo, type Geometry } from './model.js';
import { findSrs, requireSrs, type Srs } from './srs.js';
import { decodeInternal, encodeInternal, GisDataError } from './wkb.js';

/** Decode a geometry argument of function `fn`; 3037 when the bytes are no geometry, 3548 for an unknown SRID. @req CORE-GIS-002 */
export function geoArg(v: Value, fn: string): Geo {
  const buf = Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v, 'latin1') : null;
  if (!buf) throw sqlError('ER_GIS_INVALID_DATA', fn);
  let geo: Geo;
  try {
    geo = decodeInternal(buf);
  } catch (e) {
    if (e instanceof GisDataError) throw sqlError('ER_GIS_INVALID_DATA', fn);
    throw e;
  }
  requireSrs(geo.srid);
  return geo;
}

/** The internal-format bytes of a result geometry. */
export function geoValue(geo: Geo): Buffer {
  return encodeInternal(geo);
}

export type AxisOrder = 'srid-defined' | 'lat-long' | 'long-lat';

/**
 * Parse the options string of the import/export functions (`axis-order=...`). @req CORE-GIS-010
 */
export function parseAxisOption(text: string | null, fn: string): AxisOrder {
  if (text === null || text.trim() === '') return 'srid-defined';
  let order: AxisOrder = 'srid-defined';
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? '' : part.slice(eq + 1).trim().toLowerCase();
    if (key !== 'axis-order') throw sqlError('ER_INVALID_OPTION_KEY', key, fn);
    if (seen.has(key)) throw sqlError('ER_INVALID_OPTION_VALUE', val, key, fn);
    seen.add(key);
    if (val !== 'srid-defined' && val !== 'lat-long' && val !== 'long-lat') throw sqlError('ER_INVALID_OPTION_VALUE', val, key, fn);
    order = val;
  }
  return order;
}

/** Whether external (WKT/WKB) coordinates are swapped relative to the internal x=long, y=lat. */
function swapped(srs: Srs, order: AxisOrder): boolean {
  if (!srs.geographic) return false;
  if (order === 'long-lat') return false;
  if (order === 'lat-long') return true;
  return srs.latFirst;
}

/** External order -> internal order. @req CORE-GIS-010 */
export function toInternalOrder(g: Geometry, srs: Srs, order: AxisOrder): Geometry {
  return swapped(srs, order) ? swapXY(g) : g;
}

/** Internal order -> external order. @req CORE-GIS-010 */
export function toExternalOrder(g: Geometry, srid: number, order: AxisOrder = 'srid-defined'): Geometry {
  const srs = findSrs(srid);
  return srs && swapped(srs, order) ? swapXY(g) : g;
}

/** MySQL prints the numbers of these messages with %f: six decimals. */
export function f6(n: number): string {
  return n.toFixed(6);
}

/** A latitude outside [-90, 90] is 3617. */
export function checkLatitude(lat: number, fn: string): void {
  if (lat < -90 || lat > 90) throw sqlError('ER_LATITUDE_OUT_OF_RANGE', f6(lat), fn, f6(-90), f6(90));
}

/** A longitude outside (-180, 180] is 3616. */
export function checkLongitude(lon: number, fn: string): void {
  if (lon <= -180 || lon > 180) throw sqlError('ER_LONGITUDE_OUT_OF_RANGE', f6(lon), fn, f6(-180), f6(180));
}

/** Coordinates of a geometry in a geographic SRS must be valid longitudes/latitudes. @req CORE-GIS-006 */
export function checkGeographicRange(g: Geometry, srs: Srs, fn: string): void {
  if (!srs.geographic) return;
  for (const p of allPoints(g)) {
    checkLongitude(p.x, fn);
    checkLatitude(p.y, fn);
  }
}

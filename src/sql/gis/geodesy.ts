/**
 * Distances on the earth: ST_Distance for a geographic SRS (the ellipsoidal Andoyer-Lambert
 * approximation on the SRS's ellipsoid, which is the formula family MySQL's geographic
 * distance strategy uses) and ST_Distance_Sphere (haversine on a sphere of the given radius).
 * Inputs are degrees with x = longitude, y = latitude (the internal order).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-convenience-functions.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-relation-functions-object-shapes.html
 * @req CORE-GIS-019 CORE-GIS-020
 */
import type { XY } from './model.js';

const RAD = Math.PI / 180;

/** Great-circle distance on a sphere of radius `r`. @req CORE-GIS-020 */
export function haversine(a: XY, b: XY, r: number): number {
  const lat1 = a.y * RAD, lat2 = b.y * RAD;
  const dlat = lat2 - lat1, dlon = (b.x - a.x) * RAD;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dlon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Andoyer-Lambert distance on an ellipsoid (semi-major axis `a`, flattening `f`). @req CORE-GIS-019 */
export function andoyer(p: XY, q: XY, a: number, f: number): number {
  const lat1 = p.y * RAD, lat2 = q.y * RAD, dlon = (q.x - p.x) * RAD;
  if (p.x === q.x && p.y === q.y) return 0;
  const s1 = Math.sin(lat1), s2 = Math.sin(lat2), c1 = Math.cos(lat1), c2 = Math.cos(lat2);
  let cosD = s1 * s2 + c1 * c2 * Math.cos(dlon);
  cosD = Math.max(-1, Math.min(1, cosD));
  const d = Math.acos(cosD);
  const sinD = Math.sin(d);
  const K = (s1 - s2) ** 2;
  const L = (s1 + s2) ** 2;
  const three = 3 * sinD;
  const H = 1 - cosD === 0 ? 0 : (d + three) / (1 - cosD);
  const G = 1 + cosD === 0 ? 0 : (d - three) / (1 + cosD);
  const dd = -(f / 4) * (H * K + G * L);
  return a * (d + dd);
}

/**
 * Geohash encoding and decoding (base-32 interleaved longitude/latitude bisection), behind
 * ST_GeoHash, ST_LatFromGeoHash, ST_LongFromGeoHash and ST_PointFromGeoHash. Decoding returns
 * the centre of the cell, rounded half away from zero to the fewest decimals that still fall
 * inside the cell, as MySQL does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-geohash-functions.html
 * @req CORE-GIS-030
 */
import type { XY } from './model.js';

const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** Geohash of (longitude, latitude) with `len` characters. */
export function encodeGeohash(lon: number, lat: number, len: number): string {
  let lo = [-180, 180], la = [-90, 90];
  let out = '';
  let bit = 0, ch = 0, even = true;
  while (out.length < len) {
    const r = even ? lo : la;
    const v = even ? lon : lat;
    const mid = (r[0]! + r[1]!) / 2;
    ch <<= 1;
    if (v >= mid) { ch |= 1; r[0] = mid; } else r[1] = mid;
    if (even) lo = r; else la = r;
    even = !even;
    if (++bit === 5) { out += ALPHABET[ch]; bit = 0; ch = 0; }
  }
  return out;
}

/** The cell a geohash names, or null when it has a character outside the alphabet (case-insensitive). */
export function decodeGeohashBox(hash: string): { lon: [number, number]; lat: [number, number] } | null {
  const lon: [number, number] = [-180, 180], lat: [number, number] = [-90, 90];
  let even = true;
  for (const c of hash.toLowerCase()) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return null;
    for (let b = 4; b >= 0; b--) {
      const r = even ? lon : lat;
      const mid = (r[0] + r[1]) / 2;
      if ((v >> b) & 1) r[0] = mid; else r[1] = mid;
      even = !even;
    }
  }
  return { lon, lat };
}

/** The shortest decimal inside [lo, hi] nearest the middle: fewest digits first. */
function roundInCell(lo: number, hi: number): number {
  const mid = (lo + hi) / 2;
  for (let d = 0; d <= 20; d++) {
    const f = 10 ** d;
    const v = (Math.sign(mid) * Math.round(Math.abs(mid) * f)) / f;
    if (v >= lo && v <= hi) return v;
  }
  return mid;
}

/** Decoded position (x = longitude, y = latitude), or null for an invalid hash. */
export function decodeGeohash(hash: string): XY | null {
  if (hash.length === 0) return null;
  const b = decodeGeohashBox(hash);
  if (!b) return null;
  return { x: roundInCell(b.lon[0], b.lon[1]), y: roundInCell(b.lat[0], b.lat[1]) };
}

/**
 * The spatial codecs and algorithms without a server: WKB and internal-format round trips, WKT
 * print/parse round trips, random bytes and random text never crash the decoders (they give a
 * GisDataError, which the functions report as 3037), geohash round trips, and planar measures
 * and relations on hand-made shapes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import type { Geometry, XY } from '../../../src/sql/gis/model.js';
import { decodeInternal, decodeWkb, encodeInternal, encodeWkb, GisDataError } from '../../../src/sql/gis/wkb.js';
import { parseWkt, printWkt } from '../../../src/sql/gis/wkt.js';
import { area, centroid, distance, isSimple, isValid, length, related } from '../../../src/sql/gis/algorithms.js';
import { decodeGeohashBox, encodeGeohash } from '../../../src/sql/gis/geohash.js';
import { andoyer, haversine } from '../../../src/sql/gis/geodesy.js';

const coord = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });
const xy: fc.Arbitrary<XY> = fc.record({ x: coord, y: coord });
const ring: fc.Arbitrary<XY[]> = fc.array(xy, { minLength: 3, maxLength: 6 }).map((ps) => [...ps, { ...ps[0]! }]);
const simple: fc.Arbitrary<Geometry> = fc.oneof(
  xy.map((p): Geometry => ({ type: 'POINT', x: p.x, y: p.y })),
  fc.array(xy, { minLength: 2, maxLength: 6 }).map((points): Geometry => ({ type: 'LINESTRING', points })),
  fc.array(ring, { minLength: 1, maxLength: 3 }).map((rings): Geometry => ({ type: 'POLYGON', rings })),
  fc.array(xy, { minLength: 1, maxLength: 5 }).map((points): Geometry => ({ type: 'MULTIPOINT', points })),
  fc.array(fc.array(xy, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((lines): Geometry => ({ type: 'MULTILINESTRING', lines })),
  fc.array(fc.array(ring, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }).map((polygons): Geometry => ({ type: 'MULTIPOLYGON', polygons })),
);
const geometry: fc.Arbitrary<Geometry> = fc.oneof(
  { weight: 4, arbitrary: simple },
  { weight: 1, arbitrary: fc.array(simple, { maxLength: 4 }).map((geoms): Geometry => ({ type: 'GEOMETRYCOLLECTION', geoms })) },
);

/** -0 prints as "-0" and reads back as -0; compare through the WKB bytes, which keep the sign. */
const bytes = (g: Geometry): string => encodeWkb(g).toString('hex');

function outcome(f: () => unknown): 'ok' | 'invalid' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof GisDataError) return 'invalid';
    throw e;
  }
}

describe('WKB and the internal format', () => {
  it(req(['CORE-GIS-002'], 'unit', 'encode then decode gives the same geometry and SRID (property)'), () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 0, max: 0xffffffff }), (g, srid) => {
        expect(decodeWkb(encodeWkb(g))).toEqual(g);
        const back = decodeInternal(encodeInternal({ srid, g }));
        expect(back.srid).toBe(srid);
        expect(bytes(back.g)).toBe(bytes(g));
      }),
    );
  });

  it(req(['CORE-GIS-002'], 'unit', 'the internal format is the SRID little-endian then little-endian WKB'), () => {
    expect(encodeInternal({ srid: 4326, g: { type: 'POINT', x: 0, y: 1 } }).toString('hex').toUpperCase())
      .toBe('E610000001010000000000000000000000000000000000F03F');
  });

  it(req(['CORE-GIS-003'], 'unit', 'big-endian WKB is read; malformed WKB is refused'), () => {
    expect(decodeWkb(Buffer.from('000000000140000000000000004010000000000000', 'hex'))).toEqual({ type: 'POINT', x: 2, y: 4 });
    const bad = [
      '0101', // truncated
      '0208000000', // bad byte order
      '01e9030000000000000000f03f0000000000000040000000000000f03f', // POINT Z (1001)
      '010200000001000000000000000000f03f0000000000000040', // linestring of one point
      '0101000000000000000000f07f0000000000000000', // infinity
      '0101000000000000000000f03f000000000000004000', // trailing byte
      '010400000000000000', // empty multipoint
      '0102000000ffffffff', // count beyond the input
    ];
    for (const h of bad) expect([h, outcome(() => decodeWkb(Buffer.from(h, 'hex')))]).toEqual([h, 'invalid']);
  });

  it(req(['CORE-GIS-003'], 'unit', 'random bytes never crash the decoder (property)'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(['ok', 'invalid']).toContain(outcome(() => decodeInternal(Buffer.from(b))));
        expect(['ok', 'invalid']).toContain(outcome(() => decodeWkb(Buffer.from(b))));
      }),
      { numRuns: 2000 },
    );
    // structured noise: valid prefixes with a corrupted byte
    fc.assert(
      fc.property(geometry, fc.nat(), fc.integer({ min: 0, max: 255 }), (g, pos, val) => {
        const b = encodeWkb(g);
        b[pos % b.length] = val;
        expect(['ok', 'invalid']).toContain(outcome(() => decodeWkb(b)));
      }),
    );
  });
});

describe('WKT', () => {
  it(req(['CORE-GIS-008', 'CORE-GIS-007#wkt'], 'unit', 'print then parse gives the same geometry (property)'), () => {
    fc.assert(fc.property(geometry, (g) => {
      expect(bytes(parseWkt(printWkt(g)))).toBe(bytes(g));
    }));
  });

  it(req(['CORE-GIS-008'], 'unit', "MySQL's compact WKT layout"), () => {
    expect(printWkt(parseWkt('multipoint(1 1, 2 2)'))).toBe('MULTIPOINT((1 1),(2 2))');
    expect(printWkt(parseWkt('MULTIPOINT((1 1),(2 2))'))).toBe('MULTIPOINT((1 1),(2 2))');
    expect(printWkt(parseWkt('GEOMCOLLECTION()'))).toBe('GEOMETRYCOLLECTION EMPTY');
    expect(printWkt(parseWkt('GeometryCollection(Point(1 2), LineString(0 0, 1e20 -2.5))'))).toBe('GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1e20 -2.5))');
    expect(printWkt(parseWkt('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))'))).toBe('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))');
  });

  it(req(['CORE-GIS-007#e3037'], 'unit', 'random text never crashes the parser (property)'), () => {
    const tokens = fc.constantFrom('POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'GEOMETRYCOLLECTION', 'EMPTY', '(', ')', ',', ' ', '1', '-2.5', '1e400', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(tokens, { maxLength: 30 }).map((t) => t.join(''))), (text) => {
        expect(['ok', 'invalid']).toContain(outcome(() => parseWkt(text)));
      }),
      { numRuns: 2000 },
    );
    for (const t of ['POINT(1)', 'POINT(1 2', 'LINESTRING(0 0)', 'POLYGON((0 0,1 0,1 1,0 1))', 'POLYGON((0 0,1 0,0 0))', 'POINT EMPTY', 'POINT(1 2) x', 'POINT(1e400 0)']) {
      expect([t, outcome(() => parseWkt(t))]).toEqual([t, 'invalid']);
    }
  });
});

describe('measures and relations', () => {
  const w = (t: string): Geometry => parseWkt(t);
  const square = w('POLYGON((0 0,10 0,10 10,0 10,0 0))');

  it(req(['CORE-GIS-014', 'CORE-GIS-015'], 'unit', 'area without holes, length, centroid'), () => {
    expect(area(w('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2))'))).toBe(96);
    expect(length(w('MULTILINESTRING((0 0,3 4),(0 0,0 1))'))).toBe(6);
    expect(centroid(w('POLYGON((0 0,4 0,4 2,0 2,0 0))'))).toEqual({ x: 2, y: 1 });
    expect(centroid(w('MULTIPOINT(0 0,2 2)'))).toEqual({ x: 1, y: 1 });
  });

  it(req(['CORE-GIS-018#relations'], 'unit', 'relations of points, lines and polygons'), () => {
    const cases: [string, string, string, boolean][] = [
      ['contains', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', 'POINT(5 5)', true],
      ['contains', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', 'POINT(0 5)', false],
      ['contains', 'POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2))', 'POINT(3 3)', false],
      ['touches', 'POINT(0 5)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['within', 'LINESTRING(1 1,9 9)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['crosses', 'LINESTRING(0 0,10 10)', 'LINESTRING(0 10,10 0)', true],
      ['crosses', 'LINESTRING(-5 5,5 5)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['overlaps', 'POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POLYGON((1 1,3 1,3 3,1 3,1 1))', true],
      ['overlaps', 'LINESTRING(0 0,2 0)', 'LINESTRING(1 0,3 0)', true],
      ['overlaps', 'POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POLYGON((2 0,4 0,4 2,2 2,2 0))', false],
      ['touches', 'POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POLYGON((2 0,4 0,4 2,2 2,2 0))', true],
      ['equals', 'LINESTRING(0 0,1 1)', 'LINESTRING(1 1,0 0)', true],
      ['equals', 'POLYGON((0 0,1 0,1 1,0 1,0 0))', 'POLYGON((1 0,1 1,0 1,0 0,1 0))', true],
      ['disjoint', 'POINT(20 20)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['intersects', 'LINESTRING(-1 5,1 5)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['within', 'POLYGON((1 1,2 1,2 2,1 2,1 1))', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
      ['contains', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', true],
    ];
    for (const [rel, a, b, want] of cases) expect([rel, a, b, related(rel as 'contains', w(a), w(b))]).toEqual([rel, a, b, want]);
    expect(distance(w('LINESTRING(0 0,10 0)'), w('POINT(5 5)'))).toBe(5);
    expect(distance(square, w('POINT(5 5)'))).toBe(0);
  });

  it(req(['CORE-GIS-013', 'CORE-GIS-025'], 'unit', 'simplicity and validity'), () => {
    expect(isSimple(w('LINESTRING(0 0,2 2,0 2,2 0)'))).toBe(false);
    expect(isSimple(w('LINESTRING(0 0,1 0,1 1,0 0)'))).toBe(true);
    expect(isValid(w('POLYGON((0 0,1 1,0 1,1 0,0 0))'))).toBe(false);
    expect(isValid(square)).toBe(true);
    expect(isValid(w('POLYGON((0 0,10 0,10 10,0 10,0 0),(20 20,21 20,21 21,20 20))'))).toBe(false);
  });

  it(req(['CORE-GIS-019', 'CORE-GIS-020'], 'unit', 'ellipsoidal and spherical distances'), () => {
    // The manual's example for ST_Distance in SRID 4326.
    expect(andoyer({ x: 1, y: 1 }, { x: 2, y: 2 }, 6378137, 1 / 298.257223563)).toBe(156874.3859490455);
    expect(haversine({ x: 0, y: 0 }, { x: 180, y: 0 }, 6370986)).toBeCloseTo(Math.PI * 6370986, 6);
  });

  it(req(['CORE-GIS-030'], 'unit', 'a geohash names a cell holding the encoded position (property)'), () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), fc.integer({ min: 1, max: 20 }), (lon, lat, len) => {
        const h = encodeGeohash(lon, lat, len);
        expect(h).toHaveLength(len);
        const box = decodeGeohashBox(h)!;
        expect(lon >= box.lon[0] && lon <= box.lon[1]).toBe(true);
        expect(lat >= box.lat[0] && lat <= box.lat[1]).toBe(true);
      }),
    );
  });
});

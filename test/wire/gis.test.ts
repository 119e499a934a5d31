/**
 * Spatial types and ST_* functions over the wire: geometry columns (classes, SRID attribute,
 * 1416 / 3643), the internal format and type code 255 as mysql2 sees them, WKT/WKB/GeoJSON
 * import and export, latitude-first axis order of SRID 4326, accessors, measures, relations,
 * distances, geohash, and MySQL's errors (3037, 3033, 3516, 3548, 3617, 1582).
 * Expected values are MySQL 8.0's (manual examples and mysql-test/suite/gis results).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { firstRow, queryError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const row = (sql: string): Promise<unknown[]> => firstRow(c, sql);

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE gis');
  await c.query('USE gis');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('geometry columns', () => {
  it(req(['CORE-GIS-001#types', 'CORE-GIS-004#show'], 'wire', 'every class is a column type; SHOW CREATE TABLE prints class and SRID'), async () => {
    await c.query(`CREATE TABLE cols (g GEOMETRY, p POINT NOT NULL SRID 4326, l LINESTRING, a POLYGON SRID 0, mp MULTIPOINT,
      ml MULTILINESTRING, ma MULTIPOLYGON, gc GEOMETRYCOLLECTION, gc2 GEOMCOLLECTION)`);
    const [[r]] = (await c.query('SHOW CREATE TABLE cols')) as unknown as [{ 'Create Table': string }[]];
    expect(r!['Create Table']).toBe(
      'CREATE TABLE `cols` (\n' +
        '  `g` geometry DEFAULT NULL,\n' +
        '  `p` point NOT NULL /*!80003 SRID 4326 */,\n' +
        '  `l` linestring DEFAULT NULL,\n' +
        '  `a` polygon /*!80003 SRID 0 */ DEFAULT NULL,\n' +
        '  `mp` multipoint DEFAULT NULL,\n' +
        '  `ml` multilinestring DEFAULT NULL,\n' +
        '  `ma` multipolygon DEFAULT NULL,\n' +
        '  `gc` geomcollection DEFAULT NULL,\n' +
        '  `gc2` geomcollection DEFAULT NULL\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
  });

  it(req(['CORE-GIS-004#e1416', 'CORE-GIS-004#e3643', 'CORE-GIS-006#e3548'], 'wire', 'wrong class or no geometry is 1416; another SRID is 3643; an unknown SRID is 3548'), async () => {
    await c.query('CREATE TABLE pts (id INT PRIMARY KEY, p POINT NOT NULL SRID 4326, l LINESTRING)');
    await c.query("INSERT INTO pts VALUES (1, ST_GeomFromText('POINT(10 20)', 4326), NULL)");
    expect(await queryError(c, "INSERT INTO pts VALUES (2, ST_GeomFromText('POINT(1 2)', 4326), POINT(1, 1))")).toEqual({
      errno: 1416, message: 'Cannot get geometry object from data you send to the GEOMETRY field',
    });
    expect((await queryError(c, "INSERT INTO cols (g, p) VALUES (x'D20400000101000000000000000000F03F0000000000000040', ST_GeomFromText('POINT(1 2)', 4326))")).errno).toBe(3548);
    expect(await queryError(c, "INSERT INTO pts VALUES (3, 'not a geometry', NULL)")).toEqual({
      errno: 1416, message: 'Cannot get geometry object from data you send to the GEOMETRY field',
    });
    expect(await queryError(c, 'INSERT INTO pts VALUES (4, POINT(1, 2), NULL)')).toEqual({
      errno: 3643,
      message: "The SRID of the geometry does not match the SRID of the column 'p'. The SRID of the geometry is 0, but the SRID of the column is 4326. Consider changing the SRID of the geometry or the SRID property of the column.",
    });
    expect(await row('SELECT COUNT(*), ST_AsText(MAX(p)) FROM pts')).toEqual([1, 'POINT(10 20)']);
  });

  it(req(['CORE-GIS-004#alter'], 'wire', 'ALTER TABLE to another class or SRID checks the stored values'), async () => {
    await c.query('CREATE TABLE alt (id INT PRIMARY KEY, p POINT)');
    await c.query('INSERT INTO alt VALUES (1, POINT(9, 2))');
    expect((await queryError(c, 'ALTER TABLE alt MODIFY p POINT SRID 4326')).errno).toBe(3643);
    expect((await queryError(c, 'ALTER TABLE alt MODIFY p LINESTRING')).errno).toBe(1416);
    await c.query('ALTER TABLE alt MODIFY p GEOMETRY NOT NULL SRID 0');
    expect(await row('SELECT ST_AsText(p) FROM alt')).toEqual(['POINT(9 2)']);
  });

  it(req(['CORE-GIS-001#wire', 'CORE-GIS-002'], 'wire', 'geometry values arrive with type 255 as the internal-format bytes'), async () => {
    const [rows, fields] = await c.query({
      sql: 'SELECT p FROM pts',
      typeCast: (field: { type: string; buffer(): Buffer | null }, next: () => unknown) => (field.type === 'GEOMETRY' ? field.buffer() : next()),
    } as mysql.QueryOptions);
    expect((fields as mysql.FieldPacket[])[0]!.columnType).toBe(255);
    // SRID 4326 little-endian, then WKB: longitude 20 first internally, latitude 10 second
    expect(((rows as { p: Buffer }[])[0]!.p).toString('hex').toUpperCase()).toBe('E6100000010100000000000000000034400000000000002440');
    const [plain] = await c.query('SELECT POINT(3, 4) AS g');
    expect((plain as { g: unknown }[])[0]!.g).toEqual({ x: 3, y: 4 });
  });

  it(req(['CORE-GIS-006#e3548', 'CORE-GIS-006#e1221', 'CORE-GIS-023'], 'wire', 'an unknown SRID attribute is 3548, SRID on a non-geometry column 1221; a SPATIAL index is refused with 1464'), async () => {
    expect(await queryError(c, 'CREATE TABLE bad2 (a INT SRID 0)')).toEqual({ errno: 1221, message: 'Incorrect usage of SRID and non-geometry column' });
    expect(await queryError(c, 'CREATE TABLE bad (g POINT SRID 1234)')).toEqual({ errno: 3548, message: "There's no spatial reference system with SRID 1234." });
    expect((await queryError(c, 'CREATE TABLE sp (g POINT NOT NULL SRID 0, SPATIAL INDEX (g))')).errno).toBe(1464);
  });
});

describe('information_schema', () => {
  it(req(['CORE-GIS-026'], 'wire', 'ST_SPATIAL_REFERENCE_SYSTEMS, ST_GEOMETRY_COLUMNS and COLUMNS.SRS_ID'), async () => {
    await c.query('CREATE TABLE isg (id INT, p POINT NOT NULL SRID 4326, g GEOMETRY)');
    const [srs] = await c.query({ sql: 'SELECT SRS_ID, SRS_NAME, ORGANIZATION FROM information_schema.ST_SPATIAL_REFERENCE_SYSTEMS ORDER BY SRS_ID', rowsAsArray: true });
    expect(srs).toEqual([[3857, 'WGS 84 / Pseudo-Mercator', 'EPSG'], [4326, 'WGS 84', 'EPSG']]);
    const [cols] = await c.query({
      sql: "SELECT COLUMN_NAME, SRS_NAME, SRS_ID, GEOMETRY_TYPE_NAME FROM information_schema.ST_GEOMETRY_COLUMNS WHERE TABLE_SCHEMA = 'gis' AND TABLE_NAME = 'isg' ORDER BY COLUMN_NAME",
      rowsAsArray: true,
    });
    expect(cols).toEqual([['g', null, null, 'geometry'], ['p', 'WGS 84', 4326, 'point']]);
    const [c2] = await c.query({ sql: "SELECT DATA_TYPE, SRS_ID FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'gis' AND TABLE_NAME = 'isg' AND COLUMN_NAME = 'p'", rowsAsArray: true });
    expect(c2).toEqual([['point', 4326]]);
  });
});

describe('import and export', () => {
  it(req(['CORE-GIS-007#wkt', 'CORE-GIS-008'], 'wire', 'WKT in, compact WKT out, numbers as MySQL prints doubles'), async () => {
    expect(await row(`SELECT ST_AsText(ST_GeomFromText(' linestring( 0 0 , 1 1 ) ')),
      ST_AsText(ST_GeometryFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')),
      ST_AsText(ST_MPointFromText('MULTIPOINT(1 1, 2 2)')), ST_AsWKT(ST_GeomCollFromText('GEOMETRYCOLLECTION EMPTY')),
      ST_AsText(Point(1e20, 0.000001)), ST_AsText(ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))'))`)).toEqual([
      'LINESTRING(0 0,1 1)', 'POLYGON((0 0,10 0,10 10,0 10,0 0))', 'MULTIPOINT((1 1),(2 2))', 'GEOMETRYCOLLECTION EMPTY',
      'POINT(1e20 1e-6)', 'GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))',
    ]);
  });

  it(req(['CORE-GIS-007#wkb', 'CORE-GIS-002'], 'wire', 'WKB in and out; HEX of a constructed value is the internal format'), async () => {
    expect(await row(`SELECT HEX(ST_AsBinary(POINT(1, 2))), ST_AsText(ST_GeomFromWKB(ST_AsWKB(ST_GeomFromText('LINESTRING(0 0,1 1)')))),
      ST_AsText(ST_GeomFromWKB(x'000000000140000000000000004010000000000000')), HEX(ST_GeomFromText('POINT(1 0)', 3857)),
      ST_SRID(ST_GeomFromWKB(ST_AsBinary(POINT(1, 2)), 3857))`)).toEqual([
      '0101000000000000000000F03F0000000000000040', 'LINESTRING(0 0,1 1)', 'POINT(2 4)', '110F00000101000000000000000000F03F0000000000000000', 3857,
    ]);
  });

  it(req(['CORE-GIS-007#e3037', 'CORE-GIS-003'], 'wire', 'malformed WKT or WKB and the wrong class are 3037 naming the function'), async () => {
    const cases: [string, string][] = [
      ["SELECT ST_GeomFromText('POINT(1)')", 'st_geomfromtext'],
      ["SELECT ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1))')", 'st_geomfromtext'],
      ["SELECT ST_GeomFromText('POINT(1 2) junk')", 'st_geomfromtext'],
      ["SELECT ST_PointFromText('LINESTRING(0 0,1 1)')", 'st_pointfromtext'],
      ["SELECT ST_GeomFromWKB(x'0101')", 'st_geomfromwkb'],
      ["SELECT ST_AsText(x'000000000123456789abcdef')", 'st_astext'],
      ["SELECT ST_X(x'000000000123456789abcdef')", 'st_x'],
    ];
    for (const [sql, fn] of cases) expect([sql, await queryError(c, sql)]).toEqual([sql, { errno: 3037, message: `Invalid GIS data provided to function ${fn}.` }]);
  });

  it(req(['CORE-GIS-003', 'CORE-GIS-007#e3037'], 'wire', 'random bytes and random text give a geometry or 3037, never a broken connection (property)'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 60 }), fc.string({ maxLength: 40 }), async (bytes, text) => {
        for (const sql of [`SELECT ST_AsText(ST_GeomFromWKB(x'${Buffer.from(bytes).toString('hex')}'))`, `SELECT ST_AsText(ST_GeomFromText(${c.escape(text)}))`]) {
          try {
            const [rows] = await c.query({ sql, rowsAsArray: true });
            expect(typeof (rows as unknown[][])[0]![0]).toBe('string');
          } catch (e) {
            expect([sql, (e as { errno: number }).errno]).toEqual([sql, 3037]);
          }
        }
      }),
      { numRuns: 60, seed: 12 },
    );
    expect(await row('SELECT 1')).toEqual([1]);
  });

  it(req(['CORE-GIS-010', 'CORE-GIS-006#range'], 'wire', 'SRID 4326 reads and prints latitude first; axis-order option; latitude range'), async () => {
    expect(await row(`SELECT ST_AsText(ST_GeomFromText('POINT(10 20)', 4326)), ST_Latitude(ST_GeomFromText('POINT(10 20)', 4326)),
      ST_Longitude(ST_GeomFromText('POINT(10 20)', 4326)), ST_AsText(ST_GeomFromText('POINT(10 20)', 4326), 'axis-order=long-lat'),
      ST_Latitude(ST_GeomFromText('POINT(10 20)', 4326, 'axis-order=long-lat'))`)).toEqual(['POINT(10 20)', 10, 20, 'POINT(20 10)', 20]);
    expect(await queryError(c, "SELECT ST_GeomFromText('POINT(91 0)', 4326)")).toEqual({
      errno: 3617, message: 'Latitude 91.000000 is out of range in function st_geomfromtext. It must be within [-90.000000, 90.000000].',
    });
    expect(await queryError(c, "SELECT ST_GeomFromText('POINT(0 0)', 4326, 'foo=bar')")).toEqual({ errno: 3558, message: "Invalid option key 'foo' in function st_geomfromtext." });
    expect(await queryError(c, "SELECT ST_GeomFromText('POINT(0 0)', 1234)")).toEqual({ errno: 3548, message: "There's no spatial reference system with SRID 1234." });
  });

  it(req(['CORE-GIS-009'], 'wire', 'GeoJSON out and in'), async () => {
    expect(await row(`SELECT CAST(ST_AsGeoJSON(POINT(1, 2)) AS CHAR), CAST(ST_AsGeoJSON(ST_GeomFromText('POINT(11.11111 12.22222)'), 2) AS CHAR),
      CAST(ST_AsGeoJSON(ST_GeomFromText('LINESTRING(0 0,1 2)'), 0, 1) AS CHAR),
      ST_AsText(ST_GeomFromGeoJSON('{"type":"LineString","coordinates":[[1,2],[3,4]]}', 1, 0)),
      ST_SRID(ST_GeomFromGeoJSON('{"type":"Point","coordinates":[1,2]}'))`)).toEqual([
      '{"type": "Point", "coordinates": [1.0, 2.0]}', '{"type": "Point", "coordinates": [11.11, 12.22]}',
      '{"bbox": [0.0, 0.0, 1.0, 2.0], "type": "LineString", "coordinates": [[0.0, 0.0], [1.0, 2.0]]}', 'LINESTRING(1 2,3 4)', 4326,
    ]);
    expect(await queryError(c, `SELECT ST_GeomFromGeoJSON('{"type":"Point"}')`)).toEqual({
      errno: 3070, message: "Invalid GeoJSON data provided to function st_geomfromgeojson: Missing required member 'coordinates'",
    });
  });
});

describe('constructors and accessors', () => {
  it(req(['CORE-GIS-011'], 'wire', 'Point, LineString, Polygon, Multi* and GeometryCollection constructors'), async () => {
    expect(await row(`SELECT ST_AsText(LineString(Point(0, 0), Point(1, 1))),
      ST_AsText(Polygon(LineString(Point(0, 0), Point(1, 0), Point(1, 1), Point(0, 0)))),
      ST_AsText(MultiPoint(Point(1, 1), Point(2, 2))), ST_AsText(GeometryCollection(Point(1, 1), LineString(Point(0, 0), Point(1, 1)))),
      ST_AsText(GeomCollection())`)).toEqual([
      'LINESTRING(0 0,1 1)', 'POLYGON((0 0,1 0,1 1,0 0))', 'MULTIPOINT((1 1),(2 2))', 'GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))', 'GEOMETRYCOLLECTION EMPTY',
    ]);
    expect((await queryError(c, 'SELECT LineString(Point(0, 0), ST_GeomFromText(\'LINESTRING(0 0,1 1)\'))')).errno).toBe(3037);
    expect((await queryError(c, "SELECT LineString(Point(0, 0), ST_GeomFromText('POINT(1 1)', 4326))")).errno).toBe(3033);
  });

  it(req(['CORE-GIS-012#xy', 'CORE-GIS-012#srid'], 'wire', 'ST_X / ST_Y getters and setters, ST_SRID, ST_GeometryType'), async () => {
    expect(await row(`SELECT ST_X(POINT(1, 2)), ST_Y(POINT(1, 2)), ST_X(ST_GeomFromText('POINT(1 0)', 4326)),
      HEX(ST_X(ST_GeomFromText('POINT(0 0)', 0), 1)), HEX(ST_X(ST_GeomFromText('POINT(0 0)', 4326), 1)),
      ST_SRID(POINT(1, 2)), ST_SRID(ST_SRID(POINT(1, 2), 4326)), ST_GeometryType(ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1))')),
      ST_GeometryType(POINT(1, 1))`)).toEqual([
      1, 2, 1, '000000000101000000000000000000F03F0000000000000000', 'E610000001010000000000000000000000000000000000F03F', 0, 4326, 'GEOMCOLLECTION', 'POINT',
    ]);
    expect(await queryError(c, "SELECT ST_X(ST_GeomFromText('POINT(0 0)', 4326), 90.000000001)")).toEqual({
      errno: 3617, message: 'Latitude 90.000000 is out of range in function st_x. It must be within [-90.000000, 90.000000].',
    });
    expect((await queryError(c, 'SELECT ST_Latitude(POINT(1, 2))')).errno).toBe(3726);
  });

  it(req(['CORE-GIS-012#e3516'], 'wire', 'a non-point given to ST_X is 3516 naming both classes'), async () => {
    expect(await queryError(c, "SELECT ST_X(ST_GeomFromText('GEOMETRYCOLLECTION(POINT(0 0))'))")).toEqual({
      errno: 3516, message: 'POINT value is a geometry of unexpected type GEOMCOLLECTION in st_x.',
    });
  });

  it(req(['CORE-GIS-013'], 'wire', 'properties and parts'), async () => {
    const ls = "ST_GeomFromText('LINESTRING(0 0,1 1,2 2)')";
    const poly = "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2))')";
    expect(await row(`SELECT ST_NumPoints(${ls}), ST_AsText(ST_PointN(${ls}, 2)), ST_PointN(${ls}, 9), ST_AsText(ST_StartPoint(${ls})),
      ST_AsText(ST_EndPoint(${ls})), ST_IsClosed(${ls}), ST_AsText(ST_ExteriorRing(${poly})), ST_NumInteriorRings(${poly}),
      ST_AsText(ST_InteriorRingN(${poly}, 1)), ST_Dimension(${poly}), ST_IsEmpty(ST_GeomFromText('GEOMETRYCOLLECTION()')),
      ST_NumGeometries(ST_GeomFromText('MULTIPOINT(1 1,2 2)')), ST_AsText(ST_GeometryN(ST_GeomFromText('MULTIPOINT(1 1,2 2)'), 2)),
      ST_IsSimple(ST_GeomFromText('LINESTRING(0 0,2 2,0 2,2 0)'))`)).toEqual([
      3, 'POINT(1 1)', null, 'POINT(0 0)', 'POINT(2 2)', 0, 'LINESTRING(0 0,10 0,10 10,0 10,0 0)', 1, 'LINESTRING(2 2,4 2,4 4,2 4,2 2)', 2, 1, 2, 'POINT(2 2)', 0,
    ]);
  });

  it(req(['CORE-GIS-021', 'CORE-GIS-022'], 'wire', 'NULL arguments give NULL; a wrong argument count is 1582'), async () => {
    expect(await row('SELECT ST_AsText(NULL), ST_GeomFromText(NULL), ST_X(NULL), ST_Distance(NULL, POINT(1, 1)), ST_X(POINT(1, 1), NULL), Point(NULL, 1)')).toEqual([
      null, null, null, null, null, null,
    ]);
    expect(await queryError(c, 'SELECT ST_GeomFromText()')).toEqual({ errno: 1582, message: "Incorrect parameter count in the call to native function 'ST_GEOMFROMTEXT'" });
    expect((await queryError(c, 'SELECT ST_X(POINT(1, 1), 2, 3)')).errno).toBe(1582);
  });
});

describe('measures and relations', () => {
  it(req(['CORE-GIS-014', 'CORE-GIS-015', 'CORE-GIS-016'], 'wire', 'ST_Area, ST_Length, ST_Centroid, ST_Envelope'), async () => {
    expect(await row(`SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,4 2,4 4,2 4,2 2))')),
      ST_Length(ST_GeomFromText('LINESTRING(0 0,3 4)')), ST_AsText(ST_Centroid(ST_GeomFromText('POLYGON((0 0,4 0,4 2,0 2,0 0))'))),
      ST_AsText(ST_Envelope(ST_GeomFromText('LINESTRING(1 1,3 5)'))), ST_AsText(ST_Envelope(ST_GeomFromText('LINESTRING(1 1,1 5)'))),
      ST_AsText(ST_Envelope(POINT(1, 1)))`)).toEqual([96, 5, 'POINT(2 1)', 'POLYGON((1 1,3 1,3 5,1 5,1 1))', 'LINESTRING(1 1,1 5)', 'POINT(1 1)']);
  });

  it(req(['CORE-GIS-017'], 'wire', 'MBR relations'), async () => {
    const sq = "ST_GeomFromText('POLYGON((0 0,3 0,3 3,0 3,0 0))')";
    expect(await row(`SELECT MBRContains(${sq}, POINT(1, 1)), MBRContains(${sq}, POINT(5, 5)), MBRWithin(POINT(1, 1), ${sq}),
      MBRIntersects(POINT(1, 1), ST_GeomFromText('LINESTRING(0 0,2 2)')), MBRDisjoint(POINT(5, 5), ${sq}), MBREquals(${sq}, ${sq}),
      MBRTouches(${sq}, ST_GeomFromText('POLYGON((3 0,4 0,4 3,3 3,3 0))')), MBROverlaps(${sq}, ST_GeomFromText('POLYGON((1 1,4 1,4 4,1 4,1 1))')),
      MBRCovers(${sq}, POINT(0, 0)), MBRCoveredBy(POINT(0, 0), ${sq}), MBRContains(${sq}, POINT(0, 0))`)).toEqual([1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it(req(['CORE-GIS-018#relations'], 'wire', 'exact relations of points, lines and polygons'), async () => {
    const sq = "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')";
    expect(await row(`SELECT ST_Contains(${sq}, POINT(5, 5)), ST_Contains(${sq}, POINT(0, 5)), ST_Within(POINT(5, 5), ${sq}),
      ST_Touches(POINT(0, 5), ${sq}), ST_Intersects(POINT(0, 5), ${sq}), ST_Disjoint(POINT(20, 20), ${sq}),
      ST_Crosses(ST_GeomFromText('LINESTRING(0 0,10 10)'), ST_GeomFromText('LINESTRING(0 10,10 0)')),
      ST_Overlaps(ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))'), ST_GeomFromText('POLYGON((1 1,3 1,3 3,1 3,1 1))')),
      ST_Equals(ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_GeomFromText('LINESTRING(1 1,0 0)')),
      ST_Touches(ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))'), ST_GeomFromText('POLYGON((2 0,4 0,4 2,2 2,2 0))'))`)).toEqual([
      1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
    ]);
  });

  it(req(['CORE-GIS-018#e3033', 'CORE-GIS-019'], 'wire', 'ST_Distance: planar, geographic (manual example), different SRIDs 3033'), async () => {
    expect(await row(`SELECT ST_Distance(ST_GeomFromText('LINESTRING(0 0,10 0)'), POINT(5, 5)), ST_Distance(POINT(0, 0), POINT(3, 4)),
      ST_Distance(ST_GeomFromText('POINT(1 1)', 4326), ST_GeomFromText('POINT(2 2)', 4326))`)).toEqual([5, 5, 156874.3859490455]);
    expect(await queryError(c, "SELECT ST_Contains(POINT(0, 0), ST_GeomFromText('POINT(1 1)', 4326))")).toEqual({
      errno: 3033, message: 'Binary geometry function st_contains given two geometries of different srids: 0 and 4326, which should have been identical.',
    });
  });

  it(req(['CORE-GIS-020'], 'wire', 'ST_Distance_Sphere'), async () => {
    const [d1, d2] = await row('SELECT ST_Distance_Sphere(POINT(0, 0), POINT(180, 0)), ST_Distance_Sphere(POINT(0, 0), POINT(0, 1), 1000)');
    expect(d1).toBeCloseTo(20015042.813723423, 6);
    expect(d2).toBeCloseTo(17.453292519943293, 9);
    expect(await queryError(c, "SELECT ST_Distance_Sphere(POINT(0, 0), ST_GeomFromText('LINESTRING(0 0,1 1)'))")).toEqual({
      errno: 3034, message: 'Calling geometry function st_distance_sphere with unsupported types of arguments.',
    });
  });

  it(req(['CORE-GIS-024', 'CORE-GIS-025'], 'wire', 'ST_SwapXY, ST_IsValid, ST_Validate'), async () => {
    expect(await row(`SELECT ST_AsText(ST_SwapXY(ST_GeomFromText('LINESTRING(1 2,3 4)'))),
      ST_IsValid(ST_GeomFromText('POLYGON((0 0,1 1,0 1,1 0,0 0))')), ST_IsValid(ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')),
      ST_Validate(ST_GeomFromText('POLYGON((0 0,1 1,0 1,1 0,0 0))')), ST_AsText(ST_Validate(POINT(1, 1)))`)).toEqual([
      'LINESTRING(2 1,4 3)', 0, 1, null, 'POINT(1 1)',
    ]);
  });

  it(req(['CORE-GIS-030'], 'wire', "geohash functions give MySQL's results"), async () => {
    expect(await row(`SELECT ST_LongFromGeoHash('0'), ST_LatFromGeoHash('0'), ST_LongFromGeoHash('0123456789'), ST_LatFromGeoHash('0123456789'),
      ST_LongFromGeoHash('zzzzzzzzzzzzzzzzzzzz'), ST_LongFromGeoHash('0123456789BCDEFGHJKMNPQRSTUVWXYZ'), ST_GeoHash(180, 0, 10),
      ST_AsText(ST_PointFromGeoHash('s000', 0))`)).toEqual([-158, -68, -179.55743, -82.774507, 180, -179.55743439816956, 'xbpbpbpbpb', 'POINT(0 0)']);
    expect(await queryError(c, "SELECT ST_LongFromGeoHash('0123a45')")).toEqual({ errno: 1411, message: "Incorrect geohash value: '0123a45' for function ST_LONGFROMGEOHASH" });
  });
});

/**
 * JSON_TABLE in the FROM clause and the JSON Schema functions over the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string): Promise<unknown[]> {
  const [rows] = await c.query({ sql, rowsAsArray: true });
  return rows as unknown[];
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE jt');
  await c.query('USE jt');
  await c.query('CREATE TABLE docs (id INT PRIMARY KEY, doc JSON)');
  await c.query(`INSERT INTO docs VALUES (1, '[{"x": 1, "y": "a"}, {"x": 2, "y": "b"}]'), (2, '[{"x": 3}]'), (3, '[]'), (4, NULL)`);
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('JSON_TABLE', () => {
  it(req('CORE-FN-033', 'wire', 'manual example: ordinality, DEFAULT ON EMPTY / ON ERROR, JSON and EXISTS PATH columns'), async () => {
    const rows = await q(`SELECT * FROM JSON_TABLE('[{"a":"3"},{"a":2},{"b":1},{"a":0},{"a":[1,2]}]', "$[*]" COLUMNS(
      rowid FOR ORDINALITY,
      ac VARCHAR(100) PATH "$.a" DEFAULT '111' ON EMPTY DEFAULT '999' ON ERROR,
      aj JSON PATH "$.a" DEFAULT '{"x": 333}' ON EMPTY,
      bx INT EXISTS PATH "$.b")) AS tt`);
    expect(rows).toEqual([
      [1, '3', '3', 0],
      [2, '2', 2, 0],
      [3, '111', { x: 333 }, 1],
      [4, '0', 0, 0],
      [5, '999', [1, 2], 0],
    ]);
  });

  it(req('CORE-FN-033', 'wire', 'column metadata: names and declared types, AS optional before the alias'), async () => {
    const [rows, fields] = await c.query(`SELECT * FROM JSON_TABLE('[1.5]', '$[*]' COLUMNS(n FOR ORDINALITY, d DECIMAL(5,2) PATH '$', s CHAR(3) PATH '$')) t`);
    expect(fields.map((f) => f.name)).toEqual(['n', 'd', 's']);
    expect(rows).toEqual([{ n: 1, d: '1.50', s: '1.5' }]);
  });

  it(req('CORE-FN-036', 'wire', 'NESTED PATH: parent values repeat, sibling nested paths take turns, an empty nested path leaves NULLs'), async () => {
    const rows = await q(`SELECT * FROM JSON_TABLE('[{"a": 1, "b": [10, 20], "c": ["x"]}, {"a": 2}]', '$[*]' COLUMNS(
      a INT PATH '$.a',
      NESTED PATH '$.b[*]' COLUMNS (b INT PATH '$', bn FOR ORDINALITY),
      NESTED '$.c[*]' COLUMNS (c VARCHAR(5) PATH '$'))) AS jt`);
    expect(rows).toEqual([
      [1, 10, 1, null],
      [1, 20, 2, null],
      [1, null, null, 'x'],
      [2, null, null, null],
    ]);
    // nested inside nested beside a sibling, as in MySQL's own json_table test
    const deep = await q(`SELECT * FROM JSON_TABLE('[{"a":"3", "n": [{"ll":["b1","b2","b3"]}, {"ll": ["a1","a2"]}, {"ll":["c"]}]}]', '$[*]' COLUMNS (
      id1 FOR ORDINALITY, jpath VARCHAR(100) PATH '$.a', jexst INT EXISTS PATH '$.b',
      NESTED PATH '$.n[*]' COLUMNS (id2 FOR ORDINALITY, NESTED PATH '$.ll[*]' COLUMNS (id3 FOR ORDINALITY, jpath_3 VARCHAR(50) PATH '$')),
      NESTED PATH '$.n[*]' COLUMNS (id4 FOR ORDINALITY, jpath_4 JSON PATH '$'))) AS tt`);
    expect(deep).toEqual([
      [1, '3', 0, 1, 1, 'b1', null, null],
      [1, '3', 0, 1, 2, 'b2', null, null],
      [1, '3', 0, 1, 3, 'b3', null, null],
      [1, '3', 0, 2, 1, 'a1', null, null],
      [1, '3', 0, 2, 2, 'a2', null, null],
      [1, '3', 0, 3, 1, 'c', null, null],
      [1, '3', 0, null, null, null, 1, { ll: ['b1', 'b2', 'b3'] }],
      [1, '3', 0, null, null, null, 2, { ll: ['a1', 'a2'] }],
      [1, '3', 0, null, null, null, 3, { ll: ['c'] }],
    ]);
  });

  it(req('CORE-FN-035', 'wire', 'lateral reference to an earlier table of the FROM clause, joins and WHERE on the columns'), async () => {
    expect(await q(`SELECT d.id, jt.x, jt.y FROM docs d, JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x', y CHAR(1) PATH '$.y')) AS jt ORDER BY d.id, jt.x`)).toEqual([
      [1, 1, 'a'],
      [1, 2, 'b'],
      [2, 3, null],
    ]);
    expect(await q(`SELECT d.id, jt.x FROM docs d LEFT JOIN JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x')) AS jt ON TRUE WHERE d.id > 1 ORDER BY d.id`)).toEqual([
      [2, 3],
      [3, null],
      [4, null],
    ]);
    expect(await q(`SELECT d.id, SUM(jt.x) FROM docs d JOIN JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x')) jt WHERE jt.x > 1 GROUP BY d.id ORDER BY d.id`)).toEqual([
      [1, '2'],
      [2, '3'],
    ]);
  });

  it(req('CORE-FN-035', 'wire', 'outer reference from a subquery and a document from a user variable'), async () => {
    expect(await q(`SELECT id, (SELECT COUNT(*) FROM JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x')) jt) AS n FROM docs d ORDER BY id`)).toEqual([
      [1, 2],
      [2, 1],
      [3, 0],
      [4, 0],
    ]);
    await c.query(`SET @j = '{"k": [5, 6]}'`);
    expect(await q(`SELECT v FROM JSON_TABLE(@j, '$.k[*]' COLUMNS (v INT PATH '$')) AS t`)).toEqual([[5], [6]]);
  });

  it(req('CORE-FN-034', 'wire', 'ON EMPTY / ON ERROR: NULL by default, ERROR gives 3665 / 3666 / the conversion error'), async () => {
    expect(await q(`SELECT * FROM JSON_TABLE('[{"a": "x"}, {"a": {"b": 1}}, {}]', '$[*]' COLUMNS (a INT PATH '$.a')) jt`)).toEqual([[null], [null], [null]]);
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[{}]', '$[*]' COLUMNS (a INT PATH '$.a' ERROR ON EMPTY)) jt`))).toEqual({
      errno: 3665, sqlState: '22035', message: "Missing value for JSON_TABLE column 'a'",
    });
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[{"a": [1]}]', '$[*]' COLUMNS (a INT PATH '$.a' ERROR ON ERROR)) jt`))).toEqual({
      errno: 3666, sqlState: '2203F', message: "Can't store an array or an object in the scalar JSON_TABLE column 'a'",
    });
    const e = await errorOf(c.query(`SELECT * FROM JSON_TABLE('[{"a": "x"}]', '$[*]' COLUMNS (a INT PATH '$.a' ERROR ON ERROR)) jt`));
    expect(e.errno).toBe(1366);
    // from MySQL's own json_table test: an out-of-range number, a string too long for CHAR(6)
    expect(await q(`SELECT * FROM JSON_TABLE('[3.14159]', '$[*]' COLUMNS (d DECIMAL(3,3) PATH '$')) AS t`)).toEqual([[null]]);
    expect(await q(`SELECT * FROM JSON_TABLE('["3.14159"]', '$[*]' COLUMNS (s CHAR(6) PATH '$')) AS t`)).toEqual([[null]]);
    expect(await q(`SELECT * FROM JSON_TABLE('[0.9]', '$[*]' COLUMNS (d DECIMAL(3,3) PATH '$')) AS t`)).toEqual([['0.900']]);
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[3.14159]', '$[*]' COLUMNS (d DECIMAL(3,3) PATH '$' ERROR ON ERROR)) AS t`))).toEqual({
      errno: 3669, sqlState: '22003', message: "Value is out of range for JSON_TABLE's column 'd'",
    });
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('{"a": "1993-01-01"}', '$' COLUMNS (jp DATE PATH '$.b' DEFAULT '1000' ON EMPTY)) AS jt`))).toEqual({
      errno: 3669, sqlState: '22003', message: "Value is out of range for JSON_TABLE's column 'jp'",
    });
  });

  it(req('CORE-FN-033', 'wire', 'errors: missing alias 3667, bad document 3141, bad path 3143, unknown column 1054, later table 1109, RIGHT JOIN lateral reference 3668, duplicate column 1060, DEFAULT not JSON 1067, UPDATE of the table function 1288'), async () => {
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (x INT PATH '$'))`))).toEqual({
      errno: 3667, sqlState: '42000', message: 'Every table function must have an alias',
    });
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('!#@$!@#$', '$[*]' COLUMNS (x INT PATH '$')) jt`))).toEqual({
      errno: 3141, sqlState: '22032', message: 'Invalid JSON text in argument 1 to function json_table: "Invalid value." at position 0.',
    });
    expect((await errorOf(c.query(`SELECT * FROM JSON_TABLE('[1]', '$[' COLUMNS (x INT PATH '$')) jt`))).errno).toBe(3143);
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$')) jt, docs d`))).toEqual({
      errno: 1109, sqlState: '42S02', message: "Unknown table 'd' in a table function argument",
    });
    expect((await errorOf(c.query(`SELECT * FROM JSON_TABLE(nosuch, '$[*]' COLUMNS (x INT PATH '$')) jt`))).errno).toBe(1054);
    expect(await errorOf(c.query(`UPDATE docs d, JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x')) AS jt SET jt.x = 1`))).toEqual({
      errno: 1288, sqlState: 'HY000', message: 'The target table jt of the UPDATE is not updatable',
    });
    expect(await errorOf(c.query(`SELECT * FROM docs d RIGHT JOIN JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$')) jt ON TRUE`))).toEqual({
      errno: 3668, sqlState: 'HY000', message: "INNER or LEFT JOIN must be used for LATERAL references made by 'jt'",
    });
    expect((await errorOf(c.query(`SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (x INT PATH '$', X INT PATH '$')) jt`))).errno).toBe(1060);
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (x INT PATH '$.z' DEFAULT 'none' ON EMPTY)) jt`))).toEqual({
      errno: 1067, sqlState: '42000', message: "Invalid default value for 'x'",
    });
    expect(await errorOf(c.query(`SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (x VARCHAR(100) PATH '$.a' DEFAULT '[99]' ON ERROR)) jt`))).toEqual({
      errno: 1067, sqlState: '42000', message: "Invalid default value for 'x'",
    });
  });

  it(req('CORE-FN-035', 'wire', 'property: JSON_TABLE gives the same values as JSON_EXTRACT per array element'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ a: fc.integer({ min: -1000, max: 1000 }), b: fc.string({ maxLength: 6 }) }, { requiredKeys: [] }), { maxLength: 6 }), async (arr) => {
        const doc = JSON.stringify(arr).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
        const viaTable = await q(`SELECT n, a, b FROM JSON_TABLE('${doc}', '$[*]' COLUMNS (n FOR ORDINALITY, a JSON PATH '$.a', b JSON PATH '$.b')) jt`);
        const viaExtract: unknown[] = [];
        for (let i = 0; i < arr.length; i++) {
          const r = await q(`SELECT JSON_EXTRACT('${doc}', '$[${i}].a'), JSON_EXTRACT('${doc}', '$[${i}].b')`);
          viaExtract.push([i + 1, ...(r[0] as unknown[])]);
        }
        expect(viaTable).toEqual(viaExtract);
      }),
      { numRuns: 25 },
    );
  });
});

describe('JSON Schema validation', () => {
  const schema = `'{"id": "http://json-schema.org/geo", "$schema": "http://json-schema.org/draft-04/schema#", "description": "A geographical coordinate", "type": "object", "properties": {"latitude": {"type": "number", "minimum": -90, "maximum": 90}, "longitude": {"type": "number", "minimum": -180, "maximum": 180}}, "required": ["latitude", "longitude"]}'`;

  it(req('CORE-FN-030', 'wire', 'manual example: valid and invalid documents'), async () => {
    expect(await q(`SELECT JSON_SCHEMA_VALID(${schema}, '{"latitude": 63.444697, "longitude": 10.445118}')`)).toEqual([[1]]);
    expect(await q(`SELECT JSON_SCHEMA_VALID(${schema}, '{"latitude": 63.444697}')`)).toEqual([[0]]);
    expect(await q(`SELECT JSON_SCHEMA_VALID(NULL, '1'), JSON_SCHEMA_VALID('{}', NULL)`)).toEqual([[null, null]]);
  });

  it(req('CORE-FN-031', 'wire', 'the validation report names the failing location and keyword'), async () => {
    expect(await q(`SELECT JSON_SCHEMA_VALIDATION_REPORT(${schema}, '{"latitude": 63.444697, "longitude": 10.445118}')`)).toEqual([[{ valid: true }]]);
    expect(await q(`SELECT JSON_SCHEMA_VALIDATION_REPORT(${schema}, '{"latitude": 90.000001, "longitude": 0}')`)).toEqual([[{
      valid: false,
      reason: "The JSON document location '#/latitude' failed requirement 'maximum' at JSON Schema location '#/properties/latitude'",
      'schema-location': '#/properties/latitude',
      'document-location': '#/latitude',
      'schema-failed-keyword': 'maximum',
    }]]);
    expect(await q(`SELECT JSON_EXTRACT(JSON_SCHEMA_VALIDATION_REPORT('{"properties": {"a b/c": {"type": "string"}}}', '{"a b/c": 1}'), '$."schema-location"', '$."document-location"')`)).toEqual([[['#/properties/a%20b~1c', '#/a%20b~1c']]]);
    const [r] = await c.query({ sql: `SELECT CAST(JSON_SCHEMA_VALIDATION_REPORT(${schema}, '{"latitude": 1}') AS CHAR)`, rowsAsArray: true });
    expect((r as unknown[][])[0]![0]).toBe(`{"valid": false, "reason": "The JSON document location '#' failed requirement 'required' at JSON Schema location '#'", "schema-location": "#", "document-location": "#", "schema-failed-keyword": "required"}`);
  });

  it(req('CORE-FN-030', 'wire', 'draft-4 keywords: enum, items, additionalProperties, combinators, $ref to definitions; later keywords (const, if) are ignored'), async () => {
    const cases: [string, string, number][] = [
      ['{"enum": [1, "a"]}', '"a"', 1],
      ['{"enum": [1, "a"]}', '2', 0],
      ['{"type": ["string", "null"]}', 'null', 1],
      ['{"type": "integer"}', '1.5', 0],
      ['{"items": {"type": "integer"}, "minItems": 2, "uniqueItems": true}', '[1, 2]', 1],
      ['{"items": {"type": "integer"}, "minItems": 2, "uniqueItems": true}', '[1, 1]', 0],
      ['{"items": [{"type": "string"}], "additionalItems": false}', '["a", 1]', 0],
      ['{"properties": {"a": {}}, "additionalProperties": false}', '{"a": 1, "b": 2}', 0],
      ['{"patternProperties": {"^x": {"type": "string"}}}', '{"xa": 1}', 0],
      ['{"minLength": 2, "maxLength": 3, "pattern": "^a"}', '"abc"', 1],
      ['{"minLength": 2, "maxLength": 3, "pattern": "^a"}', '"bbc"', 0],
      ['{"multipleOf": 0.5, "exclusiveMinimum": true, "minimum": 0}', '1.5', 1],
      ['{"multipleOf": 0.5, "exclusiveMinimum": true, "minimum": 0}', '0', 0],
      ['{"anyOf": [{"type": "string"}, {"minimum": 5}]}', '4', 0],
      ['{"oneOf": [{"minimum": 1}, {"maximum": 3}]}', '2', 0],
      ['{"not": {"type": "null"}, "allOf": [{"minimum": 1}]}', '2', 1],
      ['{"const": 1, "if": {"type": "string"}}', '2', 1],
      ['{"definitions": {"p": {"type": "integer"}}, "properties": {"a": {"$ref": "#/definitions/p"}}}', '{"a": "s"}', 0],
      ['{"properties": {"n": {"$ref": "#"}}, "type": "object"}', '{"n": {"n": 1}}', 0],
    ];
    for (const [s, d, want] of cases) expect([s, d, await q(`SELECT JSON_SCHEMA_VALID('${s}', '${d}')`)]).toEqual([s, d, [[want]]]);
  });

  it(req('CORE-FN-032', 'wire', 'errors: schema not an object 3853, invalid JSON 3141, remote $ref 1235'), async () => {
    expect(await errorOf(c.query(`SELECT JSON_SCHEMA_VALID('1', '1')`))).toEqual({
      errno: 3853, sqlState: '22032', message: 'Invalid JSON type in argument 1 to function json_schema_valid; an object is required.',
    });
    expect((await errorOf(c.query(`SELECT JSON_SCHEMA_VALID('{', '1')`))).errno).toBe(3141);
    expect((await errorOf(c.query(`SELECT JSON_SCHEMA_VALID('{}', '[')`))).errno).toBe(3141);
    expect(await errorOf(c.query(`SELECT JSON_SCHEMA_VALID('{"$ref": "http://example.com/s.json"}', '1')`))).toEqual({
      errno: 1235, sqlState: '42000', message: "This version of MySQL doesn't yet support 'references in JSON Schema'",
    });
  });
});

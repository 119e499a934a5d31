/**
 * The JSON Schema validator and the JSON_TABLE grammar as functions: random schemas and
 * documents give a result or an SQL error, never a crash; JSON_TABLE text round-trips into the
 * column tree the parser builds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../src/kernel/errors.js';
import { parseJson, type JsonValue } from '../../../src/sql/types/json.js';
import { validateSchema, validationReport } from '../../../src/sql/eval/functions/json-schema.js';
import { parse } from '../../../src/sql/parser/index.js';
import { req } from '../../helpers/req.js';

const KEYWORDS = ['type', 'enum', 'const', 'properties', 'patternProperties', 'additionalProperties', 'required', 'items', 'additionalItems',
  'minItems', 'maxItems', 'uniqueItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength',
  'maxLength', 'pattern', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', 'definitions', 'dependencies', 'minProperties', 'maxProperties'];

const jsonText = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('null', 'true', 'false', '0', '1', '-2.5', '1e3', '"a"', '"#"', '"#/definitions/x"', '"integer"', '"string"', '"[a-z"', '"^x"'),
    fc.array(tie('value') as fc.Arbitrary<string>, { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYWORDS), fc.string({ maxLength: 3 })), tie('value') as fc.Arbitrary<string>), { maxLength: 4 })
      .map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value as fc.Arbitrary<string>;

describe('JSON Schema validator', () => {
  it(req(['CORE-FN-030', 'CORE-FN-031', 'CORE-FN-032'], 'unit', 'random schemas and documents: a verdict or an SQL error, never a crash'), () => {
    fc.assert(
      fc.property(jsonText, jsonText, (s, d) => {
        const schema = parseJson(s), doc = parseJson(d);
        try {
          const f = validateSchema(schema, doc);
          const report = validationReport(f);
          expect(report.map.get('valid')).toBe(f === null);
          if (f) expect(f.documentLocation.startsWith('#') && f.schemaLocation.startsWith('#')).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
          expect([3853, 1235]).toContain((e as SqlError).errno);
        }
      }),
      { numRuns: 500 },
    );
  });

  it(req('CORE-FN-030', 'unit', 'an empty schema accepts every document; a self-reference cycle ends'), () => {
    fc.assert(fc.property(jsonText, (d) => {
      const doc: JsonValue = parseJson(d);
      expect(validateSchema(parseJson('{}'), doc)).toBeNull();
      expect(validateSchema(parseJson('{"$ref": "#"}'), doc)).toBeNull();
    }), { numRuns: 200 });
  });
});

describe('JSON_TABLE grammar', () => {
  it(req('CORE-FN-033', 'unit', 'COLUMNS tree: ordinality, PATH with responses, EXISTS, NESTED'), () => {
    const stmt = parse(`SELECT * FROM JSON_TABLE(@j, '$[*]' COLUMNS (n FOR ORDINALITY, a INT PATH '$.a' DEFAULT '1' ON EMPTY ERROR ON ERROR, e INT EXISTS PATH '$.e', NESTED PATH '$.b[*]' COLUMNS (b JSON PATH '$'))) AS jt`)[0]!;
    const from = (stmt as unknown as { query: { from: unknown[] } }).query.from[0] as { type: string; alias: string; columns: unknown[] };
    expect(from.type).toBe('json_table');
    expect(from.alias).toBe('jt');
    expect(from.columns).toMatchObject([
      { kind: 'ordinality', name: 'n' },
      { kind: 'path', name: 'a', path: '$.a', onEmpty: { kind: 'default', value: '1' }, onError: { kind: 'error' } },
      { kind: 'exists', name: 'e', path: '$.e' },
      { kind: 'nested', path: '$.b[*]', columns: [{ kind: 'path', name: 'b', path: '$' }] },
    ]);
  });

  it(req('CORE-FN-033', 'unit', 'missing alias is 3667; a response without ON or given twice is a syntax error; ON ERROR may come before ON EMPTY'), () => {
    expect(() => parse(`SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a INT PATH '$'))`)).toThrow(/Every table function must have an alias/);
    expect(() => parse(`SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a INT PATH '$' NULL)) jt`)).toThrow(SqlError);
    expect(() => parse(`SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a INT PATH '$' NULL ON EMPTY NULL ON EMPTY)) jt`)).toThrow(SqlError);
    const late = parse(`SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a INT PATH '$' ERROR ON ERROR NULL ON EMPTY)) jt`)[0]!;
    expect(JSON.stringify(late)).toContain('"onError":{"kind":"error"},"onEmpty":{"kind":"null"}');
  });
});

/**
 * The LOAD DATA reader and the INTO OUTFILE writer as functions: the format's defaults and
 * validation, reading fields (escapes, enclosures, NULL, prefixes, cut lines), a fast-check round
 * trip (any rows written with a format read back the same with it) and random input (the reader
 * always ends, without throwing), and the parser's forms of both statements.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { fileFormat, type FileFormat } from '../../../src/exec/load/format.js';
import { readAll } from '../../../src/exec/load/reader.js';
import { RowEncoder } from '../../../src/exec/load/writer.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import type { FileFieldOptions, LoadDataStatement, SelectStatement } from '../../../src/sql/ast.js';
import { SqlError } from '../../../src/kernel/errors.js';

/** Option sets for which MySQL's format is exact (a non-empty escape character). */
const OPTION_SETS: FileFieldOptions[] = [
  {},
  { fieldsTerminatedBy: ',', fieldsEnclosedBy: '"', linesTerminatedBy: '\r\n' },
  { fieldsTerminatedBy: ',', fieldsEnclosedBy: "'", fieldsOptionallyEnclosed: true, linesStartingBy: 'xx' },
  { fieldsTerminatedBy: '||', fieldsEscapedBy: '#', linesTerminatedBy: '<EOL>' },
  { fieldsEnclosedBy: '"', linesStartingBy: '>', linesTerminatedBy: '\n' },
  { fieldsTerminatedBy: ';', fieldsEscapedBy: '\\', linesTerminatedBy: '|\n' },
];

/** Read a written file back: each row's fields as bytes, or null. */
function readBack(data: Buffer, f: FileFormat, columns: number): (Buffer | null)[][] {
  return readAll(data, f, columns).map((r) => r.fields.map((x) => (x.isNull ? null : x.bytes)));
}

const byteValue = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom('a', 'N', '0', '\t', '\n', '\r', '"', "'", '\\', ',', '|', ';', '#', '<', 'x', 'NULL', '\u0000', 'é'), { maxLength: 8 }).map((p) => Buffer.from(p.join(''), 'utf8')),
);

describe('format', () => {
  it(req(['CORE-LOAD-002#defaults'], 'unit', 'defaults: tab, no enclosure, backslash, newline'), () => {
    const f = fileFormat({}, false);
    expect(f).toEqual({ fieldTerm: Buffer.from('\t'), enclosed: -1, optionallyEnclosed: false, escape: 0x5c, lineStart: Buffer.alloc(0), lineTerm: Buffer.from('\n') });
    // NO_BACKSLASH_ESCAPES drops only the default escape.
    expect(fileFormat({}, true).escape).toBe(-1);
    expect(fileFormat({ fieldsEscapedBy: '\\' }, true).escape).toBe(0x5c);
  });

  it(req(['CORE-LOAD-003#e1083'], 'unit', 'a multi-byte ENCLOSED BY or ESCAPED BY is 1083'), () => {
    for (const o of [{ fieldsEnclosedBy: 'ab' }, { fieldsEscapedBy: 'é' }]) {
      try {
        fileFormat(o, false);
        expect.unreachable();
      } catch (e) {
        expect((e as SqlError).errno).toBe(1083);
      }
    }
  });
});

describe('reader', () => {
  it(req(['CORE-LOAD-004#escapes', 'CORE-LOAD-004#null'], 'unit', 'escape sequences, \\N, and NULL with an enclosure'), () => {
    const f = fileFormat({ fieldsEnclosedBy: '"' }, false);
    const got = readAll(Buffer.from('\\0\\b\\n\\r\\t\\Z\\q\t\\N\tNULL\t"NULL"\tab\\N\n'), f, 5);
    expect(got).toHaveLength(1);
    const [a, b, c, d, e] = got[0]!.fields;
    expect(a!.bytes).toEqual(Buffer.from([0, 8, 10, 13, 9, 0x1a, 0x71]));
    expect([b!.isNull, c!.isNull, d!.isNull, e!.isNull]).toEqual([true, true, false, false]);
    expect(d!.bytes.toString()).toBe('NULL');
    expect(e!.bytes.toString()).toBe('abN');
  });

  it(req(['CORE-LOAD-002#options', 'CORE-LOAD-006#many'], 'unit', 'doubled enclosures, terminators inside enclosures, cut lines'), () => {
    const f = fileFormat({ fieldsTerminatedBy: ',', fieldsEnclosedBy: '"' }, false);
    const got = readAll(Buffer.from('"a""b","c,d\ne",x,y\nlast,only'), f, 3);
    expect(got.map((r) => r.fields.map((x) => x.bytes.toString()))).toEqual([['a"b', 'c,d\ne', 'x'], ['last', 'only']]);
    expect(got.map((r) => r.cut)).toEqual([true, false]);
  });

  it(req(['CORE-LOAD-002#starting-by', 'CORE-LOAD-002#ignore-lines'], 'unit', 'LINES STARTING BY and IGNORE n LINES'), () => {
    const f = fileFormat({ linesStartingBy: 'xxx' }, false);
    const got = readAll(Buffer.from('skip\nxxx1\ta\nnothing\nzzxxx2\tb\n'), f, 2, 1);
    expect(got.map((r) => r.fields.map((x) => x.bytes.toString()))).toEqual([['1', 'a'], ['2', 'b']]);
  });

  it(req(['CORE-LOAD-026'], 'unit', 'random bytes always read to an end without throwing'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...OPTION_SETS), fc.integer({ min: 1, max: 5 }), fc.nat(3), (bytes, o, wanted, skip) => {
        const records = readAll(Buffer.from(bytes), fileFormat(o, false), wanted, skip);
        for (const r of records) {
          expect(r.fields.length).toBeGreaterThan(0);
          expect(r.fields.length).toBeLessThanOrEqual(wanted);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('writer', () => {
  it(req(['CORE-LOAD-021#format', 'CORE-LOAD-021#enclosed'], 'unit', 'escapes, NULL and enclosure of written lines'), () => {
    const plain = new RowEncoder(fileFormat({}, false), [{ stringResult: false }, { stringResult: true }, { stringResult: true }]);
    expect(plain.encode([Buffer.from('1'), Buffer.from('a\tb\n\\\0'), null]).toString('latin1')).toBe('1\ta\\\tb\\\n\\\\\\0\t\\N\n');
    const opt = new RowEncoder(fileFormat({ fieldsTerminatedBy: ',', fieldsEnclosedBy: '"', fieldsOptionallyEnclosed: true, fieldsEscapedBy: '' }, false), [{ stringResult: false }, { stringResult: true }, { stringResult: true }]);
    expect(opt.encode([Buffer.from('2'), Buffer.from('x,"y"'), null]).toString('latin1')).toBe('2,"x,"y"",NULL\n');
  });

  it(req(['CORE-LOAD-024'], 'unit', 'any rows written with a format read back the same with it'), () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPTION_SETS), fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(fc.array(byteValue, { minLength: n, maxLength: n }), { maxLength: 6 })), (o, rows) => {
        const f = fileFormat(o, false);
        const n = rows[0]?.length ?? 1;
        const enc = new RowEncoder(f, Array.from({ length: n }, () => ({ stringResult: true })));
        const data = Buffer.concat(rows.map((r) => enc.encode(r)));
        expect(readBack(data, f, n)).toEqual(rows);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parser', () => {
  it(req(['CORE-LOAD-001#syntax'], 'unit', 'LOAD DATA with every clause'), () => {
    const s = parseOne("LOAD DATA CONCURRENT LOCAL INFILE 'f.txt' REPLACE INTO TABLE d.t PARTITION (p0, p1) CHARACTER SET latin1 COLUMNS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '!' LINES STARTING BY '>' TERMINATED BY '\\r\\n' IGNORE 2 ROWS (a, @v) SET b = @v + 1") as LoadDataStatement;
    expect(s).toMatchObject({
      kind: 'load_data', priority: 'CONCURRENT', local: true, file: 'f.txt', replace: true, ignore: false,
      table: { schema: 'd', name: 't' }, partitions: ['p0', 'p1'], charset: 'latin1',
      fieldsTerminatedBy: ',', fieldsEnclosedBy: '"', fieldsOptionallyEnclosed: true, fieldsEscapedBy: '!',
      linesStartingBy: '>', linesTerminatedBy: '\r\n', ignoreLines: 2, columns: ['a', '@v'],
    });
    expect(s.set).toHaveLength(1);
  });

  it(req(['CORE-LOAD-020', 'CORE-LOAD-027'], 'unit', 'INTO OUTFILE / DUMPFILE before FROM, at the end and after the locking clause'), () => {
    const a = parseOne("SELECT a INTO OUTFILE '/x' CHARACTER SET latin1 FIELDS TERMINATED BY ',' LINES TERMINATED BY ';' FROM t") as SelectStatement;
    expect(a.query).toMatchObject({ intoFile: { kind: 'outfile', file: '/x', charset: 'latin1', fieldsTerminatedBy: ',', linesTerminatedBy: ';' } });
    const b = parseOne("SELECT a FROM t WHERE a > 1 ORDER BY a LIMIT 1 FOR UPDATE INTO DUMPFILE '/y'") as SelectStatement;
    expect(b.query).toMatchObject({ lock: 'UPDATE', intoFile: { kind: 'dumpfile', file: '/y' } });
    const c = parseOne('SELECT a FROM t FOR SHARE INTO @v') as SelectStatement;
    expect(c.query).toMatchObject({ lock: 'SHARE', into: [{ name: 'v' }] });
  });
});

/**
 * The query logs' text codecs in isolation: password masking, parameter expansion of prepared
 * statements, timestamps and line formats, log_output parsing and COM_REFRESH's option bits;
 * fast-check properties for the codecs (round trips, arbitrary input never throwing).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { maskSecrets, SECRET_MARK } from '../../../src/exec/logs/mask-secrets.js';
import { expandParams, sqlLiteral } from '../../../src/exec/logs/expand-params.js';
import { refreshStatement } from '../../../src/exec/logs/refresh.js';
import { commandName } from '../../../src/exec/logs/command-names.js';
import { generalLine, slowEntryText, userHost } from '../../../src/server/logs/formats.js';
import { iso8601 } from '../../../src/server/logs/timestamps.js';
import { destinations } from '../../../src/server/logs/query-logger.js';
import { tokenize } from '../../../src/sql/lexer/lexer.js';
import { Tok } from '../../../src/sql/lexer/token.js';
import type { Value } from '../../../src/kernel/value.js';
import { helpMask } from '../../../src/exec/help/help.js';
import { SqlError } from '../../../src/kernel/errors.js';

/** A string as a single-quoted SQL literal. */
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

describe('password masking', () => {
  it(req(['CORE-LOG-005'], 'unit', 'the password literal of each account statement form becomes <secret>'), () => {
    expect(maskSecrets("CREATE USER u IDENTIFIED BY 'p1', v@'%' IDENTIFIED WITH mysql_native_password BY \"p2\"")).toBe(
      `CREATE USER u IDENTIFIED BY ${SECRET_MARK}, v@'%' IDENTIFIED WITH mysql_native_password BY ${SECRET_MARK}`,
    );
    expect(maskSecrets("ALTER USER u IDENTIFIED BY 'new' REPLACE 'old' RETAIN CURRENT PASSWORD")).toBe('ALTER USER u IDENTIFIED BY <secret> REPLACE <secret> RETAIN CURRENT PASSWORD');
    expect(maskSecrets("SET PASSWORD = 'x'")).toBe('SET PASSWORD = <secret>');
    expect(maskSecrets("SET PASSWORD FOR 'a'@'b' = 'x' REPLACE 'y'")).toBe("SET PASSWORD FOR 'a'@'b' = <secret> REPLACE <secret>");
    expect(maskSecrets("CHANGE REPLICATION SOURCE TO SOURCE_USER='r', SOURCE_PASSWORD='pw'")).toBe("CHANGE REPLICATION SOURCE TO SOURCE_USER='r', SOURCE_PASSWORD=<secret>");
    // Nothing to mask: the text comes back unchanged.
    expect(maskSecrets("CREATE USER u IDENTIFIED WITH caching_sha2_password AS '$A$005$xyz'")).toBe("CREATE USER u IDENTIFIED WITH caching_sha2_password AS '$A$005$xyz'");
  });

  it(req(['CORE-LOG-005'], 'unit', 'property: any password is masked, and arbitrary text never throws'), () => {
    fc.assert(
      fc.property(fc.string(), (pw) => {
        expect(maskSecrets(`CREATE USER 'u'@'h' IDENTIFIED BY ${quote(pw)} PASSWORD EXPIRE`)).toBe(`CREATE USER 'u'@'h' IDENTIFIED BY ${SECRET_MARK} PASSWORD EXPIRE`);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof maskSecrets(text)).toBe('string');
      }),
    );
  });
});

describe('prepared statement text', () => {
  it(req(['CORE-LOG-004'], 'unit', 'parameter values replace the markers as SQL literals'), () => {
    expect(expandParams('SELECT ?, ?, ?, ? FROM t WHERE a = ?', [1n, 'x', null, Buffer.from([0xde, 0xad]), 2.5])).toBe("SELECT 1, 'x', NULL, 0xdead FROM t WHERE a = 2.5");
    // A `?` inside a string literal is no marker.
    expect(expandParams("SELECT '?', ?", [7n])).toBe("SELECT '?', 7");
    expect(sqlLiteral("a'b\\c\n")).toBe("'a\\'b\\\\c\\n'");
  });

  it(req(['CORE-LOG-004'], 'unit', 'property: the expanded literal reads back as the value'), () => {
    const value: fc.Arbitrary<Value> = fc.oneof(fc.string(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.constant(null), fc.uint8Array({ minLength: 1, maxLength: 16 }).map((a) => Buffer.from(a)));
    fc.assert(
      fc.property(value, (v) => {
        const text = expandParams('SELECT ?', [v]);
        const toks = tokenize(text).filter((t) => t.type !== Tok.EOF);
        const lit = toks.slice(1);
        if (v === null) expect(lit.map((t) => t.upper)).toEqual(['NULL']);
        else if (typeof v === 'bigint') expect(BigInt(lit.map((t) => t.value).join(''))).toBe(v);
        else if (Buffer.isBuffer(v)) expect(lit[0]!.bytes).toEqual(v);
        else expect(lit[0]!.value).toBe(v);
      }),
    );
  });
});

describe('log file formats', () => {
  it(req(['CORE-LOG-002#line', 'CORE-LOG-006'], 'unit', 'a general log line: timestamp, tab, id in five places, command, tab, argument'), () => {
    const us = BigInt(Date.UTC(2026, 11, 7, 12, 0, 0)) * 1000n + 123456n;
    expect(generalLine(us, false, 8, 'Query', 'SELECT 1')).toBe('2026-12-07T12:00:00.123456Z\t    8 Query\tSELECT 1\n');
    expect(generalLine(us, false, 123456, 'Init DB', 'db')).toBe('2026-12-07T12:00:00.123456Z\t123456 Init DB\tdb\n');
    expect(iso8601(us, true)).toMatch(/^2026-12-0[67]T\d\d:\d\d:00\.123456[+-]\d\d:\d\d$/);
  });

  it(req(['CORE-LOG-006'], 'unit', 'property: both timestamp forms name the same instant, to the microsecond'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 4102444800000000n }), (us) => {
        const utc = iso8601(us, false);
        const local = iso8601(us, true);
        expect(Date.parse(utc)).toBe(Number(us / 1000n));
        expect(Date.parse(local)).toBe(Number(us / 1000n));
        expect(utc.slice(20, 26)).toBe(String(us % 1000000n).padStart(6, '0'));
        expect(local.slice(20, 26)).toBe(String(us % 1000000n).padStart(6, '0'));
      }),
    );
  });

  it(req(['CORE-LOG-014'], 'unit', 'a slow log entry, with and without a use line'), () => {
    const who = { connectionId: 9, user: 'app', privUser: 'app', host: 'localhost', ip: '127.0.0.1' };
    expect(userHost(who)).toBe('app[app] @ localhost [127.0.0.1]');
    const now = BigInt(Date.UTC(2026, 11, 7, 12, 0, 1)) * 1000n;
    const e = { who, startUs: now - 1500000n, queryUs: 1500000n, lockUs: 0n, rowsSent: 3, rowsExamined: 30, db: 'shop', lastInsertId: null, insertId: 5n, text: 'INSERT INTO t VALUES (1)' };
    expect(slowEntryText(now, false, e, null)).toBe(
      '# Time: 2026-12-07T12:00:01.000000Z\n' +
        '# User@Host: app[app] @ localhost [127.0.0.1]  Id:     9\n' +
        '# Query_time: 1.500000  Lock_time: 0.000000 Rows_sent: 3  Rows_examined: 30\n' +
        'use shop;\n' +
        `SET insert_id=5,timestamp=${(now - 1500000n) / 1000000n};\n` +
        'INSERT INTO t VALUES (1);\n',
    );
    expect(slowEntryText(now, false, e, 'shop')).not.toContain('use shop;');
  });
});

describe('HELP argument', () => {
  it(req(['CORE-LOG-030#syntax'], 'unit', 'one string or identifier; property: any quoted string reads back, any text gives a value or 1064'), () => {
    expect(helpMask({ kind: 'other', head: 'HELP', rest: "'contents'" })).toBe('contents');
    expect(helpMask({ kind: 'other', head: 'HELP', rest: 'select' })).toBe('select');
    expect(() => helpMask({ kind: 'other', head: 'HELP', rest: '' })).toThrow(SqlError);
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(helpMask({ kind: 'other', head: 'HELP', rest: quote(s) })).toBe(s);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (rest) => {
        try {
          expect(typeof helpMask({ kind: 'other', head: 'HELP', rest })).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
          expect((e as SqlError).errno).toBe(1064);
        }
      }),
    );
  });
});

describe('destinations and COM_REFRESH', () => {
  it(req(['CORE-LOG-001#set'], 'unit', 'log_output: NONE wins, FILE and TABLE combine'), () => {
    expect(destinations('FILE')).toEqual({ file: true, table: false });
    expect(destinations('FILE,TABLE')).toEqual({ file: true, table: true });
    expect(destinations('NONE,FILE,TABLE')).toEqual({ file: false, table: false });
  });

  it(req(['CORE-LOG-020#ok', 'CORE-LOG-003#refresh'], 'unit', 'the option bits name FLUSH operations; the command byte names the log line'), () => {
    expect(refreshStatement(0x1 | 0x2 | 0x4 | 0x8 | 0x10).what).toEqual(['PRIVILEGES', 'LOGS', 'TABLES', 'HOSTS', 'STATUS']);
    expect(refreshStatement(0x1000 | 0x2000 | 0x20 | 0x80).what).toEqual(['GENERAL LOGS', 'SLOW LOGS']);
    expect(refreshStatement(0).what).toEqual([]);
    expect([commandName(7), commandName(2), commandName(31), commandName(200)]).toEqual(['Refresh', 'Init DB', 'Reset Connection', 'Error']);
  });
});

/**
 * The FEDERATED CONNECTION string parser and the SQL text the engine builds: MySQL's grammar
 * case by case, a round trip through the formatter for every string it accepts, random strings
 * never crashing, and the WHERE / ORDER BY of index reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatConnectionUrl, parseConnectionString, resolveConnection, type ParsedConnection } from '../../../src/storage/federated/connection-string.js';
import { indexReadClauses, literal, rowCondition } from '../../../src/storage/federated/sql-text.js';
import type { ForeignServer } from '../../../src/kernel/remote-sql-port.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { Decimal, Temporal } from '../../../src/kernel/value.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { req } from '../../helpers/req.js';

function thrown(f: () => unknown): SqlError {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an SqlError');
}

describe('CONNECTION string grammar', () => {
  it(req(['FEDERATED-042', 'FEDERATED-044'], 'unit', "the manual's URL forms take apart into user, password, host, port, database and table"), () => {
    expect(parseConnectionString('mysql://username:password@hostname:3307/db/tbl')).toEqual({ kind: 'url', user: 'username', password: 'password', host: 'hostname', port: 3307, database: 'db', table: 'tbl' });
    expect(parseConnectionString('mysql://username@hostname/db/tbl')).toEqual({ kind: 'url', user: 'username', password: null, host: 'hostname', port: 0, database: 'db', table: 'tbl' });
    expect(parseConnectionString('mysql://username:password@hostname/db/tbl')).toEqual({ kind: 'url', user: 'username', password: 'password', host: 'hostname', port: 0, database: 'db', table: 'tbl' });
    // An empty password is none; an empty host is localhost; "port:" with nothing after is none.
    expect(parseConnectionString('mysql://u:@/db/t')).toEqual({ kind: 'url', user: 'u', password: null, host: null, port: 0, database: 'db', table: 't' });
    expect(parseConnectionString('mysql://u@h:/db/t')).toEqual({ kind: 'url', user: 'u', password: null, host: 'h', port: 0, database: 'db', table: 't' });
  });

  it(req(['FEDERATED-042', 'FEDERATED-080'], 'unit', "malformed strings: other schemes, missing parts, a '/' in the password, a second '@', an extra '/'"), () => {
    for (const bad of [
      'http://u@h/db/t', 'MYSQL://u@h/db/t', 'mysql://h/db/t', 'mysql://u@h/db', 'mysql://u@h', 'mysql://u:p/w@h/db/t',
      'mysql://u:p@w@h/db/t', 'mysql://u/x@h/db/t', 'mysql://u@h/db/t/x', 'u@h/db/t', 'srv/t/x',
    ]) {
      expect(parseConnectionString(bad), bad).toBeNull();
    }
  });

  it(req(['FEDERATED-051'], 'unit', 'a string with neither :// nor @ names a server, with or without a table'), () => {
    expect(parseConnectionString('fedlink')).toEqual({ kind: 'server', server: 'fedlink', table: null });
    expect(parseConnectionString('fedlink/test_table')).toEqual({ kind: 'server', server: 'fedlink', table: 'test_table' });
  });

  it(req(['FEDERATED-043', 'FEDERATED-054'], 'unit', "resolving: 1432 at CREATE, 1433 at open, 1432 \"server name: 'x' doesn't exist!\" for an unknown server; defaults for port and socket"), () => {
    let e = thrown(() => resolveConnection('bogus://x', 't', undefined, true));
    expect([e.errno, e.sqlState, e.message]).toEqual([1432, 'HY000', "Can't create federated table. The data source connection string 'bogus://x' is not in the correct format"]);
    e = thrown(() => resolveConnection('bogus://x', 't', undefined, false));
    expect([e.errno, e.message]).toEqual([1433, "The data source connection string 'bogus://x' is not in the correct format"]);
    e = thrown(() => resolveConnection('nosuch/t', 't', { lookup: () => undefined }, false));
    expect([e.errno, e.message]).toEqual([1432, "server name: 'nosuch' doesn't exist!"]);
    expect(resolveConnection('mysql://u@example.org/db/t', 'local', undefined, true)).toEqual({ endpoint: { host: 'example.org', port: 3306, socket: null, user: 'u', password: null, database: 'db' }, table: 't' });
    expect(resolveConnection('mysql://u@localhost/db/t', 'local', undefined, true).endpoint.socket).toBe('/tmp/mysql.sock');
    const s: ForeignServer = { name: 'S', host: 'h', db: 'd', user: 'u', password: 'p', port: 70000, socket: '', wrapper: 'mysql', owner: '' };
    expect(resolveConnection('s', 'local', { lookup: (n) => (n.toLowerCase() === 's' ? s : undefined) }, false)).toEqual({
      endpoint: { host: 'h', port: 3306, socket: null, user: 'u', password: 'p', database: 'd' },
      table: 'local',
    });
  });

  const part = (chars: string) => fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: 12 });
  const plain = 'abcXYZ09_-.';

  it(req(['FEDERATED-042'], 'unit', 'round trip: every URL the formatter writes parses back to the same parts'), () => {
    const url = fc.record({
      // The grammar's limits: no ':' '/' '@' in the user, no '/' '@' in the password, no ':' '/' '@'
      // in the host, no '/' '@' in the database and table (MySQL refuses a second '@' anywhere).
      user: part(plain),
      password: fc.option(part(plain + ':'), { nil: null }),
      host: fc.option(part(plain), { nil: null }),
      port: fc.integer({ min: 0, max: 65535 }),
      database: part(plain + ':'),
      table: part(plain + ':'),
    });
    fc.assert(
      fc.property(url, (u) => {
        const c: ParsedConnection = { kind: 'url', ...u };
        expect(parseConnectionString(formatConnectionUrl(c))).toEqual(c);
      }),
    );
  });

  it(req(['FEDERATED-043'], 'unit', 'random strings never crash the parser: they parse or are refused with 1432/1433'), () => {
    const servers = { lookup: () => undefined };
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('m', 'y', 's', 'q', 'l', ':', '/', '@', 'a', '1') })), (text) => {
        const p = parseConnectionString(text);
        if (p !== null && p.kind === 'url') expect(p.table.includes('/')).toBe(false);
        try {
          resolveConnection(text, 't', servers, true);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
          expect([1432, 1433]).toContain((e as SqlError).errno);
        }
      }),
    );
  });
});

const DEF: TableDef = {
  id: 1, schema: 's', name: 't', engine: 'FEDERATED', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci', comment: '', options: {},
  autoIncrementStart: 1n, temporary: false, createTime: 0,
  columns: [
    { name: 'a', type: { name: 'INT' }, nullable: true, autoIncrement: false, comment: '' },
    { name: 'b', type: { name: 'VARCHAR', length: 10 }, nullable: true, autoIncrement: false, comment: '' },
  ],
  indexes: [
    { name: 'ab', kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 0 }, { column: 1 }], comment: '', visible: true },
    { name: 'd', kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 0, desc: true }], comment: '', visible: true },
  ],
};

describe('the SQL of reads and writes', () => {
  it(req(['FEDERATED-074'], 'unit', 'index reads: equality on a prefix, lexicographic range bounds, NULL ordered first, DESC parts flipped'), () => {
    const [ab, d] = DEF.indexes as [TableDef['indexes'][0], TableDef['indexes'][0]];
    expect(indexReadClauses(DEF, ab, { kind: 'eq', key: [1n, null] })).toEqual({ where: '`a` = 1 AND `b` IS NULL', orderBy: '`a` ASC, `b` ASC' });
    expect(indexReadClauses(DEF, ab, { kind: 'range', low: { key: [1n, 'x'], inclusive: false }, high: { key: [3n], inclusive: true } })).toEqual({
      where: "((`a` > 1) OR (`a` = 1 AND `b` > 'x')) AND ((`a` <= 3 OR `a` IS NULL))",
      orderBy: '`a` ASC, `b` ASC',
    });
    expect(indexReadClauses(DEF, d, { kind: 'range', low: { key: [5n], inclusive: true }, reverse: true })).toEqual({ where: '((`a` <= 5 OR `a` IS NULL))', orderBy: '`a` ASC' });
    expect(indexReadClauses(DEF, ab, { kind: 'range', low: { key: [null], inclusive: false } }).where).toBe('(`a` IS NOT NULL)');
  });

  it(req(['FEDERATED-076'], 'unit', 'literals and the row condition UPDATE/DELETE use'), () => {
    expect(literal("it's\\\n")).toBe("'it\\'s\\\\\\n'");
    expect(literal(Buffer.from([0, 255]))).toBe("X'00ff'");
    expect(literal(new Decimal(-1250n, 2))).toBe('-12.50');
    expect(literal(new Temporal('DATETIME', 2024, 1, 2, 3, 4, 5, 0))).toBe("'2024-01-02 03:04:05'");
    expect(literal(-1.5e10)).toBe('-15000000000');
    expect(rowCondition(DEF, [7n, null])).toBe('`a` = 7 AND `b` IS NULL');
  });
});

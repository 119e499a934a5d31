/**
 * Result layouts (tab-separated, table, vertical), summaries, option parsing and the choice
 * of endpoint.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html
 * @req CLIENT-001 CLIENT-007 CLIENT-008 CLIENT-009 CLIENT-012 CLIENT-014 CLIENT-016
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseEndpoint, namespaceErrorLine, promptFor } from '../../src/client/cli.js';
import { StatementSplitter } from '../../src/client/splitter.js';
import { NamespaceError } from '../../src/netns/namespace.js';
import { escapeBatchValue, formatTable, formatTabs, formatVertical, niceTime, summaryLine } from '../../src/client/format.js';
import { OptionError, parseOptions } from '../../src/client/options.js';
import type { ColumnInfo } from '../../src/client/packets.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function col(name: string, type: number, flags = 0): ColumnInfo {
  return { name, table: '', type, flags, decimals: 0, length: 0, charset: 255 };
}
const b = (s: string) => Buffer.from(s);

/** Inverse of the batch escaping, for the round-trip property. */
function unescape(v: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 92) {
      const n = v[++i];
      out.push(n === 48 ? 0 : n === 116 ? 9 : n === 110 ? 10 : 92);
    } else out.push(v[i]!);
  }
  return Buffer.from(out);
}

describe('client output formats', () => {
  it(req('CLIENT-007', 'unit', 'tab-separated output escapes NUL, tab, newline and backslash and prints NULL'), () => {
    const rs = { columns: [col('a', 253), col('b', 3)], rows: [[b('x\ty\nz\\\0'), null]] };
    expect(formatTabs(rs, true).toString()).toBe('a\tb\nx\\ty\\nz\\\\\\0\tNULL\n');
    expect(formatTabs(rs, false).toString()).toBe('x\\ty\\nz\\\\\\0\tNULL\n');
  });

  it(req('CLIENT-007', 'unit', 'property: escaping is reversible and leaves no raw tab or newline'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const e = escapeBatchValue(Buffer.from(bytes));
        expect(e.includes(9) || e.includes(10) || e.includes(0)).toBe(false);
        expect(unescape(e).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CLIENT-008', 'unit', 'table layout: widths, NULL room for nullable columns, numbers right-aligned'), () => {
    const rs = { columns: [col('id', 3, 1), col('name', 253), col('n', 8, 1)], rows: [[b('1'), b('alice'), b('10')], [b('22'), null, b('3')]] };
    expect(formatTable(rs, true).toString()).toBe(
      ['+----+-------+----+', '| id | name  | n  |', '+----+-------+----+', '|  1 | alice | 10 |', '| 22 | NULL  |  3 |', '+----+-------+----+', ''].join('\n'),
    );
  });

  it(req('CLIENT-009', 'unit', 'vertical layout right-aligns names under a row banner'), () => {
    const rs = { columns: [col('id', 3), col('longer', 253)], rows: [[b('1'), null]] };
    expect(formatVertical(rs, true).toString()).toBe('*************************** 1. row ***************************\n    id: 1\nlonger: NULL\n');
  });

  it(req('CLIENT-012', 'unit', 'summary lines and elapsed time read like mysql'), () => {
    expect(summaryLine({ kind: 'rows', rowCount: 0, warnings: 0 }, '0.00 sec')).toBe('Empty set (0.00 sec)');
    expect(summaryLine({ kind: 'rows', rowCount: 1, warnings: 0 }, null)).toBe('1 row in set');
    expect(summaryLine({ kind: 'rows', rowCount: 2, warnings: 1 }, null)).toBe('2 rows in set, 1 warning');
    expect(summaryLine({ kind: 'ok', affected: 1n, warnings: 2 }, '0.01 sec')).toBe('Query OK, 1 row affected, 2 warnings (0.01 sec)');
    expect(niceTime(0.004)).toBe('0.00 sec');
    expect(niceTime(3725.5)).toBe('1 hour 2 min 5.50 sec');
  });
});

describe('client options', () => {
  it(req(['CLIENT-001', 'CLIENT-016'], 'unit', 'short and long forms, attached values, optional password, positional database'), () => {
    const o = parseOptions(['-h', 'db.example', '-P3307', '-uroot', '-psecret', '-BN', '--connect_timeout=5', '-s', '-s', 'shop']);
    expect(o).toMatchObject({ host: 'db.example', port: 3307, user: 'root', password: 'secret', batch: true, columnNames: false, connectTimeout: 5, silent: 2, database: 'shop' });
    expect(parseOptions(['-p']).password).toBeNull();
    expect(parseOptions(['--password']).password).toBeNull();
    expect(parseOptions(['--password=x', '--execute', 'select 1', '--ssl-mode=required']).sslMode).toBe('REQUIRED');
    expect(parseOptions(['-e', 'select 1']).execute).toBe('select 1');
    expect(parseOptions(['--network-namespace=red']).networkNamespace).toBe('red');
    expect(parseOptions(['--skip-column-names']).columnNames).toBe(false);
  });

  it(req('CLIENT-014', 'unit', 'unknown options are refused with exit status 7'), () => {
    expect(() => parseOptions(['--frobnicate'])).toThrow(OptionError);
    expect(() => parseOptions(['-Z'])).toThrow("unknown option '-Z'");
    expect(() => parseOptions(['--port=abc'])).toThrow(OptionError);
  });

  it(req('CLIENT-001', 'unit', 'localhost means TCP 127.0.0.1 unless a socket is asked for'), () => {
    expect(chooseEndpoint(parseOptions([]))).toEqual({ kind: 'tcp', host: 'localhost', port: 3306 });
    expect(chooseEndpoint(parseOptions(['-S', '/tmp/s']))).toEqual({ kind: 'socket', path: '/tmp/s' });
    expect(chooseEndpoint(parseOptions(['-h', '127.0.0.1', '-S', '/tmp/s']))).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3306 });
    expect(chooseEndpoint(parseOptions(['-S', '/tmp/s', '--protocol=tcp']))).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3306 });
    expect(chooseEndpoint(parseOptions(['-h', '192.0.2.2', '--network-namespace=red']))).toEqual({ kind: 'tcp', host: '192.0.2.2', port: 3306, networkNamespace: 'red' });
  });
});

describe('client prompts and namespace errors', () => {
  it(req('CLIENT-012', 'unit', 'the prompt shows what the pending input is inside'), () => {
    const s = new StatementSplitter();
    expect(promptFor(s)).toBe('mysql> ');
    s.feed('select\n');
    expect(promptFor(s)).toBe('    -> ');
    s.feed("'a\n");
    expect(promptFor(s)).toBe("    '> ");
    s.clear();
    expect(promptFor(s)).toBe('mysql> ');
    s.feed('select "x\n');
    expect(promptFor(s)).toBe('    "> ');
    s.clear();
    s.feed('select `x\n');
    expect(promptFor(s)).toBe('    `> ');
    s.clear();
    s.feed('/* c\n');
    expect(promptFor(s)).toBe('   /*> ');
  });

  it(req(['CLIENT-015', 'NETNS-015'], 'unit', 'namespace failures print the OS error text after ERROR: Network namespace error:'), () => {
    expect(namespaceErrorLine(new NamespaceError('setns-failed', 'red', 1, 'EPERM', 'Operation not permitted', "setns() failed with error 'Operation not permitted'"))).toBe(
      'ERROR: Network namespace error: Operation not permitted\n',
    );
    expect(namespaceErrorLine(new NamespaceError('unknown-namespace', 'x', 2, 'ENOENT', 'No such file or directory', "Unknown network namespace 'x'"))).toBe(
      'ERROR: Network namespace error: No such file or directory\n',
    );
    // Without an errno (addon not built) the wrapper's own sentence is shown.
    expect(namespaceErrorLine(new NamespaceError('addon-missing', 'red', 0, '', '', 'Network namespace support is unavailable: x'))).toBe(
      'ERROR: Network namespace error: Network namespace support is unavailable: x\n',
    );
  });
});

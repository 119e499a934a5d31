/**
 * The client's statement splitter: delimiters, \g and \G, quotes, comments, client commands,
 * and (fast-check) independence from how the input is chunked.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-commands.html
 * @req CLIENT-013 CLIENT-009 CLIENT-012
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SplitItem, StatementSplitter, splitStatements } from '../../src/client/splitter.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function sqls(items: SplitItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'statement' ? [i.sql] : []));
}

describe('statement splitter', () => {
  it(req('CLIENT-013', 'unit', 'splits at ; but not inside quotes or comments'), () => {
    const text = "select 'a;b', \"c;d\", `e;f`; select 1 -- x;y\n+ 2; select /* ; */ 3 # ;\n; select 'it''s;' ";
    expect(sqls(splitStatements(text))).toEqual([
      "select 'a;b', \"c;d\", `e;f`",
      'select 1 -- x;y\n+ 2',
      'select /* ; */ 3 # ;',
      "select 'it''s;'",
    ]);
  });

  it(req('CLIENT-013', 'unit', 'backslash escapes inside single and double quotes'), () => {
    expect(sqls(splitStatements("select 'a\\';b'; select \"\\\";\"; select 2"))).toEqual(["select 'a\\';b'", 'select "\\";"', 'select 2']);
  });

  it(req(['CLIENT-013', 'CLIENT-009'], 'unit', '\\g ends a statement, \\G ends it for vertical output, \\c discards it'), () => {
    const items = splitStatements('select 1\\g select 2\\G select 3 \\c select 4;');
    expect(items).toEqual([
      { kind: 'statement', sql: 'select 1', vertical: false, line: 1 },
      { kind: 'statement', sql: 'select 2', vertical: true, line: 1 },
      { kind: 'clear' },
      { kind: 'statement', sql: 'select 4', vertical: false, line: 1 },
    ]);
  });

  it(req('CLIENT-013', 'unit', 'delimiter changes the terminator, as for stored programs'), () => {
    const text = 'delimiter //\ncreate procedure p() begin select 1; select 2; end//\ndelimiter ;\nselect 3;\n';
    expect(sqls(splitStatements(text))).toEqual(['create procedure p() begin select 1; select 2; end', 'select 3']);
  });

  it(req('CLIENT-012', 'unit', 'quit, exit and \\q end the input; use needs no terminator'), () => {
    expect(splitStatements('select 1;\nquit\nselect 2;')).toEqual([{ kind: 'statement', sql: 'select 1', vertical: false, line: 1 }, { kind: 'quit' }]);
    expect(splitStatements('exit;\nselect 2;')).toEqual([{ kind: 'quit' }]);
    expect(splitStatements('select 1 \\q select 2;')).toEqual([{ kind: 'quit' }]);
    expect(splitStatements('use test\nselect 2;')).toEqual([
      { kind: 'statement', sql: 'USE test', vertical: false, line: 1, use: 'test' },
      { kind: 'statement', sql: 'select 2', vertical: false, line: 2 },
    ]);
  });

  it(req('CLIENT-013', 'unit', 'statements record the line they start on; comment-only statements are dropped'), () => {
    const items = splitStatements('\n-- only a comment\n;\nselect\n1;\n/* c */;\n  select 2');
    expect(items).toEqual([
      { kind: 'statement', sql: 'select\n1', vertical: false, line: 4 },
      { kind: 'statement', sql: 'select 2', vertical: false, line: 7 },
    ]);
  });

  it(req('CLIENT-012', 'unit', 'pending and state drive the continuation prompts'), () => {
    const s = new StatementSplitter();
    s.feed('select 1\n');
    expect(s.pending).toBe(true);
    s.feed("'abc\n");
    expect(s.state).toBe('squote');
    s.feed("';\n");
    expect(s.pending).toBe(false);
    s.feed('/* x\n');
    expect(s.state).toBe('block');
  });

  it(req('CLIENT-013', 'unit', 'property: any chunking of the input gives the same items'), () => {
    const piece = fc.constantFrom('select ', "'a;b'", '"q\\"x"', '`t`', ';', '\\g', '\\G', '\n', '-- c;\n', '# h\n', '/* m;\n */', '1', ' ', 'quit', 'delimiter //\n', '//', 'use x\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
        const text = parts.join('');
        const whole = splitStatements(text);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const s = new StatementSplitter();
        const got: SplitItem[] = [];
        let prev = 0;
        for (const p of points) {
          got.push(...s.feed(text.slice(prev, p)));
          prev = p;
        }
        got.push(...s.feed(text.slice(prev)), ...s.end());
        expect(got).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CLIENT-013', 'unit', 'property: statements joined with ; split back into themselves'), () => {
    const token = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ,()+*=]{1,8}$/),
      fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/[\\']/g, '')}'`),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/[\\"]/g, '')}"`),
      fc.string({ maxLength: 6 }).map((s) => `/*${s.replace(/\*/g, '')}*/`),
    );
    const stmt = fc.array(token, { minLength: 1, maxLength: 6 }).map((ts) => `select ${ts.join(' ')}`.trim());
    fc.assert(
      fc.property(fc.array(stmt, { minLength: 1, maxLength: 6 }), (stmts) => {
        // Newlines inside tokens would move line numbers, not statement texts.
        const got = sqls(splitStatements(stmts.join(';\n') + ';'));
        expect(got).toEqual(stmts.map((s) => s.trim()));
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CLIENT-013', 'unit', 'property: arbitrary text never throws'), () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        splitStatements(text);
      }),
      { numRuns: RUNS },
    );
  });
});

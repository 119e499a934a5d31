import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../helpers/req.js';
import { SqlError } from '../../src/kernel/errors.js';
import { parse, parseExpression, parseOne } from '../../src/sql/parser/index.js';
import type { Expr, SelectCore, Statement } from '../../src/sql/ast.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

/** Parsing either succeeds or throws a SqlError, never anything else. */
function onlySqlErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
  }
}

const VOCAB = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ORDER', 'LIMIT', 'INSERT', 'INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE', 'CREATE',
  'TABLE', 'ALTER', 'DROP', 'INDEX', 'KEY', 'PRIMARY', 'UNIQUE', 'JOIN', 'LEFT', 'ON', 'USING', 'AND', 'OR', 'NOT', 'NULL', 'IS',
  'IN', 'BETWEEN', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AS', 'DISTINCT', 'UNION', 'ALL', 'WITH', 'INTERVAL', 'DAY',
  'CAST', 'CONVERT', 'CHAR', 'INT', 'VARCHAR', 'DEFAULT', 'SHOW', 'GRANT', 'TO', 'USER', 'COUNT', 'SUM', 'OVER', 'PARTITION',
  'EXISTS', 'ROW', 'TRIM', 'SUBSTRING', 'FOR', 'COLLATE', 'BINARY', 'ENGINE', '=', '<=>', '<', '>=', '!=', '+', '-', '*', '/',
  '%', '(', ')', ',', '.', ';', '@', '@@', '?', ':=', '->', '->>', '||', '&&', '!', '~', '^', '|', '&', '<<', '>>',
  'a', 'b', 't', '`q`', "'s'", '"d"', '1', '2.5', '1e3', '.5', "x'41'", '0x1F', "b'1'", '0b1', '@v', '@@global.v', "_utf8mb4'x'",
  "N'n'", '/*!80000 1 */', '/* c */', '-- c\n', '#c\n', '/*+ hint */', 'CURRENT_TIMESTAMP', 'NOW', 'DUAL', 'TRUE',
];

describe('parser robustness', () => {
  it(req('CORE-SQL-044', 'unit', 'random text never throws anything but SqlError'), () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme-ascii' }), (s) => {
        onlySqlErrors(() => parse(s));
        onlySqlErrors(() => parse(s, { allowParams: true, sqlMode: new Set(['ANSI_QUOTES', 'PIPES_AS_CONCAT', 'NO_BACKSLASH_ESCAPES']) }));
        onlySqlErrors(() => parseExpression(s));
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 100, unit: 'binary' }), (s) => {
        onlySqlErrors(() => parse(s));
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-044', 'unit', 'random token soups never throw anything but SqlError'), () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCAB), { maxLength: 40 }), (toks) => {
        const text = toks.join(' ');
        onlySqlErrors(() => parse(text, { allowParams: true }));
        onlySqlErrors(() => parse('SELECT ' + text));
        onlySqlErrors(() => parse('CREATE TABLE t (' + text + ')'));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it(req('CORE-SQL-044', 'unit', 'prefixes of valid statements fail cleanly'), () => {
    const stmts = [
      "SELECT a, COUNT(*) FROM t1 JOIN t2 ON t1.id = t2.id WHERE a IN (1, 2) GROUP BY a HAVING COUNT(*) > 1 ORDER BY a DESC LIMIT 1, 2",
      "INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT) ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, s VARCHAR(10) DEFAULT 'x', KEY k (s)) ENGINE=MEMORY",
      "GRANT SELECT, INSERT ON db.* TO 'u'@'%' WITH GRANT OPTION",
      'ALTER TABLE t ADD COLUMN c INT AFTER b, DROP INDEX k, RENAME TO t2',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...stmts), fc.nat(), (s, n) => {
        onlySqlErrors(() => parse(s.slice(0, n % (s.length + 1))));
      }),
      { numRuns: RUNS },
    );
  });
});

function firstExpr(s: Statement): Expr {
  return ((s as { query: SelectCore }).query.items[0] as { expr: Expr }).expr;
}

/** MySQL's escaping for a single-quoted literal. */
function quote(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\n/g, '\\n').replace(/\0/g, '\\0') + "'";
}

describe('literal round trips', () => {
  it(req('CORE-SQL-009', 'unit', 'integer literals keep their digits and kind'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        expect(firstExpr(parseOne(`SELECT ${n}`))).toEqual({ type: 'literal', kind: 'int', value: String(n) });
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n << 64n, max: 1n << 80n }), (n) => {
        expect(firstExpr(parseOne(`SELECT ${n}`))).toEqual({ type: 'literal', kind: 'decimal', value: String(n) });
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-009', 'unit', 'decimal and float literals keep their source text'), () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: -300, max: 300 }), (a, b, e) => {
        expect(firstExpr(parseOne(`SELECT ${a}.${b}`))).toEqual({ type: 'literal', kind: 'decimal', value: `${a}.${b}` });
        expect(firstExpr(parseOne(`SELECT ${a}.${b}e${e}`))).toEqual({ type: 'literal', kind: 'float', value: `${a}.${b}e${e}` });
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-008', 'unit', 'escaped string literals decode to the original text'), () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        expect(firstExpr(parseOne(`SELECT ${quote(s)}`))).toEqual({ type: 'literal', kind: 'string', value: s });
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-009', 'unit', 'hex literals decode to their bytes'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        expect(firstExpr(parseOne(`SELECT X'${hex}'`))).toEqual({ type: 'literal', kind: 'hex', value: Buffer.from(bytes) });
        if (bytes.length > 0) expect(firstExpr(parseOne(`SELECT 0x${hex}`))).toEqual({ type: 'literal', kind: 'hex', value: Buffer.from(bytes) });
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-010', 'unit', 'comments and whitespace between tokens do not change the tree'), () => {
    const base = 'SELECT a , b + 1 FROM t WHERE c = 2 ORDER BY a LIMIT 3';
    const words = base.split(' ');
    const strip = (s: Statement) => JSON.stringify(s, (k, v) => (k === 'text' ? undefined : v));
    const ref = strip(parseOne(base));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\n', '\t', ' /* x */ ', ' -- y\n', ' #z\n'), { minLength: words.length - 1, maxLength: words.length - 1 }), (seps) => {
        let q = words[0] as string;
        for (let i = 1; i < words.length; i++) q += (seps[i - 1] as string) + (words[i] as string);
        expect(strip(parseOne(q))).toBe(ref);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-SQL-002', 'unit', 'multi-statement splitting counts the statements'), () => {
    const pool = ["SELECT ';'", 'SELECT 1', 'DO 1', "SET @a = 'x;y'", 'SELECT `a;b` FROM t', 'SHOW TABLES'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 8 }), (list) => {
        const r = parse(list.join(';\n'));
        expect(r.map((s) => s.text)).toEqual(list);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Binary operators with MySQL's precedence (higher binds tighter); all left-associative. */
const PREC: Record<string, number> = {
  OR: 1, XOR: 2, AND: 3, '=': 5, '<': 5, '>=': 5, '<=>': 5, '|': 6, '&': 7, '<<': 8, '>>': 8,
  '+': 9, '-': 9, '*': 10, '/': 10, DIV: 10, '%': 10, MOD: 10, '^': 11,
};

type Tree = { type: 'column'; name: string } | { type: 'binary'; op: string; left: Tree; right: Tree };

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c', 'd').map((name): Tree => ({ type: 'column', name })),
    fc.record({ type: fc.constant('binary' as const), op: fc.constantFrom(...Object.keys(PREC)), left: tie('t'), right: tie('t') }),
  ),
})).t;

/** Print with the fewest parentheses MySQL's precedence allows. */
function print(t: Tree): string {
  if (t.type === 'column') return t.name;
  const p = PREC[t.op] as number;
  const l = t.left.type === 'binary' && (PREC[t.left.op] as number) < p ? `(${print(t.left)})` : print(t.left);
  const r = t.right.type === 'binary' && (PREC[t.right.op] as number) <= p ? `(${print(t.right)})` : print(t.right);
  return `${l} ${t.op} ${r}`;
}

describe('operator precedence', () => {
  it(req('CORE-SQL-011', 'unit', 'minimally parenthesised random expressions parse back to the same tree'), () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(parseExpression(print(t))).toEqual(t);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('lazy parsing', () => {
  it(req('CORE-SQL-002', 'unit', 'parseEach yields what parse returns, and never throws anything but SqlError'), async () => {
    const { parseEach } = await import('../../src/sql/parser/index.js');
    const pool = ['SELECT 1', "SELECT 'a;b'", 'DO 2', 'SHOW TABLES', "SELECT 'x", 'SELEC 1', '/* c */', ''];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 6 }), (list) => {
        const text = list.join(';');
        let eager: Statement[] | SqlError;
        try {
          eager = parse(text);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          eager = e;
        }
        const lazy: Statement[] = [];
        let lazyErr: SqlError | undefined;
        try {
          for (const s of parseEach(text)) lazy.push(s);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          lazyErr = e;
        }
        if (Array.isArray(eager)) {
          expect(lazyErr).toBeUndefined();
          expect(lazy).toEqual(eager);
        } else {
          expect(lazyErr?.errno).toBe(eager.errno);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

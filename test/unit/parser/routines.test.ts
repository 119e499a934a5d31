/**
 * The stored-routine grammar: CREATE PROCEDURE / FUNCTION trees, local variables resolved to
 * frame slots (winning over column names), statement splitting around compound bodies, and
 * property tests: generated bodies parse back to the same tree from their stored text, and
 * random input inside BEGIN ... END never crashes the parser (it parses or gives an SqlError).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parse, parseOne } from '../../../src/sql/parser/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import type { CreateRoutineStatement, SpStatement } from '../../../src/sql/routine-ast.js';
import { definitionText } from '../../../src/exec/routines/program.js';
import type { StoredProgramDef } from '../../../src/catalog/dictionary-store.js';
import { parseCorpusText } from '../../peers/runner.js';

function create(sql: string): CreateRoutineStatement {
  const s = parseOne(sql);
  if (s.kind !== 'create_routine') throw new Error(`not a routine: ${s.kind}`);
  return s;
}

function defOf(s: CreateRoutineStatement): StoredProgramDef {
  return {
    type: s.routine, schema: 'db', name: s.name, definer: '`root`@`localhost`', paramList: s.paramText, returns: s.returnsText, body: s.bodyText,
    deterministic: false, dataAccess: 'CONTAINS SQL', security: 'DEFINER', comment: '', sqlMode: '', characterSetClient: 'utf8mb4',
    collationConnection: 'utf8mb4_0900_ai_ci', databaseCollation: 'utf8mb4_0900_ai_ci', created: '2024-01-01 00:00:00', modified: '2024-01-01 00:00:00',
  };
}

/** The tree without source texts (which include positions of the whole statement). */
function shape(s: SpStatement): unknown {
  return JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'text' ? undefined : v)));
}

describe('routine grammar', () => {
  it(req(['CORE-SP-001#create'], 'unit', 'CREATE PROCEDURE: definer, parameter modes and types, characteristics, body text as sent'), () => {
    const s = create("CREATE DEFINER = 'u'@'h' PROCEDURE IF NOT EXISTS db.p(IN a INT, OUT b VARCHAR(5), INOUT c BIGINT UNSIGNED) NOT DETERMINISTIC NO SQL SQL SECURITY INVOKER COMMENT 'x' BEGIN SELECT a; END");
    expect(s.definer).toEqual({ user: 'u', host: 'h' });
    expect([s.ifNotExists, s.schema, s.name]).toEqual([true, 'db', 'p']);
    expect(s.params.map((p) => [p.mode, p.name, p.type.name])).toEqual([['IN', 'a', 'INT'], ['OUT', 'b', 'VARCHAR'], ['INOUT', 'c', 'BIGINT']]);
    expect(s.paramText).toBe('IN a INT, OUT b VARCHAR(5), INOUT c BIGINT UNSIGNED');
    expect(s.characteristics).toEqual({ deterministic: false, dataAccess: 'NO SQL', security: 'INVOKER', comment: 'x' });
    expect(s.bodyText).toBe('BEGIN SELECT a; END');
  });

  it(req(['CORE-SP-011'], 'unit', 'local variables become frame-slot markers, shadow columns, and are scoped to their block'), () => {
    const s = create('CREATE PROCEDURE p(x INT) BEGIN DECLARE y INT DEFAULT x; BEGIN DECLARE x INT; SELECT x, y, t.x FROM t; END; SELECT x; END');
    const outer = s.body as Extract<SpStatement, { t: 'block' }>;
    expect(outer.vars.map((v) => [v.name, v.slot])).toEqual([['y', 1]]);
    expect(outer.vars[0]!.default).toEqual({ type: 'param', index: 0, local: 'x' });
    const inner = outer.body[0] as Extract<SpStatement, { t: 'block' }>;
    const sel = inner.body[0] as Extract<SpStatement, { t: 'sql' }>;
    const items = sel.stmt.kind === 'select' && sel.stmt.query.type === 'select_core' ? sel.stmt.query.items.map((i) => i.expr) : [];
    // The inner x (slot 2) hides the parameter; a qualified t.x is the column.
    expect(items).toEqual([{ type: 'param', index: 2, local: 'x' }, { type: 'param', index: 1, local: 'y' }, { type: 'column', table: 't', name: 'x' }]);
    const last = outer.body[1] as Extract<SpStatement, { t: 'sql' }>;
    const lastItems = last.stmt.kind === 'select' && last.stmt.query.type === 'select_core' ? last.stmt.query.items.map((i) => i.expr) : [];
    expect(lastItems).toEqual([{ type: 'param', index: 0, local: 'x' }]);
  });

  it(req(['CORE-SP-002'], 'unit', 'a compound definition ends at the ; after its END; later statements split as usual'), () => {
    const stmts = parse("CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT CASE WHEN 1 THEN 2 END; END IF; WHILE 0 DO SELECT 1; END WHILE; END; SELECT 'after'; CALL p()");
    expect(stmts.map((s) => s.kind)).toEqual(['create_routine', 'select', 'call']);
    expect(stmts[0]!.text).toBe('CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT CASE WHEN 1 THEN 2 END; END IF; WHILE 0 DO SELECT 1; END WHILE; END');
  });

  it(req(['CORE-SP-002'], 'unit', 'the differential corpus runner honours -- delimiter lines, as the mariadb client honours DELIMITER'), () => {
    const text = ['SELECT 1;', '-- delimiter //', 'CREATE PROCEDURE p()', 'BEGIN', '  SELECT 2;', 'END//', '-- delimiter ;', 'CALL p();', ''].join('\n');
    expect(parseCorpusText('x', text).map((s) => s.sql)).toEqual(['SELECT 1', 'CREATE PROCEDURE p()\nBEGIN\n  SELECT 2;\nEND', 'CALL p()']);
    expect(() => parseCorpusText('x', '-- delimiter //\nSELECT 1;\n')).toThrow("no terminating '//'");
  });

  it(req(['CORE-SP-010'], 'unit', 'syntax errors in a body quote the offending text (1064)'), () => {
    try {
      parseOne('CREATE PROCEDURE p() BEGIN SELECT 1; ELSE; END');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(SqlError);
      expect((e as SqlError).errno).toBe(1064);
      expect((e as SqlError).message).toContain("near 'ELSE; END' at line 1");
    }
  });
});

/** A small grammar of bodies: nested blocks, flow control, SET, SELECT INTO and LEAVE. */
function bodyArb(): fc.Arbitrary<string> {
  const expr = fc.oneof(fc.constantFrom('v', 'v + 1', 'v * 2', "'s'", 'NULL', '(v > 3)', 'COALESCE(v, 0)'), fc.integer({ min: -5, max: 99 }).map(String));
  const stmt: fc.Memo<string> = fc.memo((depth: number) => {
    const leaf = fc.oneof(
      expr.map((e) => `SET v = ${e}`),
      expr.map((e) => `SELECT ${e} INTO v`),
      expr.map((e) => `SELECT ${e} AS c`),
      fc.constant('LEAVE main'),
    );
    if (depth <= 0) return leaf;
    const list = fc.array(stmt(depth - 1), { minLength: 1, maxLength: 3 }).map((xs) => xs.map((x) => x + ';').join(' '));
    return fc.oneof(
      leaf,
      fc.tuple(expr, list, list).map(([e, a, b]) => `IF ${e} THEN ${a} ELSE ${b} END IF`),
      fc.tuple(expr, list).map(([e, a]) => `WHILE ${e} DO ${a} END WHILE`),
      fc.tuple(list, expr).map(([a, e]) => `REPEAT ${a} UNTIL ${e} END REPEAT`),
      fc.tuple(expr, list).map(([e, a]) => `CASE ${e} WHEN 1 THEN ${a} ELSE BEGIN END; END CASE`),
      list.map((a) => `BEGIN DECLARE w INT DEFAULT 1; ${a} END`),
    );
  });
  return stmt(3).map((s) => `main: BEGIN DECLARE v INT DEFAULT 0; ${s}; END main`);
}

describe('routine grammar properties', () => {
  it(req(['CORE-SP-004'], 'unit', 'generated bodies parse back from their stored text to the same tree'), () => {
    fc.assert(
      fc.property(bodyArb(), (body) => {
        const s = create(`CREATE PROCEDURE p(IN a INT)\n${body}`);
        const again = create(definitionText(defOf(s)));
        expect(again.bodyText).toBe(body);
        expect(shape(again.body)).toEqual(shape(s.body));
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it(req(['CORE-SP-010'], 'unit', 'random text inside BEGIN ... END never crashes the parser: it parses or gives an SqlError'), () => {
    const words = fc.constantFrom('BEGIN', 'END', 'IF', 'THEN', 'ELSE', 'DECLARE', 'x', 'INT', ';', 'LOOP', 'LEAVE', 'l', ':', 'CASE', 'WHEN', '1', 'SET', '=', 'CURSOR', 'FOR', 'SELECT', 'HANDLER', 'CONTINUE', 'SQLSTATE', "'45000'", 'SIGNAL', 'RETURN', '(', ')', ',', 'FETCH', 'INTO', 'OPEN', 'REPEAT', 'UNTIL', 'WHILE', 'DO', 'GET', 'DIAGNOSTICS', 'CONDITION');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 25 }), fc.boolean(), (ws, fn) => {
        const head = fn ? 'CREATE FUNCTION f() RETURNS INT' : 'CREATE PROCEDURE p()';
        try {
          parse(`${head} BEGIN ${ws.join(' ')} END`);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});

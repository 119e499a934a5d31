import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../helpers/req.js';
import { Decimal } from '../../src/kernel/value.js';
import { compareValues } from '../../src/sql/types/compare.js';
import { compareStrings, sortKey, COLLATIONS } from '../../src/kernel/charset/index.js';
import { storeValue } from '../../src/sql/types/store.js';
import { SqlError } from '../../src/kernel/errors.js';
import type { ColumnDef } from '../../src/kernel/table-def.js';
import type { ColumnType } from '../../src/kernel/column-type.js';
import { fakeRuntime } from '../unit/eval/harness.js';
import { normalizeJsonText, parseJson, jsonToText } from '../../src/sql/types/json.js';
import { formatDouble } from '../../src/sql/types/format.js';
import { Temporal, type Value } from '../../src/kernel/value.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }))
  .map(([neg, u, scale]) => new Decimal(neg ? -u : u, scale).toString());

const num = fc.oneof(
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  decimalText.map((t) => Decimal.parse(t)!),
);

describe('type system properties', () => {
  it(req('CORE-TYPE-020', 'unit', 'Decimal parse/format round trip'), () => {
    fc.assert(
      fc.property(decimalText, (t) => {
        const d = Decimal.parse(t)!;
        expect(d.toString()).toBe(t);
      }),
      { numRuns: RUNS, seed: 42 },
    );
  });

  it(req('CORE-TYPE-050', 'unit', 'compareValues is antisymmetric and transitive on numbers'), () => {
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        const ab = compareValues(a, b)!, ba = compareValues(b, a)!;
        expect(ab).toBe(-ba || 0);
        const bc = compareValues(b, c)!, ac = compareValues(a, c)!;
        if (ab <= 0 && bc <= 0) expect(ac <= 0).toBe(true);
        if (ab >= 0 && bc >= 0) expect(ac >= 0).toBe(true);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it(req('CORE-TYPE-013', 'unit', 'sortKey equality agrees with compareStrings == 0 for every collation'), () => {
    const str = fc.string({ unit: fc.constantFrom('a', 'A', 'á', 'Ä', 'b', 'ß', 's', 'S', ' ', 'e', 'é', 'É', 'z', 'Å', '\u{1F600}', 'ø'), maxLength: 5 });
    fc.assert(
      fc.property(str, str, fc.constantFrom(...COLLATIONS.map((c) => c.name)), (a, b, coll) => {
        expect(sortKey(a, coll) === sortKey(b, coll)).toBe(compareStrings(a, b, coll) === 0);
        expect(compareStrings(a, b, coll)).toBe(-compareStrings(b, a, coll) || 0);
      }),
      { numRuns: RUNS * 3, seed: 11 },
    );
  });

  it(req('CORE-TYPE-012', 'unit', 'the ASCII fast path of utf8mb4_0900_ai_ci orders like the root collator'), () => {
    const coll = new Intl.Collator('und', { sensitivity: 'base' });
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 8 });
    fc.assert(
      fc.property(ascii, ascii, (a, b) => {
        const r = compareStrings(a, b, 'utf8mb4_0900_ai_ci');
        const ref = Math.sign(coll.compare(a, b));
        if (ref !== 0) expect(r).toBe(ref);
        else expect(r === 0).toBe(a.toLowerCase() === b.toLowerCase());
      }),
      { numRuns: RUNS * 3, seed: 13 },
    );
  });

  it(req('CORE-TYPE-080', 'unit', 'storeValue never throws anything but SqlError'), () => {
    const types: ColumnType[] = [
      { name: 'TINYINT' }, { name: 'INT', unsigned: true }, { name: 'BIGINT' }, { name: 'DECIMAL', length: 6, scale: 2 },
      { name: 'FLOAT' }, { name: 'DOUBLE', length: 6, scale: 2 }, { name: 'BIT', length: 5 }, { name: 'YEAR' },
      { name: 'CHAR', length: 3 }, { name: 'VARCHAR', length: 4 }, { name: 'BINARY', length: 2 }, { name: 'TEXT' },
      { name: 'ENUM', values: ['a', 'b'] }, { name: 'SET', values: ['x', 'y'] }, { name: 'DATE' }, { name: 'DATETIME', scale: 3 },
      { name: 'TIMESTAMP' }, { name: 'TIME', scale: 2 }, { name: 'JSON' },
    ];
    const value: fc.Arbitrary<Value> = fc.oneof(
      fc.constant(null),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.double(),
      decimalText.map((t) => Decimal.parse(t)!),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2024-02-30', '0000-00-00', '12:34:56.789', '{"a":1}', '1e400', '-', '99:99:99', '2024-01-01 25:00:00'),
      fc.uint8Array({ maxLength: 10 }).map((a) => Buffer.from(a)),
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 31 })).map(([y, m, d]) => new Temporal('DATETIME', y, m, d, 1, 2, 3, 0)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...types), value, fc.boolean(), (type, v, strict) => {
        const col: ColumnDef = { name: 'c', type, nullable: true, autoIncrement: false, comment: '', collation: 'utf8mb4_0900_ai_ci', charset: 'utf8mb4' };
        const rt = fakeRuntime({ sqlMode: strict ? ['STRICT_TRANS_TABLES'] : [] });
        try {
          storeValue(v, col, rt, 1);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
        }
      }),
      { numRuns: RUNS * 3, seed: 3 },
    );
  });

  it(req('CORE-TYPE-071', 'unit', 'JSON normalization is idempotent and double text round-trips'), () => {
    fc.assert(
      fc.property(fc.json(), (j) => {
        const once = normalizeJsonText(j);
        expect(normalizeJsonText(once)).toBe(once);
        expect(jsonToText(parseJson(once))).toBe(once);
      }),
      { numRuns: RUNS, seed: 5 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Number(formatDouble(d))).toBe(d);
      }),
      { numRuns: RUNS, seed: 9 },
    );
  });
});

import { FUNCTIONS } from '../../src/sql/eval/functions/registry.js';
import { compileExpr } from '../../src/sql/eval/index.js';
import type { Expr } from '../../src/sql/ast.js';

describe('evaluator robustness', () => {
  it(req('CORE-EXPR-004', 'unit', 'every native function on random literal arguments returns a value or throws SqlError'), () => {
    const names = [...FUNCTIONS.values()].filter((f) => !f.raw && !['SLEEP', 'GET_LOCK', 'BENCHMARK', 'RANDOM_BYTES'].includes(f.name)).map((f) => f.name);
    const lit: fc.Arbitrary<Expr> = fc.oneof(
      fc.constant<Expr>({ type: 'literal', kind: 'null', value: null }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map((b): Expr => ({ type: 'literal', kind: 'int', value: b.toString() })),
      decimalText.map((t): Expr => ({ type: 'literal', kind: 'decimal', value: t })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d): Expr => ({ type: 'literal', kind: 'float', value: String(d) })),
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('2024-02-29 10:11:12.5', '$.a', '$[0]', '{"a": [1, 2]}', '[1, "x"]', '%Y-%m-%d', '::1', '10.0.0.1', 'a,b', '-1', '1e400', '838:59:59'))
        .map((s): Expr => ({ type: 'literal', kind: 'string', value: s })),
      fc.uint8Array({ maxLength: 6 }).map((a): Expr => ({ type: 'literal', kind: 'hex', value: Buffer.from(a) })),
    );
    const mkCall = (argArb: fc.Arbitrary<Expr>) =>
      fc.tuple(fc.constantFrom(...names), fc.array(argArb, { maxLength: 4 })).map(([name, args]) => {
        const def = FUNCTIONS.get(name)!;
        const n = Math.max(def.min, Math.min(def.max, args.length));
        while (args.length < n) args.push({ type: 'literal', kind: 'int', value: '1' });
        return { type: 'func', name, args: args.slice(0, n) } as Expr;
      });
    const ops = ['+', '-', '*', '/', 'DIV', '%', '=', '<=>', '<', '>=', 'AND', 'OR', 'XOR', '&', '|', '^', '<<', '>>', 'REGEXP'] as const;
    const inner = fc.oneof(lit, mkCall(lit));
    const binary = fc.tuple(fc.constantFrom(...ops), inner, inner).map(([op, left, right]) => ({ type: 'binary', op, left, right }) as Expr);
    const call = fc.oneof(mkCall(fc.oneof(inner, binary)), binary);
    const scope = { resolveColumn: () => { throw new Error('no columns'); } };
    fc.assert(
      fc.property(call, (e) => {
        const rt = fakeRuntime();
        try {
          const c = compileExpr(e, scope);
          if (!c.async) c.eval([], rt);
        } catch (err) {
          if (!(err instanceof SqlError)) throw new Error(`${JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}: ${(err as Error).stack}`);
        }
      }),
      { numRuns: RUNS * 10, seed: 21 },
    );
  });
});

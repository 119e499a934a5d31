import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { compareValues, tupleKey, valueKey } from '../../../src/exec/query/compare.js';
import { DiagnosticsArea } from '../../../src/kernel/diagnostics.js';
import { rewriteStatement } from '../../../src/exec/rewrite.js';
import { createAggState, aggregateType } from '../../../src/exec/query/aggregates.js';
import { Decimal } from '../../../src/kernel/value.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import type { Runtime } from '../../../src/sql/eval/index.js';
import type { AggregateCall, SelectStatement } from '../../../src/sql/ast.js';

describe('ordering and grouping keys', () => {
  it(req('CORE-EXEC-034', 'unit', 'NULL sorts first; numbers compare across representations'), () => {
    expect(compareValues(null, 1n)).toBe(-1);
    expect(compareValues(2n, 1.5)).toBe(1);
    expect(compareValues(new Decimal(150n, 2), 1.5)).toBe(0);
    expect(compareValues('a', 'B', 'utf8mb4_0900_ai_ci')).toBe(-1);
    expect(compareValues('a', 'A', 'utf8mb4_0900_ai_ci')).toBe(0);
  });
  it(req('CORE-EXEC-035', 'unit', 'grouping keys treat equal values alike'), () => {
    expect(valueKey(1n)).toBe(valueKey(1));
    expect(valueKey(new Decimal(100n, 2))).toBe(valueKey(1n));
    expect(valueKey('abc', 'utf8mb4_0900_ai_ci')).toBe(valueKey('ABC', 'utf8mb4_0900_ai_ci'));
    expect(tupleKey([null, 'x'])).not.toBe(tupleKey(['', 'x']));
  });
});

describe('diagnostics area', () => {
  it(req('CORE-EXEC-003', 'unit', 'counts warnings beyond the stored limit'), () => {
    const d = new DiagnosticsArea();
    d.limit = 2;
    for (let i = 0; i < 3; i++) d.push({ level: 'Warning', code: 1265, message: 'x' });
    d.push({ level: 'Error', code: 1062, message: 'dup' });
    expect(d.list).toHaveLength(2);
    expect(d.warningCount()).toBe(4);
    d.clear();
    expect(d.warningCount()).toBe(0);
  });
});

describe('quantified subquery rewrite', () => {
  it(req('CORE-EXEC-036', 'unit', '= ANY becomes IN, > ALL becomes NOT EXISTS'), () => {
    const s = parseOne('SELECT 1 FROM t WHERE a = ANY (SELECT b FROM u) AND a > ALL (SELECT b FROM u)') as SelectStatement;
    rewriteStatement(s);
    const where = (s.query as { where: { left: { type: string }; right: { type: string; not: boolean } } }).where;
    expect(where.left.type).toBe('in');
    expect(where.right.type).toBe('exists');
    expect(where.right.not).toBe(true);
  });
});

describe('aggregates', () => {
  const rt = { warn: () => undefined } as unknown as Runtime;
  const arg = { eval: (r: unknown[]) => r[0] as bigint | null, type: { kind: 'int' as const, length: 11, decimals: 0, nullable: true } };
  it(req('CORE-EXEC-033', 'unit', 'SUM of integers is exact DECIMAL; AVG adds four decimals; NULLs are skipped'), () => {
    const sum: AggregateCall = { type: 'aggregate', name: 'SUM', args: [] };
    const st = createAggState({ call: sum, args: [arg], order: [], slot: 0, type: aggregateType(sum, arg.type, 1024) }, 1024);
    for (const v of [1n, 2n, null, 3n]) st.add([v], rt);
    expect(String(st.result(rt))).toBe('6');
    const avg: AggregateCall = { type: 'aggregate', name: 'AVG', args: [] };
    const a = createAggState({ call: avg, args: [arg], order: [], slot: 0, type: aggregateType(avg, arg.type, 1024) }, 1024);
    for (const v of [1n, 2n]) a.add([v], rt);
    expect(String(a.result(rt))).toBe('1.5000');
    const cnt: AggregateCall = { type: 'aggregate', name: 'COUNT', args: [], distinct: true };
    const c = createAggState({ call: cnt, args: [arg], order: [], slot: 0, type: aggregateType(cnt, arg.type, 1024) }, 1024);
    for (const v of [1n, 1n, null, 2n]) c.add([v], rt);
    expect(c.result(rt)).toBe(2n);
  });
});

import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { createAggregate } from '../../../src/sql/eval/aggregates.js';
import type { AggregateCall } from '../../../src/sql/ast.js';
import { intType, decimalType, doubleType, stringType } from '../../../src/sql/eval/type-rules.js';
import { Decimal, type Value } from '../../../src/sql/types/value.js';
import { fakeRuntime } from './harness.js';
import type { ExprType } from '../../../src/sql/eval/types.js';

const col = { type: 'column', name: 'x' } as const;
function agg(call: Partial<AggregateCall> & Pick<AggregateCall, 'name'>, types: ExprType[], rows: Value[][], rt = fakeRuntime()) {
  const a = createAggregate({ type: 'aggregate', args: [col], ...call }, types, rt);
  for (const r of rows) a.add(r);
  const v = a.result();
  return { v: v instanceof Decimal ? v.toString() : v, a, rt };
}

describe('aggregates', () => {
  it(req('CORE-EXPR-080', 'unit', 'COUNT, SUM, AVG with exact and inexact inputs'), () => {
    const ints = [[1n], [2n], [null], [2n]];
    expect(agg({ name: 'COUNT', star: true, args: [] }, [], ints).v).toBe(4n);
    expect(agg({ name: 'COUNT' }, [intType()], ints).v).toBe(3n);
    expect(agg({ name: 'COUNT', distinct: true }, [intType()], ints).v).toBe(2n);
    expect(agg({ name: 'SUM' }, [intType()], ints).v).toBe('5');
    expect(agg({ name: 'SUM', distinct: true }, [intType()], ints).v).toBe('3');
    expect(agg({ name: 'AVG' }, [intType()], ints).v).toBe('1.6667');
    expect(agg({ name: 'AVG' }, [decimalType(5, 2)], [[new Decimal(150n, 2)], [new Decimal(250n, 2)]]).v).toBe('2.000000');
    expect(agg({ name: 'SUM' }, [doubleType()], [[0.1], [0.2]]).v).toBe(0.30000000000000004);
    expect(agg({ name: 'SUM' }, [intType()], []).v).toBe(null);
    expect(agg({ name: 'COUNT' }, [intType()], []).v).toBe(0n);
    const { a } = agg({ name: 'SUM' }, [intType()], ints);
    a.reset();
    a.add([7n]);
    expect(String(a.result())).toBe('7');
  });

  it(req('CORE-EXPR-081', 'unit', 'MIN/MAX are collation-aware; BIT_*; variance family'), () => {
    const strs = [['b'], ['A'], ['c']];
    expect(agg({ name: 'MIN' }, [stringType(10)], strs).v).toBe('A');
    expect(agg({ name: 'MAX' }, [stringType(10)], strs).v).toBe('c');
    expect(agg({ name: 'MIN' }, [stringType(10, true, 'utf8mb4_bin')], [['b'], ['a'], ['B']]).v).toBe('B');
    expect(agg({ name: 'BIT_OR' }, [intType()], [[1n], [4n]]).v).toBe(5n);
    expect(agg({ name: 'BIT_AND' }, [intType()], []).v).toBe(18446744073709551615n);
    expect(agg({ name: 'BIT_XOR' }, [intType()], [[3n], [1n]]).v).toBe(2n);
    expect(agg({ name: 'VAR_POP' }, [intType()], [[1n], [2n], [3n], [4n]]).v).toBe(1.25);
    expect(agg({ name: 'STDDEV_SAMP' }, [intType()], [[2n], [4n]]).v).toBeCloseTo(Math.SQRT2, 12);
    expect(agg({ name: 'VAR_SAMP' }, [intType()], [[2n]]).v).toBe(null);
  });

  it(req('CORE-EXPR-082', 'unit', 'GROUP_CONCAT with DISTINCT, ORDER BY, SEPARATOR and the length limit (1260)'), () => {
    const t = [stringType(10)];
    expect(agg({ name: 'GROUP_CONCAT' }, t, [['b'], ['a'], [null], ['b']]).v).toBe('b,a,b');
    expect(agg({ name: 'GROUP_CONCAT', distinct: true }, t, [['b'], ['a'], ['B']]).v).toBe('b,a');
    expect(agg({ name: 'GROUP_CONCAT', separator: '-', orderBy: [{ expr: col, desc: true }] }, [stringType(10), stringType(10)], [['a', 'a'], ['c', 'c'], ['b', 'b']]).v).toBe('c-b-a');
    const rt = fakeRuntime();
    const long = Array.from({ length: 300 }, (_v, i) => [String(i).padStart(5, '0')]);
    const r = agg({ name: 'GROUP_CONCAT' }, t, long, rt);
    expect((r.v as string).length).toBe(1024);
    expect(rt.warnings.map((w) => `${w.code} ${w.message}`)).toEqual(['1260 Row 171 was cut by GROUP_CONCAT()']);
  });

  it(req('CORE-EXPR-083', 'unit', 'JSON_ARRAYAGG and JSON_OBJECTAGG'), () => {
    expect(agg({ name: 'JSON_ARRAYAGG' }, [intType()], [[1n], [null], [2n]]).v).toBe('[1, null, 2]');
    expect(agg({ name: 'JSON_OBJECTAGG', args: [col, col] }, [stringType(5), intType()], [['b', 1n], ['a', 2n]]).v).toBe('{"a": 2, "b": 1}');
  });
});

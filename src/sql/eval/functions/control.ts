/**
 * Control-flow functions: IF, IFNULL, NULLIF, COALESCE, ISNULL (CASE is compiled in compile.ts).
 * Results take the aggregated type of the alternatives.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flow-control-functions.html
 * @req CORE-EXPR-050
 */
import { toBoolean } from '../../types/convert.js';
import type { Row, Value } from '../../../kernel/value.js';
import { aggregateTypes, coerceToType, intType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { makeComparator } from '../compile.js';
import { defineFunction } from './registry.js';

defineFunction('IF', 3, 3, (args): CompiledExpr => {
  const [c, a, b] = args as [CompiledExpr, CompiledExpr, CompiledExpr];
  const type = aggregateTypes([a.type, b.type]);
  type.nullable = a.type.nullable || b.type.nullable || a.type.kind === 'null' || b.type.kind === 'null';
  const ce = c.eval, ae = a.eval, be = b.eval;
  return {
    type,
    eval: (row: Row, rt: Runtime): Value => {
      const cv = ce(row, rt);
      const t = typeof cv === 'bigint' ? cv !== 0n : toBoolean(cv, rt) === true;
      return coerceToType(t ? ae(row, rt) : be(row, rt), type);
    },
  };
});

defineFunction('IFNULL', 2, 2, (args): CompiledExpr => {
  const [a, b] = args as [CompiledExpr, CompiledExpr];
  const type = aggregateTypes([a.type, b.type]);
  type.nullable = a.type.nullable && b.type.nullable;
  const ae = a.eval, be = b.eval;
  return {
    type,
    eval: (row: Row, rt: Runtime): Value => {
      const v = ae(row, rt);
      return coerceToType(v === null ? be(row, rt) : v, type);
    },
  };
});

defineFunction('COALESCE', 1, Infinity, (args): CompiledExpr => {
  const type = aggregateTypes(args.map((a) => a.type));
  type.nullable = args.every((a) => a.type.nullable);
  const evs = args.map((a) => a.eval);
  return {
    type,
    eval: (row: Row, rt: Runtime): Value => {
      for (const e of evs) {
        const v = e(row, rt);
        if (v !== null) return coerceToType(v, type);
      }
      return null;
    },
  };
});

defineFunction('NULLIF', 2, 2, (args): CompiledExpr => {
  const [a, b] = args as [CompiledExpr, CompiledExpr];
  const type = { ...a.type, nullable: true };
  const cmp = makeComparator(a.type, b.type);
  const ae = a.eval, be = b.eval;
  return {
    type,
    eval: (row: Row, rt: Runtime): Value => {
      const v = ae(row, rt);
      if (v === null) return null;
      return cmp(v, be(row, rt), rt) === 0 ? null : v;
    },
  };
});

defineFunction('ISNULL', 1, 1, (args): CompiledExpr => {
  const e = args[0]!.eval;
  return { type: intType(1, false), eval: (row: Row, rt: Runtime): Value => (e(row, rt) === null ? 1n : 0n) };
});

/** INTERVAL(N, N1, N2, ...): index of the last Ni <= N. */
defineFunction('INTERVAL', 2, Infinity, (args): CompiledExpr => {
  const evs = args.map((a) => a.eval);
  const cmp = args.slice(1).map((a) => makeComparator(args[0]!.type, a.type));
  return {
    type: intType(2, false),
    eval: (row: Row, rt: Runtime): Value => {
      const v = evs[0]!(row, rt);
      if (v === null) return -1n;
      let k = 0;
      for (; k < cmp.length; k++) {
        const w = evs[k + 1]!(row, rt);
        const c = w === null ? 1 : cmp[k]!(v, w, rt);
        if (c !== null && c < 0) break;
      }
      return BigInt(k);
    },
  };
});

/**
 * SHOW ... WHERE: the condition is evaluated over the SHOW result's own columns (by name,
 * case-insensitively). This small evaluator covers what SHOW filters use in practice:
 * comparisons, LIKE, IN, BETWEEN, IS [NOT] NULL, AND/OR/XOR/NOT, with case-insensitive string
 * comparison (the columns are utf8mb3_general_ci in MySQL).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/extended-show.html
 * @req CORE-SHOW-002
 */
import type { Expr } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import { literalValue } from '../ddl/default-value.js';
import { likeMatcher } from './result.js';

type Tri = boolean | null;

function cmp(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  const na = typeof a === 'bigint' || typeof a === 'number';
  const nb = typeof b === 'bigint' || typeof b === 'number';
  if (na || nb) {
    const x = Number(typeof a === 'string' ? parseFloat(a) || 0 : (a as number | bigint));
    const y = Number(typeof b === 'string' ? parseFloat(b) || 0 : (b as number | bigint));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = String(a).toLowerCase().replace(/ +$/, '');
  const y = String(b).toLowerCase().replace(/ +$/, '');
  return x < y ? -1 : x > y ? 1 : 0;
}

function truth(v: Value): Tri {
  if (v === null) return null;
  if (typeof v === 'string') return (parseFloat(v) || 0) !== 0;
  return Number(v) !== 0;
}

function fromTri(t: Tri): Value {
  return t === null ? null : t ? 1n : 0n;
}

/** Build a predicate over SHOW rows; `names` are the result column names. */
export function showWherePredicate(where: Expr, names: string[]): (row: Row) => boolean {
  const lower = names.map((n) => n.toLowerCase());
  const ev = (e: Expr, row: Row): Value => {
    switch (e.type) {
      case 'column': {
        const i = lower.indexOf(e.name.toLowerCase());
        if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', e.name, 'where clause');
        return row[i] ?? null;
      }
      case 'unary':
        if (e.op === 'NOT' || e.op === '!') {
          const t = truth(ev(e.operand, row));
          return fromTri(t === null ? null : !t);
        }
        if (e.op === '-') {
          const v = ev(e.operand, row);
          return typeof v === 'bigint' ? -v : v === null ? null : -Number(v);
        }
        return ev(e.operand, row);
      case 'binary': {
        if (e.op === 'AND' || e.op === '&&') {
          const a = truth(ev(e.left, row));
          if (a === false) return 0n;
          const b = truth(ev(e.right, row));
          if (b === false) return 0n;
          return a === null || b === null ? null : 1n;
        }
        if (e.op === 'OR' || e.op === '||') {
          const a = truth(ev(e.left, row));
          if (a === true) return 1n;
          const b = truth(ev(e.right, row));
          if (b === true) return 1n;
          return a === null || b === null ? null : 0n;
        }
        if (e.op === 'XOR') {
          const a = truth(ev(e.left, row));
          const b = truth(ev(e.right, row));
          return a === null || b === null ? null : fromTri(a !== b);
        }
        const l = ev(e.left, row);
        const r = ev(e.right, row);
        if (e.op === '<=>') return fromTri(l === null || r === null ? l === r : cmp(l, r) === 0);
        const c = cmp(l, r);
        if (c === null) return null;
        switch (e.op) {
          case '=': return fromTri(c === 0);
          case '<>': case '!=': return fromTri(c !== 0);
          case '<': return fromTri(c < 0);
          case '<=': return fromTri(c <= 0);
          case '>': return fromTri(c > 0);
          case '>=': return fromTri(c >= 0);
          default: throw sqlError('ER_NOT_SUPPORTED_YET', `operator ${e.op} in SHOW ... WHERE`);
        }
      }
      case 'like': {
        const v = ev(e.expr, row);
        const p = ev(e.pattern, row);
        if (v === null || p === null) return null;
        const m = likeMatcher(String(p), true)(String(v));
        return fromTri(e.not ? !m : m);
      }
      case 'in': {
        const v = ev(e.expr, row);
        if (v === null) return null;
        let sawNull = false;
        for (const x of e.list ?? []) {
          const c = cmp(v, ev(x, row));
          if (c === null) sawNull = true;
          else if (c === 0) return fromTri(!e.not);
        }
        return sawNull ? null : fromTri(e.not);
      }
      case 'between': {
        const v = ev(e.expr, row);
        const a = cmp(v, ev(e.low, row));
        const b = cmp(v, ev(e.high, row));
        if (a === null || b === null) return null;
        const inside = a >= 0 && b <= 0;
        return fromTri(e.not ? !inside : inside);
      }
      case 'is': {
        const v = ev(e.expr, row);
        let r: boolean;
        if (e.test === 'NULL' || e.test === 'UNKNOWN') r = v === null;
        else r = truth(v) === (e.test === 'TRUE');
        return fromTri(e.not ? !r : r);
      }
      default: {
        const v = literalValue(e);
        if (v === undefined) throw sqlError('ER_NOT_SUPPORTED_YET', 'this expression in SHOW ... WHERE');
        return v;
      }
    }
  };
  return (row: Row) => truth(ev(where, row)) === true;
}

/**
 * Conditions and sort keys as EXPLAIN prints them. Two styles: the iterator tree's
 * (`(t1.a > 1)`: columns named by table alias, quoted only when they must be) and the JSON
 * plan's (`` (`test`.`t1`.`a` > 1) ``: every column qualified by schema and alias). Both put
 * every operator in parentheses and write functions and operators in lower case, as MySQL does.
 * This prints only what EXPLAIN shows; the rewritten query of the 1003 note would need the
 * server's normalised statement printer, which is not this.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXPLAIN-003 CORE-EXPLAIN-006
 */
import type { ColumnRef, Expr } from '../../../sql/ast.js';
import { exprText } from '../../../sql/eval/expr-text.js';
import { isReserved } from '../../../sql/lexer/keywords.js';
import type { Scope } from '../scope.js';

export type TextStyle = 'tree' | 'json';

/** Where a column of a condition comes from: its table's alias and schema, or nothing known. */
export type ColumnResolver = (c: ColumnRef) => { alias: string; schema: string } | null;

/** A resolver over a block's scope (its own tables first, then enclosing blocks'). */
export function scopeResolver(scope: Scope): ColumnResolver {
  return (c) => {
    for (let s: Scope | null = scope; s !== null; s = s.outer) {
      let hit: ReturnType<Scope['lookup']>;
      try {
        hit = s.lookup(c);
      } catch {
        return null;
      }
      if (hit === 'ambiguous') return null;
      if (hit && hit.source) return { alias: hit.source.alias, schema: hit.source.schema };
    }
    return null;
  };
}

function plainIdent(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !isReserved(name.toUpperCase());
}

function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function column(c: ColumnRef, style: TextStyle, resolve: ColumnResolver): string {
  const at = resolve(c);
  if (style === 'json') {
    if (!at) return quote(c.name);
    const parts = at.schema ? [at.schema, at.alias, c.name] : [at.alias, c.name];
    return parts.map(quote).join('.');
  }
  const name = plainIdent(c.name) ? c.name : quote(c.name);
  if (!at) return name;
  return (plainIdent(at.alias) ? at.alias : quote(at.alias)) + '.' + name;
}

const OPS: Record<string, string> = { '&&': 'and', '||': 'or', '!=': '<>', MOD: '%' };

/** An expression in the given style. */
export function conditionText(e: Expr, style: TextStyle, resolve: ColumnResolver): string {
  const t = (x: Expr): string => conditionText(x, style, resolve);
  switch (e.type) {
    case 'column':
      return e.name === '*' ? '*' : column(e, style, resolve);
    case 'binary': {
      const op = OPS[e.op] ?? e.op.toLowerCase();
      return `(${t(e.left)} ${op} ${t(e.right)})`;
    }
    case 'unary':
      if (e.op === 'NOT' || e.op === '!') return `(not(${t(e.operand)}))`;
      if (e.op === '-') return `-(${t(e.operand)})`;
      return `${e.op.toLowerCase()}(${t(e.operand)})`;
    case 'func':
      return `${e.name.toLowerCase()}(${e.args.map(t).join(',')})`;
    case 'aggregate':
      if (e.star) return `${e.name.toLowerCase()}(0)`;
      return `${e.name.toLowerCase()}(${e.distinct ? 'distinct ' : ''}${e.args.map(t).join(',')})`;
    case 'between':
      return `(${t(e.expr)}${e.not ? ' not' : ''} between ${t(e.low)} and ${t(e.high)})`;
    case 'in':
      if (e.list) return `(${t(e.expr)}${e.not ? ' not' : ''} in (${e.list.map(t).join(',')}))`;
      return `(${t(e.expr)}${e.not ? ' not' : ''} in (subquery))`;
    case 'like':
      return `(${t(e.expr)}${e.not ? ' not' : ''} like ${t(e.pattern)}${e.escape ? ` escape ${t(e.escape)}` : ''})`;
    case 'is':
      return `(${t(e.expr)} is${e.not ? ' not' : ''} ${e.test.toLowerCase()})`;
    case 'exists':
      return e.not ? '(not(exists(subquery)))' : 'exists(subquery)';
    case 'subquery':
      return '(subquery)';
    case 'case':
      return `(case ${e.operand ? t(e.operand) + ' ' : ''}${e.whens.map((w) => `when ${t(w.when)} then ${t(w.then)}`).join(' ')}${e.else ? ` else ${t(e.else)}` : ''} end)`;
    default:
      return exprText(e);
  }
}

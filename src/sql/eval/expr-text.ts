/**
 * Printing expressions back as text the way MySQL does in messages such as
 * "BIGINT value is out of range in '(a + b)'".
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/out-of-range-and-overflow.html
 * @req CORE-EXPR-011
 */
import type { Expr } from '../ast.js';

export function exprText(e: Expr): string {
  switch (e.type) {
    case 'literal':
      if (e.kind === 'null') return 'NULL';
      if (e.kind === 'string') return `'${String(e.value).replace(/'/g, "''")}'`;
      if (e.kind === 'hex' || e.kind === 'bit') return '0x' + (Buffer.isBuffer(e.value) ? e.value.toString('hex') : '');
      if (e.kind === 'bool') return e.value ? 'true' : 'false';
      return String(e.value);
    case 'column':
      return [e.schema, e.table, e.name].filter((x) => x !== undefined).map((x) => '`' + x + '`').join('.');
    case 'param':
      return '?';
    case 'uservar':
      return '@`' + e.name + '`';
    case 'sysvar':
      return '@@' + e.name;
    case 'unary':
      return e.op === '-' ? `-(${exprText(e.operand)})` : `(${e.op.toLowerCase()} ${exprText(e.operand)})`;
    case 'binary':
      return `(${exprText(e.left)} ${e.op.toLowerCase() === 'mod' ? '%' : e.op.toLowerCase()} ${exprText(e.right)})`;
    case 'func':
      return `${e.name.toLowerCase()}(${e.args.map(exprText).join(',')})`;
    case 'cast':
      return `cast(${exprText(e.expr)} as ${e.targetKeyword.toLowerCase()})`;
    case 'interval':
      return `interval ${exprText(e.value)} ${e.unit.toLowerCase()}`;
    default:
      return e.type;
  }
}

/**
 * Information functions, answered through the runtime's session hooks: DATABASE/SCHEMA, USER
 * and its synonyms, CURRENT_USER, CONNECTION_ID, LAST_INSERT_ID, FOUND_ROWS, ROW_COUNT,
 * VERSION, CURRENT_ROLE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html
 * @req CORE-EXPR-090
 */
import { toBigInt } from '../../types/convert.js';
import type { Row, Value } from '../../../kernel/value.js';
import { intType, stringType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { defineFunction } from './registry.js';

const UTF8 = 'utf8mb3_general_ci';

/** System constants (USER(), DATABASE(), VERSION()...) have coercibility 3 (SYSCONST). @req CORE-CS-060 */
function sysconst(t: ExprType): ExprType {
  return { ...t, coercibility: 3 };
}
defineFunction(['DATABASE', 'SCHEMA'], 0, 0, (): CompiledExpr => ({ type: sysconst(stringType(34, true, UTF8)), eval: (_r: Row, rt: Runtime) => rt.info.database() }));
defineFunction(['USER', 'SESSION_USER', 'SYSTEM_USER'], 0, 0, (): CompiledExpr => ({ type: sysconst(stringType(288, false, UTF8)), eval: (_r: Row, rt: Runtime) => rt.info.user() }));
defineFunction('CURRENT_USER', 0, 0, (): CompiledExpr => ({ type: sysconst(stringType(288, false, UTF8)), eval: (_r: Row, rt: Runtime) => rt.info.currentUser() }));
defineFunction('CURRENT_ROLE', 0, 0, (): CompiledExpr => ({ type: sysconst(stringType(70, false, UTF8)), eval: (_r: Row, rt: Runtime) => rt.info.currentRole() }));
defineFunction('CONNECTION_ID', 0, 0, (): CompiledExpr => ({ type: intType(10, false, true), eval: (_r: Row, rt: Runtime) => BigInt(rt.info.connectionId()) }));
defineFunction('VERSION', 0, 0, (): CompiledExpr => ({ type: sysconst(stringType(30, false, UTF8)), eval: (_r: Row, rt: Runtime) => rt.info.version() }));
defineFunction('FOUND_ROWS', 0, 0, (): CompiledExpr => ({ type: intType(21, false), eval: (_r: Row, rt: Runtime) => rt.info.foundRows() }));
defineFunction('ROW_COUNT', 0, 0, (): CompiledExpr => ({ type: intType(21, false), eval: (_r: Row, rt: Runtime) => rt.info.rowCount() }));
defineFunction('LAST_INSERT_ID', 0, 1, (args): CompiledExpr => {
  if (args.length === 0) return { type: intType(21, false, true), eval: (_r: Row, rt: Runtime) => rt.info.lastInsertId() };
  const e = args[0]!.eval;
  return {
    type: intType(21, true, true),
    eval: (row: Row, rt: Runtime): Value => {
      const v = e(row, rt);
      if (v === null) return null;
      const b = BigInt.asUintN(64, toBigInt(v, rt)!);
      rt.info.setLastInsertId(b);
      return b;
    },
  };
});

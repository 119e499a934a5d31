/**
 * Functions that describe the server build and its optional components: ICU_VERSION (the ICU
 * library of the build we impersonate) and VALIDATE_PASSWORD_STRENGTH (answered as MySQL answers
 * it when the validate_password component is not installed, which is the case here).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html#function_icu-version
 * @spec https://dev.mysql.com/doc/refman/8.0/en/encryption-functions.html#function_validate-password-strength
 * @req CORE-FN-042 CORE-FN-043
 */
import type { Row } from '../../../kernel/value.js';
import { intType, stringType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { defineFunction } from './registry.js';

/** The ICU release bundled with MySQL 8.0.40 source builds (extra/icu/icu-release-73-1). @req CORE-FN-042 */
export const ICU_VERSION = '73.1';

// @req CORE-FN-042 a system constant in utf8mb3, like VERSION().
defineFunction('ICU_VERSION', 0, 0, (): CompiledExpr => ({
  type: { ...stringType(ICU_VERSION.length, false, 'utf8mb3_general_ci'), coercibility: 3 },
  constant: true,
  eval: () => ICU_VERSION,
}));

// @req CORE-FN-043 no validate_password component: every password scores 0; NULL stays NULL.
defineFunction('VALIDATE_PASSWORD_STRENGTH', 1, 1, (args): CompiledExpr => {
  const a = args[0]!.eval;
  return {
    type: intType(11, true),
    eval: (row: Row, rt: Runtime) => (a(row, rt) === null ? null : 0n),
  };
});

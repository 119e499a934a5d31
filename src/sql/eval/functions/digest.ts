/**
 * performance_schema's functions: STATEMENT_DIGEST(statement) and STATEMENT_DIGEST_TEXT(statement),
 * the digest and normalised text performance_schema records for a statement (sql/digest.ts; the
 * argument must parse as a statement, else its syntax error; NULL gives NULL), and
 * PS_CURRENT_THREAD_ID() / PS_THREAD_ID().
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/encryption-functions.html#function_statement-digest
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-functions.html
 * @req CORE-PFS-027 CORE-PFS-010
 */
import { statementDigest } from '../../digest.js';
import { parse } from '../../parser/index.js';
import type { Value } from '../../../kernel/value.js';
import { PS_THREAD_ID_OFFSET } from '../../../kernel/thread-ids.js';
import { intType, stringType } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';
import { i, s, strict } from './helpers.js';
import { defineFunction } from './registry.js';

/** Digest the text of a statement, after checking that it parses under the session's sql_mode. */
function digestOf(v: Value, rt: Runtime): { text: string; hash: string } {
  const text = Buffer.isBuffer(v) ? v.toString('utf8') : s(v);
  // A statement that does not parse is an error, as in MySQL (the parser's 1064).
  parse(text, { sqlMode: rt.sqlMode, allowParams: true });
  return statementDigest(text, { ansiQuotes: rt.sqlMode.has('ANSI_QUOTES'), noBackslashEscapes: rt.sqlMode.has('NO_BACKSLASH_ESCAPES') });
}

/** @req CORE-PFS-027 */
defineFunction('STATEMENT_DIGEST', 1, 1, (args): CompiledExpr => strict(args, stringType(64, true, 'utf8mb3_general_ci'), ([v], rt) => digestOf(v!, rt).hash));
/** @req CORE-PFS-027 */
defineFunction('STATEMENT_DIGEST_TEXT', 1, 1, (args): CompiledExpr => strict(args, stringType(4294967295, true, 'utf8mb3_general_ci'), ([v], rt) => digestOf(v!, rt).text));

/**
 * PS_CURRENT_THREAD_ID() and PS_THREAD_ID(connection_id): performance_schema's THREAD_ID of the
 * current connection, or of a connection id (NULL for NULL).
 * @req CORE-PFS-010
 */
defineFunction('PS_CURRENT_THREAD_ID', 0, 0, (): CompiledExpr => ({ type: intType(21, false, true), eval: (_row, rt) => BigInt(rt.info.connectionId() + PS_THREAD_ID_OFFSET) }));
defineFunction('PS_THREAD_ID', 1, 1, (args): CompiledExpr => strict(args, intType(21, true, true), ([v], rt) => i(v!, rt) + BigInt(PS_THREAD_ID_OFFSET)));

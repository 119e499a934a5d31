/**
 * LOAD_FILE(file_name): a server file's contents as a binary string. The access rules (FILE
 * privilege, secure_file_priv, readable by all, max_allowed_packet) live with the executor's
 * other server-file code; here the name is evaluated and handed over.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-functions.html#function_load-file
 * @req CORE-FN-007
 */
import { stringType } from '../type-rules.js';
import type { CompiledExpr } from '../types.js';
import { s, strict } from './helpers.js';
import { defineFunction } from './registry.js';

/** @req CORE-FN-007 */
defineFunction('LOAD_FILE', 1, 1, (args): CompiledExpr =>
  strict(args, stringType(4294967295, true, 'binary'), ([v], rt) => (rt.loadFile ? rt.loadFile(Buffer.isBuffer(v) ? v.toString('utf8') : s(v!)) : null)),
);

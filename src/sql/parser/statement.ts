/**
 * Statement dispatch on the leading keyword(s).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-SQL-001 CORE-SQL-002
 */
import type { Statement } from '../ast.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseDelete, parseInsert, parseLoadData, parseUpdate } from './dml.js';
import { otherStatement, parseAlter, parseCreate, parseDrop, parseRename, parseTruncate } from './ddl.js';
import { parseAdminStatement, parseKeyCacheStatement } from './admin.js';
import { parseGrant, parseRevoke } from './account.js';
import { parseSelectStatement, parseWithClause } from './select.js';
import { parseAlterRoutine, parseCall, parseDropRoutine, parseTopLevelCompound, tryParseCreateRoutine } from './routines.js';

/** Parse one statement; the cursor must end at the statement terminator. */
export function parseStatement(p: Cursor): Statement {
  const stmt = parseStatementBody(p);
  if (!p.atEnd()) throw p.error();
  return stmt;
}

export function parseStatementBody(p: Cursor): Statement {
  const t = p.peek();
  if (t.type === Tok.OP && t.value === '(') return parseSelectStatement(p);
  if (t.type !== Tok.IDENT) throw p.error();
  switch (t.upper) {
    case 'WITH': {
      const save = p.pos;
      const w = parseWithClause(p);
      if (p.isKw('UPDATE')) return { ...parseUpdate(p), with: w };
      if (p.isKw('DELETE')) return { ...parseDelete(p), with: w };
      p.pos = save;
      return parseSelectStatement(p);
    }
    case 'SELECT':
    case 'TABLE':
    case 'VALUES':
      return parseSelectStatement(p);
    case 'INSERT':
    case 'REPLACE':
      return parseInsert(p);
    case 'UPDATE':
      return parseUpdate(p);
    case 'DELETE':
      return parseDelete(p);
    case 'LOAD':
      if (p.isKw('DATA', 1)) return parseLoadData(p);
      if (p.isKw('INDEX', 1)) return parseKeyCacheStatement(p);
      if (p.isKw('XML', 1)) return otherStatement(p, 2);
      throw p.error(p.peek(1));
    case 'CREATE': {
      // CREATE [DEFINER=...] PROCEDURE|FUNCTION. @req CORE-SP-001
      p.next();
      const r = tryParseCreateRoutine(p);
      if (r) return r;
      p.pos = p.first;
      return parseCreate(p);
    }
    case 'ALTER':
      if (p.isKw('PROCEDURE', 1) || p.isKw('FUNCTION', 1)) return parseAlterRoutine(p);
      return parseAlter(p);
    case 'DROP':
      if (p.isKw('PROCEDURE', 1) || p.isKw('FUNCTION', 1)) return parseDropRoutine(p);
      return parseDrop(p);
    case 'CALL':
      return parseCall(p);
    case 'SIGNAL':
    case 'RESIGNAL':
      return parseTopLevelCompound(p);
    case 'GET':
      if (p.isKw('DIAGNOSTICS', 1) || p.isKw('CURRENT', 1) || p.isKw('STACKED', 1)) return parseTopLevelCompound(p);
      return parseAdminStatement(p);
    case 'RENAME':
      return parseRename(p);
    case 'TRUNCATE':
      return parseTruncate(p);
    case 'GRANT':
      return parseGrant(p);
    case 'REVOKE':
      return parseRevoke(p);
    default:
      return parseAdminStatement(p);
  }
}

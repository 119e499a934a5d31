/**
 * Construction of MySQL's generic syntax error (1064). MySQL quotes the query text from the
 * first token it could not accept to the end of the buffer (the message template cuts it to 80
 * characters) and names the line of that token, counting from the start of the statement.
 *
 * @spec https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html#error_er_parse_error
 * @req CORE-SQL-005
 */
import { sqlError, type SqlError } from '../../kernel/errors.js';

export const SYNTAX_ERROR_TEXT =
  'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use';

/** MySQL's message when the parser stack overflows (deeply nested input). */
export const MEMORY_EXHAUSTED_TEXT = 'memory exhausted';

/**
 * A 1064 error pointing at `offset` in `text`; `statementStart` is where the current statement
 * begins, so that the line number restarts at 1 for each statement of a multi-statement query.
 * @req CORE-SQL-005
 */
export function syntaxErrorAt(text: string, offset: number, statementStart = 0, message = SYNTAX_ERROR_TEXT): SqlError {
  let line = 1;
  const to = Math.min(offset, text.length);
  for (let i = statementStart; i < to; i++) if (text.charCodeAt(i) === 10) line++;
  return sqlError('ER_PARSE_ERROR', message, text.slice(to), line);
}

/**
 * HELP 'search string': answered from the help tables of the `mysql` schema (help_topic,
 * help_category, help_keyword, help_relation), searched in MySQL's order:
 *
 * 1. topics whose name matches the string as a LIKE pattern: exactly one gives that topic
 *    (columns name, description, example); several give their names (is_it_category N)
 *    followed by the matching categories (Y);
 * 2. otherwise a keyword of that name, when exactly one matches, gives the topics related to it;
 * 3. otherwise categories: none gives an empty list with the columns name and is_it_category;
 *    several give their names; exactly one gives its topics and subcategories with the column
 *    source_category_name first.
 *
 * The tables are created empty (no manual text is shipped), so by default every search ends
 * in step 3 with an empty result, as in a MySQL server whose help tables were not loaded.
 * The search string is a quoted string or an identifier.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/help.html (13.8.3)
 * @req CORE-LOG-030 CORE-LOG-031
 */
import type { OtherStatement, SelectStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import type { Row, Value } from '../../kernel/value.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { tokenize } from '../../sql/lexer/lexer.js';
import { Tok, type Token } from '../../sql/lexer/token.js';
import type { Session } from '../session.js';
import { parseStatements } from '../parse.js';
import { runSelect } from '../query/select.js';

/** A VARCHAR result column as HELP sends them (utf8mb3 text of the given character length). */
function textColumn(name: string, chars: number): ResultColumn {
  return { schema: '', table: '', orgTable: '', name, orgName: '', charsetId: 33, length: chars * 3, type: 0xfd, flags: 1, decimals: 0 };
}

const LIST_COLUMNS = [textColumn('name', 64), textColumn('is_it_category', 1)];
const CATEGORY_COLUMNS = [textColumn('source_category_name', 64), ...LIST_COLUMNS];
const TOPIC_COLUMNS = [textColumn('name', 64), textColumn('description', 1000), textColumn('example', 1000)];

/** The search string: HELP takes exactly one quoted string or identifier (anything else is 1064). */
export function helpMask(stmt: OtherStatement): string {
  let toks: Token[];
  try {
    toks = tokenize(stmt.rest);
  } catch {
    toks = [];
  }
  const real = toks.filter((t) => t.type !== Tok.EOF);
  const t = real[0];
  // An identifier or a quoted string (ident_or_text in MySQL's grammar).
  if (real.length !== 1 || t === undefined || (t.type !== Tok.STRING && t.type !== Tok.NSTRING && t.type !== Tok.IDENT && t.type !== Tok.QIDENT)) {
    throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', stmt.rest === '' ? '' : stmt.rest, 1);
  }
  return t.value;
}

function text(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** One read of the help tables; allowed under LOCK TABLES, as in MySQL. */
async function query(session: Session, sql: string, params: Value[]): Promise<Row[]> {
  const stmt = parseStatements(sql, session.sqlMode(), true)[0] as SelectStatement;
  session.readingHelpTables = true;
  try {
    return (await runSelect(session, stmt, params)).rows;
  } finally {
    session.readingHelpTables = false;
  }
}

function rows(columns: ResultColumn[], data: Row[]): StatementResult {
  return { kind: 'rows', columns, rows: data };
}

/** @req CORE-LOG-030 CORE-LOG-031 */
export async function executeHelp(session: Session, stmt: OtherStatement): Promise<StatementResult> {
  const mask = helpMask(stmt);
  let topics = await query(session, 'SELECT name, description, example FROM mysql.help_topic WHERE name LIKE ? ORDER BY name', [mask]);
  if (topics.length === 0) {
    const keys = await query(session, 'SELECT help_keyword_id FROM mysql.help_keyword WHERE name LIKE ?', [mask]);
    if (keys.length === 1) {
      topics = await query(
        session,
        'SELECT t.name, t.description, t.example FROM mysql.help_topic t JOIN mysql.help_relation r ON r.help_topic_id = t.help_topic_id WHERE r.help_keyword_id = ? ORDER BY t.name',
        [keys[0]![0]!],
      );
    }
  }
  if (topics.length === 1) {
    const t = topics[0]!;
    return rows(TOPIC_COLUMNS, [[text(t[0]), text(t[1]), text(t[2])]]);
  }
  if (topics.length > 1) {
    const cats = await query(session, 'SELECT name FROM mysql.help_category WHERE name LIKE ? ORDER BY name', [mask]);
    return rows(LIST_COLUMNS, [...topics.map((t) => [text(t[0]), 'N']), ...cats.map((c) => [text(c[0]), 'Y'])]);
  }
  const cats = await query(session, 'SELECT name, help_category_id FROM mysql.help_category WHERE name LIKE ? ORDER BY name', [mask]);
  if (cats.length !== 1) return rows(LIST_COLUMNS, cats.map((c) => [text(c[0]), 'Y']));
  const [catName, catId] = cats[0]!;
  const inCat = await query(session, 'SELECT name FROM mysql.help_topic WHERE help_category_id = ? ORDER BY name', [catId ?? null]);
  const subs = await query(session, 'SELECT name FROM mysql.help_category WHERE parent_category_id = ? ORDER BY name', [catId ?? null]);
  const source = text(catName);
  return rows(CATEGORY_COLUMNS, [...inCat.map((t) => [source, text(t[0]), 'N']), ...subs.map((c) => [source, text(c[0]), 'Y'])]);
}

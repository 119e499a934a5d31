/**
 * Data manipulation statements: INSERT / REPLACE (VALUES, SET, SELECT, row alias, ON DUPLICATE
 * KEY UPDATE), UPDATE (single and multi-table), DELETE (single and both multi-table forms) and
 * LOAD DATA.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/delete.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * @req CORE-SQL-021 CORE-SQL-022 CORE-SQL-023 CORE-SQL-024
 */
import type {
  Assignment,
  DeleteStatement,
  Expr,
  InsertStatement,
  LoadDataStatement,
  FileFieldOptions,
  TableName,
  TableRef,
  UpdateStatement,
} from '../ast.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseColumnRef, parseExpr, parseOrderList } from './expr.js';
import { isQueryStart, parseIdentList, parseLimit, parseSelectStatement, parseTableName, parseTableRefs } from './select.js';
import { parseCharsetName } from './types.js';

/** `col = expr, ...` */
export function parseAssignments(p: Cursor): Assignment[] {
  const list: Assignment[] = [];
  do {
    const column = parseColumnRef(p);
    if (!p.acceptOp('=')) p.expectOp(':=');
    list.push({ column, value: parseExpr(p) });
  } while (p.acceptOp(','));
  return list;
}

/** INSERT / REPLACE. @req CORE-SQL-021 */
export function parseInsert(p: Cursor): InsertStatement {
  const replace = p.next().upper === 'REPLACE';
  const stmt: InsertStatement = { kind: 'insert', replace, ignore: false, table: { name: '' } };
  if (p.isKw('LOW_PRIORITY') || p.isKw('DELAYED') || (!replace && p.isKw('HIGH_PRIORITY'))) {
    stmt.priority = p.next().upper as InsertStatement['priority'];
  }
  if (!replace && p.acceptKw('IGNORE')) stmt.ignore = true;
  p.acceptKw('INTO');
  stmt.table = parseTableName(p);
  if (p.acceptKw('PARTITION')) {
    p.expectOp('(');
    stmt.partitions = parseIdentList(p);
    p.expectOp(')');
  }
  if (p.isOp('(') && !isQueryAfterParen(p)) {
    p.next();
    stmt.columns = p.isOp(')') ? [] : parseInsertColumns(p);
    p.expectOp(')');
  }
  if (p.isKw('VALUES') || p.isKw('VALUE')) {
    p.next();
    stmt.values = [];
    do {
      p.acceptKw('ROW');
      p.expectOp('(');
      const row: Expr[] = [];
      if (!p.isOp(')')) {
        do row.push(parseExpr(p));
        while (p.acceptOp(','));
      }
      p.expectOp(')');
      stmt.values.push(row);
    } while (p.acceptOp(','));
  } else if (p.isKw('SET')) {
    p.next();
    stmt.set = parseAssignments(p);
  } else if (p.isKw('SELECT') || p.isKw('WITH') || p.isKw('TABLE') || p.isOp('(')) {
    stmt.select = parseSelectStatement(p);
  } else throw p.error();
  if (p.isKw('AS') && stmt.select === undefined) {
    p.next();
    const alias: { name: string; columns?: string[] } = { name: p.ident() };
    if (p.acceptOp('(')) {
      alias.columns = parseIdentList(p);
      p.expectOp(')');
    }
    stmt.rowAlias = alias;
  }
  if (!replace && p.acceptKw('ON')) {
    p.expectKw('DUPLICATE');
    p.expectKw('KEY');
    p.expectKw('UPDATE');
    stmt.onDuplicate = parseAssignments(p);
  }
  return stmt;
}

/** Column names in an INSERT column list may be qualified (`t.a`); only the name is kept. */
function parseInsertColumns(p: Cursor): string[] {
  const cols: string[] = [];
  do cols.push(parseColumnRef(p).name);
  while (p.acceptOp(','));
  return cols;
}

function isQueryAfterParen(p: Cursor): boolean {
  const save = p.pos;
  p.pos++;
  const q = isQueryStart(p);
  p.pos = save;
  return q;
}

/** UPDATE. @req CORE-SQL-022 */
export function parseUpdate(p: Cursor): UpdateStatement {
  p.expectKw('UPDATE');
  const stmt: UpdateStatement = { kind: 'update', lowPriority: false, ignore: false, tables: [], set: [] };
  if (p.acceptKw('LOW_PRIORITY')) stmt.lowPriority = true;
  if (p.acceptKw('IGNORE')) stmt.ignore = true;
  stmt.tables = parseTableRefs(p);
  p.expectKw('SET');
  stmt.set = parseAssignments(p);
  if (p.acceptKw('WHERE')) stmt.where = parseExpr(p);
  if (p.acceptKw('ORDER')) {
    p.expectKw('BY');
    stmt.orderBy = parseOrderList(p);
  }
  if (p.acceptKw('LIMIT')) stmt.limit = parseLimit(p);
  return stmt;
}

/** A DELETE target: `t` or `t.*` or `db.t.*`. */
function parseDeleteTarget(p: Cursor): TableName {
  const first = p.ident();
  let name: TableName = { name: first };
  if (p.isOp('.') && !p.isOp('*', 1)) {
    p.next();
    name = { schema: first, name: p.identAfterDot() };
  }
  if (p.isOp('.') && p.isOp('*', 1)) {
    p.next();
    p.next();
  }
  return name;
}

/** DELETE. @req CORE-SQL-023 */
export function parseDelete(p: Cursor): DeleteStatement {
  p.expectKw('DELETE');
  const stmt: DeleteStatement = {
    kind: 'delete', lowPriority: false, quick: false, ignore: false, targets: [], from: [], multi: false,
  };
  for (;;) {
    if (p.acceptKw('LOW_PRIORITY')) stmt.lowPriority = true;
    else if (p.acceptKw('QUICK')) stmt.quick = true;
    else if (p.acceptKw('IGNORE')) stmt.ignore = true;
    else break;
  }
  if (p.acceptKw('FROM')) {
    const first = parseDeleteTarget(p);
    const wroteStar = p.toks[p.pos - 1]?.value === '*';
    if (p.isOp(',') || p.isKw('USING') || wroteStar) {
      // DELETE FROM t1, t2 USING <refs>
      stmt.targets = [first];
      while (p.acceptOp(',')) stmt.targets.push(parseDeleteTarget(p));
      p.expectKw('USING');
      stmt.from = parseTableRefs(p);
      stmt.multi = true;
    } else {
      const ref: TableRef = { type: 'table', table: first };
      if (p.acceptKw('AS')) ref.alias = p.ident();
      else if (p.isIdent()) ref.alias = p.ident();
      if (p.acceptKw('PARTITION')) {
        p.expectOp('(');
        parseIdentList(p);
        p.expectOp(')');
      }
      stmt.targets = [first];
      stmt.from = [ref];
    }
  } else {
    // DELETE t1, t2 FROM <refs>
    stmt.targets = [parseDeleteTarget(p)];
    while (p.acceptOp(',')) stmt.targets.push(parseDeleteTarget(p));
    p.expectKw('FROM');
    stmt.from = parseTableRefs(p);
    stmt.multi = true;
  }
  if (p.acceptKw('WHERE')) stmt.where = parseExpr(p);
  if (!stmt.multi) {
    if (p.acceptKw('ORDER')) {
      p.expectKw('BY');
      stmt.orderBy = parseOrderList(p);
    }
    if (p.acceptKw('LIMIT')) stmt.limit = parseLimit(p);
  }
  return stmt;
}

/** LOAD DATA [LOCAL] INFILE ... @req CORE-SQL-024 CORE-LOAD-001 */
export function parseLoadData(p: Cursor): LoadDataStatement {
  p.expectKw('LOAD');
  p.expectKw('DATA');
  let priority: LoadDataStatement['priority'];
  if (p.acceptKw('LOW_PRIORITY')) priority = 'LOW_PRIORITY';
  else if (p.acceptKw('CONCURRENT')) priority = 'CONCURRENT';
  const local = p.acceptKw('LOCAL');
  p.expectKw('INFILE');
  const file = p.string();
  const stmt: LoadDataStatement = { kind: 'load_data', local, file, replace: false, ignore: false, table: { name: '' } };
  if (priority) stmt.priority = priority;
  if (p.acceptKw('REPLACE')) stmt.replace = true;
  else if (p.acceptKw('IGNORE')) stmt.ignore = true;
  p.expectKw('INTO');
  p.expectKw('TABLE');
  stmt.table = parseTableName(p);
  if (p.acceptKw('PARTITION')) {
    p.expectOp('(');
    stmt.partitions = parseIdentList(p);
    p.expectOp(')');
  }
  if (p.isKw('CHARACTER') && p.isKw('SET', 1)) {
    p.next();
    p.next();
    stmt.charset = parseCharsetName(p);
  } else if (p.acceptKw('CHARSET')) stmt.charset = parseCharsetName(p);
  parseFileFieldOptions(p, stmt);
  if (p.acceptKw('IGNORE')) {
    stmt.ignoreLines = p.integer();
    if (!p.acceptKw('LINES')) p.expectKw('ROWS');
  }
  if (p.acceptOp('(')) {
    const cols: string[] = [];
    if (!p.isOp(')')) {
      do {
        const t = p.peek();
        if (t.type === Tok.USERVAR) {
          p.next();
          cols.push('@' + t.value);
        } else cols.push(parseColumnRef(p).name);
      } while (p.acceptOp(','));
    }
    p.expectOp(')');
    stmt.columns = cols;
  }
  if (p.acceptKw('SET')) stmt.set = parseAssignments(p);
  return stmt;
}

/**
 * `[{FIELDS | COLUMNS} [TERMINATED BY 's'] [[OPTIONALLY] ENCLOSED BY 'c'] [ESCAPED BY 'c']]
 * [LINES [STARTING BY 's'] [TERMINATED BY 's']]`, shared by LOAD DATA and SELECT ... INTO OUTFILE.
 * @req CORE-LOAD-001 CORE-LOAD-020
 */
export function parseFileFieldOptions(p: Cursor, out: FileFieldOptions): void {
  if (p.acceptKw('FIELDS') || p.acceptKw('COLUMNS')) {
    let any = false;
    for (;;) {
      if (p.acceptKws('TERMINATED', 'BY')) out.fieldsTerminatedBy = p.string();
      else if (p.acceptKw('OPTIONALLY')) {
        p.expectKw('ENCLOSED');
        p.expectKw('BY');
        out.fieldsEnclosedBy = p.string();
        out.fieldsOptionallyEnclosed = true;
      } else if (p.acceptKws('ENCLOSED', 'BY')) out.fieldsEnclosedBy = p.string();
      else if (p.acceptKws('ESCAPED', 'BY')) out.fieldsEscapedBy = p.string();
      else break;
      any = true;
    }
    if (!any) throw p.error();
  }
  if (p.acceptKw('LINES')) {
    let any = false;
    for (;;) {
      if (p.acceptKws('STARTING', 'BY')) out.linesStartingBy = p.string();
      else if (p.acceptKws('TERMINATED', 'BY')) out.linesTerminatedBy = p.string();
      else break;
      any = true;
    }
    if (!any) throw p.error();
  }
}

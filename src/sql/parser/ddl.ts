/**
 * Data definition statements: CREATE / ALTER / DROP TABLE, CREATE / DROP INDEX, RENAME TABLE,
 * TRUNCATE, CREATE / ALTER / DROP DATABASE, CREATE / DROP VIEW; plus the dispatch of CREATE /
 * ALTER / DROP / RENAME to the account statements and to OtherStatement for stored programs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-index.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-database.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-view.html
 * @req CORE-SQL-025 CORE-SQL-026 CORE-SQL-027 CORE-SQL-028 CORE-SQL-029 CORE-SQL-030
 */
import { parseAlterEvent, parseCreateEvent, parseDropEvent, parseEventDefiner } from './events.js';
import type {
  AlterAction,
  AlterDatabaseStatement,
  AlterTableStatement,
  CheckConstraintDefinition,
  ColumnDefinition,
  ColumnRef,
  CreateDatabaseStatement,
  CreateIndexStatement,
  CreateTableStatement,
  CreateViewStatement,
  Expr,
  ForeignKeyDefinition,
  ForeignKeyReference,
  IndexColumn,
  IndexDefinition,
  OrderItem,
  OtherStatement,
  Statement,
  TableName,
  TableOptions,
} from '../ast.js';
import { Tok } from '../lexer/token.js';
import { parseAccountName, parseAlterUser, parseCreateRole, parseCreateUser, parseDropRole, parseDropUser, parseRenameUser } from './account.js';
import type { Cursor } from './cursor.js';
import { parseExpr, parseOrderList, parsePrimary } from './expr.js';
import { parseIdentList, parseSelectStatement, parseTableName, isQueryStart } from './select.js';
import { parseCharsetName, parseCollationName, parseDataType } from './types.js';
import { parseAlterServer, parseCreateServer, parseDropServer } from './server.js';
import { parseCreateTrigger, parseDropTrigger } from './triggers.js';

/** Statements we recognise but keep as head + raw text. */
export function otherStatement(p: Cursor, words: number): OtherStatement {
  const headParts: string[] = [];
  for (let i = 0; i < words; i++) headParts.push(p.next().upper);
  const rest = p.atEnd() ? '' : p.slice(p.peek().start, p.toks[p.end]?.start ?? p.text.length).trim();
  p.pos = p.end;
  return { kind: 'other', head: headParts.join(' '), rest };
}

const STORED_PROGRAM_OBJECTS: ReadonlySet<string> = new Set([
  'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'TABLESPACE', 'SERVER', 'LOGFILE', 'SPATIAL', 'RESOURCE', 'UNDO', 'AGGREGATE',
]);

/** `DEFINER = account <object>`: whether the object after the account is `object`. */
function isDefinerOf(p: Cursor, object: string): boolean {
  const save = p.pos;
  try {
    parseEventDefiner(p);
    return p.isKw(object);
  } catch {
    return false;
  } finally {
    p.pos = save;
  }
}

/** CREATE ... dispatch. */
export function parseCreate(p: Cursor): Statement {
  p.expectKw('CREATE');
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  switch (t.upper) {
    case 'TABLE':
      return parseCreateTable(p, false);
    case 'TEMPORARY':
      p.next();
      if (!p.isKw('TABLE')) throw p.error();
      return parseCreateTable(p, true);
    case 'DATABASE':
    case 'SCHEMA':
      return parseCreateDatabase(p);
    case 'SERVER':
      return parseCreateServer(p);
    case 'EVENT':
      return parseCreateEvent(p, undefined);
    case 'TRIGGER':
      return parseCreateTrigger(p, undefined);
    case 'INDEX':
    case 'UNIQUE':
    case 'FULLTEXT':
      return parseCreateIndex(p);
    case 'SPATIAL':
      if (p.isKw('INDEX', 1)) return parseCreateIndex(p);
      break;
    case 'USER':
      return parseCreateUser(p);
    case 'ROLE':
      return parseCreateRole(p);
    case 'OR':
    case 'ALGORITHM':
    case 'DEFINER':
    case 'SQL':
    case 'VIEW':
      if (t.upper === 'DEFINER' || t.upper === 'SQL' || t.upper === 'OR' || t.upper === 'ALGORITHM' || t.upper === 'VIEW') {
        const view = tryParseCreateView(p);
        if (view !== undefined) return view;
        // CREATE DEFINER=... TRIGGER/PROCEDURE/FUNCTION/EVENT
        if (!p.isAnyKw(STORED_PROGRAM_OBJECTS)) throw p.error();
        if (p.isKw('EVENT')) {
          // CREATE DEFINER=... EVENT: read the definer again, now for the event.
          p.pos = p.first + 1;
          return parseCreateEvent(p, parseEventDefiner(p));
        }
        if (p.isKw('TRIGGER')) {
          // CREATE DEFINER=... TRIGGER. @req CORE-TRG-001
          p.pos = p.first + 1;
          return parseCreateTrigger(p, parseEventDefiner(p));
        }
        // head names the object; rest keeps the DEFINER / SQL SECURITY clauses too
        const object = p.peek().upper;
        const restStart = p.toks[p.first + 1]?.start ?? 0;
        const restEnd = p.toks[p.end]?.start ?? p.text.length;
        p.pos = p.end;
        return { kind: 'other', head: 'CREATE ' + object, rest: p.slice(restStart, restEnd).trim() };
      }
      break;
    default:
      break;
  }
  if (STORED_PROGRAM_OBJECTS.has(t.upper)) {
    p.pos = p.first;
    return otherStatement(p, 2);
  }
  throw p.error();
}

/** CREATE [TEMPORARY] TABLE. @req CORE-SQL-025 */
function parseCreateTable(p: Cursor, temporary: boolean): CreateTableStatement {
  p.expectKw('TABLE');
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const stmt: CreateTableStatement = {
    kind: 'create_table', temporary, ifNotExists, table: parseTableName(p), columns: [], indexes: [], foreignKeys: [],
    checks: [], options: {},
  };
  if (p.acceptKw('LIKE')) {
    stmt.like = parseTableName(p);
    return stmt;
  }
  if (p.isOp('(') && p.isKw('LIKE', 1)) {
    p.next();
    p.next();
    stmt.like = parseTableName(p);
    p.expectOp(')');
    return stmt;
  }
  if (p.isOp('(') && !parenQuery(p)) {
    p.next();
    do parseTableElement(p, stmt);
    while (p.acceptOp(','));
    p.expectOp(')');
  }
  stmt.options = parseTableOptions(p);
  if (p.isKw('PARTITION') && p.isKw('BY', 1)) stmt.partitionBy = captureRest(p, true);
  let needQuery = false;
  if (p.acceptKw('IGNORE')) stmt.duplicateHandling = 'IGNORE';
  else if (p.acceptKw('REPLACE')) stmt.duplicateHandling = 'REPLACE';
  if (stmt.duplicateHandling !== undefined) needQuery = true;
  if (p.acceptKw('AS')) needQuery = true;
  if (!p.atEnd() || needQuery) {
    if (!(p.isKw('SELECT') || p.isKw('WITH') || p.isKw('TABLE') || p.isKw('VALUES') || p.isOp('('))) throw p.error();
    stmt.select = parseSelectStatement(p);
  }
  return stmt;
}

function parenQuery(p: Cursor): boolean {
  const save = p.pos;
  p.pos++;
  const q = isQueryStart(p);
  p.pos = save;
  return q;
}

/** Capture the text from the current token to the end of the statement (or to a stop word). */
function captureRest(p: Cursor, stopAtSelect = false): string {
  const start = p.peek().start;
  let depth = 0;
  while (!p.atEnd()) {
    if (depth === 0 && stopAtSelect && (p.isKw('SELECT') || p.isKw('AS') || p.isKw('IGNORE') || p.isKw('REPLACE'))) break;
    if (p.isOp('(')) depth++;
    else if (p.isOp(')')) depth--;
    p.next();
  }
  return p.slice(start, p.lastEnd());
}

/** One element of a CREATE TABLE list: column, index, constraint. */
function parseTableElement(p: Cursor, stmt: CreateTableStatement): void {
  const t = p.peek();
  if (t.type === Tok.IDENT && t.reserved) {
    switch (t.upper) {
      case 'PRIMARY':
      case 'UNIQUE':
      case 'INDEX':
      case 'KEY':
      case 'FULLTEXT':
      case 'SPATIAL':
        stmt.indexes.push(parseIndexDefinition(p, undefined));
        return;
      case 'CONSTRAINT':
      case 'FOREIGN':
      case 'CHECK': {
        const c = parseConstraint(p);
        if ('index' in c) stmt.indexes.push(c.index);
        else if ('fk' in c) stmt.foreignKeys.push(c.fk);
        else stmt.checks.push(c.check);
        return;
      }
      default:
        break;
    }
  }
  stmt.columns.push(parseColumnDefinition(p, stmt));
}

type Constraint = { index: IndexDefinition } | { fk: ForeignKeyDefinition } | { check: CheckConstraintDefinition };

/** [CONSTRAINT [name]] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK */
function parseConstraint(p: Cursor): Constraint {
  let name: string | undefined;
  if (p.acceptKw('CONSTRAINT')) {
    if (p.isIdent()) name = p.ident();
  }
  if (p.isKw('PRIMARY') || p.isKw('UNIQUE')) {
    const index = parseIndexDefinition(p, name);
    return { index };
  }
  if (p.acceptKw('FOREIGN')) {
    p.expectKw('KEY');
    let idxName: string | undefined;
    if (p.isIdent()) idxName = p.ident();
    p.expectOp('(');
    const columns = parseIdentList(p);
    p.expectOp(')');
    const fk: ForeignKeyDefinition = { columns, references: parseReferences(p) };
    // Since 8.0.16 the constraint is named by CONSTRAINT only; FOREIGN KEY's own name is the
    // name of the index added to support it.
    if (name !== undefined) fk.name = name;
    if (idxName !== undefined) fk.indexName = idxName;
    return { fk };
  }
  if (p.isKw('CHECK')) return { check: parseCheck(p, name) };
  throw p.error();
}

function parseCheck(p: Cursor, name: string | undefined): CheckConstraintDefinition {
  p.expectKw('CHECK');
  p.expectOp('(');
  const start = p.peek().start;
  const expr = parseExpr(p);
  const text = p.slice(start, p.lastEnd());
  p.expectOp(')');
  let enforced = true;
  if (p.acceptKws('NOT', 'ENFORCED')) enforced = false;
  else p.acceptKw('ENFORCED');
  const c: CheckConstraintDefinition = { expr, text, enforced };
  if (name !== undefined) c.name = name;
  return c;
}

function parseRefOption(p: Cursor): string {
  if (p.acceptKw('RESTRICT')) return 'RESTRICT';
  if (p.acceptKw('CASCADE')) return 'CASCADE';
  if (p.acceptKws('SET', 'NULL')) return 'SET NULL';
  if (p.acceptKws('SET', 'DEFAULT')) return 'SET DEFAULT';
  if (p.acceptKws('NO', 'ACTION')) return 'NO ACTION';
  throw p.error();
}

/** REFERENCES tbl (cols) [MATCH ..] [ON DELETE ..] [ON UPDATE ..] */
function parseReferences(p: Cursor): ForeignKeyReference {
  p.expectKw('REFERENCES');
  const ref: ForeignKeyReference = { table: parseTableName(p), columns: [] };
  if (p.acceptOp('(')) {
    ref.columns = parseKeyParts(p).map((k) => k.column ?? '');
    p.expectOp(')');
  }
  if (p.acceptKw('MATCH')) {
    const m = p.next();
    if (m.type !== Tok.IDENT || !['FULL', 'PARTIAL', 'SIMPLE'].includes(m.upper)) throw p.error(m);
    ref.match = m.upper;
  }
  for (;;) {
    if (p.isKw('ON') && p.isKw('DELETE', 1)) {
      p.next();
      p.next();
      ref.onDelete = parseRefOption(p);
    } else if (p.isKw('ON') && p.isKw('UPDATE', 1)) {
      p.next();
      p.next();
      ref.onUpdate = parseRefOption(p);
    } else return ref;
  }
}

/** Key parts: col [(len)] [ASC|DESC] | (expr) [ASC|DESC] */
function parseKeyParts(p: Cursor): IndexColumn[] {
  const parts: IndexColumn[] = [];
  do {
    const part: IndexColumn = {};
    if (p.isOp('(')) {
      p.next();
      part.expr = parseExpr(p);
      p.expectOp(')');
    } else {
      part.column = p.ident();
      if (p.isOp('(')) {
        p.next();
        part.length = p.integer();
        p.expectOp(')');
      }
    }
    if (p.acceptKw('DESC')) part.desc = true;
    else p.acceptKw('ASC');
    parts.push(part);
  } while (p.acceptOp(','));
  return parts;
}

function parseIndexType(p: Cursor): 'HASH' | 'BTREE' | 'RTREE' {
  const t = p.next();
  if (t.type === Tok.IDENT && (t.upper === 'HASH' || t.upper === 'BTREE' || t.upper === 'RTREE')) return t.upper;
  throw p.error(t);
}

function parseIndexOptions(p: Cursor, idx: IndexDefinition): void {
  for (;;) {
    if (p.acceptKw('USING') || p.acceptKw('TYPE')) idx.using = parseIndexType(p);
    else if (p.acceptKw('KEY_BLOCK_SIZE')) {
      p.acceptOp('=');
      idx.keyBlockSize = p.integer();
    } else if (p.acceptKw('COMMENT')) idx.comment = p.string();
    else if (p.acceptKw('VISIBLE')) idx.invisible = false;
    else if (p.acceptKw('INVISIBLE')) idx.invisible = true;
    else if (p.acceptKws('WITH', 'PARSER')) idx.parser = p.ident();
    else if (p.acceptKw('ENGINE_ATTRIBUTE') || p.acceptKw('SECONDARY_ENGINE_ATTRIBUTE')) {
      p.acceptOp('=');
      p.string();
    } else return;
  }
}

/** PRIMARY KEY / UNIQUE / INDEX / KEY / FULLTEXT / SPATIAL definitions. @req CORE-SQL-026 */
function parseIndexDefinition(p: Cursor, constraintName: string | undefined): IndexDefinition {
  const t = p.next();
  let kind: IndexDefinition['kind'];
  switch (t.upper) {
    case 'PRIMARY':
      p.expectKw('KEY');
      kind = 'PRIMARY';
      break;
    case 'UNIQUE':
      if (!p.acceptKw('INDEX')) p.acceptKw('KEY');
      kind = 'UNIQUE';
      break;
    case 'INDEX':
    case 'KEY':
      kind = 'INDEX';
      break;
    case 'FULLTEXT':
    case 'SPATIAL':
      if (!p.acceptKw('INDEX')) p.acceptKw('KEY');
      kind = t.upper;
      break;
    default:
      throw p.error(t);
  }
  const idx: IndexDefinition = { kind, columns: [] };
  // MySQL's grammar takes an index name after PRIMARY KEY too, and ignores it (the primary key is
  // always named PRIMARY).
  if (kind === 'PRIMARY' && p.isIdent() && !p.isKw('USING') && !p.isKw('TYPE')) p.ident();
  if (kind !== 'PRIMARY' && p.isIdent() && !p.isKw('USING') && !p.isKw('TYPE')) idx.name = p.ident();
  else if (kind !== 'PRIMARY' && p.isKw('TYPE') && !p.isOp('(', 1) && p.peek(1).type === Tok.IDENT && !['HASH', 'BTREE', 'RTREE'].includes(p.peek(1).upper)) idx.name = p.ident();
  if (constraintName !== undefined && idx.name === undefined) idx.name = constraintName;
  if (p.acceptKw('USING') || p.acceptKw('TYPE')) idx.using = parseIndexType(p);
  p.expectOp('(');
  idx.columns = parseKeyParts(p);
  p.expectOp(')');
  parseIndexOptions(p, idx);
  return idx;
}

/** Column definition: name type attributes. @req CORE-SQL-027 */
export function parseColumnDefinition(p: Cursor, stmt?: CreateTableStatement): ColumnDefinition {
  const name = p.ident();
  const parsed = parseDataType(p, p.opts.sqlMode?.has('REAL_AS_FLOAT') === true); // @req CORE-MODE-015
  const col: ColumnDefinition = { name, dataType: parsed.type };
  if (parsed.type.charset !== undefined) col.charset = parsed.type.charset;
  if (parsed.type.collation !== undefined) col.collation = parsed.type.collation;
  if (parsed.serial === true) {
    col.notNull = true;
    col.autoIncrement = true;
    col.unique = true;
  }
  for (;;) {
    const t = p.peek();
    if (t.type !== Tok.IDENT) break;
    const u = t.upper;
    if (u === 'NOT' && p.isKw('NULL', 1)) {
      p.next();
      p.next();
      col.notNull = true;
    } else if (u === 'NULL') {
      p.next();
      col.notNull = false;
    } else if (u === 'DEFAULT') {
      p.next();
      parseColumnDefault(p, col);
    } else if (u === 'ON' && p.isKw('UPDATE', 1)) {
      p.next();
      p.next();
      col.onUpdateNow = parseNowFunction(p);
    } else if (u === 'AUTO_INCREMENT') {
      p.next();
      col.autoIncrement = true;
    } else if (u === 'SERIAL' && p.isKw('DEFAULT', 1) && p.isKw('VALUE', 2)) {
      p.pos += 3;
      col.notNull = true;
      col.autoIncrement = true;
      col.unique = true;
    } else if (u === 'UNIQUE') {
      p.next();
      p.acceptKw('KEY');
      col.unique = true;
    } else if (u === 'PRIMARY') {
      p.next();
      p.expectKw('KEY');
      col.primaryKey = true;
    } else if (u === 'KEY') {
      p.next();
      col.primaryKey = true;
    } else if (u === 'COMMENT') {
      p.next();
      col.comment = p.string();
    } else if (u === 'COLLATE') {
      p.next();
      col.collation = parseCollationName(p);
      col.dataType.collation = col.collation;
    } else if ((u === 'CHARACTER' && p.isKw('SET', 1)) || u === 'CHARSET') {
      p.next();
      if (u === 'CHARACTER') p.next();
      col.charset = parseCharsetName(p);
      col.dataType.charset = col.charset;
    } else if (u === 'COLUMN_FORMAT') {
      p.next();
      const v = p.next();
      if (v.type !== Tok.IDENT || !['FIXED', 'DYNAMIC', 'DEFAULT'].includes(v.upper)) throw p.error(v);
      col.columnFormat = v.upper as 'FIXED' | 'DYNAMIC' | 'DEFAULT';
    } else if (u === 'STORAGE') {
      p.next();
      const v = p.next();
      if (v.type !== Tok.IDENT || (v.upper !== 'DISK' && v.upper !== 'MEMORY')) throw p.error(v);
      col.storage = v.upper;
    } else if (u === 'GENERATED' || u === 'AS') {
      if (u === 'GENERATED') {
        p.next();
        p.expectKw('ALWAYS');
      }
      p.expectKw('AS');
      p.expectOp('(');
      const start = p.peek().start;
      const expr = parseExpr(p);
      const text = p.slice(start, p.lastEnd());
      p.expectOp(')');
      let stored = false;
      if (p.acceptKw('STORED')) stored = true;
      else p.acceptKw('VIRTUAL');
      col.generated = { expr, stored, text };
    } else if (u === 'VISIBLE') {
      p.next();
      col.invisible = false;
    } else if (u === 'INVISIBLE') {
      p.next();
      col.invisible = true;
    } else if (u === 'SRID') {
      p.next();
      col.srid = p.integer();
      col.dataType.srid = col.srid;
    } else if (u === 'REFERENCES') {
      col.references = parseReferences(p);
    } else if (u === 'CHECK' || u === 'CONSTRAINT') {
      let cname: string | undefined;
      if (p.acceptKw('CONSTRAINT') && p.isIdent()) cname = p.ident();
      const check = parseCheck(p, cname);
      check.column = col.name;
      col.check = check.expr;
      (col.checks ??= []).push(check);
      stmt?.checks.push(check);
    } else if (u === 'ENGINE_ATTRIBUTE' || u === 'SECONDARY_ENGINE_ATTRIBUTE') {
      p.next();
      p.acceptOp('=');
      p.string();
    } else break;
  }
  return col;
}

const NOW_FUNCTIONS: ReadonlySet<string> = new Set(['CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP']);

/** CURRENT_TIMESTAMP[(n)] / NOW([n]) / LOCALTIME[(n)] / LOCALTIMESTAMP[(n)] after ON UPDATE. */
function parseNowFunction(p: Cursor): { fsp?: number } {
  const t = p.next();
  if (t.type !== Tok.IDENT || !NOW_FUNCTIONS.has(t.upper)) throw p.error(t);
  const r: { fsp?: number } = {};
  if (t.upper === 'NOW' || p.isOp('(')) {
    p.expectOp('(');
    if (!p.isOp(')')) r.fsp = p.integer();
    p.expectOp(')');
  }
  return r;
}

/** DEFAULT literal | -number | CURRENT_TIMESTAMP[(n)] | (expr) */
function parseColumnDefault(p: Cursor, col: ColumnDefinition): void {
  if (p.isOp('(')) {
    p.next();
    const start = p.peek().start;
    col.default = parseExpr(p);
    col.defaultText = p.slice(start, p.lastEnd());
    col.defaultIsExpr = true;
    p.expectOp(')');
    return;
  }
  const t = p.peek();
  if (t.type === Tok.IDENT && NOW_FUNCTIONS.has(t.upper)) {
    const r = parseNowFunction(p);
    const args: Expr[] = r.fsp !== undefined ? [{ type: 'literal', kind: 'int', value: String(r.fsp) }] : [];
    col.default = { type: 'func', name: 'CURRENT_TIMESTAMP', args };
    return;
  }
  let sign = '';
  if (p.isOp('-') || p.isOp('+')) sign = p.next().value;
  const e = parsePrimary(p);
  // A bare DEFAULT takes a literal: a name or a second DEFAULT is a syntax error. @req CORE-GRAM-006
  if (e.type === 'default' || e.type === 'column') throw p.error(t);
  if (sign !== '') {
    if (e.type !== 'literal' || !(e.kind === 'int' || e.kind === 'decimal' || e.kind === 'float')) throw p.error(t);
    if (sign === '-') {
      const v = e.value as string;
      e.value = v.startsWith('-') ? v.slice(1) : '-' + v;
    }
  }
  col.default = e;
}

/** Table options, optionally comma-separated. @req CORE-SQL-028 */
export function parseTableOptions(p: Cursor): TableOptions {
  const opts: TableOptions = {};
  for (;;) {
    const save = p.pos;
    if (!parseTableOption(p, opts)) {
      p.pos = save;
      return opts;
    }
    if (p.isOp(',')) {
      const save2 = p.pos;
      p.next();
      const probe: TableOptions = {};
      const before = p.pos;
      if (!parseTableOption(p, probe)) {
        p.pos = save2;
        return opts;
      }
      p.pos = before;
    }
  }
}

const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  'ENGINE', 'TYPE', 'AUTO_INCREMENT', 'AVG_ROW_LENGTH', 'CHECKSUM', 'TABLE_CHECKSUM', 'COMMENT', 'COMPRESSION', 'CONNECTION',
  'DELAY_KEY_WRITE', 'ENCRYPTION', 'ENGINE_ATTRIBUTE', 'SECONDARY_ENGINE_ATTRIBUTE', 'INSERT_METHOD', 'KEY_BLOCK_SIZE',
  'MAX_ROWS', 'MIN_ROWS', 'PACK_KEYS', 'PASSWORD', 'ROW_FORMAT', 'SECONDARY_ENGINE', 'STATS_AUTO_RECALC',
  'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES', 'AUTOEXTEND_SIZE',
]);

/** Values MySQL's grammar allows for ROW_FORMAT (PAGE, Aria's format in MariaDB, is not one). */
const ROW_FORMATS: ReadonlySet<string> = new Set(['DEFAULT', 'FIXED', 'DYNAMIC', 'COMPRESSED', 'REDUNDANT', 'COMPACT']);
/** Options whose value is a number. */
const NUMBER_OPTIONS: ReadonlySet<string> = new Set([
  'AUTO_INCREMENT', 'AVG_ROW_LENGTH', 'CHECKSUM', 'TABLE_CHECKSUM', 'DELAY_KEY_WRITE', 'KEY_BLOCK_SIZE', 'MAX_ROWS', 'MIN_ROWS',
]);
/** Options whose value is a number or DEFAULT. */
const NUMBER_OR_DEFAULT_OPTIONS: ReadonlySet<string> = new Set(['PACK_KEYS', 'STATS_AUTO_RECALC', 'STATS_PERSISTENT', 'STATS_SAMPLE_PAGES']);
/** Options whose value is a quoted string. */
const STRING_OPTIONS: ReadonlySet<string> = new Set([
  'COMMENT', 'COMPRESSION', 'CONNECTION', 'ENCRYPTION', 'ENGINE_ATTRIBUTE', 'SECONDARY_ENGINE_ATTRIBUTE', 'PASSWORD',
]);

/**
 * A table option's value, checked against the kind of value MySQL's grammar takes for that
 * option (a keyword of a fixed set, a number, a string, a name). @req CORE-GRAM-002
 */
function checkedOptionValue(p: Cursor, option: string): string {
  const t = p.peek();
  const word = t.type === Tok.IDENT ? t.upper : '';
  if (option === 'ROW_FORMAT') {
    if (!ROW_FORMATS.has(word)) throw p.error(t);
  } else if (option === 'INSERT_METHOD') {
    if (word !== 'NO' && word !== 'FIRST' && word !== 'LAST') throw p.error(t);
  } else if (NUMBER_OPTIONS.has(option)) {
    if (t.type !== Tok.NUMBER) throw p.error(t);
  } else if (NUMBER_OR_DEFAULT_OPTIONS.has(option)) {
    if (t.type !== Tok.NUMBER && word !== 'DEFAULT') throw p.error(t);
  } else if (STRING_OPTIONS.has(option)) {
    if (t.type !== Tok.STRING) throw p.error(t);
  }
  return optionValue(p);
}

function optionValue(p: Cursor): string {
  const t = p.peek();
  if (t.type === Tok.STRING) return p.string();
  if (t.type === Tok.NUMBER || t.type === Tok.IDENT || t.type === Tok.QIDENT) {
    p.next();
    return t.value;
  }
  throw p.error();
}

function parseTableOption(p: Cursor, opts: TableOptions): boolean {
  const t = p.peek();
  if (t.type !== Tok.IDENT) return false;
  const u = t.upper;
  if (VALUE_OPTIONS.has(u)) {
    p.next();
    p.acceptOp('=');
    const key = u === 'TYPE' ? 'ENGINE' : u === 'TABLE_CHECKSUM' ? 'CHECKSUM' : u;
    opts[key] = checkedOptionValue(p, u);
    return true;
  }
  if (u === 'DEFAULT' || u === 'CHARACTER' || u === 'CHARSET' || u === 'COLLATE') {
    p.next();
    let w = u;
    if (u === 'DEFAULT') {
      const n = p.next();
      if (n.type !== Tok.IDENT) throw p.error(n);
      w = n.upper;
    }
    if (w === 'CHARACTER') p.expectKw('SET');
    p.acceptOp('=');
    if (w === 'CHARACTER' || w === 'CHARSET') opts['CHARSET'] = parseCharsetName(p);
    else if (w === 'COLLATE') opts['COLLATE'] = parseCollationName(p);
    else throw p.error();
    return true;
  }
  if ((u === 'DATA' || u === 'INDEX') && p.isKw('DIRECTORY', 1)) {
    p.next();
    p.next();
    p.acceptOp('=');
    opts[u + ' DIRECTORY'] = p.string();
    return true;
  }
  if (u === 'UNION') {
    p.next();
    p.acceptOp('=');
    p.expectOp('(');
    const names: string[] = [];
    if (!p.isOp(')')) {
      do {
        const n = parseTableName(p);
        names.push(n.schema !== undefined ? `${n.schema}.${n.name}` : n.name);
      } while (p.acceptOp(','));
    }
    p.expectOp(')');
    opts['UNION'] = names.join(',');
    return true;
  }
  if (u === 'TABLESPACE') {
    p.next();
    p.acceptOp('=');
    opts['TABLESPACE'] = p.ident();
    if (p.acceptKw('STORAGE')) opts['STORAGE'] = p.next().upper;
    return true;
  }
  if (u === 'STORAGE' && (p.isKw('DISK', 1) || p.isKw('MEMORY', 1))) {
    p.next();
    opts['STORAGE'] = p.next().upper;
    return true;
  }
  return false;
}

/** CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING t] ON tbl (parts) [opts]. @req CORE-SQL-026 */
function parseCreateIndex(p: Cursor): CreateIndexStatement {
  let kind: IndexDefinition['kind'] = 'INDEX';
  if (p.isKw('UNIQUE') || p.isKw('FULLTEXT') || p.isKw('SPATIAL')) kind = p.next().upper as IndexDefinition['kind'];
  p.expectKw('INDEX');
  const idx: IndexDefinition = { kind, columns: [], name: p.ident() };
  if (p.acceptKw('USING') || p.acceptKw('TYPE')) idx.using = parseIndexType(p);
  p.expectKw('ON');
  const table = parseTableName(p);
  p.expectOp('(');
  idx.columns = parseKeyParts(p);
  p.expectOp(')');
  parseIndexOptions(p, idx);
  parseAlgorithmLock(p);
  return { kind: 'create_index', table, index: idx };
}

function parseAlgorithmLock(p: Cursor): void {
  for (;;) {
    if (p.acceptKw('ALGORITHM') || p.acceptKw('LOCK')) {
      p.acceptOp('=');
      p.next();
    } else return;
  }
}

/** CREATE DATABASE / SCHEMA. @req CORE-SQL-029 */
function parseCreateDatabase(p: Cursor): CreateDatabaseStatement {
  p.next();
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const stmt: CreateDatabaseStatement = { kind: 'create_database', ifNotExists, name: p.ident() };
  parseDatabaseOptions(p, stmt);
  return stmt;
}

function parseDatabaseOptions(p: Cursor, stmt: { charset?: string; collation?: string; encryption?: string; readOnly?: boolean }): void {
  for (;;) {
    p.acceptKw('DEFAULT');
    if (p.isKw('CHARACTER') && p.isKw('SET', 1)) {
      p.next();
      p.next();
      p.acceptOp('=');
      stmt.charset = parseCharsetName(p);
    } else if (p.acceptKw('CHARSET')) {
      p.acceptOp('=');
      stmt.charset = parseCharsetName(p);
    } else if (p.acceptKw('COLLATE')) {
      p.acceptOp('=');
      stmt.collation = parseCollationName(p);
    } else if (p.acceptKw('ENCRYPTION')) {
      p.acceptOp('=');
      stmt.encryption = p.string();
    } else if (p.isKw('READ') && p.isKw('ONLY', 1)) {
      p.next();
      p.next();
      p.acceptOp('=');
      const v = p.next();
      stmt.readOnly = v.value === '1';
    } else return;
  }
}

/** CREATE [OR REPLACE] [ALGORITHM=..] [DEFINER=..] [SQL SECURITY ..] VIEW. @req CORE-SQL-030 */
function tryParseCreateView(p: Cursor): CreateViewStatement | undefined {
  const stmt: CreateViewStatement = {
    kind: 'create_view', orReplace: false, name: { name: '' }, query: undefined as unknown as CreateViewStatement['query'], text: '',
  };
  if (p.acceptKw('OR')) {
    p.expectKw('REPLACE');
    stmt.orReplace = true;
  }
  if (p.acceptKw('ALGORITHM')) {
    p.expectOp('=');
    stmt.algorithm = p.next().upper;
  }
  if (p.acceptKw('DEFINER')) {
    p.expectOp('=');
    stmt.definer = parseAccountName(p);
  }
  if (p.acceptKw('SQL')) {
    p.expectKw('SECURITY');
    const s = p.next();
    if (s.upper !== 'DEFINER' && s.upper !== 'INVOKER') throw p.error(s);
    stmt.security = s.upper;
  }
  if (!p.acceptKw('VIEW')) return undefined;
  stmt.name = parseTableName(p);
  if (p.acceptOp('(')) {
    stmt.columns = parseIdentList(p);
    p.expectOp(')');
  }
  p.expectKw('AS');
  const start = p.peek().start;
  stmt.query = parseSelectStatement(p);
  stmt.text = p.slice(start, p.lastEnd());
  stmt.queryText = stmt.text;
  if (p.acceptKw('WITH')) {
    if (p.acceptKw('LOCAL')) stmt.checkOption = 'LOCAL';
    else {
      p.acceptKw('CASCADED');
      stmt.checkOption = 'CASCADED';
    }
    p.expectKw('CHECK');
    p.expectKw('OPTION');
  }
  return stmt;
}

/** ALTER ... dispatch. */
export function parseAlter(p: Cursor): Statement {
  p.expectKw('ALTER');
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  switch (t.upper) {
    case 'TABLE':
      return parseAlterTable(p);
    case 'ONLINE':
    case 'IGNORE':
      p.next();
      return parseAlterTable(p);
    case 'DATABASE':
    case 'SCHEMA': {
      p.next();
      const stmt: AlterDatabaseStatement = { kind: 'alter_database' };
      if (p.isIdent() && !p.isKw('CHARACTER') && !p.isKw('CHARSET') && !p.isKw('COLLATE') && !p.isKw('ENCRYPTION') && !p.isKw('READ')) {
        stmt.name = p.ident();
      }
      parseDatabaseOptions(p, stmt);
      return stmt;
    }
    case 'USER':
      return parseAlterUser(p);
    case 'SERVER':
      return parseAlterServer(p);
    case 'EVENT':
      return parseAlterEvent(p, undefined);
    case 'DEFINER':
      if (isDefinerOf(p, 'EVENT')) return parseAlterEvent(p, parseEventDefiner(p));
      p.pos = p.first;
      return otherStatement(p, 2);
    case 'VIEW':
    case 'ALGORITHM':
    case 'SQL':
    case 'PROCEDURE':
    case 'FUNCTION':
    case 'TABLESPACE':
    case 'INSTANCE':
    case 'LOGFILE':
    case 'RESOURCE':
    case 'UNDO':
      p.pos = p.first;
      return otherStatement(p, 2);
    default:
      throw p.error();
  }
}

/** ALTER TABLE name action, ... @req CORE-SQL-028 */
function parseAlterTable(p: Cursor): AlterTableStatement {
  p.expectKw('TABLE');
  const stmt: AlterTableStatement = { kind: 'alter_table', table: parseTableName(p), actions: [] };
  if (p.atEnd()) return stmt;
  do {
    if (p.isKw('PARTITION') || p.isKw('REMOVE')) {
      stmt.actions.push({ action: 'partition', text: captureRest(p) });
      break;
    }
    stmt.actions.push(...parseAlterAction(p));
  } while (p.acceptOp(','));
  if (p.isKw('PARTITION')) stmt.actions.push({ action: 'partition', text: captureRest(p) });
  return stmt;
}

function columnPosition<T extends { first?: boolean; after?: string }>(p: Cursor, a: T): T {
  if (p.acceptKw('FIRST')) a.first = true;
  else if (p.acceptKw('AFTER')) a.after = p.ident();
  return a;
}

const PARTITION_OPS: ReadonlySet<string> = new Set([
  'COALESCE', 'REORGANIZE', 'EXCHANGE', 'REBUILD', 'REPAIR', 'ANALYZE', 'CHECK', 'OPTIMIZE', 'TRUNCATE', 'DISCARD', 'IMPORT',
]);

function parseAlterAction(p: Cursor): AlterAction[] {
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  switch (t.upper) {
    case 'ADD': {
      p.next();
      if (p.isKw('PARTITION')) {
        p.pos--;
        return [{ action: 'partition', text: captureRest(p) }];
      }
      if (p.isKw('PRIMARY') || p.isKw('UNIQUE') || p.isKw('INDEX') || p.isKw('KEY') || p.isKw('FULLTEXT') || p.isKw('SPATIAL')) {
        return [{ action: 'add_index', index: parseIndexDefinition(p, undefined) }];
      }
      if (p.isKw('CONSTRAINT') || p.isKw('FOREIGN') || p.isKw('CHECK')) {
        const c = parseConstraint(p);
        if ('index' in c) return [{ action: 'add_index', index: c.index }];
        if ('fk' in c) return [{ action: 'add_foreign_key', fk: c.fk }];
        return [{ action: 'add_check', check: c.check }];
      }
      p.acceptKw('COLUMN');
      if (p.acceptOp('(')) {
        const columns: ColumnDefinition[] = [];
        do {
          if (p.isKw('PRIMARY') || p.isKw('UNIQUE') || p.isKw('INDEX') || p.isKw('KEY')) throw p.error();
          columns.push(parseColumnDefinition(p));
        } while (p.acceptOp(','));
        p.expectOp(')');
        return [{ action: 'add_columns', columns }];
      }
      return [columnPosition(p, { action: 'add_column', column: parseColumnDefinition(p) } as { action: 'add_column'; column: ColumnDefinition; first?: boolean; after?: string })];
    }
    case 'DROP': {
      p.next();
      if (p.isKw('PARTITION')) {
        p.pos--;
        return [{ action: 'partition', text: captureRest(p) }];
      }
      if (p.acceptKw('INDEX') || p.acceptKw('KEY')) return [{ action: 'drop_index', name: p.ident() }];
      if (p.acceptKws('PRIMARY', 'KEY')) return [{ action: 'drop_primary_key' }];
      if (p.acceptKws('FOREIGN', 'KEY')) return [{ action: 'drop_foreign_key', name: p.ident() }];
      if (p.acceptKw('CHECK')) return [{ action: 'drop_check', name: p.ident() }];
      if (p.acceptKw('CONSTRAINT')) return [{ action: 'drop_constraint', name: p.ident() }];
      p.acceptKw('COLUMN');
      const name = p.ident();
      p.acceptKw('RESTRICT') || p.acceptKw('CASCADE');
      return [{ action: 'drop_column', name }];
    }
    case 'MODIFY': {
      p.next();
      p.acceptKw('COLUMN');
      return [columnPosition(p, { action: 'modify_column', column: parseColumnDefinition(p) } as { action: 'modify_column'; column: ColumnDefinition; first?: boolean; after?: string })];
    }
    case 'CHANGE': {
      p.next();
      p.acceptKw('COLUMN');
      const oldName = p.ident();
      return [columnPosition(p, { action: 'change_column', oldName, column: parseColumnDefinition(p) } as { action: 'change_column'; oldName: string; column: ColumnDefinition; first?: boolean; after?: string })];
    }
    case 'ALTER': {
      p.next();
      if (p.acceptKw('INDEX')) {
        const name = p.ident();
        if (p.acceptKw('VISIBLE')) return [{ action: 'alter_index_visibility', name, invisible: false }];
        p.expectKw('INVISIBLE');
        return [{ action: 'alter_index_visibility', name, invisible: true }];
      }
      if (p.isKw('CHECK') || p.isKw('CONSTRAINT')) {
        const anyConstraint = p.isKw('CONSTRAINT');
        p.next();
        const name = p.ident();
        const enforced = !p.acceptKw('NOT');
        p.expectKw('ENFORCED');
        const a: AlterAction = { action: 'alter_check_enforcement', name, enforced };
        if (anyConstraint) a.anyConstraint = true;
        return [a];
      }
      p.acceptKw('COLUMN');
      const name = p.ident();
      if (p.acceptKw('SET')) {
        if (p.acceptKw('DEFAULT')) {
          const col: ColumnDefinition = { name, dataType: { name: 'NULL' } };
          parseColumnDefault(p, col);
          const a: AlterAction = { action: 'alter_column_default', name, default: col.default as Expr };
          if (col.defaultIsExpr === true) {
            a.defaultIsExpr = true;
            if (col.defaultText !== undefined) a.defaultText = col.defaultText;
          }
          return [a];
        }
        if (p.acceptKw('VISIBLE')) return [{ action: 'alter_column_visibility', name, invisible: false }];
        p.expectKw('INVISIBLE');
        return [{ action: 'alter_column_visibility', name, invisible: true }];
      }
      p.expectKw('DROP');
      p.expectKw('DEFAULT');
      return [{ action: 'alter_column_default', name, drop: true }];
    }
    case 'RENAME': {
      p.next();
      if (p.acceptKw('COLUMN')) {
        const oldName = p.ident();
        p.expectKw('TO');
        return [{ action: 'rename_column', oldName, newName: p.ident() }];
      }
      if (p.acceptKw('INDEX') || p.acceptKw('KEY')) {
        const oldName = p.ident();
        p.expectKw('TO');
        return [{ action: 'rename_index', oldName, newName: p.ident() }];
      }
      if (!p.acceptKw('TO')) p.acceptKw('AS');
      return [{ action: 'rename_table', to: parseTableName(p) }];
    }
    case 'CONVERT': {
      p.next();
      p.expectKw('TO');
      if (!p.acceptKw('CHARSET')) {
        p.expectKw('CHARACTER');
        p.expectKw('SET');
      }
      const charset = parseCharsetName(p);
      const a: AlterAction = { action: 'convert_charset', charset };
      if (p.acceptKw('COLLATE')) a.collation = parseCollationName(p);
      return [a];
    }
    case 'ENABLE':
    case 'DISABLE':
      p.next();
      p.expectKw('KEYS');
      return [{ action: t.upper === 'ENABLE' ? 'enable_keys' : 'disable_keys' }];
    case 'DISCARD':
    case 'IMPORT':
      if (p.isKw('TABLESPACE', 1)) {
        p.next();
        p.next();
        return [{ action: t.upper === 'DISCARD' ? 'discard_tablespace' : 'import_tablespace' }];
      }
      return [{ action: 'partition', text: captureRest(p) }];
    case 'FORCE':
      p.next();
      return [{ action: 'force' }];
    case 'ORDER':
      p.next();
      p.expectKw('BY');
      return [{ action: 'order_by', columns: parseAlterOrderList(p) }];
    case 'ALGORITHM':
    case 'LOCK': {
      p.next();
      p.acceptOp('=');
      const v = p.next();
      if (v.type !== Tok.IDENT) throw p.error(v);
      return [{ action: t.upper === 'ALGORITHM' ? 'algorithm' : 'lock', value: v.upper }];
    }
    case 'WITH':
    case 'WITHOUT':
      p.next();
      p.expectKw('VALIDATION');
      return [];
    default: {
      if (PARTITION_OPS.has(t.upper) && p.isKw('PARTITION', 1)) return [{ action: 'partition', text: captureRest(p) }];
      const options = parseTableOptions(p);
      if (Object.keys(options).length === 0) throw p.error();
      return [{ action: 'table_options', options }];
    }
  }
}

/**
 * ALTER TABLE ... ORDER BY takes column names only (optionally qualified, with ASC / DESC);
 * a number or an expression is a syntax error. @req CORE-GRAM-004
 */
function parseAlterOrderList(p: Cursor): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const parts = [p.ident()];
    while (parts.length < 3 && p.isOp('.')) {
      p.next();
      parts.push(p.identAfterDot());
    }
    const name = parts[parts.length - 1]!;
    const col: ColumnRef = { type: 'column', name };
    if (parts.length >= 2) col.table = parts[parts.length - 2]!;
    if (parts.length === 3) col.schema = parts[0]!;
    let desc = false;
    if (p.acceptKw('DESC')) desc = true;
    else p.acceptKw('ASC');
    items.push({ expr: col, desc });
  } while (p.acceptOp(','));
  return items;
}

/** DROP ... dispatch. @req CORE-SQL-025 */
export function parseDrop(p: Cursor): Statement {
  p.expectKw('DROP');
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  switch (t.upper) {
    case 'TEMPORARY':
    case 'TABLE':
    case 'TABLES': {
      const temporary = p.acceptKw('TEMPORARY');
      if (!p.acceptKw('TABLE')) p.expectKw('TABLES');
      const ifExists = p.acceptKws('IF', 'EXISTS');
      const tables: TableName[] = [parseTableName(p)];
      while (p.acceptOp(',')) tables.push(parseTableName(p));
      if (!p.acceptKw('RESTRICT')) p.acceptKw('CASCADE');
      return { kind: 'drop_table', temporary, ifExists, tables };
    }
    case 'DATABASE':
    case 'SCHEMA': {
      p.next();
      const ifExists = p.acceptKws('IF', 'EXISTS');
      return { kind: 'drop_database', ifExists, name: p.ident() };
    }
    case 'INDEX': {
      p.next();
      const name = p.isKw('PRIMARY') ? p.next().value : p.ident();
      p.expectKw('ON');
      const table = parseTableName(p);
      parseAlgorithmLock(p);
      return { kind: 'drop_index', table, name };
    }
    case 'EVENT':
      return parseDropEvent(p);
    case 'TRIGGER':
      return parseDropTrigger(p);
    case 'VIEW': {
      p.next();
      const ifExists = p.acceptKws('IF', 'EXISTS');
      const names: TableName[] = [parseTableName(p)];
      while (p.acceptOp(',')) names.push(parseTableName(p));
      if (!p.acceptKw('RESTRICT')) p.acceptKw('CASCADE');
      return { kind: 'drop_view', ifExists, names };
    }
    case 'USER':
      return parseDropUser(p);
    case 'SERVER':
      return parseDropServer(p);
    case 'ROLE':
      return parseDropRole(p);
    case 'PREPARE':
      p.next();
      return { kind: 'deallocate', name: p.ident() };
    default:
      if (STORED_PROGRAM_OBJECTS.has(t.upper)) {
        p.pos = p.first;
        return otherStatement(p, 2);
      }
      throw p.error();
  }
}

/** RENAME TABLE a TO b, ... | RENAME USER ... */
export function parseRename(p: Cursor): Statement {
  p.expectKw('RENAME');
  if (p.isKw('USER')) return parseRenameUser(p);
  if (!p.acceptKw('TABLE')) p.expectKw('TABLES');
  const pairs: { from: TableName; to: TableName }[] = [];
  do {
    const from = parseTableName(p);
    p.expectKw('TO');
    pairs.push({ from, to: parseTableName(p) });
  } while (p.acceptOp(','));
  return { kind: 'rename_table', pairs };
}

/** TRUNCATE [TABLE] name */
export function parseTruncate(p: Cursor): Statement {
  p.expectKw('TRUNCATE');
  p.acceptKw('TABLE');
  return { kind: 'truncate', table: parseTableName(p) };
}

/**
 * Transaction control, locking, SET (variables, NAMES, CHARACTER SET, PASSWORD, TRANSACTION,
 * ROLE, DEFAULT ROLE), USE, SHOW, DESCRIBE / EXPLAIN, KILL, SHUTDOWN, DO, prepared statements,
 * table maintenance, FLUSH, plugins, and replication statements kept as OtherStatement.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-transactional-statements.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-variable.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-utility-statements.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html
 * @req CORE-SQL-034 CORE-SQL-035 CORE-SQL-036 CORE-SQL-037 CORE-SQL-038 CORE-TXN-006 CORE-TXN-021
 */
import type {
  Expr,
  FlushStatement,
  LockTablesStatement,
  SetStatement,
  SetTarget,
  SetTransactionStatement,
  ShowStatement,
  Statement,
  TableMaintenanceStatement,
  TableName,
  UserVarRef,
} from '../ast.js';
import { sqlError } from '../../kernel/errors.js';
import { Tok } from '../lexer/token.js';
import { parseAccountList, parseAccountName } from './account.js';
import type { Cursor } from './cursor.js';
import { otherStatement } from './ddl.js';
import { parseExpr, parseExprList, parseSysVar } from './expr.js';
import { parseLimit, parseTableName } from './select.js';
import { parseStatementBody } from './statement.js';
import { parseCharsetName, parseCollationName } from './types.js';
import { parseXa } from './xa.js';

/** Everything that is not a query, DML, DDL or GRANT/REVOKE. */
export function parseAdminStatement(p: Cursor): Statement {
  const t = p.peek();
  switch (t.upper) {
    case 'START':
      if (p.isKw('TRANSACTION', 1)) return parseStartTransaction(p);
      // START takes TRANSACTION, GROUP_REPLICATION, SLAVE or REPLICA; anything else is 1064. @req CORE-GRAM-006
      if (p.isKw('GROUP_REPLICATION', 1) || p.isKw('SLAVE', 1) || p.isKw('REPLICA', 1)) return otherStatement(p, 2);
      throw p.error(p.peek(1));
    case 'STOP':
      return otherStatement(p, 2);
    case 'BEGIN':
      p.next();
      p.acceptKw('WORK');
      return { kind: 'start_transaction' };
    case 'COMMIT':
      p.next();
      p.acceptKw('WORK');
      return { kind: 'commit', ...parseChainRelease(p) };
    case 'ROLLBACK': {
      p.next();
      p.acceptKw('WORK');
      if (p.acceptKw('TO')) {
        p.acceptKw('SAVEPOINT');
        return { kind: 'rollback', toSavepoint: p.ident() };
      }
      return { kind: 'rollback', ...parseChainRelease(p) };
    }
    case 'SAVEPOINT':
      p.next();
      return { kind: 'savepoint', name: p.ident() };
    case 'RELEASE':
      p.next();
      p.expectKw('SAVEPOINT');
      return { kind: 'release_savepoint', name: p.ident() };
    case 'LOCK':
      if (p.isKw('INSTANCE', 1)) return otherStatement(p, 2);
      return parseLockTables(p);
    case 'UNLOCK':
      p.next();
      if (p.isKw('INSTANCE')) {
        p.pos = p.first;
        return otherStatement(p, 2);
      }
      if (!p.acceptKw('TABLES')) p.expectKw('TABLE');
      return { kind: 'unlock_tables' };
    case 'FLUSH':
      return parseFlush(p);
    case 'SET':
      return parseSet(p);
    case 'USE':
      p.next();
      return { kind: 'use', schema: p.ident() };
    case 'SHOW':
      return parseShow(p);
    case 'DESCRIBE':
    case 'DESC':
    case 'EXPLAIN':
      return parseDescribe(p);
    case 'KILL': {
      p.next();
      let target: 'CONNECTION' | 'QUERY' = 'CONNECTION';
      if (p.acceptKw('QUERY')) target = 'QUERY';
      else p.acceptKw('CONNECTION');
      return { kind: 'kill', target, id: parseExpr(p) };
    }
    case 'SHUTDOWN':
      p.next();
      return { kind: 'shutdown' };
    case 'DO':
      p.next();
      return { kind: 'do', exprs: parseExprList(p) };
    case 'PREPARE': {
      p.next();
      const name = p.ident();
      p.expectKw('FROM');
      const s = p.peek();
      let source: Expr;
      if (s.type === Tok.STRING || s.type === Tok.NSTRING) source = { type: 'literal', kind: 'string', value: p.string() };
      else if (s.type === Tok.USERVAR) {
        p.next();
        source = { type: 'uservar', name: s.value };
      } else if (s.type === Tok.AT) {
        p.next();
        source = { type: 'uservar', name: p.identOrString() };
      } else throw p.error();
      return { kind: 'prepare', name, source };
    }
    case 'EXECUTE': {
      p.next();
      const name = p.ident();
      const using: UserVarRef[] = [];
      if (p.acceptKw('USING')) {
        do {
          const v = p.next();
          if (v.type === Tok.USERVAR) using.push({ type: 'uservar', name: v.value });
          else if (v.type === Tok.AT) using.push({ type: 'uservar', name: p.identOrString() });
          else throw p.error(v);
        } while (p.acceptOp(','));
      }
      return { kind: 'execute', name, using };
    }
    case 'DEALLOCATE':
      p.next();
      p.expectKw('PREPARE');
      return { kind: 'deallocate', name: p.ident() };
    case 'CHECK':
    case 'REPAIR':
    case 'ANALYZE':
    case 'OPTIMIZE':
    case 'CHECKSUM':
      return parseTableMaintenance(p);
    case 'INSTALL':
      if (p.isKw('PLUGIN', 1)) {
        p.next();
        p.next();
        const name = p.ident();
        p.expectKw('SONAME');
        return { kind: 'install_plugin', name, soname: p.string() };
      }
      return otherStatement(p, 2);
    case 'UNINSTALL':
      if (p.isKw('PLUGIN', 1)) {
        p.next();
        p.next();
        return { kind: 'uninstall_plugin', name: p.ident() };
      }
      return otherStatement(p, 2);
    case 'CHANGE':
      if (p.isKw('REPLICATION', 1)) return otherStatement(p, p.isKw('SOURCE', 2) || p.isKw('FILTER', 2) ? (p.isKw('TO', 3) ? 4 : 3) : 2);
      if (p.isKw('MASTER', 1)) return otherStatement(p, p.isKw('TO', 2) ? 3 : 2);
      throw p.error(p.peek(1));
    case 'RESET':
      if (p.isKw('MASTER', 1) || p.isKw('SLAVE', 1) || p.isKw('REPLICA', 1) || p.isKw('PERSIST', 1) || p.isKw('BINARY', 1)) {
        return otherStatement(p, p.isKw('BINARY', 1) ? 4 : 2);
      }
      return otherStatement(p, 1);
    case 'PURGE':
      return otherStatement(p, 3);
    case 'XA':
      return parseXa(p);
    case 'BINLOG':
    case 'HELP':
    case 'CALL':
    case 'HANDLER':
    case 'SIGNAL':
    case 'RESIGNAL':
    case 'RESTART':
    case 'CLONE':
    case 'CACHE':
      if (p.isKw('INDEX', 1)) return parseKeyCacheStatement(p);
      return otherStatement(p, 1);
    case 'IMPORT':
      return otherStatement(p, 1);
    default:
      throw p.error();
  }
}

function parseChainRelease(p: Cursor): { chain?: boolean; release?: boolean } {
  const r: { chain?: boolean; release?: boolean } = {};
  if (p.acceptKw('AND')) {
    r.chain = !p.acceptKw('NO');
    p.expectKw('CHAIN');
  }
  if (p.acceptKws('NO', 'RELEASE')) r.release = false;
  else if (p.acceptKw('RELEASE')) r.release = true;
  return r;
}

/** START TRANSACTION [characteristic, ...]. @req CORE-SQL-034 */
function parseStartTransaction(p: Cursor): Statement {
  p.next();
  p.next();
  const stmt: Statement = { kind: 'start_transaction' };
  if (p.atEnd()) return stmt;
  do {
    if (p.acceptKws('WITH', 'CONSISTENT', 'SNAPSHOT')) stmt.consistentSnapshot = true;
    else if (p.acceptKws('READ', 'ONLY')) stmt.readOnly = true;
    else if (p.acceptKws('READ', 'WRITE')) stmt.readWrite = true;
    else throw p.error();
  } while (p.acceptOp(','));
  // READ ONLY and READ WRITE together: MySQL's grammar rejects the whole list. @req CORE-TXN-006
  if (stmt.readOnly && stmt.readWrite) throw p.error();
  return stmt;
}

/** LOCK TABLES t [[AS] a] READ [LOCAL] | [LOW_PRIORITY] WRITE, ... @req CORE-SQL-034 */
function parseLockTables(p: Cursor): LockTablesStatement {
  p.next();
  if (!p.acceptKw('TABLES')) p.expectKw('TABLE');
  const locks: LockTablesStatement['locks'] = [];
  do {
    const table = parseTableName(p);
    let alias: string | undefined;
    if (p.acceptKw('AS')) alias = p.ident();
    else if (p.isIdent() && !p.isKw('READ') && !p.isKw('WRITE')) alias = p.ident();
    let mode: LockTablesStatement['locks'][number]['mode'];
    if (p.acceptKw('READ')) mode = p.acceptKw('LOCAL') ? 'READ LOCAL' : 'READ';
    else if (p.acceptKw('LOW_PRIORITY')) {
      p.expectKw('WRITE');
      mode = 'LOW_PRIORITY WRITE';
    } else {
      p.expectKw('WRITE');
      mode = 'WRITE';
    }
    const lock: LockTablesStatement['locks'][number] = { table, mode };
    if (alias !== undefined) lock.alias = alias;
    locks.push(lock);
  } while (p.acceptOp(','));
  return { kind: 'lock_tables', locks };
}

/** FLUSH [LOCAL] option, ... @req CORE-SQL-034 */
function parseFlush(p: Cursor): FlushStatement {
  p.next();
  const local = p.acceptKw('LOCAL') || p.acceptKw('NO_WRITE_TO_BINLOG');
  const stmt: FlushStatement = { kind: 'flush', local, what: [] };
  do {
    const t = p.next();
    if (t.type !== Tok.IDENT) throw p.error(t);
    const u = t.upper;
    if (u === 'TABLES' || u === 'TABLE') {
      const tables: TableName[] = [];
      if (p.isIdent() && !p.isKw('WITH') && !p.isKw('FOR')) {
        do tables.push(parseTableName(p));
        while (p.acceptOp(','));
        stmt.tables = tables;
      }
      if (p.acceptKws('WITH', 'READ', 'LOCK')) stmt.what.push('TABLES WITH READ LOCK');
      else if (p.acceptKws('FOR', 'EXPORT')) stmt.what.push('TABLES FOR EXPORT');
      else stmt.what.push('TABLES');
      break;
    }
    if (['BINARY', 'ENGINE', 'ERROR', 'GENERAL', 'RELAY', 'SLOW'].includes(u)) {
      p.expectKw('LOGS');
      stmt.what.push(u + ' LOGS');
      if (u === 'RELAY' && p.acceptKws('FOR', 'CHANNEL')) p.identOrString();
    } else if (['PRIVILEGES', 'LOGS', 'STATUS', 'HOSTS', 'USER_RESOURCES', 'OPTIMIZER_COSTS', 'QUERY'].includes(u)) {
      if (u === 'QUERY') p.expectKw('CACHE');
      stmt.what.push(u === 'QUERY' ? 'QUERY CACHE' : u);
    } else throw p.error(t);
  } while (p.acceptOp(','));
  return stmt;
}

const SCOPE_WORDS: Record<string, 'global' | 'session' | 'persist' | 'persist_only'> = {
  GLOBAL: 'global', SESSION: 'session', LOCAL: 'session', PERSIST: 'persist', PERSIST_ONLY: 'persist_only',
};

/** SET in all its forms. @req CORE-SQL-035 */
function parseSet(p: Cursor): Statement {
  p.next(); // SET
  const t = p.peek();
  if (t.type === Tok.IDENT) {
    switch (t.upper) {
      case 'NAMES': {
        p.next();
        if (p.acceptKw('DEFAULT')) return { kind: 'set_names', charset: 'DEFAULT' };
        const charset = parseCharsetName(p);
        const stmt: Statement = { kind: 'set_names', charset };
        if (p.acceptKw('COLLATE')) {
          stmt.collation = p.acceptKw('DEFAULT') ? 'DEFAULT' : parseCollationName(p);
        }
        if (!p.atEnd()) break;
        return stmt;
      }
      case 'CHARACTER':
      case 'CHARSET':
        if (t.upper === 'CHARACTER' && !p.isKw('SET', 1)) break;
        p.next();
        if (t.upper === 'CHARACTER') p.next();
        if (p.acceptKw('DEFAULT')) return { kind: 'set_names', charset: 'DEFAULT', characterSetForm: true };
        return { kind: 'set_names', charset: parseCharsetName(p), characterSetForm: true };
      case 'PASSWORD': {
        if (p.isOp('=', 1) || p.isKw('FOR', 1) || p.isKw('TO', 1)) {
          p.next();
          let account;
          if (p.acceptKw('FOR')) account = parseAccountName(p);
          if (p.acceptKw('TO')) {
            p.expectKw('RANDOM');
            const stmt: Statement = { kind: 'set_password', password: '' };
            if (account !== undefined) stmt.account = account;
            return stmt;
          }
          p.expectOp('=');
          const stmt: Statement = { kind: 'set_password', password: p.string() };
          if (account !== undefined) stmt.account = account;
          if (p.acceptKw('REPLACE')) stmt.replace = p.string();
          p.acceptKws('RETAIN', 'CURRENT', 'PASSWORD');
          return stmt;
        }
        break;
      }
      case 'ROLE': {
        if (p.isOp('=', 1)) break;
        p.next();
        if (p.acceptKw('DEFAULT')) return { kind: 'set_role', mode: 'DEFAULT', roles: [] };
        if (p.acceptKw('NONE')) return { kind: 'set_role', mode: 'NONE', roles: [] };
        if (p.acceptKw('ALL')) {
          if (p.acceptKw('EXCEPT')) return { kind: 'set_role', mode: 'ALL EXCEPT', roles: parseAccountList(p) };
          return { kind: 'set_role', mode: 'ALL', roles: [] };
        }
        return { kind: 'set_role', mode: 'LIST', roles: parseAccountList(p) };
      }
      case 'DEFAULT':
        if (p.isKw('ROLE', 1)) {
          p.next();
          p.next();
          let mode: 'NONE' | 'ALL' | 'LIST' = 'LIST';
          let roles: ReturnType<typeof parseAccountList> = [];
          if (p.acceptKw('NONE')) mode = 'NONE';
          else if (p.acceptKw('ALL')) mode = 'ALL';
          else roles = parseAccountList(p);
          p.expectKw('TO');
          return { kind: 'set_default_role', mode, roles, users: parseAccountList(p) };
        }
        break;
      case 'TRANSACTION':
        return parseSetTransaction(p, 'next');
      case 'GLOBAL':
      case 'SESSION':
      case 'LOCAL':
        if (p.isKw('TRANSACTION', 1)) {
          p.next();
          return parseSetTransaction(p, t.upper === 'GLOBAL' ? 'global' : 'session');
        }
        break;
      case 'RESOURCE':
        if (p.isKw('GROUP', 1)) {
          p.pos = p.first;
          return otherStatement(p, 3);
        }
        break;
      default:
        break;
    }
  }
  const stmt: SetStatement = { kind: 'set', assignments: [] };
  let scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only' = 'default';
  do {
    const w = p.peek();
    if (w.type === Tok.IDENT && SCOPE_WORDS[w.upper] !== undefined && !p.isOp('=', 1) && !p.isOp(':=', 1)) {
      scope = SCOPE_WORDS[w.upper] as typeof scope;
      p.next();
      // A scope word names a system variable by its bare name; `SET SESSION @v` and
      // `SET GLOBAL @@x` are syntax errors. @req CORE-GRAM-003
      const n = p.peek();
      if (n.type === Tok.USERVAR || n.type === Tok.AT || n.type === Tok.ATAT) throw p.error(n);
    }
    const target = parseSetTarget(p, scope);
    if (!p.acceptOp('=')) p.expectOp(':=');
    stmt.assignments.push({ target, value: parseSetValue(p) });
  } while (p.acceptOp(','));
  return stmt;
}

function parseSetTarget(p: Cursor, scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only'): SetTarget {
  const t = p.peek();
  if (t.type === Tok.USERVAR) {
    p.next();
    return { type: 'uservar', name: t.value };
  }
  if (t.type === Tok.AT) {
    p.next();
    return { type: 'uservar', name: p.identOrString() };
  }
  if (t.type === Tok.ATAT) {
    p.next();
    const v = parseSysVar(p);
    return { type: 'sysvar', name: v.name, scope: v.scope };
  }
  let name = p.identAfterDot();
  if (t.type === Tok.IDENT && t.reserved && !SETTABLE_RESERVED.has(t.upper)) throw p.error(t);
  while (p.isOp('.')) {
    p.next();
    name += '.' + p.identAfterDot();
  }
  return { type: 'sysvar', name, scope };
}

/** Reserved words that are also system variable names. */
const SETTABLE_RESERVED: ReadonlySet<string> = new Set(['SQL_BIG_RESULT', 'OPTIMIZER_COSTS']);

/** Right side of SET: an expression, DEFAULT, or a keyword value such as ON. */
function parseSetValue(p: Cursor): Expr {
  const t = p.peek();
  if (t.type === Tok.IDENT && (p.isOp(',', 1) || p.peek(1).type === Tok.EOF || p.isOp(';', 1) || p.atEndAfter(1))) {
    if (t.upper === 'DEFAULT') {
      p.next();
      return { type: 'default' };
    }
    if (t.upper === 'ON' || t.upper === 'ALL' || t.upper === 'BINARY' || t.upper === 'ROW' || t.upper === 'SYSTEM') {
      p.next();
      return { type: 'literal', kind: 'string', value: t.upper };
    }
  }
  return parseExpr(p);
}

/** SET [GLOBAL|SESSION] TRANSACTION characteristic, ... @req CORE-SQL-034 */
function parseSetTransaction(p: Cursor, scope: 'next' | 'session' | 'global'): SetTransactionStatement {
  p.expectKw('TRANSACTION');
  const stmt: SetTransactionStatement = { kind: 'set_transaction', scope };
  do {
    if (p.acceptKws('ISOLATION', 'LEVEL')) {
      if (p.acceptKws('READ', 'UNCOMMITTED')) stmt.isolation = 'READ UNCOMMITTED';
      else if (p.acceptKws('READ', 'COMMITTED')) stmt.isolation = 'READ COMMITTED';
      else if (p.acceptKws('REPEATABLE', 'READ')) stmt.isolation = 'REPEATABLE READ';
      else if (p.acceptKw('SERIALIZABLE')) stmt.isolation = 'SERIALIZABLE';
      else throw p.error();
    } else if (p.acceptKws('READ', 'ONLY')) stmt.accessMode = 'READ ONLY';
    else if (p.acceptKws('READ', 'WRITE')) stmt.accessMode = 'READ WRITE';
    else throw p.error();
  } while (p.acceptOp(','));
  return stmt;
}

/** `LIKE 'pattern'` or `WHERE expr` after SHOW. */
function parseLikeWhere(p: Cursor, s: ShowStatement): void {
  if (p.acceptKw('LIKE')) s.like = p.singleString();
  else if (p.acceptKw('WHERE')) s.where = parseExpr(p);
}

function parseFromDb(p: Cursor, s: ShowStatement): void {
  if (p.acceptKw('FROM') || p.acceptKw('IN')) s.schema = p.ident();
}

/** SHOW ... @req CORE-SQL-036 */
function parseShow(p: Cursor): ShowStatement {
  p.next(); // SHOW
  const s: ShowStatement = { kind: 'show', what: '' };
  if (p.acceptKw('EXTENDED')) s.extended = true;
  if (p.acceptKw('FULL')) s.full = true;
  if (p.acceptKw('GLOBAL')) s.scope = 'global';
  else if (p.acceptKw('SESSION') || p.acceptKw('LOCAL')) s.scope = 'session';
  const t = p.next();
  if (t.type !== Tok.IDENT) throw p.error(t);
  const u = t.upper;
  switch (u) {
    case 'DATABASES':
    case 'SCHEMAS':
      s.what = 'DATABASES';
      parseLikeWhere(p, s);
      break;
    case 'TABLES':
      s.what = 'TABLES';
      parseFromDb(p, s);
      parseLikeWhere(p, s);
      break;
    case 'COLUMNS':
    case 'FIELDS':
      s.what = 'COLUMNS';
      if (!p.acceptKw('FROM')) p.expectKw('IN');
      s.table = parseTableName(p);
      parseFromDb(p, s);
      parseLikeWhere(p, s);
      break;
    case 'INDEX':
    case 'INDEXES':
    case 'KEYS':
      s.what = 'INDEX';
      if (!p.acceptKw('FROM')) p.expectKw('IN');
      s.table = parseTableName(p);
      parseFromDb(p, s);
      if (p.acceptKw('WHERE')) s.where = parseExpr(p);
      break;
    case 'CREATE': {
      const o = p.next();
      if (o.type !== Tok.IDENT) throw p.error(o);
      switch (o.upper) {
        case 'TABLE':
        case 'VIEW':
        case 'TRIGGER':
        case 'EVENT':
        case 'PROCEDURE':
        case 'FUNCTION':
          s.what = 'CREATE ' + o.upper;
          s.table = parseTableName(p);
          break;
        case 'DATABASE':
        case 'SCHEMA':
          s.what = 'CREATE DATABASE';
          if (p.acceptKws('IF', 'NOT', 'EXISTS')) s.ifNotExists = true;
          s.schema = p.ident();
          s.table = { name: s.schema };
          break;
        case 'USER':
          s.what = 'CREATE USER';
          s.account = parseAccountName(p);
          break;
        default:
          throw p.error(o);
      }
      break;
    }
    case 'TABLE':
      p.expectKw('STATUS');
      s.what = 'TABLE STATUS';
      parseFromDb(p, s);
      parseLikeWhere(p, s);
      break;
    case 'VARIABLES':
    case 'STATUS':
      s.what = u;
      parseLikeWhere(p, s);
      break;
    case 'WARNINGS':
    case 'ERRORS':
      s.what = u;
      if (p.acceptKw('LIMIT')) s.limit = parseLimit(p);
      break;
    case 'COUNT': {
      p.expectOp('(');
      p.expectOp('*');
      p.expectOp(')');
      const w = p.next();
      if (w.upper !== 'WARNINGS' && w.upper !== 'ERRORS') throw p.error(w);
      s.what = 'COUNT ' + w.upper;
      break;
    }
    case 'PROCESSLIST':
    case 'PLUGINS':
    case 'PRIVILEGES':
    case 'PROFILES':
    case 'REPLICAS':
      s.what = u;
      break;
    case 'STORAGE':
      p.expectKw('ENGINES');
      s.what = 'ENGINES';
      break;
    case 'ENGINES':
      s.what = 'ENGINES';
      break;
    case 'ENGINE': {
      s.what = 'ENGINE';
      s.engine = p.identOrString();
      const w = p.next();
      if (w.type !== Tok.IDENT) throw p.error(w);
      s.engineWhat = w.upper;
      break;
    }
    case 'GRANTS':
      s.what = 'GRANTS';
      if (p.acceptKw('FOR')) {
        s.account = parseAccountName(p);
        if (p.acceptKw('USING')) s.using = parseAccountList(p);
      }
      break;
    case 'CHARACTER':
      p.expectKw('SET');
      s.what = 'CHARACTER SET';
      parseLikeWhere(p, s);
      break;
    case 'CHARSET':
      s.what = 'CHARACTER SET';
      parseLikeWhere(p, s);
      break;
    case 'COLLATION':
      s.what = 'COLLATION';
      parseLikeWhere(p, s);
      break;
    case 'MASTER':
      if (p.acceptKw('LOGS')) s.what = 'BINARY LOGS';
      else {
        p.expectKw('STATUS');
        s.what = 'MASTER STATUS';
      }
      break;
    case 'BINARY':
      if (p.acceptKw('LOGS')) s.what = 'BINARY LOGS';
      else {
        p.expectKw('LOG');
        p.expectKw('STATUS');
        s.what = 'BINARY LOG STATUS';
      }
      break;
    case 'BINLOG':
    case 'RELAYLOG':
      p.expectKw('EVENTS');
      s.what = u + ' EVENTS';
      if (p.acceptKw('IN')) s.logName = p.string();
      if (p.acceptKw('FROM')) s.position = parseExpr(p);
      if (p.acceptKw('LIMIT')) s.limit = parseLimit(p);
      parseChannel(p, s);
      break;
    case 'REPLICA':
    case 'SLAVE':
      if (u === 'SLAVE' && p.acceptKw('HOSTS')) {
        s.what = 'REPLICAS';
        break;
      }
      p.expectKw('STATUS');
      s.what = u + ' STATUS';
      parseChannel(p, s);
      break;
    case 'OPEN':
      p.expectKw('TABLES');
      s.what = 'OPEN TABLES';
      parseFromDb(p, s);
      parseLikeWhere(p, s);
      break;
    case 'TRIGGERS':
    case 'EVENTS':
      s.what = u;
      parseFromDb(p, s);
      parseLikeWhere(p, s);
      break;
    case 'PROCEDURE':
    case 'FUNCTION':
      if (p.acceptKw('CODE')) {
        s.what = u + ' CODE';
        s.table = parseTableName(p);
        break;
      }
      p.expectKw('STATUS');
      s.what = u + ' STATUS';
      parseLikeWhere(p, s);
      break;
    case 'PROFILE':
      s.what = 'PROFILE';
      while (!p.atEnd()) p.next();
      break;
    default:
      throw p.error(t);
  }
  return s;
}

function parseChannel(p: Cursor, s: ShowStatement): void {
  if (p.acceptKws('FOR', 'CHANNEL')) s.channel = p.identOrString();
}

const EXPLAINABLE: ReadonlySet<string> = new Set(['SELECT', 'WITH', 'TABLE', 'VALUES', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE']);

/** Format names EXPLAIN accepts (FORMAT = name, case-insensitive). @req CORE-EXPLAIN-002 */
const EXPLAIN_FORMATS: ReadonlySet<string> = new Set(['TRADITIONAL', 'JSON', 'TREE']);

/**
 * DESCRIBE tbl [col] / EXPLAIN [ANALYZE] [FORMAT = name] stmt / EXPLAIN [FORMAT = name] FOR
 * CONNECTION n. As in MySQL 8.0, ANALYZE comes before FORMAT, EXTENDED and PARTITIONS are gone
 * (syntax errors), and an unknown format name is 1791 while parsing.
 * @req CORE-SQL-037 CORE-EXPLAIN-001 CORE-EXPLAIN-002
 */
function parseDescribe(p: Cursor): Statement {
  p.next();
  const analyze = p.acceptKw('ANALYZE');
  let format: string | undefined;
  if (p.isKw('FORMAT') && p.isOp('=', 1)) {
    p.next();
    p.next();
    const name = p.identOrString();
    if (!EXPLAIN_FORMATS.has(name.toUpperCase())) throw sqlError('ER_UNKNOWN_EXPLAIN_FORMAT', name);
    format = name.toUpperCase();
  }
  if (p.isAnyKw(EXPLAINABLE) || p.isOp('(')) {
    const statement = parseStatementBody(p);
    const stmt: Statement = { kind: 'explain', statement };
    if (format !== undefined) stmt.format = format;
    if (analyze) stmt.analyze = true;
    return stmt;
  }
  if (!analyze && p.isKw('FOR') && p.isKw('CONNECTION', 1)) {
    p.next();
    p.next();
    const stmt: Statement = { kind: 'explain', statement: { kind: 'empty' }, forConnection: p.integer() };
    if (format !== undefined) stmt.format = format;
    return stmt;
  }
  if (format !== undefined || analyze) throw p.error();
  const table = parseTableName(p);
  const stmt: Statement = { kind: 'describe', table };
  if (!p.atEnd()) stmt.column = p.peek().type === Tok.STRING ? p.string() : p.ident();
  return stmt;
}

/** CHECK / REPAIR / ANALYZE / OPTIMIZE / CHECKSUM TABLE. @req CORE-SQL-038 */
function parseTableMaintenance(p: Cursor): TableMaintenanceStatement {
  const op = p.next().upper as TableMaintenanceStatement['op'];
  const options: string[] = [];
  if (p.acceptKw('NO_WRITE_TO_BINLOG')) options.push('NO_WRITE_TO_BINLOG');
  else if (p.acceptKw('LOCAL')) options.push('LOCAL');
  if (!p.acceptKw('TABLE')) p.expectKw('TABLES');
  const tables = [parseTableName(p)];
  while (p.acceptOp(',')) tables.push(parseTableName(p));
  for (;;) {
    if (p.acceptKws('FOR', 'UPGRADE')) options.push('FOR UPGRADE');
    else if (p.isAnyKw(MAINTENANCE_OPTIONS)) options.push(p.next().upper);
    else break;
  }
  if (op === 'ANALYZE' && (p.isKw('UPDATE') || p.isKw('DROP'))) {
    // ANALYZE TABLE t UPDATE/DROP HISTOGRAM ...: kept as an option text
    const start = p.peek().start;
    while (!p.atEnd()) p.next();
    options.push(p.slice(start, p.lastEnd()));
  }
  return { kind: 'table_maintenance', op, tables, options };
}

/**
 * CACHE INDEX t [{INDEX|KEY} (i, ...)], ... IN cache and
 * LOAD INDEX INTO CACHE t [{INDEX|KEY} (i, ...)] [IGNORE LEAVES], ...
 * @spec https://dev.mysql.com/doc/refman/8.0/en/cache-index.html
 */
export function parseKeyCacheStatement(p: Cursor): TableMaintenanceStatement {
  const load = p.acceptKw('LOAD');
  if (!load) p.expectKw('CACHE');
  p.expectKw('INDEX');
  if (load) {
    p.expectKw('INTO');
    p.expectKw('CACHE');
  }
  const tables: TableMaintenanceStatement['tables'] = [];
  const keyIndexes: NonNullable<TableMaintenanceStatement['keyIndexes']> = [];
  do {
    tables.push(parseTableName(p));
    const entry: { indexes?: string[]; ignoreLeaves?: boolean } = {};
    if (p.acceptKw('INDEX') || p.acceptKw('KEY')) {
      p.expectOp('(');
      const names: string[] = [];
      if (!p.isOp(')')) {
        do names.push(p.acceptKw('PRIMARY') ? 'PRIMARY' : p.ident());
        while (p.acceptOp(','));
      }
      p.expectOp(')');
      entry.indexes = names;
    }
    if (load && p.acceptKws('IGNORE', 'LEAVES')) entry.ignoreLeaves = true;
    keyIndexes.push(entry);
  } while (p.acceptOp(','));
  const stmt: TableMaintenanceStatement = { kind: 'table_maintenance', op: load ? 'LOAD_INDEX' : 'CACHE_INDEX', tables, options: [], keyIndexes };
  if (!load) {
    p.expectKw('IN');
    stmt.keyCache = p.acceptKw('DEFAULT') ? 'default' : p.ident();
  }
  return stmt;
}

const MAINTENANCE_OPTIONS: ReadonlySet<string> = new Set(['QUICK', 'EXTENDED', 'USE_FRM', 'FAST', 'MEDIUM', 'CHANGED']);


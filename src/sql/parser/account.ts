/**
 * Account management statements: CREATE / ALTER / DROP / RENAME USER, CREATE / DROP ROLE,
 * GRANT and REVOKE (privileges, roles, PROXY), and account names in their written forms
 * ('u'@'h', u@h, `u`@`h`, u, CURRENT_USER[()]).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-management-statements.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-names.html
 * @req CORE-SQL-031 CORE-SQL-032 CORE-SQL-033
 */
import type {
  AccountName,
  AlterUserStatement,
  AuthOption,
  CreateUserStatement,
  GrantTarget,
  PrivilegeItem,
  Statement,
  UserSpec,
} from '../ast.js';
import { Tok, type Token } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseIdentList } from './select.js';

/** An account name; the host defaults to '%'. @req CORE-SQL-031 */
export function parseAccountName(p: Cursor): AccountName {
  const t = p.peek();
  if (t.type === Tok.IDENT && (t.upper === 'CURRENT_USER' || (t.upper === 'USER' && p.isOp('(', 1) && p.isOp(')', 2)))) {
    p.next();
    if (p.acceptOp('(')) p.expectOp(')');
    return { user: '', host: '', current: true };
  }
  let user: string;
  if (t.type === Tok.STRING || t.type === Tok.QIDENT || t.type === Tok.IDENT) {
    p.next();
    user = t.value;
  } else throw p.error();
  const h = p.peek();
  if (h.type === Tok.USERVAR && !h.spaceBefore) {
    p.next();
    return { user, host: h.value };
  }
  if (h.type === Tok.AT) {
    p.next();
    const ht = p.peek();
    if (ht.type === Tok.STRING || ht.type === Tok.QIDENT || ht.type === Tok.IDENT) {
      p.next();
      return { user, host: ht.value };
    }
    throw p.error();
  }
  return { user, host: '%' };
}

export function parseAccountList(p: Cursor): AccountName[] {
  const list = [parseAccountName(p)];
  while (p.acceptOp(',')) list.push(parseAccountName(p));
  return list;
}

function parseAuthOption(p: Cursor): AuthOption | undefined {
  if (!p.acceptKw('IDENTIFIED')) return undefined;
  const auth: AuthOption = {};
  if (p.acceptKw('WITH')) {
    auth.plugin = p.identOrString();
    if (p.acceptKw('BY')) {
      if (p.acceptKws('RANDOM', 'PASSWORD')) auth.randomPassword = true;
      else auth.password = p.singleString();
    } else if (p.acceptKw('AS')) auth.hash = p.singleString();
  } else {
    p.expectKw('BY');
    if (p.acceptKws('RANDOM', 'PASSWORD')) auth.randomPassword = true;
    else if (p.acceptKw('PASSWORD')) auth.hash = p.singleString();
    else auth.password = p.singleString();
  }
  if (p.acceptKw('REPLACE')) p.string();
  p.acceptKws('RETAIN', 'CURRENT', 'PASSWORD');
  return auth;
}

function parseUserSpecs(p: Cursor): UserSpec[] {
  const users: UserSpec[] = [];
  do {
    const spec: UserSpec = { account: parseAccountName(p) };
    const auth = parseAuthOption(p);
    if (auth !== undefined) spec.auth = auth;
    users.push(spec);
  } while (p.acceptOp(','));
  return users;
}

type UserOptions = Omit<CreateUserStatement, 'kind' | 'ifNotExists' | 'users' | 'defaultRoles'>;

/** REQUIRE / WITH resource options / password and lock options / COMMENT / ATTRIBUTE. */
function parseUserOptions(p: Cursor, o: UserOptions): void {
  if (p.acceptKw('REQUIRE')) {
    if (p.acceptKw('NONE')) o.require = { type: 'NONE' };
    else if (p.acceptKw('SSL')) o.require = { type: 'SSL' };
    else if (p.acceptKw('X509')) o.require = { type: 'X509' };
    else {
      const r: NonNullable<UserOptions['require']> = { type: 'SPECIFIED' };
      let any = false;
      for (;;) {
        if (any) p.acceptKw('AND');
        if (p.acceptKw('CIPHER')) r.cipher = p.string();
        else if (p.acceptKw('ISSUER')) r.issuer = p.string();
        else if (p.acceptKw('SUBJECT')) r.subject = p.string();
        else break;
        any = true;
      }
      if (!any) throw p.error();
      o.require = r;
    }
  }
  if (p.acceptKw('WITH')) {
    const res: Record<string, number> = {};
    let any = false;
    while (p.isAnyKw(RESOURCE_OPTIONS)) {
      const k = p.next().upper;
      res[k] = p.integer();
      any = true;
    }
    if (!any) throw p.error();
    o.resourceOptions = res;
  }
  for (;;) {
    if (p.isKw('PASSWORD') || p.isKw('FAILED_LOGIN_ATTEMPTS') || p.isKw('PASSWORD_LOCK_TIME')) {
      const start = p.pos;
      const first = p.next().upper;
      if (first === 'PASSWORD') {
        if (p.acceptKw('EXPIRE')) {
          if (p.acceptKw('INTERVAL')) {
            p.integer();
            p.expectKw('DAY');
          } else if (!p.acceptKw('DEFAULT')) p.acceptKw('NEVER');
        } else if (p.acceptKw('HISTORY')) {
          if (!p.acceptKw('DEFAULT')) p.integer();
        } else if (p.acceptKw('REUSE')) {
          p.expectKw('INTERVAL');
          if (!p.acceptKw('DEFAULT')) {
            p.integer();
            p.expectKw('DAY');
          }
        } else if (p.acceptKw('REQUIRE')) {
          p.expectKw('CURRENT');
          if (!p.acceptKw('DEFAULT')) p.acceptKw('OPTIONAL');
        } else throw p.error();
      } else if (first === 'PASSWORD_LOCK_TIME') {
        if (!p.acceptKw('UNBOUNDED')) p.integer();
      } else p.integer();
      const words: string[] = [];
      for (let i = start; i < p.pos; i++) {
        const tk = p.toks[i];
        if (tk !== undefined) words.push(tk.type === Tok.IDENT ? tk.upper : tk.value);
      }
      (o.passwordOptions ??= []).push(words.join(' '));
    } else if (p.acceptKw('ACCOUNT')) {
      if (p.acceptKw('LOCK')) o.accountLock = true;
      else {
        p.expectKw('UNLOCK');
        o.accountLock = false;
      }
    } else break;
  }
  if (p.acceptKw('COMMENT')) o.comment = p.string();
  else if (p.acceptKw('ATTRIBUTE')) o.attribute = p.string();
}

const RESOURCE_OPTIONS: ReadonlySet<string> = new Set([
  'MAX_QUERIES_PER_HOUR', 'MAX_UPDATES_PER_HOUR', 'MAX_CONNECTIONS_PER_HOUR', 'MAX_USER_CONNECTIONS',
]);

/** CREATE USER. @req CORE-SQL-032 */
export function parseCreateUser(p: Cursor): Statement {
  p.expectKw('USER');
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const stmt: CreateUserStatement = { kind: 'create_user', ifNotExists, users: parseUserSpecs(p) };
  if (p.acceptKws('DEFAULT', 'ROLE')) stmt.defaultRoles = parseAccountList(p);
  parseUserOptions(p, stmt);
  return stmt;
}

/** ALTER USER. @req CORE-SQL-032 */
export function parseAlterUser(p: Cursor): Statement {
  p.expectKw('USER');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  const first = parseAccountName(p);
  const stmt: AlterUserStatement = { kind: 'alter_user', ifExists, ifNotExists: false, users: [] };
  if (p.acceptKws('DEFAULT', 'ROLE')) {
    stmt.users = [{ account: first }];
    if (p.acceptKw('NONE')) stmt.defaultRole = { mode: 'NONE', roles: [] };
    else if (p.acceptKw('ALL')) stmt.defaultRole = { mode: 'ALL', roles: [] };
    else stmt.defaultRole = { mode: 'LIST', roles: parseAccountList(p) };
    return stmt;
  }
  const spec: UserSpec = { account: first };
  const auth = parseAuthOption(p);
  if (auth !== undefined) spec.auth = auth;
  stmt.users = [spec];
  if (p.acceptOp(',')) stmt.users.push(...parseUserSpecs(p));
  parseUserOptions(p, stmt);
  return stmt;
}

export function parseDropUser(p: Cursor): Statement {
  p.expectKw('USER');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  return { kind: 'drop_user', ifExists, users: parseAccountList(p) };
}

export function parseRenameUser(p: Cursor): Statement {
  p.expectKw('USER');
  const pairs: { from: AccountName; to: AccountName }[] = [];
  do {
    const from = parseAccountName(p);
    p.expectKw('TO');
    pairs.push({ from, to: parseAccountName(p) });
  } while (p.acceptOp(','));
  return { kind: 'rename_user', pairs };
}

export function parseCreateRole(p: Cursor): Statement {
  p.expectKw('ROLE');
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  return { kind: 'create_role', ifNotExists, roles: parseAccountList(p) };
}

export function parseDropRole(p: Cursor): Statement {
  p.expectKw('ROLE');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  return { kind: 'drop_role', ifExists, roles: parseAccountList(p) };
}

/**
 * Privilege list up to ON. Returns undefined (cursor restored) when the list turns out to be
 * a list of roles (followed by TO / FROM instead of ON).
 */
function tryParsePrivileges(p: Cursor): PrivilegeItem[] | undefined {
  const save = p.pos;
  const items: PrivilegeItem[] = [];
  const bad: Token[] = [];
  for (;;) {
    const words: string[] = [];
    const toks: Token[] = [];
    while (p.peek().type === Tok.IDENT && !p.isKw('ON') && !p.isKw('TO') && !p.isKw('FROM')) {
      toks.push(p.peek());
      words.push(p.next().upper);
    }
    const breakAt = privilegeBreak(words);
    if (breakAt >= 0) bad.push(toks[breakAt] ?? p.peek());
    if (words.length === 0) {
      p.pos = save;
      return undefined;
    }
    let name = words.join(' ');
    if (name === 'ALL PRIVILEGES') name = 'ALL';
    const item: PrivilegeItem = { name };
    if (p.acceptOp('(')) {
      item.columns = parseIdentList(p);
      p.expectOp(')');
    }
    items.push(item);
    if (!p.acceptOp(',')) break;
  }
  if (!p.isKw('ON')) {
    p.pos = save;
    return undefined;
  }
  if (bad.length > 0) throw p.error(bad[0]);
  return items;
}

/** MySQL's privileges of more than one word; any other privilege is a single word. */
const MULTIWORD_PRIVILEGES: readonly string[] = [
  'ALL PRIVILEGES', 'ALTER ROUTINE', 'CREATE ROUTINE', 'CREATE TABLESPACE', 'CREATE TEMPORARY TABLES', 'CREATE USER',
  'CREATE VIEW', 'CREATE ROLE', 'DROP ROLE', 'GRANT OPTION', 'LOCK TABLES', 'REPLICATION CLIENT', 'REPLICATION SLAVE',
  'SHOW DATABASES', 'SHOW VIEW',
];

/**
 * Index of the first word that does not continue a privilege name (`GRANT SELECT`, `SELECT
 * SELECT` without a comma), or -1 when the words name one privilege. @req CORE-GRAM-006
 */
function privilegeBreak(words: readonly string[]): number {
  // GRANT, LOCK, REPLICATION and SHOW only start a privilege name (GRANT OPTION, ...).
  if (words.length === 1) return ['GRANT', 'LOCK', 'REPLICATION', 'SHOW'].includes(words[0]!) ? 1 : -1;
  if (words.length === 0) return -1;
  const name = words.join(' ');
  if (MULTIWORD_PRIVILEGES.includes(name)) return -1;
  for (let i = 1; i < words.length; i++) {
    const prefix = words.slice(0, i + 1).join(' ');
    if (!MULTIWORD_PRIVILEGES.some((m) => m === prefix || m.startsWith(prefix + ' '))) return i;
  }
  return words.length - 1;
}

/** ON [TABLE|FUNCTION|PROCEDURE] *.* | db.* | db.tbl | tbl | * */
function parseGrantTarget(p: Cursor): GrantTarget {
  p.expectKw('ON');
  const target: GrantTarget = { schema: null, table: '*' };
  if (p.isKw('TABLE') || p.isKw('FUNCTION') || p.isKw('PROCEDURE')) {
    target.objectType = p.next().upper as 'TABLE' | 'FUNCTION' | 'PROCEDURE';
  }
  const nameOrStar = (): string => {
    if (p.acceptOp('*')) return '*';
    return p.identAfterDot();
  };
  const first = p.isOp('*') ? (p.next(), '*') : p.ident();
  if (p.acceptOp('.')) {
    target.schema = first;
    target.table = nameOrStar();
  } else {
    target.schema = null;
    target.table = first;
  }
  return target;
}

/** GRANT privileges ON target TO users | GRANT roles TO users | GRANT PROXY. @req CORE-SQL-033 */
export function parseGrant(p: Cursor): Statement {
  p.expectKw('GRANT');
  if (p.isKw('PROXY') && p.isKw('ON', 1)) {
    p.next();
    p.next();
    const proxy = parseAccountName(p);
    p.expectKw('TO');
    const users = parseAccountList(p);
    const withGrantOption = p.acceptKws('WITH', 'GRANT', 'OPTION');
    return { kind: 'grant', privileges: [{ name: 'PROXY' }], target: { schema: '*', table: '*' }, users, withGrantOption, proxy };
  }
  const privileges = tryParsePrivileges(p);
  if (privileges === undefined) {
    const roles = parseAccountList(p);
    p.expectKw('TO');
    const users = parseAccountList(p);
    const withAdminOption = p.acceptKws('WITH', 'ADMIN', 'OPTION');
    return { kind: 'grant_role', roles, users, withAdminOption };
  }
  const target = parseGrantTarget(p);
  p.expectKw('TO');
  const users: AccountName[] = [];
  do {
    users.push(parseAccountName(p));
    // MySQL 5.7-style IDENTIFIED BY in GRANT is a syntax error in 8.0
  } while (p.acceptOp(','));
  let withGrantOption = false;
  if (p.acceptKws('WITH', 'GRANT', 'OPTION')) withGrantOption = true;
  const stmt: Statement = { kind: 'grant', privileges, target, users, withGrantOption };
  if (p.acceptKw('AS')) {
    stmt.asUser = parseAccountName(p);
    if (p.acceptKws('WITH', 'ROLE')) {
      if (!p.acceptKw('DEFAULT') && !p.acceptKw('NONE')) {
        if (p.acceptKw('ALL')) {
          if (p.acceptKw('EXCEPT')) parseAccountList(p);
        } else parseAccountList(p);
      }
    }
  }
  return stmt;
}

/** REVOKE (privileges | ALL, GRANT OPTION | roles | PROXY). @req CORE-SQL-033 */
export function parseRevoke(p: Cursor): Statement {
  p.expectKw('REVOKE');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  if (p.isKw('PROXY') && p.isKw('ON', 1)) {
    p.next();
    p.next();
    parseAccountName(p);
    p.expectKw('FROM');
    return { kind: 'revoke', ifExists, privileges: [{ name: 'PROXY' }], users: parseAccountList(p) };
  }
  // REVOKE ALL [PRIVILEGES], GRANT OPTION FROM users
  const save = p.pos;
  if (p.acceptKw('ALL')) {
    p.acceptKw('PRIVILEGES');
    if (p.acceptOp(',') && p.acceptKws('GRANT', 'OPTION') && p.acceptKw('FROM')) {
      const users = parseAccountList(p);
      const stmt: Statement = { kind: 'revoke', ifExists, privileges: [], users, allAndGrantOption: true };
      if (p.acceptKws('IGNORE', 'UNKNOWN', 'USER')) stmt.ignoreUnknownUser = true;
      return stmt;
    }
    p.pos = save;
  }
  const privileges = tryParsePrivileges(p);
  if (privileges === undefined) {
    const roles = parseAccountList(p);
    p.expectKw('FROM');
    const users = parseAccountList(p);
    p.acceptKws('IGNORE', 'UNKNOWN', 'USER');
    return { kind: 'revoke_role', roles, users };
  }
  const target = parseGrantTarget(p);
  p.expectKw('FROM');
  const users = parseAccountList(p);
  const stmt: Statement = { kind: 'revoke', ifExists, privileges, target, users };
  if (p.acceptKws('IGNORE', 'UNKNOWN', 'USER')) stmt.ignoreUnknownUser = true;
  return stmt;
}

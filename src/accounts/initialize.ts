/**
 * Data-directory initialisation of the account system (mysqld --initialize[-insecure]):
 * root@localhost with every privilege and the grant option, plus the locked system accounts
 * mysql.session, mysql.sys and mysql.infoschema that MySQL 8.0 creates.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-directory-initialization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/reserved-accounts.html
 * @req CORE-ACCT-090 CORE-ACCT-091
 */
import { existsSync } from 'node:fs';
import { Acl, aclPath, emptyAclState, newUserRecord, type AclState } from './acl.js';
import { SHA2_PLUGIN, hashPassword } from './credentials.js';
import { DYNAMIC_PRIVILEGES, GRANT_OPTION, STATIC_PRIVILEGES } from './privilege-names.js';

/** The stored credential MySQL gives system accounts: well-formed but unmatchable. */
export const INVALID_SYSTEM_AUTH_STRING = '$A$005$THISISACOMBINATIONOFINVALIDSALTANDPASSWORDTHATMUSTNEVERBRBEUSED';

export interface InitializeAccountsOptions {
  /** root@localhost password; '' or omitted = --initialize-insecure (empty password). */
  rootPassword?: string;
}

/**
 * The initial ACL state.
 * @req CORE-ACCT-090 CORE-ACCT-091
 */
export function initialAclState(opts: InitializeAccountsOptions = {}): AclState {
  const st = emptyAclState();
  const root = newUserRecord('root', 'localhost', SHA2_PLUGIN, hashPassword(SHA2_PLUGIN, opts.rootPassword ?? ''));
  root.globalPrivs = [...STATIC_PRIVILEGES, GRANT_OPTION];
  st.users.push(root);
  for (const p of DYNAMIC_PRIVILEGES) st.dynamic.push({ user: 'root', host: 'localhost', priv: p, withGrantOption: true });
  st.proxies.push({ user: 'root', host: 'localhost', proxiedUser: '', proxiedHost: '', withGrantOption: true });

  const system = (user: string): void => {
    const u = newUserRecord(user, 'localhost', SHA2_PLUGIN, INVALID_SYSTEM_AUTH_STRING);
    u.locked = true;
    st.users.push(u);
  };
  // mysql.infoschema: definer of the information_schema views.
  system('mysql.infoschema');
  st.users.at(-1)!.globalPrivs = ['SELECT'];
  st.dynamic.push({ user: 'mysql.infoschema', host: 'localhost', priv: 'SYSTEM_USER', withGrantOption: false });
  // mysql.session: used by plugins to reach the server.
  system('mysql.session');
  st.users.at(-1)!.globalPrivs = ['SHUTDOWN', 'SUPER'];
  for (const p of ['AUDIT_ABORT_EXEMPT', 'AUTHENTICATION_POLICY_ADMIN', 'BACKUP_ADMIN', 'CLONE_ADMIN', 'CONNECTION_ADMIN',
    'FIREWALL_EXEMPT', 'PERSIST_RO_VARIABLES_ADMIN', 'SESSION_VARIABLES_ADMIN', 'SYSTEM_USER', 'SYSTEM_VARIABLES_ADMIN']) {
    st.dynamic.push({ user: 'mysql.session', host: 'localhost', priv: p, withGrantOption: false });
  }
  st.db.push({ user: 'mysql.session', host: 'localhost', db: 'performance_schema', privs: ['SELECT'] });
  st.tables.push({ user: 'mysql.session', host: 'localhost', db: 'mysql', table: 'user', privs: ['SELECT'], grantor: 'boot@', timestamp: Date.now() });
  // mysql.sys: definer of the sys schema objects.
  system('mysql.sys');
  st.dynamic.push({ user: 'mysql.sys', host: 'localhost', priv: 'AUDIT_ABORT_EXEMPT', withGrantOption: false });
  st.dynamic.push({ user: 'mysql.sys', host: 'localhost', priv: 'FIREWALL_EXEMPT', withGrantOption: false });
  st.dynamic.push({ user: 'mysql.sys', host: 'localhost', priv: 'SYSTEM_USER', withGrantOption: false });
  st.db.push({ user: 'mysql.sys', host: 'localhost', db: 'sys', privs: ['TRIGGER'] });
  st.tables.push({ user: 'mysql.sys', host: 'localhost', db: 'sys', table: 'sys_config', privs: ['SELECT'], grantor: 'root@localhost', timestamp: Date.now() });
  return st;
}

/**
 * Create `<datadir>/mysql/acl.json` with the initial accounts (unless it already exists) and
 * return the loaded ACL.
 * @req CORE-ACCT-090
 */
export function initializeAccounts(datadir: string, opts: InitializeAccountsOptions = {}): Acl {
  if (existsSync(aclPath(datadir))) return Acl.open(datadir);
  const acl = new Acl(emptyAclState(), datadir);
  const init = initialAclState(opts);
  acl.updateSync((draft) => Object.assign(draft, init));
  return acl;
}

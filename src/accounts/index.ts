/**
 * Public surface of the accounts subsystem: the ACL, credentials, host matching, privilege
 * checks, account statements, SHOW GRANTS, grant-table views and datadir initialisation.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/access-control.html
 * @req CORE-ACCT-030
 */
export * from './acl.js';
export * from './credentials.js';
export * from './host-match.js';
export * from './privilege-names.js';
export * from './privileges.js';
export * from './statements.js';
export * from './show-grants.js';
export * from './grant-tables.js';
export * from './initialize.js';
export * from './identity.js';
export * from './exec-adapter.js';
export * from './infoschema-privileges.js';
export * from './ddl-services.js';

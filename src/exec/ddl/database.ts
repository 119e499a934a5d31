/**
 * CREATE / ALTER / DROP DATABASE (SCHEMA).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-database.html
 * @req CORE-CAT-004 CORE-DDL-017 CORE-DDL-041
 */
import { resolveCharset, SERVER_DEFAULT_CHARSET, SERVER_DEFAULT_COLLATION } from '../../catalog/charset-info.js';
import { checkSchemaName } from '../../catalog/names.js';
import type { AlterDatabaseStatement, CreateDatabaseStatement, DropDatabaseStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { ok, refuseSystemSchema } from './common.js';
import type { DdlServices } from './services.js';
import { checkDropParents, foreignKeyChecksOn } from './foreign-key-rules.js';

function serverDefaults(session: ExecSession): { charset: string; collation: string } {
  const cs = session.sysvar('character_set_server');
  const co = session.sysvar('collation_server');
  if (typeof cs === 'string' && typeof co === 'string') {
    try {
      return resolveCharset(cs, co, { charset: SERVER_DEFAULT_CHARSET, collation: SERVER_DEFAULT_COLLATION });
    } catch {
      /* fall through to the compiled-in default */
    }
  }
  return { charset: SERVER_DEFAULT_CHARSET, collation: SERVER_DEFAULT_COLLATION };
}

export async function createDatabase(services: DdlServices, session: ExecSession, stmt: CreateDatabaseStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  checkSchemaName(stmt.name);
  const cs = resolveCharset(stmt.charset, stmt.collation, serverDefaults(session));
  if (catalog.schemaExists(stmt.name)) {
    if (stmt.ifNotExists) {
      // Nothing was created: 0 rows affected plus Note 1007 (CORE-DDL-041).
      session.warn('Note', 'ER_DB_CREATE_EXISTS', stmt.name);
      return ok(0n);
    }
    throw sqlError('ER_DB_CREATE_EXISTS', stmt.name);
  }
  await catalog.createSchema({ name: stmt.name, charset: cs.charset, collation: cs.collation });
  return ok(1n);
}

export async function alterDatabase(services: DdlServices, session: ExecSession, stmt: AlterDatabaseStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const name = stmt.name ?? session.schema;
  if (!name) throw sqlError('ER_NO_DB_ERROR');
  const s = catalog.getSchema(name);
  if (!s) throw sqlError('ER_BAD_DB_ERROR', name);
  refuseSystemSchema(catalog, session, s.name);
  const changes: { charset?: string; collation?: string; readOnly?: boolean } = {};
  if (stmt.charset !== undefined || stmt.collation !== undefined) {
    const cs = resolveCharset(stmt.charset, stmt.collation, { charset: s.charset, collation: s.collation });
    changes.charset = cs.charset;
    changes.collation = cs.collation;
  }
  if (stmt.readOnly !== undefined) changes.readOnly = stmt.readOnly;
  await catalog.alterSchema(s.name, changes);
  return ok(1n);
}

export async function dropDatabase(services: DdlServices, session: ExecSession, stmt: DropDatabaseStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const s = catalog.getSchema(stmt.name);
  if (!s) {
    if (stmt.ifExists) {
      session.warn('Note', 'ER_DB_DROP_EXISTS', stmt.name);
      return ok(0n);
    }
    throw sqlError('ER_DB_DROP_EXISTS', stmt.name);
  }
  refuseSystemSchema(catalog, session, s.name);
  if (s.name === 'mysql') throw sqlError('ER_DBACCESS_DENIED_ERROR', session.user, session.host, s.name);
  // Its tables may not be parents of tables in other schemas (INNODB-FK-106).
  checkDropParents(catalog, foreignKeyChecksOn(session.sysvar('foreign_key_checks')), catalog.listTables(s.name), s.name);
  const n = await catalog.dropSchema(session, s.name);
  return ok(BigInt(n));
}

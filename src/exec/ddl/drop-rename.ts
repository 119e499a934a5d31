/**
 * DROP [TEMPORARY] TABLE [IF EXISTS], RENAME TABLE and TRUNCATE TABLE.
 *
 * DROP TABLE checks every name first and drops nothing when one is missing; the error lists all
 * missing tables as `db.t1,db.t2`. RENAME TABLE applies its pairs in order and undoes the
 * earlier ones if a later one fails.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/rename-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/truncate-table.html
 * @req CORE-DDL-014 CORE-DDL-015 CORE-DDL-016 MEMORY-043 MEMORY-101
 */
import type { ViewDef } from '../../catalog/catalog.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { DropTableStatement, RenameTableStatement, TruncateStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { checkDictionaryTableAccess } from '../../catalog/system-table-names.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { ok, refuseSystemSchema, requireTable, schemaOf } from './common.js';
import { checkDropParents, checkTruncateParent, foreignKeyChecksOn } from './foreign-key-rules.js';
import type { DdlServices } from './services.js';

export async function dropTables(services: DdlServices, session: ExecSession, stmt: DropTableStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const found: TableDef[] = [];
  const missing: string[] = [];
  for (const t of stmt.tables) {
    const schema = schemaOf(session, t);
    const def = stmt.temporary ? catalog.getTemporaryTable(session, schema, t.name) : catalog.getTable(schema, t.name, session);
    if (!def && !stmt.temporary) checkDictionaryTableAccess(schema, t.name);
    if (!def) {
      if (!stmt.temporary && catalog.getVirtualTable(schema, t.name)) refuseSystemSchema(catalog, session, schema);
      missing.push(`${schema}.${t.name}`);
    } else found.push(def);
  }
  if (missing.length > 0) {
    if (!stmt.ifExists) throw sqlError('ER_BAD_TABLE_ERROR', missing.join(','));
    for (const m of missing) session.warn('Note', 'ER_BAD_TABLE_ERROR', m);
  }
  // A parent goes only with its children, or with foreign_key_checks=0 (INNODB-FK-106).
  checkDropParents(catalog, foreignKeyChecksOn(session.sysvar('foreign_key_checks')), found);
  for (const def of found) {
    if (!def.temporary) refuseSystemSchema(catalog, session, def.schema);
    await catalog.dropTable(session, def);
  }
  return ok();
}

export async function renameTables(services: DdlServices, session: ExecSession, stmt: RenameTableStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const done: { from: TableDef; to: TableDef; view?: ViewDef }[] = [];
  try {
    for (const p of stmt.pairs) {
      const fromSchema = schemaOf(session, p.from);
      const toSchema = schemaOf(session, p.to);
      refuseSystemSchema(catalog, session, toSchema);
      if (!catalog.schemaExists(toSchema)) throw sqlError('ER_BAD_DB_ERROR', toSchema);
      if (catalog.getTable(toSchema, p.to.name, session)) throw sqlError('ER_TABLE_EXISTS_ERROR', p.to.name);
      const def = catalog.getTable(fromSchema, p.from.name, session);
      if (!def) checkDictionaryTableAccess(fromSchema, p.from.name);
      if (!def) {
        const view = catalog.getView(fromSchema, p.from.name);
        if (!view) throw sqlError('ER_NO_SUCH_TABLE', fromSchema, p.from.name);
        const renamed = await catalog.renameView(view, catalog.getSchema(toSchema)!.name, p.to.name);
        done.push({ from: view.def, to: renamed.def, view: renamed });
        continue;
      }
      // A table's triggers stay in its schema. @req CORE-TRG-003
      if (def.triggers !== undefined && def.triggers.length > 0 && catalog.getSchema(toSchema)!.name !== def.schema) throw sqlError('ER_TRG_IN_WRONG_SCHEMA');
      const renamed = await catalog.renameTable(session, def, catalog.getSchema(toSchema)!.name, p.to.name);
      done.push({ from: def, to: renamed });
    }
  } catch (err) {
    for (const d of done.reverse()) {
      if (d.view) await catalog.renameView(d.view, d.from.schema, d.from.name).catch(() => undefined);
      else await catalog.renameTable(session, d.to, d.from.schema, d.from.name).catch(() => undefined);
    }
    throw err;
  }
  return ok();
}

/** TRUNCATE TABLE: recreates the table empty, atomically (MEMORY re-reads max_heap_table_size). */
export async function truncateTable(services: DdlServices, session: ExecSession, stmt: TruncateStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const def = requireTable(catalog, session, stmt.table);
  refuseSystemSchema(catalog, session, def.schema);
  checkTruncateParent(catalog, foreignKeyChecksOn(session.sysvar('foreign_key_checks')), def);
  const engine = catalog.engineFor(def);
  // An engine that keeps rows until the table is dropped refuses here (ARCHIVE: 1031). @req ARCHIVE-026
  engine.checkTruncateTable?.(def);
  if (engine.capabilities.truncateInPlace) {
    // The rows live elsewhere (FEDERATED: on the remote; MERGE: in its children): the engine
    // empties them where they are. @req MERGE-008
    const handler = await catalog.openHandler(session, def);
    const done = handler.truncate(session.engineContext(engine.name));
    if (done instanceof Promise) await done;
    services.rowChanges?.notify({ connectionId: session.connectionId, transactional: !!engine.capabilities.transactions, purpose: 'dml' }, { kind: 'truncate', table: def });
    return ok();
  }
  const next = await catalog.truncateTable(session, def);
  // The rows go with the old storage, not one by one: observers hear of them as one change.
  // @req CORE-WRITE-002
  services.rowChanges?.notify({ connectionId: session.connectionId, transactional: !!engine.capabilities.transactions, purpose: 'dml' }, { kind: 'truncate', table: next });
  return ok();
}

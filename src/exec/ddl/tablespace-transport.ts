/**
 * Transportable tablespaces at the SQL level: ALTER TABLE ... DISCARD TABLESPACE and ALTER TABLE
 * ... IMPORT TABLESPACE (handed to the table's engine, under an exclusive metadata lock), and
 * FLUSH TABLES t, ... FOR EXPORT (the tables read locked as with WITH READ LOCK, and each engine
 * asked to write its export files, removed again at UNLOCK TABLES).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-table-import.html (15.6.1.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html (15.21.4)
 * @req INNODB-DD-005 INNODB-DD-006 INNODB-DD-009 INNODB-BAK-101
 */
import { sqlError } from '../../kernel/errors.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { AlterAction } from '../../sql/ast.js';
import type { StorageEngine } from '../../storage/handler.js';
import type { ExecSession } from '../exec-session.js';
import { upgradeDdlLock } from './ddl-locks.js';
import { ok } from './common.js';
import type { DdlServices } from './services.js';

/** Whether an ALTER TABLE is a DISCARD or IMPORT TABLESPACE. */
export function isTablespaceTransport(actions: readonly AlterAction[]): boolean {
  return actions.some((a) => a.action === 'discard_tablespace' || a.action === 'import_tablespace');
}

/** ALTER TABLE t DISCARD TABLESPACE / IMPORT TABLESPACE. */
export async function transportTablespace(services: DdlServices, session: ExecSession, def: TableDef, engine: StorageEngine, actions: readonly AlterAction[]): Promise<StatementResult> {
  const discard = actions[0]?.action === 'discard_tablespace';
  // The clause stands alone; engines without tablespaces refuse it (1031), as MySQL's do.
  if (actions.length !== 1) {
    throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use', 'TABLESPACE', 1);
  }
  const run = discard ? engine.discardTablespace : engine.importTablespace;
  if (!run || def.temporary) throw sqlError('ER_ILLEGAL_HA', def.name);
  await upgradeDdlLock(session, def, 'EXCLUSIVE');
  const ctx = session.engineContext(engine.name);
  if (discard) {
    await engine.discardTablespace!(ctx, def);
  } else {
    const warnings = await engine.importTablespace!(ctx, def);
    for (const w of warnings) session.warnRaw('Warning', w.code, w.message);
  }
  await services.catalog.reopenTable(def.id);
  return ok();
}

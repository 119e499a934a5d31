/**
 * CREATE TRIGGER and DROP TRIGGER. A trigger belongs to its table: the dictionary keeps the
 * table's triggers in action order on its definition, so DROP TABLE takes them along and RENAME
 * TABLE within a schema keeps them. Trigger names are unique within a schema.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-trigger.html (15.1.22)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-trigger.html (15.1.34)
 * @req CORE-TRG-001 CORE-TRG-002 CORE-TRG-003 CORE-TRG-007
 */
import type { OkResult } from '../../kernel/protocol-port.js';
import type { TableDef, TriggerDef } from '../../kernel/table-def.js';
import { diagnostic, sqlError } from '../../kernel/errors.js';
import type { CreateTriggerStatement, DropTriggerStatement } from '../../sql/routine-ast.js';
import type { Session } from '../session.js';
import { quoteDefiner } from '../events/ddl.js';
import { rowColumn } from './program.js';
import { SYSTEM_SCHEMAS } from './limits.js';
import type { MdlRequest } from '../locks/mdl-types.js';
import { checkTableLock } from '../locks/lock-tables.js';

function ok(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** The table of a schema that has a trigger of this name. */
export function findTrigger(session: Session, schema: string, name: string): { table: TableDef; trigger: TriggerDef } | undefined {
  const lc = name.toLowerCase();
  for (const table of session.deps.catalog.listTables?.(schema) ?? []) {
    const trigger = table.triggers?.find((t) => t.name.toLowerCase() === lc);
    if (trigger) return { table, trigger };
  }
  return undefined;
}

const SOURCE = 'triggers/ddl.ts';

/**
 * The metadata locks of CREATE / DROP TRIGGER: the table exclusively (a trigger changes how
 * every write of it behaves, so it waits for transactions that use the table), as MySQL does.
 * Under LOCK TABLES the table must be locked for writing instead (1100 / 1099).
 * @req CORE-TRG-003
 */
async function lockTableForTrigger(session: Session, schema: string, name: string): Promise<void> {
  const locks = session.locks;
  if (locks.lockedTables) {
    checkTableLock(session, schema, name, undefined, true);
    return;
  }
  if (!locks.enabled) return;
  if (locks.holdsGlobalReadLock()) throw sqlError('ER_CANT_UPDATE_WITH_READLOCK');
  const requests: MdlRequest[] = [
    { namespace: 'GLOBAL', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: SOURCE },
    { namespace: 'SCHEMA', schema, name: '', type: 'INTENTION_EXCLUSIVE', duration: 'TRANSACTION', source: SOURCE },
    { namespace: 'TABLE', schema, name, type: 'EXCLUSIVE', duration: 'TRANSACTION', source: SOURCE },
  ];
  const r = locks.acquireAll(requests);
  if (r instanceof Promise) await r;
}

function canonicalSchema(session: Session, name: string): string {
  const def = session.deps.catalog.getSchema?.(name);
  if (!def) throw sqlError('ER_BAD_DB_ERROR', name);
  return def.name;
}

/**
 * CREATE TRIGGER: MySQL's checks (schema, system schema 1465, the table: unknown 1146, a view or
 * temporary table 1361; TRIGGER privilege 1142; the name 1359; the NEW / OLD columns 1054; the
 * FOLLOWS / PRECEDES anchor 3011), then the table's definition with the trigger in place.
 * @req CORE-TRG-001 CORE-TRG-003
 */
export async function executeCreateTrigger(session: Session, stmt: CreateTriggerStatement): Promise<OkResult> {
  const cat = session.deps.catalog;
  if (!cat.updateDefinition || !cat.listTables) throw sqlError('ER_NOT_SUPPORTED_YET', 'CREATE TRIGGER');
  const tableSchemaName = stmt.table.schema ?? stmt.schema ?? session.schema;
  if (!tableSchemaName) throw sqlError('ER_NO_DB_ERROR');
  // The trigger lives in its table's schema. @req CORE-TRG-003
  if (stmt.schema !== undefined && stmt.table.schema !== undefined && stmt.schema.toLowerCase() !== stmt.table.schema.toLowerCase()) throw sqlError('ER_TRG_IN_WRONG_SCHEMA');
  if (SYSTEM_SCHEMAS.has(tableSchemaName.toLowerCase())) throw sqlError('ER_NO_TRIGGERS_ON_SYSTEM_SCHEMA');
  const schema = canonicalSchema(session, tableSchemaName);
  if (stmt.schema !== undefined && stmt.schema.toLowerCase() !== schema.toLowerCase()) throw sqlError('ER_TRG_IN_WRONG_SCHEMA');
  const table = cat.getTable?.(schema, stmt.table.name, session);
  if (!table) {
    const opened = await cat.openTable(session, schema, stmt.table.name);
    if (opened && opened.kind === 'view') throw sqlError('ER_TRG_ON_VIEW_OR_TEMP_TABLE', stmt.table.name);
    throw sqlError('ER_NO_SUCH_TABLE', schema, stmt.table.name);
  }
  if (table.temporary) throw sqlError('ER_TRG_ON_VIEW_OR_TEMP_TABLE', stmt.table.name);
  session.deps.accounts.checkTable(session, 'TRIGGER', schema, table.name);
  await lockTableForTrigger(session, schema, table.name);
  const me = { user: session.account.user, host: session.account.host };
  const definer = stmt.definer ?? me;
  if ((definer.user !== me.user || definer.host.toLowerCase() !== me.host.toLowerCase()) && !session.deps.accounts.hasGlobal(session, 'SET_USER_ID') && !session.deps.accounts.hasGlobal(session, 'SUPER')) {
    throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or SET_USER_ID');
  }
  if (findTrigger(session, schema, stmt.name)) {
    if (stmt.ifNotExists) {
      session.diagnostics.push(diagnostic('Note', 'ER_TRG_ALREADY_EXISTS'));
      return ok();
    }
    throw sqlError('ER_TRG_ALREADY_EXISTS');
  }
  for (const ref of stmt.rowRefs) rowColumn(table, ref.row, ref.column);
  // The definition as it is once the lock is held (another session may have changed it).
  const current = cat.getTable?.(schema, table.name, session) ?? table;
  const list = [...(current.triggers ?? [])];
  // Action order: after the last trigger of the same timing and event, or next to the anchor. @req CORE-TRG-003
  let at = list.length;
  if (stmt.order) {
    const lc = stmt.order.other.toLowerCase();
    const i = list.findIndex((t) => t.name.toLowerCase() === lc && t.timing === stmt.timing && t.event === stmt.event);
    if (i < 0) throw sqlError('ER_REFERENCED_TRG_DOES_NOT_EXIST', stmt.order.other);
    at = stmt.order.kind === 'FOLLOWS' ? i + 1 : i;
  }
  const now = session.statementStartedAt;
  const trigger: TriggerDef = {
    name: stmt.name,
    timing: stmt.timing,
    event: stmt.event,
    body: stmt.bodyText,
    definer: quoteDefiner(definer.user, definer.host),
    sqlMode: String(session.sysvar('sql_mode') ?? ''),
    created: Math.floor(now / 10) * 10,
    characterSetClient: String(session.sysvar('character_set_client') ?? 'utf8mb4'),
    collationConnection: String(session.sysvar('collation_connection') ?? 'utf8mb4_0900_ai_ci'),
    databaseCollation: session.deps.catalog.getSchema?.(schema)?.collation ?? 'utf8mb4_0900_ai_ci',
  };
  list.splice(at, 0, trigger);
  await cat.updateDefinition({ ...current, triggers: list });
  return ok();
}

/** DROP TRIGGER [IF EXISTS] [db.]name: 1360 (a note with IF EXISTS); TRIGGER on its table. @req CORE-TRG-001 */
export async function executeDropTrigger(session: Session, stmt: DropTriggerStatement): Promise<OkResult> {
  const cat = session.deps.catalog;
  if (!cat.updateDefinition || !cat.listTables) throw sqlError('ER_NOT_SUPPORTED_YET', 'DROP TRIGGER');
  const name = stmt.schema ?? session.schema;
  if (!name) throw sqlError('ER_NO_DB_ERROR');
  const schemaDef = cat.getSchema?.(name);
  const found = schemaDef ? findTrigger(session, schemaDef.name, stmt.name) : undefined;
  if (!found) {
    if (stmt.ifExists) {
      session.diagnostics.push(diagnostic('Note', 'ER_TRG_DOES_NOT_EXIST'));
      return ok();
    }
    throw sqlError('ER_TRG_DOES_NOT_EXIST');
  }
  session.deps.accounts.checkTable(session, 'TRIGGER', found.table.schema, found.table.name);
  await lockTableForTrigger(session, found.table.schema, found.table.name);
  const current = cat.getTable?.(found.table.schema, found.table.name, session) ?? found.table;
  const rest = (current.triggers ?? []).filter((t) => t.name.toLowerCase() !== found.trigger.name.toLowerCase());
  const next: TableDef = { ...current };
  if (rest.length > 0) next.triggers = rest;
  else delete next.triggers;
  await cat.updateDefinition(next);
  return ok();
}

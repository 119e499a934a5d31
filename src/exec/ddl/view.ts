/**
 * CREATE [OR REPLACE] VIEW and DROP VIEW. The view's query is run once at CREATE (which checks
 * that it is valid and gives the column names and types); the executor expands the stored
 * SELECT text like a derived table whenever the view is read.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-view.html
 * @req CORE-DDL-019 CORE-DDL-020 CORE-CHECK-033
 */
import type { ViewDef } from '../../catalog/catalog.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { CreateViewStatement, DropViewStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { ColumnFlag } from '../../kernel/column-type.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { ok, refuseSystemSchema, resolveName, schemaOf } from './common.js';
import { columnTypeFromResult } from './create-table.js';
import type { DdlServices } from './services.js';
import { printViewQuery } from '../../sql/print/query-print.js';

function quoteAccount(user: string, host: string): string {
  return '`' + user.replace(/`/g, '``') + '`@`' + host.replace(/`/g, '``') + '`';
}

export async function createView(services: DdlServices, session: ExecSession, stmt: CreateViewStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const { schema, name } = resolveName(catalog, session, stmt.name);
  refuseSystemSchema(catalog, session, schema);
  if (catalog.getBaseTable(schema, name)) throw sqlError('ER_TABLE_EXISTS_ERROR', name);
  if (catalog.getView(schema, name) && !stmt.orReplace) throw sqlError('ER_TABLE_EXISTS_ERROR', name);
  if (!services.runSelect) throw sqlError('ER_NOT_SUPPORTED_YET', 'CREATE VIEW');
  const result = await services.runSelect(session, stmt.query);
  const names = stmt.columns ?? result.columns.map((c) => c.name);
  if (names.length !== result.columns.length) throw sqlError('ER_VIEW_WRONG_LIST');
  const seen = new Set<string>();
  const columns: ColumnDef[] = result.columns.map((rc, i) => {
    const n = names[i]!;
    if (seen.has(n.toLowerCase())) throw sqlError('ER_DUP_FIELDNAME', n);
    seen.add(n.toLowerCase());
    const t = columnTypeFromResult(rc);
    const col: ColumnDef = { name: n, type: t.type, nullable: (rc.flags & ColumnFlag.NOT_NULL) === 0, autoIncrement: false, comment: '' };
    if (t.charset) col.charset = t.charset;
    if (t.collation) col.collation = t.collation;
    return col;
  });
  const def: TableDef = {
    id: catalog.nextTableId(),
    schema,
    name,
    engine: '',
    columns,
    indexes: [],
    charset: 'utf8mb4',
    collation: 'utf8mb4_0900_ai_ci',
    comment: 'VIEW',
    options: {},
    autoIncrementStart: 1n,
    temporary: false,
    createTime: Date.now(),
  };
  const definer = stmt.definer && !stmt.definer.current ? stmt.definer : { user: session.account.user, host: session.account.host };
  const view: ViewDef = {
    def,
    query: stmt.queryText ?? stmt.text,
    algorithm: stmt.algorithm ?? 'UNDEFINED',
    definer: quoteAccount(definer.user, definer.host),
    security: stmt.security ?? 'DEFINER',
    checkOption: stmt.checkOption ?? 'NONE',
  };
  if (stmt.columns) view.columns = stmt.columns;
  // The query as MySQL prints it, resolved against the tables as they are now. @req CORE-CHECK-033
  const printed = printViewQuery(stmt.query, {
    schema,
    resultNames: result.columns.map((rc) => rc.name),
    columnsOf: (s, t) => (catalog.getBaseTable(s, t) ?? catalog.getView(s, t)?.def)?.columns,
  });
  if (printed) view.printed = printed;
  await catalog.createView(view, stmt.orReplace);
  return ok();
}

/** DROP VIEW: missing views are 1051 (all listed), a base table is 1347 `'db.t' is not VIEW`. */
export async function dropViews(services: DdlServices, session: ExecSession, stmt: DropViewStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const found: { schema: string; name: string }[] = [];
  const missing: string[] = [];
  for (const t of stmt.names) {
    const schema = schemaOf(session, t);
    if (catalog.getView(schema, t.name)) found.push({ schema, name: t.name });
    else if (catalog.getBaseTable(schema, t.name)) throw sqlError('ER_WRONG_OBJECT', schema, t.name, 'VIEW');
    else missing.push(`${schema}.${t.name}`);
  }
  if (missing.length > 0) {
    if (!stmt.ifExists) throw sqlError('ER_BAD_TABLE_ERROR', missing.join(','));
    for (const m of missing) session.warn('Note', 'ER_BAD_TABLE_ERROR', m);
  }
  for (const v of found) await catalog.dropView(v.schema, v.name);
  return ok();
}

/** SHOW CREATE VIEW text. */
export function showCreateViewText(view: ViewDef): string {
  const cols = view.columns ? ` (${view.columns.map((c) => '`' + c.replace(/`/g, '``') + '`').join(',')})` : '';
  const check = view.checkOption === 'NONE' ? '' : ` WITH ${view.checkOption} CHECK OPTION`;
  return `CREATE ALGORITHM=${view.algorithm} DEFINER=${view.definer} SQL SECURITY ${view.security} VIEW \`${view.def.name.replace(/`/g, '``')}\`${cols} AS ${view.printed?.body ?? view.query}${check}`;
}

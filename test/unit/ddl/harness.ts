/**
 * A catalog plus a minimal ExecSession for running DDL/SHOW (and raw handler inserts) in unit tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../src/catalog/catalog.js';
import { executeDdl } from '../../../src/exec/ddl/execute.js';
import type { DdlServices } from '../../../src/exec/ddl/services.js';
import { DiagnosticsArea } from '../../../src/kernel/diagnostics.js';
import type { ExecSession } from '../../../src/exec/exec-session.js';
import type { RowsResult, StatementResult } from '../../../src/kernel/protocol-port.js';
import { collectRows } from '../../../src/kernel/row-stream.js';
import { drainSync } from '../../../src/storage/handler.js';
import { executeShow } from '../../../src/exec/show/execute.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { diagnostic, type ErrorName } from '../../../src/kernel/errors.js';
import type { Row, Value } from '../../../src/kernel/value.js';

export interface Harness {
  services: DdlServices;
  session: ExecSession;
  run(sql: string): Promise<StatementResult>;
  rows(sql: string): Promise<Row[]>;
  insert(schema: string, table: string, row: Row): Promise<void>;
  scan(schema: string, table: string): Promise<Row[]>;
  close(): Promise<void>;
}

export function makeSession(): ExecSession {
  const vars = new Map<string, Value>([
    ['sql_mode', 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'],
    ['default_storage_engine', 'MEMORY'],
    ['max_heap_table_size', 16777216n],
  ]);
  const diagnostics = new DiagnosticsArea();
  const s = {
    connectionId: 1,
    user: 'root',
    host: 'localhost',
    account: { user: 'root', host: 'localhost', plugin: '', authString: '', locked: false, requireSecureTransport: false, passwordExpired: false },
    activeRoles: [],
    schema: 'db',
    diagnostics,
    warn: (level: 'Note' | 'Warning' | 'Error', name: ErrorName, ...args: unknown[]) => diagnostics.push(diagnostic(level, name, ...args)),
    sysvar: (n: string) => vars.get(n.toLowerCase()) ?? null,
    sessionVars: vars,
    userVars: new Map(),
    sqlMode: () => new Set(String(vars.get('sql_mode')).split(',')),
    engineContext: () => ({ connectionId: 1, sessionVar: (n: string) => vars.get(n) ?? null }),
    implicitCommit: async () => undefined,
    noteNonTransactionalChange: () => undefined,
    isInterrupted: () => false,
    lastInsertId: 0n,
    rowCount: 0n,
    foundRows: 0n,
  };
  return s as unknown as ExecSession;
}

export async function makeHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-ddlh-'));
  const catalog = await Catalog.open(dir, createPluginRegistry());
  const services: DdlServices = { catalog };
  const session = makeSession();
  const run = async (sql: string): Promise<StatementResult> => {
    const stmt = parseOne(sql);
    if (stmt.kind === 'show' || stmt.kind === 'describe') return executeShow(services, session, stmt);
    return executeDdl(services, session, stmt);
  };
  await run('CREATE DATABASE db');
  return {
    services,
    session,
    run,
    rows: async (sql) => collectRows(((await run(sql)) as RowsResult).rows),
    insert: async (schema, table, row) => {
      const def = catalog.getTable(schema, table, session)!;
      const h = await catalog.openHandler(session, def);
      await h.insert(session.engineContext(def.engine), row);
    },
    scan: async (schema, table) => {
      const def = catalog.getTable(schema, table, session)!;
      const h = await catalog.openHandler(session, def);
      return drainSync(h.scan(session.engineContext(def.engine), { lock: 'consistent', canWait: false })).map((r) => r.row);
    },
    close: async () => {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

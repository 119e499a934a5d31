import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { Session } from '../../../src/exec/session.js';
import { ServerStatus, type AuthAccount, type ConnectionInfo, type StatementResult } from '../../../src/kernel/protocol-port.js';
import type { ExecDeps } from '../../../src/exec/deps.js';
import { SysVarRegistry } from '../../../src/server/sysvars/index.js';
import { collectRows } from '../../../src/kernel/row-stream.js';
import type { Row } from '../../../src/kernel/value.js';

function makeSession(): Session {
  const deps: ExecDeps = {
    version: '8.0.40-refmysql',
    serverId: 1,
    sysvars: SysVarRegistry.withCoreVariables(),
    catalog: {
      schemaExists: (n) => n === 'db',
      openTable: async () => undefined,
      engineByName: () => undefined,
    },
    accounts: {
      findAccount: () => null,
      hostKnown: () => true,
      checkTable: () => undefined,
      hasGlobal: () => true,
      checkSchemaAccess: () => undefined,
    },
    log: () => undefined,
  };
  const conn: ConnectionInfo = {
    connectionId: 7,
    transport: 'tcp',
    remoteAddress: '127.0.0.1',
    remotePort: 5000,
    localAddress: '127.0.0.1',
    localPort: 3306,
    tls: false,
    namespace: '',
    close: () => undefined,
  };
  const account: AuthAccount = { user: 'root', host: 'localhost', plugin: 'caching_sha2_password', authString: '', locked: false, requireSecureTransport: false, passwordExpired: false };
  return new Session(deps, conn, account, 'root', null);
}

/** Each result, with a SELECT's rows read while its statement runs (a result's rows are a
 *  stream that ends with the statement). */
async function run(s: Session, sql: string, multiStatements = true): Promise<(StatementResult & { list?: Row[] })[]> {
  const out: (StatementResult & { list?: Row[] })[] = [];
  for await (const r of s.query(sql, { multiStatements })) out.push(r.kind === 'rows' ? { ...r, list: await collectRows(r.rows) } : r);
  return out;
}

describe('Session', () => {
  it(req(['CORE-EXEC-006', 'CORE-EXEC-010'], 'unit', 'status flags follow autocommit and explicit transactions'), async () => {
    const s = makeSession();
    expect(s.statusFlags() & ServerStatus.AUTOCOMMIT).toBeTruthy();
    await run(s, 'START TRANSACTION READ ONLY');
    expect(s.statusFlags() & ServerStatus.IN_TRANS).toBeTruthy();
    expect(s.statusFlags() & ServerStatus.IN_TRANS_READONLY).toBeTruthy();
    await run(s, 'COMMIT');
    expect(s.statusFlags() & ServerStatus.IN_TRANS).toBe(0);
    await run(s, 'SET autocommit = 0');
    expect(s.statusFlags() & ServerStatus.AUTOCOMMIT).toBe(0);
  });
  it(req(['CORE-EXEC-015', 'CORE-EXEC-002'], 'unit', 'multi-statement text yields one result per statement; user variables persist'), async () => {
    const s = makeSession();
    const rs = await run(s, 'SET @a = 41; SELECT @a + 1 AS v');
    expect(rs).toHaveLength(2);
    const last = rs[1]!;
    expect(last.kind).toBe('rows');
    expect(last.list).toEqual([[42n]]);
  });
  it(req('CORE-EXEC-013', 'unit', 'a second statement without multi-statements is a syntax error; no schema is 1046'), async () => {
    const s = makeSession();
    await expect(run(s, 'SELECT 1; SELECT 2', false)).rejects.toMatchObject({ errno: 1064 });
    await expect(run(s, 'SELECT * FROM t')).rejects.toMatchObject({ errno: 1046 });
    await expect(s.useSchema('nope')).rejects.toMatchObject({ errno: 1049 });
    await s.useSchema('db');
    expect(s.schema).toBe('db');
  });
  it(req('CORE-EXEC-020', 'unit', 'prepared statements report parameter counts and result columns'), async () => {
    const s = makeSession();
    const info = await s.prepare('SELECT ? + 1 AS x, ? AS y');
    expect(info.paramCount).toBe(2);
    expect(info.columns.map((c) => c.name)).toEqual(['x', 'y']);
    const r = await s.executePrepared(info.id, [1n, 'a']);
    expect(r.kind === 'rows' && (await collectRows(r.rows))).toEqual([[2n, 'a']]);
    s.closePrepared(info.id);
    expect(s.preparedInfo(info.id)).toBeUndefined();
  });
});

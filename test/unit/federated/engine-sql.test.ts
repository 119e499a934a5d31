/**
 * The SQL the FEDERATED engine sends, recorded by a fake connector: the connection check and
 * session setup, scans and index reads, single and batched INSERTs (split at the remote's
 * max_allowed_packet), INSERT IGNORE / REPLACE, UPDATE with LIMIT 1 only without a primary key,
 * DELETE with LIMIT 1, TRUNCATE; and never a HANDLER statement.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { FederatedEngine } from '../../../src/storage/federated/engine.js';
import { RemoteSqlError, type RemoteResult, type RemoteSqlConnector } from '../../../src/kernel/remote-sql-port.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { drain, internalEngineContext, type TableHandler } from '../../../src/storage/handler.js';

function fakeRemote(opts: { maxPacket?: number; rows?: (Buffer | null)[][]; failOn?: RegExp } = {}): { connector: RemoteSqlConnector; sent: string[] } {
  const sent: string[] = [];
  const connector: RemoteSqlConnector = {
    async connect() {
      return {
        alive: true,
        close: () => undefined,
        async query(sql: string): Promise<RemoteResult> {
          sent.push(sql);
          if (opts.failOn?.test(sql)) throw new RemoteSqlError(1146, '42S02', "Table 'db.t' doesn't exist", false);
          if (sql === 'SELECT @@max_allowed_packet') return { kind: 'rows', columns: ['x'], rows: [[Buffer.from(String(opts.maxPacket ?? 67108864))]] };
          if (sql.startsWith('SELECT') && !sql.endsWith('WHERE 1=0')) return { kind: 'rows', columns: [], rows: opts.rows ?? [] };
          return { kind: 'ok', affectedRows: 1n, insertId: 0n, warnings: 0 };
        },
      };
    },
  };
  return { connector, sent };
}

function def(withPk: boolean): TableDef {
  return {
    id: 1, schema: 's', name: 'local_t', engine: 'FEDERATED', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci', comment: '',
    options: { CONNECTION: 'mysql://u:p@h:3307/db/t' }, autoIncrementStart: 1n, temporary: false, createTime: 0,
    columns: [
      { name: 'id', type: { name: 'INT' }, nullable: false, autoIncrement: false, comment: '' },
      { name: 'v', type: { name: 'VARCHAR', length: 20 }, nullable: true, autoIncrement: false, comment: '' },
    ],
    indexes: withPk ? [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }] : [],
  };
}

const ctx = internalEngineContext(() => null, 7);
const SETUP = ['SET NAMES utf8mb4', 'SELECT @@max_allowed_packet', 'SELECT `id`, `v` FROM `t` WHERE 1=0'];

async function open(withPk: boolean, remote: ReturnType<typeof fakeRemote>): Promise<TableHandler> {
  return new FederatedEngine({ connector: remote.connector }).openTable(ctx, def(withPk));
}

describe('the statements FEDERATED sends', () => {
  it(req(['FEDERATED-076', 'FEDERATED-012', 'FEDERATED-013'], 'unit', 'connect check, scan, index read, UPDATE (LIMIT 1 without a primary key), DELETE (LIMIT 1), TRUNCATE; no HANDLER'), async () => {
    const remote = fakeRemote({ rows: [[Buffer.from('1'), Buffer.from('a')], [Buffer.from('2'), null]] });
    const h = await open(false, remote);
    const rows = await drain(h.scan(ctx, { lock: 'consistent', canWait: true }));
    expect(rows.map((r) => r.row)).toEqual([[1n, 'a'], [2n, null]]);
    await h.update(ctx, rows[0]!.id, [1n, 'a'], [1n, 'b']);
    await h.delete(ctx, rows[1]!.id, [2n, null]);
    await h.truncate(ctx);
    expect(remote.sent).toEqual([
      ...SETUP,
      'SELECT `id`, `v` FROM `t`',
      "UPDATE `t` SET `id` = 1, `v` = 'b' WHERE `id` = 1 AND `v` = 'a' LIMIT 1",
      'DELETE FROM `t` WHERE `id` = 2 AND `v` IS NULL LIMIT 1',
      'TRUNCATE `t`',
    ]);
    expect(remote.sent.some((q) => /^HANDLER/i.test(q))).toBe(false);
    const pk = fakeRemote();
    const h2 = await open(true, pk);
    await h2.update(ctx, 1, [1n, 'a'], [1n, 'b']);
    expect(pk.sent.at(-1)).toBe("UPDATE `t` SET `id` = 1, `v` = 'b' WHERE `id` = 1 AND `v` = 'a'");
    await drain(h2.indexRead(ctx, 'PRIMARY', { kind: 'range', low: { key: [5n], inclusive: true } }, { lock: 'consistent', canWait: true }));
    expect(pk.sent.at(-1)).toBe('SELECT `id`, `v` FROM `t` WHERE (`id` >= 5) ORDER BY `id` ASC');
  });

  it(req(['FEDERATED-082', 'FEDERATED-083'], 'unit', 'batched INSERTs: one statement for a multi-row INSERT, split before the remote max_allowed_packet; IGNORE and REPLACE kept'), async () => {
    const remote = fakeRemote({ maxPacket: 200 });
    const h = await open(true, remote);
    await h.startBulkInsert!(ctx, 3, 'insert');
    for (let i = 1; i <= 3; i++) await h.insert(ctx, [BigInt(i), 'x'.repeat(40)]);
    await h.endBulkInsert!(ctx);
    const x40 = 'x'.repeat(40);
    const inserts = remote.sent.filter((q) => q.includes('INTO'));
    // 200 - 64 bytes of room: the head (~40 bytes) and two tuples of 48 fit, the third starts a new batch.
    expect(inserts).toEqual([
      `INSERT INTO \`t\` (\`id\`, \`v\`) VALUES (1, '${x40}'), (2, '${x40}')`,
      `INSERT INTO \`t\` (\`id\`, \`v\`) VALUES (3, '${x40}')`,
    ]);
    await h.startBulkInsert!(ctx, 2, 'ignore');
    await h.insert(ctx, [4n, 'a']);
    await h.insert(ctx, [5n, 'b']);
    await h.endBulkInsert!(ctx);
    await h.startBulkInsert!(ctx, 1, 'replace');
    await h.insert(ctx, [6n, 'c']);
    await h.endBulkInsert!(ctx);
    expect(remote.sent.slice(-2)).toEqual(["INSERT IGNORE INTO `t` (`id`, `v`) VALUES (4, 'a'), (5, 'b')", "REPLACE INTO `t` (`id`, `v`) VALUES (6, 'c')"]);
  });

  it(req(['FEDERATED-012'], 'unit', 'a remote error is 1296 naming it; a missing remote table at connect is 1431'), async () => {
    const missing = fakeRemote({ failOn: /WHERE 1=0$/ });
    const h = await open(true, missing);
    await expect(drain(h.scan(ctx, { lock: 'consistent', canWait: true }))).rejects.toMatchObject({ errno: 1431, message: "The foreign data source you are trying to reference does not exist. Data source error:  error: 1146  'Table 'db.t' doesn't exist'" });
    const failing = fakeRemote({ failOn: /^DELETE/ });
    const h2 = await open(true, failing);
    await expect(Promise.resolve(h2.delete(ctx, 1, [1n, 'a']))).rejects.toMatchObject({ errno: 1296, message: "Got error 10000 'Error on remote system: 1146: Table 'db.t' doesn't exist' from FEDERATED" });
    expect(() => h2.scan(ctx, { lock: 'consistent', canWait: false }).fill([], 10)).toThrow(/cannot wait/);
  });
});

describe('the AUTO_INCREMENT counter at the start of an INSERT', () => {
  /** A remote whose SHOW TABLE STATUS reports `counter` and whose largest id is `largest`. */
  function counterRemote(counter: string | null, largest: string | null): { connector: RemoteSqlConnector; sent: string[] } {
    const sent: string[] = [];
    const connector: RemoteSqlConnector = {
      async connect() {
        return {
          alive: true,
          close: () => undefined,
          async query(sql: string): Promise<RemoteResult> {
            sent.push(sql);
            if (sql === 'SELECT @@max_allowed_packet') return { kind: 'rows', columns: ['x'], rows: [[Buffer.from('67108864')]] };
            if (sql.startsWith('SHOW TABLE STATUS')) {
              const row: (Buffer | null)[] = Array.from({ length: 18 }, () => null);
              row[0] = Buffer.from('t');
              row[4] = Buffer.from('3');
              row[5] = Buffer.from('40');
              row[10] = counter === null ? null : Buffer.from(counter);
              return { kind: 'rows', columns: [], rows: [row] };
            }
            if (sql.startsWith('SELECT MAX(')) return { kind: 'rows', columns: ['m'], rows: [[largest === null ? null : Buffer.from(largest)]] };
            return { kind: 'ok', affectedRows: 1n, insertId: 0n, warnings: 0 };
          },
        };
      },
    };
    return { connector, sent };
  }

  async function firstValue(counter: string | null, largest: string | null, start = 1n): Promise<{ first: bigint; sent: string[] }> {
    const remote = counterRemote(counter, largest);
    const d = def(true);
    d.columns[0] = { ...d.columns[0]!, autoIncrement: true };
    d.autoIncrementStart = start;
    const h = await new FederatedEngine({ connector: remote.connector }).openTable(ctx, d);
    await h.startBulkInsert!(ctx, 1, 'insert');
    return { first: h.reserveAutoIncrement(ctx, 1).first, sent: remote.sent };
  }

  it(req(['FEDERATED-088'], 'unit', "the remote's counter when it is ahead of the rows; past the largest stored value when the counter lags (a remote FEDERATED table); the table's start value before either"), async () => {
    const ahead = await firstValue('20', '9');
    expect(ahead.first).toBe(20n);
    expect(ahead.sent.slice(SETUP.length)).toEqual(["SHOW TABLE STATUS LIKE 't'", 'SELECT MAX(`id`) FROM `t`']);
    expect((await firstValue('4', '9')).first).toBe(10n);
    expect((await firstValue(null, null)).first).toBe(1n);
    expect((await firstValue(null, null, 50n)).first).toBe(50n);
    expect((await firstValue('1', '-3', 50n)).first).toBe(50n);
  });
});

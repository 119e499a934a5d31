/**
 * Differential test over the binary protocol: the same parameterised statements run as
 * server-side prepared statements (mysql2 `execute`) on the MariaDB peer and on refmysqld.
 * This is the path sysbench takes with `--db-ps-mode=auto`. Compared like the text corpus:
 * error number/SQLSTATE, or column names + row values + affected rows + warning codes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-prepared-statements.html
 * @req CORE-PEER-001 CORE-PEER-008
 */
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer, startMariaDb, type MariaDbPeer } from '../helpers/mariadb.js';
import { startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { compareOutcomes, runPrepared, runStatement } from './runner.js';

const DB = 'peer_prepared';
const TEXT_OPTIONS: Partial<ConnectionOptions> = { dateStrings: true, supportBigNumbers: true, bigNumberStrings: true };

const SETUP = [
  `CREATE TABLE t (
     id INT NOT NULL PRIMARY KEY, k INT NOT NULL, c CHAR(20) NOT NULL, pad VARCHAR(30),
     d DECIMAL(8,2), f DOUBLE, dt DATETIME, dd DATE, tm TIME, big BIGINT UNSIGNED, tiny TINYINT,
     e ENUM('x','y'), vb VARBINARY(8), KEY ix_k (k)
   ) ENGINE=MEMORY`,
  `INSERT INTO t VALUES
     (1, 10, 'alpha', 'p1', 1.50, 0.5, '2024-01-02 03:04:05', '2024-01-02', '03:04:05', 18446744073709551615, -128, 'x', x'00ff'),
     (2, 20, 'beta', NULL, -2.25, -1.25, '1999-12-31 23:59:59', '1999-12-31', '-838:59:59', 0, 127, 'y', NULL),
     (3, 10, 'gamma', 'p3', 0.00, NULL, NULL, NULL, NULL, 42, 0, NULL, 'abc'),
     (4, 30, 'delta', 'p4', 99.99, 1e10, '2000-02-29 12:00:00', '2000-02-29', '12:00:00', 7, 1, 'x', '')`,
];

/** [sql, params] pairs; several reuse the same text with other parameters. */
const CASES: [string, (string | number | null)[]][] = [
  ['SELECT c FROM t WHERE id = ?', [1]],
  ['SELECT c FROM t WHERE id = ?', [3]],
  ['SELECT c FROM t WHERE id = ?', [99]],
  ['SELECT c FROM t WHERE id = ?', ['2']],
  ['SELECT c FROM t WHERE id BETWEEN ? AND ? ORDER BY id', [1, 3]],
  ['SELECT SUM(k) FROM t WHERE id BETWEEN ? AND ?', [1, 4]],
  ['SELECT c FROM t WHERE id BETWEEN ? AND ? ORDER BY c', [1, 4]],
  ['SELECT DISTINCT c FROM t WHERE id BETWEEN ? AND ? ORDER BY c', [2, 4]],
  ['SELECT * FROM t ORDER BY id', []],
  ['SELECT id, d, f, dt, dd, tm, big, tiny, e, HEX(vb) AS vb FROM t WHERE k = ? ORDER BY id', [10]],
  ['SELECT ? AS a, ? AS b, ? AS c', [1, 'two', null]],
  ['SELECT ? + 1 AS a, CONCAT(?, ?) AS b', [41, 'x', 'y']],
  ['SELECT id FROM t WHERE c LIKE ? ORDER BY id', ['%a']],
  ['SELECT id FROM t WHERE pad IS NULL OR pad = ? ORDER BY id', ['p3']],
  ['SELECT COUNT(*) AS n, MAX(d) AS mx, MIN(dt) AS mn FROM t WHERE k >= ?', [10]],
  ['SELECT id FROM t WHERE dd > ? ORDER BY id', ['2000-01-01']],
  ['UPDATE t SET k = k + ? WHERE id = ?', [1, 3]],
  ['SELECT k FROM t WHERE id = ?', [3]],
  ['INSERT INTO t (id, k, c) VALUES (?, ?, ?)', [5, 50, 'epsilon']],
  ['INSERT INTO t (id, k, c) VALUES (?, ?, ?)', [5, 51, 'dup']],
  ['INSERT INTO t (id, k, c, tiny) VALUES (?, ?, ?, ?)', [6, 60, 'zeta', 1000]],
  ['DELETE FROM t WHERE id = ?', [5]],
  ['SELECT id, c FROM t ORDER BY id', []],
  ['SELECT nosuch FROM t WHERE id = ?', [1]],
  ['SELECT * FROM nosuch WHERE id = ?', [1]],
  ['SELECT ? / 0 AS r', [1]],
  ['SELECT CAST(? AS SIGNED) AS r', ['12abc']],
];

describe('prepared statements (binary protocol): MariaDB peer vs refmysqld', () => {
  let maria: MariaDbPeer | undefined;
  let target: ServerTarget | undefined;
  let left: Connection | undefined;
  let right: Connection | undefined;

  beforeAll(async () => {
    requirePeer();
    maria = await startMariaDb();
    target = await startRefTarget();
    left = await maria.connect(TEXT_OPTIONS);
    right = await target.connect(TEXT_OPTIONS);
    for (const c of [left, right]) {
      await c.query(`DROP DATABASE IF EXISTS ${DB}`);
      await c.query(`CREATE DATABASE ${DB}`);
      await c.query(`USE ${DB}`);
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of [left, right]) await c?.query(`DROP DATABASE IF EXISTS ${DB}`).catch(() => undefined);
    await left?.end().catch(() => undefined);
    await right?.end().catch(() => undefined);
    await target?.stop();
    await maria?.stop();
  }, 60_000);

  it(req(['CORE-PEER-001', 'CORE-PEER-008'], 'peer', `${CASES.length} parameterised statements match MariaDB`), async () => {
    if (!left || !right) throw new Error('servers not started');
    for (const sql of SETUP) {
      const a = await runStatement(left, sql);
      const b = await runStatement(right, sql);
      expect(compareOutcomes(a, b), `setup: ${sql}`).toBeNull();
    }
    const diffs: string[] = [];
    for (const [i, [sql, params]] of CASES.entries()) {
      const a = await runPrepared(left, sql, params);
      const b = await runPrepared(right, sql, params);
      const d = compareOutcomes(a, b);
      if (d !== null) diffs.push(`#${i + 1} ${sql} ${JSON.stringify(params)}: ${d}`);
    }
    expect(diffs.length, `differences (MariaDB vs ${target?.kind}):\n${diffs.join('\n')}`).toBe(0);
  }, 120_000);
});

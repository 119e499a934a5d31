/**
 * The Debian `mariadb` client shows refmysqld's EXPLAIN FORMAT=JSON and FORMAT=TREE: the one
 * `EXPLAIN` column comes back whole, and with --raw the JSON parses to MySQL's layout. (MariaDB's
 * own JSON plan differs; only our output is checked.)
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { mariadbCli, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

describe('mariadb CLI and EXPLAIN', () => {
  let target: ServerTarget;

  beforeAll(async () => {
    requirePeer(['mariadb']);
    target = await startRefTarget();
    const r = await mariadbCli(target, ['-e', 'CREATE DATABASE IF NOT EXISTS excli; CREATE TABLE excli.t (id INT PRIMARY KEY, v INT); INSERT INTO excli.t VALUES (1, 5), (2, 7)']);
    expect(r.stderr).toBe('');
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it(req(['CORE-EXPLAIN-003#table'], 'peer', 'EXPLAIN FORMAT=JSON through the mariadb client: one EXPLAIN column holding our JSON plan'), async () => {
    const r = await mariadbCli(target, ['--raw', 'excli', '-e', 'EXPLAIN FORMAT=JSON SELECT v FROM t WHERE v > 5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [head, ...body] = r.stdout.split('\n');
    expect(head).toBe('EXPLAIN');
    const doc = JSON.parse(body.join('\n')) as { query_block: { select_id: number; table: Record<string, unknown> } };
    expect(doc.query_block.select_id).toBe(1);
    expect(doc.query_block.table).toMatchObject({ table_name: 't', access_type: 'ALL', rows_examined_per_scan: 2, filtered: '33.33', used_columns: ['v'], attached_condition: '(`excli`.`t`.`v` > 5)' });
  });

  it(req(['CORE-EXPLAIN-005'], 'peer', 'EXPLAIN FORMAT=TREE through the mariadb client in batch mode: newlines escaped as \\n'), async () => {
    const r = await mariadbCli(target, ['excli', '-e', 'EXPLAIN FORMAT=TREE SELECT v FROM t WHERE v > 5']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('EXPLAIN\n-> Filter: (t.v > 5)  (cost=0.7 rows=0.667)\\n    -> Table scan on t  (cost=0.7 rows=2)\\n\n');
  });
});

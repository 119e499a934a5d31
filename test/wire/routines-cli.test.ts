/**
 * Stored routines created the way users create them: a `DELIMITER //` script piped to the
 * `mariadb` command-line client, which sends each definition whole (its `;` included), then
 * CALLs with result sets printed in batch mode, and errors reported by the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs, mariadbCli, runCommand, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

describe('mariadb CLI with DELIMITER', () => {
  let target: ServerTarget;

  beforeAll(async () => {
    requirePeer(['mariadb']);
    target = await startRefTarget();
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it(req(['CORE-SP-002', 'CORE-SP-021#results'], 'peer', 'a DELIMITER // script creates a procedure and a function; CALL prints each result set'), async () => {
    const script = [
      'DROP DATABASE IF EXISTS cli_sp;',
      'CREATE DATABASE cli_sp;',
      'USE cli_sp;',
      'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(10), qty INT);',
      "INSERT INTO items VALUES (1, 'apple', 3), (2, 'pear', 0), (3, 'plum', 7);",
      'DELIMITER //',
      'CREATE FUNCTION stock_label(q INT) RETURNS VARCHAR(10) DETERMINISTIC',
      'BEGIN',
      "  IF q = 0 THEN RETURN 'out'; END IF;",
      "  RETURN CONCAT(q, ' left');",
      'END //',
      'CREATE PROCEDURE report(IN min_qty INT, OUT n INT)',
      'BEGIN',
      '  DECLARE total INT DEFAULT 0;',
      '  SELECT name, stock_label(qty) AS label FROM items WHERE qty >= min_qty ORDER BY id;',
      '  SELECT COUNT(*), SUM(qty) INTO n, total FROM items WHERE qty >= min_qty;',
      '  SELECT n AS cnt, total;',
      'END //',
      'DELIMITER ;',
      'CALL report(1, @n);',
      'SELECT @n AS n_out;',
      'DROP DATABASE cli_sp;',
      '',
    ].join('\n');
    const r = await mariadbCli(target, [], script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('name\tlabel\napple\t3 left\nplum\t7 left\ncnt\ttotal\n2\t10\nn_out\n2\n');
  });

  it(req(['CORE-SP-010', 'CORE-SP-022'], 'peer', 'an invalid body and an unhandled SIGNAL are reported by the client with their errors'), async () => {
    const bad = ['CREATE DATABASE IF NOT EXISTS cli_bad;', 'DELIMITER //', 'CREATE PROCEDURE cli_bad.broken() BEGIN DECLARE x INT; SET y = 1; END //', 'DELIMITER ;', ''].join('\n');
    const r = await mariadbCli(target, [], bad);
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toBe("ERROR 1193 (HY000) at line 3: Unknown system variable 'y'");
    await mariadbCli(target, ['-e', 'DROP DATABASE cli_bad']);
    const sig = [
      'DROP DATABASE IF EXISTS cli_sig;',
      'CREATE DATABASE cli_sig;',
      'DELIMITER //',
      "CREATE PROCEDURE cli_sig.boom() BEGIN SELECT 'before' AS step; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'stop here'; END //",
      'DELIMITER ;',
      'CALL cli_sig.boom();',
      '',
    ].join('\n');
    const s = await mariadbCli(target, [], sig);
    expect(s.code).toBe(1);
    expect(s.stdout).toBe('step\nbefore\n');
    expect(lastLine(s.stderr)).toBe('ERROR 1644 (45000) at line 6: stop here');
    const after = await mariadbCli(target, ['-N', '-e', "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'cli_sig'; DROP DATABASE cli_sig"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('1\n');
  });

  it(req(['CORE-SP-060', 'CORE-SP-061'], 'peer', 'mariadb-dump --routines dumps procedures and functions that restore into a second server with the same SHOW CREATE'), async () => {
    const setup = [
      'DROP DATABASE IF EXISTS cli_dump;',
      'CREATE DATABASE cli_dump;',
      'USE cli_dump;',
      'DELIMITER //',
      "CREATE PROCEDURE p(IN x INT, OUT y INT) COMMENT 'dumped' SQL SECURITY INVOKER BEGIN DECLARE z INT DEFAULT 2; SET y = x * z; END //",
      'CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1 //',
      'DELIMITER ;',
      '',
    ].join('\n');
    expect((await mariadbCli(target, [], setup)).code).toBe(0);
    const dump = await runCommand('mariadb-dump', [...cliTcpArgs(target), '--routines', '--databases', 'cli_dump'], { timeoutMs: 60_000 });
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('DELIMITER ;;');
    const show = ['SHOW CREATE PROCEDURE cli_dump.p', 'SHOW CREATE FUNCTION cli_dump.f'];
    const before = await mariadbCli(target, ['-e', show.join('; ')]);
    const second = await startRefTarget();
    try {
      const restore = await mariadbCli(second, [], dump.stdout);
      expect(restore.stderr).toBe('');
      expect(restore.code).toBe(0);
      const after = await mariadbCli(second, ['-e', show.join('; ')]);
      expect(after.stdout).toBe(before.stdout);
      const run = await mariadbCli(second, ['-N', '-e', 'CALL cli_dump.p(4, @y); SELECT @y, cli_dump.f(1)']);
      expect(run.stdout).toBe('8\t2\n');
    } finally {
      await second.stop();
      await mariadbCli(target, ['-e', 'DROP DATABASE cli_dump']);
    }
  });
});

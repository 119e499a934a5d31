/**
 * Tests of the peer tooling itself: the corpus runner's pure parts, the throwaway MariaDB
 * harness (settings and cleanup) and the idempotent installer.
 *
 * @spec https://mariadb.com/kb/en/mariadb-install-db/
 * @req CORE-PEER-006 CORE-PEER-009 CORE-PEER-010
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MYSQL80_DEFAULT_SQL_MODE, peerAvailable, startMariaDb } from '../helpers/mariadb.js';
import { runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { compareOutcomes, hasTopLevelOrderBy, parseCorpusText, projectColumns, type Outcome } from './runner.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('differential runner', () => {
  it(req('CORE-PEER-009', 'unit', 'splits a corpus file on line-final semicolons and numbers statements'), () => {
    const text = '-- comment\nSELECT 1;\n\nSELECT\n  2;\nSELECT \';\' AS x;\n';
    const st = parseCorpusText('f', text);
    expect(st.map((s) => [s.id, s.line, s.sql])).toEqual([
      ['f:001', 2, 'SELECT 1'],
      ['f:002', 4, 'SELECT\n  2'],
      ['f:003', 6, "SELECT ';' AS x"],
    ]);
    expect(() => parseCorpusText('g', 'SELECT 1')).toThrow(/no terminating/);
  });

  it(req('CORE-PEER-009', 'unit', 'a -- columns: line limits the next statement\'s comparison to the named columns'), () => {
    const st = parseCorpusText('c', '-- columns: Name, engine\nSHOW TABLE STATUS;\nSELECT 1;\n');
    expect(st.map((s) => [s.id, s.sql, s.columns])).toEqual([
      ['c:001', 'SHOW TABLE STATUS', ['Name', 'engine']],
      ['c:002', 'SELECT 1', undefined],
    ]);
    const rows: Outcome = { kind: 'rows', columns: ['Name', 'Engine', 'Rows'], rows: [['t', 'InnoDB', '7']], ordered: false, warnings: [] };
    expect(projectColumns(rows, ['engine', 'name', 'Nope'])).toEqual({
      ...rows,
      columns: ['Engine', 'Name', '(no column Nope)'],
      rows: [['InnoDB', 't', null]],
    });
    expect(projectColumns(rows, undefined)).toBe(rows);
    const ok: Outcome = { kind: 'ok', affectedRows: 0, warnings: [] };
    expect(projectColumns(ok, ['Name'])).toBe(ok);
  });

  it(req('CORE-PEER-009', 'unit', 'only a trailing top-level ORDER BY makes row order significant'), () => {
    expect(hasTopLevelOrderBy('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(hasTopLevelOrderBy('SELECT a FROM t ORDER BY ABS(a), b')).toBe(true);
    expect(hasTopLevelOrderBy('SELECT GROUP_CONCAT(a ORDER BY a) FROM t')).toBe(false);
    expect(hasTopLevelOrderBy('SELECT a FROM t WHERE a IN (SELECT b FROM u ORDER BY b)')).toBe(false);
    expect(hasTopLevelOrderBy('SELECT a FROM t')).toBe(false);
  });

  it(req('CORE-PEER-009', 'unit', 'compares errors by number and SQLSTATE, rows as multisets unless ordered'), () => {
    const e1: Outcome = { kind: 'error', errno: 1146, sqlState: '42S02', message: 'a' };
    const e2: Outcome = { kind: 'error', errno: 1146, sqlState: '42S02', message: 'different wording' };
    expect(compareOutcomes(e1, e2)).toBeNull();
    expect(compareOutcomes(e1, { ...e2, sqlState: 'HY000' })).toMatch(/SQLSTATE/);
    const r = (rows: string[][], ordered: boolean): Outcome => ({ kind: 'rows', columns: ['a'], rows, ordered, warnings: [] });
    expect(compareOutcomes(r([['1'], ['2']], false), r([['2'], ['1']], false))).toBeNull();
    expect(compareOutcomes(r([['1'], ['2']], true), r([['2'], ['1']], true))).toMatch(/row 1/);
    const ok = (n: number, w: string[]): Outcome => ({ kind: 'ok', affectedRows: n, warnings: w });
    expect(compareOutcomes(ok(1, []), ok(2, []))).toMatch(/affectedRows/);
    expect(compareOutcomes(ok(1, ['Warning 1265']), ok(1, []))).toMatch(/warnings/);
  });
});

describe('peer harness', () => {
  it(req('CORE-PEER-006', 'peer', 'throwaway MariaDB runs with MySQL 8.0 defaults (sql_mode, InnoDB) and leaves nothing behind'), async () => {
    const avail = peerAvailable();
    expect(avail.missing, avail.reason).toEqual([]);
    const m = await startMariaDb();
    let dir = '';
    try {
      dir = m.dir;
      const c = await m.connect();
      const [rows] = await c.query({ sql: 'SELECT @@global.sql_mode, @@default_storage_engine, CURRENT_USER()', rowsAsArray: true });
      await c.end();
      expect((rows as unknown[][])[0]).toEqual([MYSQL80_DEFAULT_SQL_MODE, 'InnoDB', 'root@127.0.0.1']);
      expect(existsSync(m.datadir)).toBe(true);
    } finally {
      await m.stop();
    }
    expect(existsSync(dir)).toBe(false);
    await m.stop(); // a second stop is harmless
  }, 120_000);

  it(req('CORE-PEER-010', 'unit', 'install-peers.sh is a fast no-op when everything is installed'), async () => {
    const r = await runCommand('bash', [join(repoRoot, 'scripts', 'install-peers.sh')], { timeoutMs: 600_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^install-peers: all present/);
  }, 600_000);
});

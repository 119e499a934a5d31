/**
 * DDL through executeDdl/executeShow with a minimal session: random table definitions either
 * fail with a SqlError or produce a table whose SHOW CREATE TABLE text, executed again, yields
 * the same text (the printed form is a faithful, re-parseable description).
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.js';
import { executeDdl } from '../../../src/exec/ddl/execute.js';
import type { DdlServices } from '../../../src/exec/ddl/services.js';
import type { ExecSession } from '../../../src/exec/exec-session.js';
import type { RowsResult } from '../../../src/kernel/protocol-port.js';
import { collectRows } from '../../../src/kernel/row-stream.js';
import { executeShow } from '../../../src/exec/show/execute.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { req } from '../../helpers/req.js';
import { makeSession } from './harness.js';

let dir: string;
let services: DdlServices;
let session: ExecSession;


async function run(sql: string): Promise<RowsResult | undefined> {
  const stmt = parseOne(sql);
  if (stmt.kind === 'show' || stmt.kind === 'describe') return (await executeShow(services, session, stmt)) as RowsResult;
  await executeDdl(services, session, stmt);
  return undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'refmysql-ddlrt-'));
  const catalog = await Catalog.open(dir, createPluginRegistry());
  services = { catalog };
  session = makeSession();
  await run('CREATE DATABASE db');
});

afterAll(async () => {
  await services.catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const typeArb = fc.oneof(
  fc.constantFrom('INT', 'INT UNSIGNED', 'BIGINT', 'TINYINT(1)', 'SMALLINT ZEROFILL', 'DOUBLE', 'FLOAT', 'DATE', 'DATETIME(3)', 'TIME', 'YEAR', 'TIMESTAMP NULL'),
  fc.integer({ min: 1, max: 300 }).map((n) => `VARCHAR(${n})`),
  fc.integer({ min: 1, max: 40 }).map((n) => `CHAR(${n})`),
  fc.tuple(fc.integer({ min: 1, max: 65 }), fc.integer({ min: 0, max: 30 })).map(([m, d]) => `DECIMAL(${m},${d})`),
  fc.constantFrom("ENUM('a','b','c')", "SET('x','y')", 'VARBINARY(10)', 'BINARY(4)', 'BIT(5)', 'TEXT', 'BLOB', "VARCHAR(10) CHARACTER SET latin1", 'VARCHAR(5) COLLATE utf8mb4_bin'),
);

const defaultArb = fc.constantFrom('', ' DEFAULT NULL', " DEFAULT '1'", ' DEFAULT 0', " DEFAULT 'a'", " DEFAULT '2020-01-02'", ' NOT NULL', ' NOT NULL DEFAULT 5', " COMMENT 'c''q'", ' AUTO_INCREMENT');

const tableArb = fc
  .tuple(
    fc.array(fc.tuple(typeArb, defaultArb), { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(fc.constantFrom('KEY', 'UNIQUE KEY', 'PRIMARY KEY', 'KEY USING BTREE', 'UNIQUE USING HASH'), fc.array(fc.nat(7), { minLength: 1, maxLength: 3 })), { maxLength: 3 }),
  )
  .map(([cols, keys]) => {
    const colText = cols.map(([t, d], i) => `c${i} ${t}${d}`);
    const keyText = keys.map(([k, parts]) => {
      const names = [...new Set(parts.map((p) => `c${p % cols.length}`))];
      const using = k.includes('USING') ? k.slice(k.indexOf('USING')) : '';
      const kind = k.replace(/ USING.*/, '');
      return `${kind} (${names.join(', ')})${using ? ' ' + using : ''}`;
    });
    return [...colText, ...keyText].join(', ');
  });

describe('DDL round trip', () => {
  it(req(['CORE-SHOW-003', 'CORE-DDL-002', 'CORE-DDL-010'], 'unit', 'random CREATE TABLE: SqlError or a SHOW CREATE TABLE text that recreates itself'), async () => {
    let n = 0;
    let created = 0;
    await fc.assert(
      fc.asyncProperty(tableArb, async (body) => {
        n++;
        const name = `t${n}`;
        try {
          await run(`CREATE TABLE ${name} (${body})`);
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          return;
        }
        created++;
        const first = String((await collectRows((await run(`SHOW CREATE TABLE ${name}`))!.rows))[0]![1]);
        const copy = `${name}_copy`;
        await run(first.replace(`CREATE TABLE \`${name}\``, `CREATE TABLE \`${copy}\``));
        const second = String((await collectRows((await run(`SHOW CREATE TABLE ${copy}`))!.rows))[0]![1]);
        expect(second.replace(`\`${copy}\``, `\`${name}\``)).toBe(first);
        await run(`DROP TABLE ${name}, ${copy}`);
      }),
      { numRuns: 400 },
    );
    // the generator must exercise successful creates, not only errors
    expect(created).toBeGreaterThan(20);
  });
});

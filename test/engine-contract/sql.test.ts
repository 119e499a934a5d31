/**
 * The engine contract suite through SQL: every SQL scenario against every engine in ENGINES,
 * over mysql2 connections to one in-process server (a database per engine).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-020 CORE-ENG-021 CORE-ENG-022 CORE-ENG-023 CORE-ENG-025 CORE-ENG-026
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES } from './engines.js';
import { serverOptionsOf, stopSqlRemote } from './harness/sql.js';
import { sqlDmlScenarios } from './scenarios/sql-dml.js';
import { sqlEnv } from './scenarios/sql-env.js';
import { sqlErrorScenarios } from './scenarios/sql-errors.js';
import { sqlShowScenarios } from './scenarios/sql-show.js';
import { sqlTransactionScenarios } from './scenarios/sql-transactions.js';
import { sqlTypeScenarios } from './scenarios/sql-types.js';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ options: serverOptionsOf(ENGINES) });
});

afterAll(async () => {
  await srv?.stop();
  await stopSqlRemote();
});

for (const engine of ENGINES) {
  describe(`engine contract over SQL: ${engine.name}`, () => {
    const env = sqlEnv(engine, () => srv);
    sqlTypeScenarios(engine, env);
    sqlDmlScenarios(engine, env);
    sqlErrorScenarios(engine, env);
    sqlShowScenarios(engine, env);
    sqlTransactionScenarios(engine, env);
  });
}

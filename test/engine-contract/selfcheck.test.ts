/**
 * The suite checks itself: every contract scenario, the transaction scenarios included, and
 * every SQL scenario run against the transactional test engine (test/helpers/txn-engine.ts,
 * registered with an in-process server as a built-in plugin), so that scenarios no current
 * engine reaches (transactions, savepoints, two-phase commit, statement rollback through SQL)
 * are known to run and to pass for an engine that does what they ask. A real transactional
 * engine joins ENGINES in engines.ts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html
 * @req CORE-ENG-003
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TxnTestEngine, txnEnginePlugin } from '../helpers/txn-engine.js';
import type { EngineDescriptor } from './descriptor.js';
import { statsScenarios } from './scenarios/autoinc-stats.js';
import { cursorScenarios } from './scenarios/cursor.js';
import { indexScenarios } from './scenarios/index-reads.js';
import { lifecycleScenarios } from './scenarios/lifecycle.js';
import { modelScenarios } from './scenarios/model.js';
import { sqlDmlScenarios } from './scenarios/sql-dml.js';
import { sqlEnv } from './scenarios/sql-env.js';
import { sqlErrorScenarios } from './scenarios/sql-errors.js';
import { sqlTransactionScenarios } from './scenarios/sql-transactions.js';
import { transactionScenarios } from './scenarios/transactions.js';
import { writeScenarios } from './scenarios/writes.js';

const NAME = 'TXN_TEST';

const TXN_TEST: EngineDescriptor = {
  name: NAME,
  create: () => new TxnTestEngine({ name: NAME }),
  // Registered below as a built-in plugin of this file's server.
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'lost' },
  sizeCap: { variable: 'max_heap_table_size', small: 16384 },
  exact: { rowCount: true, estimates: true },
  // The double keeps no versions: other sessions see its uncommitted rows.
  isolation: false,
};

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ plugins: [txnEnginePlugin(new TxnTestEngine({ name: NAME }))] });
});

afterAll(async () => {
  await srv?.stop();
});

describe(`engine contract suite self-check: ${NAME} (transactional test engine)`, () => {
  lifecycleScenarios(TXN_TEST);
  cursorScenarios(TXN_TEST);
  indexScenarios(TXN_TEST);
  writeScenarios(TXN_TEST);
  statsScenarios(TXN_TEST);
  transactionScenarios(TXN_TEST);
  modelScenarios(TXN_TEST);
});

describe(`engine contract suite self-check over SQL: ${NAME}`, () => {
  const env = sqlEnv(TXN_TEST, () => srv);
  sqlDmlScenarios(TXN_TEST, env);
  sqlErrorScenarios(TXN_TEST, env);
  sqlTransactionScenarios(TXN_TEST, env);
});

/**
 * The engine contract suite through the contract: every scenario against every engine in
 * ENGINES, calling StorageEngine / TableHandler / RowCursor directly.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-001 CORE-ENG-003 CORE-ENG-004 CORE-ENG-005 CORE-ENG-028
 */
import { describe } from 'vitest';
import { ENGINES } from './engines.js';
import { statsScenarios } from './scenarios/autoinc-stats.js';
import { cursorScenarios } from './scenarios/cursor.js';
import { indexScenarios } from './scenarios/index-reads.js';
import { lifecycleScenarios } from './scenarios/lifecycle.js';
import { readViewScenarios } from './scenarios/read-views.js';
import { transactionScenarios } from './scenarios/transactions.js';
import { writeScenarios } from './scenarios/writes.js';

for (const engine of ENGINES) {
  describe(`engine contract: ${engine.name}`, () => {
    lifecycleScenarios(engine);
    cursorScenarios(engine);
    readViewScenarios(engine);
    indexScenarios(engine);
    writeScenarios(engine);
    statsScenarios(engine);
    transactionScenarios(engine);
  });
}

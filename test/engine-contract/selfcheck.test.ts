/**
 * The suite checks itself: every contract scenario, the transaction scenarios included, run
 * against a minimal undo-log engine (doubles/undo-engine.ts), so that scenarios no current
 * engine reaches (transactions, savepoints, two-phase commit) are known to run and to pass for
 * an engine that does what they ask. A real transactional engine joins ENGINES in engines.ts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html
 * @req CORE-ENG-003
 */
import { describe } from 'vitest';
import type { EngineDescriptor } from './descriptor.js';
import { UndoEngine } from './doubles/undo-engine.js';
import { statsScenarios } from './scenarios/autoinc-stats.js';
import { cursorScenarios } from './scenarios/cursor.js';
import { indexScenarios } from './scenarios/index-reads.js';
import { lifecycleScenarios } from './scenarios/lifecycle.js';
import { modelScenarios } from './scenarios/model.js';
import { transactionScenarios } from './scenarios/transactions.js';
import { writeScenarios } from './scenarios/writes.js';

const UNDO_TEST: EngineDescriptor = {
  name: 'UNDO_TEST',
  create: () => new UndoEngine(),
  sql: { kind: 'none', reason: 'a test double, not registered with the server' },
  rows: { kind: 'stored', afterRestart: 'lost' },
  sizeCap: { variable: 'max_heap_table_size', small: 16384 },
  exact: { rowCount: true, estimates: true },
};

describe('engine contract suite self-check: UNDO_TEST (transactional test double)', () => {
  lifecycleScenarios(UNDO_TEST);
  cursorScenarios(UNDO_TEST);
  indexScenarios(UNDO_TEST);
  writeScenarios(UNDO_TEST);
  statsScenarios(UNDO_TEST);
  transactionScenarios(UNDO_TEST);
  modelScenarios(UNDO_TEST);
});

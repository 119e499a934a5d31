/**
 * The engine contract suite's model property (fast-check) against every engine in ENGINES.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-019
 */
import { describe } from 'vitest';
import { ENGINES } from './engines.js';
import { modelScenarios } from './scenarios/model.js';

for (const engine of ENGINES) {
  describe(`engine contract: ${engine.name}`, () => {
    modelScenarios(engine);
  });
}

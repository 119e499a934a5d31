/**
 * The vitest configuration that `npm run mutation` (Stryker's vitest runner) uses; the default
 * `vitest.config.ts` stays the one for the ordinary test run.
 *
 * Why a separate file: a mutation run executes the covering tests once per mutant, so tests that
 * cannot observe a mutant of src/ are left out here:
 * - test/peers/ compares against external programs (MariaDB, memcached tools) that may be absent;
 * - test/site/ builds the documentation site;
 * Stryker overrides the pool (one worker thread per runner, `concurrency` runners in parallel).
 * Tests that spawn `dist/src/server/main.js` run compiled JavaScript, which the mutants (in the
 * sandbox's src/) never reach: they neither kill nor cover a mutant.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/peers/**', 'test/site/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});

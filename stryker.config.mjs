// @ts-check
/**
 * Stryker (mutation testing) configuration for `npm run mutation -- <paths...>`
 * (scripts/mutation.mjs fills in `mutate` and, when asked, `testFiles`). Never part of the default
 * test run or of .ci/run. Everything Stryker writes goes under traceability/out/mutation/runs/<run>/
 * (git-ignored): the sandbox copies, the incremental file, the JSON and HTML reports. <run> is
 * REFMYSQL_MUTATION_RUN (scripts/mutation.mjs sets it per set of paths and tests, so that runs of
 * different folders, even at the same time, keep their own files), `default` without it.
 */
const run = (process.env.REFMYSQL_MUTATION_RUN ?? 'default').replace(/[^A-Za-z0-9_-]/g, '_');
const dir = `traceability/out/mutation/runs/${run}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Record which tests reach each mutant during the dry run; a mutant then runs only those.
  coverageAnalysis: 'perTest',
  // Mutants only executed while a module loads (constants in limits.ts, module-level tables) would
  // need a full reload and every test per mutant: reported as Ignored instead.
  ignoreStatic: true,
  // This machine has 2 cores; each runner uses one vitest worker thread.
  concurrency: 2,
  // In-process servers make tests slow and a busy machine slower: be generous before calling a
  // mutant a timeout (an infinite loop still ends as Timeout, not as a hung run).
  timeoutMS: 15_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 90,
  // Reruns only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: `${dir}/incremental.json`,
  tempDirName: `${dir}/tmp`,
  cleanTempDir: 'always',
  // Not copied into the sandboxes: data and outputs no test reads. dist/ is copied, because some
  // tests spawn dist/src/server/main.js (compiled code, which mutants never reach).
  ignorePatterns: ['/data', '/coverage', '/site/out', '/.tmp', '/traceability/out', '/traceability/matrix.json', '/traceability/report.md', '/bench'],
  // No type checker: a mutant that does not type-check still runs (vitest strips types).
  disableTypeChecks: 'src/**/*.ts',
  reporters: ['json', 'html', 'clear-text', 'progress'],
  jsonReporter: { fileName: `${dir}/report.json` },
  htmlReporter: { fileName: `${dir}/report.html` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 80, low: 60, break: null },
};

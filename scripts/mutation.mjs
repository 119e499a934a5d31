#!/usr/bin/env node
/**
 * scripts/mutation.mjs: `npm run mutation -- <paths...>`, mutation testing of src/ with Stryker
 * and its vitest runner, then the per-file, per-folder and per-requirement report
 * (traceability/src/mutation-cli.ts). Never part of the default test run or of .ci/run.
 *
 *   npm run mutation -- src/storage/memory/ src/netns/namespace.ts
 *   npm run mutation -- src/protocol/auth --tests 'test/unit/protocol/**' --tests test/wire/protocol-auth.test.ts
 *   npm run mutation -- --report-only            # re-print the report of the runs so far
 *
 * Options:
 *   <paths...>          src/ files or folders to mutate (a folder means every .ts file under it)
 *   --tests <glob>      only these test files run (repeatable, or comma-separated); without it the
 *                       tests vitest finds related to the mutated files by their imports run, which
 *                       for most of src/ is nearly every wire test (slow: a first run of a folder can
 *                       take hours on 2 cores)
 *   --force             ignore the incremental file: test every mutant again
 *   --fresh             forget the earlier runs' results in the combined report
 *   --report-only       do not run Stryker; summarise the combined results of earlier runs
 *   --top <n>           surviving mutants printed per requirement (default 5; all are in the JSON)
 *   --stryker <arg>     passes <arg> through to `stryker run` (repeatable), e.g. --stryker --concurrency=1
 *
 * Stryker's own settings are in stryker.config.mjs (per-test coverage, concurrency 2, static mutants
 * ignored, generous timeouts); its vitest settings in vitest.mutation.config.ts. Each set of
 * paths gets its own incremental file, so rerunning the same command only tests the mutants whose
 * code or covering tests changed. Each set of paths and tests has its run directory
 * traceability/out/mutation/runs/<name>-<hash>/ (report.json, report.html, incremental.json, tmp/);
 * the report step merges its report.json into traceability/out/mutation/combined.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'traceability', 'out', 'mutation');

function usage(message) {
  if (message) console.error(`mutation: ${message}`);
  console.error('usage: npm run mutation -- <src paths...> [--tests GLOB]... [--force] [--fresh] [--report-only] [--top N] [--stryker ARG]...');
  process.exit(2);
}

const paths = [];
const tests = [];
const stryker = [];
const report = [];
let force = false;
let reportOnly = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => { const v = argv[++i]; if (v === undefined) usage(`${a} needs a value`); return v; };
  if (a === '--tests') tests.push(...value().split(',').filter(Boolean));
  else if (a.startsWith('--tests=')) tests.push(...a.slice(8).split(',').filter(Boolean));
  else if (a === '--force') force = true;
  else if (a === '--fresh') report.push('--fresh');
  else if (a === '--report-only') reportOnly = true;
  else if (a === '--top') report.push('--top', value());
  else if (a === '--stryker') stryker.push(value());
  else if (a === '--help' || a === '-h') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else paths.push(a);
}

function run(cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, seconds: Math.round((Date.now() - started) / 1000) };
}

const reportCli = join(ROOT, 'dist', 'traceability', 'src', 'mutation-cli.js');
if (!existsSync(reportCli)) usage('dist/traceability/src/mutation-cli.js is missing: run `npx tsc -p traceability/tsconfig.json` (npm run mutation does)');

if (!reportOnly) {
  if (paths.length === 0) usage('name the src/ files or folders to mutate');
  const mutate = [];
  for (const p of paths) {
    const abs = resolve(ROOT, p);
    const rel = relative(ROOT, abs).split('\\').join('/');
    if (!existsSync(abs)) usage(`${p} does not exist`);
    if (!rel.startsWith('src/')) usage(`${p} is not under src/`);
    mutate.push(statSync(abs).isDirectory() ? `${rel.replace(/\/$/, '')}/**/*.ts` : rel);
  }
  // One run directory per set of paths and tests (stryker.config.mjs reads REFMYSQL_MUTATION_RUN):
  // its own incremental file, sandboxes and reports, so a run of another folder discards nothing.
  const name = paths.map((p) => relative(ROOT, resolve(ROOT, p)).replace(/^src\//, '')).join('+').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  const key = `${name}-${createHash('sha256').update(JSON.stringify([mutate, tests])).digest('hex').slice(0, 8)}`;
  const runDir = join(OUT, 'runs', key);
  mkdirSync(runDir, { recursive: true });
  process.env.REFMYSQL_MUTATION_RUN = key;
  const args = ['stryker', 'run', 'stryker.config.mjs', '--mutate', mutate.join(',')];
  if (tests.length > 0) args.push('--testFiles', tests.join(','));
  if (force) args.push('--force');
  args.push(...stryker);
  console.log(`mutation: npx ${args.join(' ')}`);
  const r = run('npx', args);
  console.log(`mutation: stryker exited ${r.status} after ${r.seconds} s`);
  if (r.status !== 0) process.exit(r.status);
  report.push('--merge', join(runDir, 'report.json'));
}

process.exit(run(process.execPath, [reportCli, ...report]).status);

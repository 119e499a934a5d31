/**
 * Command line: `conformance [--no-run] [--summary] [--no-coverage] [vitest args]` and `seal [--force ID ...]`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-011 TRACE-012
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeMatrix } from './conformance.js';
import { errorsOf } from './matrix.js';
import { formatDiagnostic, formatReport, formatTable } from './report.js';
import { sealSpecDir } from './seal.js';

const root = process.cwd();
const outDir = join(root, 'traceability', 'out');
const vitestJson = join(outDir, 'vitest.json');
const coverageDir = join(outDir, 'coverage');

/** vitest arguments for the optional v8 line coverage (json-summary only: cheap to write and read). */
const COVERAGE_ARGS = [
  '--coverage.enabled', '--coverage.provider=v8', '--coverage.reporter=json-summary',
  `--coverage.reportsDirectory=${coverageDir}`, '--coverage.include=src/**/*.ts',
];

interface CoverageTotals { lines: number; statements: number; functions: number; branches: number }

/** Totals (percent) from coverage-summary.json, if the last run collected coverage. */
function readCoverage(): CoverageTotals | null {
  const path = join(coverageDir, 'coverage-summary.json');
  if (!existsSync(path)) return null;
  const data = JSON.parse(readFileSync(path, 'utf8')) as { total?: Record<string, { pct?: number }> };
  const pct = (k: string): number => data.total?.[k]?.pct ?? 0;
  return { lines: pct('lines'), statements: pct('statements'), functions: pct('functions'), branches: pct('branches') };
}

function runVitest(extra: string[]): void {
  mkdirSync(outDir, { recursive: true });
  const bin = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const args = [bin, 'run', '--reporter=json', `--outputFile=${vitestJson}`, ...extra];
  // A failing test run is still a result: the matrix records failures as unproven.
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error) throw r.error;
  if (!existsSync(vitestJson)) throw new Error('vitest wrote no JSON report');
}

function conformance(argv: string[]): number {
  const summary = argv.includes('--summary');
  const noRun = argv.includes('--no-run');
  // Coverage is on by default: measured on the full suite it adds no noticeable time.
  const coverage = !argv.includes('--no-coverage');
  const passThrough = argv.filter((a) => !['--summary', '--no-run', '--coverage', '--no-coverage'].includes(a));
  if (!noRun) {
    // A stale summary must not be reported as this run's coverage.
    rmSync(coverageDir, { recursive: true, force: true });
    runVitest(coverage ? [...COVERAGE_ARGS, ...passThrough] : passThrough);
  }
  const m = computeMatrix({ root });
  const cov = readCoverage();
  writeFileSync(join(root, 'traceability', 'matrix.json'), JSON.stringify({ ...m, coverage: cov }, null, 1) + '\n');
  writeFileSync(join(root, 'traceability', 'report.md'), formatReport(m));
  console.log(formatTable(m, summary));
  if (cov) console.log(`coverage of src/: lines ${cov.lines}%, statements ${cov.statements}%, functions ${cov.functions}%, branches ${cov.branches}%`);
  const errors = errorsOf(m);
  const unsealed = m.diagnostics.filter((d) => d.code === 'missing-checksum').length;
  const otherWarnings = m.diagnostics.filter((d) => d.level === 'warning' && d.code !== 'missing-checksum');
  if (!summary) for (const w of otherWarnings) console.log(formatDiagnostic(w));
  if (unsealed > 0) console.log(`warning: ${unsealed} requirements not sealed (npm run spec:seal)`);
  for (const e of errors) console.error(formatDiagnostic(e));
  if (errors.length > 0) console.error(`${errors.length} errors`);
  return errors.length > 0 ? 1 : 0;
}

function seal(argv: string[]): number {
  const force = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--force' && argv[i + 1] !== undefined) force.add(argv[++i] ?? '');
  }
  const r = sealSpecDir(join(root, 'spec'), force, root);
  console.log(`sealed ${r.added.length} new, re-sealed ${r.replaced.length} (forced)`);
  for (const id of r.mismatched) console.error(`error: ${id}: statement changed since sealing; review, then --force ${id}`);
  return r.mismatched.length > 0 ? 1 : 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'conformance') process.exitCode = conformance(rest);
else if (command === 'seal') process.exitCode = seal(rest);
else {
  console.error('usage: cli.js conformance [--no-run] [--summary] [--no-coverage] [vitest args] | seal [--force ID ...]');
  process.exitCode = 2;
}

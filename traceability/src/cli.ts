/**
 * Command line: `conformance [--no-run] [--summary] [--no-coverage] [--audit N --seed S] [vitest args]`
 * and `seal [--force ID ...]`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-011 TRACE-012 TRACE-014 TRACE-018
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatAudit } from './audit.js';
import { computeMatrix } from './conformance.js';
import { errorsOf } from './matrix.js';
import { formatDiagnostic, formatMismatch, formatReport, formatTable } from './report.js';
import { sealSpecDir } from './seal.js';

/** Where a run keeps its outputs, under the repository root. */
function paths(root: string): { outDir: string; vitestJson: string; coverageDir: string } {
  const outDir = join(root, 'traceability', 'out');
  return { outDir, vitestJson: join(outDir, 'vitest.json'), coverageDir: join(outDir, 'coverage') };
}

/** vitest arguments for the optional v8 line coverage (json-summary only: cheap to write and read). */
function coverageArgs(coverageDir: string): string[] {
  return [
    '--coverage.enabled', '--coverage.provider=v8', '--coverage.reporter=json-summary',
    `--coverage.reportsDirectory=${coverageDir}`, '--coverage.include=src/**/*.ts',
  ];
}

interface CoverageTotals { lines: number; statements: number; functions: number; branches: number }

/** Totals (percent) from coverage-summary.json, if the last run collected coverage. */
function readCoverage(coverageDir: string): CoverageTotals | null {
  const path = join(coverageDir, 'coverage-summary.json');
  if (!existsSync(path)) return null;
  const data = JSON.parse(readFileSync(path, 'utf8')) as { total?: Record<string, { pct?: number }> };
  const pct = (k: string): number => data.total?.[k]?.pct ?? 0;
  return { lines: pct('lines'), statements: pct('statements'), functions: pct('functions'), branches: pct('branches') };
}

function runVitest(root: string, extra: string[]): void {
  const { outDir, vitestJson } = paths(root);
  mkdirSync(outDir, { recursive: true });
  const bin = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  // Task locations let the audit find each test's source by line.
  const args = [bin, 'run', '--reporter=json', `--outputFile=${vitestJson}`, '--includeTaskLocation', ...extra];
  // A failing test run is still a result: the matrix records failures as unproven.
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error) throw r.error;
  if (!existsSync(vitestJson)) throw new Error('vitest wrote no JSON report');
}

/** Takes `--name value` (or `--name=value`) out of argv. */
function takeOption(argv: string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === name && i + 1 < argv.length) return argv.splice(i, 2)[1]!;
    if (a.startsWith(`${name}=`)) return argv.splice(i, 1)[0]!.slice(name.length + 1);
  }
  return null;
}

/** `conformance ...` in the repository at `root`; returns the exit status. */
export function conformance(args: readonly string[], root: string = process.cwd()): number {
  const { coverageDir } = paths(root);
  const argv = [...args];
  const auditArg = takeOption(argv, '--audit');
  const seed = takeOption(argv, '--seed') ?? '1';
  const auditN = auditArg === null ? null : Number(auditArg);
  if (auditN !== null && (!Number.isInteger(auditN) || auditN < 1)) {
    console.error(`--audit takes a positive number of requirements, not ${auditArg}`);
    return 2;
  }
  const summary = argv.includes('--summary');
  const noRun = argv.includes('--no-run');
  // Coverage is on by default: measured on the full suite it adds no noticeable time.
  const coverage = !argv.includes('--no-coverage');
  const passThrough = argv.filter((a) => !['--summary', '--no-run', '--coverage', '--no-coverage'].includes(a));
  if (!noRun) {
    // A stale summary must not be reported as this run's coverage.
    rmSync(coverageDir, { recursive: true, force: true });
    runVitest(root, coverage ? [...coverageArgs(coverageDir), ...passThrough] : passThrough);
  }
  const m = computeMatrix({ root });
  const cov = readCoverage(coverageDir);
  writeFileSync(join(root, 'traceability', 'matrix.json'), JSON.stringify({ ...m, coverage: cov }, null, 1) + '\n');
  writeFileSync(join(root, 'traceability', 'report.md'), formatReport(m));
  if (auditN !== null) {
    // The audit is the whole output: a reader repeats it by reading, not by comparing tables.
    console.log(formatAudit(m, auditN, seed, root));
    return errorsOf(m).length > 0 ? 1 : 0;
  }
  console.log(formatTable(m, summary));
  // Tests that claim more than they were seen doing (they count with what was observed). @req TRACE-014
  const demoted = m.mismatches;
  if (demoted.length > 0) {
    if (!summary) for (const x of demoted) console.log(`demoted: ${formatMismatch(x)}`);
    const passed = demoted.filter((x) => x.status === 'passed').length;
    console.log(`${demoted.length} tests claim more evidence than observed (${passed} of them passing; listed in traceability/report.md)`);
  }
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

/** `seal [--force ID ...]` in the repository at `root`. */
export function seal(argv: readonly string[], root: string = process.cwd()): number {
  const force = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--force' && argv[i + 1] !== undefined) force.add(argv[++i] ?? '');
  }
  const r = sealSpecDir(join(root, 'spec'), force, root);
  console.log(`sealed ${r.added.length} new, re-sealed ${r.replaced.length} (forced)`);
  for (const id of r.mismatched) console.error(`error: ${id}: statement changed since sealing; review, then --force ${id}`);
  return r.mismatched.length > 0 ? 1 : 0;
}

/** The command line (exported so tests run it from source, without a build). */
export function main(argv: readonly string[], root: string = process.cwd()): number {
  const [command, ...rest] = argv;
  if (command === 'conformance') return conformance(rest, root);
  if (command === 'seal') return seal(rest, root);
  console.error('usage: cli.js conformance [--no-run] [--summary] [--no-coverage] [--audit N [--seed S]] [vitest args] | seal [--force ID ...]');
  return 2;
}

// Run only as the program itself, not when a test imports the module.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

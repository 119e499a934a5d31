/**
 * Command line: `conformance [--no-run] [--summary]` and `seal [--force ID ...]`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-011 TRACE-012
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeMatrix } from './conformance.js';
import { errorsOf } from './matrix.js';
import { formatDiagnostic, formatReport, formatTable } from './report.js';
import { sealSpecDir } from './seal.js';

const root = process.cwd();
const outDir = join(root, 'traceability', 'out');
const vitestJson = join(outDir, 'vitest.json');

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
  const passThrough = argv.filter((a) => a !== '--summary' && a !== '--no-run');
  if (!noRun) runVitest(passThrough);
  const m = computeMatrix({ root });
  writeFileSync(join(root, 'traceability', 'matrix.json'), JSON.stringify(m, null, 1) + '\n');
  writeFileSync(join(root, 'traceability', 'report.md'), formatReport(m));
  console.log(formatTable(m, summary));
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
  console.error('usage: cli.js conformance [--no-run] [--summary] | seal [--force ID ...]');
  process.exitCode = 2;
}

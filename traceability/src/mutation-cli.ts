/**
 * The report step of `npm run mutation` (scripts/mutation.mjs runs it after Stryker): merges the
 * last Stryker JSON report into the combined results of earlier runs
 * (traceability/out/mutation/combined.json, the latest run of a file wins), prints the mutation
 * score per file, per folder and per requirement with the surviving mutants, and writes the
 * machine-readable summary traceability/out/mutation.json that the site shows beside each
 * requirement.
 *
 *   node dist/traceability/src/mutation-cli.js [--merge REPORT] [--fresh] [--top N]
 *                                              [--report REPORT] [--out FILE]
 *
 * `--report` summarises one report alone (no merging); without `--merge` or `--report` the
 * combined results are summarised again.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-031
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, mergeReports, summarize, type MutationReport } from './mutation.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function fail(message: string): never {
  console.error(`mutation report: ${message}`);
  process.exit(2);
}

function readReport(path: string): MutationReport {
  if (!existsSync(path)) fail(`${path} does not exist (run npm run mutation -- <paths> first)`);
  const r = JSON.parse(readFileSync(path, 'utf8')) as MutationReport;
  if (typeof r !== 'object' || r === null || typeof r.files !== 'object') fail(`${path} is not a mutation-testing-report-schema report`);
  return r;
}

export function main(argv: readonly string[]): number {
  let merge: string | null = null;
  let single: string | null = null;
  let fresh = false;
  let top = 5;
  let out = join(ROOT, 'traceability', 'out', 'mutation.json');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--merge') merge = resolve(value());
    else if (a === '--report') single = resolve(value());
    else if (a === '--fresh') fresh = true;
    else if (a === '--top') top = Number(value());
    else if (a === '--out') out = resolve(value());
    else fail(`unknown argument ${a}`);
  }
  if (!Number.isInteger(top) || top < 0) fail('--top needs a whole number');
  const combinedPath = join(ROOT, 'traceability', 'out', 'mutation', 'combined.json');
  let report: MutationReport;
  if (single) {
    report = readReport(single);
  } else {
    if (fresh) rmSync(combinedPath, { force: true });
    const base = existsSync(combinedPath) ? readReport(combinedPath) : null;
    if (merge) {
      report = mergeReports(base, readReport(merge));
      mkdirSync(dirname(combinedPath), { recursive: true });
      writeFileSync(combinedPath, JSON.stringify(report));
    } else if (base) {
      report = base;
    } else {
      fail(`no results yet: ${combinedPath} does not exist (run npm run mutation -- <paths> first)`);
    }
  }
  const summary = summarize(report);
  console.log(formatSummary(summary, top));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`\nwrote ${out}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));

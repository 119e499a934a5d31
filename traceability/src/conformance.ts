/**
 * The conformance pipeline as a function: read spec/, scan code and tests, read the vitest JSON
 * report, join them. The CLI (cli.ts) adds running vitest and writing files.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-008 TRACE-009 TRACE-010
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildMatrix, type Matrix } from './matrix.js';
import { readSpec } from './spec-reader.js';
import { scanSources } from './source-scanner.js';
import { readVitestReportFile, scanTestSources } from './test-results.js';

export interface ConformanceOptions {
  root: string;
  /** Relative to root. */
  specDir?: string;
  sourceDirs?: string[];
  testDirs?: string[];
  vitestJson?: string;
}

/** Where `@req` tags are read from unless the options say otherwise. */
export const DEFAULT_SOURCE_DIRS: readonly string[] = ['src', 'traceability/src'];

export function computeMatrix(opts: ConformanceOptions): Matrix {
  const root = opts.root;
  const spec = readSpec(join(root, opts.specDir ?? 'spec'), root);
  const src = scanSources((opts.sourceDirs ?? DEFAULT_SOURCE_DIRS).map((d) => join(root, d)), root);
  const testSrc = scanTestSources((opts.testDirs ?? ['test']).map((d) => join(root, d)), root);
  const jsonPath = join(root, opts.vitestJson ?? 'traceability/out/vitest.json');
  const runs = existsSync(jsonPath) ? readVitestReportFile(jsonPath, root) : { tests: [], diagnostics: [], filesRun: new Set<string>() };
  // Runtime titles are authoritative for files that ran; the static scan covers files that did not
  // (load errors, or a subset run), so fixture strings in a test that ran are not mistaken for tags.
  return buildMatrix({
    requirements: spec.requirements,
    sourceTags: src.tags,
    testSourceTags: testSrc.tags.filter((t) => !runs.filesRun.has(t.file)),
    tests: runs.tests,
    specHeaders: src.specs,
    diagnostics: [...spec.diagnostics, ...src.diagnostics, ...testSrc.diagnostics, ...runs.diagnostics],
  });
}

/**
 * The mutation report of `npm run mutation`: which requirement IDs govern a mutant (the tags on
 * its line, else the nearest enclosing declaration's, else the module header's), the scores per
 * file, folder and requirement, the combined results of several runs, the printed report and
 * traceability/out/mutation.json, and the site's block of surviving mutants. Reports are built by
 * hand here (the mutation-testing-report-schema shape Stryker writes), so no Stryker run is needed.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-030 TRACE-031 TRACE-032
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import {
  formatSummary, mergeReports, RequirementLocator, summarize,
  type MutantStatus, type MutationReport, type ReportMutant,
} from '../../../traceability/src/mutation.js';
import { main as mutationCli } from '../../../traceability/src/mutation-cli.js';
import { loadMutationSummary, mutationBlock } from '../../../site/src/mutation.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A source file with tags at known lines (line numbers in the comments on the right). */
const SOURCE = [
  '/**',                                                    // 1
  ' * A module.',                                           // 2
  ' * @req MOD-001 MOD-002',                                // 3
  ' */',                                                    // 4
  "import { x } from './x.js';",                            // 5
  '',                                                       // 6
  '/** Adds. @req DECL-001 */',                             // 7
  'export function add(a: number, b: number): number {',    // 8
  '  if (a > 10) {',                                        // 9
  '    // @req INNER-001',                                  // 10
  '    return a - b;',                                      // 11
  '  }',                                                    // 12
  '  return a + b;',                                        // 13
  '}',                                                      // 14
  '',                                                       // 15
  'export function untagged(n: number): boolean {',         // 16
  '  const big = n > 3; // @req LINE-001',                  // 17
  '  return n === 0 || big;',                               // 18
  '}',                                                      // 19
  '',                                                       // 20
  'export class Box {',                                     // 21
  '  /** Opens. @req METHOD-001 */',                        // 22
  '  open(v: number): number {',                            // 23
  '    return v * 2;',                                      // 24
  '  }',                                                    // 25
  '  close(): number { return 0; } // @req CLOSE-001',      // 26
  '}',                                                      // 27
  '',                                                       // 28
].join('\n');

/** Position (1-based line and column) of the first occurrence of `needle` on `line`. */
function at(line: number, needle: string, source = SOURCE): { line: number; column: number } {
  const col = source.split('\n')[line - 1]!.indexOf(needle);
  if (col < 0) throw new Error(`${needle} not on line ${line}`);
  return { line, column: col + 1 };
}

let nextId = 0;
function mutant(line: number, needle: string, status: MutantStatus, mutatorName: string, replacement: string, source = SOURCE): ReportMutant {
  const start = at(line, needle, source);
  return {
    id: String(nextId++), mutatorName, replacement, status,
    location: { start, end: { line, column: start.column + needle.length } },
    coveredBy: status === 'NoCoverage' ? [] : ['t1'],
  };
}

describe('which @req tags govern a mutant', () => {
  const loc = new RequirementLocator('src/m.ts', SOURCE);

  it(req('TRACE-030', 'unit', 'a tag on the mutated line governs it, before any enclosing declaration or the module header'), () => {
    const p = at(17, 'n > 3');
    expect(loc.at(p.line, p.column)).toEqual({ ids: ['LINE-001'], rule: 'line', tagLine: 17 });
    const q = at(26, 'return 0');
    expect(loc.at(q.line, q.column)).toEqual({ ids: ['CLOSE-001'], rule: 'line', tagLine: 26 });
  });

  it(req('TRACE-030', 'unit', 'otherwise the nearest enclosing statement or declaration with tags in its leading comment governs (inner before outer)'), () => {
    const inner = at(11, 'a - b');
    expect(loc.at(inner.line, inner.column)).toEqual({ ids: ['INNER-001'], rule: 'declaration', tagLine: 10 });
    const outer = at(13, 'a + b');
    expect(loc.at(outer.line, outer.column)).toEqual({ ids: ['DECL-001'], rule: 'declaration', tagLine: 7 });
    const cond = at(9, 'a > 10');
    expect(loc.at(cond.line, cond.column)).toEqual({ ids: ['DECL-001'], rule: 'declaration', tagLine: 7 });
    const method = at(24, 'v * 2');
    expect(loc.at(method.line, method.column)).toEqual({ ids: ['METHOD-001'], rule: 'declaration', tagLine: 22 });
  });

  it(req('TRACE-030', 'unit', 'code under no nearer tag falls back to the module header\'s @req list; a file without tags is untagged'), () => {
    const p = at(18, 'n === 0');
    expect(loc.at(p.line, p.column)).toEqual({ ids: ['MOD-001', 'MOD-002'], rule: 'module', tagLine: 1 });
    // The header is not the leading comment of the first statement: a mutant there is 'module'.
    const first = '/**\n * Limits.\n * @req HEAD-001\n */\nexport const LIMIT = 1 + 2;\n';
    const r = at(5, '1 + 2', first);
    expect(new RequirementLocator('src/l.ts', first).at(r.line, r.column)).toEqual({ ids: ['HEAD-001'], rule: 'module', tagLine: 1 });
    const bare = 'export const f = (n: number): number => n + 1;\n';
    const q = at(1, 'n + 1', bare);
    expect(new RequirementLocator('src/b.ts', bare).at(q.line, q.column)).toEqual({ ids: [], rule: 'none', tagLine: 0 });
  });
});

function report(): MutationReport {
  return {
    schemaVersion: '1',
    files: {
      'src/a/m.ts': {
        language: 'typescript',
        source: SOURCE,
        mutants: [
          mutant(17, 'n > 3', 'Survived', 'EqualityOperator', 'n >= 3'),
          mutant(17, 'n > 3', 'Killed', 'ConditionalExpression', 'true'),
          mutant(11, 'a - b', 'Killed', 'ArithmeticOperator', 'a + b'),
          mutant(11, 'a - b', 'Timeout', 'BlockStatement', '{}'),
          mutant(13, 'a + b', 'NoCoverage', 'ArithmeticOperator', 'a - b'),
          mutant(18, 'n === 0', 'Survived', 'ConditionalExpression', 'false'),
          mutant(24, 'v * 2', 'RuntimeError', 'ArithmeticOperator', 'v / 2'),
          mutant(24, 'v * 2', 'Ignored', 'ArithmeticOperator', 'v / 2'),
        ],
      },
      'src/b/n.ts': {
        language: 'typescript',
        source: 'export const g = (n: number): number => n + 1;\n',
        mutants: [mutant(1, 'n + 1', 'Survived', 'ArithmeticOperator', 'n - 1', 'export const g = (n: number): number => n + 1;\n')],
      },
    },
  };
}

describe('scores and survivors per requirement, file and folder', () => {
  it(req('TRACE-030', 'unit', 'a surviving mutant at a line tagged with an ID is reported for that ID with file:line, mutator and replacement, and for no other ID'), () => {
    const s = summarize(report(), 'T');
    const line = s.requirements.find((r) => r.id === 'LINE-001')!;
    expect(line.survivors).toEqual([{
      file: 'src/a/m.ts', line: 17, column: 15, mutator: 'EqualityOperator', replacement: 'n >= 3', original: 'n > 3',
      status: 'Survived', rule: 'line', tagLine: 17, coveredBy: 1,
    }]);
    expect(line.counts).toMatchObject({ killed: 1, survived: 1, noCoverage: 0, timeout: 0, total: 2, score: 50, scoreCovered: 50 });
    // The header's IDs get the mutant at line 18 only, not the one under LINE-001.
    for (const id of ['MOD-001', 'MOD-002']) {
      const r = s.requirements.find((x) => x.id === id)!;
      expect(r.survivors.map((u) => `${u.line}:${u.original}`)).toEqual(['18:n === 0']);
      expect(r.counts).toMatchObject({ survived: 1, total: 1, score: 0 });
    }
    const decl = s.requirements.find((r) => r.id === 'DECL-001')!;
    expect(decl.survivors).toEqual([]);
    expect(decl.noCoverage.map((u) => [u.line, u.replacement, u.status])).toEqual([[13, 'a - b', 'NoCoverage']]);
    expect(decl.counts).toMatchObject({ killed: 0, noCoverage: 1, score: 0, scoreCovered: null });
    const inner = s.requirements.find((r) => r.id === 'INNER-001')!;
    expect(inner.counts).toMatchObject({ killed: 1, timeout: 1, survived: 0, score: 100 });
    const method = s.requirements.find((r) => r.id === 'METHOD-001')!;
    expect(method.counts).toMatchObject({ errors: 1, ignored: 1, total: 2, score: null });
    expect(s.requirements.map((r) => r.id)).toEqual(['DECL-001', 'INNER-001', 'LINE-001', 'METHOD-001', 'MOD-001', 'MOD-002']);
    expect(s.untagged).toEqual([expect.objectContaining({ file: 'src/b/n.ts', survivors: [expect.objectContaining({ line: 1, replacement: 'n - 1' })] })]);
  });

  it(req('TRACE-031', 'unit', 'per file and per folder: score = (killed + timeout) / (killed + timeout + survived + no coverage), errors and ignored left out'), () => {
    const s = summarize(report(), 'T');
    const m = s.files.find((f) => f.file === 'src/a/m.ts')!.counts;
    // killed 2, timeout 1, survived 2, no coverage 1: 3 of 6.
    expect(m).toMatchObject({ killed: 2, timeout: 1, survived: 2, noCoverage: 1, errors: 1, ignored: 1, total: 8, score: 50, scoreCovered: 60 });
    expect(s.folders.map((f) => [f.folder, f.counts.total, f.counts.score])).toEqual([['src', 9, 42.86], ['src/a', 8, 50], ['src/b', 1, 0]]);
    expect(s.totals).toMatchObject({ total: 9, survived: 3, score: 42.86 });
    const text = formatSummary(s, 5);
    expect(text).toMatch(/^src\/a\/m\.ts\s+50\.00\s+60\.00\s+2\s+1\s+2\s+1\s+1\s+1$/m);
    expect(text).toMatch(/^LINE-001: 1 survived, 0 without coverage$/m);
    expect(text).toContain('  src/a/m.ts:17:15 EqualityOperator: `n > 3` -> `n >= 3` (line tag at line 17)');
    expect(text).toContain('1 surviving mutants are under no @req tag');
  });

  it(req('TRACE-031', 'unit', 'runs combine: a file in the later report replaces the same file, other files are kept'), () => {
    const first = report();
    const later: MutationReport = { files: { 'src/b/n.ts': { source: first.files['src/b/n.ts']!.source, mutants: [{ ...first.files['src/b/n.ts']!.mutants[0]!, status: 'Killed' }] } } };
    const merged = mergeReports(first, later);
    expect(Object.keys(merged.files).sort()).toEqual(['src/a/m.ts', 'src/b/n.ts']);
    expect(merged.files['src/b/n.ts']!.mutants[0]!.status).toBe('Killed');
    expect(merged.files['src/a/m.ts']).toBe(first.files['src/a/m.ts']);
  });

  it(req('TRACE-031', 'unit', 'the report step writes the JSON summary that names each requirement\'s survivors'), () => {
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-mut-'));
    roots.push(dir);
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report()));
    const out = join(dir, 'mutation.json');
    const log: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => { log.push(a.join(' ')); };
    try {
      expect(mutationCli(['--report', join(dir, 'report.json'), '--out', out, '--top', '1'])).toBe(0);
    } finally {
      console.log = orig;
    }
    const written = JSON.parse(readFileSync(out, 'utf8')) as ReturnType<typeof summarize>;
    expect(written.requirements.find((r) => r.id === 'LINE-001')!.survivors.map((u) => `${u.file}:${u.line}`)).toEqual(['src/a/m.ts:17']);
    expect(written.totals.total).toBe(9);
    expect(log.join('\n')).toContain('LINE-001: 1 survived');
  });
});

describe('the site shows survivors beside their requirement', () => {
  it(req('TRACE-032', 'unit', 'a requirement with survivors gets its score and each survivor linked to its source line; none without mutants or without mutation.json'), () => {
    const s = summarize(report(), '2026-01-01T00:00:00Z');
    const html = mutationBlock(s.requirements.find((r) => r.id === 'LINE-001'), s.generatedAt, (f, l) => `../code/${f}.html#L${l}`);
    expect(html).toContain('Mutation score 50.00%: 1 killed, 0 timed out, 1 survived, 0 without coverage');
    expect(html).toContain('<code>EqualityOperator</code> <code>n &gt; 3</code> → <code>n &gt;= 3</code> <a class="file" href="../code/src/a/m.ts.html#L17">src/a/m.ts:17</a>');
    expect(mutationBlock(undefined, 'T', () => '#')).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-mut-'));
    roots.push(dir);
    expect(loadMutationSummary(dir)).toBeNull();
    mkdirSync(join(dir, 'traceability', 'out'), { recursive: true });
    writeFileSync(join(dir, 'traceability', 'out', 'mutation.json'), JSON.stringify(s));
    expect(loadMutationSummary(dir)!.requirements.map((r) => r.id)).toContain('LINE-001');
  });
});

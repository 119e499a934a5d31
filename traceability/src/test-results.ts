/**
 * Reads which tests prove which requirements: vitest's JSON reporter output gives each test's title,
 * file and status; the title carries `[ID ID ...] {evidence}` written by test/helpers/req.ts. A static
 * scan of req(...) calls in test files also catches IDs of files that failed to load.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-006 TRACE-007
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ID_LIKE, REQUIREMENT_ID, type Diagnostic, type Evidence, type SourceTag, type TestCase, type TestStatus } from './model.js';
import { listTsFiles } from './source-scanner.js';

const TITLE_TAG = /^\[([^\]]*)\]\s*\{([a-z]+)\}\s*(.*)$/s;
const EVIDENCE: readonly Evidence[] = ['unit', 'wire', 'peer'];

export interface ParsedTitle { ids: string[]; malformed: string[]; evidence: Evidence | null; text: string }

/** Splits a runtime title `[A-001 B-002] {wire} text`; titles without a tag yield no IDs. @req TRACE-006 */
export function parseTestTitle(title: string): ParsedTitle | null {
  const m = TITLE_TAG.exec(title.trim());
  if (!m) return null;
  const ids: string[] = [];
  const malformed: string[] = [];
  for (const token of (m[1] ?? '').split(/[\s,]+/).filter((t) => t !== '')) {
    (REQUIREMENT_ID.test(token) ? ids : malformed).push(token);
  }
  const ev = m[2] ?? '';
  const evidence = (EVIDENCE as readonly string[]).includes(ev) ? (ev as Evidence) : null;
  return { ids, malformed, evidence, text: (m[3] ?? '').trim() };
}

function toStatus(s: unknown): TestStatus {
  if (s === 'passed') return 'passed';
  if (s === 'failed') return 'failed';
  return 'skipped'; // pending, skipped, todo, disabled: nothing ran, nothing is proven.
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface TestScan {
  tests: TestCase[];
  diagnostics: Diagnostic[];
  /** Files (relative to root) for which the report lists at least one test. */
  filesRun: Set<string>;
}

/** Reads a vitest JSON report (already parsed). @req TRACE-006 TRACE-007 */
export function readVitestReport(report: unknown, root: string = process.cwd()): TestScan {
  const tests: TestCase[] = [];
  const diagnostics: Diagnostic[] = [];
  const filesRun = new Set<string>();
  const files = isRecord(report) && Array.isArray(report['testResults']) ? report['testResults'] : [];
  for (const f of files) {
    if (!isRecord(f)) continue;
    const name = typeof f['name'] === 'string' ? f['name'] : '';
    const file = name.startsWith('/') ? relative(root, name).split('\\').join('/') : name;
    const cases = Array.isArray(f['assertionResults']) ? f['assertionResults'] : [];
    if (cases.length > 0) filesRun.add(file);
    for (const c of cases) {
      if (!isRecord(c)) continue;
      const title = typeof c['title'] === 'string' ? c['title'] : '';
      const ancestors = Array.isArray(c['ancestorTitles']) ? c['ancestorTitles'].filter((a): a is string => typeof a === 'string') : [];
      const fullName = typeof c['fullName'] === 'string' ? c['fullName'] : [...ancestors, title].join(' ');
      const ids = new Set<string>();
      let evidence: Evidence | null = null;
      // A tag on a describe() block applies to every test inside it; the test's own tag wins for evidence.
      for (const t of [...ancestors, title]) {
        const parsed = parseTestTitle(t);
        if (!parsed) continue;
        parsed.ids.forEach((id) => ids.add(id));
        for (const bad of parsed.malformed) {
          diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id in test title: ${bad} (${fullName})`, file });
        }
        if (parsed.evidence) evidence = parsed.evidence;
        else diagnostics.push({ level: 'error', code: 'bad-title', message: `unknown evidence class in test title: ${t}`, file });
      }
      if (ids.size === 0) continue;
      tests.push({ ids: [...ids], evidence, title, fullName, file, status: toStatus(c['status']) });
    }
  }
  return { tests, diagnostics, filesRun };
}

/** Reads the vitest JSON report file. */
export function readVitestReportFile(path: string, root: string = process.cwd()): TestScan {
  return readVitestReport(JSON.parse(readFileSync(path, 'utf8')) as unknown, root);
}

/** IDs named as string literals in req(...) calls of test files (static, whether or not they ran). @req TRACE-007 */
export function scanTestSourceText(text: string, file: string): { tags: SourceTag[]; diagnostics: Diagnostic[] } {
  const tags: SourceTag[] = [];
  const diagnostics: Diagnostic[] = [];
  const call = /\breq\(\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/g;
  for (const m of text.matchAll(call)) {
    const line = text.slice(0, m.index).split('\n').length;
    for (const lit of (m[1] ?? '').matchAll(/['"]([^'"]*)['"]/g)) {
      const id = lit[1] ?? '';
      if (REQUIREMENT_ID.test(id)) tags.push({ id, file, line });
      else if (ID_LIKE.test(id) || /^[A-Z]/.test(id)) {
        diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id in req(): ${id}`, file, line });
      }
    }
  }
  return { tags, diagnostics };
}

export function scanTestSources(dirs: readonly string[], root: string = process.cwd()): { tags: SourceTag[]; diagnostics: Diagnostic[] } {
  const tags: SourceTag[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const dir of dirs) {
    for (const path of listTsFiles(dir)) {
      if (!path.endsWith('.test.ts')) continue;
      const rel = relative(root, path).split('\\').join('/');
      const one = scanTestSourceText(readFileSync(path, 'utf8'), rel);
      tags.push(...one.tags);
      diagnostics.push(...one.diagnostics);
    }
  }
  return { tags, diagnostics };
}

/**
 * Reads which tests prove which requirements: vitest's JSON reporter output gives each test's title,
 * file and status; the title carries `[ID ID ...] {evidence}` written by test/helpers/req.ts. A static
 * scan of req(...) calls in test files also catches IDs of files that failed to load. A title may
 * name a clause as `ID#key`. The wire observer's record in each test's meta caps the evidence the
 * title claims (model.ts, observedEvidence).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-006 TRACE-007 TRACE-014 TRACE-016
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  ID_LIKE, OBSERVATION_META_KEY, observedEvidence, parseTarget,
  type Diagnostic, type Evidence, type SourceTag, type TestCase, type TestStatus, type TestTarget, type WireObservation,
} from './model.js';
import { listTsFiles } from './source-scanner.js';

const TITLE_TAG = /^\[([^\]]*)\]\s*\{([a-z]+)\}\s*(.*)$/s;
const EVIDENCE: readonly Evidence[] = ['unit', 'wire', 'peer'];

export interface ParsedTitle { ids: string[]; malformed: string[]; evidence: Evidence | null; text: string; targets?: TestTarget[] }

/**
 * Splits a runtime title `[A-001 B-002#key] {wire} text`; titles without a tag yield no IDs.
 * `ids` lists each requirement once; `targets` (present when a clause is named) says which
 * clauses. @req TRACE-006 TRACE-016
 */
export function parseTestTitle(title: string): ParsedTitle | null {
  const m = TITLE_TAG.exec(title.trim());
  if (!m) return null;
  const ids: string[] = [];
  const malformed: string[] = [];
  const targets: TestTarget[] = [];
  for (const token of (m[1] ?? '').split(/[\s,]+/).filter((t) => t !== '')) {
    const t = parseTarget(token);
    if (!t) { malformed.push(token); continue; }
    if (!ids.includes(t.id)) ids.push(t.id);
    targets.push(t);
  }
  const ev = m[2] ?? '';
  const evidence = (EVIDENCE as readonly string[]).includes(ev) ? (ev as Evidence) : null;
  const out: ParsedTitle = { ids, malformed, evidence, text: (m[3] ?? '').trim() };
  if (targets.some((t) => t.clause !== null)) out.targets = targets;
  return out;
}

/** The observer's record in a test's meta, if well formed. @req TRACE-013 */
export function observationOf(meta: unknown): WireObservation | null {
  if (!isRecord(meta)) return null;
  const o = meta[OBSERVATION_META_KEY];
  if (!isRecord(o)) return null;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { clients: list(o['clients']), servers: list(o['servers']), peers: list(o['peers']), events: typeof o['events'] === 'number' ? o['events'] : 0 };
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
  // A run is observed when the wire observer left a record on any test; then a test without one
  // was seen doing nothing (the setup file records every test that runs). @req TRACE-014
  const observedRun = files.some((f) => isRecord(f) && Array.isArray(f['assertionResults'])
    && f['assertionResults'].some((c) => isRecord(c) && observationOf(c['meta']) !== null));
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
      const targets: TestTarget[] = [];
      let evidence: Evidence | null = null;
      // A tag on a describe() block applies to every test inside it; the test's own tag wins for evidence.
      for (const t of [...ancestors, title]) {
        const parsed = parseTestTitle(t);
        if (!parsed) continue;
        parsed.ids.forEach((id) => ids.add(id));
        for (const target of parsed.targets ?? parsed.ids.map((id) => ({ id, clause: null }))) targets.push(target);
        for (const bad of parsed.malformed) {
          diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id in test title: ${bad} (${fullName})`, file });
        }
        if (parsed.evidence) evidence = parsed.evidence;
        else diagnostics.push({ level: 'error', code: 'bad-title', message: `unknown evidence class in test title: ${t}`, file });
      }
      if (ids.size === 0) continue;
      const status = toStatus(c['status']);
      // A skipped test ran nothing, so there is nothing to observe (and it proves nothing anyway).
      const observed = observedRun && status !== 'skipped' ? observationOf(c['meta']) : undefined;
      const one: TestCase = {
        ids: [...ids], evidence: observedEvidence(evidence, observed), title, fullName, file, status,
        claimed: evidence, observed,
      };
      if (targets.some((t) => t.clause !== null)) one.targets = targets;
      const loc = c['location'];
      if (isRecord(loc) && typeof loc['line'] === 'number') one.line = loc['line'];
      tests.push(one);
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
      const token = lit[1] ?? '';
      const target = parseTarget(token);
      if (target) tags.push(target.clause === null ? { id: target.id, file, line } : { id: target.id, file, line, clause: target.clause });
      else if (ID_LIKE.test(token) || /^[A-Z]/.test(token)) {
        diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id in req(): ${token}`, file, line });
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

/**
 * Joins the catalogue, the code tags and the test results into the conformance matrix: one row per
 * requirement with its status, plus per-section counts and the diagnostics that make the check fail.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-008 TRACE-009 TRACE-010
 */
import type { Diagnostic, Evidence, Requirement, RequirementStatus, SourceTag, SpecHeader, TestCase, TestStatus } from './model.js';

export interface MatrixTest { title: string; fullName: string; file: string; evidence: Evidence | null; status: TestStatus }

export interface MatrixRow {
  id: string;
  section: string;
  sectionTitle: string;
  specFile: string;
  specLine: number;
  statement: string;
  tags: string[];
  informational: boolean;
  manual: string;
  sources: { file: string; line: number }[];
  tests: MatrixTest[];
  status: RequirementStatus;
}

export interface SectionCounts {
  section: string;
  title: string;
  requirements: number;
  provenWire: number;
  provenPeer: number;
  unitOnly: number;
  open: number;
  informational: number;
}

export interface Matrix {
  generatedAt: string;
  rows: MatrixRow[];
  sections: SectionCounts[];
  totals: SectionCounts;
  /** Every `@spec` module header in the scanned code, for linking manual pages to files. */
  specHeaders: SpecHeader[];
  diagnostics: Diagnostic[];
}

export interface MatrixInput {
  requirements: Map<string, Requirement>;
  sourceTags: SourceTag[];
  testSourceTags: SourceTag[];
  tests: TestCase[];
  specHeaders?: SpecHeader[];
  diagnostics: Diagnostic[];
}

/** Only a passing test proves anything; peer beats wire beats unit. @req TRACE-008 */
export function statusOf(req: Requirement, tests: readonly MatrixTest[]): RequirementStatus {
  if (req.tags.includes('DOC')) return 'informational';
  const passed = tests.filter((t) => t.status === 'passed');
  if (passed.some((t) => t.evidence === 'peer')) return 'proven-peer';
  if (passed.some((t) => t.evidence === 'wire')) return 'proven-wire';
  if (passed.length > 0) return 'unit-only';
  return 'open';
}

function emptyCounts(section: string, title: string): SectionCounts {
  return { section, title, requirements: 0, provenWire: 0, provenPeer: 0, unitOnly: 0, open: 0, informational: 0 };
}

function add(c: SectionCounts, s: RequirementStatus): void {
  c.requirements++;
  if (s === 'proven-wire') c.provenWire++;
  else if (s === 'proven-peer') c.provenPeer++;
  else if (s === 'unit-only') c.unitOnly++;
  else if (s === 'open') c.open++;
  else c.informational++;
}

/** Builds the matrix; unknown IDs in code or tests become errors. @req TRACE-009 TRACE-010 */
export function buildMatrix(input: MatrixInput): Matrix {
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const sources = new Map<string, { file: string; line: number }[]>();
  for (const t of input.sourceTags) {
    if (!input.requirements.has(t.id)) {
      diagnostics.push({ level: 'error', code: 'unknown-id', message: `@req ${t.id} is not in spec/`, file: t.file, line: t.line });
      continue;
    }
    const list = sources.get(t.id) ?? [];
    list.push({ file: t.file, line: t.line });
    sources.set(t.id, list);
  }
  const reported = new Set<string>();
  const byId = new Map<string, MatrixTest[]>();
  for (const t of input.tests) {
    for (const id of t.ids) {
      if (!input.requirements.has(id)) {
        const key = `${id}\u0000${t.file}`;
        if (!reported.has(key)) {
          reported.add(key);
          diagnostics.push({ level: 'error', code: 'unknown-id', message: `test names ${id}, which is not in spec/ (${t.fullName})`, file: t.file });
        }
        continue;
      }
      const list = byId.get(id) ?? [];
      list.push({ title: t.title, fullName: t.fullName, file: t.file, evidence: t.evidence, status: t.status });
      byId.set(id, list);
    }
  }
  for (const t of input.testSourceTags) {
    const key = `${t.id}\u0000${t.file}`;
    if (!input.requirements.has(t.id) && !reported.has(key)) {
      reported.add(key);
      diagnostics.push({ level: 'error', code: 'unknown-id', message: `req(${t.id}) is not in spec/`, file: t.file, line: t.line });
    }
  }
  const rows: MatrixRow[] = [];
  const sections = new Map<string, SectionCounts>();
  const totals = emptyCounts('total', '');
  for (const req of input.requirements.values()) {
    const tests = byId.get(req.id) ?? [];
    const status = statusOf(req, tests);
    rows.push({
      id: req.id, section: req.section, sectionTitle: req.sectionTitle, specFile: req.file, specLine: req.line,
      statement: req.statement, tags: req.tags, informational: req.tags.includes('DOC'), manual: req.manual,
      sources: sources.get(req.id) ?? [], tests, status,
    });
    const key = req.section || req.file;
    const counts = sections.get(key) ?? emptyCounts(key, req.sectionTitle);
    sections.set(key, counts);
    add(counts, status);
    add(totals, status);
  }
  const sectionList = [...sections.values()].sort((a, b) => a.section.localeCompare(b.section, 'en', { numeric: true }));
  return { generatedAt: new Date().toISOString(), rows, sections: sectionList, totals, specHeaders: input.specHeaders ?? [], diagnostics };
}

export function errorsOf(m: { readonly diagnostics: readonly Diagnostic[] }): Diagnostic[] {
  return m.diagnostics.filter((d) => d.level === 'error');
}

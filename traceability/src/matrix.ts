/**
 * Joins the catalogue, the code tags and the test results into the conformance matrix: one row per
 * requirement with its status, plus per-section counts and the diagnostics that make the check fail.
 * A test counts with the evidence it was observed to give (its claim capped by what the wire
 * observer saw); a requirement with clauses is proven only when every clause is.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-008 TRACE-009 TRACE-010 TRACE-014 TRACE-016 TRACE-017
 */
import {
  evidenceRank,
  type Diagnostic, type Evidence, type Requirement, type RequirementStatus, type SourceTag, type SpecHeader, type TestCase, type TestStatus,
  type WireObservation,
} from './model.js';

export interface MatrixTest {
  title: string;
  fullName: string;
  file: string;
  /** Evidence the test counts as (observed; equals the claim when the run was not observed). */
  evidence: Evidence | null;
  status: TestStatus;
  /** Evidence written in the title. */
  claimed?: Evidence | null;
  /** The wire observer's record (null: observed run, nothing recorded). */
  observed?: WireObservation | null;
  /** The clauses of this requirement the test names; absent or empty: the whole requirement. */
  clauses?: string[];
  line?: number;
}

/** A clause of a row, with the strongest passing evidence any test gives it. */
export interface MatrixClause { key: string; text: string; evidence: Evidence | null }

/** A test whose observed evidence is weaker than its title claims. @req TRACE-014 */
export interface EvidenceMismatch {
  file: string;
  fullName: string;
  status: TestStatus;
  claimed: Evidence;
  observed: Evidence;
  clients: string[];
  peers: string[];
}

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
  /** The statement's clauses and how well each is proven (absent: no clauses). */
  clauses?: MatrixClause[];
}

export interface SectionCounts {
  section: string;
  title: string;
  requirements: number;
  provenWire: number;
  provenPeer: number;
  partial: number;
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
  /** Tests that claim more than they were observed doing. */
  mismatches: EvidenceMismatch[];
}

export interface MatrixInput {
  requirements: Map<string, Requirement>;
  sourceTags: SourceTag[];
  testSourceTags: SourceTag[];
  tests: TestCase[];
  specHeaders?: SpecHeader[];
  diagnostics: Diagnostic[];
}

/** The strongest passing evidence for each clause of `req`. @req TRACE-017 */
export function clauseEvidence(req: Requirement, tests: readonly MatrixTest[]): MatrixClause[] {
  return (req.clauses ?? []).map((c) => {
    let best: Evidence | null = null;
    for (const t of tests) {
      if (t.status !== 'passed' || !(t.clauses ?? []).includes(c.key)) continue;
      if (evidenceRank(t.evidence) > evidenceRank(best)) best = t.evidence;
    }
    return { key: c.key, text: c.text, evidence: best };
  });
}

/**
 * Only a passing test proves anything; peer beats wire beats unit. A requirement with clauses is
 * proven-peer (proven-wire) only when every clause has a passing peer (wire or peer) test; with
 * wire-or-peer evidence short of that (some clauses, or only tests naming the bare ID) it is
 * partial; with passing unit evidence only it is unit-only. @req TRACE-008 TRACE-017
 */
export function statusOf(req: Requirement, tests: readonly MatrixTest[]): RequirementStatus {
  if (req.tags.includes('DOC')) return 'informational';
  const passed = tests.filter((t) => t.status === 'passed');
  const clauses = req.clauses ?? [];
  if (clauses.length === 0) {
    if (passed.some((t) => t.evidence === 'peer')) return 'proven-peer';
    if (passed.some((t) => t.evidence === 'wire')) return 'proven-wire';
    if (passed.length > 0) return 'unit-only';
    return 'open';
  }
  const weakest = Math.min(...clauseEvidence(req, passed).map((c) => evidenceRank(c.evidence)));
  if (weakest >= 3) return 'proven-peer';
  if (weakest >= 2) return 'proven-wire';
  if (passed.some((t) => evidenceRank(t.evidence) >= 2)) return 'partial';
  if (passed.length > 0) return 'unit-only';
  return 'open';
}

function emptyCounts(section: string, title: string): SectionCounts {
  return { section, title, requirements: 0, provenWire: 0, provenPeer: 0, partial: 0, unitOnly: 0, open: 0, informational: 0 };
}

function add(c: SectionCounts, s: RequirementStatus): void {
  c.requirements++;
  if (s === 'proven-wire') c.provenWire++;
  else if (s === 'proven-peer') c.provenPeer++;
  else if (s === 'partial') c.partial++;
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
  const mismatches: EvidenceMismatch[] = [];
  // A clause tag must name a clause the entry lists. @req TRACE-016
  const clauseProblem = (id: string, clause: string): string | null => {
    const keys = (input.requirements.get(id)?.clauses ?? []).map((c) => c.key);
    if (keys.length === 0) return `${id} has no clauses, so ${id}#${clause} names nothing`;
    return keys.includes(clause) ? null : `${id} has no clause ${clause} (clauses: ${keys.join(', ')})`;
  };
  for (const t of input.tests) {
    if (t.claimed && t.evidence && t.status !== 'skipped' && evidenceRank(t.evidence) < evidenceRank(t.claimed)) {
      mismatches.push({
        file: t.file, fullName: t.fullName, status: t.status, claimed: t.claimed, observed: t.evidence,
        clients: t.observed?.clients ?? [], peers: t.observed?.peers ?? [],
      });
    }
    for (const id of t.ids) {
      if (!input.requirements.has(id)) {
        const key = `${id}\u0000${t.file}`;
        if (!reported.has(key)) {
          reported.add(key);
          diagnostics.push({ level: 'error', code: 'unknown-id', message: `test names ${id}, which is not in spec/ (${t.fullName})`, file: t.file });
        }
        continue;
      }
      const clauses: string[] = [];
      for (const target of t.targets ?? []) {
        if (target.id !== id || target.clause === null) continue;
        const problem = clauseProblem(id, target.clause);
        if (problem) diagnostics.push({ level: 'error', code: 'unknown-clause', message: `test names ${id}#${target.clause}: ${problem} (${t.fullName})`, file: t.file });
        else if (!clauses.includes(target.clause)) clauses.push(target.clause);
      }
      const list = byId.get(id) ?? [];
      const row: MatrixTest = { title: t.title, fullName: t.fullName, file: t.file, evidence: t.evidence, status: t.status };
      if (t.claimed !== undefined) row.claimed = t.claimed;
      if (t.observed !== undefined) row.observed = t.observed;
      if (clauses.length > 0) row.clauses = clauses;
      if (t.line !== undefined) row.line = t.line;
      list.push(row);
      byId.set(id, list);
    }
  }
  for (const t of input.testSourceTags) {
    const key = `${t.id}\u0000${t.file}`;
    if (!input.requirements.has(t.id) && !reported.has(key)) {
      reported.add(key);
      diagnostics.push({ level: 'error', code: 'unknown-id', message: `req(${t.id}) is not in spec/`, file: t.file, line: t.line });
      continue;
    }
    if (t.clause !== undefined && input.requirements.has(t.id)) {
      const problem = clauseProblem(t.id, t.clause);
      if (problem) diagnostics.push({ level: 'error', code: 'unknown-clause', message: `req(${t.id}#${t.clause}): ${problem}`, file: t.file, line: t.line });
    }
  }
  const rows: MatrixRow[] = [];
  const sections = new Map<string, SectionCounts>();
  const totals = emptyCounts('total', '');
  for (const req of input.requirements.values()) {
    const tests = byId.get(req.id) ?? [];
    const status = statusOf(req, tests);
    const row: MatrixRow = {
      id: req.id, section: req.section, sectionTitle: req.sectionTitle, specFile: req.file, specLine: req.line,
      statement: req.statement, tags: req.tags, informational: req.tags.includes('DOC'), manual: req.manual,
      sources: sources.get(req.id) ?? [], tests, status,
    };
    if ((req.clauses ?? []).length > 0) row.clauses = clauseEvidence(req, tests);
    rows.push(row);
    const key = req.section || req.file;
    const counts = sections.get(key) ?? emptyCounts(key, req.sectionTitle);
    sections.set(key, counts);
    add(counts, status);
    add(totals, status);
  }
  const sectionList = [...sections.values()].sort((a, b) => a.section.localeCompare(b.section, 'en', { numeric: true }));
  return { generatedAt: new Date().toISOString(), rows, sections: sectionList, totals, specHeaders: input.specHeaders ?? [], diagnostics, mismatches };
}

export function errorsOf(m: { readonly diagnostics: readonly Diagnostic[] }): Diagnostic[] {
  return m.diagnostics.filter((d) => d.level === 'error');
}

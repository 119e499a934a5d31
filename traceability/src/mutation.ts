/**
 * Mutation testing results by requirement. Reads Stryker's JSON report (the
 * mutation-testing-report-schema: per file its source and its mutants with status and location),
 * maps every mutant to the requirement IDs of the `@req` tags that govern its line, and counts
 * killed, survived, no-coverage and timed-out mutants per file, per folder and per requirement,
 * so that a surviving mutant is reported beside the requirement it weakens.
 *
 * The governing rule (the nearest tag wins; tags are never added up across levels):
 * 1. **line**: `@req` tags written on the mutant's first line (a trailing `// @req ID`);
 * 2. **declaration**: walking out from the innermost syntax node that contains the mutant, the first
 *    enclosing node (statement, declaration, class member, object property, case clause...) whose
 *    leading comments (TSDoc or `//` lines just above it) or whose own first line carry `@req` tags;
 * 3. **module**: the `@req` tags of the module's header comment (the comment that opens the file);
 * 4. otherwise the mutant is **untagged** (counted per file and folder, under no requirement).
 *
 * Scores follow Stryker's definitions: score = detected / valid, where detected = killed + timeout
 * and valid = detected + survived + no coverage (runtime and compile errors and ignored mutants
 * are not valid); the covered score leaves no-coverage mutants out.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-030 TRACE-031
 */
import { posix } from 'node:path';
import ts from 'typescript';
import { idsAfterReq } from './source-scanner.js';

/** Mutant statuses of the mutation-testing-report-schema. */
export type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

export interface ReportPosition { line: number; column: number }

/** One mutant as the report stores it (only the fields read here). */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  statusReason?: string;
  static?: boolean;
  coveredBy?: string[];
  killedBy?: string[];
  location: { start: ReportPosition; end: ReportPosition };
}

export interface ReportFile {
  language?: string;
  source: string;
  mutants: ReportMutant[];
}

/** The part of a mutation-testing-report-schema document read here. */
export interface MutationReport {
  schemaVersion?: string;
  files: Record<string, ReportFile>;
  [extra: string]: unknown;
}

export type GoverningRule = 'line' | 'declaration' | 'module' | 'none';

export interface Governing {
  ids: string[];
  rule: GoverningRule;
  /** The line of the tag(s) that govern (0 for `none`). */
  tagLine: number;
}

export interface Counts {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  errors: number;
  ignored: number;
  pending: number;
  total: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage) in percent; null if no valid mutant. */
  score: number | null;
  /** (killed + timeout) / (killed + timeout + survived) in percent; null if no covered mutant. */
  scoreCovered: number | null;
}

/** A mutant the tests did not detect, where it is and what it changed. */
export interface Undetected {
  file: string;
  line: number;
  column: number;
  mutator: string;
  replacement: string;
  /** The original text the mutant replaced (first line of it, trimmed to 120 characters). */
  original: string;
  status: 'Survived' | 'NoCoverage';
  rule: GoverningRule;
  tagLine: number;
  /** Tests that ran the mutant and still passed (survivors only). */
  coveredBy: number;
}

export interface RequirementResult {
  id: string;
  counts: Counts;
  survivors: Undetected[];
  noCoverage: Undetected[];
  /** Files whose mutants count here. */
  files: string[];
}

export interface MutationSummary {
  generatedAt: string;
  /** How a mutant's requirement IDs are chosen (documentation for readers of the JSON). */
  rule: string;
  totals: Counts;
  files: { file: string; counts: Counts }[];
  folders: { folder: string; counts: Counts }[];
  requirements: RequirementResult[];
  /** Mutants under no @req tag, per file. */
  untagged: { file: string; counts: Counts; survivors: Undetected[] }[];
}

export const RULE_TEXT =
  'the @req tags on the mutated line; else those of the nearest enclosing statement or declaration (its leading TSDoc or // comments, or its first line); else the module header\'s @req list';

/** IDs in the `@req` tags of a piece of comment text, in order, without repeats. */
export function reqIdsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/@req\b([^\n]*)/g)) {
    for (const id of idsAfterReq((m[1] ?? '').replace(/\*\/.*$/, '')).ids) if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * Computes, for one source file, which requirement IDs govern each position. Parsing happens once
 * per file; `at(line, column)` (1-based, as in the report) answers per mutant.
 * @req TRACE-030
 */
export class RequirementLocator {
  private readonly sf: ts.SourceFile;
  private readonly lines: string[];
  private readonly lineStarts: readonly number[];
  private readonly header: { pos: number; end: number; ids: string[]; line: number } | null;

  constructor(readonly file: string, readonly text: string) {
    this.sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    this.lines = text.split(/\r?\n/);
    this.lineStarts = this.sf.getLineStarts();
    const first = ts.getLeadingCommentRanges(text, 0)?.[0];
    this.header = first
      ? { pos: first.pos, end: first.end, ids: reqIdsIn(text.slice(first.pos, first.end)), line: this.lineOf(first.pos) }
      : null;
  }

  private lineOf(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }

  /** IDs tagged on a (1-based) line, with a trailing comment or a one-line comment. */
  private lineIds(line: number): string[] {
    const text = this.lines[line - 1] ?? '';
    const at = text.search(/\/\/|\/\*|^\s*\*/);
    return at < 0 ? [] : reqIdsIn(text.slice(at));
  }

  /** IDs in the comments just above a node (not the module header). */
  private leadingIds(node: ts.Node): { ids: string[]; line: number } {
    const ranges = ts.getLeadingCommentRanges(this.text, node.pos) ?? [];
    const ids: string[] = [];
    let line = 0;
    for (const r of ranges) {
      if (this.header && r.pos === this.header.pos) continue;
      const found = reqIdsIn(this.text.slice(r.pos, r.end));
      if (found.length > 0) {
        for (const id of found) if (!ids.includes(id)) ids.push(id);
        line = this.lineOf(r.pos);
      }
    }
    return { ids, line };
  }

  /** The chain of nodes containing `pos`, innermost first (the SourceFile excluded). */
  private enclosing(pos: number): ts.Node[] {
    const chain: ts.Node[] = [];
    let node: ts.Node = this.sf;
    for (;;) {
      let next: ts.Node | undefined;
      node.forEachChild((child) => {
        if (next === undefined && child.getStart(this.sf) <= pos && pos < child.end) next = child;
      });
      if (next === undefined) break;
      chain.push(next);
      node = next;
    }
    return chain.reverse();
  }

  /** The IDs governing the mutant that starts at (line, column), both 1-based. */
  at(line: number, column: number): Governing {
    const onLine = this.lineIds(line);
    if (onLine.length > 0) return { ids: onLine, rule: 'line', tagLine: line };
    const pos = (this.lineStarts[line - 1] ?? this.text.length) + column - 1;
    for (const node of this.enclosing(pos)) {
      const lead = this.leadingIds(node);
      if (lead.ids.length > 0) return { ids: lead.ids, rule: 'declaration', tagLine: lead.line };
      const first = this.lineOf(node.getStart(this.sf));
      if (first !== line) {
        const own = this.lineIds(first);
        if (own.length > 0) return { ids: own, rule: 'declaration', tagLine: first };
      }
    }
    if (this.header && this.header.ids.length > 0) return { ids: this.header.ids, rule: 'module', tagLine: this.header.line };
    return { ids: [], rule: 'none', tagLine: 0 };
  }
}

function emptyCounts(): Counts {
  return { killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0, ignored: 0, pending: 0, total: 0, score: null, scoreCovered: null };
}

function add(c: Counts, status: MutantStatus): void {
  c.total++;
  switch (status) {
    case 'Killed': c.killed++; break;
    case 'Survived': c.survived++; break;
    case 'NoCoverage': c.noCoverage++; break;
    case 'Timeout': c.timeout++; break;
    case 'CompileError': case 'RuntimeError': c.errors++; break;
    case 'Ignored': c.ignored++; break;
    default: c.pending++;
  }
}

/** Fills in the two scores of a count (Stryker's formulas), rounded to 0.01. */
export function finishCounts(c: Counts): Counts {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  const covered = detected + c.survived;
  c.score = valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100;
  c.scoreCovered = covered === 0 ? null : Math.round((detected / covered) * 10_000) / 100;
  return c;
}

function undetected(file: string, text: string[], m: ReportMutant, g: Governing): Undetected {
  const { start, end } = m.location;
  const line = text[start.line - 1] ?? '';
  const original = start.line === end.line ? line.slice(start.column - 1, end.column - 1) : `${line.slice(start.column - 1)}…`;
  return {
    file,
    line: start.line,
    column: start.column,
    mutator: m.mutatorName,
    replacement: (m.replacement ?? '').slice(0, 200),
    original: original.trim().slice(0, 120),
    status: m.status === 'Survived' ? 'Survived' : 'NoCoverage',
    rule: g.rule,
    tagLine: g.tagLine,
    coveredBy: m.coveredBy?.length ?? 0,
  };
}

const RULE_RANK: Record<GoverningRule, number> = { line: 0, declaration: 1, module: 2, none: 3 };
/** Mutants under a tag written for them (line, declaration) first, then by place. */
const byPlace = (a: Undetected, b: Undetected): number =>
  RULE_RANK[a.rule] - RULE_RANK[b.rule] || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

/**
 * Summarises a report by file, folder (every ancestor folder of a file) and requirement.
 * @req TRACE-030 TRACE-031
 */
export function summarize(report: MutationReport, generatedAt: string = new Date().toISOString()): MutationSummary {
  const totals = emptyCounts();
  const files = new Map<string, Counts>();
  const folders = new Map<string, Counts>();
  const reqs = new Map<string, RequirementResult>();
  const untagged = new Map<string, { file: string; counts: Counts; survivors: Undetected[] }>();
  for (const name of Object.keys(report.files).sort()) {
    const entry = report.files[name]!;
    const file = name.split('\\').join('/');
    const locator = new RequirementLocator(file, entry.source);
    const text = entry.source.split(/\r?\n/);
    const fc = emptyCounts();
    files.set(file, fc);
    const dirs: string[] = [];
    for (let d = posix.dirname(file); d !== '.' && d !== '/' && d !== ''; d = posix.dirname(d)) dirs.push(d);
    for (const m of entry.mutants) {
      add(totals, m.status);
      add(fc, m.status);
      for (const d of dirs) {
        const c = folders.get(d) ?? emptyCounts();
        folders.set(d, c);
        add(c, m.status);
      }
      const g = locator.at(m.location.start.line, m.location.start.column);
      const u = m.status === 'Survived' || m.status === 'NoCoverage' ? undetected(file, text, m, g) : null;
      if (g.ids.length === 0) {
        const e = untagged.get(file) ?? { file, counts: emptyCounts(), survivors: [] };
        untagged.set(file, e);
        add(e.counts, m.status);
        if (u && u.status === 'Survived') e.survivors.push(u);
        continue;
      }
      for (const id of g.ids) {
        const r = reqs.get(id) ?? { id, counts: emptyCounts(), survivors: [], noCoverage: [], files: [] };
        reqs.set(id, r);
        add(r.counts, m.status);
        if (!r.files.includes(file)) r.files.push(file);
        if (u) (u.status === 'Survived' ? r.survivors : r.noCoverage).push(u);
      }
    }
  }
  const requirements = [...reqs.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const r of requirements) {
    finishCounts(r.counts);
    r.survivors.sort(byPlace);
    r.noCoverage.sort(byPlace);
  }
  return {
    generatedAt,
    rule: RULE_TEXT,
    totals: finishCounts(totals),
    files: [...files].map(([file, counts]) => ({ file, counts: finishCounts(counts) })),
    folders: [...folders].sort((a, b) => a[0].localeCompare(b[0])).map(([folder, counts]) => ({ folder, counts: finishCounts(counts) })),
    requirements,
    untagged: [...untagged.values()].map((u) => ({ ...u, counts: finishCounts(u.counts) })),
  };
}

/**
 * Combines reports of several runs: a file in `next` replaces the same file in `base` (its
 * latest run wins); files of other runs are kept.
 */
export function mergeReports(base: MutationReport | null, next: MutationReport): MutationReport {
  const files: Record<string, ReportFile> = { ...(base?.files ?? {}) };
  for (const [k, v] of Object.entries(next.files)) files[k] = v;
  return { schemaVersion: next.schemaVersion ?? base?.schemaVersion ?? '1', files };
}

const pct = (n: number | null): string => (n === null ? '   n/a' : `${n.toFixed(2).padStart(6)}`);

function countsRow(label: string, c: Counts, width: number): string {
  return `${label.padEnd(width)} ${pct(c.score)} ${pct(c.scoreCovered)} ${String(c.killed).padStart(6)} ${String(c.timeout).padStart(7)} ${String(c.survived).padStart(8)} ${String(c.noCoverage).padStart(6)} ${String(c.ignored).padStart(7)} ${String(c.errors).padStart(6)}`;
}

function table(title: string, rows: { label: string; counts: Counts }[]): string[] {
  const width = Math.max(title.length, ...rows.map((r) => r.label.length));
  const out = [`${title.padEnd(width)}  score covrd killed timeout survived no-cov ignored errors`];
  for (const r of rows) out.push(countsRow(r.label, r.counts, width));
  return out;
}

/** The printed report: per file, per folder, then per requirement with its top survivors. */
export function formatSummary(s: MutationSummary, top = 5): string {
  const out: string[] = [];
  out.push(`Mutation score = (killed + timeout) / (killed + timeout + survived + no coverage); covrd leaves no-coverage out.`);
  out.push('');
  out.push(...table('file', s.files.map((f) => ({ label: f.file, counts: f.counts }))));
  out.push('');
  out.push(...table('folder', s.folders.map((f) => ({ label: `${f.folder}/`, counts: f.counts }))));
  out.push(countsRow('all'.padEnd(6), s.totals, Math.max(6, ...s.folders.map((f) => f.folder.length + 1))));
  out.push('');
  out.push(`Per requirement (${RULE_TEXT}):`);
  out.push(...table('requirement', s.requirements.map((r) => ({ label: r.id, counts: r.counts }))));
  const weak = s.requirements.filter((r) => r.survivors.length > 0);
  if (weak.length > 0) {
    out.push('');
    out.push(`Surviving mutants per requirement (at most ${top} each, those under a line or declaration tag first; all in traceability/out/mutation.json):`);
    for (const r of weak) {
      out.push(`${r.id}: ${r.counts.survived} survived, ${r.counts.noCoverage} without coverage`);
      for (const u of r.survivors.slice(0, top)) out.push(`  ${describe(u)}`);
    }
  }
  const untaggedSurvivors = s.untagged.reduce((n, u) => n + u.survivors.length, 0);
  if (untaggedSurvivors > 0) out.push('', `${untaggedSurvivors} surviving mutants are under no @req tag (listed under "untagged" in the JSON).`);
  return out.join('\n');
}

export function describe(u: Undetected): string {
  const one = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 80);
  return `${u.file}:${u.line}:${u.column} ${u.mutator}: \`${one(u.original)}\` -> \`${one(u.replacement)}\` (${u.rule} tag at line ${u.tagLine})`;
}

/**
 * Renders the matrix: a per-section text table for the terminal and report.md for readers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-011 TRACE-014 TRACE-017
 */
import type { Diagnostic } from './model.js';
import type { EvidenceMismatch, Matrix, SectionCounts } from './matrix.js';

const HEAD = ['section', 'requirements', 'wire', 'peer', 'partial', 'unit-only', 'open', 'informational'];

function cells(c: SectionCounts): string[] {
  return [c.section, c.requirements, c.provenWire, c.provenPeer, c.partial, c.unitOnly, c.open, c.informational].map(String);
}

/** One line per test that claims more than was observed. @req TRACE-014 */
export function formatMismatch(x: EvidenceMismatch): string {
  const seen = x.clients.length > 0 ? `clients ${x.clients.join(', ')}${x.peers.length > 0 ? `; peers ${x.peers.join(', ')}` : '; no peer'}` : 'no client traffic';
  return `${x.file}: ${x.fullName}: claimed {${x.claimed}}, observed ${x.observed} (${seen})${x.status === 'passed' ? '' : ` [${x.status}]`}`;
}

function table(rows: string[][]): string {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${d.level} [${d.code}] ${where}${d.message}`;
}

/** The terminal table; with summary only the totals line. @req TRACE-011 */
export function formatTable(m: Matrix, summaryOnly: boolean): string {
  const total = cells(m.totals);
  if (summaryOnly) {
    const t = m.totals;
    return `requirements ${t.requirements}: proven-wire ${t.provenWire}, proven-peer ${t.provenPeer}, partial ${t.partial}, unit-only ${t.unitOnly}, open ${t.open}, informational ${t.informational}`;
  }
  return table([HEAD, ...m.sections.map(cells), total]);
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** report.md: the section table, the diagnostics, then one line per requirement. */
export function formatReport(m: Matrix): string {
  const out: string[] = ['# Conformance matrix', '', `Generated ${m.generatedAt} by \`npm run conformance\`.`, ''];
  out.push('| section | title | requirements | proven (wire) | proven (peer) | partial | unit-only | open | informational |');
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of [...m.sections, m.totals]) {
    out.push(`| ${md(c.section)} | ${md(c.title)} | ${c.requirements} | ${c.provenWire} | ${c.provenPeer} | ${c.partial} | ${c.unitOnly} | ${c.open} | ${c.informational} |`);
  }
  const mismatches = m.mismatches ?? [];
  out.push('', `## Evidence mismatches (${mismatches.length})`, '');
  out.push('Tests whose title claims more than the wire observer saw them do; they count with the observed evidence.', '');
  for (const x of mismatches) out.push(`- ${md(formatMismatch(x))}`);
  const errors = m.diagnostics.filter((d) => d.level === 'error');
  const warnings = m.diagnostics.filter((d) => d.level === 'warning');
  out.push('', `## Diagnostics (${errors.length} errors, ${warnings.length} warnings)`, '');
  for (const d of errors.slice(0, 500)) out.push(`- ${md(formatDiagnostic(d))}`);
  const unsealed = warnings.filter((w) => w.code === 'missing-checksum').length;
  if (unsealed > 0) out.push(`- ${unsealed} requirements are not sealed yet (run \`npm run spec:seal\`).`);
  for (const d of warnings.filter((w) => w.code !== 'missing-checksum').slice(0, 200)) out.push(`- ${md(formatDiagnostic(d))}`);
  out.push('', '## Requirements', '');
  out.push('| id | section | status | tests | code | statement |');
  out.push('|---|---|---|---|---|---|');
  for (const r of m.rows) {
    const passed = r.tests.filter((t) => t.status === 'passed').length;
    const tests = r.tests.length === 0 ? '' : `${passed}/${r.tests.length} passed`;
    const code = r.sources.slice(0, 3).map((s) => `${s.file}:${s.line}`).join(', ') + (r.sources.length > 3 ? ', ...' : '');
    const clauses = (r.clauses ?? []).map((c) => ` [#${c.key}: ${c.evidence ?? 'untested'}]`).join('');
    out.push(`| ${r.id} | ${md(r.section)} | ${r.status} | ${tests} | ${md(code)} | ${md(r.statement + clauses)} |`);
  }
  return out.join('\n') + '\n';
}

/**
 * Builds the literate spec site into site/out/: a home page, one page per spec file (requirements
 * with status badges, code snippets beside the prose, tests and their last result), one page per
 * source file carrying `@req` tags (line anchors `#L42`), and the conformance matrix page. The API
 * reference (typedoc) is produced separately into site/out/api/ by `npm run site`.
 *
 * Everything shown comes from the catalogue (spec/), traceability/matrix.json and the sources;
 * nothing is hand-copied. Markdown goes through unified/remark without raw HTML, and every other
 * string is escaped, so the pages cannot be broken by what the catalogue contains.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req SITE-001 SITE-002 SITE-003 SITE-004 SITE-005
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { readSpec } from '../../traceability/src/spec-reader.js';
import { computeMatrix, DEFAULT_SOURCE_DIRS } from '../../traceability/src/conformance.js';
import { scanSources } from '../../traceability/src/source-scanner.js';
import type { Matrix, MatrixRow } from '../../traceability/src/matrix.js';
import type { RequirementStatus, SpecFileInfo } from '../../traceability/src/model.js';
import { loadMutationSummary, mutationBlock } from './mutation.js';

/** Lines shown before and after an `@req` tag in a requirement's code snippet. */
const SNIPPET_BEFORE = 2;
const SNIPPET_AFTER = 8;

/** Strongest first; `partial`: some but not all clauses have wire-or-peer proof (TRACE-017). */
export const STATUSES: readonly RequirementStatus[] = ['proven-peer', 'proven-wire', 'partial', 'unit-only', 'open', 'informational'];

export interface BuildOptions {
  root: string;
  out: string;
}

export interface BuildResult {
  pages: number;
  specPages: number;
  sourcePages: number;
  matrix: Matrix;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const md = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify);

/** Markdown to HTML; raw HTML in the input is dropped by remark-rehype (no allowDangerousHtml). */
export function markdown(text: string): string {
  return String(md.processSync(text));
}

/** Inline markdown (a statement): the outer paragraph is unwrapped. */
function inlineMarkdown(text: string): string {
  const html = markdown(text).trim();
  const m = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return m && !m[1]!.includes('<p>') ? m[1]! : html;
}

/** Only http(s) and relative links are emitted; anything else becomes '#'. */
function safeUrl(u: string): string {
  return /^https?:\/\//.test(u) ? u : '#';
}

function rel(from: string, to: string): string {
  const r = posix.relative(posix.dirname(from), to);
  return r === '' ? posix.basename(to) : r;
}

function page(path: string, title: string, body: string): string {
  const css = rel(path, 'style.css');
  const nav = [
    ['index.html', 'Home'], ['matrix.html', 'Matrix'], ['code/index.html', 'Sources'], ['api/index.html', 'API reference'],
  ].map(([to, label]) => `<a href="${escapeHtml(rel(path, to!))}">${escapeHtml(label!)}</a>`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — refmysql</title><link rel="stylesheet" href="${escapeHtml(css)}"></head>
<body><header><nav><strong>refmysql</strong> ${nav}</nav></header><main>
${body}
</main><footer>Generated from spec/, traceability/matrix.json and src/ — do not edit.</footer></body></html>
`;
}

function badge(s: RequirementStatus): string {
  return `<span class="badge ${s}">${escapeHtml(s)}</span>`;
}

export function specPagePath(specFile: string): string {
  return `spec/${posix.basename(specFile, '.md')}.html`;
}

export function sourcePagePath(srcFile: string): string {
  return `code/${srcFile}.html`;
}

/** typedoc's page for a src/ module (entry point strategy "expand": path without .ts, `/` as `_`). */
export function apiModulePage(srcFile: string): string | null {
  if (!srcFile.startsWith('src/')) return null;
  const name = srcFile.slice(4).replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join('_');
  return `api/modules/${name}.html`;
}

/** The matrix from traceability/matrix.json, or computed from the last vitest report if missing. */
export function loadMatrix(root: string): Matrix {
  const p = join(root, 'traceability/matrix.json');
  if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as Matrix;
  return computeMatrix({ root });
}

/** The orientation prose of a spec file: between the front matter and the first `### ` entry. */
function specProse(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  if (lines[0]?.trim() === '---') {
    i = 1;
    while (i < lines.length && lines[i]!.trim() !== '---') i++;
    i++;
  }
  const out: string[] = [];
  for (; i < lines.length; i++) {
    if (/^###\s/.test(lines[i]!)) break;
    if (/^#\s/.test(lines[i]!)) continue; // the page has its own title
    out.push(lines[i]!);
  }
  return out.join('\n').trim();
}

function readmeCommands(root: string): string {
  const p = join(root, 'README.md');
  if (!existsSync(p)) return '';
  const m = /```sh\n([\s\S]*?)```/.exec(readFileSync(p, 'utf8'));
  return m ? m[1]!.trim() : '';
}

function counts(rows: readonly MatrixRow[]): Record<RequirementStatus, number> {
  const c = { 'proven-peer': 0, 'proven-wire': 0, partial: 0, 'unit-only': 0, open: 0, informational: 0 } as Record<RequirementStatus, number>;
  for (const r of rows) c[r.status]++;
  return c;
}

function snippet(lines: readonly string[], line: number, srcLink: string): string {
  const from = Math.max(1, line - SNIPPET_BEFORE);
  const to = Math.min(lines.length, line + SNIPPET_AFTER);
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const cls = n === line ? ' class="hit"' : '';
    out.push(`<span${cls}><a class="ln" href="${escapeHtml(srcLink)}#L${n}">${n}</a>${escapeHtml(lines[n - 1] ?? '')}</span>`);
  }
  return `<pre class="code">${out.join('')}</pre>`; // spans are blocks: no newline between them
}

export function buildSite(opts: BuildOptions): BuildResult {
  const { root, out } = opts;
  const matrix = loadMatrix(root);
  // Code locations come from the sources as they are now, not from matrix.json: a matrix written
  // before the last edit would point snippets and #L anchors at lines that have since moved.
  const current = new Map<string, { file: string; line: number }[]>();
  for (const t of scanSources(DEFAULT_SOURCE_DIRS.map((d) => join(root, d)), root).tags) {
    current.set(t.id, [...(current.get(t.id) ?? []), { file: t.file, line: t.line }]);
  }
  for (const r of matrix.rows) r.sources = current.get(r.id) ?? [];
  const spec = readSpec(join(root, 'spec'), root);
  // Optional: surviving mutants beside the requirement they weaken, when npm run mutation has run.
  const mutation = loadMutationSummary(root);
  const mutants = new Map((mutation?.requirements ?? []).map((r) => [r.id, r]));
  const written: string[] = [];
  const write = (path: string, html: string): void => {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, html);
    written.push(path);
  };
  const srcCache = new Map<string, string[]>();
  const srcLines = (file: string): string[] => {
    let l = srcCache.get(file);
    if (!l) {
      const p = join(root, file);
      l = existsSync(p) ? readFileSync(p, 'utf8').split('\n') : [];
      srcCache.set(file, l);
    }
    return l;
  };

  const rowsByFile = new Map<string, MatrixRow[]>();
  const reqsBySource = new Map<string, { id: string; line: number; specFile: string }[]>();
  for (const r of matrix.rows) {
    const list = rowsByFile.get(r.specFile) ?? [];
    list.push(r);
    rowsByFile.set(r.specFile, list);
    for (const s of r.sources) {
      const l = reqsBySource.get(s.file) ?? [];
      l.push({ id: r.id, line: s.line, specFile: r.specFile });
      reqsBySource.set(s.file, l);
    }
  }
  // Requirements added to spec/ after matrix.json was generated still get an entry (status open,
  // no code or tests) so every spec file has its page; the matrix page keeps matrix.json's numbers.
  const inMatrix = new Set(matrix.rows.map((r) => r.id));
  const stale = new Set<string>();
  for (const q of spec.requirements.values()) {
    if (inMatrix.has(q.id)) continue;
    stale.add(q.id);
    const list = rowsByFile.get(q.file) ?? [];
    list.push({
      id: q.id, section: q.section, sectionTitle: q.sectionTitle, specFile: q.file, specLine: q.line, statement: q.statement,
      tags: q.tags, informational: q.tags.includes('DOC'), manual: q.manual, sources: [], tests: [],
      status: q.tags.includes('DOC') ? 'informational' : 'open',
    });
    rowsByFile.set(q.file, list);
  }
  const infos: SpecFileInfo[] = spec.files.filter((f) => rowsByFile.has(f.file));

  // Spec pages.
  for (const info of infos) {
    const path = specPagePath(info.file);
    const rows = (rowsByFile.get(info.file) ?? []).slice().sort((a, b) => a.specLine - b.specLine);
    const c = counts(rows);
    const prose = specProse(readFileSync(join(root, info.file), 'utf8'));
    const parts: string[] = [];
    parts.push(`<h1><span class="sec">${escapeHtml(info.section)}</span> ${escapeHtml(info.title)}</h1>`);
    parts.push(`<p>Manual: <a href="${escapeHtml(safeUrl(info.manual))}">${escapeHtml(info.manual)}</a> · source: <code>${escapeHtml(info.file)}</code></p>`);
    parts.push(`<p class="summary">${rows.length} requirements: ${STATUSES.map((s) => `${badge(s)} ${c[s]}`).join(' ')}</p>`);
    if (prose) parts.push(`<div class="prose">${markdown(prose)}</div>`);
    if (info.decisions.length > 0) {
      parts.push(`<h2>Decisions</h2><ul class="decisions">${info.decisions.map((d) => `<li>${inlineMarkdown(d)}</li>`).join('')}</ul>`);
    }
    parts.push('<h2>Requirements</h2>');
    for (const r of rows) {
      const b: string[] = [];
      b.push(`<section class="req" id="${escapeHtml(r.id)}"><h3><a href="#${escapeHtml(r.id)}">${escapeHtml(r.id)}</a> ${badge(r.status)}</h3>`);
      b.push(`<p class="statement">${inlineMarkdown(r.statement)}</p>`);
      if ((r.clauses ?? []).length > 0) {
        // Each clause with the strongest passing evidence any test gives it (TRACE-017).
        b.push(`<ul class="clauses">${(r.clauses ?? []).map((c) => `<li><code>#${escapeHtml(c.key)}</code> ${inlineMarkdown(c.text)} <span class="clause-evidence ${c.evidence ?? 'untested'}">${escapeHtml(c.evidence ?? 'untested')}</span></li>`).join('')}</ul>`);
      }
      b.push(`<p class="meta">Tags: ${r.tags.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')} · <a href="${escapeHtml(safeUrl(r.manual))}">manual</a></p>`);
      if (r.sources.length > 0) {
        b.push('<h4>Code</h4>');
        for (const s of r.sources) {
          const link = rel(path, sourcePagePath(s.file));
          b.push(`<p class="loc"><a href="${escapeHtml(link)}#L${s.line}">${escapeHtml(s.file)}:${s.line}</a></p>`);
          b.push(snippet(srcLines(s.file), s.line, link));
        }
      }
      if (r.tests.length > 0) {
        b.push('<h4>Tests</h4><ul class="tests">');
        for (const t of r.tests) {
          // A test that claims more than it was observed doing shows both (TRACE-014).
          const demoted = t.claimed !== undefined && t.claimed !== t.evidence ? ` <span class="demoted" title="claimed in the title, not observed">claimed ${escapeHtml(t.claimed ?? '?')}</span>` : '';
          b.push(`<li><span class="result ${escapeHtml(t.status)}">${escapeHtml(t.status)}</span> <code>${escapeHtml(t.evidence ?? '?')}</code>${demoted} ${escapeHtml(t.title)} <span class="file">${escapeHtml(t.file)}</span></li>`);
        }
        b.push('</ul>');
      } else if (stale.has(r.id)) {
        b.push('<p class="none">Not in traceability/matrix.json yet: run <code>npm run conformance</code>.</p>');
      } else if (r.status === 'open') {
        b.push('<p class="none">No passing test yet.</p>');
      }
      if (mutation) b.push(mutationBlock(mutants.get(r.id), mutation.generatedAt, (f, l) => `${rel(path, sourcePagePath(f))}#L${l}`));
      b.push('</section>');
      parts.push(b.join('\n'));
    }
    write(path, page(path, `${info.section} ${info.title}`, parts.join('\n')));
  }

  // Source pages.
  const sourceFiles = [...reqsBySource.keys()].sort();
  for (const file of sourceFiles) {
    const path = sourcePagePath(file);
    const lines = srcLines(file);
    const tags = (reqsBySource.get(file) ?? []).slice().sort((a, b) => a.line - b.line || a.id.localeCompare(b.id));
    const byLine = new Map<number, { id: string; specFile: string }[]>();
    for (const t of tags) {
      const l = byLine.get(t.line) ?? [];
      l.push(t);
      byLine.set(t.line, l);
    }
    const reqLink = (t: { id: string; specFile: string }): string =>
      `<a href="${escapeHtml(rel(path, specPagePath(t.specFile)))}#${escapeHtml(t.id)}">${escapeHtml(t.id)}</a>`;
    const body: string[] = [];
    body.push(`<h1><code>${escapeHtml(file)}</code></h1>`);
    const apiPage = apiModulePage(file);
    if (apiPage && existsSync(join(out, apiPage))) {
      body.push(`<p>API reference of this module: <a href="${escapeHtml(rel(path, apiPage))}">${escapeHtml(apiPage)}</a></p>`);
    }
    body.push(`<p>Requirements implemented here: ${[...new Map(tags.map((t) => [t.id, t])).values()].map(reqLink).join(' ')}</p>`);
    const code = lines.map((text, i) => {
      const n = i + 1;
      const here = byLine.get(n);
      const note = here ? ` <span class="reqs">${here.map(reqLink).join(' ')}</span>` : '';
      return `<span id="L${n}"${here ? ' class="hit"' : ''}><a class="ln" href="#L${n}">${n}</a>${escapeHtml(text)}${note}</span>`;
    });
    body.push(`<pre class="code full">${code.join('')}</pre>`);
    write(path, page(path, file, body.join('\n')));
  }
  {
    const path = 'code/index.html';
    const items = sourceFiles.map((f) => `<li><a href="${escapeHtml(rel(path, sourcePagePath(f)))}">${escapeHtml(f)}</a> (${new Set((reqsBySource.get(f) ?? []).map((t) => t.id)).size} requirements)</li>`);
    write(path, page(path, 'Sources', `<h1>Source files carrying @req tags</h1><ul>${items.join('')}</ul>`));
  }

  // Matrix page: numbers copied from matrix.json (sections and totals), not recounted.
  {
    const path = 'matrix.html';
    const fileOfSection = new Map<string, string>();
    for (const f of infos) if (!fileOfSection.has(f.section)) fileOfSection.set(f.section, f.file);
    const cells = (s: Matrix['totals'], attr: boolean): string => {
      const v: [string, number][] = [
        ['requirements', s.requirements], ['provenPeer', s.provenPeer], ['provenWire', s.provenWire],
        ['partial', s.partial ?? 0], ['unitOnly', s.unitOnly], ['open', s.open], ['informational', s.informational],
      ];
      const testable = s.requirements - s.informational;
      const done = s.provenPeer + s.provenWire + (s.partial ?? 0) + s.unitOnly;
      const pct = testable > 0 ? Math.round((100 * done) / testable) : 100;
      return v.map(([k, n]) => `<td${attr ? ` data-total="${k}"` : ''}>${n}</td>`).join('') +
        `<td><progress max="100" value="${pct}"></progress> ${pct}%</td>`;
    };
    const rows = matrix.sections.map((s) => {
      const f = fileOfSection.get(s.section);
      const name = f ? `<a href="${escapeHtml(rel(path, specPagePath(f)))}">${escapeHtml(s.section)}</a>` : escapeHtml(s.section);
      return `<tr><td>${name}</td><td>${escapeHtml(s.title)}</td>${cells(s, false)}</tr>`;
    });
    const head = '<tr><th>Section</th><th>Title</th><th>Requirements</th><th>proven-peer</th><th>proven-wire</th><th>partial</th><th>unit-only</th><th>open</th><th>informational</th><th>Progress (tested / testable)</th></tr>';
    const total = `<tr class="total" id="totals"><td colspan="2">Total</td>${cells(matrix.totals, true)}</tr>`;
    const cov = (matrix as Matrix & { coverage?: Record<string, number> }).coverage;
    const covLine = cov ? `<p>Line coverage of src/: ${escapeHtml(String(cov['lines'] ?? '?'))}%.</p>` : '';
    write(path, page(path, 'Conformance matrix', `<h1>Conformance matrix</h1><p>From <code>traceability/matrix.json</code>, generated ${escapeHtml(matrix.generatedAt)}.</p>${covLine}<table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody><tfoot>${total}</tfoot></table>`));
  }

  // Home page.
  {
    const path = 'index.html';
    const t = matrix.totals;
    const intro = [
      'refmysql is a literate, spec-traced reference implementation of the MySQL 8.0 server in TypeScript on Node.js 20.',
      'It speaks the real MySQL wire protocol, so ordinary clients work against it unchanged.',
      'Every requirement below is written in our own words in `spec/`, tagged with `@req` in the code that implements it,',
      'and proven by tests whose titles name it; this site joins the three.',
    ].join(' ');
    const cmds = readmeCommands(root);
    const chapters = infos.map((f) => {
      const c = counts(rowsByFile.get(f.file) ?? []);
      return `<tr><td><a href="${escapeHtml(specPagePath(f.file))}">${escapeHtml(f.section)}</a></td><td>${escapeHtml(f.title)}</td><td>${(rowsByFile.get(f.file) ?? []).length}</td><td>${STATUSES.map((s) => c[s] > 0 ? `${badge(s)} ${c[s]}` : '').join(' ')}</td></tr>`;
    });
    const body = [
      '<h1>refmysql — the literate spec</h1>',
      markdown(intro),
      '<h2>Launch and test</h2>',
      `<pre class="cmd">${escapeHtml(cmds)}</pre>`,
      `<p>${t.requirements} requirements: ${badge('proven-peer')} ${t.provenPeer} ${badge('proven-wire')} ${t.provenWire} ${badge('partial')} ${t.partial ?? 0} ${badge('unit-only')} ${t.unitOnly} ${badge('open')} ${t.open} ${badge('informational')} ${t.informational} — see the <a href="matrix.html">matrix</a>, the <a href="code/index.html">annotated sources</a> and the <a href="api/index.html">API reference</a>.</p>`,
      '<h2>Chapters</h2>',
      `<table class="chapters"><thead><tr><th>Section</th><th>Title</th><th>Reqs</th><th>Status</th></tr></thead><tbody>${chapters.join('')}</tbody></table>`,
    ].join('\n');
    write(path, page(path, 'Home', body));
  }

  writeFileSync(join(out, 'style.css'), readFileSync(join(root, 'site/style.css'), 'utf8'));
  if (!existsSync(join(out, 'api/index.html'))) {
    write('api/index.html', page('api/index.html', 'API reference', '<h1>API reference</h1><p>Not built: run <code>npm run site</code> (typedoc).</p>'));
  }
  return { pages: written.length, specPages: infos.length, sourcePages: sourceFiles.length, matrix };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = process.cwd();
  const r = buildSite({ root, out: join(root, 'site/out') });
  console.log(`site: ${r.pages} pages (${r.specPages} spec, ${r.sourcePages} source) in site/out/`);
}

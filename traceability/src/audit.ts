/**
 * The sampling audit: a reproducible random sample of proven requirements, each printed with its
 * statement, its clauses and the source text of every test that claims it, so that a reader can
 * judge by reading whether the tests prove the whole statement, and anyone can repeat the same
 * sample from the same seed.
 *
 * Reproducibility: the candidates are the rows whose status is proven-wire or proven-peer (after
 * the observed-evidence demotion), sorted by ID; a seeded PRNG (mulberry32 over the FNV-1a hash
 * of the seed text) draws N of them with a partial Fisher-Yates shuffle.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-018
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix, MatrixRow, MatrixTest } from './matrix.js';

/** 32-bit FNV-1a hash of a text (the seed may be any string). */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, well-mixed 32-bit PRNG; returns numbers in [0, 1). */
export function seededRandom(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The proven rows, in a stable order (by ID). @req TRACE-018 */
export function auditCandidates(m: Pick<Matrix, 'rows'>): MatrixRow[] {
  return m.rows.filter((r) => r.status === 'proven-wire' || r.status === 'proven-peer').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** N rows drawn without replacement with the seeded PRNG (all of them when N exceeds the count). @req TRACE-018 */
export function auditSample(m: Pick<Matrix, 'rows'>, n: number, seed: string): MatrixRow[] {
  const pool = auditCandidates(m);
  const rnd = seededRandom(seed);
  const take = Math.max(0, Math.min(n, pool.length));
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rnd() * (pool.length - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, take);
}

/** The text of the call starting at `start` (an `it(`/`test(` ...), up to its closing parenthesis. */
function callText(src: string, start: number): string {
  const open = src.indexOf('(', start);
  if (open < 0) return src.slice(start);
  let depth = 0;
  let i = open;
  // Template literals may nest `${ ... }` with code inside: keep a stack of what we are in.
  const stack: string[] = [];
  while (i < src.length) {
    const ch = src[i]!;
    const top = stack[stack.length - 1];
    if (top === "'" || top === '"') {
      if (ch === '\\') i++;
      else if (ch === top) stack.pop();
    } else if (top === '`') {
      if (ch === '\\') i++;
      else if (ch === '`') stack.pop();
      else if (ch === '$' && src[i + 1] === '{') { stack.push('{'); i++; }
    } else if (ch === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
      continue;
    } else if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    } else if (ch === "'" || ch === '"' || ch === '`') stack.push(ch);
    else if (ch === '{' && top === '{') stack.push('{');
    else if (ch === '}' && top === '{') stack.pop();
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return src.slice(start, i + 1);
    }
    i++;
  }
  return src.slice(start);
}

const CALL_START = /\b(?:it|test)(?:\.(?:each\([^)]*\)|only|skip|skipIf\([^)]*\)|runIf\([^)]*\)|concurrent|sequential|fails))*\s*\(/g;

/** Offset of the first character of line `line` (1-based). */
function lineOffset(src: string, line: number): number {
  let off = 0;
  for (let l = 1; l < line && off >= 0; l++) off = src.indexOf('\n', off) + 1;
  return Math.max(0, off);
}

/**
 * The source of the `it(...)` call that defines a test: at the line the report gives, else the
 * call whose title text (the part after `[IDs] {evidence}`) appears literally. Null when the
 * title is built at run time and the report has no line. @req TRACE-018
 */
export function extractTestSource(src: string, test: Pick<MatrixTest, 'title' | 'line'>): string | null {
  const calls = [...src.matchAll(CALL_START)].map((m) => m.index);
  if (test.line !== undefined) {
    const at = lineOffset(src, test.line);
    const next = src.indexOf('\n', at);
    const call = calls.find((c) => c >= at && c < (next < 0 ? src.length : next));
    if (call !== undefined) return callText(src, call);
  }
  const text = test.title.replace(/^\[[^\]]*\]\s*\{[a-z]+\}\s*/, '');
  if (text === '') return null;
  for (const q of ["'", '"', '`']) {
    const escaped = q === "'" ? text.replace(/'/g, "\\'") : q === '"' ? text.replace(/"/g, '\\"') : text;
    const at = src.indexOf(`${q}${escaped}${q}`);
    if (at < 0) continue;
    const call = calls.filter((c) => c <= at).pop();
    if (call !== undefined) return callText(src, call);
  }
  return null;
}

function readSource(root: string, file: string, cache: Map<string, string | null>): string | null {
  if (!cache.has(file)) {
    const path = join(root, file);
    cache.set(file, existsSync(path) ? readFileSync(path, 'utf8') : null);
  }
  return cache.get(file) ?? null;
}

/** The audit text: the sample's header, then each requirement with its tests' sources. @req TRACE-018 */
export function formatAudit(m: Pick<Matrix, 'rows'>, n: number, seed: string, root: string): string {
  const candidates = auditCandidates(m);
  const sample = auditSample(m, n, seed);
  const cache = new Map<string, string | null>();
  const out: string[] = [
    `# Sampling audit: ${sample.length} of ${candidates.length} proven requirements (proven-wire or proven-peer), seed ${JSON.stringify(seed)}`,
    '',
    `Repeat with: npm run conformance -- --no-run --audit ${n} --seed ${seed}`,
    'For each requirement: read the statement (and clauses), then every test that claims it, and judge whether',
    'the tests would fail if the behaviour were missing (wholly proven, partly proven, not proven).',
  ];
  sample.forEach((r, i) => {
    out.push('', `## ${i + 1}. ${r.id} (${r.status}) — ${r.specFile}:${r.specLine}`, '', `Statement: ${r.statement}`);
    for (const c of r.clauses ?? []) out.push(`  - #${c.key}: ${c.text} [${c.evidence ?? 'untested'}]`);
    for (const t of r.tests) {
      const claimed = t.claimed !== undefined && t.claimed !== t.evidence ? `claimed ${t.claimed ?? '?'}, ` : '';
      const seen = t.observed ? `; observed clients: ${t.observed.clients.join(', ') || 'none'}` : '';
      out.push('', `### ${t.file}: ${t.fullName}`, `(${t.status}, ${claimed}counts as ${t.evidence ?? '?'}${seen}${(t.clauses ?? []).length > 0 ? `; clauses ${t.clauses!.join(', ')}` : ''})`);
      const src = readSource(root, t.file, cache);
      const body = src === null ? null : extractTestSource(src, t);
      out.push('```ts', body ?? `(source not found in ${t.file}: the title is built at run time, or the test is defined in a helper module)`, '```');
    }
  });
  return out.join('\n') + '\n';
}

/**
 * The site's view of the last mutation run (`npm run mutation`): beside each requirement, its
 * mutation score and the surviving mutants at the lines its `@req` tags govern, read from
 * traceability/out/mutation.json. The file is optional: without it the pages show nothing about
 * mutants.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-032
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MutationSummary, RequirementResult } from '../../traceability/src/mutation.js';

/** Surviving mutants listed per requirement on its spec page; the rest are counted. */
export const SITE_SURVIVORS_SHOWN = 20;

/** traceability/out/mutation.json under root, or null when no mutation run wrote it. */
export function loadMutationSummary(root: string): MutationSummary | null {
  const p = join(root, 'traceability', 'out', 'mutation.json');
  if (!existsSync(p)) return null;
  const s = JSON.parse(readFileSync(p, 'utf8')) as MutationSummary;
  return Array.isArray(s.requirements) ? s : null;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The HTML block of one requirement's mutants ('' when the run mutated none of its code).
 * `link(file, line)` gives the href of a source line.
 * @req TRACE-032
 */
export function mutationBlock(r: RequirementResult | undefined, generatedAt: string, link: (file: string, line: number) => string): string {
  if (!r || r.counts.total === 0) return '';
  const c = r.counts;
  const score = c.score === null ? 'n/a' : `${c.score.toFixed(2)}%`;
  const out: string[] = [];
  out.push(`<h4>Mutants</h4><p class="meta">Mutation score ${esc(score)}: ${c.killed} killed, ${c.timeout} timed out, ${c.survived} survived, ${c.noCoverage} without coverage (run of ${esc(generatedAt)}; <code>npm run mutation</code>).</p>`);
  if (r.survivors.length > 0) {
    out.push('<ul class="tests mutants">');
    for (const u of r.survivors.slice(0, SITE_SURVIVORS_SHOWN)) {
      out.push(`<li><span class="result failed">survived</span> <code>${esc(u.mutator)}</code> <code>${esc(u.original)}</code> → <code>${esc(u.replacement)}</code> <a class="file" href="${esc(link(u.file, u.line))}">${esc(u.file)}:${u.line}</a></li>`);
    }
    out.push('</ul>');
    if (r.survivors.length > SITE_SURVIVORS_SHOWN) out.push(`<p class="none">${r.survivors.length - SITE_SURVIVORS_SHOWN} more in traceability/out/mutation.json.</p>`);
  }
  return out.join('\n');
}

/**
 * Finds `@req ID ...` and `@spec URL` tags in TypeScript sources, with file and line, so the matrix
 * and the site can link a requirement to the code that implements it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-005
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ID_LIKE, REQUIREMENT_ID, type Diagnostic, type SourceTag, type SpecHeader } from './model.js';

export interface SourceScan {
  tags: SourceTag[];
  specs: SpecHeader[];
  diagnostics: Diagnostic[];
}

/** Every *.ts file under dir (no declaration files), in a stable order. */
export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try { entries = readdirSync(dir).sort(); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...listTsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The IDs written after `@req` on one line: tokens are taken while they look like IDs. */
export function idsAfterReq(rest: string): { ids: string[]; malformed: string[] } {
  const ids: string[] = [];
  const malformed: string[] = [];
  for (const raw of rest.trim().split(/[\s,]+/)) {
    const token = raw.replace(/[.;:)*/]+$/, '');
    if (token === '') continue;
    if (REQUIREMENT_ID.test(token)) { ids.push(token); continue; }
    if (ID_LIKE.test(token)) { malformed.push(token); continue; }
    break;
  }
  return { ids, malformed };
}

/** Scans one file's text. @req TRACE-005 */
export function scanSourceText(text: string, file: string): SourceScan {
  const tags: SourceTag[] = [];
  const specs: SpecHeader[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/@req\b(.*)$/g)) {
      const { ids, malformed } = idsAfterReq(m[1] ?? '');
      for (const id of ids) tags.push({ id, file, line: i + 1 });
      for (const bad of malformed) {
        diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id after @req: ${bad}`, file, line: i + 1 });
      }
    }
    const spec = /@spec\s+(\S+)/.exec(line);
    if (spec) specs.push({ url: (spec[1] ?? '').replace(/\*\/$/, ''), file, line: i + 1 });
  });
  return { tags, specs, diagnostics };
}

/** Scans every TypeScript file under the given directories. */
export function scanSources(dirs: readonly string[], root: string = process.cwd()): SourceScan {
  const all: SourceScan = { tags: [], specs: [], diagnostics: [] };
  for (const dir of dirs) {
    for (const path of listTsFiles(dir)) {
      const rel = relative(root, path).split('\\').join('/');
      const one = scanSourceText(readFileSync(path, 'utf8'), rel);
      all.tags.push(...one.tags);
      all.specs.push(...one.specs);
      all.diagnostics.push(...one.diagnostics);
    }
  }
  return all;
}

/**
 * Seals spec entries: writes `Checksum:` lines for entries that lack one. An existing checksum that no
 * longer matches its statement is only replaced for IDs named with --force, so a changed statement
 * always goes through an explicit review.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-004 TRACE-012
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { statementChecksum } from './model.js';
import { listSpecFiles, parseSpecFile } from './spec-reader.js';

export interface SealResult { text: string; added: string[]; replaced: string[]; mismatched: string[] }

/** Seals one file's text (pure). @req TRACE-012 */
export function sealText(text: string, file: string, force: ReadonlySet<string>): SealResult {
  const { requirements } = parseSpecFile(text, file);
  const lines = text.split('\n');
  const added: string[] = [];
  const replaced: string[] = [];
  const mismatched: string[] = [];
  // Work bottom-up so earlier line numbers stay valid while lines are inserted.
  for (const req of [...requirements].reverse()) {
    if (req.statement === '') continue;
    const sum = statementChecksum(req.statement);
    // The entry spans from its heading to the next heading (or end of file).
    let end = lines.length;
    for (let i = req.line; i < lines.length; i++) {
      if (/^#{1,3}\s/.test(lines[i] ?? '')) { end = i; break; }
    }
    let checksumLine = -1;
    let lastField = req.line - 1;
    for (let i = req.line; i < end; i++) {
      const l = lines[i] ?? '';
      if (/^Checksum:/.test(l)) checksumLine = i;
      if (/^[A-Z][A-Za-z]*:/.test(l)) lastField = i;
      // A Clauses: list (and wrapped lines) belongs to the field above it: seal after it, not inside. @req TRACE-015
      else if (i === lastField + 1 && /^(-\s|\s+\S)/.test(l)) lastField = i;
    }
    if (checksumLine >= 0) {
      if (req.checksum === sum) continue;
      if (force.has(req.id)) { lines[checksumLine] = `Checksum: ${sum}`; replaced.push(req.id); }
      else mismatched.push(req.id);
      continue;
    }
    lines.splice(lastField + 1, 0, `Checksum: ${sum}`);
    added.push(req.id);
  }
  return { text: lines.join('\n'), added: added.reverse(), replaced: replaced.reverse(), mismatched: mismatched.reverse() };
}

/** Seals every spec file in place; returns what changed. */
export function sealSpecDir(specDir: string, force: ReadonlySet<string>, root: string = process.cwd()): Omit<SealResult, 'text'> {
  const total = { added: [] as string[], replaced: [] as string[], mismatched: [] as string[] };
  for (const path of listSpecFiles(specDir)) {
    const before = readFileSync(path, 'utf8');
    const r = sealText(before, relative(root, path), force);
    if (r.text !== before) writeFileSync(path, r.text);
    total.added.push(...r.added);
    total.replaced.push(...r.replaced);
    total.mismatched.push(...r.mismatched);
  }
  return total;
}

/**
 * Reads the requirement catalogue in spec/*.md: the front matter of each file and one entry per
 * `### ID` heading with its Statement/Tags/Manual/Checksum lines and its optional `Clauses:` list.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-001 TRACE-002 TRACE-003 TRACE-004 TRACE-015
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLAUSE_KEY, REQUIREMENT_ID, statementChecksum, type Clause, type Diagnostic, type Requirement, type SpecFileInfo } from './model.js';

export interface SpecCatalogue {
  files: SpecFileInfo[];
  requirements: Map<string, Requirement>;
  diagnostics: Diagnostic[];
}

const FIELD = /^([A-Z][A-Za-z]*):\s?(.*)$/;
/** `- key: text` under `Clauses:`. @req TRACE-015 */
const CLAUSE_ITEM = /^-\s+([^:\s]*)\s*:\s*(.*)$/;

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) {
    return t.slice(1, -1).replace(/\\"/g, '"');
  }
  return t;
}

/** Parses the small YAML subset the spec files use: scalars and the `decisions:` list. */
function parseFrontMatter(lines: string[], file: string, diags: Diagnostic[]): { info: SpecFileInfo; body: number } {
  const info: SpecFileInfo = { file, section: '', title: '', manual: '', decisions: [] };
  if (lines[0]?.trim() !== '---') {
    diags.push({ level: 'warning', code: 'front-matter', message: 'no front matter', file, line: 1 });
    return { info, body: 0 };
  }
  let i = 1;
  let listKey: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '---') return { info, body: i + 1 };
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey === 'decisions') {
      info.decisions.push(unquote(item[1] ?? ''));
      continue;
    }
    const kv = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1] ?? '';
    const value = unquote(kv[2] ?? '');
    listKey = value === '' ? key : null;
    if (key === 'section') info.section = value;
    else if (key === 'title') info.title = value;
    else if (key === 'manual') info.manual = value;
  }
  diags.push({ level: 'error', code: 'front-matter', message: 'front matter is not closed', file, line: 1 });
  return { info, body: lines.length };
}

/** Parses one spec file's text; `file` is the path shown in diagnostics. */
export function parseSpecFile(text: string, file: string): { info: SpecFileInfo; requirements: Requirement[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const { info, body } = parseFrontMatter(lines, file, diagnostics);
  const requirements: Requirement[] = [];
  let current: Requirement | null = null;
  let lastField: string | null = null;
  let fenced = false;
  let clauseHeading = 0;
  let clauseLines = 0;
  const finish = (): void => {
    if (current && current.statement.trim() === '') {
      diagnostics.push({ level: 'error', code: 'missing-statement', message: `${current.id} has no Statement`, file, line: current.line });
    }
    if (current && clauseHeading > 0 && clauseLines === 0) {
      diagnostics.push({ level: 'error', code: 'malformed-clause', message: `${current.id}: Clauses: lists no clause (- key: text)`, file, line: clauseHeading });
    }
    clauseHeading = 0;
    clauseLines = 0;
    if (current) current.statement = current.statement.trim();
    current = null;
  };
  for (let i = body; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // Headings inside fenced examples are not entries.
    if (/^\s*(```|~~~)/.test(line)) { fenced = !fenced; continue; }
    if (fenced) continue;
    const heading = /^###\s+(\S+)\s*$/.exec(line) ?? /^###\s+(.*)$/.exec(line);
    if (heading) {
      finish();
      const id = (heading[1] ?? '').trim();
      if (!REQUIREMENT_ID.test(id)) {
        diagnostics.push({ level: 'error', code: 'malformed-id', message: `malformed requirement id: ${JSON.stringify(id)}`, file, line: i + 1 });
      }
      current = {
        id, file, line: i + 1, section: info.section, sectionTitle: info.title,
        statement: '', tags: [], manual: '', checksum: null, clauses: [],
      };
      requirements.push(current);
      lastField = null;
      continue;
    }
    if (/^#{1,2}\s/.test(line)) { finish(); continue; }
    if (!current) continue;
    const req: Requirement = current;
    const field = FIELD.exec(line);
    if (field) {
      const key = field[1] ?? '';
      const value = (field[2] ?? '').trim();
      lastField = key;
      if (key === 'Statement') req.statement = value;
      else if (key === 'Tags') req.tags = value.split(/[,\s]+/).filter((t) => t !== '');
      else if (key === 'Manual') req.manual = value;
      else if (key === 'Checksum') req.checksum = value;
      else if (key === 'Clauses') {
        clauseHeading = i + 1;
        if (value !== '') {
          clauseLines++;
          diagnostics.push({ level: 'error', code: 'malformed-clause', message: `${req.id}: Clauses: takes no value; list clauses on the lines below as - key: text`, file, line: i + 1 });
        }
      }
      continue;
    }
    if (line.trim() === '') { lastField = null; continue; }
    // A wrapped Statement continues on the next non-empty line.
    if (lastField === 'Statement') { req.statement += ' ' + line.trim(); continue; }
    if (lastField === 'Clauses' || lastField === 'Clause') {
      const clauses = (req.clauses ??= []);
      const last: Clause | undefined = clauses[clauses.length - 1];
      if (/^\s{2,}\S/.test(line) && lastField === 'Clause' && last) { last.text += ' ' + line.trim(); continue; }
      clauseLines++;
      const item = CLAUSE_ITEM.exec(line);
      const key = item?.[1] ?? '';
      const text = (item?.[2] ?? '').trim();
      if (!item || !CLAUSE_KEY.test(key) || text === '') {
        diagnostics.push({ level: 'error', code: 'malformed-clause', message: `${req.id}: clause line must read "- key: text" with a key matching ${String(CLAUSE_KEY)}: ${JSON.stringify(line.trim())}`, file, line: i + 1 });
        continue;
      }
      if (clauses.some((c) => c.key === key)) {
        diagnostics.push({ level: 'error', code: 'duplicate-clause', message: `${req.id}: clause ${key} is listed twice`, file, line: i + 1 });
        continue;
      }
      clauses.push({ key, text, line: i + 1 });
      lastField = 'Clause';
    }
  }
  finish();
  return { info, requirements, diagnostics };
}

/** Checks sealed checksums of one requirement. @req TRACE-004 */
export function checksumDiagnostic(req: Requirement): Diagnostic | null {
  if (req.statement === '') return null;
  if (req.checksum === null) {
    return { level: 'warning', code: 'missing-checksum', message: `${req.id} is not sealed (run npm run spec:seal)`, file: req.file, line: req.line };
  }
  const actual = statementChecksum(req.statement);
  if (actual !== req.checksum) {
    return {
      level: 'error', code: 'checksum-mismatch',
      message: `${req.id}: statement changed since it was sealed (checksum ${req.checksum}, now ${actual}); review it, then npm run spec:seal -- --force ${req.id}`,
      file: req.file, line: req.line,
    };
  }
  return null;
}

/** Lists the catalogue files of a spec directory (README.md is documentation, not requirements). */
export function listSpecFiles(specDir: string): string[] {
  return readdirSync(specDir)
    .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
    .sort()
    .map((f) => join(specDir, f));
}

/** Reads every spec file; reports duplicate IDs across files. @req TRACE-001 TRACE-003 */
export function readSpec(specDir: string, root: string = process.cwd()): SpecCatalogue {
  const files: SpecFileInfo[] = [];
  const requirements = new Map<string, Requirement>();
  const diagnostics: Diagnostic[] = [];
  for (const path of listSpecFiles(specDir)) {
    const rel = relative(root, path).split('\\').join('/');
    const parsed = parseSpecFile(readFileSync(path, 'utf8'), rel);
    files.push(parsed.info);
    diagnostics.push(...parsed.diagnostics);
    for (const req of parsed.requirements) {
      const seen = requirements.get(req.id);
      if (seen) {
        diagnostics.push({
          level: 'error', code: 'duplicate-id',
          message: `${req.id} is defined twice (${seen.file}:${seen.line} and ${req.file}:${req.line})`,
          file: req.file, line: req.line,
        });
        continue;
      }
      requirements.set(req.id, req);
      const c = checksumDiagnostic(req);
      if (c) diagnostics.push(c);
    }
  }
  return { files, requirements, diagnostics };
}

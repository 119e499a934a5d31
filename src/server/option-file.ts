/**
 * Option files (my.cnf): `[group]` headers, `name`, `name = value` lines, `#` and `;` comments,
 * single- or double-quoted values with backslash escapes, and the `!include file` /
 * `!includedir dir` directives. Only the groups the caller asks for are returned.
 * Every problem is an {@link OptionFileError} naming the file and line.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/option-files.html
 * @req CORE-SRV-002
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { MAX_INCLUDE_DEPTH, MAX_OPTION_FILE_BYTES } from './limits.js';

/** A malformed option file (or one that cannot be read). */
export class OptionFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'OptionFileError';
  }
}

/** One `name[=value]` line of a wanted group. `value` is null for a bare name. */
export interface OptionFileEntry {
  group: string;
  name: string;
  value: string | null;
  file: string;
  line: number;
}

/** Undo the escapes MySQL allows in option values: \b \t \n \r \\ \s (space), \" and \'. */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 's':
        return ' ';
      case '\\':
        return '\\';
      default:
        return c;
    }
  });
}

/**
 * The value part of `name = value`: a quoted string (the quotes removed, text after the closing
 * quote may only be a comment), or bare text up to an unquoted ` #` comment, trimmed.
 */
function parseValue(raw: string, file: string, line: number): string {
  const text = raw.trim();
  const q = text[0];
  if (q === '"' || q === "'") {
    let i = 1;
    let out = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\' && i + 1 < text.length) {
        out += text.slice(i, i + 2);
        i += 2;
      } else {
        out += text[i];
        i++;
      }
    }
    if (i >= text.length) throw new OptionFileError(`Unterminated quoted value in config file ${file} at line ${line}.`, file, line);
    const rest = text.slice(i + 1).trim();
    if (rest !== '' && rest[0] !== '#' && rest[0] !== ';') {
      throw new OptionFileError(`Wrong option value after quoted string in config file ${file} at line ${line}.`, file, line);
    }
    return unescape(out);
  }
  // An unquoted value ends at a '#' comment.
  const hash = text.indexOf('#');
  const bare = (hash >= 0 ? text.slice(0, hash) : text).trim();
  return unescape(bare);
}

interface ParseState {
  groups: Set<string>;
  entries: OptionFileEntry[];
  files: string[];
}

function readText(file: string, fromFile: string, fromLine: number): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new OptionFileError(`Could not open required defaults file: ${file}`, fromFile, fromLine);
  }
  if (size > MAX_OPTION_FILE_BYTES) throw new OptionFileError(`Config file ${file} is too large.`, file, 0);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new OptionFileError(`Could not open required defaults file: ${file}`, fromFile, fromLine);
  }
}

/**
 * Parse option-file text. `file` is used for messages and to resolve relative includes.
 * Pure apart from reading included files.
 * @req CORE-SRV-002
 */
export function parseOptionText(text: string, file: string, wantedGroups: readonly string[], depth = 0, state?: ParseState): OptionFileEntry[] {
  const st: ParseState = state ?? { groups: new Set(wantedGroups.map((g) => g.toLowerCase())), entries: [], files: [] };
  st.files.push(file);
  let group: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line[0] === '#' || line[0] === ';') continue;
    if (line[0] === '!') {
      const m = /^!(includedir|include)\s+(.+)$/.exec(line);
      if (!m) throw new OptionFileError(`Wrong '!' directive in config file ${file} at line ${lineNo}.`, file, lineNo);
      if (depth >= MAX_INCLUDE_DEPTH) throw new OptionFileError(`Too many nested includes in config file ${file} at line ${lineNo}.`, file, lineNo);
      const target = m[2]!.trim();
      const path = isAbsolute(target) ? target : resolve(dirname(file), target);
      if (m[1] === 'include') {
        parseOptionText(readText(path, file, lineNo), path, wantedGroups, depth + 1, st);
      } else {
        let names: string[];
        try {
          names = readdirSync(path).filter((n) => n.endsWith('.cnf')).sort();
        } catch {
          throw new OptionFileError(`Could not open directory ${path} in config file ${file} at line ${lineNo}.`, file, lineNo);
        }
        for (const n of names) parseOptionText(readText(join(path, n), file, lineNo), join(path, n), wantedGroups, depth + 1, st);
      }
      continue;
    }
    if (line[0] === '[') {
      const m = /^\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(line);
      if (!m || m[1] === '') throw new OptionFileError(`Wrong group definition in config file ${file} at line ${lineNo}.`, file, lineNo);
      group = m[1]!.toLowerCase();
      continue;
    }
    if (group === null) {
      throw new OptionFileError(`Found option without preceding group in config file ${file} at line ${lineNo}.`, file, lineNo);
    }
    const eq = line.indexOf('=');
    const name = (eq >= 0 ? line.slice(0, eq) : line.replace(/\s+[#;].*$/, '')).trim();
    if (name === '' || /\s/.test(name)) {
      throw new OptionFileError(`Wrong option name in config file ${file} at line ${lineNo}.`, file, lineNo);
    }
    if (!st.groups.has(group)) continue;
    const value = eq >= 0 ? parseValue(line.slice(eq + 1), file, lineNo) : null;
    st.entries.push({ group, name: name.replace(/^--/, ''), value, file, line: lineNo });
  }
  return st.entries;
}

/** Read one option file (it must exist). */
export function readOptionFile(file: string, wantedGroups: readonly string[]): OptionFileEntry[] {
  return parseOptionText(readText(file, file, 0), file, wantedGroups);
}

/**
 * Cutting the client's input into statements, the way the `mysql` client does before it sends
 * anything: a statement ends at the current delimiter (`;` unless changed with `delimiter`), at
 * `\g` (normal output) or at `\G` (vertical output), but never inside a quoted string
 * ('...', "...", `...`, with backslash escapes in the first two) or a comment (`-- ` and `#` to
 * the end of the line, `/* ... *\/` across lines). Lines that hold only `quit`, `exit` or
 * `delimiter X` when no statement is pending are client commands, as are `\q` and `\c`.
 *
 * Input arrives in arbitrary chunks (stdin reads, REPL lines); the splitter keeps the partial
 * line and its quote/comment state between calls, so the result never depends on how the text
 * was cut. Comments are passed to the server inside the statement text (the server's parser
 * understands them, including `/*! ... *\/`); a statement of only comments and blanks is dropped.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-commands.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/comments.html
 * @req CLIENT-013 CLIENT-009 CLIENT-012
 */
import { MAX_STATEMENT_BYTES } from './limits.js';

export type SplitItem =
  /** A complete statement; `vertical` when it ended with \G; `line` is where it starts (1-based). */
  | { kind: 'statement'; sql: string; vertical: boolean; line: number; use?: string }
  /** quit / exit / \q. */
  | { kind: 'quit' }
  /** The pending statement was discarded with \c. */
  | { kind: 'clear' };

type Mode = 'normal' | 'squote' | 'dquote' | 'bquote' | 'block' | 'line';

const QUOTE_MODE: Record<string, Mode> = { "'": 'squote', '"': 'dquote', '`': 'bquote' };
const CLOSER: Partial<Record<Mode, string>> = { squote: "'", dquote: '"', bquote: '`' };

/** Raised when a statement grows beyond MAX_STATEMENT_BYTES. */
export class StatementTooLongError extends Error {
  constructor() {
    super('statement too long');
  }
}

/** Incremental statement splitter. @req CLIENT-013 */
export class StatementSplitter {
  private partial = '';
  private buf = '';
  private mode: Mode = 'normal';
  private lineNo = 0;
  private startLine = 0;
  private stopped = false;
  delimiter = ';';

  /** Whether a statement is under way (the REPL shows the continuation prompt then). */
  get pending(): boolean {
    return this.buf.trim() !== '' || this.mode !== 'normal';
  }

  /** The quote or comment the input is inside (for the REPL's `'>` style prompts). */
  get state(): Mode {
    return this.mode;
  }

  /** Forget the pending statement and any open quote or comment (Ctrl-C at the prompt). */
  clear(): void {
    this.buf = '';
    this.partial = '';
    this.mode = 'normal';
    this.startLine = 0;
  }

  /** Feed a chunk of input; returns what became complete. */
  feed(chunk: string): SplitItem[] {
    const out: SplitItem[] = [];
    if (this.stopped) return out;
    this.partial += chunk;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      const line = this.partial.slice(0, nl);
      this.partial = this.partial.slice(nl + 1);
      this.line(line, true, out);
      if (this.stopped) break;
    }
    return out;
  }

  /** End of input: the last line and any unterminated statement are processed. */
  end(): SplitItem[] {
    const out: SplitItem[] = [];
    if (this.stopped) return out;
    if (this.partial !== '') {
      const last = this.partial;
      this.partial = '';
      this.line(last, false, out);
    }
    if (!this.stopped) this.emit(false, out);
    this.mode = 'normal';
    return out;
  }

  private emit(vertical: boolean, out: SplitItem[]): void {
    const sql = this.buf.trim();
    const line = this.startLine;
    this.buf = '';
    this.startLine = 0;
    if (sql === '' || onlyComments(sql)) return;
    out.push({ kind: 'statement', sql, vertical, line });
  }

  private append(text: string): void {
    if (this.startLine === 0 && text.trim() !== '') this.startLine = this.lineNo;
    this.buf += text;
    if (this.buf.length > MAX_STATEMENT_BYTES) {
      this.buf = '';
      throw new StatementTooLongError();
    }
  }

  /** One input line (without its newline). */
  private line(raw: string, hadNewline: boolean, out: SplitItem[]): void {
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.mode === 'normal' && this.buf.trim() === '') {
      const cmd = clientCommand(text);
      if (cmd?.kind === 'quit') {
        this.stopped = true;
        out.push({ kind: 'quit' });
        return;
      }
      if (cmd?.kind === 'use') {
        this.buf = '';
        this.startLine = 0;
        out.push({ kind: 'statement', sql: `USE ${cmd.db}`, vertical: false, line: this.lineNo, use: cmd.db });
        return;
      }
      if (cmd?.kind === 'delimiter') {
        this.buf = '';
        this.startLine = 0;
        this.delimiter = cmd.value;
        return;
      }
    }
    let i = 0;
    let segStart = 0;
    const d = this.delimiter;
    while (i < text.length) {
      const c = text[i]!;
      switch (this.mode) {
        case 'normal': {
          if (c === '\\' && i + 1 < text.length) {
            const n = text[i + 1]!;
            if (n === 'g' || n === 'G' || n === 'c' || n === 'q') {
              this.append(text.slice(segStart, i));
              i += 2;
              segStart = i;
              if (n === 'q') {
                this.stopped = true;
                out.push({ kind: 'quit' });
                return;
              }
              if (n === 'c') {
                this.buf = '';
                this.startLine = 0;
                out.push({ kind: 'clear' });
              } else this.emit(n === 'G', out);
              continue;
            }
          }
          if (text.startsWith(d, i)) {
            this.append(text.slice(segStart, i));
            i += d.length;
            segStart = i;
            this.emit(false, out);
            continue;
          }
          if (QUOTE_MODE[c]) this.mode = QUOTE_MODE[c]!;
          else if (c === '#') this.mode = 'line';
          else if (c === '-' && text[i + 1] === '-' && (i + 2 >= text.length || /\s/.test(text[i + 2]!))) this.mode = 'line';
          else if (c === '/' && text[i + 1] === '*') {
            this.mode = 'block';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        case 'squote':
        case 'dquote':
        case 'bquote':
          if (c === '\\' && this.mode !== 'bquote') {
            i += 2;
            break;
          }
          if (c === CLOSER[this.mode]) this.mode = 'normal';
          i++;
          break;
        case 'block':
          if (c === '*' && text[i + 1] === '/') {
            this.mode = 'normal';
            i += 2;
            break;
          }
          i++;
          break;
        case 'line':
          i = text.length;
          break;
      }
    }
    if (this.mode === 'line') this.mode = 'normal';
    this.append(text.slice(segStart) + (hadNewline ? '\n' : ''));
  }
}

/** `quit`, `exit` (optionally with the delimiter) or `delimiter X` on a line of its own. */
function clientCommand(line: string): { kind: 'quit' } | { kind: 'delimiter'; value: string } | { kind: 'use'; db: string } | null {
  const t = line.trim();
  if (/^(quit|exit)\s*;?$/i.test(t)) return { kind: 'quit' };
  // `use db` needs no terminator: the client runs it as soon as the line ends.
  const u = /^use\s+(`[^`]+`|[^\s;`'"]+)\s*;?$/i.exec(t);
  if (u) return { kind: 'use', db: u[1]! };
  const m = /^delimiter\s+(\S+)/i.exec(t);
  if (m && !m[1]!.includes('\\')) return { kind: 'delimiter', value: m[1]! };
  return null;
}

/** Whether a statement consists only of comments and whitespace (nothing to send). */
function onlyComments(sql: string): boolean {
  let s = sql;
  for (let guard = 0; guard <= sql.length; guard++) {
    s = s.trimStart();
    if (s === '') return true;
    if (s.startsWith('#') || (s.startsWith('--') && (s.length === 2 || /\s/.test(s[2]!)))) {
      const nl = s.indexOf('\n');
      s = nl < 0 ? '' : s.slice(nl + 1);
    } else if (s.startsWith('/*') && !s.startsWith('/*!') && !s.startsWith('/*+')) {
      const end = s.indexOf('*/', 2);
      if (end < 0) return true;
      s = s.slice(end + 2);
    } else return false;
  }
  return false;
}

/** Split a whole text at once (for -e). @req CLIENT-013 */
export function splitStatements(text: string): SplitItem[] {
  const s = new StatementSplitter();
  return [...s.feed(text), ...s.end()];
}

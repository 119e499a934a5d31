/**
 * Executing statements and printing what they return, with mysql's rules for what appears in
 * batch and interactive mode:
 *
 * - batch mode (stdin or stdout not a terminal, -B, or -e): results only, no summary lines;
 *   errors as `ERROR <n> (<state>) at line <l>: <message>`; the first error stops the run
 *   unless --force;
 * - interactive mode: after each result a summary (`3 rows in set (0.00 sec)`, `Empty set`,
 *   `Query OK, 1 row affected`), the server's info text if any, and a blank line; errors as
 *   `ERROR <n> (<state>): <message>` and the loop goes on.
 *
 * The layout of a result set: vertical for -E or \G, tab-separated when silent (batch mode is
 * silent unless -t), otherwise the bordered table. An empty result set prints no rows at all.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-batch-commands.html
 * @req CLIENT-007 CLIENT-008 CLIENT-009 CLIENT-010 CLIENT-011 CLIENT-012
 */
import type { Writable } from 'node:stream';
import type { ClientConnection, StatementResult } from './connection.js';
import type { ClientError } from './errors.js';
import { formatTable, formatTabs, formatVertical, niceTime, summaryLine } from './format.js';

export interface OutputMode {
  /** mysql's status.batch. */
  batch: boolean;
  /** mysql's opt_silent level. */
  silent: number;
  table: boolean;
  vertical: boolean;
  columnNames: boolean;
  force: boolean;
}

export interface Sink {
  out: Writable;
  err: Writable;
}

/** Format an error line the way put_error does in the current mode. @req CLIENT-010 */
export function errorLine(e: ClientError, mode: { batch: boolean }, line?: number): string {
  if (mode.batch) return `ERROR ${e.errno} (${e.sqlState})${line ? ` at line ${line}` : ''}: ${e.message}\n`;
  return `ERROR ${e.errno} (${e.sqlState}): ${e.message}\n`;
}

/** Runs statements on one connection and prints their results. */
export class StatementRunner {
  constructor(
    private readonly conn: ClientConnection,
    private readonly mode: OutputMode,
    private readonly sink: Sink,
  ) {}

  /** Execute one statement; resolves false when it failed (the caller decides whether to stop). */
  /** Whether a statement is executing now (Ctrl-C then kills it instead of clearing input). */
  busy = false;

  async run(sql: string, vertical: boolean, line: number, use?: string): Promise<boolean> {
    const started = process.hrtime.bigint();
    this.busy = true;
    let outcome;
    try {
      outcome = await this.conn.query(sql);
    } finally {
      this.busy = false;
    }
    const elapsed = niceTime(Number(process.hrtime.bigint() - started) / 1e9);
    if (use !== undefined && !outcome.error) {
      // mysql's `use` is a client command: it reports the change instead of a Query OK.
      if (!this.mode.batch && this.mode.silent === 0) this.sink.out.write('Database changed\n');
      return true;
    }
    for (const r of outcome.results) this.print(r, vertical, this.mode.silent === 0 ? elapsed : null);
    if (outcome.error) {
      this.sink.err.write(errorLine(outcome.error, this.mode, line));
      return false;
    }
    return true;
  }

  private print(r: StatementResult, vertical: boolean, elapsed: string | null): void {
    const m = this.mode;
    const { out } = this.sink;
    let summary: string;
    let info = '';
    if (r.kind === 'rows') {
      if (r.rows.length > 0) {
        const rs = { columns: r.columns, rows: r.rows };
        if (vertical || m.vertical) out.write(formatVertical(rs, m.columnNames));
        else if (m.silent > 0 && !m.table) out.write(formatTabs(rs, m.columnNames && m.silent < 2));
        else out.write(formatTable(rs, m.columnNames));
      }
      summary = summaryLine({ kind: 'rows', rowCount: r.rows.length, warnings: r.warnings }, elapsed);
    } else {
      summary = summaryLine({ kind: 'ok', affected: r.ok.affectedRows, warnings: r.ok.warnings }, elapsed);
      info = r.ok.info;
    }
    // Summaries are information, not results: batch mode and -s leave them out.
    if (m.batch || m.silent > 0) return;
    out.write(summary + '\n');
    if (info) out.write(info + '\n');
    out.write('\n');
  }
}

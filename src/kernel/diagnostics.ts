/**
 * The diagnostics area: the warnings, notes and error of the current (or last) statement, which
 * SHOW WARNINGS / SHOW ERRORS print and @@warning_count / @@error_count count.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/diagnostics-area.html
 * @req CORE-EXEC-003 CORE-EXEC-065
 */
import type { Diagnostic } from './errors.js';

export class DiagnosticsArea {
  readonly list: Diagnostic[] = [];
  /** Total count including those beyond max_error_count (for @@warning_count). */
  total = 0;
  limit = 1024;
  /** sql_notes = 0: notes are neither recorded nor counted. @req CORE-EXEC-065 */
  suppressNotes = false;

  clear(): void {
    this.list.length = 0;
    this.total = 0;
  }
  push(d: Diagnostic): void {
    if (d.level === 'Note' && this.suppressNotes) return;
    this.total++;
    if (this.list.length < this.limit) this.list.push(d);
  }
  warningCount(): number {
    return this.total;
  }
  errorCount(): number {
    let n = 0;
    for (const d of this.list) if (d.level === 'Error') n++;
    return n;
  }
}

/**
 * events_statements_summary_by_digest: per (default schema, digest), the count, time, errors,
 * warnings and rows of the statements seen, when the digest was first and last seen, and a
 * sample statement. A statement of a known digest only updates numbers in its row; a new row is
 * made per new digest, up to performance_schema_digests_size, after which statements are counted
 * in the row whose SCHEMA_NAME and DIGEST are NULL, as MySQL does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-statement-summary-tables.html
 * @req CORE-PFS-024 CORE-PFS-025 CORE-PFS-026
 */
import type { StatementDigest } from '../../sql/digest.js';
import { DIGEST_SAMPLE_AGE_MS } from './limits.js';


/** One row of the summary. */
export class DigestStat {
  count = 0;
  sumMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;
  errors = 0;
  warnings = 0;
  rowsAffected = 0;
  rowsSent = 0;
  rowsExamined = 0;
  firstSeen = 0;
  lastSeen = 0;
  sampleText: string | null = null;
  sampleSeen = 0;
  sampleMs = 0;
  constructor(
    readonly schema: string | null,
    readonly digest: StatementDigest | null,
  ) {}
}

/** What one ended statement adds to its row (a statement event has these fields; no object is
 *  made per statement to pass them). */
export interface StatementFigures {
  readonly schema: string | null;
  readonly digest: StatementDigest | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly errors: number;
  readonly warnings: number;
  readonly rowsAffected: number;
  readonly rowsSent: number;
  readonly rowsExamined: number;
  readonly sqlText: string | null;
}

export class DigestSummary {
  /** schema ('' for none) -> digest hash -> row: two lookups, no key built per statement. */
  private readonly bySchema = new Map<string, Map<string, DigestStat>>();
  /** Rows in the order they were made (the table's order). */
  private rows: DigestStat[] = [];
  /** Statements of digests beyond the table's size. */
  private overflow: DigestStat | null = null;

  constructor(private readonly capacity: number) {}

  /** Count one statement. @req CORE-PFS-024 CORE-PFS-026 */
  add(f: StatementFigures, now: number): void {
    const digest = f.digest;
    if (digest === null) return;
    const schema = f.schema;
    const waitMs = f.endMs - f.startMs;
    const key = schema ?? '';
    let m = this.bySchema.get(key);
    let stat = m?.get(digest.hash);
    if (stat === undefined) {
      if (this.rows.length >= this.capacity) {
        stat = this.overflow ??= new DigestStat(null, null);
      } else {
        stat = new DigestStat(schema, digest);
        if (m === undefined) {
          m = new Map();
          this.bySchema.set(key, m);
        }
        m.set(digest.hash, stat);
        this.rows.push(stat);
      }
    }
    if (stat.count === 0) stat.firstSeen = now;
    stat.count++;
    stat.lastSeen = now;
    stat.sumMs += waitMs;
    if (waitMs < stat.minMs) stat.minMs = waitMs;
    if (waitMs > stat.maxMs) stat.maxMs = waitMs;
    stat.errors += f.errors;
    stat.warnings += f.warnings;
    stat.rowsAffected += f.rowsAffected;
    stat.rowsSent += f.rowsSent;
    stat.rowsExamined += f.rowsExamined;
    // The sample is the slowest statement, renewed once it is older than the sample age.
    if (stat.sampleText === null || waitMs > stat.sampleMs || now - stat.sampleSeen > DIGEST_SAMPLE_AGE_MS) {
      stat.sampleText = f.sqlText;
      stat.sampleSeen = now;
      stat.sampleMs = waitMs;
    }
  }

  /** The rows, the overflow row last. */
  list(): DigestStat[] {
    return this.overflow ? [...this.rows, this.overflow] : this.rows.slice();
  }

  /** TRUNCATE TABLE events_statements_summary_by_digest. @req CORE-PFS-025 */
  reset(): void {
    this.bySchema.clear();
    this.rows = [];
    this.overflow = null;
  }
}

/**
 * Shared shapes of the traceability tool: requirements read from spec/, tags found in code and
 * tests, and the diagnostics every stage reports.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-001 TRACE-002
 */
import { createHash } from 'node:crypto';

/** The project-wide requirement ID shape (same as test/helpers/req.ts). @req TRACE-002 */
export const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3,4}[a-z]?$/;

/** A token that is meant to be an ID (upper case with a dash) even if it is malformed. */
export const ID_LIKE = /^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9.]+)+$/;

export type Evidence = 'unit' | 'wire' | 'peer';
export type TestStatus = 'passed' | 'failed' | 'skipped';
export type RequirementStatus = 'proven-wire' | 'proven-peer' | 'unit-only' | 'open' | 'informational';

export interface Diagnostic {
  level: 'error' | 'warning';
  code:
    | 'duplicate-id'
    | 'malformed-id'
    | 'missing-statement'
    | 'checksum-mismatch'
    | 'missing-checksum'
    | 'unknown-id'
    | 'front-matter'
    | 'bad-title';
  message: string;
  file?: string;
  line?: number;
}

export interface SpecFileInfo {
  file: string;
  section: string;
  title: string;
  manual: string;
  decisions: string[];
}

export interface Requirement {
  id: string;
  file: string;
  line: number;
  section: string;
  sectionTitle: string;
  statement: string;
  tags: string[];
  manual: string;
  /** The sealed checksum, if the entry has one. */
  checksum: string | null;
}

export interface SourceTag {
  id: string;
  file: string;
  line: number;
}

export interface SpecHeader {
  url: string;
  file: string;
  line: number;
}

export interface TestCase {
  ids: string[];
  evidence: Evidence | null;
  title: string;
  fullName: string;
  file: string;
  status: TestStatus;
}

/** First 16 hex digits of sha256 over the trimmed statement. @req TRACE-004 */
export function statementChecksum(statement: string): string {
  return createHash('sha256').update(statement.trim(), 'utf8').digest('hex').slice(0, 16);
}

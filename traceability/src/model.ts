/**
 * Shared shapes of the traceability tool: requirements read from spec/, tags found in code and
 * tests, and the diagnostics every stage reports.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/
 * @req TRACE-001 TRACE-002 TRACE-013 TRACE-015 TRACE-016
 */
import { createHash } from 'node:crypto';

/** The project-wide requirement ID shape (same as test/helpers/req.ts). @req TRACE-002 */
export const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3,4}[a-z]?$/;

/** A token that is meant to be an ID (upper case with a dash) even if it is malformed. */
export const ID_LIKE = /^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9.]+)+$/;

/** A clause key: short, lower case, stable (`e1113`, `drop-user`). @req TRACE-015 */
export const CLAUSE_KEY = /^[a-z0-9-]+$/;

/** What a test title names: a requirement, or one clause of it (`ID#key`). */
export interface TestTarget { id: string; clause: string | null }

/**
 * Splits a title token `ID` or `ID#key`; null when the ID or the key is malformed (an empty key,
 * upper case, a second `#` ...). @req TRACE-016
 */
export function parseTarget(token: string): TestTarget | null {
  const hash = token.indexOf('#');
  const id = hash < 0 ? token : token.slice(0, hash);
  if (!REQUIREMENT_ID.test(id)) return null;
  if (hash < 0) return { id, clause: null };
  const clause = token.slice(hash + 1);
  return CLAUSE_KEY.test(clause) ? { id, clause } : null;
}

export type Evidence = 'unit' | 'wire' | 'peer';
export type TestStatus = 'passed' | 'failed' | 'skipped';
/** Ordered: open < unit-only < partial < proven-wire < proven-peer; informational is apart. @req TRACE-017 */
export type RequirementStatus = 'proven-wire' | 'proven-peer' | 'partial' | 'unit-only' | 'open' | 'informational';

/** Rank of an evidence class (0 = none). */
export function evidenceRank(e: Evidence | null): number {
  return e === 'peer' ? 3 : e === 'wire' ? 2 : e === 'unit' ? 1 : 0;
}

/**
 * What the wire observer saw a test do (test/helpers/observe.ts writes it into vitest's task
 * meta under {@link OBSERVATION_META_KEY}). @req TRACE-013
 */
export interface WireObservation {
  /** Clients that exchanged packets with a server the test process started (or with a peer server). */
  clients: string[];
  servers: string[];
  /** Real peer programs involved (a peer server, or a peer client program such as the mariadb CLI). */
  peers: string[];
  events: number;
}

export const OBSERVATION_META_KEY = 'refmysqlWire';

/**
 * The evidence a test really gives: its claim, capped by what was observed. A {wire} test without
 * client traffic is unit evidence; a {peer} test without a peer program is wire evidence when a
 * client talked to a server, unit otherwise. A test run without any observation (an old report)
 * keeps its claim: `observed` is undefined then, and null means "observed: nothing". @req TRACE-014
 */
export function observedEvidence(claimed: Evidence | null, observed: WireObservation | null | undefined): Evidence | null {
  if (claimed === null || claimed === 'unit' || observed === undefined) return claimed;
  const traffic = observed !== null && observed.events > 0 && observed.clients.length > 0;
  const peer = traffic && observed.peers.length > 0;
  if (claimed === 'peer' && peer) return 'peer';
  return traffic ? 'wire' : 'unit';
}

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
    | 'bad-title'
    | 'malformed-clause'
    | 'duplicate-clause'
    | 'unknown-clause';
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

/** One observable behaviour of a requirement's statement (spec `Clauses:` list). @req TRACE-015 */
export interface Clause { key: string; text: string; line: number }

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
  /** The statement's clauses (empty: the statement is proven as a whole). */
  clauses?: Clause[];
}

export interface SourceTag {
  id: string;
  file: string;
  line: number;
  /** For `req('ID#key', ...)` in a test file: the clause key. */
  clause?: string;
}

export interface SpecHeader {
  url: string;
  file: string;
  line: number;
}

export interface TestCase {
  ids: string[];
  /** The evidence the test counts as: its claim capped by what was observed (see {@link observedEvidence}). */
  evidence: Evidence | null;
  title: string;
  fullName: string;
  file: string;
  status: TestStatus;
  /** Clauses named (`ID#key`); a bare ID in `ids` with no entry here names the whole requirement. */
  targets?: TestTarget[];
  /** The evidence class written in the title. */
  claimed?: Evidence | null;
  /** What the wire observer saw; undefined when the run was not observed, null when this test has no record. */
  observed?: WireObservation | null;
  /** Line of the test in its file, when the report carries it. */
  line?: number;
}

/** First 16 hex digits of sha256 over the trimmed statement. @req TRACE-004 */
export function statementChecksum(statement: string): string {
  return createHash('sha256').update(statement.trim(), 'utf8').digest('hex').slice(0, 16);
}

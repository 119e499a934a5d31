/**
 * Requirement tagging for tests. A test proves the requirement IDs in its title; the
 * traceability scanner reads titles of the form `[ID ID#clause ...] {evidence} text`.
 *
 * Evidence classes: `unit` (calls functions), `wire` (a real client over a socket),
 * `peer` (compared with a real peer such as MariaDB or its client programs). The class is a
 * claim: the conformance matrix counts what the wire observer saw the test do
 * (test/helpers/observe.ts), so a `wire` test that opens no connection counts as unit.
 *
 * `ID#key` names one clause of a requirement whose spec entry lists `Clauses:` (spec/README.md).
 *
 * Usage: `it(req(['CORE-PROTO-003'], 'wire', 'greets with handshake v10'), async () => { ... })`,
 * `it(req(['CORE-DDL-002#e1113', 'CORE-DDL-002#e1063'], 'wire', '...'), ...)`.
 *
 * @req TRACE-016
 */
export type Evidence = 'unit' | 'wire' | 'peer';

const ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3,4}[a-z]?$/;
const CLAUSE = /^[a-z0-9-]+$/;

/** Throws unless `token` is `ID` or `ID#key` with a well-formed key. */
function checkToken(token: string): void {
  const hash = token.indexOf('#');
  const id = hash < 0 ? token : token.slice(0, hash);
  if (!ID.test(id)) throw new Error(`malformed requirement id: ${token}`);
  if (hash >= 0 && !CLAUSE.test(token.slice(hash + 1))) {
    throw new Error(`malformed clause in ${token}: write ID#key with a key of lower-case letters, digits and dashes`);
  }
}

const EVIDENCE: readonly string[] = ['unit', 'wire', 'peer'];

export function req(ids: string | readonly string[], evidence: Evidence, title: string): string {
  const list = typeof ids === 'string' ? [ids] : [...ids];
  if (list.length === 0) throw new Error('req() needs at least one requirement id');
  for (const id of list) checkToken(id);
  if (!EVIDENCE.includes(evidence)) throw new Error(`unknown evidence class: ${String(evidence)}`);
  return `[${list.join(' ')}] {${evidence}} ${title}`;
}

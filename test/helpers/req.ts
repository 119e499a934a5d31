/**
 * Requirement tagging for tests. A test proves the requirement IDs in its title; the
 * traceability scanner reads titles of the form `[ID ID ...] {evidence} text`.
 *
 * Evidence classes: `unit` (calls functions), `wire` (a real client over a socket),
 * `peer` (compared with a real peer such as MariaDB or memcached tools).
 *
 * Usage: `it(req(['CORE-PROTO-003'], 'wire', 'greets with handshake v10'), async () => { ... })`
 */
export type Evidence = 'unit' | 'wire' | 'peer';

const ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3,4}[a-z]?$/;

export function req(ids: string | readonly string[], evidence: Evidence, title: string): string {
  const list = typeof ids === 'string' ? [ids] : [...ids];
  for (const id of list) {
    if (!ID.test(id)) throw new Error(`malformed requirement id: ${id}`);
  }
  return `[${list.join(' ')}] {${evidence}} ${title}`;
}

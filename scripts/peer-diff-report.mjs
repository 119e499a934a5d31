#!/usr/bin/env node
/**
 * peer-diff-report.mjs — turn the differential test's difference list into a short Markdown
 * report: unlisted differences first (what refmysqld still has to fix, or what needs triage),
 * then the allowlisted MySQL-vs-MariaDB ones that did show up.
 *
 *   npx vitest run test/peers/differential.test.ts   # writes $TMPDIR/refmysql-peer-diff.json
 *   node scripts/peer-diff-report.mjs [diff.json] [known-differences.json]
 *
 * @req CORE-PEER-009
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const diffPath = process.argv[2] ?? process.env.PEER_DIFF_OUT ?? join(tmpdir(), 'refmysql-peer-diff.json');
const knownPath = process.argv[3] ?? join(repo, 'test', 'peers', 'known-differences.json');

const diffs = JSON.parse(readFileSync(diffPath, 'utf8'));
const known = new Map(JSON.parse(readFileSync(knownPath, 'utf8')).map((k) => [k.statementId, k.reason]));
const oneLine = (s, n) => {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

const unlisted = diffs.filter((d) => !known.has(d.id));
const listed = diffs.filter((d) => known.has(d.id));
console.log(`# Differential corpus: MariaDB peer vs server under test\n`);
console.log(`${diffs.length} differences: ${unlisted.length} unlisted, ${listed.length} allowlisted.\n`);
console.log(`## Unlisted (left = MariaDB, right = server under test)\n`);
for (const d of unlisted) console.log(`- \`${d.id}\` \`${oneLine(d.sql, 90)}\` — ${oneLine(d.detail, 220)}`);
console.log(`\n## Allowlisted and observed\n`);
for (const d of listed) console.log(`- \`${d.id}\` — ${oneLine(known.get(d.id), 160)}`);

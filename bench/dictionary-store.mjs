#!/usr/bin/env node
/**
 * Dictionary persistence cost per DDL: the journal store (one append + fdatasync per change set,
 * checkpoint when the journal has grown as large as the dictionary) against rewriting the whole
 * dictionary file on every change (what refmysql did before: JSON of everything, temporary
 * file, fsync, rename, fsync of the directory).
 *
 * Usage: `npx tsc -p tsconfig.json && node bench/dictionary-store.mjs [--tables 100,1000,5000] [--commits 200]`
 * Prints, per dictionary size, the mean time of one committed change (creating one table) and
 * the bytes written per change, for both. Nothing asserts on time; figures depend on the disk.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { JsonDictionaryStore } = await import(join(root, 'dist/src/catalog/json-dictionary-store.js'));
const { change } = await import(join(root, 'dist/src/catalog/dictionary-store.js'));
const { writeFileAtomic } = await import(join(root, 'dist/src/util/atomic-file.js'));
const { tableToJson } = await import(join(root, 'dist/src/catalog/serialize.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('tables', '100,1000,5000').split(',').map(Number);
const commits = Number(arg('commits', '200'));

/** A table definition of typical size: 6 columns, a primary key, a secondary key. */
function table(id) {
  const col = (name, type) => ({ name, type, nullable: true, autoIncrement: false, comment: '', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
  return {
    id, schema: 'bench', name: `t${id}`, engine: 'MEMORY',
    columns: [col('id', { name: 'INT' }), col('k', { name: 'INT' }), col('c', { name: 'CHAR', length: 120 }), col('pad', { name: 'CHAR', length: 60 }), col('note', { name: 'VARCHAR', length: 255 }), col('ts', { name: 'DATETIME' })],
    indexes: [
      { name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'HASH', parts: [{ column: 0 }], comment: '', visible: true },
      { name: 'k', kind: 'INDEX', algorithm: 'HASH', parts: [{ column: 1 }], comment: '', visible: true },
    ],
    charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci', comment: '', options: {}, autoIncrementStart: 1n, temporary: false, createTime: 1,
  };
}

async function journal(n) {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-'));
  const store = new JsonDictionaryStore(dir);
  await store.load();
  await store.commit([change.putSchema({ name: 'bench', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' }), ...Array.from({ length: n }, (_, i) => change.putTable(table(i + 1)))], n + 1);
  await store.checkpoint();
  const bytes0 = statSync(join(dir, 'refmysql-dictionary.json')).size;
  let written = 0;
  let last = store.journalBytes;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < commits; i++) {
    await store.commit([change.putTable(table(n + 1 + i))], n + 2 + i);
    const now = store.journalBytes;
    written += now >= last ? now - last : now + statSync(join(dir, 'refmysql-dictionary.json')).size;
    last = now;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / commits;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, bytes: written / commits, dictionary: bytes0 };
}

async function rewrite(n) {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-'));
  const path = join(dir, 'refmysql-dictionary.json');
  const tables = Array.from({ length: n }, (_, i) => table(i + 1));
  let written = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < commits; i++) {
    tables.push(table(n + 1 + i));
    const text = JSON.stringify({ version: 1, nextTableId: n + 2 + i, schemas: [], tables: tables.map(tableToJson), plugins: [], views: [] }, null, 1);
    await writeFileAtomic(path, text);
    written += Buffer.byteLength(text);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / commits;
  rmSync(dir, { recursive: true, force: true });
  return { ms, bytes: written / commits };
}

console.log(`${commits} committed changes (one CREATE TABLE each) per run\n`);
console.log('| tables | dictionary KiB | rewrite ms/DDL | journal ms/DDL | rewrite KiB/DDL | journal KiB/DDL (incl. checkpoints) |');
console.log('|---|---|---|---|---|---|');
for (const n of sizes) {
  const j = await journal(n);
  const r = await rewrite(n);
  console.log(`| ${n} | ${(j.dictionary / 1024).toFixed(0)} | ${r.ms.toFixed(2)} | ${j.ms.toFixed(2)} | ${(r.bytes / 1024).toFixed(1)} | ${(j.bytes / 1024).toFixed(1)} |`);
}

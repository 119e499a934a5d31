#!/usr/bin/env node
/**
 * Regenerates src/kernel/charset/sbcs-data.ts and mb-data.ts from a running server that shares
 * MySQL 8.0's conversion and weight tables (a MariaDB 10.11 peer: `bash
 * /work/shared/peers/peer-mariadb.sh start DIR PORT`). Needs `npx tsc -p tsconfig.json` first
 * (it compares with the platform-codec path of dist/src/kernel/charset/codecs.js).
 *
 * Usage: node scripts/charset-tables.mjs PORT [PASSWORD]
 *
 * Single-byte charsets: CONVERT(byte USING utf32) and WEIGHT_STRING(byte COLLATE c) for every
 * byte value. Multi-byte charsets: CONVERT(cp USING cs) for every BMP code point, keeping only
 * the code points (and byte sequences) where the server differs from the platform's WHATWG codecs (TextDecoder).
 */
import fs from 'node:fs';
import mysql from 'mysql2/promise';
import { platformDecodeRaw, platformEncodeChar } from '../dist/src/kernel/charset/codecs.js';

const port = Number(process.argv[2]);
if (!port) throw new Error('usage: node scripts/charset-tables.mjs PORT [PASSWORD]');
const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: process.argv[3] ?? 'root', database: 'mysql' });
const SB = ['armscii8', 'ascii', 'cp1250', 'cp1251', 'cp1256', 'cp1257', 'cp850', 'cp852', 'cp866', 'dec8', 'geostd8', 'greek', 'hebrew', 'hp8', 'keybcs2', 'koi8r', 'koi8u', 'latin1', 'latin2', 'latin5', 'latin7', 'macce', 'macroman', 'swe7', 'tis620'];
const MB = ['sjis', 'cp932', 'ujis', 'eucjpms', 'euckr', 'gbk', 'gb2312', 'big5'];
const byteSql = "unhex(lpad(hex(seq),2,'0'))";

// ---- single-byte tables
const decodeTables = {};
const weights = {};
for (const cs of SB) {
  const [rows] = await c.query(`select hex(convert(convert(${byteSql} using ${cs}) using utf32)) u from seq_0_to_255 order by seq`);
  decodeTables[cs] = rows.map((r) => parseInt(r.u, 16));
  const [cols] = await c.query(`show collation where charset = '${cs}' and collation not like '%nopad%' and collation not like '%\\_bin'`);
  for (const co of cols) {
    if (co.Collation.endsWith('czech_cs')) continue; // multi-level: not a per-byte table
    const [w] = await c.query(`select hex(weight_string(convert(${byteSql} using ${cs}) collate ${co.Collation})) w from seq_0_to_255 order by seq`);
    weights[co.Collation] = w.map((r) => r.w);
  }
}
const esc = (cps) => cps.map((x) => (x >= 0x20 && x < 0x7f && x !== 0x27 && x !== 0x5c ? String.fromCharCode(x) : '\\u' + x.toString(16).padStart(4, '0'))).join('');
let o = `/**
 * Byte tables of MySQL's single-byte character sets and of their one-weight-per-byte collations.
 *
 * Generated data, not code: each decode table gives, for bytes 0..255, the Unicode code point the
 * server converts that byte to (0x3F '?' where the charset has no character), and each weight
 * table gives the collation weight of every byte (two hex digits, four where the collation
 * expands one character into two weights, as latin1_german2_ci does for ä, ö, ü, ß). The values
 * were observed from a running server's CONVERT(... USING utf32) and WEIGHT_STRING() output,
 * which MySQL 8.0 and MariaDB 10.11 share for these charsets (see spec/core-charsets.md).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-charsets.html
 * @req CORE-CS-010 CORE-CS-020
 */

/** Code point of every byte, as a 256-character string. @req CORE-CS-010 */
export const SBCS_DECODE: Readonly<Record<string, string>> = {
`;
for (const [k, v] of Object.entries(decodeTables)) o += `  ${k}: '${esc(v)}',\n`;
o += `};

/** Weight of every byte: 256 hex pairs (or a list when some bytes expand). @req CORE-CS-020 */
export const SBCS_WEIGHTS: Readonly<Record<string, string | readonly string[]>> = {
`;
for (const [k, v] of Object.entries(weights)) {
  if (v.every((w) => w.length === 2)) o += `  ${k}: '${v.join('')}',\n`;
  else o += `  ${k}: [${v.map((w) => `'${w}'`).join(', ')}],\n`;
}
o += '};\n';
fs.writeFileSync(new URL('../src/kernel/charset/sbcs-data.ts', import.meta.url), o);

// ---- multi-byte overrides
await c.query('CREATE DATABASE IF NOT EXISTS charset_tables');
await c.query('DROP TABLE IF EXISTS charset_tables.ch');
await c.query('CREATE TABLE charset_tables.ch (cp INT PRIMARY KEY, c VARCHAR(2) CHARACTER SET utf8mb4)');
const cps = [];
for (let cp = 0x80; cp < 0x10000; cp++) if (cp < 0xd800 || cp >= 0xe000) cps.push(cp);
for (let i = 0; i < cps.length; i += 4000) {
  await c.query('INSERT INTO charset_tables.ch VALUES ' + cps.slice(i, i + 4000).map((cp) => `(${cp}, _utf32 x'${cp.toString(16).padStart(8, '0')}')`).join(','));
}
/** Runs `start[+count]:value` (hex) where key and value both step by one (3F stays 3F). */
function runs(entries) {
  const e = entries.map(([k, v]) => [parseInt(k, 16), parseInt(v, 16), v.length]).sort((a, b) => a[0] - b[0]);
  const out = [];
  for (let i = 0; i < e.length; ) {
    let j = i;
    const q = e[i][1] === 0x3f;
    while (j + 1 < e.length && e[j + 1][0] === e[j][0] + 1 && (q ? e[j + 1][1] === 0x3f : e[j + 1][1] === e[j][1] + 1 && e[j + 1][2] === e[j][2])) j++;
    const n = j - i + 1;
    out.push(`${e[i][0].toString(16)}${n > 1 ? '+' + n.toString(16) : ''}:${e[i][1].toString(16).toUpperCase().padStart(e[i][2], '0')}`);
    i = j + 1;
  }
  return out.join(',');
}
let m = `/**
 * Where MySQL's east-asian multi-byte charsets map differently from the WHATWG codecs.
 *
 * Generated data: for each charset, the Unicode code points whose MySQL encoding differs from
 * the WHATWG codec's (\`enc\`: code point -> bytes, 3F where MySQL has no character) and the byte
 * sequences whose MySQL decoding differs (\`dec\`: bytes -> code point). Entries are runs
 * \`start[+count]:value\` in hex, where both sides step by one (a 3F value stays 3F). Observed
 * from a running server's CONVERT() over the whole BMP; MySQL 8.0 and MariaDB 10.11 share these
 * conversion tables (see spec/core-charsets.md).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-asian-sets.html
 * @req CORE-CS-011 CORE-CS-012
 */

export const MB_OVERRIDES: Readonly<Record<string, { enc: string; dec: string }>> = {
`;
for (const cs of MB) {
  const [rows] = await c.query(`SELECT cp, hex(convert(c using ${cs})) h FROM charset_tables.ch ORDER BY cp`);
  const enc = {};
  const dec = {};
  for (const r of rows) {
    const ch = String.fromCodePoint(r.cp);
    if (platformEncodeChar(ch, cs).toString('hex').toUpperCase() !== r.h) enc[r.cp.toString(16)] = r.h;
    if (r.h !== '3F' && platformDecodeRaw(Buffer.from(r.h, 'hex'), cs) !== ch) dec[r.h] = r.cp.toString(16);
  }
  m += `  ${cs}: {\n    enc: '${runs(Object.entries(enc))}',\n    dec: '${runs(Object.entries(dec))}',\n  },\n`;
}
m += '};\n';
fs.writeFileSync(new URL('../src/kernel/charset/mb-data.ts', import.meta.url), m);
await c.query('DROP DATABASE charset_tables');
await c.end();
console.log('wrote sbcs-data.ts and mb-data.ts');

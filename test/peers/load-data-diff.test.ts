/**
 * LOAD DATA and SELECT ... INTO OUTFILE compared with MariaDB 10.11 on the same files: a throwaway
 * MariaDB (no file restriction) and refmysqld started with --secure-file-priv='' read the same
 * files and must give the same rows, the same info string and the same warning codes, and write
 * the same OUTFILE bytes. MySQL 8.0 and MariaDB share this format, so differences here are ours.
 * Fixed cases, then fast-check file contents (fixed seed).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startMariaDb, type MariaDbPeer } from '../helpers/mariadb.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let maria: MariaDbPeer;
let ref: TestServer;
let left: mysql.Connection;
let right: mysql.Connection;
let work: string;
let seq = 0;

type Rows = mysql.RowDataPacket[];

interface Outcome {
  error?: number;
  info?: string;
  warnings?: number[];
  rows?: unknown[];
}

const TABLE = 'CREATE TABLE t (a INT, b VARCHAR(12), c VARBINARY(12), d DECIMAL(6,2), e DATE) ENGINE=InnoDB';

async function outcome(conn: mysql.Connection, sql: string): Promise<Outcome> {
  await conn.query('DELETE FROM t');
  const out: Outcome = {};
  try {
    const [r] = await conn.query<mysql.ResultSetHeader>(sql);
    out.info = r.info;
  } catch (e) {
    out.error = (e as { errno: number }).errno;
  }
  const [w] = await conn.query<Rows>('SHOW WARNINGS');
  out.warnings = w.map((x) => Number(x['Code']));
  // Sorted here: the two servers' default collations order punctuation differently.
  const [rows] = await conn.query<Rows>("SELECT a, b, HEX(c) AS c, d, DATE_FORMAT(e, '%Y-%m-%d') AS e FROM t");
  out.rows = rows.map((x) => JSON.stringify({ ...x })).sort();
  return out;
}

/** Write a file both servers can read and run the statement (with `$F` for its path) on both. */
async function both(content: string | Buffer, statement: string): Promise<[Outcome, Outcome]> {
  const f = join(work, `in-${++seq}.txt`);
  writeFileSync(f, content);
  chmodSync(f, 0o644);
  const sql = statement.replace('$F', f);
  return [await outcome(left, sql), await outcome(right, sql)];
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'refmysql-load-diff-'));
  chmodSync(work, 0o777);
  maria = await startMariaDb();
  ref = await startTestServer({ options: { 'secure-file-priv': '' } });
  left = await maria.connect({ multipleStatements: true });
  right = await ref.connect({ multipleStatements: true });
  for (const c of [left, right]) {
    await c.query(`DROP DATABASE IF EXISTS lddiff; CREATE DATABASE lddiff; USE lddiff; ${TABLE}`);
  }
}, 120_000);

afterAll(async () => {
  await left?.end();
  await right?.end();
  await maria?.stop();
  await ref?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const CASES: [string, string | Buffer, string][] = [
  ['defaults, escapes, \\N', '1\ta\\tb\t\\0\\Z\\N\t1.5\t2024-02-29\n2\t\\N\t\\N\t\\N\t\\N\n', "LOAD DATA INFILE '$F' INTO TABLE t"],
  ['CSV, doubled quotes, CRLF, header', 'h\r\n1,"x,""y""","q",2.25,"2020-01-01"\r\n2,NULL,"NULL",,\\N\r\n', "LOAD DATA INFILE '$F' INTO TABLE t FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\r\\n' IGNORE 1 LINES"],
  ['STARTING BY', 'junk>1\tp\nnone\n>2\tq\n', "LOAD DATA INFILE '$F' INTO TABLE t LINES STARTING BY '>' (a, b)"],
  ['too few and too many fields', '1\n2\tx\tyy\t3\t2021-05-05\textra\n\n', "LOAD DATA INFILE '$F' INTO TABLE t"],
  // Conversion only where both agree (DECIMAL overflow and invalid dates warn differently in the
  // shared value-store code; see the report of issue 11).
  ['bad values', 'abc\tlonger than twelve\tz\t12.345\t2021-01-01\n', "LOAD DATA INFILE '$F' INTO TABLE t"],
  ['variables and SET', '1\t2\tn\n3\t\\N\tm\n', "LOAD DATA INFILE '$F' INTO TABLE t (@x, @y, b) SET a = @x * 10, d = IFNULL(@y, -1)"],
  ['escape = enclosure', '1,"a""b",c\n', "LOAD DATA INFILE '$F' INTO TABLE t FIELDS TERMINATED BY ',' ENCLOSED BY '\"' ESCAPED BY '\"' (a, b, c)"],
  ['unterminated enclosure and stray escape', '1\t"abc\n2\tx\\', "LOAD DATA INFILE '$F' INTO TABLE t FIELDS ENCLOSED BY '\"' (a, b)"],
];

describe('LOAD DATA: refmysqld vs MariaDB on the same files', () => {
  it(req(['CORE-LOAD-002#defaults', 'CORE-LOAD-002#options', 'CORE-LOAD-002#starting-by', 'CORE-LOAD-004#escapes', 'CORE-LOAD-006#few', 'CORE-LOAD-006#many', 'CORE-LOAD-007#variables', 'CORE-LOAD-005#warn'], 'peer', 'fixed cases give the same rows, info and warning codes'), async () => {
    await left.query("SET sql_mode = ''");
    await right.query("SET sql_mode = ''");
    for (const [name, content, sql] of CASES) {
      const [m, r] = await both(content, sql);
      expect(r, name).toEqual(m);
    }
  });

  it(req(['CORE-LOAD-026'], 'peer', 'random file contents give the same outcome on both'), async () => {
    await left.query("SET sql_mode = ''");
    await right.query("SET sql_mode = ''");
    const opts = ['', "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'", "FIELDS ENCLOSED BY '\\'' ESCAPED BY '#' LINES STARTING BY 'x' TERMINATED BY ';'"];
    const bytes = fc.array(fc.constantFrom('1', '2', 'a', 'x', 'N', 'NULL', '\t', '\n', '\r', ',', ';', '"', "'", '\\', '#', ' ', '-', '.', 'é'), { maxLength: 40 }).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom(...opts), async (content, o) => {
        const [m, r] = await both(content, `LOAD DATA INFILE '$F' INTO TABLE t ${o} (b, a, c)`);
        expect(r).toEqual(m);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('INTO OUTFILE: refmysqld vs MariaDB', () => {
  it(req(['CORE-LOAD-021#format', 'CORE-LOAD-021#enclosed'], 'peer', 'the same rows give the same file bytes'), async () => {
    const insert = "INSERT INTO t VALUES (1, 'a\\tb\\nc', X'00FF5C22', 1.5, '2024-01-02'), (2, NULL, '', NULL, NULL), (3, 'q\"\\\\,x', 'N', -2.25, '1999-12-31')";
    const options = ['', "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\r\\n'", "FIELDS ENCLOSED BY '\\'' ESCAPED BY '' LINES STARTING BY '>'", "FIELDS TERMINATED BY '|' ESCAPED BY '#'"];
    for (const o of options) {
      const files: Buffer[] = [];
      for (const c of [left, right]) {
        await c.query('DELETE FROM t');
        await c.query(insert);
        const f = join(work, `out-${++seq}.txt`);
        await c.query(`SELECT * FROM t ORDER BY a INTO OUTFILE '${f}' ${o}`);
        files.push(readFileSync(f));
      }
      expect(files[1]!.toString('latin1'), o).toBe(files[0]!.toString('latin1'));
    }
  });
});

/**
 * Near-valid SQL for grammar tests: valid statements (over the tables `NEAR_VALID_SETUP`
 * creates) and a fast-check generator that damages one of them a little (a token dropped,
 * repeated or swapped with its neighbour, a keyword moved elsewhere). Such statements sit right at
 * the edge of the grammar, where a hand-written parser is most likely to accept what MySQL's
 * grammar rejects (or the reverse).
 *
 * @req CORE-GRAM-006
 */
import fc from 'fast-check';

/** Tables the seeds read (created on a peer before statements are compared). */
export const NEAR_VALID_SETUP: readonly string[] = [
  'CREATE TABLE t1 (a INT PRIMARY KEY, b VARCHAR(10), c INT)',
  'CREATE TABLE t2 (a INT, d DATE)',
];

/** Valid MySQL 8.0 statements that MariaDB 10.11 also accepts. */
export const NEAR_VALID_SEEDS: readonly string[] = [
  'SELECT a, b FROM t1 WHERE a > 1 ORDER BY b DESC LIMIT 2',
  'SELECT DISTINCT b AS x FROM t1 GROUP BY b HAVING COUNT(*) > 1',
  'SELECT t1.a, t2.d FROM t1 LEFT JOIN t2 ON t1.a = t2.a WHERE t2.d IS NULL',
  'SELECT a FROM t1 UNION ALL SELECT a FROM t2 ORDER BY a LIMIT 3',
  '(SELECT a FROM t1 LIMIT 2) UNION (SELECT a FROM t2 ORDER BY a DESC LIMIT 1) ORDER BY a',
  'SELECT (SELECT MAX(a) FROM t2) AS m, EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a) FROM t1',
  'SELECT a FROM t1 WHERE a IN (SELECT a FROM t2) AND b LIKE \'x%\'',
  'SELECT CASE WHEN a > 1 THEN \'big\' ELSE \'small\' END AS k FROM t1',
  'SELECT CAST(a AS CHAR(10)), CONVERT(b USING utf8mb4) FROM t1',
  'SELECT COUNT(*), SUM(c) FROM t1 WHERE c BETWEEN 1 AND 10',
  'SELECT a, ROW_NUMBER() OVER (PARTITION BY b ORDER BY a) AS r FROM t1',
  'WITH x AS (SELECT a FROM t1) SELECT a FROM x WHERE a <> 2',
  'SELECT * FROM t1 AS p JOIN t2 AS q USING (a) FOR UPDATE',
  'SELECT DATE_ADD(d, INTERVAL 1 DAY) FROM t2',
  'SELECT a FROM t1 WHERE b IS NOT NULL AND NOT (a = 1 OR c < 0)',
  'INSERT INTO t1 (a, b, c) VALUES (10, \'x\', 1), (11, \'y\', 2)',
  'INSERT INTO t1 (a, b) VALUES (12, \'z\') ON DUPLICATE KEY UPDATE b = \'w\'',
  'INSERT INTO t2 (a, d) SELECT a, NULL FROM t1 WHERE a > 5',
  'REPLACE INTO t1 SET a = 13, b = \'r\'',
  'UPDATE t1 SET b = \'u\', c = c + 1 WHERE a = 1 ORDER BY a LIMIT 1',
  'DELETE FROM t1 WHERE a = 99 ORDER BY a LIMIT 1',
  'CREATE TABLE t3 (id INT NOT NULL AUTO_INCREMENT, v VARCHAR(20) DEFAULT \'x\', PRIMARY KEY (id), KEY k (v)) ENGINE=InnoDB',
  'CREATE TABLE t4 (a CHAR(8) BINARY, b TEXT, c DECIMAL(10,2) UNSIGNED) ROW_FORMAT=DYNAMIC',
  'CREATE INDEX ix ON t1 (b, c)',
  'ALTER TABLE t1 ADD COLUMN e INT AFTER b, DROP COLUMN c',
  'ALTER TABLE t1 MODIFY b VARCHAR(20) NOT NULL, ORDER BY a',
  'ALTER TABLE t1 RENAME TO t9',
  'DROP TABLE IF EXISTS t3, t4',
  'SET SESSION sql_mode = \'\'',
  'SET @v = 1, @w := 2',
  'SET @@session.autocommit = 1',
  'SHOW COLUMNS FROM t1 LIKE \'a%\'',
  'SHOW CREATE TABLE t1',
  'TRUNCATE TABLE t2',
  'CREATE VIEW v1 AS SELECT a FROM t1 WHERE a > 1',
  'START TRANSACTION',
  'LOCK TABLES t1 READ, t2 WRITE',
  'GRANT SELECT ON test.* TO \'u\'@\'localhost\'',
  'CREATE USER \'u2\'@\'%\' IDENTIFIED BY \'pw\'',
  'DO 1 + 2',
];

/** A token with the whitespace written before it in the seed. */
export interface NearToken {
  ws: string;
  text: string;
  /** Position in the seed. */
  i: number;
}

/** Split a statement into tokens (words, quoted strings, numbers, operators), keeping spacing. */
export function tokensOf(sql: string): NearToken[] {
  const out: NearToken[] = [];
  const re = /(\s*)('(?:[^'\\]|\\.)*'|`[^`]*`|[A-Za-z_@][A-Za-z0-9_@.$]*|\d+(?:\.\d+)?|:=|<>|<=|>=|!=|\S)/g;
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) out.push({ ws: m[1]!, text: m[2]!, i: out.length });
  return out;
}

const WORDISH = /[A-Za-z0-9_'`@$]/;

/** Tokens written back into text: each keeps its own leading spacing, and a space is added
 *  where two words would otherwise run together. */
export function joinTokens(tokens: readonly NearToken[]): string {
  let s = '';
  let prev = -2;
  for (const t of tokens) {
    let ws = s === '' ? '' : t.ws;
    const neighbours = t.i === prev + 1;
    if (ws === '' && s !== '' && !neighbours && WORDISH.test(s[s.length - 1]!) && WORDISH.test(t.text[0]!)) ws = ' ';
    s += ws + t.text;
    prev = t.i;
  }
  return s;
}

/** One small damage to a token list. */
export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'repeat'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'move'; from: number; to: number };

/** Apply a mutation (positions are taken modulo the length, so any integers work). */
export function mutate(tokens: readonly NearToken[], m: Mutation): NearToken[] {
  const out = [...tokens];
  const n = out.length;
  if (n === 0) return out;
  switch (m.kind) {
    case 'drop':
      out.splice(m.at % n, 1);
      break;
    case 'repeat':
      out.splice(m.at % n, 0, out[m.at % n]!);
      break;
    case 'swap': {
      const i = m.at % n;
      const j = (i + 1) % n;
      [out[i], out[j]] = [out[j]!, out[i]!];
      break;
    }
    case 'move': {
      const [t] = out.splice(m.from % n, 1);
      out.splice(m.to % out.length, 0, t!);
      break;
    }
  }
  return out;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(200) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(200) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(200) }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(200), to: fc.nat(200) }),
);

/** A seed statement with one or two mutations applied, as text. */
export const nearValidArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...NEAR_VALID_SEEDS), fc.array(mutationArb, { minLength: 1, maxLength: 2 }))
  .map(([seed, ms]) => joinTokens(ms.reduce<NearToken[]>((toks, m) => mutate(toks, m), tokensOf(seed))));

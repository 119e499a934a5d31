/**
 * Small pieces of the Standard Monitor's text: section headers, per-second rates, aligned
 * labels, the hash-table sizing rule of the adaptive hash index, and the thread handles the
 * report prints.
 *
 * Section headers. MySQL 8.0 frames each title with a rule of dashes exactly as long as the
 * title, with one exception it has carried for years: INDIVIDUAL BUFFER POOL INFO reuses the
 * 22-dash rule of BUFFER POOL AND MEMORY. The report reproduces real 8.0 byte for byte, so
 * {@link sectionHeader} takes the rule width when it differs (the seed's sample rules were
 * shortened in conversion and are not a reference).
 *
 * Thread handles. refmysqld has no OS thread per connection; the report still prints an "OS
 * thread handle" and a "Main thread ID" where InnoDB prints pthread ids. They are synthetic
 * numbers in the range Linux pthread handles take, stable per connection, so tools that parse
 * them keep working; nothing else depends on them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-002 INNODB-MON-011 INNODB-MON-017
 */

/** First synthetic thread handle; connection n prints THREAD_HANDLE_BASE + n * THREAD_HANDLE_STEP. */
export const THREAD_HANDLE_BASE = 139_900_000_000_000; // INNODB-MON-015
export const THREAD_HANDLE_STEP = 65_536;

/** The title line framed by dashes: `---`/`LOG`/`---`; `rule` overrides the dash count. @req INNODB-MON-002 */
export function sectionHeader(title: string, rule = title.length): string {
  const dashes = '-'.repeat(rule);
  return `${dashes}\n${title}\n${dashes}\n`;
}

/** A per-second rate with two decimals, as every "/s" figure of the report. @req INNODB-MON-017 */
export function rate(delta: number, seconds: number): string {
  const v = seconds > 0 ? delta / seconds : 0;
  return (Number.isFinite(v) ? v : 0).toFixed(2);
}

/** `label` padded with spaces to `width` columns (the LOG and buffer pool tables). */
export function padLabel(label: string, width: number): string {
  return label.length >= width ? label : label + ' '.repeat(width - label.length);
}

/** Integer share of `total` that falls to part `i` of `parts` (the first `total % parts` parts get one more). */
export function shareOf(total: number, parts: number, i: number): number {
  if (parts <= 1) return total;
  const base = Math.floor(total / parts);
  return base + (i < total % parts ? 1 : 0);
}

/** The synthetic OS thread handle of a connection (0: InnoDB's main thread). */
export function threadHandle(connectionId: number): number {
  return THREAD_HANDLE_BASE + connectionId * THREAD_HANDLE_STEP;
}

/** Multipliers InnoDB uses to move a hash-table size away from powers of two before it looks for a prime. */
const PRIME_NUDGE_NEAR_LOWER = 1.0412321;
const PRIME_NUDGE_NEAR_UPPER = 1.1131347;
const PRIME_NUDGE_FINAL = 1.0132677;

/**
 * The number of cells InnoDB gives a hash table asked to hold about `n` entries: `n` is moved
 * away from the neighbouring powers of two, scaled a little, and the next prime at or above it
 * is taken. This is how the adaptive hash index partitions get their "Hash table size" (34679
 * per partition for the default 128 MiB pool and 8 partitions). @req INNODB-MON-011
 */
export function hashTableCells(n: number): number {
  let m = Math.floor(n) + 100;
  let low = 1;
  while (low * 2 < m) low *= 2;
  if (m < 1.05 * low) m = Math.floor(m * PRIME_NUDGE_NEAR_LOWER);
  const high = low * 2;
  if (m > 0.95 * high) m = Math.floor(m * PRIME_NUDGE_NEAR_UPPER);
  if (m > high - 20) m += 30;
  m = Math.floor(m * PRIME_NUDGE_FINAL);
  while (!isPrime(m)) m++;
  return m;
}

function isPrime(m: number): boolean {
  if (m < 2) return false;
  for (let d = 2; d * d <= m; d++) if (m % d === 0) return false;
  return true;
}

/** Bytes per pointer and entries per pointer-sized slot InnoDB assumes when sizing the AHI from the pool. */
const AHI_BYTES_PER_POINTER = 8;
const AHI_POOL_FRACTION = 64;

/** "Hash table size" of each AHI partition for a pool of `poolBytes` split into `parts`. @req INNODB-MON-011 */
export function ahiPartitionCells(poolBytes: number, parts: number): number {
  const wanted = Math.floor(poolBytes / AHI_BYTES_PER_POINTER / AHI_POOL_FRACTION);
  return hashTableCells(Math.floor(wanted / Math.max(1, parts)));
}

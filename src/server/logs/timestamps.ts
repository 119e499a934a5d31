/**
 * Timestamps of the query log files: ISO 8601 with microseconds, in UTC with a `Z` suffix or
 * in the system time zone with its offset (log_timestamps = UTC | SYSTEM), as MySQL 8.0 writes
 * them in the general and slow logs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_log_timestamps
 * @req CORE-LOG-006
 */

/** Wall-clock time now in microseconds since the epoch (sub-millisecond from the monotonic clock). */
export function nowMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** `2026-12-07T12:00:00.123456Z` (UTC) or `2026-12-07T13:00:00.123456+01:00` (system). @req CORE-LOG-006 */
export function iso8601(us: bigint, system: boolean): string {
  const ms = Number(us / 1000n);
  const micro = String(Number(us % 1_000_000n)).padStart(6, '0');
  const d = new Date(ms);
  if (!system) {
    return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${micro}Z`;
  }
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return (
    `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${micro}` +
    `${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`
  );
}

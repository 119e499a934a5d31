/**
 * The interval of an EVERY schedule: reading it from the value and unit a user wrote, printing
 * it back the way SHOW CREATE EVENT and information_schema.EVENTS do, and stepping a time by it.
 *
 * MySQL keeps one number per event, the interval counted in the unit's smallest part (months for
 * YEAR_MONTH, minutes for DAY_MINUTE, ...), so `EVERY '2:15' YEAR_MONTH` is kept as 39 months and
 * printed as '3-3'. A compound value's numbers are read right-aligned: '35:56' DAY_MINUTE is 35
 * hours and 56 minutes. Simple units keep the user's count (2 WEEK stays 2 WEEK).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-event.html (15.1.13)
 * @req CORE-EVT-004
 */
import { sqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { Decimal } from '../../kernel/value.js';
import { EVENT_INTERVAL_MAX } from './limits.js';

/** Each compound unit: its parts, largest first, and the factor of each part to the smallest. */
const COMPOUND: Readonly<Record<string, readonly number[]>> = {
  YEAR_MONTH: [12, 1],
  DAY_HOUR: [24, 1],
  DAY_MINUTE: [1440, 60, 1],
  DAY_SECOND: [86400, 3600, 60, 1],
  HOUR_MINUTE: [60, 1],
  HOUR_SECOND: [3600, 60, 1],
  MINUTE_SECOND: [60, 1],
};

/** Seconds of one unit of a fixed-length unit (and of a compound unit's smallest part). */
const SECONDS: Readonly<Record<string, number>> = {
  SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86400, WEEK: 7 * 86400,
  DAY_HOUR: 3600, DAY_MINUTE: 60, DAY_SECOND: 1, HOUR_MINUTE: 60, HOUR_SECOND: 1, MINUTE_SECOND: 1,
};

/** Months of one unit of a calendar unit. */
const MONTHS: Readonly<Record<string, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12, YEAR_MONTH: 1 };

export function isCompoundUnit(unit: string): boolean {
  return unit in COMPOUND;
}

function valueText(v: Value): string {
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A simple unit's count: the value rounded to an integer, as MySQL reads it. */
function simpleCount(v: Value): number | null {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v);
  if (v instanceof Decimal) return Math.round(Number(v.toString()));
  const t = valueText(v).trim();
  const m = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?/.exec(t);
  return m ? Math.round(Number(m[0])) : null;
}

/**
 * The interval of `EVERY value unit`, in the unit's smallest part (simple units: the count).
 * MICROSECOND units are 1235; a value that is not a number is 1525; zero, negative or more
 * than EVENT_INTERVAL_MAX is 1542.
 * @req CORE-EVT-004
 */
export function readInterval(value: Value, unit: string): number {
  if (unit.includes('MICROSECOND')) throw sqlError('ER_NOT_SUPPORTED_YET', 'MICROSECOND');
  if (value === null) throw sqlError('ER_WRONG_VALUE', 'INTERVAL', 'NULL');
  let total: number;
  const parts = COMPOUND[unit];
  if (parts) {
    const text = valueText(value).trim();
    const negative = text.startsWith('-');
    const nums = (text.match(/\d+/g) ?? []).map(Number);
    if (nums.length === 0 || nums.length > parts.length) throw sqlError('ER_WRONG_VALUE', 'INTERVAL', text);
    // Right-aligned: the last number is the smallest part.
    const offset = parts.length - nums.length;
    total = nums.reduce((acc, n, k) => acc + n * (parts[offset + k] as number), 0);
    if (negative) total = -total;
  } else {
    const n = simpleCount(value);
    if (n === null) throw sqlError('ER_WRONG_VALUE', 'INTERVAL', valueText(value));
    total = n;
  }
  // What the limit counts: a week is 7 days and a quarter 3 months in MySQL's check.
  const checked = unit === 'WEEK' ? total * 7 : unit === 'QUARTER' ? total * 3 : total;
  if (total <= 0 || checked > EVENT_INTERVAL_MAX) throw sqlError('ER_EVENT_INTERVAL_NOT_POSITIVE_OR_TOO_BIG');
  return total;
}

/**
 * The interval as SHOW CREATE EVENT prints it after EVERY: a simple unit's count bare, a
 * compound unit's value quoted in the unit's own layout ('3-3', '1 11:56', '16:0:25').
 */
export function intervalSql(total: number, unit: string): string {
  return isCompoundUnit(unit) ? `'${intervalText(total, unit)}'` : String(total);
}

/** The interval as information_schema.EVENTS INTERVAL_VALUE and SHOW EVENTS give it. */
export function intervalText(total: number, unit: string): string {
  const parts = COMPOUND[unit];
  if (!parts) return String(total);
  const out: number[] = [];
  let rest = total;
  for (let k = 0; k < parts.length; k++) {
    const f = parts[k] as number;
    out.push(Math.floor(rest / f));
    rest %= f;
  }
  switch (unit) {
    case 'YEAR_MONTH':
      return `${out[0]}-${out[1]}`;
    case 'DAY_HOUR':
      return `${out[0]} ${out[1]}`;
    case 'DAY_MINUTE':
      return `${out[0]} ${out[1]}:${out[2]}`;
    case 'DAY_SECOND':
      return `${out[0]} ${out[1]}:${out[2]}:${out[3]}`;
    default:
      return out.join(':');
  }
}

/**
 * `from` plus `n` intervals, in epoch milliseconds. Calendar units move the month in local
 * time and keep the day, clamped to the month's last day (31 Jan + 1 MONTH is 28/29 Feb), as
 * DATE_ADD does; the other units are fixed lengths.
 * @req CORE-EVT-004
 */
export function addIntervals(from: number, total: number, unit: string, n: number): number {
  const months = MONTHS[unit];
  if (months !== undefined) {
    const d = new Date(from);
    const day = d.getDate();
    const target = new Date(d.getTime());
    target.setDate(1);
    target.setMonth(target.getMonth() + months * total * n);
    const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
    target.setDate(Math.min(day, last));
    return target.getTime();
  }
  return from + (SECONDS[unit] ?? 1) * 1000 * total * n;
}

/**
 * The first run of a recurring schedule at or after `notBefore`: STARTS plus a whole number of
 * intervals. Fixed-length units jump there at once; calendar units step (a run of months is
 * short even for old STARTS values, since a year holds 12 steps).
 */
export function nextRecurrence(starts: number, total: number, unit: string, notBefore: number): number {
  if (notBefore <= starts) return starts;
  if (MONTHS[unit] === undefined) {
    const step = (SECONDS[unit] ?? 1) * 1000 * total;
    const k = Math.ceil((notBefore - starts) / step);
    return starts + k * step;
  }
  // Estimate the count from 28-day months, then walk forward.
  let k = Math.max(0, Math.floor((notBefore - starts) / (31 * 86400_000 * MONTHS[unit]! * total)));
  let t = addIntervals(starts, total, unit, k);
  while (t < notBefore) t = addIntervals(starts, total, unit, ++k);
  return t;
}

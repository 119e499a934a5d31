/**
 * Temporal values: parsing MySQL's date/time literal formats, day numbers, calendar helpers and
 * interval arithmetic.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/date-and-time-literals.html
 * @req CORE-TYPE-030 CORE-TYPE-031
 */
import { Temporal, type TemporalKind } from '../../kernel/value.js';
import { TIME_MAX_HOURS } from './limits.js';

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MDAYS[m - 1]!;
}

/** MySQL's day number (TO_DAYS): days since year 0, matching calc_daynr. */
export function dayNumber(y: number, m: number, d: number): number {
  if (y === 0 && m === 0) return 0;
  let delsum = 365 * y + 31 * (m - 1) + d;
  let yy = y;
  if (m <= 2) yy--;
  else delsum -= Math.floor((m * 4 + 23) / 10);
  const temp = Math.floor(((Math.floor(yy / 100) + 1) * 3) / 4);
  return delsum + Math.floor(yy / 4) - temp;
}

/** Inverse of dayNumber (FROM_DAYS); returns [0,0,0] for day numbers before year 1. */
export function fromDayNumber(n: number): [number, number, number] {
  if (n < 366 || n > 3652424) return [0, 0, 0];
  // days since 1970-01-01 in proleptic Gregorian
  const z = n - 719528 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** 0 = Monday .. 6 = Sunday (WEEKDAY). */
export function weekday(y: number, m: number, d: number): number {
  return (dayNumber(y, m, d) + 5) % 7;
}

export function makeTemporal(kind: TemporalKind, y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, fsp = 0, neg = false): Temporal {
  return new Temporal(kind, y, mo, d, h, mi, s, us, fsp, neg);
}

export interface ParsedTemporal {
  value: Temporal;
  /** Input had trailing garbage or was otherwise adjusted (warning-worthy). */
  truncated: boolean;
  /** Which parts the text spelled out: a date with a time of day ('datetime'), a date only
   *  ('date'), or a time taken from a full date and time ('datetime' from parseTime). Temporal
   *  literals (DATE'..', TIME'..', TIMESTAMP'..') need exactly their own shape. */
  shape?: 'date' | 'datetime';
}

/** Whether y-m-d is a valid calendar date (zero parts allowed, as MySQL permits by default). */
export function validDateParts(y: number, m: number, d: number): boolean {
  if (m > 12 || d > 31 || y > 9999) return false;
  if (m === 0 || d === 0) return true;
  return d <= daysInMonth(y, m);
}

function fracToMicro(frac: string): { micro: number; fsp: number } {
  if (!frac) return { micro: 0, fsp: 0 };
  const f = frac.slice(0, 6).padEnd(6, '0');
  let micro = Number(f);
  // round on the 7th digit
  if (frac.length > 6 && frac.charCodeAt(6) >= 53) micro++;
  return { micro, fsp: Math.min(frac.length, 6) };
}

function twoDigitYear(y: number): number {
  return y < 70 ? 2000 + y : 1900 + y;
}

/**
 * Parse a DATE / DATETIME string in any of MySQL's accepted forms: delimited
 * ('2024-01-02 03:04:05.123', '2024/1/2', '24-1-2') or compact ('20240102', '240102030405').
 * Returns null when the text is not a date at all.
 * @req CORE-TYPE-030
 */
export function parseDatetime(text: string, kind: 'DATE' | 'DATETIME' | 'TIMESTAMP' = 'DATETIME', allowInvalidDates = false): ParsedTemporal | null {
  const s = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = '';
  let truncated = false;
  let hasTime = false;
  const compact = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (compact) {
    const digits = compact[1]!;
    frac = compact[2] ?? '';
    const L = digits.length;
    if (L === 14 || L === 8) {
      y = Number(digits.slice(0, 4));
      mo = Number(digits.slice(4, 6));
      d = Number(digits.slice(6, 8));
      if (L === 14) {
        h = Number(digits.slice(8, 10));
        mi = Number(digits.slice(10, 12));
        sec = Number(digits.slice(12, 14));
        hasTime = true;
      }
    } else if (L === 12 || L === 6) {
      y = twoDigitYear(Number(digits.slice(0, 2)));
      mo = Number(digits.slice(2, 4));
      d = Number(digits.slice(4, 6));
      if (L === 12) {
        h = Number(digits.slice(6, 8));
        mi = Number(digits.slice(8, 10));
        sec = Number(digits.slice(10, 12));
        hasTime = true;
      }
    } else return null;
  } else {
    const m = /^(\d{1,4})[-/.:_^@!#$%&*~+=|\\,;]+(\d{1,2})[-/.:_^@!#$%&*~+=|\\,;]+(\d{1,2})(?:(?:[T ]+|[-/.:_,;]+)(\d{1,2})(?:[:.\-/]+(\d{1,2})(?:[:.\-/]+(\d{1,2})(?:\.(\d*))?)?)?)?(.*)$/.exec(s);
    if (!m) return null;
    y = Number(m[1]);
    if (m[1]!.length <= 2) y = twoDigitYear(y);
    mo = Number(m[2]);
    d = Number(m[3]);
    if (m[4] !== undefined) {
      hasTime = true;
      h = Number(m[4]);
      mi = Number(m[5] ?? 0);
      sec = Number(m[6] ?? 0);
      frac = m[7] ?? '';
    }
    if (m[8]) truncated = true;
  }
  // ALLOW_INVALID_DATES only checks the month (1..12) and the day (1..31). @req CORE-MODE-020
  const dateOk = allowInvalidDates ? mo <= 12 && d <= 31 && y <= 9999 : validDateParts(y, mo, d);
  if (!dateOk || h > 23 || mi > 59 || sec > 59) return null;
  const { micro, fsp } = fracToMicro(frac);
  if (kind === 'DATE' && (hasTime || frac)) truncated = truncated || h !== 0 || mi !== 0 || sec !== 0 || micro !== 0;
  const v = kind === 'DATE' ? makeTemporal('DATE', y, mo, d) : makeTemporal(kind, y, mo, d, h, mi, sec, micro, fsp);
  return { value: v, truncated, shape: hasTime ? 'datetime' : 'date' };
}

/**
 * Parse a TIME string: '[-][D ]HH:MM[:SS[.ffffff]]', 'HHMMSS', 'MMSS', 'SS'. Values beyond
 * ±838:59:59 are clamped (truncated = true). Returns null for non-times.
 * @req CORE-TYPE-030
 */
export function parseTime(text: string): ParsedTemporal | null {
  const s = text.trim();
  let neg = false, days = 0, h = 0, mi = 0, sec = 0, frac = '';
  let truncated = false;
  let m = /^(-)?(?:(\d+)\s+)?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?(.*)$/.exec(s);
  if (m) {
    neg = !!m[1];
    days = Number(m[2] ?? 0);
    h = Number(m[3]);
    mi = Number(m[4]);
    sec = Number(m[5] ?? 0);
    frac = m[6] ?? '';
    if (m[7]) truncated = true;
  } else {
    m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(s);
    if (!m) {
      // a full datetime string converts to its time part
      const dt = parseDatetime(s, 'DATETIME');
      if (dt) {
        const t = dt.value;
        return { value: makeTemporal('TIME', 0, 0, 0, t.hour, t.minute, t.second, t.micro, t.fsp), truncated: dt.truncated, shape: 'datetime' };
      }
      return null;
    }
    neg = !!m[1];
    const digits = m[2]!;
    frac = m[3] ?? '';
    if (digits.length > 7) {
      const dt = parseDatetime(digits + (frac ? '.' + frac : ''), 'DATETIME');
      if (!dt) return null;
      const t = dt.value;
      return { value: makeTemporal('TIME', 0, 0, 0, t.hour, t.minute, t.second, t.micro, t.fsp), truncated: false, shape: 'datetime' };
    }
    const n = Number(digits);
    sec = n % 100;
    mi = Math.floor(n / 100) % 100;
    h = Math.floor(n / 10000);
  }
  if (mi > 59 || sec > 59) return null;
  h += days * 24;
  const { micro, fsp } = fracToMicro(frac);
  if (h > TIME_MAX_HOURS || (h === TIME_MAX_HOURS && (mi > 59 || sec > 59 || micro > 0))) {
    return { value: makeTemporal('TIME', 0, 0, 0, TIME_MAX_HOURS, 59, 59, 0, fsp, neg), truncated: true };
  }
  return { value: makeTemporal('TIME', 0, 0, 0, h, mi, sec, micro, fsp, neg && (h | mi | sec | micro) !== 0), truncated };
}

/** Numbers as dates: 20240102 -> DATE, 20240102030405 -> DATETIME (MySQL's number_to_datetime). */
export function numberToDatetime(n: number | bigint): Temporal | null {
  if (typeof n === 'number' && !Number.isFinite(n)) return null;
  const v = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  if (v < 0n) return null;
  if (v === 0n) return makeTemporal('DATETIME', 0, 0, 0);
  let x = v;
  if (x < 101n) return null;
  if (x <= 991231n) x = (x + (x < 700000n ? 20000000n : 19000000n));
  if (x < 10000101n) return null;
  if (x <= 99991231n) {
    const y = Number(x / 10000n), mo = Number((x / 100n) % 100n), d = Number(x % 100n);
    return validDateParts(y, mo, d) ? makeTemporal('DATE', y, mo, d) : null;
  }
  if (x < 101000000n) return null;
  if (x <= 991231235959n) x += x < 700101000000n ? 20000000000000n : 19000000000000n;
  if (x > 99991231235959n) return null;
  const date = x / 1000000n, time = x % 1000000n;
  const y = Number(date / 10000n), mo = Number((date / 100n) % 100n), d = Number(date % 100n);
  const h = Number(time / 10000n), mi = Number((time / 100n) % 100n), s = Number(time % 100n);
  if (!validDateParts(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  return makeTemporal('DATETIME', y, mo, d, h, mi, s);
}

/** Numbers as times: 123 -> 00:01:23, 10203 -> 01:02:03. */
export function numberToTime(n: number): Temporal | null {
  const neg = n < 0;
  const a = Math.abs(n);
  const whole = Math.trunc(a);
  const micro = Math.round((a - whole) * 1e6);
  const sec = whole % 100, mi = Math.floor(whole / 100) % 100, h = Math.floor(whole / 10000);
  if (sec > 59 || mi > 59) return null;
  if (h > TIME_MAX_HOURS) return makeTemporal('TIME', 0, 0, 0, TIME_MAX_HOURS, 59, 59, 0, 0, neg);
  return makeTemporal('TIME', 0, 0, 0, h, mi, sec, micro, micro ? 6 : 0, neg);
}

/** Whether a DATE/DATETIME has a zero year, month or day part. */
export function hasZeroInDate(t: Temporal): boolean {
  return t.kind !== 'TIME' && (t.month === 0 || t.day === 0);
}

export function isZeroDate(t: Temporal): boolean {
  return t.kind !== 'TIME' && t.year === 0 && t.month === 0 && t.day === 0 && t.hour === 0 && t.minute === 0 && t.second === 0 && t.micro === 0;
}

/** Microseconds since 0000-00-00 for ordering / arithmetic of DATE/DATETIME values. */
export function datetimeToMicros(t: Temporal): bigint {
  if (t.kind === 'TIME') return timeToMicros(t);
  const days = BigInt(dayNumber(t.year, t.month, t.day));
  return ((days * 86400n + BigInt(t.hour * 3600 + t.minute * 60 + t.second)) * 1000000n) + BigInt(t.micro);
}

export function timeToMicros(t: Temporal): bigint {
  const v = BigInt(t.hour * 3600 + t.minute * 60 + t.second) * 1000000n + BigInt(t.micro);
  return t.negative ? -v : v;
}

export function microsToDatetime(us: bigint, kind: TemporalKind, fsp: number): Temporal | null {
  if (us < 0n) return null;
  const totalSec = us / 1000000n;
  const micro = Number(us % 1000000n);
  const dayn = Number(totalSec / 86400n);
  const secOfDay = Number(totalSec % 86400n);
  const [y, m, d] = fromDayNumber(dayn);
  if (y === 0 || y > 9999) return null;
  if (kind === 'DATE') return makeTemporal('DATE', y, m, d);
  return makeTemporal(kind, y, m, d, Math.floor(secOfDay / 3600), Math.floor(secOfDay / 60) % 60, secOfDay % 60, micro, fsp);
}

export function microsToTime(us: bigint, fsp: number): Temporal {
  const neg = us < 0n;
  let a = neg ? -us : us;
  const max = BigInt(TIME_MAX_HOURS * 3600 + 59 * 60 + 59) * 1000000n;
  if (a > max) a = max;
  const micro = Number(a % 1000000n);
  const total = Number(a / 1000000n);
  return makeTemporal('TIME', 0, 0, 0, Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60, micro, fsp, neg && a !== 0n);
}

/** Parse a time zone offset '+hh:mm' into minutes; null for 'SYSTEM' or unknown names. */
export function tzOffsetMinutes(tz: string): number | null {
  const m = /^([+-])(\d{1,2}):(\d{2})$/.exec(tz);
  if (!m) return tz.toUpperCase() === 'UTC' ? 0 : null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

/** Break a JS Date down in the session time zone. */
export function dateToTemporal(date: Date, tz: string, kind: TemporalKind, fsp: number): Temporal {
  const off = tzOffsetMinutes(tz);
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  const ms = date.getTime();
  const micro = fsp > 0 ? Math.floor((((ms % 1000) + 1000) % 1000) * 1000 / 10 ** (6 - fsp)) * 10 ** (6 - fsp) : 0;
  if (off === null) {
    y = date.getFullYear(); mo = date.getMonth() + 1; d = date.getDate();
    h = date.getHours(); mi = date.getMinutes(); s = date.getSeconds();
  } else {
    const u = new Date(ms + off * 60000);
    y = u.getUTCFullYear(); mo = u.getUTCMonth() + 1; d = u.getUTCDate();
    h = u.getUTCHours(); mi = u.getUTCMinutes(); s = u.getUTCSeconds();
  }
  if (kind === 'DATE') return makeTemporal('DATE', y, mo, d);
  if (kind === 'TIME') return makeTemporal('TIME', 0, 0, 0, h, mi, s, micro, fsp);
  return makeTemporal(kind, y, mo, d, h, mi, s, micro, fsp);
}

/** Seconds since the epoch of a DATETIME interpreted in the session time zone. */
export function temporalToEpochSeconds(t: Temporal, tz: string): number {
  const off = tzOffsetMinutes(tz);
  if (off === null) {
    const dt = new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    dt.setFullYear(t.year);
    return Math.floor(dt.getTime() / 1000);
  }
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return Math.floor(ms / 1000) - off * 60;
}

/** Interval units (DATE_ADD, EXTRACT, TIMESTAMPDIFF). */
export const INTERVAL_UNITS = [
  'MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR',
  'SECOND_MICROSECOND', 'MINUTE_MICROSECOND', 'MINUTE_SECOND', 'HOUR_MICROSECOND', 'HOUR_SECOND',
  'HOUR_MINUTE', 'DAY_MICROSECOND', 'DAY_SECOND', 'DAY_MINUTE', 'DAY_HOUR', 'YEAR_MONTH',
] as const;

export interface Interval {
  months: number;
  micros: bigint;
  neg: boolean;
}

const COMPOUND: Record<string, string[]> = {
  SECOND_MICROSECOND: ['SECOND', 'MICROSECOND'],
  MINUTE_MICROSECOND: ['MINUTE', 'SECOND', 'MICROSECOND'],
  MINUTE_SECOND: ['MINUTE', 'SECOND'],
  HOUR_MICROSECOND: ['HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
  HOUR_SECOND: ['HOUR', 'MINUTE', 'SECOND'],
  HOUR_MINUTE: ['HOUR', 'MINUTE'],
  DAY_MICROSECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND', 'MICROSECOND'],
  DAY_SECOND: ['DAY', 'HOUR', 'MINUTE', 'SECOND'],
  DAY_MINUTE: ['DAY', 'HOUR', 'MINUTE'],
  DAY_HOUR: ['DAY', 'HOUR'],
  YEAR_MONTH: ['YEAR', 'MONTH'],
};

const UNIT_MICROS: Record<string, bigint> = {
  MICROSECOND: 1n, SECOND: 1000000n, MINUTE: 60000000n, HOUR: 3600000000n, DAY: 86400000000n, WEEK: 604800000000n,
};
const UNIT_MONTHS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** Build an interval from a value and unit; null when the value text does not fit the unit. */
export function makeInterval(value: string | number, unit: string): Interval | null {
  const u = unit.toUpperCase();
  const parts = COMPOUND[u];
  if (!parts) {
    const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
    if (!Number.isFinite(n)) return null;
    const neg = n < 0;
    const a = Math.abs(n);
    if (a > 1e15) return null; // far beyond any representable date distance
    if (u in UNIT_MONTHS) return { months: Math.round(a) * UNIT_MONTHS[u]!, micros: 0n, neg };
    const mult = UNIT_MICROS[u];
    if (mult === undefined) return null;
    if (u === 'SECOND') return { months: 0, micros: BigInt(Math.round(a * 1e6)), neg };
    return { months: 0, micros: BigInt(Math.round(a)) * mult, neg };
  }
  const text = String(value).trim();
  const neg = text.startsWith('-');
  const nums = text.replace(/^-/, '').split(/[^0-9]+/).filter((x) => x !== '');
  if (nums.length === 0) return { months: 0, micros: 0n, neg: false };
  // numbers fill the unit parts from the right
  const vals = parts.map(() => '0');
  const offset = parts.length - nums.length;
  if (offset < 0) return null;
  for (let i = 0; i < nums.length; i++) vals[offset + i] = nums[i]!;
  let months = 0;
  let micros = 0n;
  parts.forEach((p, i) => {
    const raw = vals[i]!;
    if (p === 'MICROSECOND') {
      micros += BigInt(raw.padEnd(6, '0').slice(0, 6));
      return;
    }
    const n = BigInt(raw);
    if (p in UNIT_MONTHS) months += Number(n) * UNIT_MONTHS[p]!;
    else micros += n * UNIT_MICROS[p]!;
  });
  return { months, micros, neg };
}

/** d + interval (sign applied); null on overflow (the caller warns 1441). */
export function addInterval(t: Temporal, iv: Interval, sign: 1 | -1): Temporal | null {
  const s = iv.neg ? -sign : sign;
  if (t.kind === 'TIME') {
    if (iv.months) return null;
    return microsToTime(timeToMicros(t) + BigInt(s) * iv.micros, t.fsp || (iv.micros % 1000000n ? 6 : 0));
  }
  let y = t.year, mo = t.month, d = t.day;
  if (iv.months) {
    const total = y * 12 + (mo - 1) + s * iv.months;
    if (total < 0) return null;
    y = Math.floor(total / 12);
    mo = (total % 12) + 1;
    if (y > 9999) return null;
    d = Math.min(d, daysInMonth(y, mo));
  }
  let kind: TemporalKind = t.kind;
  const fsp = iv.micros % 1000000n !== 0n ? 6 : t.fsp;
  if (iv.micros) {
    if (kind === 'DATE' && iv.micros % 86400000000n !== 0n) kind = 'DATETIME';
    const base = datetimeToMicros(makeTemporal('DATETIME', y, mo, d, t.hour, t.minute, t.second, t.micro));
    return microsToDatetime(base + BigInt(s) * iv.micros, kind, fsp);
  }
  if (kind === 'DATE') return makeTemporal('DATE', y, mo, d);
  return makeTemporal(kind, y, mo, d, t.hour, t.minute, t.second, t.micro, fsp);
}

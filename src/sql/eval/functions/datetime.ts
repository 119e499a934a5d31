/**
 * Date and time functions: current time (constant per statement), extraction, formatting and
 * parsing (DATE_FORMAT, STR_TO_DATE), interval arithmetic (DATE_ADD & co, `d + INTERVAL n u`),
 * differences (DATEDIFF, TIMEDIFF, TIMESTAMPDIFF), epoch conversions and day numbers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/date-and-time-functions.html
 * @req CORE-EXPR-040 CORE-EXPR-041 CORE-EXPR-042 CORE-EXPR-043
 */
import type { BinaryExpr, Expr, IntervalExpr } from '../../ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { MysqlType } from '../../../kernel/column-type.js';
import { toBigInt, toDecimal, toDouble, toStringValue, toTemporal } from '../../types/convert.js';
import { roundTemporal } from '../../types/store.js';
import {
  addInterval, dateToTemporal, datetimeToMicros, dayNumber, daysInMonth, fromDayNumber, isLeap, makeInterval, makeTemporal,
  microsToDatetime, microsToTime, temporalToEpochSeconds, timeToMicros, tzOffsetMinutes, weekday,
} from '../../types/temporal.js';
import { Decimal, Temporal, type Row, type Value } from '../../../kernel/value.js';
import { COMPILE_TIME_RUNTIME, foldConstant, decimalType, doubleType, intType, stringType, temporalType } from '../type-rules.js';
import type { CompiledExpr, ExprType, Runtime } from '../types.js';
import { n, s, strict } from './helpers.js';
import { defineFunction, type FnContext } from './registry.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function dt(v: Value, rt: Runtime): Temporal | null {
  if (v instanceof Temporal && v.kind !== 'TIME') return v;
  return toTemporal(v, 'DATETIME', rt, rt.now, rt.timeZone);
}
function tm(v: Value, rt: Runtime): Temporal | null {
  if (v instanceof Temporal && v.kind === 'TIME') return v;
  return toTemporal(v, 'TIME', rt, rt.now, rt.timeZone);
}
/** A date argument: string inputs keep their DATE-ness (no time part). */
function dateArg(v: Value, rt: Runtime): Temporal | null {
  if (v instanceof Temporal) return v.kind === 'TIME' ? toTemporal(v, 'DATETIME', rt, rt.now, rt.timeZone) : v;
  return toTemporal(v, 'DATETIME', rt, rt.now, rt.timeZone);
}

function fspArg(args: CompiledExpr[]): number {
  if (!args.length) return 0;
  const v = foldConstant(args[0]!);
  const f = v === undefined || v === null ? 0 : Number(toBigInt(v) ?? 0n);
  if (f < 0) throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', String(f), 1);
  if (f > 6) throw sqlError('ER_TOO_BIG_PRECISION', f, 'now', 6);
  return f;
}

// ---- current time ---------------------------------------------------------------------------
function nowFn(kind: 'DATETIME' | 'DATE' | 'TIME', utc: boolean, sys = false) {
  return (args: CompiledExpr[]): CompiledExpr => {
    const fsp = kind === 'DATE' ? 0 : fspArg(args);
    const type = temporalType(kind, fsp, false);
    return {
      type,
      eval: (_row: Row, rt: Runtime) => dateToTemporal(sys ? new Date() : rt.now, utc ? '+00:00' : rt.timeZone, kind, fsp),
    };
  };
}
defineFunction(['NOW', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP'], 0, 1, nowFn('DATETIME', false));
defineFunction('SYSDATE', 0, 1, nowFn('DATETIME', false, true));
defineFunction(['CURDATE', 'CURRENT_DATE'], 0, 0, nowFn('DATE', false));
defineFunction(['CURTIME', 'CURRENT_TIME'], 0, 1, nowFn('TIME', false));
defineFunction('UTC_DATE', 0, 0, nowFn('DATE', true));
defineFunction('UTC_TIME', 0, 1, nowFn('TIME', true));
defineFunction('UTC_TIMESTAMP', 0, 1, nowFn('DATETIME', true));

// ---- extraction -----------------------------------------------------------------------------
function part(names: string | string[], len: number, f: (t: Temporal) => number | null, time = false) {
  defineFunction(names, 1, 1, (args) =>
    strict(args, intType(len, true), ([v], rt) => {
      const t = time ? tm(v!, rt) : dt(v!, rt);
      if (!t) return null;
      const r = f(t);
      return r === null ? null : BigInt(r);
    }),
  );
}
part('YEAR', 4, (t) => t.year);
part('MONTH', 2, (t) => t.month);
part(['DAY', 'DAYOFMONTH'], 2, (t) => t.day);
part('QUARTER', 1, (t) => Math.ceil(t.month / 3));
part('HOUR', 3, (t) => t.hour, true);
part('MINUTE', 2, (t) => t.minute, true);
part('SECOND', 2, (t) => t.second, true);
part('MICROSECOND', 6, (t) => t.micro, true);
part('DAYOFWEEK', 1, (t) => (t.month && t.day ? ((weekday(t.year, t.month, t.day) + 1) % 7) + 1 : null));
part('WEEKDAY', 1, (t) => (t.month && t.day ? weekday(t.year, t.month, t.day) : null));
part('DAYOFYEAR', 3, (t) => (t.month && t.day ? dayNumber(t.year, t.month, t.day) - dayNumber(t.year, 1, 1) + 1 : null));
part('TO_DAYS', 7, (t) => (t.month && t.day ? dayNumber(t.year, t.month, t.day) : null));
part('TO_SECONDS', 12, (t) => (t.month && t.day ? dayNumber(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second : null));
part('TIME_TO_SEC', 10, (t) => (t.negative ? -1 : 1) * (t.hour * 3600 + t.minute * 60 + t.second), true);

defineFunction('DAYNAME', 1, 1, (args) =>
  strict(args, stringType(9, true), ([v], rt) => {
    const t = dt(v!, rt);
    return t && t.month && t.day ? DAYS[weekday(t.year, t.month, t.day)]! : null;
  }),
);
defineFunction('MONTHNAME', 1, 1, (args) =>
  strict(args, stringType(9, true), ([v], rt) => {
    const t = dt(v!, rt);
    return t && t.month ? MONTHS[t.month - 1]! : null;
  }),
);

// ---- weeks ----------------------------------------------------------------------------------
const WEEK_MONDAY_FIRST = 1, WEEK_YEAR = 2, WEEK_FIRST_WEEKDAY = 4;
function weekMode(mode: number): number {
  let m = mode & 7;
  if (!(m & WEEK_MONDAY_FIRST)) m ^= WEEK_FIRST_WEEKDAY;
  return m;
}
function daysInYear(y: number): number {
  return isLeap(y) ? 366 : 365;
}
/** MySQL's week calculation; returns [week, year]. */
export function calcWeek(t: Temporal, behaviour: number): [number, number] {
  const daynr = dayNumber(t.year, t.month, t.day);
  let firstDaynr = dayNumber(t.year, 1, 1);
  const mondayFirst = !!(behaviour & WEEK_MONDAY_FIRST);
  let weekYear = !!(behaviour & WEEK_YEAR);
  const firstWeekday = !!(behaviour & WEEK_FIRST_WEEKDAY);
  let wd = (firstDaynr + 5 + (mondayFirst ? 0 : 1)) % 7;
  let year = t.year;
  if (t.month === 1 && t.day <= 7 - wd) {
    if (!weekYear && ((firstWeekday && wd !== 0) || (!firstWeekday && wd >= 4))) return [0, year];
    weekYear = true;
    year--;
    const dy = daysInYear(year);
    firstDaynr -= dy;
    wd = (wd + 53 * 7 - dy) % 7;
  }
  let days: number;
  if ((firstWeekday && wd !== 0) || (!firstWeekday && wd >= 4)) days = daynr - (firstDaynr + (7 - wd));
  else days = daynr - (firstDaynr - wd);
  if (weekYear && days >= 52 * 7) {
    wd = (wd + daysInYear(year)) % 7;
    if ((!firstWeekday && wd < 4) || (firstWeekday && wd === 0)) return [1, year + 1];
  }
  return [Math.floor(days / 7) + 1, year];
}
defineFunction('WEEK', 1, 2, (args) =>
  strict(args, intType(2, true), (v, rt) => {
    const t = dt(v[0]!, rt);
    if (!t || !t.month || !t.day) return null;
    const mode = v.length > 1 ? n(v[1]!, rt) : Number(rt.sysVar('default_week_format', 'session') ?? 0);
    return BigInt(calcWeek(t, weekMode(mode))[0]);
  }),
);
defineFunction('WEEKOFYEAR', 1, 1, (args) =>
  strict(args, intType(2, true), ([v], rt) => {
    const t = dt(v!, rt);
    return t && t.month && t.day ? BigInt(calcWeek(t, weekMode(3))[0]) : null;
  }),
);
defineFunction('YEARWEEK', 1, 2, (args) =>
  strict(args, intType(6, true), (v, rt) => {
    const t = dt(v[0]!, rt);
    if (!t || !t.month || !t.day) return null;
    const mode = v.length > 1 ? n(v[1]!, rt) : 0;
    const [w, y] = calcWeek(t, weekMode(mode) | WEEK_YEAR);
    return BigInt(y * 100 + w);
  }),
);

// ---- formatting -----------------------------------------------------------------------------
const p2 = (x: number) => String(x).padStart(2, '0');
function ordinal(d: number): string {
  if (d >= 11 && d <= 13) return d + 'th';
  const r = d % 10;
  return d + (r === 1 ? 'st' : r === 2 ? 'nd' : r === 3 ? 'rd' : 'th');
}
/** DATE_FORMAT / TIME_FORMAT. @req CORE-EXPR-041 */
export function formatTemporal(t: Temporal, fmt: string): string | null {
  let out = '';
  for (let k = 0; k < fmt.length; k++) {
    const c = fmt[k]!;
    if (c !== '%' || k === fmt.length - 1) {
      out += c;
      continue;
    }
    const f = fmt[++k]!;
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    const wdOk = t.month > 0 && t.day > 0;
    switch (f) {
      case 'a': if (!wdOk) return null; out += DAYS[weekday(t.year, t.month, t.day)]!.slice(0, 3); break;
      case 'b': if (!t.month) return null; out += MONTHS[t.month - 1]!.slice(0, 3); break;
      case 'c': out += t.month; break;
      case 'D': out += ordinal(t.day); break;
      case 'd': out += p2(t.day); break;
      case 'e': out += t.day; break;
      case 'f': out += String(t.micro).padStart(6, '0'); break;
      case 'H': out += p2(t.hour); break;
      case 'h': case 'I': out += p2(h12); break;
      case 'i': out += p2(t.minute); break;
      case 'j': if (!wdOk) return null; out += String(dayNumber(t.year, t.month, t.day) - dayNumber(t.year, 1, 1) + 1).padStart(3, '0'); break;
      case 'k': out += t.hour; break;
      case 'l': out += h12; break;
      case 'M': if (!t.month) return null; out += MONTHS[t.month - 1]; break;
      case 'm': out += p2(t.month); break;
      case 'p': out += t.hour % 24 < 12 ? 'AM' : 'PM'; break;
      case 'r': out += `${p2(h12)}:${p2(t.minute)}:${p2(t.second)} ${t.hour % 24 < 12 ? 'AM' : 'PM'}`; break;
      case 'S': case 's': out += p2(t.second); break;
      case 'T': out += `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`; break;
      case 'U': if (!wdOk) return null; out += p2(calcWeek(t, WEEK_FIRST_WEEKDAY)[0]); break;
      case 'u': if (!wdOk) return null; out += p2(calcWeek(t, WEEK_MONDAY_FIRST)[0]); break;
      case 'V': if (!wdOk) return null; out += p2(calcWeek(t, WEEK_YEAR | WEEK_FIRST_WEEKDAY)[0]); break;
      case 'v': if (!wdOk) return null; out += p2(calcWeek(t, WEEK_MONDAY_FIRST | WEEK_YEAR)[0]); break;
      case 'W': if (!wdOk) return null; out += DAYS[weekday(t.year, t.month, t.day)]; break;
      case 'w': if (!wdOk) return null; out += (weekday(t.year, t.month, t.day) + 1) % 7; break;
      case 'X': if (!wdOk) return null; out += String(calcWeek(t, WEEK_YEAR | WEEK_FIRST_WEEKDAY)[1]).padStart(4, '0'); break;
      case 'x': if (!wdOk) return null; out += String(calcWeek(t, WEEK_MONDAY_FIRST | WEEK_YEAR)[1]).padStart(4, '0'); break;
      case 'Y': out += String(t.year).padStart(4, '0'); break;
      case 'y': out += p2(t.year % 100); break;
      default: out += f;
    }
  }
  return out;
}
defineFunction('DATE_FORMAT', 2, 2, (args) =>
  strict(args, stringType(64, true), ([v, f], rt) => {
    const t = v instanceof Temporal && v.kind === 'TIME' ? toTemporal(v, 'DATETIME', rt, rt.now, rt.timeZone) : dt(v!, rt);
    return t ? formatTemporal(t, s(f!)) : null;
  }),
);
defineFunction('TIME_FORMAT', 2, 2, (args) =>
  strict(args, stringType(64, true), ([v, f], rt) => {
    const t = tm(v!, rt);
    if (!t) return null;
    const r = formatTemporal(t, s(f!).replace(/%[abDjMUuVvWwXx]/g, ''));
    return r && t.negative ? '-' + r : r;
  }),
);

/** STR_TO_DATE: parse by format; returns DATE, TIME or DATETIME depending on the format. */
export function strToDate(str: string, fmt: string): Temporal | null {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, us = 0, pm: boolean | null = null;
  let k = 0;
  const num = (maxLen: number): number | null => {
    while (str[k] === ' ') k++;
    const m = new RegExp(`^\\d{1,${maxLen}}`).exec(str.slice(k));
    if (!m) return null;
    k += m[0].length;
    return Number(m[0]);
  };
  const name = (list: string[], abbr: boolean): number | null => {
    const rest = str.slice(k).toLowerCase();
    for (let idx = 0; idx < list.length; idx++) {
      const nm = abbr ? list[idx]!.slice(0, 3) : list[idx]!;
      if (rest.startsWith(nm.toLowerCase())) {
        k += nm.length;
        return idx;
      }
    }
    return null;
  };
  let hasDate = false, hasTime = false;
  for (let j = 0; j < fmt.length; j++) {
    const c = fmt[j]!;
    if (c === '%' && j + 1 < fmt.length) {
      const f = fmt[++j]!;
      let v: number | null;
      switch (f) {
        case 'Y': v = num(4); if (v === null) return null; y = v; hasDate = true; break;
        case 'y': v = num(2); if (v === null) return null; y = v < 70 ? 2000 + v : 1900 + v; hasDate = true; break;
        case 'm': case 'c': v = num(2); if (v === null) return null; mo = v; hasDate = true; break;
        case 'd': case 'e': v = num(2); if (v === null) return null; d = v; hasDate = true; break;
        case 'D': v = num(2); if (v === null) return null; d = v; k += 2; hasDate = true; break;
        case 'H': case 'k': v = num(2); if (v === null) return null; h = v; hasTime = true; break;
        case 'h': case 'I': case 'l': v = num(2); if (v === null) return null; h = v; hasTime = true; break;
        case 'i': v = num(2); if (v === null) return null; mi = v; hasTime = true; break;
        case 's': case 'S': v = num(2); if (v === null) return null; sec = v; hasTime = true; break;
        case 'f': { const m = /^\d{1,6}/.exec(str.slice(k)); if (!m) return null; us = Number(m[0].padEnd(6, '0')); k += m[0].length; hasTime = true; break; }
        case 'p': { const r = str.slice(k, k + 2).toUpperCase(); if (r !== 'AM' && r !== 'PM') return null; pm = r === 'PM'; k += 2; break; }
        case 'M': v = name(MONTHS, false); if (v === null) return null; mo = v + 1; hasDate = true; break;
        case 'b': v = name(MONTHS, true); if (v === null) return null; mo = v + 1; hasDate = true; break;
        case 'W': v = name(DAYS, false); if (v === null) return null; break;
        case 'a': v = name(DAYS, true); if (v === null) return null; break;
        case 'j': v = num(3); if (v === null) return null; { const [yy, mm, dd] = fromDayNumber(dayNumber(y, 1, 1) + v - 1); y = yy; mo = mm; d = dd; } hasDate = true; break;
        case 'T': { const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(str.slice(k)); if (!m) return null; h = +m[1]!; mi = +m[2]!; sec = +m[3]!; k += m[0].length; hasTime = true; break; }
        case 'r': { const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2})\s*([AaPp][Mm])/.exec(str.slice(k)); if (!m) return null; h = +m[1]!; mi = +m[2]!; sec = +m[3]!; pm = m[4]!.toUpperCase() === 'PM'; k += m[0].length; hasTime = true; break; }
        case '%': if (str[k] !== '%') return null; k++; break;
        default: if (str[k] !== f) return null; k++;
      }
    } else if (/\s/.test(c)) {
      while (k < str.length && /\s/.test(str[k]!)) k++;
    } else {
      if (str[k] !== c) return null;
      k++;
    }
  }
  if (pm !== null) {
    if (h > 12 || h < 1) return null;
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (mo > 12 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
  if (mo && d && d > daysInMonth(y, mo)) return null;
  if (hasDate && !hasTime) return makeTemporal('DATE', y, mo, d);
  if (hasTime && !hasDate) return makeTemporal('TIME', 0, 0, 0, h, mi, sec, us, us ? 6 : 0);
  return makeTemporal('DATETIME', y, mo, d, h, mi, sec, us, us ? 6 : 0);
}
defineFunction('STR_TO_DATE', 2, 2, (args) => {
  let type: ExprType = temporalType('DATETIME', 6, true);
  if (args[1]!.constant) {
    const f = s(args[1]!.eval([], COMPILE_TIME_RUNTIME));
    const hasDate = /%[YymcdeDMbjUuVvWwaXx]/.test(f), hasTime = /%[HkhIlisSfTrp]/.test(f);
    const frac = /%f/.test(f) ? 6 : 0;
    type = hasDate && !hasTime ? temporalType('DATE', 0, true) : hasTime && !hasDate ? temporalType('TIME', frac, true) : temporalType('DATETIME', frac, true);
  }
  return strict(args, type, ([v, f], rt) => {
    const str = s(v!);
    const r = strToDate(str, s(f!));
    if (!r) {
      rt.warn('Warning', 'ER_WRONG_VALUE_FOR_TYPE', type.temporal === 'DATE' ? 'date' : type.temporal === 'TIME' ? 'time' : 'datetime', str, 'str_to_date');
      return null;
    }
    return r;
  });
});

// ---- constructors ---------------------------------------------------------------------------
defineFunction('DATE', 1, 1, (args) =>
  strict(args, temporalType('DATE', 0, true), ([v], rt) => {
    const t = dt(v!, rt);
    return t && makeTemporal('DATE', t.year, t.month, t.day);
  }),
);
defineFunction('TIME', 1, 1, (args) =>
  strict(args, temporalType('TIME', args[0]!.type.kind === 'temporal' ? args[0]!.type.decimals : 6, true), ([v], rt) => tm(v!, rt)),
);
defineFunction('TIMESTAMP', 1, 2, (args) =>
  strict(args, temporalType('DATETIME', 6, true), (v, rt) => {
    const t = dt(v[0]!, rt);
    if (!t || v.length === 1) return t && toTemporal(t, 'DATETIME');
    const add = tm(v[1]!, rt);
    if (!add) return null;
    return microsToDatetime(datetimeToMicros(t) + timeToMicros(add), 'DATETIME', Math.max(t.fsp, add.fsp));
  }),
);
defineFunction('LAST_DAY', 1, 1, (args) =>
  strict(args, temporalType('DATE', 0, true), ([v], rt) => {
    const t = dt(v!, rt);
    if (!t || !t.month) return null;
    return makeTemporal('DATE', t.year, t.month, daysInMonth(t.year, t.month));
  }),
);
defineFunction('MAKEDATE', 2, 2, (args) =>
  strict(args, temporalType('DATE', 0, true), ([yv, dv], rt) => {
    let y = n(yv!, rt);
    const doy = n(dv!, rt);
    if (doy <= 0 || y < 0 || y > 9999) return null;
    if (y < 70) y += 2000;
    else if (y < 100) y += 1900;
    const [yy, mm, dd] = fromDayNumber(dayNumber(y, 1, 1) + doy - 1);
    return yy > 9999 || yy === 0 ? null : makeTemporal('DATE', yy, mm, dd);
  }),
);
defineFunction('MAKETIME', 3, 3, (args) =>
  strict(args, temporalType('TIME', 0, true), ([h, m, sv], rt) => {
    const hh = n(h!, rt), mm = n(m!, rt), ss = toDouble(sv!, rt)!;
    if (mm < 0 || mm > 59 || ss < 0 || ss >= 60) return null;
    const us = BigInt(Math.round((Math.abs(hh) * 3600 + mm * 60 + ss) * 1e6));
    return microsToTime(hh < 0 ? -us : us, Number.isInteger(ss) ? 0 : 6);
  }),
);
defineFunction('FROM_DAYS', 1, 1, (args) =>
  strict(args, temporalType('DATE', 0, true), ([v], rt) => {
    const [y, m, d] = fromDayNumber(n(v!, rt));
    return makeTemporal('DATE', y, m, d);
  }),
);
defineFunction('SEC_TO_TIME', 1, 1, (args) =>
  strict(args, temporalType('TIME', args[0]!.type.kind === 'int' ? 0 : 6, true), ([v], rt) => {
    const x = Math.max(-1e12, Math.min(1e12, toDouble(v!, rt)!));
    const us = BigInt(Math.round(x * 1e6));
    const max = 3020399000000n;
    if (us > max || us < -max) rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'time', toStringValue(v));
    return microsToTime(us, args[0]!.type.kind === 'int' ? 0 : Math.min(6, args[0]!.type.decimals));
  }),
);

// ---- arithmetic -----------------------------------------------------------------------------
function intervalOf(v: Value, unit: string, rt: Runtime) {
  if (v === null) return null;
  const iv = makeInterval(typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof Decimal ? s(v) : s(v), unit);
  void rt;
  return iv;
}

function dateAddCore(date: CompiledExpr, amount: CompiledExpr, unit: string, sign: 1 | -1): CompiledExpr {
  const u = unit.toUpperCase();
  const dayOrMore = /^(DAY|WEEK|MONTH|QUARTER|YEAR|YEAR_MONTH)$/.test(u);
  const dt0 = date.type;
  let type: ExprType;
  if (dt0.kind === 'temporal' && dt0.temporal === 'DATE') type = dayOrMore ? temporalType('DATE', 0, true) : temporalType('DATETIME', u.includes('MICRO') ? 6 : 0, true);
  else if (dt0.kind === 'temporal' && dt0.temporal === 'TIME') type = temporalType('TIME', u.includes('MICRO') ? 6 : dt0.decimals, true);
  else if (dt0.kind === 'temporal') type = temporalType('DATETIME', u.includes('MICRO') ? 6 : dt0.decimals, true);
  else type = { ...stringType(29, true), mysqlType: MysqlType.VAR_STRING };
  const de = date.eval, ae = amount.eval;
  const asString = type.kind === 'string';
  return {
    type,
    eval: (row, rt) => {
      const dv = de(row, rt);
      if (dv === null) return null;
      const av = ae(row, rt);
      if (av === null) return null;
      let t: Temporal | null;
      if (dv instanceof Temporal) t = dv;
      else {
        t = dateArg(dv, rt);
        if (t && typeof dv !== 'bigint' && typeof dv !== 'number' && t.kind === 'DATETIME' && !/[ T]\d|^\s*\d{9,}/.test(s(dv))) {
          t = makeTemporal('DATE', t.year, t.month, t.day);
        }
      }
      if (!t) return null;
      const iv = intervalOf(av, u, rt);
      if (!iv) return null;
      const r = addInterval(t, iv, sign);
      if (!r) {
        rt.warn('Warning', 'ER_DATETIME_FUNCTION_OVERFLOW', 'datetime');
        return null;
      }
      if (asString) return r.toString();
      return r;
    },
  };
}

/** `d + INTERVAL n unit`, `INTERVAL n unit + d`, `d - INTERVAL n unit`. @req CORE-EXPR-042 */
export function compileDateArith(e: BinaryExpr, compile: (e: Expr) => CompiledExpr): CompiledExpr {
  const ivSide = (e.right.type === 'interval' ? e.right : e.left) as IntervalExpr;
  const other = e.right.type === 'interval' ? e.left : e.right;
  if (e.op === '-' && e.left.type === 'interval') throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', '-', 1);
  return dateAddCore(compile(other), compile(ivSide.value), ivSide.unit, e.op === '-' ? -1 : 1);
}

function dateAddFn(sign: 1 | -1) {
  return (args: CompiledExpr[], ctx: FnContext): CompiledExpr => {
    const second = ctx.call.args[1]!;
    const unit = second.type === 'interval' ? second.unit : 'DAY';
    return dateAddCore(args[0]!, args[1]!, unit, sign);
  };
}
defineFunction(['DATE_ADD', 'ADDDATE'], 2, 2, dateAddFn(1));
defineFunction(['DATE_SUB', 'SUBDATE'], 2, 2, dateAddFn(-1));

function addTime(sign: 1 | -1) {
  return (args: CompiledExpr[]): CompiledExpr => {
    const t0 = args[0]!.type;
    const type = t0.kind === 'temporal' && t0.temporal === 'TIME' ? temporalType('TIME', 6, true) : t0.kind === 'temporal' ? temporalType('DATETIME', 6, true) : stringType(29, true);
    return strict(args, type, ([a, b], rt) => {
      const delta = tm(b!, rt);
      if (!delta) return null;
      const isTime = a instanceof Temporal ? a.kind === 'TIME' : !/\d+[-/.]\d+[-/.]\d+/.test(s(a!));
      let r: Temporal | null;
      if (isTime) {
        const base = tm(a!, rt);
        if (!base) return null;
        r = microsToTime(timeToMicros(base) + BigInt(sign) * timeToMicros(delta), Math.max(base.fsp, delta.fsp));
      } else {
        const base = dt(a!, rt);
        if (!base) return null;
        r = microsToDatetime(datetimeToMicros(base) + BigInt(sign) * timeToMicros(delta), 'DATETIME', Math.max(base.fsp, delta.fsp));
      }
      if (!r) return null;
      return type.kind === 'string' ? r.toString() : r;
    });
  };
}
defineFunction('ADDTIME', 2, 2, addTime(1));
defineFunction('SUBTIME', 2, 2, addTime(-1));

defineFunction('DATEDIFF', 2, 2, (args) =>
  strict(args, intType(7, true), ([a, b], rt) => {
    const x = dt(a!, rt), y = dt(b!, rt);
    if (!x || !y) return null;
    return BigInt(dayNumber(x.year, x.month, x.day) - dayNumber(y.year, y.month, y.day));
  }),
);
defineFunction('TIMEDIFF', 2, 2, (args) =>
  strict(args, temporalType('TIME', 6, true), ([a, b], rt) => {
    const aTime = a instanceof Temporal ? a.kind === 'TIME' : !/\d+[-/.]\d+[-/.]\d+/.test(s(a!));
    const bTime = b instanceof Temporal ? b.kind === 'TIME' : !/\d+[-/.]\d+[-/.]\d+/.test(s(b!));
    if (aTime !== bTime) return null;
    const x = aTime ? tm(a!, rt) : dt(a!, rt), y = bTime ? tm(b!, rt) : dt(b!, rt);
    if (!x || !y) return null;
    const us = (aTime ? timeToMicros(x) : datetimeToMicros(x)) - (bTime ? timeToMicros(y) : datetimeToMicros(y));
    const max = 3020399000000n;
    if (us > max || us < -max) rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'time', `${us < 0n ? '-' : ''}${(us < 0n ? -us : us) / 3600000000n}:59:59`);
    return microsToTime(us, Math.max(x.fsp, y.fsp));
  }),
);

/** Months between two datetimes, truncated toward zero as TIMESTAMPDIFF does. */
function monthsBetween(a: Temporal, b: Temporal): number {
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  const restA = ((a.day * 24 + a.hour) * 60 + a.minute) * 60e6 + a.second * 1e6 + a.micro;
  const restB = ((b.day * 24 + b.hour) * 60 + b.minute) * 60e6 + b.second * 1e6 + b.micro;
  if (months > 0 && restB < restA) months--;
  else if (months < 0 && restB > restA) months++;
  return months;
}
defineFunction('TIMESTAMPDIFF', 2, 2, (args, ctx) => {
  const unit = (ctx.call.option ?? 'SECOND').toUpperCase();
  return strict(args, intType(21, true), ([a, b], rt) => {
    const x = dt(a!, rt), y = dt(b!, rt);
    if (!x || !y) return null;
    if (unit === 'MONTH' || unit === 'QUARTER' || unit === 'YEAR') {
      const m = monthsBetween(x, y);
      return BigInt(unit === 'MONTH' ? m : Math.trunc(m / (unit === 'YEAR' ? 12 : 3)));
    }
    const us = datetimeToMicros(y) - datetimeToMicros(x);
    const div: Record<string, bigint> = { MICROSECOND: 1n, SECOND: 1000000n, MINUTE: 60000000n, HOUR: 3600000000n, DAY: 86400000000n, WEEK: 604800000000n };
    const dv = div[unit];
    if (!dv) throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', unit, 1);
    return us / dv;
  });
});
defineFunction('TIMESTAMPADD', 2, 2, (args, ctx) => dateAddCore(args[1]!, args[0]!, ctx.call.option ?? 'SECOND', 1));

defineFunction('PERIOD_ADD', 2, 2, (args) =>
  strict(args, intType(6, true), ([p, m], rt) => {
    const pv = n(p!, rt), mv = n(m!, rt);
    if (pv === 0) return 0n;
    let y = Math.floor(pv / 100), mo = pv % 100;
    if (y < 70) y += 2000;
    else if (y < 100) y += 1900;
    const total = y * 12 + mo - 1 + mv;
    return BigInt(Math.floor(total / 12) * 100 + (total % 12) + 1);
  }),
);
defineFunction('PERIOD_DIFF', 2, 2, (args) =>
  strict(args, intType(6, true), ([a, b], rt) => {
    const toM = (pv: number) => {
      let y = Math.floor(pv / 100);
      if (y < 70) y += 2000;
      else if (y < 100) y += 1900;
      return y * 12 + (pv % 100) - 1;
    };
    return BigInt(toM(n(a!, rt)) - toM(n(b!, rt)));
  }),
);

defineFunction('EXTRACT', 1, 1, (args, ctx) => {
  const unit = (ctx.call.option ?? 'YEAR').toUpperCase();
  return strict(args, intType(21, true), ([v], rt) => {
    const timeOnly = /^(HOUR|MINUTE|SECOND|MICROSECOND)/.test(unit) && !(v instanceof Temporal && v.kind !== 'TIME');
    const t = timeOnly ? tm(v!, rt) : dt(v!, rt);
    if (!t) return null;
    const sg = t.negative ? -1 : 1;
    const us = t.micro;
    switch (unit) {
      case 'YEAR': return BigInt(t.year);
      case 'MONTH': return BigInt(t.month);
      case 'DAY': return BigInt(t.day);
      case 'QUARTER': return BigInt(Math.ceil(t.month / 3));
      case 'WEEK': return BigInt(calcWeek(t, weekMode(0))[0]);
      case 'HOUR': return BigInt(sg * t.hour);
      case 'MINUTE': return BigInt(sg * t.minute);
      case 'SECOND': return BigInt(sg * t.second);
      case 'MICROSECOND': return BigInt(sg * us);
      case 'YEAR_MONTH': return BigInt(t.year * 100 + t.month);
      case 'DAY_HOUR': return BigInt(t.day * 100 + t.hour);
      case 'DAY_MINUTE': return BigInt((t.day * 100 + t.hour) * 100 + t.minute);
      case 'DAY_SECOND': return BigInt(((t.day * 100 + t.hour) * 100 + t.minute) * 100 + t.second);
      case 'DAY_MICROSECOND': return BigInt((((t.day * 100 + t.hour) * 100 + t.minute) * 100 + t.second)) * 1000000n + BigInt(us);
      case 'HOUR_MINUTE': return BigInt(sg * (t.hour * 100 + t.minute));
      case 'HOUR_SECOND': return BigInt(sg * ((t.hour * 100 + t.minute) * 100 + t.second));
      case 'HOUR_MICROSECOND': return BigInt(sg) * (BigInt((t.hour * 100 + t.minute) * 100 + t.second) * 1000000n + BigInt(us));
      case 'MINUTE_SECOND': return BigInt(sg * (t.minute * 100 + t.second));
      case 'MINUTE_MICROSECOND': return BigInt(sg) * (BigInt(t.minute * 100 + t.second) * 1000000n + BigInt(us));
      case 'SECOND_MICROSECOND': return BigInt(sg) * (BigInt(t.second) * 1000000n + BigInt(us));
      default: throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', unit, 1);
    }
  });
});

// ---- epoch ----------------------------------------------------------------------------------
defineFunction('UNIX_TIMESTAMP', 0, 1, (args): CompiledExpr => {
  if (args.length === 0) return { type: intType(11, false, true), eval: (_r: Row, rt: Runtime) => BigInt(Math.floor(rt.now.getTime() / 1000)) };
  const t0 = args[0]!.type;
  let fsp = t0.kind === 'temporal' ? t0.decimals : t0.kind === 'string' ? 6 : t0.kind === 'decimal' ? Math.min(6, t0.decimals) : 0;
  if (t0.kind === 'string' && args[0]!.constant) {
    // a constant string's own fractional digits decide the result scale
    const m = /\.(\d+)\s*$/.exec(s(args[0]!.eval([], COMPILE_TIME_RUNTIME)));
    fsp = m ? Math.min(6, m[1]!.length) : 0;
  }
  const type = fsp ? decimalType(17 + fsp, fsp, true) : intType(11, true);
  return strict(args, type, ([v], rt) => {
    const t = dt(v!, rt);
    if (!t || !t.month || !t.day) return fsp ? new Decimal(0n, fsp) : 0n;
    const secs = temporalToEpochSeconds(t, rt.timeZone);
    if (secs < 0 || secs > 32536771199) return fsp ? new Decimal(0n, fsp) : 0n;
    if (!fsp) return BigInt(secs);
    const f = Math.min(fsp, 6);
    return new Decimal(BigInt(secs) * 10n ** BigInt(f) + BigInt(Math.floor(t.micro / 10 ** (6 - f))), f);
  });
});
defineFunction('FROM_UNIXTIME', 1, 2, (args) => {
  const t0 = args[0]!.type;
  const fsp = t0.kind === 'decimal' ? Math.min(6, t0.decimals) : t0.kind === 'int' ? 0 : 6;
  const type = args.length > 1 ? stringType(64, true) : temporalType('DATETIME', fsp, true);
  return strict(args, type, (v, rt) => {
    const dd = toDecimal(v[0]!, rt)!;
    if (dd.unscaled < 0n) return null;
    const secs = Number(dd.scale ? dd.unscaled / 10n ** BigInt(dd.scale) : dd.unscaled);
    if (secs > 32536771199) return null;
    const frac = dd.scale ? Number(dd.unscaled % 10n ** BigInt(dd.scale)) / 10 ** dd.scale : 0;
    let t = dateToTemporal(new Date(secs * 1000), rt.timeZone, 'DATETIME', 0);
    const micro = Math.round(frac * 1e6);
    t = new Temporal('DATETIME', t.year, t.month, t.day, t.hour, t.minute, t.second, micro, fsp);
    if (v.length > 1) return formatTemporal(t, s(v[1]!));
    return roundTemporal(t, fsp);
  });
});
defineFunction('CONVERT_TZ', 3, 3, (args) =>
  strict(args, temporalType('DATETIME', args[0]!.type.decimals === 31 ? 6 : args[0]!.type.decimals, true), ([v, from, to], rt) => {
    const t = dt(v!, rt);
    const f = tzOffsetMinutes(s(from!)), g = tzOffsetMinutes(s(to!));
    if (!t || f === null || g === null) return null;
    return microsToDatetime(datetimeToMicros(t) + BigInt((g - f) * 60) * 1000000n, 'DATETIME', t.fsp);
  }),
);
defineFunction('GET_FORMAT', 1, 1, (args, ctx) => {
  const kind = (ctx.call.option ?? 'DATE').toUpperCase();
  const F: Record<string, Record<string, string>> = {
    DATE: { USA: '%m.%d.%Y', JIS: '%Y-%m-%d', ISO: '%Y-%m-%d', EUR: '%d.%m.%Y', INTERNAL: '%Y%m%d' },
    DATETIME: { USA: '%Y-%m-%d %H.%i.%s', JIS: '%Y-%m-%d %H:%i:%s', ISO: '%Y-%m-%d %H:%i:%s', EUR: '%Y-%m-%d %H.%i.%s', INTERNAL: '%Y%m%d%H%i%s' },
    TIME: { USA: '%h:%i:%s %p', JIS: '%H:%i:%s', ISO: '%H:%i:%s', EUR: '%H.%i.%s', INTERNAL: '%H%i%s' },
  };
  const table = F[kind === 'TIMESTAMP' ? 'DATETIME' : kind] ?? F.DATE!;
  return strict(args, stringType(17, true), ([v]) => table[s(v!).toUpperCase()] ?? null);
});

export { doubleType };

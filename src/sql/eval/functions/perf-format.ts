/**
 * FORMAT_BYTES(count) and FORMAT_PICO_TIME(time): performance_schema's human-readable byte
 * counts (bytes, KiB ... EiB) and picosecond latencies (ps, ns, us, ms, s, min, h, d). Below
 * the first unit the value is a whole number right-aligned in 4 (bytes) or 3 (ps) places;
 * above it, two decimals. The argument is read as a DOUBLE (1292 for text that is not a number).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-functions.html
 * @req CORE-FN-012
 */
import { stringType } from '../type-rules.js';
import type { CompiledExpr } from '../types.js';
import { d, strict } from './helpers.js';
import { defineFunction } from './registry.js';

/** From this magnitude of the scaled value on, exponent notation keeps the text short. */
const EXPONENT_FROM = 100000;

/** Units from the largest down; the last one is the base unit shown as an integer. */
const BYTE_UNITS: [number, string][] = [
  [1024 ** 6, 'EiB'], [1024 ** 5, 'PiB'], [1024 ** 4, 'TiB'], [1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB'],
];
const PICO_UNITS: [number, string][] = [
  [86400e12, 'd'], [3600e12, 'h'], [60e12, 'min'], [1e12, 's'], [1e9, 'ms'], [1e6, 'us'], [1e3, 'ns'],
];

function pad(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** C's %.2e: two decimals and an exponent of at least two digits. */
function exp2(x: number): string {
  const [m, e] = x.toExponential(2).split('e');
  const sign = e!.startsWith('-') ? '-' : '+';
  const digits = e!.replace(/^[+-]/, '');
  return `${m}e${sign}${digits.padStart(2, '0')}`;
}

/** Scale a value into the largest unit it reaches. @req CORE-FN-012 */
export function withUnit(x: number, units: [number, string][], base: string, intWidth: number): string {
  const a = Math.abs(x);
  for (const [size, name] of units) {
    if (a >= size) {
      const v = x / size;
      return `${Math.abs(v) >= EXPONENT_FROM ? exp2(v) : pad(v.toFixed(2), 4)} ${name}`;
    }
  }
  return `${pad(String(Math.trunc(x)), intWidth)} ${base}`;
}

/** @req CORE-FN-012 */
defineFunction('FORMAT_BYTES', 1, 1, (args): CompiledExpr => strict(args, stringType(11, true, 'utf8mb3_general_ci'), ([v], rt) => withUnit(d(v!, rt), BYTE_UNITS, 'bytes', 4)));
/** @req CORE-FN-012 */
defineFunction('FORMAT_PICO_TIME', 1, 1, (args): CompiledExpr => strict(args, stringType(11, true, 'utf8mb3_general_ci'), ([v], rt) => withUnit(d(v!, rt), PICO_UNITS, 'ps', 3)));

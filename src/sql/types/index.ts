/**
 * The type system's public surface: conversions, comparison, storage into columns and result
 * metadata. Import from here rather than from the individual files.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * @req CORE-TYPE-001 CORE-TYPE-002
 */
export { Decimal, Temporal, type Value, type Row, type TemporalKind } from '../../kernel/value.js';
export { compareValues, compareTemporals, compareNumbers, nullSafeEquals, type CompareContext } from './compare.js';
export {
  toBoolean, toNumber, toDouble, toBigInt, toDecimal, toStringValue, toBuffer, toTemporal,
  stringToDouble, numericPrefix, type Warner,
} from './convert.js';
export { storeValue, nullIntoNotNull, implicitDefault, isStrict, roundTemporal, type StoreOptions } from './store.js';
export { resultColumnFromType, columnDefType, mysqlTypeOf } from './result-column.js';
export { valueToText, formatDouble, formatFloat } from './format.js';
export { parseJson, normalizeJsonText, jsonToText, JsonParseError } from './json.js';
export { parseDatetime, parseTime, dayNumber, fromDayNumber } from './temporal.js';

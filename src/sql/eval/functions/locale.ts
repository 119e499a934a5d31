/**
 * The numeric conventions of MySQL's locales (lc_time_names / FORMAT's third argument): decimal
 * point, thousands separator and digit grouping, for the 111 locales MySQL 8.0 knows.
 * FORMAT(X, D, locale) rewrites its en_US result with them; an unknown locale is en_US with
 * warning 1649.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-functions.html#function_format
 * @spec https://dev.mysql.com/doc/refman/8.0/en/locale-support.html
 * @req CORE-FN-011
 */

/** One locale's number format: grouping '3' (thousands), '3;2' (Indian lakh) or '' (none). */
export interface NumericLocale {
  decimalPoint: string;
  thousandsSep: string;
  grouping: '' | '3' | '3;2';
}

/** [name, decimal point, thousands separator, grouping]; bg_BG's separator is a NUL byte in MySQL. */
const TABLE: [string, string, string, NumericLocale['grouping']][] = [
  ['en_US', '.', ',', '3'],
  ['en_GB', '.', ',', '3'],
  ['ja_JP', '.', ',', '3'],
  ['sv_SE', ',', ' ', '3'],
  ['de_DE', ',', '.', '3'],
  ['fr_FR', ',', '', ''],
  ['ar_AE', '.', ',', '3'],
  ['ar_BH', '.', ',', '3'],
  ['ar_JO', '.', ',', '3'],
  ['ar_SA', '.', '', ''],
  ['ar_SY', '.', ',', '3'],
  ['be_BY', ',', '.', '3'],
  ['bg_BG', ',', '\0', '3'],
  ['ca_ES', ',', '', ''],
  ['cs_CZ', ',', ' ', '3'],
  ['da_DK', ',', '.', '3'],
  ['de_AT', ',', '', ''],
  ['es_ES', ',', '.', '3'],
  ['et_EE', ',', ' ', '3'],
  ['eu_ES', ',', '', ''],
  ['fi_FI', ',', ' ', '3'],
  ['fo_FO', ',', '.', '3'],
  ['gl_ES', ',', '', ''],
  ['gu_IN', '.', ',', '3'],
  ['he_IL', '.', ',', '3'],
  ['hi_IN', '.', ',', '3'],
  ['hr_HR', ',', '', ''],
  ['hu_HU', ',', '.', '3'],
  ['id_ID', ',', '.', '3'],
  ['is_IS', ',', '.', '3'],
  ['it_CH', ',', '\'', '3'],
  ['ko_KR', '.', ',', '3'],
  ['lt_LT', ',', '.', '3'],
  ['lv_LV', ',', ' ', '3'],
  ['mk_MK', ',', ' ', '3'],
  ['mn_MN', ',', '.', '3'],
  ['ms_MY', '.', ',', '3'],
  ['nb_NO', ',', '.', '3'],
  ['nl_NL', ',', '', ''],
  ['pl_PL', ',', '', ''],
  ['pt_BR', ',', '', ''],
  ['pt_PT', ',', '', ''],
  ['ro_RO', ',', '.', '3'],
  ['ru_RU', ',', ' ', '3'],
  ['ru_UA', ',', '.', '3'],
  ['sk_SK', ',', ' ', '3'],
  ['sl_SI', ',', ' ', ''],
  ['sq_AL', ',', '.', '3'],
  ['sr_RS', '.', '', ''],
  ['ta_IN', '.', ',', '3;2'],
  ['te_IN', '.', ',', '3;2'],
  ['th_TH', '.', ',', '3'],
  ['tr_TR', ',', '.', '3'],
  ['uk_UA', ',', '.', '3'],
  ['ur_PK', '.', ',', '3'],
  ['vi_VN', ',', '.', '3'],
  ['zh_CN', '.', ',', '3'],
  ['zh_TW', '.', ',', '3'],
  ['ar_DZ', '.', ',', '3'],
  ['ar_EG', '.', ',', '3'],
  ['ar_IN', '.', ',', '3'],
  ['ar_IQ', '.', ',', '3'],
  ['ar_KW', '.', ',', '3'],
  ['ar_LB', '.', ',', '3'],
  ['ar_LY', '.', ',', '3'],
  ['ar_MA', '.', ',', '3'],
  ['ar_OM', '.', ',', '3'],
  ['ar_QA', '.', ',', '3'],
  ['ar_SD', '.', ',', '3'],
  ['ar_TN', '.', ',', '3'],
  ['ar_YE', '.', ',', '3'],
  ['de_BE', ',', '.', '3'],
  ['de_CH', '.', '\'', '3'],
  ['de_LU', ',', '.', '3'],
  ['en_AU', '.', ',', '3'],
  ['en_CA', '.', ',', '3'],
  ['en_IN', '.', ',', '3;2'],
  ['en_NZ', '.', ',', '3'],
  ['en_PH', '.', ',', '3'],
  ['en_ZA', '.', ',', '3'],
  ['en_ZW', '.', ',', '3'],
  ['es_AR', ',', '.', '3'],
  ['es_BO', ',', '.', '3'],
  ['es_CL', ',', '.', '3'],
  ['es_CO', ',', '.', '3'],
  ['es_CR', ',', ' ', '3'],
  ['es_DO', '.', ',', '3'],
  ['es_EC', ',', '.', '3'],
  ['es_GT', '.', ',', '3'],
  ['es_HN', '.', ',', '3'],
  ['es_MX', '.', ',', '3'],
  ['es_NI', '.', ',', '3'],
  ['es_PA', '.', ',', '3'],
  ['es_PE', '.', ',', '3'],
  ['es_PR', '.', ',', '3'],
  ['es_PY', ',', '.', '3'],
  ['es_SV', '.', ',', '3'],
  ['es_US', '.', ',', '3'],
  ['es_UY', ',', '.', '3'],
  ['es_VE', ',', '.', '3'],
  ['fr_BE', ',', '.', ''],
  ['fr_CA', ',', ' ', ''],
  ['fr_CH', ',', '', ''],
  ['fr_LU', ',', '', ''],
  ['it_IT', ',', '', ''],
  ['nl_BE', ',', '.', ''],
  ['no_NO', ',', '.', '3'],
  ['sv_FI', ',', ' ', '3'],
  ['zh_HK', '.', ',', '3'],
  ['el_GR', ',', '.', ''],
  ['rm_CH', ',', '\'', '3'],
];

const BY_NAME = new Map<string, NumericLocale>(TABLE.map(([n, dp, ts, g]) => [n.toLowerCase(), { decimalPoint: dp, thousandsSep: ts, grouping: g }]));

/** A locale by name (case-insensitive), or undefined when MySQL does not know it. @req CORE-FN-011 */
export function numericLocale(name: string): NumericLocale | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Names of all locales, for tests. */
export function localeNames(): string[] {
  return TABLE.map(([n]) => n);
}

/**
 * Rewrite an en_US-formatted number ('-1,234,567.89') in a locale's conventions.
 * @req CORE-FN-011
 */
export function localizeNumber(enUS: string, loc: NumericLocale): string {
  const neg = enUS.startsWith('-');
  const body = neg ? enUS.slice(1) : enUS;
  const dot = body.indexOf('.');
  const intPart = (dot < 0 ? body : body.slice(0, dot)).replace(/,/g, '');
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  let grouped = intPart;
  if (loc.grouping !== '') {
    const parts: string[] = [];
    let rest = intPart;
    let size = 3;
    while (rest.length > size) {
      parts.unshift(rest.slice(rest.length - size));
      rest = rest.slice(0, rest.length - size);
      if (loc.grouping === '3;2') size = 2;
    }
    parts.unshift(rest);
    grouped = parts.join(loc.thousandsSep);
  }
  return (neg ? '-' : '') + grouped + (dot < 0 ? '' : loc.decimalPoint + frac);
}

/**
 * Optimizer hints the executor honours. Hints are comments of the form `/*+ ... *\/` right after
 * the SELECT keyword; the lexer drops comments, so the one hint used here, MAX_EXECUTION_TIME(N),
 * is read from the statement's text. Other hints are ignored, as MySQL ignores unknown ones.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/optimizer-hints.html#optimizer-hints-execution-time
 * @req CORE-CONC-004
 */
/** A hint comment right after the statement's first SELECT keyword (parentheses allowed before). */
const HINT_AFTER_SELECT = /^\s*(?:\(\s*)*SELECT\s*\/\*\+([\s\S]*?)\*\//i;
const MAX_EXECUTION_TIME = /\bMAX_EXECUTION_TIME\s*\(\s*(\d+)\s*\)/i;

/** MAX_EXECUTION_TIME(N) of a top-level SELECT's hint comment (the statement's text), in
 *  milliseconds; undefined without. */
export function executionTimeHint(text: string | undefined): number | undefined {
  if (text === undefined || !text.includes('/*+')) return undefined;
  const hint = HINT_AFTER_SELECT.exec(text);
  if (!hint) return undefined;
  const m = MAX_EXECUTION_TIME.exec(hint[1]!);
  return m ? Number(m[1]) : undefined;
}

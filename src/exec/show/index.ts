/**
 * SHOW statements over the dictionary and the registries, and DESCRIBE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show.html
 * @req CORE-SHOW-001
 */
export { executeShow, isShowStatement } from './execute.js';

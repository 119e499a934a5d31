/**
 * Registration of information_schema / performance_schema / mysql.* virtual tables.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema.html
 * @req CORE-IS-001
 */
import type { DdlServices } from '../ddl/services.js';

export function registerSystemTables(services: DdlServices): void {
  void services;
}

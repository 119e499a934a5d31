/**
 * Loads every function family so that they register themselves in the function table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/built-in-function-reference.html
 * @req CORE-EXPR-004
 */
import './string.js';
import './numeric.js';
import './datetime.js';
import './control.js';
import './info.js';
import './misc.js';
import './json.js';
import './digest.js';
import './spatial.js';
import './bits.js';
import './crypto.js';
import './file.js';
import './xml.js';
import './perf-format.js';
import './json-extra.js';
import './gtid.js';
import './server-build.js';
import './json-schema.js';

/**
 * Named limits of the built-in function families added for the function audit (bit sets,
 * encryption, compression, XML, files).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/built-in-function-reference.html
 * @req CORE-FN-002 CORE-FN-003 CORE-FN-005 CORE-FN-006 CORE-FN-008
 */

/** Bits in the mask of MAKE_SET / EXPORT_SET / BIT_COUNT (a BIGINT UNSIGNED). @req CORE-FN-002 CORE-FN-003 */
export const BIT_SET_WIDTH = 64;
/** AES block and IV size in bytes. @req CORE-FN-005 */
export const AES_BLOCK_BYTES = 16;
/** Longest KDF option (name, salt, info) AES_ENCRYPT accepts, in bytes (one less than this). @req CORE-FN-005 */
export const AES_KDF_OPTION_MAX = 256;
/** Longest pbkdf2_hmac iteration count text (one less than this). @req CORE-FN-005 */
export const AES_KDF_ITERATIONS_TEXT_MAX = 6;
/** pbkdf2_hmac iteration bounds and default. @req CORE-FN-005 */
export const AES_KDF_ITERATIONS_MIN = 1000;
export const AES_KDF_ITERATIONS_MAX = 65535;
/** COMPRESS's length prefix: 4 bytes, little-endian, the top two bits unused. @req CORE-FN-006 */
export const COMPRESS_PREFIX_BYTES = 4;
export const COMPRESS_LENGTH_MASK = 0x3fffffff;
/** Nesting depth of an XML document / XPath expression we parse before giving up (errors, never a
 *  stack overflow). @req CORE-FN-008 */
export const XML_MAX_DEPTH = 1000;
export const XPATH_MAX_DEPTH = 200;
/** How much of the expression an XPath syntax error quotes (MySQL's 32-byte buffer, NUL
 *  included). @req CORE-FN-010 */
export const XPATH_ERROR_CONTEXT = 31;

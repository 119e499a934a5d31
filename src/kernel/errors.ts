/**
 * The server error catalogue: error number, SQLSTATE and message template for every
 * error refmysql raises. The wire protocol turns a {@link SqlError} into an ERR packet;
 * warnings use the same catalogue through the session's diagnostics area.
 *
 * Numbers, SQLSTATEs and message templates are MySQL's interface (clients match on
 * them), so they follow MySQL 8.0 exactly; see
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 *
 * Templates use printf-style `%s` / `%d` / `%lu` / `%.*s` placeholders, filled in order by
 * {@link formatMessage}.
 *
 * Adding an entry: append it to ERRORS, keeping numeric order. Never change a number.
 *
 * @spec https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 * @req CORE-ERR-001
 */

export interface ErrorSpec {
  readonly code: number;
  readonly sqlState: string;
  readonly template: string;
}

function e(code: number, sqlState: string, template: string): ErrorSpec {
  return { code, sqlState, template };
}

/** The catalogue, keyed by MySQL's symbolic name. */
export const ERRORS = {
  ER_HASHCHK: e(1000, 'HY000', 'hashchk'),
  ER_CANT_CREATE_DB: e(1006, 'HY000', "Can't create database '%s' (errno: %d)"),
  ER_DB_CREATE_EXISTS: e(1007, 'HY000', "Can't create database '%s'; database exists"),
  ER_DB_DROP_EXISTS: e(1008, 'HY000', "Can't drop database '%s'; database doesn't exist"),
  ER_CANT_FIND_SYSTEM_REC: e(1012, 'HY000', "Can't read record in system table"),
  ER_FILE_NOT_FOUND: e(1017, 'HY000', "Can't find file: '%s' (errno: %d - %s)"),
  ER_CHECKREAD: e(1020, 'HY000', "Record has changed since last read in table '%s'"),
  ER_DUP_KEY: e(1022, '23000', "Can't write; duplicate key in table '%s'"),
  ER_ERROR_ON_RENAME: e(1025, 'HY000', "Error on rename of '%s' to '%s' (errno: %d - %s)"),
  ER_ILLEGAL_HA: e(1031, 'HY000', "Table storage engine for '%s' doesn't have this option"),
  ER_KEY_NOT_FOUND: e(1032, 'HY000', "Can't find record in '%s'"),
  ER_OUT_OF_RESOURCES: e(1041, 'HY000', 'Out of memory; check if mysqld or some other process uses all available memory; if not, you may have to use \'ulimit\' to allow mysqld to use more memory or you can add more swap space'),
  ER_BAD_HOST_ERROR: e(1042, '08S01', "Can't get hostname for your address"),
  ER_HANDSHAKE_ERROR: e(1043, '08S01', 'Bad handshake'),
  ER_DBACCESS_DENIED_ERROR: e(1044, '42000', "Access denied for user '%s'@'%s' to database '%s'"),
  ER_ACCESS_DENIED_ERROR: e(1045, '28000', "Access denied for user '%s'@'%s' (using password: %s)"),
  ER_NO_DB_ERROR: e(1046, '3D000', 'No database selected'),
  ER_UNKNOWN_COM_ERROR: e(1047, '08S01', 'Unknown command'),
  ER_BAD_NULL_ERROR: e(1048, '23000', "Column '%s' cannot be null"),
  ER_BAD_DB_ERROR: e(1049, '42000', "Unknown database '%s'"),
  ER_TABLE_EXISTS_ERROR: e(1050, '42S01', "Table '%s' already exists"),
  ER_BAD_TABLE_ERROR: e(1051, '42S02', "Unknown table '%s'"),
  ER_NON_UNIQ_ERROR: e(1052, '23000', "Column '%s' in %s is ambiguous"),
  ER_SERVER_SHUTDOWN: e(1053, '08S01', 'Server shutdown in progress'),
  ER_BAD_FIELD_ERROR: e(1054, '42S22', "Unknown column '%s' in '%s'"),
  ER_WRONG_FIELD_WITH_GROUP: e(1055, '42000', "Expression #%u of %s is not in GROUP BY clause and contains nonaggregated column '%s' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by"),
  ER_WRONG_GROUP_FIELD: e(1056, '42000', "Can't group on '%s'"),
  ER_WRONG_VALUE_COUNT: e(1058, '21S01', "Column count doesn't match value count"),
  ER_TOO_LONG_IDENT: e(1059, '42000', "Identifier name '%s' is too long"),
  ER_DUP_FIELDNAME: e(1060, '42S21', "Duplicate column name '%s'"),
  ER_DUP_KEYNAME: e(1061, '42000', "Duplicate key name '%s'"),
  ER_DUP_ENTRY: e(1062, '23000', "Duplicate entry '%s' for key '%s'"),
  ER_WRONG_FIELD_SPEC: e(1063, '42000', "Incorrect column specifier for column '%s'"),
  ER_PARSE_ERROR: e(1064, '42000', "%s near '%-.80s' at line %d"),
  ER_EMPTY_QUERY: e(1065, '42000', 'Query was empty'),
  ER_NONUNIQ_TABLE: e(1066, '42000', "Not unique table/alias: '%s'"),
  ER_INVALID_DEFAULT: e(1067, '42000', "Invalid default value for '%s'"),
  ER_MULTIPLE_PRI_KEY: e(1068, '42000', 'Multiple primary key defined'),
  ER_TOO_MANY_KEYS: e(1069, '42000', 'Too many keys specified; max %d keys allowed'),
  ER_TOO_MANY_KEY_PARTS: e(1070, '42000', 'Too many key parts specified; max %d parts allowed'),
  ER_TOO_LONG_KEY: e(1071, '42000', 'Specified key was too long; max key length is %d bytes'),
  ER_KEY_COLUMN_DOES_NOT_EXITS: e(1072, '42000', "Key column '%s' doesn't exist in table"),
  ER_BLOB_USED_AS_KEY: e(1073, '42000', "BLOB column '%s' can't be used in key specification with the used table type"),
  ER_TOO_BIG_FIELDLENGTH: e(1074, '42000', "Column length too big for column '%s' (max = %lu); use BLOB or TEXT instead"),
  ER_WRONG_AUTO_KEY: e(1075, '42000', 'Incorrect table definition; there can be only one auto column and it must be defined as a key'),
  ER_READY: e(1076, 'HY000', "%s: ready for connections.\nVersion: '%s'  socket: '%s'  port: %d"),
  ER_NORMAL_SHUTDOWN: e(1077, 'HY000', '%s: Normal shutdown\n'),
  ER_FORCING_CLOSE: e(1080, '08S01', '%s: Forcing close of thread %ld  user: \'%s\'\n'),
  ER_WRONG_SUB_KEY: e(1089, 'HY000', 'Incorrect prefix key; the used key part isn\'t a string, the used length is longer than the key part, or the storage engine doesn\'t support unique prefix keys'),
  ER_CANT_REMOVE_ALL_FIELDS: e(1090, '42000', "You can't delete all columns with ALTER TABLE; use DROP TABLE instead"),
  ER_CANT_DROP_FIELD_OR_KEY: e(1091, '42000', "Can't DROP '%s'; check that column/key exists"),
  ER_INSERT_INFO: e(1092, 'HY000', 'Records: %ld  Duplicates: %ld  Warnings: %ld'),
  ER_UPDATE_TABLE_USED: e(1093, 'HY000', "You can't specify target table '%s' for update in FROM clause"),
  ER_NO_SUCH_THREAD: e(1094, 'HY000', 'Unknown thread id: %lu'),
  ER_KILL_DENIED_ERROR: e(1095, 'HY000', 'You are not owner of thread %lu'),
  ER_NO_TABLES_USED: e(1096, 'HY000', 'No tables used'),
  ER_TABLE_NOT_LOCKED_FOR_WRITE: e(1099, 'HY000', "Table '%s' was locked with a READ lock and can't be updated"),
  ER_TABLE_NOT_LOCKED: e(1100, 'HY000', "Table '%s' was not locked with LOCK TABLES"),
  ER_BLOB_CANT_HAVE_DEFAULT: e(1101, '42000', "BLOB, TEXT, GEOMETRY or JSON column '%s' can't have a default value"),
  ER_WRONG_DB_NAME: e(1102, '42000', "Incorrect database name '%s'"),
  ER_WRONG_TABLE_NAME: e(1103, '42000', "Incorrect table name '%s'"),
  ER_UNKNOWN_ERROR: e(1105, 'HY000', 'Unknown error'),
  ER_UNKNOWN_PROCEDURE: e(1106, '42000', "Unknown procedure '%s'"),
  ER_UNKNOWN_TABLE: e(1109, '42S02', "Unknown table '%s' in %s"),
  ER_FIELD_SPECIFIED_TWICE: e(1110, '42000', "Column '%s' specified twice"),
  ER_INVALID_GROUP_FUNC_USE: e(1111, 'HY000', 'Invalid use of group function'),
  ER_TABLE_MUST_HAVE_COLUMNS: e(1113, '42000', 'A table must have at least 1 column'),
  ER_RECORD_FILE_FULL: e(1114, 'HY000', "The table '%s' is full"),
  ER_UNKNOWN_CHARACTER_SET: e(1115, '42000', "Unknown character set: '%s'"),
  ER_TOO_MANY_TABLES: e(1116, 'HY000', 'Too many tables; MySQL can only use %d tables in a join'),
  ER_TOO_MANY_FIELDS: e(1117, 'HY000', 'Too many columns'),
  ER_TOO_BIG_ROWSIZE: e(1118, '42000', 'Row size too large. The maximum row size for the used table type, not counting BLOBs, is %ld. This includes storage overhead, check the manual. You have to change some columns to TEXT or BLOBs'),
  ER_WRONG_OUTER_JOIN: e(1120, '42000', 'Cross dependency found in OUTER JOIN; examine your ON conditions'),
  ER_NULL_COLUMN_IN_INDEX: e(1121, '42000', "Table handler doesn't support NULL in given index. Please change column '%s' to be NOT NULL or use another handler"),
  ER_FUNCTION_NOT_DEFINED: e(1128, 'HY000', "Function '%s' is not defined"),
  ER_HOST_NOT_PRIVILEGED: e(1130, 'HY000', "Host '%s' is not allowed to connect to this MySQL server"),
  ER_PASSWORD_ANONYMOUS_USER: e(1131, '42000', 'You are using MySQL as an anonymous user and anonymous users are not allowed to change passwords'),
  ER_PASSWORD_NOT_ALLOWED: e(1132, '42000', 'You must have privileges to update tables in the mysql database to be able to change passwords for others'),
  ER_PASSWORD_NO_MATCH: e(1133, '42000', "Can't find any matching row in the user table"),
  ER_UPDATE_INFO: e(1134, 'HY000', 'Rows matched: %ld  Changed: %ld  Warnings: %ld'),
  ER_WRONG_VALUE_COUNT_ON_ROW: e(1136, '21S01', "Column count doesn't match value count at row %ld"),
  ER_CANT_REOPEN_TABLE: e(1137, 'HY000', "Can't reopen table: '%s'"),
  ER_INVALID_USE_OF_NULL: e(1138, '22004', 'Invalid use of NULL value'),
  ER_MIX_OF_GROUP_FUNC_AND_FIELDS: e(1140, '42000', 'In aggregated query without GROUP BY, expression #%u of SELECT list contains nonaggregated column \'%s\'; this is incompatible with sql_mode=only_full_group_by'),
  ER_NONEXISTING_GRANT: e(1141, '42000', "There is no such grant defined for user '%s' on host '%s'"),
  ER_TABLEACCESS_DENIED_ERROR: e(1142, '42000', "%s command denied to user '%s'@'%s' for table '%s'"),
  ER_COLUMNACCESS_DENIED_ERROR: e(1143, '42000', "%s command denied to user '%s'@'%s' for column '%s' in table '%s'"),
  ER_ILLEGAL_GRANT_FOR_TABLE: e(1144, '42000', 'Illegal GRANT/REVOKE command; please consult the manual to see which privileges can be used'),
  ER_GRANT_WRONG_HOST_OR_USER: e(1145, '42000', 'The host or user argument to GRANT is too long'),
  ER_NO_SUCH_TABLE: e(1146, '42S02', "Table '%s.%s' doesn't exist"),
  ER_NONEXISTING_TABLE_GRANT: e(1147, '42000', "There is no such grant defined for user '%s' on host '%s' on table '%s'"),
  ER_NOT_ALLOWED_COMMAND: e(1148, '42000', 'The used command is not allowed with this MySQL version'),
  ER_SYNTAX_ERROR: e(1149, '42000', 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use'),
  ER_ABORTING_CONNECTION: e(1152, '08S01', "Aborted connection %ld to db: '%s' user: '%s' (%s)"),
  ER_NET_PACKET_TOO_LARGE: e(1153, '08S01', "Got a packet bigger than 'max_allowed_packet' bytes"),
  ER_NET_READ_ERROR_FROM_PIPE: e(1154, '08S01', 'Got a read error from the connection pipe'),
  ER_NET_READ_ERROR: e(1158, '08S01', 'Got an error reading communication packets'),
  ER_NET_READ_INTERRUPTED: e(1159, '08S01', 'Got timeout reading communication packets'),
  ER_TOO_LONG_STRING: e(1162, '42000', "Result string is longer than 'max_allowed_packet' bytes"),
  ER_TABLE_CANT_HANDLE_BLOB: e(1163, '42000', "The used table type doesn't support BLOB/TEXT columns"),
  ER_TABLE_CANT_HANDLE_AUTO_INCREMENT: e(1164, '42000', "The used table type doesn't support AUTO_INCREMENT columns"),
  ER_WRONG_COLUMN_NAME: e(1166, '42000', "Incorrect column name '%s'"),
  ER_WRONG_KEY_COLUMN: e(1167, '42000', "The used storage engine can't index column '%s'"),
  ER_DUP_UNIQUE: e(1169, '23000', "Can't write, because of unique constraint, to table '%s'"),
  ER_BLOB_KEY_WITHOUT_LENGTH: e(1170, '42000', "BLOB/TEXT column '%s' used in key specification without a key length"),
  ER_PRIMARY_CANT_HAVE_NULL: e(1171, '42000', 'All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead'),
  ER_TOO_MANY_ROWS: e(1172, '42000', 'Result consisted of more than one row'),
  ER_REQUIRES_PRIMARY_KEY: e(1173, '42000', 'This table type requires a primary key'),
  ER_UPDATE_WITHOUT_KEY_IN_SAFE_MODE: e(1175, 'HY000', 'You are using safe update mode and you tried to update a table without a WHERE that uses a KEY column. %s'),
  ER_KEY_DOES_NOT_EXITS: e(1176, '42000', "Key '%s' doesn't exist in table '%s'"),
  ER_CHECK_NO_SUCH_TABLE: e(1177, '42000', "Can't open table"),
  ER_CHECK_NOT_IMPLEMENTED: e(1178, '42000', "The storage engine for the table doesn't support %s"),
  ER_CANT_DO_THIS_DURING_AN_TRANSACTION: e(1179, '25000', 'You are not allowed to execute this command in a transaction'),
  ER_ERROR_DURING_COMMIT: e(1180, 'HY000', 'Got error %d - \'%s\' during COMMIT'),
  ER_ERROR_DURING_ROLLBACK: e(1181, 'HY000', 'Got error %d - \'%s\' during ROLLBACK'),
  ER_NEW_ABORTING_CONNECTION: e(1184, '08S01', "Aborted connection %u to db: '%s' user: '%s' host: '%s' (%s)"),
  ER_LOCK_OR_ACTIVE_TRANSACTION: e(1192, 'HY000', "Can't execute the given command because you have active locked tables or an active transaction"),
  ER_UNKNOWN_SYSTEM_VARIABLE: e(1193, 'HY000', "Unknown system variable '%s'"),
  ER_CRASHED_ON_USAGE: e(1194, 'HY000', "Table '%s' is marked as crashed and should be repaired"),
  ER_WARNING_NOT_COMPLETE_ROLLBACK: e(1196, 'HY000', "Some non-transactional changed tables couldn't be rolled back"),
  ER_LOCK_WAIT_TIMEOUT: e(1205, 'HY000', 'Lock wait timeout exceeded; try restarting transaction'),
  ER_READ_ONLY_TRANSACTION: e(1207, '25000', "Update locks cannot be acquired during a READ UNCOMMITTED transaction"),
  ER_WRONG_ARGUMENTS: e(1210, 'HY000', 'Incorrect arguments to %s'),
  ER_NO_PERMISSION_TO_CREATE_USER: e(1211, '42000', "'%s'@'%s' is not allowed to create new users"),
  ER_LOCK_DEADLOCK: e(1213, '40001', 'Deadlock found when trying to get lock; try restarting transaction'),
  ER_TABLE_CANT_HANDLE_FT: e(1214, 'HY000', "The used table type doesn't support FULLTEXT indexes"),
  ER_WRONG_USAGE: e(1221, 'HY000', 'Incorrect usage of %s and %s'),
  ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT: e(1222, '21000', 'The used SELECT statements have a different number of columns'),
  ER_CANT_UPDATE_WITH_READLOCK: e(1223, 'HY000', "Can't execute the query because you have a conflicting read lock"),
  ER_DUP_ARGUMENT: e(1225, 'HY000', "Option '%s' used twice in statement"),
  ER_USER_LIMIT_REACHED: e(1226, '42000', "User '%s' has exceeded the '%s' resource (current value: %ld)"),
  ER_SPECIFIC_ACCESS_DENIED_ERROR: e(1227, '42000', 'Access denied; you need (at least one of) the %s privilege(s) for this operation'),
  ER_LOCAL_VARIABLE: e(1228, 'HY000', "Variable '%s' is a SESSION variable and can't be used with SET GLOBAL"),
  ER_GLOBAL_VARIABLE: e(1229, 'HY000', "Variable '%s' is a GLOBAL variable and should be set with SET GLOBAL"),
  ER_NO_DEFAULT: e(1230, '42000', "Variable '%s' doesn't have a default value"),
  ER_WRONG_VALUE_FOR_VAR: e(1231, '42000', "Variable '%s' can't be set to the value of '%s'"),
  ER_WRONG_TYPE_FOR_VAR: e(1232, '42000', "Incorrect argument type to variable '%s'"),
  ER_VAR_CANT_BE_READ: e(1233, 'HY000', "Variable '%s' can only be set, not read"),
  ER_CANT_USE_OPTION_HERE: e(1234, '42000', "Incorrect usage/placement of '%s'"),
  ER_NOT_SUPPORTED_YET: e(1235, '42000', "This version of MySQL doesn't yet support '%s'"),
  ER_INCORRECT_GLOBAL_LOCAL_VAR: e(1238, 'HY000', "Variable '%s' is a %s variable"),
  ER_WRONG_FK_DEF: e(1239, '42000', "Incorrect foreign key definition for '%s': %s"),
  ER_OPERAND_COLUMNS: e(1241, '21000', 'Operand should contain %d column(s)'),
  ER_SUBQUERY_NO_1_ROW: e(1242, '21000', 'Subquery returns more than 1 row'),
  ER_UNKNOWN_STMT_HANDLER: e(1243, 'HY000', 'Unknown prepared statement handler (%.*s) given to %s'),
  ER_ILLEGAL_REFERENCE: e(1247, '42S22', "Reference '%s' not supported (%s)"),
  ER_DERIVED_MUST_HAVE_ALIAS: e(1248, '42000', 'Every derived table must have its own alias'),
  ER_SELECT_REDUCED: e(1249, '01000', 'Select %u was reduced during optimization'),
  ER_TABLENAME_NOT_ALLOWED_HERE: e(1250, '42000', "Table '%s' from one of the SELECTs cannot be used in %s"),
  ER_NOT_SUPPORTED_AUTH_MODE: e(1251, '08004', 'Client does not support authentication protocol requested by server; consider upgrading MySQL client'),
  ER_SPATIAL_CANT_HAVE_NULL: e(1252, '42000', 'All parts of a SPATIAL index must be NOT NULL'),
  ER_COLLATION_CHARSET_MISMATCH: e(1253, '42000', "COLLATION '%s' is not valid for CHARACTER SET '%s'"),
  ER_WARN_TOO_FEW_RECORDS: e(1261, '01000', "Row %ld doesn't contain data for all columns"),
  ER_WARN_TOO_MANY_RECORDS: e(1262, '01000', 'Row %ld was truncated; it contained more data than there were input columns'),
  ER_WARN_NULL_TO_NOTNULL: e(1263, '22004', "Column set to default value; NULL supplied to NOT NULL column '%s' at row %ld"),
  ER_WARN_DATA_OUT_OF_RANGE: e(1264, '22003', "Out of range value for column '%s' at row %ld"),
  WARN_DATA_TRUNCATED: e(1265, '01000', "Data truncated for column '%s' at row %ld"),
  ER_WARN_USING_OTHER_HANDLER: e(1266, 'HY000', "Using storage engine %s for table '%s'"),
  ER_CANT_AGGREGATE_2COLLATIONS: e(1267, 'HY000', "Illegal mix of collations (%s,%s) and (%s,%s) for operation '%s'"),
  ER_REVOKE_GRANTS: e(1269, 'HY000', "Can't revoke all privileges for one or more of the requested users"),
  ER_CANT_AGGREGATE_3COLLATIONS: e(1270, 'HY000', "Illegal mix of collations (%s,%s), (%s,%s), (%s,%s) for operation '%s'"),
  ER_CANT_AGGREGATE_NCOLLATIONS: e(1271, 'HY000', "Illegal mix of collations for operation '%s'"),
  ER_VARIABLE_IS_NOT_STRUCT: e(1272, 'HY000', "Variable '%s' is not a variable component (can't be used as XXXX.variable_name)"),
  ER_UNKNOWN_COLLATION: e(1273, 'HY000', "Unknown collation: '%s'"),
  ER_WARN_FIELD_RESOLVED: e(1276, 'HY000', "Field or reference '%s%s%s%s%s' of SELECT #%d was resolved in SELECT #%d"),
  ER_BAD_FT_COLUMN: e(1283, 'HY000', "Column '%s' cannot be part of FULLTEXT index"),
  ER_UNKNOWN_KEY_CACHE: e(1284, 'HY000', "Unknown key cache '%s'"),
  ER_UNKNOWN_STORAGE_ENGINE: e(1286, '42000', "Unknown storage engine '%s'"),
  ER_WARN_DEPRECATED_SYNTAX: e(1287, 'HY000', "'%s' is deprecated and will be removed in a future release. Please use %s instead"),
  ER_NON_UPDATABLE_TABLE: e(1288, 'HY000', 'The target table %s of the %s is not updatable'),
  ER_FEATURE_DISABLED: e(1289, 'HY000', "The '%s' feature is disabled; you need MySQL built with '%s' to have it working"),
  ER_OPTION_PREVENTS_STATEMENT: e(1290, 'HY000', 'The MySQL server is running with the %s option so it cannot execute this statement'),
  ER_DUPLICATED_VALUE_IN_TYPE: e(1291, 'HY000', "Column '%s' has duplicated value '%s' in %s"),
  ER_TRUNCATED_WRONG_VALUE: e(1292, '22007', "Truncated incorrect %s value: '%s'"),
  ER_INVALID_ON_UPDATE: e(1294, 'HY000', "Invalid ON UPDATE clause for '%s' column"),
  ER_UNSUPPORTED_PS: e(1295, 'HY000', 'This command is not supported in the prepared statement protocol yet'),
  ER_UNKNOWN_TIME_ZONE: e(1298, 'HY000', "Unknown or incorrect time zone: '%s'"),
  ER_INVALID_CHARACTER_STRING: e(1300, 'HY000', "Invalid %s character string: '%.64s'"),
  ER_WARN_ALLOWED_PACKET_OVERFLOWED: e(1301, 'HY000', "Result of %s() was larger than max_allowed_packet (%ld) - truncated"),
  ER_SP_DOES_NOT_EXIST: e(1305, '42000', '%s %s does not exist'),
  ER_SP_WRONG_NO_OF_ARGS: e(1318, '42000', 'Incorrect number of arguments for %s %s; expected %u, got %u'),
  ER_QUERY_INTERRUPTED: e(1317, '70100', 'Query execution was interrupted'),
  ER_SP_NOT_VAR_ARG: e(1414, '42000', 'OUT or INOUT argument %d for routine %s is not a variable or NEW pseudo-variable in BEFORE trigger'),
  ER_SP_BADSTATEMENT: e(1314, '0A000', '%s is not allowed in stored procedures'),
  ER_TRG_DOES_NOT_EXIST: e(1360, 'HY000', 'Trigger does not exist'),
  ER_NO_DEFAULT_FOR_FIELD: e(1364, 'HY000', "Field '%s' doesn't have a default value"),
  ER_DIVISION_BY_ZERO: e(1365, '22012', 'Division by 0'),
  ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: e(1366, 'HY000', "Incorrect %-.32s value: '%-.128s' for column '%.192s' at row %ld"),
  ER_ILLEGAL_VALUE_FOR_TYPE: e(1367, '22007', "Illegal %s '%s' value found during parsing"),
  ER_VIEW_NONUPD_CHECK: e(1368, 'HY000', "CHECK OPTION on non-updatable view '%s.%s'"),
  ER_PASSWD_LENGTH: e(1372, 'HY000', 'Password hash should be a %d-digit hexadecimal number'),
  ER_UNKNOWN_TARGET_BINLOG: e(1373, 'HY000', 'Target log not found in binlog index'),
  ER_DATETIME_FUNCTION_OVERFLOW: e(1441, '22008', 'Datetime function: %s field overflow'),
  ER_TOO_BIG_PRECISION: e(1426, '42000', "Too-big precision %d specified for '%s'. Maximum is %lu."),
  ER_M_BIGGER_THAN_D: e(1427, '42000', "For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '%s')."),
  ER_TOO_BIG_SCALE: e(1425, '42000', "Too big scale %d specified for column '%s'. Maximum is %lu."),
  ER_TOO_BIG_DISPLAYWIDTH: e(1439, '42000', "Display width out of range for column '%s' (max = %lu)"),
  ER_WRONG_STRING_LENGTH: e(1470, 'HY000', "String '%s' is too long for %s (should be no longer than %d)"),
  ER_TABLE_CANT_HANDLE_SPKEYS: e(1464, 'HY000', "The used table type doesn't support SPATIAL indexes"),
  ER_CANT_CREATE_USER_WITH_GRANT: e(1410, '42000', 'You are not allowed to create a user with GRANT'),
  ER_WRONG_VALUE_FOR_TYPE: e(1411, 'HY000', 'Incorrect %s value: \'%s\' for function %s'),
  ER_PLUGIN_IS_NOT_LOADED: e(1524, 'HY000', "Plugin '%s' is not loaded"),
  ER_WRONG_VALUE: e(1525, 'HY000', "Incorrect %s value: '%s'"),
  ER_CANT_OPEN_LIBRARY: e(1126, 'HY000', "Can't open shared library '%s' (errno: %d %s)"),
  ER_CANT_FIND_DL_ENTRY: e(1127, 'HY000', "Can't find symbol '%s' in library"),
  ER_FUNCTION_EXISTS: e(1125, 'HY000', "Function '%s' already exists"),
  ER_UDF_NO_PATHS: e(1124, 'HY000', 'No paths allowed for shared library'),
  ER_CANNOT_USER: e(1396, 'HY000', 'Operation %s failed for %s'),
  ER_XAER_NOTA: e(1397, 'XAE04', 'XAER_NOTA: Unknown XID'),
  ER_XAER_INVAL: e(1398, 'XAE05', 'XAER_INVAL: Invalid arguments (or unsupported command)'),
  ER_XAER_RMFAIL: e(1399, 'XAE07', 'XAER_RMFAIL: The command cannot be executed when global transaction is in the  %.64s state'),
  ER_XAER_OUTSIDE: e(1400, 'XAE09', 'XAER_OUTSIDE: Some work is done outside global transaction'),
  ER_XAER_RMERR: e(1401, 'XAE03', 'XAER_RMERR: Fatal error occurred in the transaction branch - check your data for consistency'),
  ER_XA_RBROLLBACK: e(1402, 'XA100', 'XA_RBROLLBACK: Transaction branch was rolled back'),
  ER_NONEXISTING_PROC_GRANT: e(1403, '42000', "There is no such grant defined for user '%s' on host '%s' on routine '%s'"),
  ER_XAER_DUPID: e(1440, 'XAE08', 'XAER_DUPID: The XID already exists'),
  ER_NO_SUCH_USER: e(1449, 'HY000', "The user specified as a definer ('%s'@'%s') does not exist"),
  ER_TEMP_TABLE_PREVENTS_SWITCH_OUT_OF_RBR: e(1559, 'HY000', 'Cannot switch out of the row-based binary log format when the session has open temporary tables'),
  ER_DUP_ENTRY_WITH_KEY_NAME: e(1586, '23000', "Duplicate entry '%s' for key '%s'"),
  ER_DATA_TOO_LONG: e(1406, '22001', "Data too long for column '%s' at row %ld"),
  ER_WARN_CANT_DROP_DEFAULT_KEYCACHE: e(1438, 'HY000', 'Cannot drop default keycache'),
  ER_AUTOINC_READ_FAILED: e(1467, 'HY000', 'Failed to read auto-increment value from storage engine'),
  ER_ILLEGAL_HA_CREATE_OPTION: e(1478, 'HY000', "Table storage engine '%s' does not support the create option '%s'"),
  ER_INDEX_COLUMN_TOO_LONG: e(1709, 'HY000', 'Index column size too large. The maximum column size is %lu bytes.'),
  ER_UNSUPPORT_COMPRESSED_TEMPORARY_TABLE: e(3500, 'HY000', 'CREATE TEMPORARY TABLE is not allowed with ROW_FORMAT=COMPRESSED or KEY_BLOCK_SIZE.'),
  ER_TRUNCATE_ILLEGAL_FK: e(1701, '42000', "Cannot truncate a table referenced in a foreign key constraint (%s)"),
  ER_TOO_LONG_FIELD_COMMENT: e(1629, 'HY000', "Comment for field '%s' is too long (max = %lu)"),
  ER_TOO_LONG_TABLE_COMMENT: e(1628, 'HY000', "Comment for table '%s' is too long (max = %lu)"),
  ER_XA_RBTIMEOUT: e(1613, 'XA106', 'XA_RBTIMEOUT: Transaction branch was rolled back: took too long'),
  ER_XA_RBDEADLOCK: e(1614, 'XA102', 'XA_RBDEADLOCK: Transaction branch was rolled back: deadlock was detected'),
  ER_FUNC_INEXISTENT_NAME_COLLISION: e(1630, '42000', 'FUNCTION %s does not exist. Check the \'Function Name Parsing and Resolution\' section in the Reference Manual'),
  ER_SIGNAL_EXCEPTION: e(1644, 'HY000', 'Unhandled user-defined exception condition'),
  ER_CANNOT_LOAD_FROM_TABLE_V2: e(1728, 'HY000', 'Cannot load from %s.%s. The table is probably corrupted'),
  ER_TOO_MANY_CONCURRENT_TRXS: e(1637, 'HY000', 'Too many active concurrent transactions'),
  ER_DATA_OUT_OF_RANGE: e(1690, '22003', "%s value is out of range in '%s'"),
  ER_WRONG_SPVAR_TYPE_IN_LIMIT: e(1691, 'HY000', 'A variable of a non-integer based type in LIMIT clause'),
  ER_SPATIAL_MUST_HAVE_GEOM_COL: e(1687, '42000', 'A SPATIAL index may only contain a geometrical type column'),
  ER_WRONG_NATIVE_TABLE_STRUCTURE: e(1682, 'HY000', "Native table '%s'.'%s' has the wrong structure"),
  ER_PLUGIN_IS_PERMANENT: e(1702, 'HY000', "Plugin '%s' is force_plus_permanent and can not be unloaded"),
  ER_CANT_CHANGE_TX_CHARACTERISTICS: e(1568, '25001', "Transaction characteristics can't be changed while a transaction is in progress"),
  ER_TOO_LONG_INDEX_COMMENT: e(1688, 'HY000', "Comment for index '%s' is too long (max = %lu)"),
  ER_PARTITION_MGMT_ON_NONPARTITIONED: e(1505, 'HY000', 'Partition management on a not partitioned table is not possible'),
  ER_NO_SUCH_PARTITION: e(1749, 'HY000', "partition '%s' doesn't exist"),
  ER_UNKNOWN_ALTER_ALGORITHM: e(1800, 'HY000', "Unknown ALGORITHM '%s'"),
  ER_UNKNOWN_ALTER_LOCK: e(1801, 'HY000', "Unknown LOCK type '%s'"),
  ER_MUST_CHANGE_PASSWORD: e(1820, 'HY000', 'You must reset your password using ALTER USER statement before executing this statement.'),
  ER_FK_DUP_NAME: e(1826, 'HY000', "Duplicate foreign key constraint name '%s'"),
  ER_FK_COLUMN_CANNOT_DROP: e(1828, 'HY000', "Cannot drop column '%s': needed in a foreign key constraint '%s'"),
  ER_FK_COLUMN_NOT_NULL: e(1830, 'HY000', "Column '%s' cannot be NOT NULL: needed in a foreign key constraint '%s' SET NULL"),
  ER_CANNOT_ADD_FOREIGN: e(1215, 'HY000', 'Cannot add foreign key constraint'),
  ER_ROW_IS_REFERENCED_2: e(1451, '23000', 'Cannot delete or update a parent row: a foreign key constraint fails (%.192s)'),
  ER_NO_REFERENCED_ROW_2: e(1452, '23000', 'Cannot add or update a child row: a foreign key constraint fails (%.192s)'),
  ER_DROP_INDEX_FK: e(1553, 'HY000', "Cannot drop index '%-.192s': needed in a foreign key constraint"),
  ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO: e(1761, '23000', "Foreign key constraint for table '%.192s', record '%-.192s' would lead to a duplicate entry in table '%.192s', key '%.192s'"),
  ER_FK_NO_INDEX_PARENT: e(1822, 'HY000', "Failed to add the foreign key constraint. Missing index for constraint '%s' in the referenced table '%s'"),
  ER_FK_CANNOT_OPEN_PARENT: e(1824, 'HY000', "Failed to open the referenced table '%s'"),
  ER_FK_COLUMN_CANNOT_DROP_CHILD: e(1829, 'HY000', "Cannot drop column '%-.192s': needed in a foreign key constraint '%-.192s' of table '%-.192s'"),
  ER_FK_DEPTH_EXCEEDED: e(3008, 'HY000', 'Foreign key cascade delete/update exceeds max depth of %d.'),
  ER_FK_CANNOT_DROP_PARENT: e(3730, 'HY000', "Cannot drop table '%s' referenced by a foreign key constraint '%s' on table '%s'."),
  ER_FK_CANNOT_CHANGE_ENGINE: e(3776, 'HY000', "Cannot change table's storage engine because the table participates in a foreign key constraint."),
  ER_FK_NO_COLUMN_PARENT: e(3734, 'HY000', "Failed to add the foreign key constraint. Missing column '%s' for constraint '%s' in the referenced table '%s'"),
  ER_FK_INCOMPATIBLE_COLUMNS: e(3780, 'HY000', "Referencing column '%s' and referenced column '%s' in foreign key constraint '%s' are incompatible."),
  ER_CANT_SET_GTID_NEXT_TO_GTID_WHEN_GTID_MODE_IS_OFF: e(1781, 'HY000', '@@SESSION.GTID_NEXT cannot be set to UUID:NUMBER when @@GLOBAL.GTID_MODE = OFF.'),
  ER_ALTER_OPERATION_NOT_SUPPORTED: e(1845, '0A000', '%s is not supported for this operation. Try %s.'),
  ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: e(1846, '0A000', '%s is not supported. Reason: %s. Try %s.'),
  ER_QUERY_TIMEOUT: e(3024, 'HY000', 'Query execution was interrupted, maximum statement execution time exceeded'),
  ER_ACCOUNT_HAS_BEEN_LOCKED: e(3118, 'HY000', "Access denied for user '%s'@'%s'. Account is locked."),
  ER_SECURE_TRANSPORT_REQUIRED: e(3159, 'HY000', 'Connections using insecure transport are prohibited while --require_secure_transport=ON.'),
  ER_USER_ALREADY_EXISTS: e(3163, 'HY000', "Authorization ID '%s'@'%s' already exists."),
  ER_USER_DOES_NOT_EXIST: e(3162, 'HY000', "Authorization ID '%s'@'%s' does not exist."),
  ER_INVALID_JSON_TEXT: e(3140, '22032', 'Invalid JSON text: "%s" at position %u in value for column \'%s\'.'),
  ER_INVALID_JSON_TEXT_IN_PARAM: e(3141, '22032', 'Invalid JSON text in argument %u to function %s: "%s" at position %u.'),
  ER_INVALID_JSON_PATH: e(3143, '42000', 'Invalid JSON path expression. The error is around character position %u.'),
  ER_INVALID_TYPE_FOR_JSON: e(3146, '22032', 'Invalid data type for JSON data in argument %u to function %s; a JSON string or JSON type is required.'),
  ER_INVALID_JSON_CHARSET: e(3144, '22032', "Cannot create a JSON value from a string with CHARACTER SET '%s'."),
  ER_JSON_USED_AS_KEY: e(3152, '42000', "JSON column '%s' supports indexing only via generated columns on a specified JSON path."),
  ER_DEFAULT_VAL_GENERATED_NON_PRIOR: e(3773, 'HY000', 'Default value expression of column \'%s\' cannot refer to a column defined after it if that column is a generated column or has an expression as default value.'),
  ER_ROLE_NOT_GRANTED: e(3530, 'HY000', '`%s`@`%s` is not granted to `%s`@`%s`'),
  ER_INVALID_DEFAULT_UTF8MB4_COLLATION: e(3721, 'HY000', "Invalid default collation %s: utf8mb4_0900_ai_ci or utf8mb4_general_ci expected"),
  ER_RENAME_ROLE: e(3700, 'HY000', 'Renaming of a role identifier is forbidden'),
  ER_CANNOT_GRANT_ROLES_TO_ANONYMOUS_USER: e(3578, 'HY000', 'Cannot grant roles to an anonymous user.'),
  ER_UNKNOWN_AUTHID: e(3523, 'HY000', 'Unknown authorization ID `%s`@`%s`'),
  ER_CANNOT_USER_REFERENCED_AS_DEFINER: e(4006, 'HY000', 'Operation %s failed for %s as it is referenced as a definer account in %s.'),
  ER_VARIABLE_NOT_SETTABLE_IN_TRANSACTION: e(1766, 'HY000', "The system variable %.200s cannot be set when there is an ongoing transaction."),
  ER_VARIABLE_NOT_PERSISTED: e(3615, 'HY000', 'Variable %s does not exist in persisted config file'),
  ER_NOT_VALID_PASSWORD: e(1819, 'HY000', 'Your password does not satisfy the current policy requirements'),
  ER_ILLEGAL_USER_VAR: e(3061, '42000', "User variable name '%s' is illegal"),
  ER_INVALID_CAST_TO_JSON: e(3147, '22032', 'Cannot create a JSON value from a string with CHARACTER SET \'binary\'.'),
  ER_SERVER_OFFLINE_MODE: e(3032, 'HY000', 'The server is currently in offline mode'),
  ER_CON_COUNT_ERROR: e(1040, '08004', 'Too many connections'),
  ER_OUT_OF_SORTMEMORY: e(1038, 'HY001', 'Out of sort memory, consider increasing server sort buffer size'),
  ER_CANT_LOCK: e(1015, 'HY000', "Can't lock file (errno: %d - %s)"),
  ER_GET_ERRNO: e(1030, 'HY000', 'Got error %d - \'%s\' from storage engine'),
  ER_NOT_FORM_FILE: e(1033, 'HY000', "Incorrect information in file: '%s'"),
  ER_NOT_KEYFILE: e(1034, 'HY000', "Incorrect key file for table '%s'; try to repair it"),
  ER_OPEN_AS_READONLY: e(1036, 'HY000', "Table '%s' is read only"),
  ER_NO_SUCH_INDEX: e(1082, '42S12', "Table '%s' has no index like the one used in CREATE INDEX; recreate the table"),
  ER_WRONG_OBJECT: e(1347, 'HY000', "'%s.%s' is not %s"),
  ER_UNSUPPORTED_EXTENSION: e(1112, '42000', "Table '%s' uses an extension that doesn't exist in this MySQL version"),
  ER_NET_ERROR_ON_WRITE: e(1160, '08S01', 'Got an error writing communication packets'),
  ER_NET_WRITE_INTERRUPTED: e(1161, '08S01', 'Got timeout writing communication packets'),
  ER_NET_UNCOMPRESS_ERROR: e(1157, '08S01', "Couldn't uncompress communication packet"),
  ER_NET_PACKETS_OUT_OF_ORDER: e(1156, '08S01', 'Got packets out of order'),
  ER_NET_FCNTL_ERROR: e(1155, '08S01', 'Got an error from fcntl()'),
  ER_CLIENT_INTERACTION_TIMEOUT: e(4031, 'HY000', 'The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.'),
  ER_PS_MANY_PARAM: e(1390, 'HY000', 'Prepared statement contains too many placeholders'),
  ER_STMT_HAS_NO_OPEN_CURSOR: e(1421, 'HY000', 'The statement (%lu) has no open cursor.'),
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: e(1792, '25006', 'Cannot execute statement in a READ ONLY transaction.'),
  ER_BAD_SLAVE: e(1200, 'HY000', 'The server is not configured as slave; fix in config file or with CHANGE MASTER TO'),
  ER_NO_SUCH_TABLE_IN_ENGINE: e(1932, '42S02', "Table '%s.%s' doesn't exist in engine"),
  ER_WRONG_MRG_TABLE: e(1168, 'HY000', 'Unable to open underlying table which is differently defined or of non-MyISAM type or doesn\'t exist'),
  ER_REGEXP_ERROR: e(3685, 'HY000', 'Illegal argument to a regular expression.'),
  ER_STD_BAD_ALLOC_ERROR: e(3567, 'HY000', "Memory allocation error: %-.256s in function %s."),
  ER_NO_SYSTEM_TABLE_ACCESS: e(3554, 'HY000', "Access to %s '%s.%s' is rejected."),
  ER_TABLESPACE_MISSING: e(1812, 'HY000', 'Tablespace is missing for table %s.'),
  ER_TABLESPACE_DISCARDED: e(1814, 'HY000', "Tablespace has been discarded for table '%s'"),
  ER_TABLE_SCHEMA_MISMATCH: e(1808, 'HY000', 'Schema mismatch (%s)'),
  ER_TABLESPACE_EXISTS: e(1813, 'HY000', "Tablespace '%s' exists."),
  ER_INTERNAL_ERROR: e(1815, 'HY000', 'Internal error: %s'),
  ER_INNODB_READ_ONLY: e(1874, 'HY000', 'InnoDB is in read only mode.'),
  ER_INNODB_FORCED_RECOVERY: e(1881, 'HY000', 'Operation not allowed when innodb_force_recovery > 0.'),
  ER_READ_ONLY_MODE: e(1836, 'HY000', 'Running in read-only mode'),
  ER_TABLE_CORRUPT: e(1877, 'HY000', "Operation cannot be performed. The table '%s.%s' is missing, corrupt or contains bad data."),
  ER_LOCK_NOWAIT: e(3572, 'HY000', 'Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set.'),
  ER_NUMERIC_JSON_VALUE_OUT_OF_RANGE: e(3154, '22003', 'Out of range JSON value for CAST to %s%s from column %s at row %ld'),
  ER_VARIABLE_IS_READONLY: e(1621, 'HY000', "%s variable '%s' is read-only. Use SET %s to assign the value"),
  ER_MAX_PREPARED_STMT_COUNT_REACHED: e(1461, '42000', "Can't create more than max_prepared_stmt_count statements (current value: %u)"),
  ER_CONNECTION_KILLED: e(1927, '70100', 'Connection was killed'),
  ER_CTE_MAX_RECURSION_DEPTH: e(3636, 'HY000', 'Recursive query aborted after %u iterations. Try increasing @@cte_max_recursion_depth to a larger value.'),
  ER_SP_FETCH_NO_DATA: e(1329, '02000', 'No data - zero rows fetched, selected, or processed'),
  ER_PASSWORD_FORMAT: e(1827, 'HY000', "The password hash doesn't have the expected format."),
  ER_ILLEGAL_PRIVILEGE_LEVEL: e(3619, 'HY000', 'Illegal privilege level specified for %s'),
  ER_CUT_VALUE_GROUP_CONCAT: e(1260, 'HY000', 'Row %u was cut by GROUP_CONCAT()'),
  ER_JSON_DOCUMENT_NULL_KEY: e(3158, '22032', 'JSON documents may not contain NULL member names.'),
  ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT: e(1582, '42000', "Incorrect parameter count in the call to native function '%s'"),
  ER_WRONG_PARAMETERS_TO_NATIVE_FCT: e(1583, '42000', "Incorrect parameters in the call to native function '%s'"),
  ER_INVALID_JSON_PATH_WILDCARD: e(3149, '42000', 'In this situation, path expressions may not contain the * and ** tokens or an array range.'),
  ER_INVALID_JSON_PATH_ARRAY_CELL: e(3165, '42000', 'A path expression is not a path to a cell in an array.'),
  ER_INVALID_JSON_VALUE_FOR_CAST: e(3156, '22018', 'Invalid JSON value for CAST to %s%s from column %s at row %ld'),
  ER_MALFORMED_PACKET: e(1835, 'HY000', 'Malformed communication packet.'),
  ER_MUST_CHANGE_PASSWORD_LOGIN: e(1862, 'HY000', 'Your password has expired. To log in you must change it using a client that supports expired passwords.'),
  ER_PLUGIN_DELETE_BUILTIN: e(1619, 'HY000', 'Built-in plugins cannot be deleted'),
  ER_WRONG_NAME_FOR_INDEX: e(1280, '42000', "Incorrect index name '%s'"),
  ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN: e(1292, '22007', "Incorrect %-.32s value: '%-.128s' for column '%.192s' at row %ld"),
  ER_VIEW_WRONG_LIST: e(1353, 'HY000', 'In definition of view, derived table or common table expression, SELECT list and column names list have different column counts'),
  ER_INVALID_ARGUMENT_FOR_LOGARITHM: e(3020, '2201E', 'Invalid argument for logarithm'),
  ER_REGEXP_INDEX_OUT_OF_BOUNDS_ERROR: e(3686, 'HY000', 'Index out of bounds in regular expression search.'),
  ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN: e(3105, 'HY000', "The value specified for generated column '%s' in table '%s' is not allowed."),
  ER_NON_UPDATABLE_COLUMN_GENERATED: e(3105, 'HY000', "The value specified for generated column '%s' in table '%s' is not allowed."),
  ER_INCORRECT_TEMPORAL_VALUE: e(1292, '22007', "Incorrect %-.32s value: '%-.128s'"),
  ER_USER_LOCK_WRONG_NAME: e(3057, '42000', "Incorrect user-level lock name '%s'."),
  ER_JSON_BAD_ONE_OR_ALL_ARG: e(3150, '42000', "The oneOrAll argument to %s may take these values: 'one' or 'all'."),
  ER_SQL_MODE_MERGED: e(3135, 'HY000', "'NO_ZERO_DATE', 'NO_ZERO_IN_DATE' and 'ERROR_FOR_DIVISION_BY_ZERO' sql modes should be used with strict mode. They will be merged with strict mode in a future release."),
  ER_WINDOW_INVALID_WINDOW_FUNC_USE: e(3593, 'HY000', "You cannot use the window function '%s' in this context.'"),
  ER_WINDOW_NO_SUCH_WINDOW: e(3579, 'HY000', "Window name '%s' is not defined."),
  ER_NON_INSERTABLE_TABLE: e(1471, 'HY000', 'The target table %s of the %s is not insertable-into'),
  ER_GROUP_REPLICATION_CONFIGURATION: e(3092, 'HY000', 'The server is not configured properly to be an active member of the group. Please see more details on error log.'),
  ER_GROUP_REPLICATION_RUNNING: e(3093, 'HY000', 'The START GROUP_REPLICATION command failed since the group is already running.'),
  ER_GROUP_REPLICATION_COMMUNICATION_LAYER_SESSION_ERROR: e(3096, 'HY000', 'The START GROUP_REPLICATION command failed as there was an error when initializing the group communication layer.'),
  ER_GROUP_REPLICATION_COMMUNICATION_LAYER_JOIN_ERROR: e(3097, 'HY000', 'The START GROUP_REPLICATION command failed as there was an error when joining the communication group.'),
  ER_GROUP_REPLICATION_COMMAND_FAILURE: e(3663, 'HY000', 'The %s command encountered a failure. %s'),
  ER_UNABLE_TO_SET_OPTION: e(3724, 'HY000', 'This option cannot be set %s.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

/** Fill a printf-style template: `%s`, `%d`, `%u`, `%ld`, `%lu`, `%.64s`, `%-.128s`, `%.*s`. */
export function formatMessage(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%(-?\.?\*?\d*)(l?[sdu])/g, (_m, mod: string) => {
    if (mod.includes('*')) i++; // the precision argument of %.*s is consumed but unused
    const v = args[i++];
    let s = v === undefined || v === null ? '' : String(v);
    const prec = /\.(\d+)/.exec(mod);
    if (prec) s = s.slice(0, Number(prec[1]));
    return s;
  });
}

/**
 * An error with MySQL's number, SQLSTATE and message. Everything above the protocol layer
 * throws these; anything else reaching the protocol is a bug and becomes ER_UNKNOWN_ERROR.
 */
export class SqlError extends Error {
  readonly errno: number;
  readonly sqlState: string;
  /** Whether the connection must be closed after sending this error (e.g. auth failure, packet too large). */
  fatal = false;
  /** Conditions raised after this error by the same statement; the diagnostics area lists them
   *  after it (MySQL reports the first error to the client and keeps the later ones for SHOW
   *  WARNINGS, e.g. 1401 then 1227 for XA RECOVER without XA_RECOVER_ADMIN). */
  followUps?: Diagnostic[];

  constructor(errno: number, sqlState: string, message: string) {
    super(message);
    this.name = 'SqlError';
    this.errno = errno;
    this.sqlState = sqlState;
  }

  static of(name: ErrorName, ...args: unknown[]): SqlError {
    const spec = ERRORS[name];
    return new SqlError(spec.code, spec.sqlState, formatMessage(spec.template, args));
  }
}

/** Shorthand: `throw sqlError('ER_NO_SUCH_TABLE', db, table)`. */
export function sqlError(name: ErrorName, ...args: unknown[]): SqlError {
  return SqlError.of(name, ...args);
}

/** A warning or note in the session's diagnostics area (SHOW WARNINGS). */
export interface Diagnostic {
  level: 'Note' | 'Warning' | 'Error';
  code: number;
  message: string;
}

export function diagnostic(level: Diagnostic['level'], name: ErrorName, ...args: unknown[]): Diagnostic {
  const spec = ERRORS[name];
  return { level, code: spec.code, message: formatMessage(spec.template, args) };
}

/**
 * The abstract syntax tree produced by the parser (`sql/parser`) and consumed by the executor
 * (`exec/`). It is the contract between the two: the parser never evaluates, the executor never
 * looks at text (except `Statement.text`, kept for the binary log, SHOW PROCESSLIST and errors).
 *
 * Extending: add new node kinds or optional fields; never rename or remove one that exists.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-SQL-001
 */
import type { ColumnType } from '../kernel/column-type.js';
import type { Xid } from '../kernel/xid.js';

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** `db.tbl` or `tbl`. Identifiers are unquoted here; case is preserved as written. */
export interface TableName {
  schema?: string;
  name: string;
}

/** `'user'@'host'`; host defaults to '%' when omitted. CURRENT_USER is `{ current: true }`. */
export interface AccountName {
  user: string;
  host: string;
  current?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

export type Expr =
  | LiteralExpr
  | ColumnRef
  | ParamMarker
  | UserVarRef
  | SysVarRef
  | UnaryExpr
  | BinaryExpr
  | FuncCall
  | AggregateCall
  | CaseExpr
  | CastExpr
  | ConvertUsingExpr
  | CollateExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | IsExpr
  | ExistsExpr
  | SubqueryExpr
  | RowExpr
  | IntervalExpr
  | DefaultExpr
  | ValuesRefExpr
  | MatchExpr
  | WindowFuncCall;

/**
 * A literal. `kind` tells how it was written, which matters for typing:
 * 'int' (fits bigint), 'decimal' (exact, has '.' or too large for BIGINT UNSIGNED),
 * 'float' (has exponent), 'string' (with optional introducer charset and collation),
 * 'hex' / 'bit' (x'..', 0x.., b'..', 0b..: binary strings that act as numbers in numeric context),
 * 'bool' (TRUE/FALSE, typed as integer 1/0), 'null', 'date'/'time'/'timestamp' (DATE '..' etc.).
 */
export interface LiteralExpr {
  type: 'literal';
  kind: 'int' | 'decimal' | 'float' | 'string' | 'hex' | 'bit' | 'bool' | 'null' | 'date' | 'time' | 'timestamp';
  /** Source text of the number / the decoded string / the bytes for hex and bit literals. */
  value: string | Buffer | boolean | null;
  /** `_utf8mb4'..'`, `_binary'..'`, `N'..'` (national: utf8mb3). */
  charset?: string;
  collation?: string;
  /** Adjacent string literals (`'a' 'b'`) are one literal; the first one names the column. */
  heading?: string;
  /** Set by the session before a statement runs (never printed): collation_connection, the
   *  collation of a string literal without an introducer, and character_set_client, the
   *  character set the literal's bytes came in (an introducer reinterprets them). CORE-CS-052 */
  connCollation?: string;
  clientCharset?: string;
}

/** `col`, `tbl.col`, `db.tbl.col`, or `tbl.*` / `*` (only inside a select list or COUNT(*)). */
export interface ColumnRef {
  type: 'column';
  schema?: string;
  table?: string;
  name: string; // '*' for wildcards
}

/** `?` in a prepared statement; index is 0-based in textual order. */
export interface ParamMarker {
  type: 'param';
  index: number;
  /** A stored program's local variable (the index is its frame slot): its name. */
  local?: string;
  /** Set by the session before the statement runs (never printed): collation_connection, the
   *  collation of a string value bound to the marker. CORE-CS-052 */
  connCollation?: string;
  /** A literal of a COM_QUERY text lifted out by the statement cache (never printed): the marker
   *  is typed as this literal is, and its value is bound per execution. CORE-PERF-012 */
  lifted?: LiteralExpr;
}

/** `@name` */
export interface UserVarRef {
  type: 'uservar';
  name: string;
  /** SELECT ... INTO of a stored program's local variable: its frame slot. */
  local?: number;
}

/** `@@name`, `@@global.name`, `@@session.name`, `@@local.name`, `@@persist.name`. */
export interface SysVarRef {
  type: 'sysvar';
  name: string;
  scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only';
}

/** '-', '+', '!' / NOT, '~', BINARY (the cast operator). */
export interface UnaryExpr {
  type: 'unary';
  op: '-' | '+' | 'NOT' | '!' | '~' | 'BINARY';
  operand: Expr;
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | 'DIV' | '%' | 'MOD'
  | '=' | '<=>' | '<>' | '!=' | '<' | '<=' | '>' | '>='
  | 'AND' | '&&' | 'OR' | '||' | 'XOR'
  | '&' | '|' | '^' | '<<' | '>>'
  | 'REGEXP' | 'NOT REGEXP' | 'SOUNDS LIKE'
  | ':=' // assignment in SELECT @a := expr
  | '->' | '->>'; // JSON column path operators

export interface BinaryExpr {
  type: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /** For comparison with a subquery: `x = ANY (SELECT ...)`, `x > ALL (...)`. */
  quantifier?: 'ANY' | 'SOME' | 'ALL';
}

/** A scalar function call. `name` is upper-cased. Special syntaxes are normalised:
 *  `TRIM(LEADING 'x' FROM s)` -> name 'TRIM', args [s, 'x'], option 'LEADING';
 *  `EXTRACT(YEAR FROM d)` -> name 'EXTRACT', option 'YEAR', args [d];
 *  `SUBSTRING(s FROM a FOR b)` -> name 'SUBSTRING', args [s,a,b];
 *  `POSITION(a IN b)` -> 'LOCATE' [a,b]; `CHAR(65 USING utf8mb4)` -> 'CHAR', option 'utf8mb4';
 *  `DATE_ADD(d, INTERVAL n unit)` -> args [d, IntervalExpr];
 *  `GET_FORMAT(DATE, 'ISO')`, `TIMESTAMPADD(unit, n, d)` -> option holds the unit;
 *  `CURRENT_TIMESTAMP`, `NOW()`, `CURRENT_USER`, `CURRENT_DATE` without parens -> zero-arg calls.
 *  `WEIGHT_STRING(s AS CHAR(n))` and similar rarely used forms may be omitted. */
export interface FuncCall {
  type: 'func';
  name: string;
  args: Expr[];
  option?: string;
  /** `schema.func(...)` for stored functions. */
  schema?: string;
  /** Bound by the executor before compilation when the name is a stored function. */
  stored?: import('./eval/types.js').StoredFunctionBinding;
  /** collation_connection when the statement ran (a string made of numbers takes it). */
  connCollation?: string;
}

export type AggregateName =
  | 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX'
  | 'GROUP_CONCAT' | 'BIT_AND' | 'BIT_OR' | 'BIT_XOR'
  | 'STD' | 'STDDEV' | 'STDDEV_POP' | 'STDDEV_SAMP' | 'VARIANCE' | 'VAR_POP' | 'VAR_SAMP'
  | 'JSON_ARRAYAGG' | 'JSON_OBJECTAGG' | 'ANY_VALUE';

export interface AggregateCall {
  type: 'aggregate';
  name: AggregateName;
  /** COUNT(*) has args = [] and star = true. */
  args: Expr[];
  star?: boolean;
  distinct?: boolean;
  /** GROUP_CONCAT(... ORDER BY ... SEPARATOR ...) */
  orderBy?: OrderItem[];
  separator?: string;
  /** `OVER (...)` makes this a window aggregate. */
  over?: WindowSpec;
}

export interface WindowSpec {
  name?: string;
  partitionBy?: Expr[];
  orderBy?: OrderItem[];
  frame?: string; // frame clause text, not interpreted yet
}

/** ROW_NUMBER(), RANK(), DENSE_RANK(), LAG(), LEAD(), FIRST_VALUE() ... OVER (...) */
export interface WindowFuncCall {
  type: 'window';
  name: string;
  args: Expr[];
  over: WindowSpec;
}

/** CASE [operand] WHEN .. THEN .. [ELSE ..] END */
export interface CaseExpr {
  type: 'case';
  operand?: Expr;
  whens: { when: Expr; then: Expr }[];
  else?: Expr;
}

/** CAST(expr AS type) and CONVERT(expr, type). `target.name` uses the CAST target vocabulary
 *  mapped onto column types: SIGNED -> BIGINT, UNSIGNED -> BIGINT unsigned, CHAR[(n)] [charset],
 *  BINARY[(n)] -> BINARY, DATE, TIME[(fsp)], DATETIME[(fsp)], DECIMAL[(m[,d])], DOUBLE, FLOAT, JSON, YEAR. */
export interface CastExpr {
  type: 'cast';
  expr: Expr;
  target: ColumnType;
  /** Which of the CAST target keywords was used: 'SIGNED' | 'UNSIGNED' | 'CHAR' | 'BINARY' | ... */
  targetKeyword: string;
  /** Set by the session before the statement runs (never printed): collation_connection, the
   *  collation of CAST(x AS CHAR) without a character set. CORE-CS-065 */
  connCollation?: string;
}

/** CONVERT(expr USING charset) */
export interface ConvertUsingExpr {
  type: 'convert_using';
  expr: Expr;
  charset: string;
}

/** expr COLLATE name */
export interface CollateExpr {
  type: 'collate';
  expr: Expr;
  collation: string;
}

/** expr [NOT] IN (list) or expr [NOT] IN (subquery). `expr` may be a RowExpr. */
export interface InExpr {
  type: 'in';
  expr: Expr;
  list?: Expr[];
  subquery?: SelectStatement;
  not: boolean;
}

export interface BetweenExpr {
  type: 'between';
  expr: Expr;
  low: Expr;
  high: Expr;
  not: boolean;
}

export interface LikeExpr {
  type: 'like';
  expr: Expr;
  pattern: Expr;
  escape?: Expr;
  not: boolean;
}

/** IS [NOT] NULL / TRUE / FALSE / UNKNOWN */
export interface IsExpr {
  type: 'is';
  expr: Expr;
  test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
  not: boolean;
}

export interface ExistsExpr {
  type: 'exists';
  subquery: SelectStatement;
  not: boolean;
}

/** A scalar (or row) subquery used as an expression: `(SELECT ...)`. */
export interface SubqueryExpr {
  type: 'subquery';
  query: SelectStatement;
}

/** `(a, b, c)` or `ROW(a, b)` */
export interface RowExpr {
  type: 'row';
  items: Expr[];
}

/** `INTERVAL expr unit`, as an argument of DATE_ADD etc. or in `d + INTERVAL 1 DAY`. */
export interface IntervalExpr {
  type: 'interval';
  value: Expr;
  unit: string; // MICROSECOND, SECOND, ..., YEAR_MONTH, DAY_SECOND, ...
}

/** DEFAULT (in VALUES / SET) or DEFAULT(col) */
export interface DefaultExpr {
  type: 'default';
  column?: string;
  /** DEFAULT(t.col): the table qualifier. */
  table?: string;
}

/** VALUES(col) inside ON DUPLICATE KEY UPDATE, or a row alias reference (resolved as a column). */
export interface ValuesRefExpr {
  type: 'values_ref';
  column: string;
}

/** MATCH (cols) AGAINST (expr [modifier]) — parsed so that the FULLTEXT errors can be raised. */
export interface MatchExpr {
  type: 'match';
  columns: ColumnRef[];
  against: Expr;
  modifier?: string;
}

// ---------------------------------------------------------------------------------------------
// SELECT
// ---------------------------------------------------------------------------------------------

export interface SelectItem {
  expr: Expr;
  alias?: string;
  /** Original text of the expression, used as the column name when there is no alias (MySQL
   *  names an unaliased expression column by its source text). */
  text: string;
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
}

export type TableRef = TableRefName | TableRefSubquery | TableRefJoin | TableRefDual | TableRefJsonTable;

/** ON EMPTY / ON ERROR of a JSON_TABLE column: NULL, ERROR or DEFAULT 'json text'. */
export type JsonTableOn = { kind: 'null' } | { kind: 'error' } | { kind: 'default'; value: string };

/** One column definition of JSON_TABLE's COLUMNS clause. */
export type JsonTableColumn =
  | { kind: 'ordinality'; name: string }
  | { kind: 'path'; name: string; type: ColumnType; path: string; onEmpty?: JsonTableOn; onError?: JsonTableOn }
  | { kind: 'exists'; name: string; type: ColumnType; path: string }
  | { kind: 'nested'; path: string; columns: JsonTableColumn[] };

/** JSON_TABLE(expr, path COLUMNS (...)) AS alias: a table function in the FROM clause. */
export interface TableRefJsonTable {
  type: 'json_table';
  expr: Expr;
  path: string;
  columns: JsonTableColumn[];
  alias: string;
}

export interface TableRefName {
  type: 'table';
  table: TableName;
  alias?: string;
  /** USE/IGNORE/FORCE INDEX hints, kept for EXPLAIN and the planner. */
  indexHints?: { kind: 'USE' | 'IGNORE' | 'FORCE'; indexes: string[] }[];
}

export interface TableRefSubquery {
  type: 'derived';
  query: SelectStatement;
  alias: string;
  columnAliases?: string[];
  lateral?: boolean;
}

export interface TableRefJoin {
  type: 'join';
  kind: 'INNER' | 'CROSS' | 'LEFT' | 'RIGHT' | 'STRAIGHT' | 'NATURAL' | 'NATURAL LEFT' | 'NATURAL RIGHT';
  left: TableRef;
  right: TableRef;
  on?: Expr;
  using?: string[];
}

/** FROM DUAL */
export interface TableRefDual {
  type: 'dual';
}

/** A single SELECT block (query specification). */
export interface SelectCore {
  type: 'select_core';
  distinct: boolean;
  items: SelectItem[];
  from: TableRef[]; // comma-separated list; empty when there is no FROM
  where?: Expr;
  groupBy?: Expr[];
  withRollup?: boolean;
  having?: Expr;
  windows?: { name: string; spec: WindowSpec }[];
  orderBy?: OrderItem[];
  limit?: LimitClause;
  /** FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE */
  lock?: 'UPDATE' | 'SHARE';
  lockOption?: 'NOWAIT' | 'SKIP LOCKED';
  /** SQL_CALC_FOUND_ROWS, SQL_NO_CACHE, HIGH_PRIORITY, STRAIGHT_JOIN ... */
  modifiers?: string[];
  /** `SELECT ... INTO @a, @b` (variables only). */
  into?: UserVarRef[];
  /** `SELECT ... INTO OUTFILE / DUMPFILE 'file'` (src/exec/load/). */
  intoFile?: IntoFileClause;
  /** `VALUES ROW(..), ROW(..)` / `TABLE t` query forms are normalised into SelectCore with
   *  these set (from = [] with values rows, or from = [table] with star items). */
  valuesRows?: Expr[][];
}

/** Field and line options shared by LOAD DATA and SELECT ... INTO OUTFILE (absent = default). */
export interface FileFieldOptions {
  fieldsTerminatedBy?: string;
  fieldsEnclosedBy?: string;
  fieldsOptionallyEnclosed?: boolean;
  fieldsEscapedBy?: string;
  linesStartingBy?: string;
  linesTerminatedBy?: string;
}

/** `INTO OUTFILE 'f' [CHARACTER SET cs] [FIELDS ...] [LINES ...]` or `INTO DUMPFILE 'f'`. */
export interface IntoFileClause extends FileFieldOptions {
  kind: 'outfile' | 'dumpfile';
  file: string;
  charset?: string;
}

export interface LimitClause {
  count: Expr; // literal or param
  offset?: Expr;
}

/** UNION / EXCEPT / INTERSECT of blocks, with optional outer ORDER BY / LIMIT. */
export interface SetOperation {
  type: 'set_op';
  op: 'UNION' | 'EXCEPT' | 'INTERSECT';
  all: boolean;
  left: QueryExpr;
  right: QueryExpr;
  orderBy?: OrderItem[];
  limit?: LimitClause;
}

export type QueryExpr = SelectCore | SetOperation;

export interface CommonTableExpr {
  name: string;
  columns?: string[];
  query: SelectStatement;
}

export interface SelectStatement {
  kind: 'select';
  with?: { recursive: boolean; ctes: CommonTableExpr[] };
  query: QueryExpr;
}

// ---------------------------------------------------------------------------------------------
// DML
// ---------------------------------------------------------------------------------------------

export interface Assignment {
  column: ColumnRef;
  value: Expr;
}

export interface InsertStatement {
  kind: 'insert';
  replace: boolean; // REPLACE INTO
  ignore: boolean;
  priority?: 'LOW_PRIORITY' | 'DELAYED' | 'HIGH_PRIORITY';
  table: TableName;
  partitions?: string[];
  columns?: string[];
  /** VALUES (..),(..) / VALUE; rows of expressions (DefaultExpr allowed). */
  values?: Expr[][];
  /** INSERT ... SET a=1, b=2 */
  set?: Assignment[];
  /** INSERT ... SELECT / TABLE / VALUES ROW(...) */
  select?: SelectStatement;
  /** `AS alias [(cols)]` row alias for ON DUPLICATE KEY UPDATE (8.0.19+). */
  rowAlias?: { name: string; columns?: string[] };
  onDuplicate?: Assignment[];
}

export interface UpdateStatement {
  kind: 'update';
  /** WITH ... UPDATE (8.0): common table expressions visible to the statement. */
  with?: { recursive: boolean; ctes: CommonTableExpr[] };
  lowPriority: boolean;
  ignore: boolean;
  /** One entry for single-table UPDATE; a join tree for multi-table UPDATE. */
  tables: TableRef[];
  set: Assignment[];
  where?: Expr;
  orderBy?: OrderItem[];
  limit?: LimitClause;
}

export interface DeleteStatement {
  kind: 'delete';
  /** WITH ... DELETE (8.0): common table expressions visible to the statement. */
  with?: { recursive: boolean; ctes: CommonTableExpr[] };
  lowPriority: boolean;
  quick: boolean;
  ignore: boolean;
  /** Single-table: targets = [that table], from = [TableRefName].
   *  Multi-table `DELETE t1, t2 FROM ...` or `DELETE FROM t1, t2 USING ...`: targets are the
   *  tables deleted from (names or aliases), from is the join tree. */
  targets: TableName[];
  from: TableRef[];
  multi: boolean;
  where?: Expr;
  orderBy?: OrderItem[];
  limit?: LimitClause;
}

export interface LoadDataStatement {
  kind: 'load_data';
  local: boolean;
  file: string;
  replace: boolean;
  ignore: boolean;
  table: TableName;
  /** LOW_PRIORITY / CONCURRENT (accepted; they only change lock scheduling). */
  priority?: 'LOW_PRIORITY' | 'CONCURRENT';
  /** PARTITION (p, ...) */
  partitions?: string[];
  /** CHARACTER SET of the file. */
  charset?: string;
  fieldsTerminatedBy?: string;
  fieldsEnclosedBy?: string;
  fieldsOptionallyEnclosed?: boolean;
  fieldsEscapedBy?: string;
  linesStartingBy?: string;
  linesTerminatedBy?: string;
  ignoreLines?: number;
  columns?: string[];
  set?: Assignment[];
}

// ---------------------------------------------------------------------------------------------
// DDL
// ---------------------------------------------------------------------------------------------

export interface ColumnDefinition {
  name: string;
  dataType: ColumnType;
  /** undefined = not specified (nullable unless PRIMARY KEY / TIMESTAMP rules apply). */
  notNull?: boolean;
  default?: Expr; // literal, CURRENT_TIMESTAMP[(n)], or (expr) for expression defaults
  /** true when the default was written as `(expr)` (8.0.13 expression default). */
  defaultIsExpr?: boolean;
  /** Source text of an expression default, without the enclosing parentheses (set by the parser). */
  defaultText?: string;
  onUpdateNow?: { fsp?: number };
  autoIncrement?: boolean;
  primaryKey?: boolean; // inline PRIMARY KEY / KEY
  unique?: boolean; // inline UNIQUE [KEY]
  comment?: string;
  collation?: string;
  charset?: string;
  generated?: { expr: Expr; stored: boolean; text: string };
  invisible?: boolean;
  srid?: number;
  /** inline REFERENCES tbl(col) — parsed and ignored by engines without FK support. */
  references?: ForeignKeyReference;
  check?: Expr;
  /** Every CHECK constraint written in this column definition, in order (ALTER TABLE ADD/MODIFY COLUMN). */
  checks?: CheckConstraintDefinition[];
  columnFormat?: 'FIXED' | 'DYNAMIC' | 'DEFAULT';
  storage?: 'DISK' | 'MEMORY';
}

export interface IndexColumn {
  /** column name, or undefined for a functional key part */
  column?: string;
  expr?: Expr;
  /** prefix length: `c(10)` */
  length?: number;
  desc?: boolean;
}

export interface IndexDefinition {
  kind: 'PRIMARY' | 'UNIQUE' | 'INDEX' | 'FULLTEXT' | 'SPATIAL';
  name?: string;
  columns: IndexColumn[];
  /** USING HASH / USING BTREE */
  using?: 'HASH' | 'BTREE' | 'RTREE';
  comment?: string;
  invisible?: boolean;
  keyBlockSize?: number;
  parser?: string;
}

export interface ForeignKeyReference {
  table: TableName;
  columns: string[];
  onDelete?: string;
  onUpdate?: string;
  match?: string;
}

export interface ForeignKeyDefinition {
  /** The CONSTRAINT symbol: the constraint's name (generated when absent). */
  name?: string;
  /** FOREIGN KEY index_name: names the supporting index MySQL adds when CONSTRAINT gives none. */
  indexName?: string;
  columns: string[];
  references: ForeignKeyReference;
}

export interface CheckConstraintDefinition {
  name?: string;
  expr: Expr;
  text: string;
  enforced: boolean;
  /** Set for a constraint written in a column definition: the column it belongs to. */
  column?: string;
}

/** Table options; keys are normalised upper-case names: ENGINE, AUTO_INCREMENT, CHARSET, COLLATE,
 *  COMMENT, MAX_ROWS, MIN_ROWS, ROW_FORMAT, KEY_BLOCK_SIZE, AVG_ROW_LENGTH, PACK_KEYS, CHECKSUM,
 *  DELAY_KEY_WRITE, INSERT_METHOD, UNION (list of tables, joined by ','), CONNECTION, DATA DIRECTORY,
 *  INDEX DIRECTORY, STATS_PERSISTENT, TABLESPACE, ENCRYPTION, COMPRESSION ... Values are the
 *  literal text (strings unquoted). */
export type TableOptions = Record<string, string>;

export interface CreateTableStatement {
  kind: 'create_table';
  temporary: boolean;
  ifNotExists: boolean;
  table: TableName;
  columns: ColumnDefinition[];
  indexes: IndexDefinition[];
  foreignKeys: ForeignKeyDefinition[];
  checks: CheckConstraintDefinition[];
  options: TableOptions;
  /** PARTITION BY ... clause text (engines without partitioning refuse it). */
  partitionBy?: string;
  /** CREATE TABLE t LIKE src */
  like?: TableName;
  /** CREATE TABLE t [(...)] [IGNORE|REPLACE] [AS] SELECT ... */
  select?: SelectStatement;
  duplicateHandling?: 'IGNORE' | 'REPLACE';
}

export type AlterAction =
  | { action: 'add_column'; column: ColumnDefinition; first?: boolean; after?: string }
  | { action: 'add_columns'; columns: ColumnDefinition[] }
  | { action: 'drop_column'; name: string; ifExists?: boolean }
  | { action: 'modify_column'; column: ColumnDefinition; first?: boolean; after?: string }
  | { action: 'change_column'; oldName: string; column: ColumnDefinition; first?: boolean; after?: string }
  | { action: 'rename_column'; oldName: string; newName: string }
  | { action: 'alter_column_default'; name: string; default?: Expr; drop?: boolean; defaultIsExpr?: boolean; defaultText?: string }
  | { action: 'alter_column_visibility'; name: string; invisible: boolean }
  | { action: 'add_index'; index: IndexDefinition; ifNotExists?: boolean }
  | { action: 'drop_index'; name: string; ifExists?: boolean }
  | { action: 'drop_primary_key' }
  | { action: 'rename_index'; oldName: string; newName: string }
  | { action: 'alter_index_visibility'; name: string; invisible: boolean }
  | { action: 'add_foreign_key'; fk: ForeignKeyDefinition }
  | { action: 'drop_foreign_key'; name: string }
  | { action: 'add_check'; check: CheckConstraintDefinition }
  | { action: 'drop_check'; name: string }
  | { action: 'rename_table'; to: TableName }
  | { action: 'table_options'; options: TableOptions }
  | { action: 'convert_charset'; charset: string; collation?: string }
  | { action: 'order_by'; columns: OrderItem[] }
  | { action: 'enable_keys' }
  | { action: 'disable_keys' }
  | { action: 'force' }
  | { action: 'algorithm'; value: string }
  | { action: 'lock'; value: string }
  | { action: 'partition'; text: string }
  | { action: 'discard_tablespace' }
  | { action: 'import_tablespace' }
  /** DROP CONSTRAINT name (8.0.19+): a CHECK, FOREIGN KEY or UNIQUE constraint of that name. */
  | { action: 'drop_constraint'; name: string }
  /** ALTER CHECK / ALTER CONSTRAINT name [NOT] ENFORCED (`anyConstraint`: written ALTER CONSTRAINT) */
  | { action: 'alter_check_enforcement'; name: string; enforced: boolean; anyConstraint?: boolean };

export interface AlterTableStatement {
  kind: 'alter_table';
  table: TableName;
  actions: AlterAction[];
}

export interface DropTableStatement {
  kind: 'drop_table';
  temporary: boolean;
  ifExists: boolean;
  tables: TableName[];
}

export interface RenameTableStatement {
  kind: 'rename_table';
  pairs: { from: TableName; to: TableName }[];
}

export interface TruncateStatement {
  kind: 'truncate';
  table: TableName;
}

export interface CreateIndexStatement {
  kind: 'create_index';
  table: TableName;
  index: IndexDefinition;
}

export interface DropIndexStatement {
  kind: 'drop_index';
  table: TableName;
  name: string; // 'PRIMARY' for the primary key
}

export interface CreateDatabaseStatement {
  kind: 'create_database';
  ifNotExists: boolean;
  name: string;
  charset?: string;
  collation?: string;
  encryption?: string;
}

export interface AlterDatabaseStatement {
  kind: 'alter_database';
  name?: string;
  charset?: string;
  collation?: string;
  readOnly?: boolean;
}

export interface DropDatabaseStatement {
  kind: 'drop_database';
  ifExists: boolean;
  name: string;
}

export interface CreateViewStatement {
  kind: 'create_view';
  orReplace: boolean;
  name: TableName;
  columns?: string[];
  query: SelectStatement;
  /** Note: parse() overwrites this with the whole statement's text (StatementMeta.text shares the
   *  name); the view's own SELECT text is in `queryText`. */
  text: string;
  /** Source text of the view's SELECT (set by the parser). */
  queryText?: string;
  algorithm?: string;
  definer?: AccountName;
  security?: 'DEFINER' | 'INVOKER';
  checkOption?: 'CASCADED' | 'LOCAL';
}

export interface DropViewStatement {
  kind: 'drop_view';
  ifExists: boolean;
  names: TableName[];
}

/** When an event runs: once AT a time, or EVERY interval between optional STARTS and ENDS. @req CORE-EVT-001 */
export type EventSchedule =
  | { kind: 'at'; at: Expr }
  | { kind: 'every'; value: Expr; unit: string; starts?: Expr; ends?: Expr };

/** The clauses CREATE EVENT and ALTER EVENT share; ALTER sets only those given. */
export interface EventClauses {
  definer?: AccountName;
  schedule?: EventSchedule;
  /** ON COMPLETION [NOT] PRESERVE. */
  preserve?: boolean;
  status?: 'ENABLED' | 'DISABLED' | 'REPLICA_SIDE_DISABLED';
  comment?: string;
  /** The body's source text (after DO), and its parsed form. */
  bodyText?: string;
  body?: Statement;
}

/** CREATE [DEFINER=..] EVENT [IF NOT EXISTS] name ON SCHEDULE ... DO body. @req CORE-EVT-001 */
export interface CreateEventStatement extends EventClauses {
  kind: 'create_event';
  ifNotExists: boolean;
  name: TableName;
  schedule: EventSchedule;
  bodyText: string;
  body: Statement;
}

/** ALTER [DEFINER=..] EVENT name [ON SCHEDULE ..] [ON COMPLETION ..] [RENAME TO ..] [ENABLE|DISABLE ..] [COMMENT ..] [DO ..]. @req CORE-EVT-002 */
export interface AlterEventStatement extends EventClauses {
  kind: 'alter_event';
  name: TableName;
  renameTo?: TableName;
}

/** DROP EVENT [IF EXISTS] name. @req CORE-EVT-002 */
export interface DropEventStatement {
  kind: 'drop_event';
  ifExists: boolean;
  name: TableName;
}

/** The OPTIONS of CREATE SERVER / ALTER SERVER (only those given are set). @req FEDERATED-050 */
export interface ServerOptions {
  host?: string;
  database?: string;
  user?: string;
  password?: string;
  socket?: string;
  owner?: string;
  port?: number;
}

/** CREATE SERVER name FOREIGN DATA WRAPPER wrapper OPTIONS (...). @req FEDERATED-050 */
export interface CreateServerStatement {
  kind: 'create_server';
  name: string;
  wrapper: string;
  options: ServerOptions;
}

/** ALTER SERVER name OPTIONS (...). @req FEDERATED-055 */
export interface AlterServerStatement {
  kind: 'alter_server';
  name: string;
  options: ServerOptions;
}

/** DROP SERVER [IF EXISTS] name. @req FEDERATED-055 */
export interface DropServerStatement {
  kind: 'drop_server';
  ifExists: boolean;
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Transactions and locking
// ---------------------------------------------------------------------------------------------

export interface StartTransactionStatement {
  kind: 'start_transaction';
  consistentSnapshot?: boolean;
  readOnly?: boolean;
  readWrite?: boolean;
}
export interface CommitStatement {
  kind: 'commit';
  chain?: boolean;
  release?: boolean;
}
export interface RollbackStatement {
  kind: 'rollback';
  toSavepoint?: string;
  chain?: boolean;
  release?: boolean;
}
export interface SavepointStatement {
  kind: 'savepoint';
  name: string;
}
export interface ReleaseSavepointStatement {
  kind: 'release_savepoint';
  name: string;
}
export interface SetTransactionStatement {
  kind: 'set_transaction';
  scope: 'next' | 'session' | 'global';
  isolation?: 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
  accessMode?: 'READ ONLY' | 'READ WRITE';
}
/**
 * XA {START|BEGIN} xid [JOIN|RESUME], XA END xid [SUSPEND [FOR MIGRATE]], XA PREPARE xid,
 * XA COMMIT xid [ONE PHASE], XA ROLLBACK xid, XA RECOVER [CONVERT XID].
 */
export interface XaStatement {
  kind: 'xa';
  action: 'start' | 'end' | 'prepare' | 'commit' | 'rollback' | 'recover';
  /** The transaction named (absent for RECOVER). */
  xid?: Xid;
  /** START: JOIN / RESUME; END: SUSPEND / SUSPEND FOR MIGRATE; COMMIT: ONE PHASE. */
  option?: 'JOIN' | 'RESUME' | 'SUSPEND' | 'SUSPEND FOR MIGRATE' | 'ONE PHASE';
  /** RECOVER CONVERT XID: the data column in hexadecimal. */
  convertXid?: boolean;
}
export interface LockTablesStatement {
  kind: 'lock_tables';
  locks: { table: TableName; alias?: string; mode: 'READ' | 'READ LOCAL' | 'WRITE' | 'LOW_PRIORITY WRITE' }[];
}
export interface UnlockTablesStatement {
  kind: 'unlock_tables';
}
/** FLUSH TABLES WITH READ LOCK etc. */
export interface FlushStatement {
  kind: 'flush';
  local: boolean;
  /** PRIVILEGES, TABLES, LOGS, BINARY LOGS, STATUS, HOSTS, ... ; 'TABLES WITH READ LOCK' */
  what: string[];
  tables?: TableName[];
}

// ---------------------------------------------------------------------------------------------
// SET, SHOW, USE and friends
// ---------------------------------------------------------------------------------------------

export type SetTarget =
  | { type: 'sysvar'; name: string; scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only' }
  | { type: 'uservar'; name: string };

export interface SetStatement {
  kind: 'set';
  assignments: { target: SetTarget; value: Expr }[];
}

/** SET NAMES cs [COLLATE co] / SET CHARACTER SET cs / SET CHARSET cs */
export interface SetNamesStatement {
  kind: 'set_names';
  charset: string | 'DEFAULT';
  collation?: string;
  characterSetForm?: boolean;
}

export interface SetPasswordStatement {
  kind: 'set_password';
  account?: AccountName;
  password: string;
  replace?: string;
}

export interface SetRoleStatement {
  kind: 'set_role';
  mode: 'DEFAULT' | 'NONE' | 'ALL' | 'ALL EXCEPT' | 'LIST';
  roles: AccountName[];
}

export interface SetDefaultRoleStatement {
  kind: 'set_default_role';
  mode: 'NONE' | 'ALL' | 'LIST';
  roles: AccountName[];
  users: AccountName[];
}

export interface UseStatement {
  kind: 'use';
  schema: string;
}

/**
 * SHOW statements. `what` is the normalised keyword sequence: 'DATABASES', 'TABLES', 'COLUMNS',
 * 'INDEX', 'CREATE TABLE', 'CREATE DATABASE', 'CREATE VIEW', 'CREATE USER', 'TABLE STATUS',
 * 'VARIABLES', 'STATUS', 'WARNINGS', 'ERRORS', 'COUNT WARNINGS', 'COUNT ERRORS', 'PROCESSLIST',
 * 'ENGINES', 'ENGINE', 'PLUGINS', 'GRANTS', 'PRIVILEGES', 'CHARACTER SET', 'COLLATION',
 * 'MASTER STATUS', 'BINARY LOG STATUS', 'BINARY LOGS', 'BINLOG EVENTS', 'REPLICA STATUS',
 * 'SLAVE STATUS', 'REPLICAS', 'OPEN TABLES', 'TRIGGERS', 'EVENTS', 'PROCEDURE STATUS',
 * 'FUNCTION STATUS', 'CREATE PROCEDURE', 'PROFILES', 'RELAYLOG EVENTS'.
 */
export interface ShowStatement {
  kind: 'show';
  what: string;
  full?: boolean;
  extended?: boolean;
  scope?: 'global' | 'session';
  /** FROM/IN db */
  schema?: string;
  /** SHOW COLUMNS/INDEX FROM tbl, SHOW CREATE TABLE tbl, SHOW CREATE DATABASE db */
  table?: TableName;
  like?: string;
  where?: Expr;
  /** SHOW CREATE DATABASE IF NOT EXISTS db */
  ifNotExists?: boolean;
  /** SHOW GRANTS FOR account [USING role,...] */
  account?: AccountName;
  using?: AccountName[];
  /** SHOW ENGINE name STATUS|MUTEX */
  engine?: string;
  engineWhat?: string;
  /** SHOW BINLOG EVENTS [IN 'log'] [FROM pos] [LIMIT ...]; SHOW ... FOR CHANNEL */
  logName?: string;
  position?: Expr;
  limit?: LimitClause;
  channel?: string;
}

export interface DescribeStatement {
  kind: 'describe';
  table: TableName;
  column?: string;
}

export interface ExplainStatement {
  kind: 'explain';
  format?: string;
  analyze?: boolean;
  /** The statement explained (an empty statement for FOR CONNECTION). */
  statement: Statement;
  /** EXPLAIN ... FOR CONNECTION n: the connection whose running statement is explained. */
  forConnection?: number;
}

export interface KillStatement {
  kind: 'kill';
  target: 'CONNECTION' | 'QUERY';
  id: Expr;
}

export interface ShutdownStatement {
  kind: 'shutdown';
}

/** DO expr, ... */
export interface DoStatement {
  kind: 'do';
  exprs: Expr[];
}

/** PREPARE name FROM 'text' | @var; EXECUTE name [USING @a, ...]; DEALLOCATE PREPARE name */
export interface PrepareStatement {
  kind: 'prepare';
  name: string;
  source: Expr;
}
export interface ExecuteStatement {
  kind: 'execute';
  name: string;
  using: UserVarRef[];
}
export interface DeallocateStatement {
  kind: 'deallocate';
  name: string;
}

/** CHECK / REPAIR / ANALYZE / OPTIMIZE / CHECKSUM TABLE */
export interface TableMaintenanceStatement {
  kind: 'table_maintenance';
  /** CACHE_INDEX: CACHE INDEX ... IN cache; LOAD_INDEX: LOAD INDEX INTO CACHE ... */
  op: 'CHECK' | 'REPAIR' | 'ANALYZE' | 'OPTIMIZE' | 'CHECKSUM' | 'CACHE_INDEX' | 'LOAD_INDEX';
  tables: TableName[];
  options: string[]; // QUICK, EXTENDED, USE_FRM, FAST, MEDIUM, CHANGED, FOR UPGRADE, NO_WRITE_TO_BINLOG, LOCAL
  /** CACHE INDEX / LOAD INDEX: per table (parallel to `tables`), the indexes named and IGNORE LEAVES. */
  keyIndexes?: { indexes?: string[]; ignoreLeaves?: boolean }[];
  /** CACHE INDEX ... IN name. */
  keyCache?: string;
}

// ---------------------------------------------------------------------------------------------
// Accounts and privileges
// ---------------------------------------------------------------------------------------------

export interface AuthOption {
  plugin?: string;
  /** IDENTIFIED BY 'password' */
  password?: string;
  /** IDENTIFIED WITH plugin AS 'hash' */
  hash?: string;
  randomPassword?: boolean;
}

export interface UserSpec {
  account: AccountName;
  auth?: AuthOption;
}

export interface CreateUserStatement {
  kind: 'create_user';
  ifNotExists: boolean;
  users: UserSpec[];
  defaultRoles?: AccountName[];
  /** REQUIRE NONE | SSL | X509 | CIPHER '..' | ISSUER '..' | SUBJECT '..' */
  require?: { type: 'NONE' | 'SSL' | 'X509' | 'SPECIFIED'; cipher?: string; issuer?: string; subject?: string };
  /** MAX_QUERIES_PER_HOUR etc. */
  resourceOptions?: Record<string, number>;
  /** PASSWORD EXPIRE ..., FAILED_LOGIN_ATTEMPTS ... as keyword text */
  passwordOptions?: string[];
  accountLock?: boolean; // true = ACCOUNT LOCK, false = ACCOUNT UNLOCK
  comment?: string;
  attribute?: string;
}

export interface AlterUserStatement extends Omit<CreateUserStatement, 'kind' | 'defaultRoles'> {
  kind: 'alter_user';
  ifExists: boolean;
  /** ALTER USER u DEFAULT ROLE ... */
  defaultRole?: { mode: 'NONE' | 'ALL' | 'LIST'; roles: AccountName[] };
}

export interface DropUserStatement {
  kind: 'drop_user';
  ifExists: boolean;
  users: AccountName[];
}

export interface RenameUserStatement {
  kind: 'rename_user';
  pairs: { from: AccountName; to: AccountName }[];
}

export interface CreateRoleStatement {
  kind: 'create_role';
  ifNotExists: boolean;
  roles: AccountName[];
}

export interface DropRoleStatement {
  kind: 'drop_role';
  ifExists: boolean;
  roles: AccountName[];
}

/** One privilege in a GRANT/REVOKE list: `SELECT`, `SELECT (a, b)`, `ALL [PRIVILEGES]`,
 *  or a dynamic privilege name such as `REPLICATION_APPLIER`. Names are upper-case with single
 *  spaces (e.g. 'REPLICATION SLAVE', 'CREATE TEMPORARY TABLES'). */
export interface PrivilegeItem {
  name: string;
  columns?: string[];
}

/** ON *.* / db.* / db.tbl / tbl / * ; objectType TABLE | FUNCTION | PROCEDURE */
export interface GrantTarget {
  objectType?: 'TABLE' | 'FUNCTION' | 'PROCEDURE';
  schema: string | '*' | null; // null = current database (`ON tbl` / `ON *`)
  table: string | '*';
}

export interface GrantStatement {
  kind: 'grant';
  privileges: PrivilegeItem[];
  target: GrantTarget;
  users: AccountName[];
  withGrantOption: boolean;
  /** GRANT PROXY ON ... */
  proxy?: AccountName;
  asUser?: AccountName;
}

/** GRANT role[, role] TO user[, user] [WITH ADMIN OPTION] */
export interface GrantRoleStatement {
  kind: 'grant_role';
  roles: AccountName[];
  users: AccountName[];
  withAdminOption: boolean;
}

export interface RevokeStatement {
  kind: 'revoke';
  ifExists?: boolean;
  privileges: PrivilegeItem[]; // empty with allPrivilegesGrantOption
  target?: GrantTarget;
  users: AccountName[];
  /** REVOKE ALL PRIVILEGES, GRANT OPTION FROM user */
  allAndGrantOption?: boolean;
  ignoreUnknownUser?: boolean;
}

export interface RevokeRoleStatement {
  kind: 'revoke_role';
  roles: AccountName[];
  users: AccountName[];
}

// ---------------------------------------------------------------------------------------------
// Plugins
// ---------------------------------------------------------------------------------------------

export interface InstallPluginStatement {
  kind: 'install_plugin';
  name: string;
  soname: string;
}

export interface UninstallPluginStatement {
  kind: 'uninstall_plugin';
  name: string;
}

/** Statements recognised but owned by later subsystems (replication, binlog, group replication):
 *  kept as their keyword head plus raw text so the parser can grow without blocking them. */
export interface OtherStatement {
  kind: 'other';
  /** upper-cased leading keywords, e.g. 'CHANGE REPLICATION SOURCE TO', 'START REPLICA', 'RESET MASTER' */
  head: string;
  /** the statement's text after the head */
  rest: string;
}

/** A query holding only comments (`/* c *\/`, `-- c`, or a MariaDB-only `/*M!... *\/`): MySQL
 *  answers OK, where truly empty input is error 1065. */
export interface EmptyStatement {
  kind: 'empty';
}

export type Statement = (
  | SelectStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | LoadDataStatement
  | CreateTableStatement
  | AlterTableStatement
  | DropTableStatement
  | RenameTableStatement
  | TruncateStatement
  | CreateIndexStatement
  | DropIndexStatement
  | CreateDatabaseStatement
  | AlterDatabaseStatement
  | DropDatabaseStatement
  | CreateViewStatement
  | DropViewStatement
  | CreateEventStatement
  | AlterEventStatement
  | DropEventStatement
  | CreateServerStatement
  | AlterServerStatement
  | DropServerStatement
  | StartTransactionStatement
  | CommitStatement
  | RollbackStatement
  | SavepointStatement
  | ReleaseSavepointStatement
  | SetTransactionStatement
  | XaStatement
  | LockTablesStatement
  | UnlockTablesStatement
  | FlushStatement
  | SetStatement
  | SetNamesStatement
  | SetPasswordStatement
  | SetRoleStatement
  | SetDefaultRoleStatement
  | UseStatement
  | ShowStatement
  | DescribeStatement
  | ExplainStatement
  | KillStatement
  | ShutdownStatement
  | DoStatement
  | PrepareStatement
  | ExecuteStatement
  | DeallocateStatement
  | TableMaintenanceStatement
  | CreateUserStatement
  | AlterUserStatement
  | DropUserStatement
  | RenameUserStatement
  | CreateRoleStatement
  | DropRoleStatement
  | GrantStatement
  | GrantRoleStatement
  | RevokeStatement
  | RevokeRoleStatement
  | InstallPluginStatement
  | UninstallPluginStatement
  | OtherStatement
  | EmptyStatement
  | import('./routine-ast.js').CreateRoutineStatement
  | import('./routine-ast.js').AlterRoutineStatement
  | import('./routine-ast.js').DropRoutineStatement
  | import('./routine-ast.js').CallStatement
  | import('./routine-ast.js').CompoundStatement
  | import('./routine-ast.js').CreateTriggerStatement
  | import('./routine-ast.js').DropTriggerStatement
) & StatementMeta;

/** Present on every statement. */
export interface StatementMeta {
  /** The statement's source text (without the trailing ';'). */
  text?: string;
  /** Number of `?` markers (prepared statements). */
  paramCount?: number;
}

/** Parser entry points (implemented in sql/parser/). */
export interface ParseOptions {
  /** sql_mode flags that change lexing: ANSI_QUOTES, PIPES_AS_CONCAT, HIGH_NOT_PRECEDENCE,
   *  NO_BACKSLASH_ESCAPES, IGNORE_SPACE, REAL_AS_FLOAT. */
  sqlMode?: ReadonlySet<string>;
  /** Allow `?` markers (COM_STMT_PREPARE / PREPARE). */
  allowParams?: boolean;
  /** When given, receives the source offset of each number and single string literal the
   *  expression and LIMIT grammar builds (the statement cache maps literals to tokens). CORE-PERF-011 */
  literalStarts?: Map<object, number>;
}

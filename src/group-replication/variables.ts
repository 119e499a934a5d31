/**
 * The group_replication plugin's system variables and the checks SET GLOBAL runs on them.
 *
 * group_replication_ip_allowlist and its deprecated older name group_replication_ip_whitelist
 * are two variables (both AUTOMATIC by default); the allowlist counts unless it is AUTOMATIC,
 * then the whitelist ({@link effectiveAllowlist}). Neither, nor the group name, may change while
 * the member is active (the 8.0.14-8.0.23 rule, see the spec decisions). Values given as startup
 * options are not checked when set, as the plugin's check functions only run for SET; START
 * checks them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html
 * @req GRALLOW-007 GRALLOW-008 GRALLOW-011 GRALLOW-021 GRALLOW-022 GRALLOW-025
 */
import { diagnostic, ERRORS, SqlError, sqlError, type Diagnostic } from '../kernel/errors.js';
import type { Value } from '../kernel/value.js';
import type { SysVarDef, SysVarValidator } from '../server/sysvars/types.js';
import { AllowlistSyntaxError, isAutomatic, parseAllowlist } from './allowlist.js';
import { UUID_LENGTH } from './limits.js';

export const ALLOWLIST_VAR = 'group_replication_ip_allowlist';
export const WHITELIST_VAR = 'group_replication_ip_whitelist';
export const LOCAL_ADDRESS_VAR = 'group_replication_local_address';
export const GROUP_NAME_VAR = 'group_replication_group_name';
export const GROUP_SEEDS_VAR = 'group_replication_group_seeds';
export const START_ON_BOOT_VAR = 'group_replication_start_on_boot';
export const BOOTSTRAP_VAR = 'group_replication_bootstrap_group';

export const GR_VARIABLES = [ALLOWLIST_VAR, WHITELIST_VAR, LOCAL_ADDRESS_VAR, GROUP_NAME_VAR, GROUP_SEEDS_VAR, START_ON_BOOT_VAR, BOOTSTRAP_VAR] as const;

/** An error with a catalogue entry's number and SQLSTATE but the plugin's own text (my_message). */
export function customError(name: keyof typeof ERRORS, text: string): SqlError {
  const spec = ERRORS[name];
  return new SqlError(spec.code, spec.sqlState, text);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a group name is not usable: 'missing', 'too-long', 'not-uuid', or null when it is a UUID. */
export function groupNameProblem(v: Value): 'missing' | 'too-long' | 'not-uuid' | null {
  if (v === null || v === '') return 'missing';
  const text = String(v);
  if (text.length > UUID_LENGTH) return 'too-long';
  return UUID_RE.test(text) ? null : 'not-uuid';
}

/** What the checks need to know about the plugin. */
export interface GrState {
  /** The member is active (START succeeded, no STOP since). */
  readonly running: boolean;
  /** START or STOP is half-way. */
  readonly busy: boolean;
}

function refuseWhileBusy(state: GrState): void {
  if (state.busy) throw customError('ER_UNABLE_TO_SET_OPTION', 'This option cannot be set while START or STOP GROUP_REPLICATION is ongoing.');
}

/**
 * SET GLOBAL of the allowlist or the whitelist.
 * @req GRALLOW-007 GRALLOW-008 GRALLOW-021
 */
function allowlistCheck(name: string, state: GrState): SysVarValidator {
  return (v: Value, ctx, warnings: Diagnostic[]) => {
    if (ctx.startup) return v;
    const text = typeof v === 'string' ? v : String(v);
    if (name === WHITELIST_VAR) warnings.push(diagnostic('Warning', 'ER_WARN_DEPRECATED_SYNTAX', WHITELIST_VAR, ALLOWLIST_VAR));
    refuseWhileBusy(state);
    if (state.running) {
      const word = name === WHITELIST_VAR ? 'whitelist' : 'allowlist';
      throw customError('ER_GROUP_REPLICATION_RUNNING', `The IP ${word} cannot be set while Group Replication is running`);
    }
    try {
      parseAllowlist(text);
    } catch (err) {
      if (!(err instanceof AllowlistSyntaxError)) throw err;
      if (err.reason === 'automatic-mixed') {
        throw customError('ER_GROUP_REPLICATION_CONFIGURATION', `The ${name} is invalid. Make sure that when specifying "AUTOMATIC" the list contains no other values.`);
      }
      throw sqlError('ER_WRONG_VALUE_FOR_VAR', name, text);
    }
    return v;
  };
}

/** SET GLOBAL group_replication_group_name: a UUID, not while running. @req GRALLOW-025 */
function groupNameCheck(state: GrState): SysVarValidator {
  return (v: Value, ctx) => {
    if (ctx.startup) return v;
    refuseWhileBusy(state);
    if (state.running) throw customError('ER_GROUP_REPLICATION_RUNNING', 'The group_replication_group_name cannot be changed when Group Replication is running');
    const p = groupNameProblem(v);
    if (p === 'too-long') throw customError('ER_WRONG_VALUE_FOR_VAR', 'The group_replication_group_name is not a valid UUID, its length is too big');
    if (p !== null) throw customError('ER_WRONG_VALUE_FOR_VAR', 'The group_replication_group_name is not a valid UUID');
    return v;
  };
}

/**
 * The definitions, with checks reading `state`.
 * @req GRALLOW-022
 */
export function groupReplicationVariables(state: GrState): SysVarDef[] {
  const str = (name: string, dflt: string | null, validate?: SysVarValidator): SysVarDef => ({
    name,
    scope: 'global',
    dynamic: true,
    type: { kind: 'string' },
    default: dflt,
    nullable: dflt === null,
    ...(validate ? { validate } : {}),
  });
  const bool = (name: string, dflt: boolean): SysVarDef => ({ name, scope: 'global', dynamic: true, type: { kind: 'boolean' }, default: dflt ? 1n : 0n });
  return [
    str(ALLOWLIST_VAR, 'AUTOMATIC', allowlistCheck(ALLOWLIST_VAR, state)),
    str(WHITELIST_VAR, 'AUTOMATIC', allowlistCheck(WHITELIST_VAR, state)),
    str(LOCAL_ADDRESS_VAR, ''),
    str(GROUP_NAME_VAR, null, groupNameCheck(state)),
    str(GROUP_SEEDS_VAR, ''),
    // ON by default, as in MySQL 8.0.
    bool(START_ON_BOOT_VAR, true),
    bool(BOOTSTRAP_VAR, false),
  ];
}

/**
 * The list that applies: the allowlist unless it is AUTOMATIC, then the whitelist.
 * @req GRALLOW-021
 */
export function effectiveAllowlist(allowlist: string, whitelist: string): string {
  if (!isAutomatic(allowlist)) return allowlist;
  if (!isAutomatic(whitelist)) return whitelist;
  return allowlist;
}

/**
 * The data directory: first-start initialisation (like `mysqld --initialize[-insecure]`) and
 * auto.cnf, where the server keeps its generated server_uuid.
 *
 * `--initialize` generates a random root password and logs it; `--initialize-insecure` (and an
 * implicit first start when the directory does not exist) creates root@localhost without one.
 * Explicit initialisation refuses a directory that already has files in it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-directory-initialization.html
 * @req CORE-SRV-020 CORE-SRV-021 CORE-SRV-022
 */
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../util/atomic-file.js';
import { LogCode, type ErrorLog } from './error-log.js';
import { TEMP_PASSWORD_LENGTH } from './limits.js';
import { SERVER_VERSION } from './sysvars/limits.js';

export const AUTO_CNF = 'auto.cnf';

/** Startup failure that has already been logged; main exits with status 1. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly code: string = LogCode.GENERIC_ERROR,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Whether `dir` exists and holds anything. */
export function dirHasFiles(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** Whether the data directory looks initialised (the marker written last by initialisation). */
export function isInitialized(datadir: string): boolean {
  return existsSync(join(datadir, AUTO_CNF));
}

/**
 * A temporary root password like the ones mysqld prints: letters, digits and punctuation,
 * always containing at least one of each class.
 * @req CORE-SRV-021
 */
export function generateTemporaryPassword(length = TEMP_PASSWORD_LENGTH): string {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digits = '0123456789';
  const punct = '#%&()*+,-.:;<=>?_';
  const all = lower + upper + digits + punct;
  const chars = [lower, upper, digits, punct].map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * Read server_uuid from auto.cnf, creating the file with a fresh UUID when it is missing
 * (as mysqld does on its first start).
 * @req CORE-SRV-022
 */
export function ensureServerUuid(datadir: string): { uuid: string; created: boolean } {
  const path = join(datadir, AUTO_CNF);
  if (existsSync(path)) {
    const m = /^\s*server-uuid\s*=\s*([0-9a-fA-F-]{36})\s*$/m.exec(readFileSync(path, 'utf8'));
    if (m) return { uuid: m[1]!.toLowerCase(), created: false };
  }
  const uuid = randomUUID();
  writeFileAtomicSync(path, `[auto]\nserver-uuid=${uuid}\n`);
  return { uuid, created: true };
}

/** The hooks initialisation runs (composition supplies them; see compose.ts). */
export interface InitializeHooks {
  /** Create the system schemas in the dictionary. */
  catalog(datadir: string): Promise<boolean>;
  /** Create root@localhost with the given password ('' = none). */
  accounts(datadir: string, rootPassword: string): Promise<boolean>;
  /** Certificates and RSA keys. */
  tls(datadir: string): Promise<unknown>;
}

/**
 * Initialise a data directory. `mode` 'secure' logs a generated temporary password and returns
 * it; 'insecure' leaves root without a password and logs the warning MySQL logs.
 * `explicit` (the user passed --initialize*) makes a non-empty directory an error.
 * @req CORE-SRV-020 CORE-SRV-021
 */
export async function initializeDataDirectory(
  datadir: string,
  mode: 'secure' | 'insecure',
  explicit: boolean,
  log: ErrorLog,
  hooks: InitializeHooks,
  program = 'refmysqld',
): Promise<{ rootPassword: string }> {
  log.system(LogCode.INIT_STARTED, `${program} (mysqld ${SERVER_VERSION}) initializing of server in progress as process ${process.pid}`);
  if (explicit && dirHasFiles(datadir)) {
    log.error(LogCode.INIT_DATADIR_NOT_EMPTY, '--initialize specified but the data directory has files in it. Aborting.');
    log.error('MY-013236', `The designated data directory ${datadir.endsWith('/') ? datadir : datadir + '/'} is unusable. You can remove all files that the server added to it.`);
    log.error(LogCode.ABORTING, 'Aborting');
    throw new StartupError('data directory has files in it', LogCode.INIT_DATADIR_NOT_EMPTY);
  }
  mkdirSync(datadir, { recursive: true, mode: 0o750 });
  const catalogDone = await hooks.catalog(datadir);
  if (!catalogDone) log.warning(LogCode.GENERIC_ERROR, 'System schemas were not created: the catalog module is not available yet.');
  const rootPassword = mode === 'secure' ? generateTemporaryPassword() : '';
  const accountsDone = await hooks.accounts(datadir, rootPassword);
  if (!accountsDone) log.warning(LogCode.GENERIC_ERROR, 'Accounts were not created: the accounts module is not available yet.');
  if (mode === 'secure') {
    log.note(LogCode.INIT_TEMP_PASSWORD, `A temporary password is generated for root@localhost: ${rootPassword}`);
  } else {
    log.warning(
      LogCode.INIT_EMPTY_PASSWORD,
      'root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option.',
    );
  }
  await hooks.tls(datadir);
  // auto.cnf last: its presence marks a completed initialisation.
  ensureServerUuid(datadir);
  log.system(LogCode.INIT_FINISHED, `${program} (mysqld ${SERVER_VERSION}) initializing of server has completed`);
  return { rootPassword };
}

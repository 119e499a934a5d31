/**
 * Public surface of the server subsystem: start/stop a server, the SHUTDOWN hook, options and the
 * system-variable registry.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-administration.html
 * @req CORE-SRV-001
 */
export { startServer, requestShutdown, isRunning, StartupError, type RunningServer, type StartServerOptions, type NonServingOutcome } from './server.js';
export { parseServerOptions, applyOptionSettings, OptionError, type ServerOptions, type OptionSetting } from './options.js';
export { parseOptionText, readOptionFile, OptionFileError, type OptionFileEntry } from './option-file.js';
export { ErrorLog, LogCode, formatLogLine, type LogLevel } from './error-log.js';
export * from './sysvars/index.js';

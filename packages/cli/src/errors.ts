/**
 * A problem that stops a command before it can do its job: a bad flag, an unreadable file, a
 * service that never became ready. The command prints the message and exits 2.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command line: the message names the flag and what it expects. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The validator could not start, reach or stop what it was asked to watch. Exit 2. */
export class StartupError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Exit codes shared by every command. */
export const ExitCode = Object.freeze({
  Ok: 0,
  Violations: 1,
  Usage: 2,
} as const);

/**
 * Errors that carry a string code (as bolt-js does), so that one handler can turn a known code
 * into a message a person can act on, and an unknown one into a short reference id. Every failure
 * the app raises on purpose is one of these: a kind of failure is a subclass with its own code
 * (ConfigError, WeekError, ...), declared next to what it guards.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** safe to show to the person who caused it */
    readonly userMessage?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A failure that should make the surrounding job run again later (Slack down, rate limited too long). */
export class RetryableError extends AppError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
